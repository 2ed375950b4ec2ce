"""导入向导: backup before the commit, what the preview shows, the mapping column, a sheet of another kind."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from chamberdesk.core import backup
from chamberdesk.core.errors import DataFileError
from chamberdesk.gui import workers
from chamberdesk.gui.dialogs import import_wizard as iw
from chamberdesk.io import excel_import as imp
from chamberdesk.io import mappings
from tests.gui.conftest import WINE_NO_FONT

HEAD = ["企业名称", "统一社会信用代码", "代表人姓名", "联系电话", "入会日期", "所属商会"]


def _sheet(tmp_path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "会员"
    ws.append(["清河县工商联会员名册"])
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    p = tmp_path / "会员.xlsx"
    wb.save(p)
    return p


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return _sheet(tmp_path, [["清河县试导入甲有限公司", "91130534ma0abcde1w", "王 一", "138 0000 1234", date(2024, 3, 5), ""],
                             ["清河县试导入乙有限公司", "", "李二", "12345", "2024/3/6", ""]])


def _to_preview(wiz, qtbot, path: Path, kind: str = "members") -> None:
    wiz.kind.setCurrentIndex(wiz.kind.findData(kind))
    wiz.path.setText(str(path))
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == 2, timeout=10000)


def test_preview_shows_understood_values_and_commit_backs_up_first(ctx, qtbot, sheet: Path) -> None:
    wiz = iw.ImportWizard(ctx, kind="members")
    qtbot.addWidget(wiz)
    wiz.resize(1280, 700)
    wiz.show()
    _to_preview(wiz, qtbot, sheet)
    # the 导入为 column is wide enough for its longest choice
    t = wiz.mapping_table
    row = next(r for r in range(t.rowCount()) if t.item(r, 0).text() == "统一社会信用代码")
    combo = t.cellWidget(row, 2)
    assert combo.currentText() == "统一社会信用代码"
    assert t.columnWidth(2) >= combo.fontMetrics().horizontalAdvance("统一社会信用代码") + 20
    assert t.columnWidth(2) >= combo.sizeHint().width()
    assert "所属单位（如需）" in wiz.step_label.text()
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == 3, timeout=10000)
    # a member sheet with no owner to settle went straight to the preview: the step bar says no owners step
    assert "所属单位" not in wiz.step_label.text() and "4 预览" in wiz.step_label.text().replace("<b>", "")
    p = wiz.preview_table
    heads = [p.horizontalHeaderItem(c).text() for c in range(p.columnCount())]
    for h in ("企业名称", "统一社会信用代码", "代表人姓名", "联系电话", "入会日期", "说明"):
        assert h in heads
    first = {heads[c]: p.item(0, c).text() for c in range(p.columnCount()) if p.item(0, c)}
    assert first["统一社会信用代码"] == "91130534MA0ABCDE1W"  # normalised, not as typed
    assert first["联系电话"] == "13800001234" and first["入会日期"] == "2024-03-05"
    reason_col = heads.index("说明")
    rejected = next(r for r in range(p.rowCount()) if p.item(r, 1).text() == "拒绝")
    assert p.item(rejected, reason_col).toolTip() == p.item(rejected, reason_col).text() != ""
    assert "联系电话" in p.item(rejected, reason_col).text()

    before = {b.path for b in backup.list_backups(ctx.db.path)}
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == 4, timeout=15000)
    made = [b for b in backup.list_backups(ctx.db.path) if b.path not in before]
    assert len(made) == 1 and made[0].reason == "import"
    assert wiz.backup_path == made[0].path
    assert "导入前已自动备份" in wiz.result_label.text() and made[0].path.name in wiz.result_label.text()
    assert wiz.result.imported == 1


def test_failed_backup_stops_the_import(ctx, qtbot, sheet: Path, monkeypatch) -> None:
    def broken(*a, **k):
        raise DataFileError("备份失败：磁盘已满。")

    monkeypatch.setattr(iw.backup, "make_backup", broken)
    shown: list[str] = []
    monkeypatch.setattr(workers.QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    wiz = iw.ImportWizard(ctx, kind="members")
    qtbot.addWidget(wiz)
    _to_preview(wiz, qtbot, sheet)
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == 3, timeout=10000)
    wiz.next()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "没有导入任何数据" in shown[0] and "磁盘已满" in shown[0]
    assert wiz.stack.currentIndex() == 3 and wiz.result is None
    from sqlmodel import select

    from chamberdesk.core.models import Member

    with ctx.db.session() as s:
        assert not s.exec(select(Member).where(Member.enterprise_name == "清河县试导入甲有限公司")).first()


def test_member_sheet_as_meetings_opens_the_mapping_page(ctx, qtbot, sheet: Path, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(workers.QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(iw.QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    wiz = iw.ImportWizard(ctx, kind="meetings")
    qtbot.addWidget(wiz)
    _to_preview(wiz, qtbot, sheet, kind="meetings")
    assert not shown
    info = wiz.mapping_info.text()
    assert "没有认出这张表的表头" in info and "映射文件" not in info and "导入为" in info
    titles = [wiz.mapping_table.item(r, 0).text() for r in range(wiz.mapping_table.rowCount())]
    assert titles[:2] == ["企业名称", "统一社会信用代码"]
    # nothing mapped yet: 下一步 names the columns still needed, in the wizard's words
    wiz.next()
    assert shown and "导入为" in shown[-1] and "映射文件" not in shown[-1]


def test_preview_reason_is_readable_on_a_laptop_screen(ctx, qtbot, tmp_path: Path) -> None:
    """At the wizard's own size (it fits 1366×768) 说明 is on screen in full: wide enough, wrapped."""
    with ctx.db.session() as s:
        from sqlmodel import select

        from chamberdesk.core.models import Member

        known = s.exec(select(Member).where(Member.credit_code != None)).first()  # noqa: E711
    long_name = "清河县试导入一个名字相当长的农业科技发展有限责任公司"
    path = _sheet(tmp_path, [[long_name, known.credit_code, "王一", "13800001234", date(2024, 3, 5), ""],
                             ["清河县试导入乙有限公司", "", "李二", "12345", "2024/3/6", ""]])
    wiz = iw.ImportWizard(ctx, kind="members")
    qtbot.addWidget(wiz)
    wiz.resize(1180, 660)  # the size it opens at on a 1366×768 screen (the test screen is smaller)
    wiz.show()
    _to_preview(wiz, qtbot, path)
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == 3, timeout=10000)
    qtbot.wait(200)
    p = wiz.preview_table
    heads = [p.horizontalHeaderItem(c).text() for c in range(p.columnCount())]
    col = heads.index("说明")
    hh = p.horizontalHeader()
    assert hh.length() <= p.viewport().width()  # no sideways scrolling to find the reason
    assert p.columnWidth(col) >= iw.REASON_MIN
    fm = p.fontMetrics()
    for r in range(p.rowCount()):
        text = p.item(r, col).text()
        if not text:
            continue
        assert p.item(r, col).toolTip() == text
        lines = -(-fm.horizontalAdvance(text) // (p.columnWidth(col) - 12))
        assert p.rowHeight(r) >= lines * fm.lineSpacing(), (text, p.rowHeight(r))
    assert any("在册会员" in p.item(r, col).text() for r in range(p.rowCount()))


# --- the office-sheet corpus through the wizard ------------------------------------------------------

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io"))
from corpus.build import load_cases, write_case, write_workbook  # noqa: E402

# one sheet of each kind from the part of the corpus the import was built with, and one from the part kept out
# of its development
CORPUS_PARTS = {part: {c.kind: c for c in reversed(load_cases(part))} for part in ("dev", "holdout")}
CORPUS_CASES = CORPUS_PARTS["dev"]


def _through_owner_page(wiz, qtbot) -> bool:
    """Answer the owner page if it is shown: rows without an owner are the federation's, names not on file
    become new chambers. Returns whether the page was shown."""
    if wiz.stack.currentIndex() != iw.OWNERS:
        return False
    if wiz.default_owner.isVisibleTo(wiz):
        wiz.default_owner.setCurrentIndex(wiz.default_owner.findData("本级"))
    wiz.all_new_btn.click()
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.PREVIEW, timeout=15000)
    return True


