"""考评 page: the checklist, filling in, evidence, 定稿, the matrix with export, the office's own copy."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from chamberdesk import rules
from chamberdesk.core import assessments
from chamberdesk.gui.pages.assessment import C_EXPLAIN, C_INPUT, C_LAST, C_STATUS, C_TITLE, Page, RubricEditor


@pytest.fixture(autouse=True)
def _user_rubrics(tmp_path, monkeypatch):
    monkeypatch.setattr("chamberdesk.paths.user_rubric_dir", lambda: tmp_path / "rubrics")


def open_page(qtbot, ctx, target="城关镇商会", year=None):
    page = Page(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    if year is not None:
        page.year_box.setCurrentIndex(page.year_box.findData(year))
    page.target_box.setCurrentIndex(page.target_box.findText(target))
    return page


def row_of(page, item_id):
    return [it.id for it in page.result.items].index(item_id)


def test_checklist_fill_evidence_and_finalise(qtbot, ctx, tmp_path, monkeypatch):
    page = open_page(qtbot, ctx, year=date.today().year - 1)  # a finished year can be finalised
    year = page.year_box.currentData()
    assert page.rubric.id == "wuyou-wuhao"
    assert page.table.rowCount() == len(page.rubric.items)
    r = row_of(page, "rules")
    assert page.table.item(r, C_STATUS).text() == "未达标"  # the demo's 城关镇商会 lacks 活动制度
    assert page.table.item(r, C_LAST).text() in {"达标", "未达标"}  # compared with last year
    assert "待填写" in page.summary.text()

    combo = page.input_widget("finance_archived")
    combo.setCurrentIndex(combo.findText("是"))
    central = page.input_widget("archive_central")
    central.setCurrentIndex(central.findText("是"))
    qtbot.waitUntil(lambda: page.result.item("archive_central").status == "pass", timeout=3000)
    fin = page.result.item("finance_archived")
    assert fin.status == "needs_input" and "须附凭证" in fin.explanation

    scan = tmp_path / "账册封面.pdf"
    scan.write_bytes(b"%PDF-1.4 test")
    page.table.selectRow(row_of(page, "finance_archived"))
    page.add_evidence(str(scan))
    assert page.result.item("finance_archived").status == "pass"
    assert "账册封面.pdf" in page.detail.toPlainText()
    assert page.result.complete and page.result.passed is False

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.finalise()
    assert page.locked and not page.final_button.isEnabled()
    assert "已定稿" in page.state_label.text()
    assert not page.input_widget("archive_central").isEnabled()
    with ctx.db.session() as s:
        ch_id = page.result.chamber_id
        a = assessments.get_assessment(s, "wuyou-wuhao", year, ch_id)
        assert a.finalised and a.rubric_version == "2013.1"
        assert assessments.stored_inputs(a)["archive_central"] is True
        assert rules.stored_result(a).item("finance_archived").status == "pass"

    # reopening shows the stored, locked result
    again = open_page(qtbot, ctx, year=year)
    assert again.locked and again.result.item("finance_archived").status == "pass"


def test_matrix_filter_and_export(qtbot, ctx, tmp_path):
    from openpyxl import load_workbook

    page = open_page(qtbot, ctx, year=date.today().year - 1)
    page.tabs.setCurrentIndex(1)
    assert page.matrix.rowCount() == 12
    all_cols = page.matrix.columnCount()
    page.only_failures.setChecked(True)
    names = [page.matrix.verticalHeaderItem(r).text() for r in range(page.matrix.rowCount())]
    assert "桃源乡商会" in names and 0 < len(names) < 12
    assert 3 < page.matrix.columnCount() < all_cols
    out = page.export_matrix(str(tmp_path / "一览.xlsx"))
    wb = load_workbook(out, read_only=True)
    rows = list(wb["一览"].iter_rows(values_only=True))
    assert rows[1][:4] == ("对象", "结论", "得分", "等级")
    assert {r[0] for r in rows[2:]} == set(names)
    assert any("第三季度无会员活动" in (r[4] or "") for r in wb["说明"].iter_rows(values_only=True))


def test_federation_rubric_and_scores(qtbot, ctx, answer_modal):
    page = Page(ctx)
    qtbot.addWidget(page)
    page.rubric_box.setCurrentIndex(page.rubric_box.findData("tongzhou-kaoping"))
    page.target_box.setCurrentIndex(page.target_box.findText("城关镇商会"))
    spin = page.input_widget("democratic")
    spin.setValue(88)
    qtbot.waitUntil(lambda: page.result.item("democratic").status == "pass", timeout=3000)
    assert page.result.parts["democratic"] == 88
    asked = answer_modal("不保存")
    page.rubric_box.setCurrentIndex(page.rubric_box.findData("wuge-quebao"))
    assert len(asked) == 1 and "尚未保存" in asked[0].text()  # the 88 was not saved: asked, then dropped
    assert page.target_box.count() == 1 and page.target_box.currentText().startswith("清河县")
    assert page.result.target_type == "federation"
    # rows that take no input keep no editor from the previous rubric
    assert all(page.input_widget(it.id) is None for it in page.result.items)


def test_copy_rubric_as_the_offices_own(qtbot, ctx):
    page = open_page(qtbot, ctx)
    dlg = RubricEditor(page.rubric, page)
    qtbot.addWidget(dlg)
    row = [it.id for it in page.rubric.items].index("quarterly_activities")
    dlg.table.item(row, 2).setText("abc")
    dlg.accept_changes()
    assert "threshold" in dlg.error.text() and dlg.saved is None
    dlg.table.item(row, 2).setText("3")
    dlg.accept_changes()
    assert dlg.saved is not None and dlg.saved.id == "wuyou-wuhao-local"
    mine = rules.load_rubric("wuyou-wuhao-local")
    assert mine.user and mine.item("quarterly_activities").rule_text() == "活动开展好：每季度会员活动不少于3次"
    page.refresh()
    assert page.rubric_box.findData("wuyou-wuhao-local") >= 0


def test_defaults_to_this_year_with_compact_rows_and_editors_inside_their_cells(qtbot, ctx):
    page = open_page(qtbot, ctx)
    assert page.year_box.currentData() == date.today().year
    line = page.table.fontMetrics().lineSpacing()
    for row, it in enumerate(page.result.items):
        # the 说明 column does not repeat the rule; the tooltip keeps the whole explanation
        assert not page.table.item(row, C_EXPLAIN).text().startswith(it.title)
        assert page.table.item(row, C_EXPLAIN).toolTip() == it.explanation
        assert page.table.rowHeight(row) <= max(3 * line + 8, 40)
    # 通州: every editor fits inside its row
    page.rubric_box.setCurrentIndex(page.rubric_box.findData("tongzhou-kaoping"))
    page.target_box.setCurrentIndex(page.target_box.findText("城关镇商会"))
    editors = [(row, page.table.cellWidget(row, C_INPUT)) for row in range(page.table.rowCount())]
    editors = [(row, w) for row, w in editors if w is not None]
    assert editors
    for row, w in editors:
        assert w.sizeHint().height() <= page.table.rowHeight(row)
    assert page.table.item(0, C_TITLE).text() == page.result.items[0].title


def test_matrix_headings_are_short_and_unique(qtbot, ctx):
    page = open_page(qtbot, ctx)
    for rid in ("henan-county-wuhao", "tongzhou-kaoping", "wuyou-wuhao"):
        page.rubric_box.setCurrentIndex(page.rubric_box.findData(rid))
        page.tabs.setCurrentIndex(1)
        heads = [page.matrix.horizontalHeaderItem(c) for c in range(page.matrix.columnCount())]
        texts = [h.text() for h in heads]
        assert len(texts) == len(set(texts)) and len(texts) > 3
        assert not any("…" in t for t in texts)
        assert all(len(t) <= 10 for t in texts)
        items = page.matrix_results[0].items
        assert [h.toolTip() for h in heads[3:]] == [i.title for i in items]
        assert texts[3:] == [page.rubric.item(i.id).short for i in items]  # the items' own short names
        assert not any(t[0].isdigit() or t[-1] in "①②③" for t in texts)
    assert {"制度落实好·会议", "制度落实好·账册", "制度落实好·档案"} <= set(texts)
    # the federation's long name shows whole in the 对象 box
    page.rubric_box.setCurrentIndex(page.rubric_box.findData("wuge-quebao"))
    name = page.target_box.currentText()
    assert page.target_box.toolTip() == name
    assert page.target_box.width() >= page.target_box.fontMetrics().horizontalAdvance(name)


def test_adding_evidence_keeps_the_unsaved_inputs(qtbot, ctx, tmp_path):
    """添加凭证… (and any change announced from elsewhere) refreshes the results without losing what the
    clerk has filled in but not yet saved."""
    page = open_page(qtbot, ctx, target="餐饮业商会")
    page.show()  # only a shown page follows data_changed
    qtbot.waitExposed(page)
    central = page.input_widget("archive_central")
    central.setCurrentIndex(central.findText("是"))
    qtbot.waitUntil(lambda: page.result.item("archive_central").status == "pass", timeout=3000)
    assert "未保存的修改" in page.state_label.text()

    scan = tmp_path / "签到表.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0 test")
    page.table.selectRow(row_of(page, "finance_archived"))
    page.evidence_button.setEnabled(True)
    page.add_evidence(str(scan))
    assert page.inputs == {"archive_central": True}
    assert page.input_widget("archive_central").currentText() == "是"
    assert page.result.item("archive_central").status == "pass"
    assert "签到表.jpg" in page.result.item("finance_archived").evidence

    ctx.data_changed.emit("member")  # a record changed on another page
    assert page.inputs == {"archive_central": True}
    assert page.input_widget("archive_central").currentText() == "是"

    page.save_button.click()
    with ctx.db.session() as s:
        a = assessments.get_assessment(s, "wuyou-wuhao", page.year_box.currentData(), page.result.chamber_id)
        assert assessments.stored_inputs(a) == {"archive_central": True}
    assert "未保存" not in page.state_label.text()


def test_changing_target_with_unsaved_inputs_offers_to_save_them(qtbot, ctx, answer_modal):
    page = open_page(qtbot, ctx, target="餐饮业商会")
    year = page.year_box.currentData()
    cid = page.result.chamber_id
    central = page.input_widget("archive_central")
    central.setCurrentIndex(central.findText("是"))  # no wait: the pending recalculation is brought up to date
    answer_modal("保存")
    page.target_box.setCurrentIndex(page.target_box.findText("城关镇商会"))
    assert page.result.target == "城关镇商会" and page.inputs == {}
    with ctx.db.session() as s:
        a = assessments.get_assessment(s, "wuyou-wuhao", year, cid)
        assert assessments.stored_inputs(a) == {"archive_central": True}
        assert rules.stored_result(a).item("archive_central").status == "pass"
    page.target_box.setCurrentIndex(page.target_box.findText("餐饮业商会"))
    assert page.input_widget("archive_central").currentText() == "是"
    assert page.may_close()


def test_ctrl_p_prints_the_chosen_assessment_form(qtbot, ctx):
    from pypdf import PdfReader

    from chamberdesk.gui.dialogs.print_preview import PrintPreviewDialog

    page = open_page(qtbot, ctx, target="餐饮业商会")
    central = page.input_widget("archive_central")
    central.setCurrentIndex(central.findText("是"))
    page.save_button.click()
    page.print_current()
    qtbot.waitUntil(lambda: getattr(page, "preview", None) is not None, timeout=60000)
    dlg = page.preview
    assert isinstance(dlg, PrintPreviewDialog)
    year = page.year_box.currentData()
    assert dlg.suggested_name.startswith(f"{year}年度餐饮业商会") and dlg.suggested_name.endswith("考评表.pdf")
    pages = [p.extract_text() for p in PdfReader(dlg.pdf_path).pages]
    dlg.close()
    text = "".join(pages)
    assert "餐饮业商会" in text and f"{year}" in text and "城关镇商会" not in text
    # the form reads the saved draft, like the page: its verdict in the page's words
    verdict = assessments.verdict_label(page.result.passed)
    assert re.search(r"系统核算\s*" + verdict, pages[-1])
    # the signatures share their page with the conclusion
    assert "考评结论" in pages[-1] and "考评人" in pages[-1]


@pytest.mark.parametrize("box", ["target", "year", "rubric"])
def test_cancelling_a_switch_keeps_the_old_choice_and_the_edits(qtbot, ctx, answer_modal, box):
    """Switching target, year or rubric with unsaved 填报: while the question is open the boxes show the
    choice the edits belong to; 取消 leaves them there, edits and all."""
    page = open_page(qtbot, ctx, target="餐饮业商会")
    year = page.year_box.currentData()
    central = page.input_widget("archive_central")
    central.setCurrentIndex(central.findText("是"))
    shown_while_asking: list[tuple[str, str, str]] = []
    asked = answer_modal("取消", lambda _dlg: shown_while_asking.append(
        (page.rubric_box.currentData(), page.year_box.currentText(), page.target_box.currentText())))
    if box == "target":
        page.target_box.setCurrentIndex(page.target_box.findText("城关镇商会"))
    elif box == "year":
        page.year_box.setCurrentIndex(page.year_box.findData(year - 1))
    else:
        page.rubric_box.setCurrentIndex(page.rubric_box.findData("siyou"))
    assert len(asked) == 1 and {b.text() for b in asked[0].buttons()} == {"保存", "不保存", "取消"}
    assert shown_while_asking == [("wuyou-wuhao", f"{year}年", "餐饮业商会")]
    assert (page.rubric_box.currentData(), page.year_box.currentData(), page.target_box.currentText()) == \
        ("wuyou-wuhao", year, "餐饮业商会")
    assert page.result.target == "餐饮业商会" and page.inputs == {"archive_central": True}
    assert page.input_widget("archive_central").currentText() == "是"
    assert "有未保存的修改" in page.state_label.text()
    with ctx.db.session() as s:
        assert assessments.get_assessment(s, "wuyou-wuhao", year, page.result.chamber_id) is None

    # asked again, 不保存: the new choice is shown and the edits are gone
    answer_modal("不保存")
    page.target_box.setCurrentIndex(page.target_box.findText("城关镇商会"))
    assert page.target_box.currentText() == "城关镇商会" and page.result.target == "城关镇商会"
    assert page.inputs == {} and "有未保存的修改" not in page.state_label.text()


def test_leaving_through_the_sidebar_asks_about_unsaved_edits(qtbot, styled_app, demo_path, answer_modal):
    from chamberdesk.core.db import open_database
    from chamberdesk.gui.context import NAV_PAGES
    from chamberdesk.gui.main_window import MainWindow

    db = open_database(demo_path)
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    win.navigate("assessment")
    page = win.pages["assessment"]
    page.target_box.setCurrentIndex(page.target_box.findText("餐饮业商会"))
    central = page.input_widget("archive_central")
    central.setCurrentIndex(central.findText("是"))

    asked = answer_modal("取消")
    win.nav.setCurrentRow(NAV_PAGES.index("members"))  # the clerk clicks 会员台账 in the sidebar
    assert len(asked) == 1
    assert win.current_name() == "assessment" and win.nav.currentRow() == NAV_PAGES.index("assessment")
    assert page.inputs == {"archive_central": True}

    answer_modal("保存")
    win.nav.setCurrentRow(NAV_PAGES.index("members"))
    assert win.current_name() == "members"
    with db.session() as s:
        a = assessments.get_assessment(s, "wuyou-wuhao", page.year_box.currentData(), page.result.chamber_id)
        assert assessments.stored_inputs(a) == {"archive_central": True}
    win.nav.setCurrentRow(NAV_PAGES.index("assessment"))  # nothing unsaved now: no question
    win.nav.setCurrentRow(NAV_PAGES.index("dashboard"))
    assert win.current_name() == "dashboard"


def test_printing_with_unsaved_edits_says_what_each_answer_prints(qtbot, ctx, answer_modal, monkeypatch):
    import chamberdesk.gui.pages.print_panel as panel

    sent = []
    monkeypatch.setattr(panel, "preview_form", lambda *a, **k: sent.append(a))
    page = open_page(qtbot, ctx, target="餐饮业商会")
    central = page.input_widget("archive_central")
    central.setCurrentIndex(central.findText("是"))
    asked = answer_modal("按已保存的打印")
    page.print_current()
    assert {b.text() for b in asked[0].buttons()} == {"保存并打印", "按已保存的打印", "取消"}
    assert "不含这些修改" in asked[0].text()
    assert len(sent) == 1 and page.inputs == {"archive_central": True}  # printed; the edits stay on the page
    assert "有未保存的修改" in page.state_label.text()


def test_the_summary_line_stays_put_when_edits_appear(qtbot, ctx):
    page = open_page(qtbot, ctx, target="餐饮业商会")
    page.show()
    qtbot.waitExposed(page)
    before = page.summary.geometry()
    central = page.input_widget("archive_central")
    central.setCurrentIndex(central.findText("是"))
    assert page.state_label.text() == "有未保存的修改"  # at once, not after the recalculation
    qtbot.wait(50)
    assert page.summary.geometry() == before
    assert "<br>" in page.summary.text() and "上年：" in page.summary.text().split("<br>")[1]


def test_year_still_running_shows_year_not_over_and_waits_to_finalise(qtbot, qapp, db, tmp_path, monkeypatch):
    """Today fixed at 2026-12-07: what only the year's end settles is 年度未结束 with what it still needs."""
    from functools import partial

    from chamberdesk.gui.context import AppContext
    from chamberdesk.gui.pages.assessment import STATUS_COLOURS
    from tests.rules.conftest import activity, add_members, chamber, meeting

    today = date(2026, 12, 7)
    monkeypatch.setattr(rules, "current_results", partial(rules.current_results, as_of=today))
    with db.transaction() as s:
        ch = chamber(s, "甲商会")
        add_members(s, ch.id, 20, date(2020, 5, 1))
        add_members(s, ch.id, 1, date(2026, 3, 1))
        for m in (1, 2, 4, 5, 7, 8, 10, 11):
            activity(s, ch.id, date(2026, m, 3), "法律讲座", "legal")
        activity(s, ch.id, date(2026, 6, 3), "公益捐助", "charity")
        meeting(s, ch.id, "council", date(2026, 3, 15))
    page = open_page(qtbot, AppContext(db), target="甲商会", year=2026)
    r = row_of(page, "member_growth")
    assert page.table.item(r, C_STATUS).text() == "年度未结束"
    assert page.table.item(r, C_STATUS).foreground().color().name() == STATUS_COLOURS["year_not_over"]
    assert "已发展1家，还需2家" in page.table.item(r, C_EXPLAIN).text()
    page.table.selectRow(r)
    assert "年度未结束：已发展1家，还需2家" in page.detail.toPlainText()
    assert page.table.item(row_of(page, "has_activity"), C_STATUS).text() == "达标"  # met early: decided
    assert "年度未结束1项" in page.summary.text()

    central = page.input_widget("archive_central")
    central.setCurrentIndex(central.findText("是"))
    page.input_widget("finance_archived").setCurrentIndex(page.input_widget("finance_archived").findText("是"))
    scan = tmp_path / "账册.pdf"
    scan.write_bytes(b"%PDF-1.4 test")
    page.table.selectRow(row_of(page, "finance_archived"))
    page.add_evidence(str(scan))
    assert page.result.complete and page.result.year_open and page.result.passed is None
    assert "年度未结束" in page.summary.text() and "尚待填写" not in page.summary.text()
    page.resize(1366, 768)
    page.grab().save(str(tmp_path / "assessment-year-open.png"))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    page.finalise()
    assert told and "2026年尚未结束" in told[0] and "2027年1月1日后定稿" in told[0]
    assert not page.locked
