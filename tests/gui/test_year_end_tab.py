"""考评 → 年终考评进度: the demo year's checklist, a step entered by double-click, the 民主评议 tally typed and
imported through the dialog (the score and the 80/20 total shown before saving), the export."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtWidgets import QDialog
from sqlmodel import select

from chamberdesk.core import yearend
from chamberdesk.core.assessments import get_assessment, stored_inputs
from chamberdesk.core.chambers import find_chamber
from chamberdesk.core.models import Evidence, EvidenceLink
from chamberdesk.gui.pages.assessment import Page
from chamberdesk.gui.pages.year_end import (
    C_DEM,
    C_INSPECT,
    C_MISSING,
    C_NAME,
    C_STATS,
    StepsDialog,
    TallyDialog,
)
from chamberdesk.gui.widgets.buttons import accept_button

YEAR = date.today().year - 1


@pytest.fixture(autouse=True)
def _user_rubrics(tmp_path, monkeypatch):
    monkeypatch.setattr("chamberdesk.paths.user_rubric_dir", lambda: tmp_path / "rubrics")


@pytest.fixture
def tab(qtbot, ctx):
    page = Page(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.year_box.setCurrentIndex(page.year_box.findData(YEAR))
    page.tabs.setCurrentWidget(page.year_end)
    return page


def row_of(t, name):
    return next(r for r in range(t.table.rowCount()) if t.table.item(r, C_NAME).text() == name)


def test_checklist_shows_each_step_and_what_is_missing(tab):
    t = tab.year_end
    assert t.table.rowCount() == 12
    assert "已定稿3个" in t.summary.text()
    r = row_of(t, "桃源乡商会")
    assert t.table.item(r, C_STATS).text() == "未收到"
    assert "统计表逾期未收到" in t.table.item(r, C_MISSING).text()
    r = row_of(t, "城关镇商会")
    assert t.table.item(r, C_MISSING).text() == "已完成"
    assert t.table.item(r, C_DEM).toolTip().startswith("民主评议有效票15张")
    assert t.table.item(row_of(t, "万达广场楼宇商会"), C_INSPECT).text() == "未考评"


def test_double_click_enters_the_inspection(tab, monkeypatch):
    t = tab.year_end
    r = row_of(t, "万达广场楼宇商会")
    opened: list[StepsDialog] = []

    def fill(dlg):
        opened.append(dlg)
        dlg.inspected_on.set_value(date(YEAR, 12, 28))
        dlg.by.setText("王建国")
        dlg.notes.setPlainText("查看活动记录")
        dlg.save()
        return dlg.result()

    monkeypatch.setattr(StepsDialog, "exec", fill)
    t.act(r, C_INSPECT)
    assert opened and opened[0].error.text() == ""
    assert t.table.item(r, C_INSPECT).text() == f"{YEAR}年12月28日　王建国"
    assert "未实地考评" not in t.table.item(r, C_MISSING).text()


def test_steps_dialog_says_what_is_wrong(qtbot, ctx, tmp_path):
    with ctx.db.session() as s:
        cid = find_chamber(s, "桃源乡商会").id
    dlg = StepsDialog(ctx, cid, "桃源乡商会", YEAR)
    qtbot.addWidget(dlg)
    dlg.inspected_on.set_value(date(YEAR, 12, 20))
    dlg.by.setText("")
    dlg.save()
    assert "考评人" in dlg.error.text() and dlg.result() != QDialog.DialogCode.Accepted
    scan = tmp_path / "统计表.jpg"
    scan.write_bytes(b"\xff\xd8\xff fake")
    dlg.by.setText("李文华")
    dlg.received_on.set_value(date(YEAR + 1, 1, 12))
    # another clerk saved this chamber's steps meanwhile: this form is refused, its entries stay
    other = StepsDialog(ctx, cid, "桃源乡商会", YEAR)
    qtbot.addWidget(other)
    other.save()
    assert other.result() == QDialog.DialogCode.Accepted
    dlg.save()
    assert "已被他人修改" in dlg.error.text() and dlg.by.text() == "李文华"
    dlg.version = other.version  # as reopened on the row the other clerk saved
    dlg.add_file(str(scan))
    dlg.save()
    assert dlg.result() == QDialog.DialogCode.Accepted
    with ctx.db.session() as s:
        row = yearend.find(s, cid, YEAR)
        assert row.statistics_received_on == date(YEAR + 1, 1, 12)
        assert [e.filename for e in yearend.statistics_files(s, row)] == ["统计表.jpg"]


def test_tally_dialog_shows_the_score_and_total_and_saves_as_the_command(qtbot, ctx, tab, tmp_path):
    t = tab.year_end
    rubric = t.checklist.rubric
    with ctx.db.session() as s:
        cid = find_chamber(s, "电子商务协会").id
    dlg = TallyDialog(ctx, rubric, YEAR, cid)
    qtbot.addWidget(dlg)
    assert dlg.chamber.currentText() == "电子商务协会" and dlg.scores.toPlainText() == ""
    dlg.scores.setPlainText("90, 85.5 78，92\n")  # commas of either width, spaces, one a line
    dlg.invalid.setValue(2)
    # (90 + 85.5 + 78 + 92) ÷ 4 = 86.375 → 86.38
    assert "民主评议得分 <b>86.38</b>" in dlg.score_label.text()
    assert "综合得分" in dlg.score_label.text()
    dlg.scores.setPlainText("90, 1o5")
    assert "评分应为数字" in dlg.score_label.text()
    dlg.scores.setPlainText("90, 85.5, 78, 92")
    scan = tmp_path / "评议票.pdf"
    scan.write_bytes(b"%PDF-1.4 ballots")
    dlg.add_file(str(scan))
    accept_button(dlg.buttons).click()
    assert dlg.result() == QDialog.DialogCode.Accepted
    with ctx.db.session() as s:
        saved = get_assessment(s, rubric.id, YEAR, cid)
        entry = stored_inputs(saved)["democratic"]
        assert entry["value"] == 86.38 and entry["tally"] == {"scale": "score", "invalid": 2,
                                                              "scores": [90.0, 85.5, 78.0, 92.0]}
        files = [e.filename for e in s.exec(
            select(Evidence).join(EvidenceLink, EvidenceLink.evidence_id == Evidence.id)
            .where(EvidenceLink.record_id == cid, EvidenceLink.rubric_item == f"{rubric.id}:democratic"))]
        assert files == ["评议票.pdf"]
    t.refresh()
    assert t.table.item(row_of(t, "电子商务协会"), C_DEM).text() == "86.38分"
    # a finalised chamber's tally shows, and cannot be changed
    with ctx.db.session() as s:
        done = find_chamber(s, "城关镇商会").id
    locked = TallyDialog(ctx, rubric, YEAR, done)
    qtbot.addWidget(locked)
    assert locked.scores.toPlainText() and not accept_button(locked.buttons).isEnabled() and "已定稿" in locked.score_label.text()


def test_tally_sheet_imported_from_the_dialog(qtbot, ctx, tab, tmp_path):
    rubric = tab.year_end.checklist.rubric
    sheet = tmp_path / "计票表.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "商会名称", "票1", "票2", "票3", "废票"])
    ws.append([1, "电子商务协会", 90, 80, 70, 1])
    ws.append([2, "不存在的商会", 90, 90, 90, 0])
    ws.append([3, "城关镇商会", 60, 60, 60, 0])  # 定稿: not taken
    wb.save(sheet)
    dlg = TallyDialog(ctx, rubric, YEAR)
    qtbot.addWidget(dlg)
    dlg.import_sheet(str(sheet))
    lines = [dlg.done_list.item(i).text() for i in range(dlg.done_list.count())]
    assert lines[0] == "已录入：电子商务协会　80分"
    assert any(x.startswith("未录入：不存在的商会") for x in lines)
    assert any(x.startswith("未录入：城关镇商会") and "定稿" in x for x in lines)
    assert dlg.entered == ["电子商务协会"]


def test_tally_button_on_the_checklist_page(tab, monkeypatch):
    tab.rubric_box.setCurrentIndex(tab.rubric_box.findData("tongzhou-kaoping"))
    tab.target_box.setCurrentIndex(tab.target_box.findText("电子商务协会"))
    tab.tabs.setCurrentIndex(0)
    assert tab.tally_button.isVisibleTo(tab) and tab.tally_button.isEnabled()

    def fill(dlg):
        dlg.scores.setPlainText("88, 92")
        dlg.save()
        return dlg.result()

    monkeypatch.setattr(TallyDialog, "exec", fill)
    assert tab.enter_tally()
    assert tab.result.item("democratic").value == 90
    tab.rubric_box.setCurrentIndex(tab.rubric_box.findData("wuyou-wuhao"))
    assert not tab.tally_button.isVisibleTo(tab)


def test_export_from_the_tab(tab, tmp_path):
    out = tab.year_end.export(str(tmp_path / "进度.xlsx"))
    ws = load_workbook(out).active
    assert ws["A1"].value.startswith(f"{YEAR}年度基层商会年终考评进度")
    assert ws.max_row >= 3 + 12


def test_override_a_computed_veto_with_its_reason(tab, monkeypatch):
    from tests.gui.conftest import answer_override

    tab.rubric_box.setCurrentIndex(tab.rubric_box.findData("tongzhou-kaoping"))
    tab.target_box.setCurrentIndex(tab.target_box.findText("桃源乡商会"))
    tab.tabs.setCurrentIndex(0)
    assert tab.result.item("statistics_filed").status == "fail"
    answer_override(monkeypatch, lambda dlg: dlg.value.setCurrentIndex(dlg.value.findData(True)),
                    "统计表已于1月20日当面报送，登记遗漏")
    assert tab.override_item("statistics_filed")
    it = tab.result.item("statistics_filed")
    assert it.status == "pass" and "未收到统计表" in it.explanation and "当面报送" in it.explanation
    assert "未按要求填写上报年度基层商会工作情况统计表" not in tab.result.veto_reasons
    assert tab.input_widget("statistics_filed").text() == "已改判：是（修改…）"  # changed through 改判 only
    assert tab.save()
    with tab.ctx.db.session() as s:
        cid = find_chamber(s, "桃源乡商会").id
        kept = stored_inputs(get_assessment(s, "tongzhou-kaoping", YEAR, cid))["statistics_filed"]
    assert kept == {"value": True, "override": True, "note": "统计表已于1月20日当面报送，登记遗漏"}
    tab.set_override("statistics_filed", None)
    assert tab.result.item("statistics_filed").status == "fail"


def test_previewed_selfcheck_counts_once_printed_or_saved(qtbot, ctx, tmp_path, monkeypatch):
    from chamberdesk.gui.dialogs.print_preview import PrintPreviewDialog
    from chamberdesk.gui.pages.print_panel import note_printed
    from chamberdesk.io.pdf.jobs import PrintRequest, run

    with ctx.db.session() as s:
        cid = find_chamber(s, "东关街道商会").id
    this_year = date.today().year
    req = PrintRequest(form="selfcheck", rubric_id="tongzhou-kaoping", year=this_year, targets=[cid],
                       extra={"preview": True})
    pdf = run(ctx.db, req, tmp_path / "自查表.pdf")[0]
    with ctx.db.session() as s:
        assert yearend.find(s, cid, this_year) is None  # previewed only
    dlg = PrintPreviewDialog(pdf, "打印预览", suggested_name="自查表.pdf", on_output=lambda: note_printed(ctx, req))
    qtbot.addWidget(dlg)
    monkeypatch.setattr("chamberdesk.gui.widgets.files.ask_save_path", lambda *a, **k: tmp_path / "另存.pdf")
    monkeypatch.setattr("chamberdesk.gui.widgets.files.notify_saved", lambda *a, **k: None)
    dlg.save_as()
    with ctx.db.session() as s:
        assert yearend.find(s, cid, this_year).selfcheck_printed_on == date.today()
    dlg.done(0)