@pytest.mark.parametrize(("part", "kind"), [(p, k) for p in CORPUS_PARTS for k in sorted(CORPUS_PARTS[p])])
def test_corpus_sheet_of_each_kind_through_the_wizard(ctx, qtbot, tmp_path: Path, part: str, kind: str) -> None:
    case = CORPUS_PARTS[part][kind]
    path = write_case(case, tmp_path)
    wiz = iw.ImportWizard(ctx, kind=kind)
    qtbot.addWidget(wiz)
    wiz.resize(1366, 768)
    wiz.show()
    _to_preview(wiz, qtbot, path, kind=kind)
    # the mapping page lists every column of the header with its fate; nothing is silently left out
    t = wiz.mapping_table
    listed = {t.item(r, 0).data(Qt.ItemDataRole.UserRole): t.cellWidget(r, 2).currentData() for r in range(t.rowCount())}
    for c, expected in enumerate(case.expected):
        if expected != "_ignore":
            assert listed.get(c) not in (None, mappings.IGNORE), (case.name, c, expected)
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() in (iw.OWNERS, iw.PREVIEW), timeout=15000)
    _through_owner_page(wiz, qtbot)
    assert wiz.preview_table.rowCount() == len(wiz.preview.outcomes) >= case.data_rows
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.RESULT, timeout=30000)
    res = wiz.result
    assert res.balanced() and res.rows == len(wiz.preview.outcomes)
    assert res.imported + res.rejected + res.duplicates + res.updated >= case.data_rows - res.skipped
    fates = {c.index: c.fate for c in res.columns}
    assert all(fates.get(c) != imp.IGNORED for c, e in enumerate(case.expected) if e != "_ignore")
    if any(c.fate == imp.KEPT for c in res.columns):
        assert "保留为自定义信息的列" in wiz.result_label.text()


def test_activity_sheet_without_owner_asks_the_clerk(ctx, qtbot, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["活动名称", "活动类别", "活动日期", "参加人数"])
    ws.append(["企业家素质提升培训班", "技能培训", "2024-05-10", 40])
    ws.append(["迎新春茶话会", "迎新春", "2024-01-20", 60])
    path = tmp_path / "活动.xlsx"
    wb.save(path)
    wiz = iw.ImportWizard(ctx, kind="activities")
    qtbot.addWidget(wiz)
    _to_preview(wiz, qtbot, path, kind="activities")
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.OWNERS, timeout=15000)
    assert "<b>4 所属单位</b>" in wiz.step_label.text()
    assert "不会替您猜测" in wiz.owners_info.text() and wiz.default_owner.isVisibleTo(wiz)
    shown: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(iw.QMessageBox, "warning", lambda parent, title, text: shown.append(text))
        wiz.next()  # nothing chosen: the wizard says what it needs and stays
    assert shown and "属于哪个单位" in shown[0] and wiz.stack.currentIndex() == iw.OWNERS
    wiz.default_owner.setCurrentIndex(wiz.default_owner.findData("城关镇商会"))
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.PREVIEW, timeout=15000)
    assert "4 所属单位" in wiz.step_label.text() and "<b>5 预览</b>" in wiz.step_label.text()
    heads = [wiz.preview_table.horizontalHeaderItem(c).text() for c in range(wiz.preview_table.columnCount())]
    owners = {wiz.preview_table.item(r, heads.index("所属单位")).text() for r in range(wiz.preview_table.rowCount())}
    assert owners == {"城关镇商会"}
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.RESULT, timeout=15000)
    assert wiz.result.imported == 2
    from sqlmodel import select

    from chamberdesk.core.models import Activity, Chamber

    with ctx.db.session() as s:
        cid = s.exec(select(Chamber.id).where(Chamber.name == "城关镇商会")).one()
        got = {a.title: (a.chamber_id, a.category, a.custom) for a in s.exec(
            select(Activity).where(Activity.title.in_(["企业家素质提升培训班", "迎新春茶话会"])))}
    assert got["企业家素质提升培训班"][:2] == (cid, "training")
    assert got["迎新春茶话会"][:2] == (cid, "other") and "迎新春" in got["迎新春茶话会"][2]


def test_unknown_chambers_created_picked_or_left_out(ctx, qtbot, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["所属商会", "会议名称", "会议日期"])
    ws.append(["清河县新能源汽车商会", "第一届理事会第一次会议", "2024-03-01"])
    ws.append(["城关商会", "2024年度会员大会", "2024-03-02"])  # 城关镇商会 written another way
    ws.append(["某某协会", "会长办公会议", "2024-03-03"])
    ws.append(["另一个不存在的商会", "理事会", "2024-03-04"])
    path = tmp_path / "会议.xlsx"
    wb.save(path)
    wiz = iw.ImportWizard(ctx, kind="meetings")
    qtbot.addWidget(wiz)
    _to_preview(wiz, qtbot, path, kind="meetings")
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.OWNERS, timeout=15000)
    t = wiz.unknown_table
    names = [t.item(r, 0).text() for r in range(t.rowCount())]
    assert sorted(names) == ["另一个不存在的商会", "某某协会", "清河县新能源汽车商会"]
    decide = {"清河县新能源汽车商会": iw.own.CREATE, "某某协会": iw.own.SKIP}
    for r, name in enumerate(names):
        combo = t.cellWidget(r, 2)
        if name in decide:
            combo.setCurrentIndex(combo.findData(decide[name]))
        else:
            combo.setCurrentIndex(combo.findText("归入：城关镇商会"))
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.PREVIEW, timeout=15000)
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.RESULT, timeout=15000)
    res = wiz.result
    assert (res.rows, res.imported, res.skipped) == (4, 3, 1) and res.balanced()
    assert res.new_chambers == ["清河县新能源汽车商会（行业商会）"] or res.new_chambers[0].startswith("清河县新能源汽车商会")
    from sqlmodel import select

    from chamberdesk.core.models import Chamber, Meeting

    with ctx.db.session() as s:
        owner = {c.id: c.name for c in s.exec(select(Chamber))}
        got = sorted((str(m.date), owner.get(m.chamber_id), m.body) for m in s.exec(
            select(Meeting).where(Meeting.date >= date(2024, 3, 1), Meeting.date <= date(2024, 3, 4))))
    assert ("2024-03-01", "清河县新能源汽车商会", "council") in got
    assert ("2024-03-02", "城关镇商会", "general_assembly") in got
    assert ("2024-03-04", "城关镇商会", "council") in got
    assert not any(d == "2024-03-03" for d, _o, _b in got)  # left out, as chosen
    assert all(o is not None for _d, o, _b in got)  # nothing filed under the federation


def _workbook_wizard(ctx, qtbot, path: Path) -> iw.ImportWizard:
    """The wizard in whole-workbook mode, on its sheets page for `path`."""
    wiz = iw.ImportWizard(ctx, kind=iw.WORKBOOK)
    qtbot.addWidget(wiz)
    wiz.resize(1366, 768)
    wiz.show()
    wiz.path.setText(str(path))
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.SHEETS, timeout=15000)
    return wiz


def test_a_whole_workbook_through_the_wizard(ctx, qtbot, tmp_path: Path) -> None:
    cases = [CORPUS_CASES[k] for k in ("contacts", "activities", "members", "meetings", "chambers")]
    path = write_workbook(cases, tmp_path / "全县台账.xlsx")
    wiz = _workbook_wizard(ctx, qtbot, path)
    t = wiz.sheets_table
    kinds = {t.item(r, 0).text(): t.cellWidget(r, 1).currentData() for r in range(t.rowCount())}
    assert sorted(kinds.values()) == sorted(c.kind for c in cases)
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() in (iw.OWNERS, iw.PREVIEW), timeout=30000)
    if wiz.stack.currentIndex() == iw.OWNERS:
        if wiz.default_owner.isVisibleTo(wiz):
            wiz.default_owner.setCurrentIndex(wiz.default_owner.findData("本级"))
        wiz.all_new_btn.click()
        wiz.next()
        qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.PREVIEW, timeout=30000)
    dry = wiz.workbook_result
    assert [r.kind for r in dry.sheets] == ["chambers", "members", "meetings", "activities", "contacts"]
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.RESULT, timeout=60000)
    got = wiz.workbook_result
    assert got.balanced() and [r.kind for r in got.sheets] == [r.kind for r in dry.sheets]
    assert [r.imported for r in got.sheets] == [r.imported for r in dry.sheets]  # the dry run told the truth
    assert all(r.rows >= c.data_rows for r, c in zip(got.sheets, sorted(cases, key=lambda c: imp.ORDER.index(c.kind)),
                                                      strict=True))
    assert "导入完成" in wiz.result_label.text()


def test_workbook_preview_shows_each_sheets_refused_rows_and_saves_them(ctx, qtbot, tmp_path: Path, monkeypatch) -> None:
    import messy

    path = messy.county_workbook(tmp_path / "县台账.xlsx")
    wiz = _workbook_wizard(ctx, qtbot, path)
    t = wiz.sheets_table
    assert {t.item(r, 0).text(): t.cellWidget(r, 1).currentData() for r in range(t.rowCount())} == {
        "会员名单": "members", "活动记录": "activities"}
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.PREVIEW, timeout=30000)
    # per sheet, how its rows will land: every row accounted for
    p = wiz.preview_table
    heads = [p.horizontalHeaderItem(c).text() for c in range(p.columnCount())]
    counts = {p.item(r, 0).text(): {h: p.item(r, heads.index(h)).text() for h in ("行数", "新增", "跳过", "拒绝")}
              for r in range(p.rowCount())}
    assert counts["会员名单"] == {"行数": "4", "新增": "2", "跳过": "1", "拒绝": "1"}
    assert counts["活动记录"]["新增"] == "1" and counts["活动记录"]["拒绝"] == "1"
    assert all(r.balanced() for r in wiz.workbook_result.sheets)
    # the refused rows of the first sheet with any are shown, with the column and the reason
    r = wiz.refused_table
    assert wiz.refused_table.isVisibleTo(wiz) and "会员名单" in wiz.refused_label.text()
    shown = [[r.item(i, c).text() for c in range(r.columnCount())] for i in range(r.rowCount())]
    assert len(shown) == 1 and shown[0][:2] == ["4", "统一社会信用代码"] and "校验位" in shown[0][2]
    assert "清河县乙有限公司" in shown[0][3]
    p.setCurrentCell(next(i for i in range(p.rowCount()) if p.item(i, 0).text() == "活动记录"), 0)
    shown = [[r.item(i, c).text() for c in range(r.columnCount())] for i in range(r.rowCount())]
    assert len(shown) == 1 and shown[0][:2] == ["3", "活动日期"] and "不存在" in shown[0][2]
    assert "活动记录" in wiz.refused_label.text()

    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.RESULT, timeout=60000)
    got = wiz.workbook_result
    assert got.balanced() and [(x.sheet, x.imported, x.rejected) for x in got.sheets] == [
        ("会员名单", 2, 1), ("活动记录", 1, 1)]
    assert wiz.errors_btn.isVisibleTo(wiz)
    out = tmp_path / "未通过的行.xlsx"
    monkeypatch.setattr(iw.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), ""))
    wiz.errors_btn.click()
    book = openpyxl.load_workbook(out, read_only=True)
    try:
        assert book.sheetnames == ["会员名单", "活动记录", "各列的去向"]
        refused = {name: [(row[0], row[1]) for row in book[name].iter_rows(min_row=4, values_only=True) if row[0]]
                   for name in ("会员名单", "活动记录")}
    finally:
        book.close()
    assert [n for n, _why in refused["会员名单"]] == [4] and refused["会员名单"][0][1].startswith("统一社会信用代码：")
    assert [n for n, _why in refused["活动记录"]] == [3] and refused["活动记录"][0][1].startswith("活动日期：")


@pytest.mark.wine_limitation(WINE_NO_FONT)
def test_wizard_opens_within_a_small_screen(ctx, qtbot) -> None:
    """A 1366×768 laptop at 125 % leaves 1093×614: the wizard opens within the screen, not past its edges."""
    wiz = iw.ImportWizard(ctx, kind="members")
    qtbot.addWidget(wiz)
    avail = wiz.screen().availableGeometry()
    assert avail.width() < 1180  # the test screen is smaller than the wizard's own size
    wiz.show()
    qtbot.waitExposed(wiz)
    assert wiz.frameGeometry().width() <= avail.width() and wiz.height() <= avail.height()


def test_a_sheet_grouped_under_its_chambers_names_asks_only_about_those_chambers(ctx, qtbot, tmp_path: Path) -> None:
    """Township returns pasted under each chamber's name: no owner column, yet the wizard does not ask whose the
    rows are — it lists the chambers the group rows name, for the clerk to create or place."""
    wb = openpyxl.Workbook()
    for r in (["序号", "会议名称", "会议日期"], ["秀谷镇商会"], [1, "理事会", "2025-03-08"], [2, "会长办公会", "2025-04-02"],
              ["二、琅琚镇商会"], [1, "会员大会", "2025-05-01"]):
        wb.active.append(r)
    path = tmp_path / "乡镇商会会议.xlsx"
    wb.save(path)
    wiz = iw.ImportWizard(ctx, kind="meetings")
    qtbot.addWidget(wiz)
    wiz.resize(1366, 768)
    wiz.show()
    _to_preview(wiz, qtbot, path, kind="meetings")
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.OWNERS, timeout=15000)
    t = wiz.unknown_table
    assert {t.item(r, 0).text(): t.item(r, 1).text() for r in range(t.rowCount())} == {"秀谷镇商会": "2", "琅琚镇商会": "1"}
    assert not wiz.default_owner.isVisibleTo(wiz)  # the group rows already say whose the rows are
    wiz.all_new_btn.click()
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == iw.PREVIEW, timeout=15000)
    assert wiz.preview.counts()["new"] == 3
    assert any("分组行" in p.message for o in wiz.preview.outcomes for p in o.problems)
