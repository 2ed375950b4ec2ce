"""到会商会 in the meeting and activity forms: 全部出席 then the exceptions, saved with the record; a sign-in
sheet with an unknown name; a chamber's own meeting takes no roll-call; a reader sees it greyed."""

from __future__ import annotations

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from chamberdesk.core import activities, attendance, meetings
from chamberdesk.gui.dialogs.rollcall_box import C_REASON, C_STATUS
from tests.gui.test_meeting_editor import click_row_of


def federation_meeting_without_roll_call(ctx) -> int:
    with ctx.db.session() as s:
        for m in meetings.list_meetings(s, federation=True):
            if not attendance.roll_call(s, "meeting", m.id).taken:
                return m.id
    raise AssertionError("the demo county has no federation meeting without a roll-call")


@pytest.fixture
def page(qtbot, ctx):
    from chamberdesk.gui.pages.meetings import Page

    p = Page(ctx)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    return p


def row_of(box, name: str) -> int:
    for i, r in enumerate(box.rows()):
        if r.name == name:
            return i
    raise AssertionError(name)


def test_all_present_then_a_leave_and_an_absence_saved_with_the_meeting(qtbot, ctx, page):
    mid = federation_meeting_without_roll_call(ctx)
    with ctx.db.session() as s:
        before = meetings.get_meeting(s, mid)
        expected = {c.name for c in attendance.expected_chambers(s, before.date)}
    click_row_of(page, mid)
    form = page.form
    box = form.rollcall
    assert form.tabs.isTabEnabled(form.ROLL_TAB)
    form.tabs.setCurrentWidget(box)
    assert {r.name for r in box.rows()} == expected and not box.entries()
    assert "尚未点名" in box.note.text()

    qtbot.mouseClick(box.all_button, Qt.MouseButton.LeftButton)
    leave, absent = row_of(box, "城关镇商会"), row_of(box, "桃源乡商会")
    combo = box.table.cellWidget(leave, C_STATUS)
    combo.setCurrentIndex(combo.findData("leave"))
    box.table.cellWidget(absent, C_STATUS).setCurrentIndex(box.table.cellWidget(absent, C_STATUS).findData("absent"))
    assert form.has_unsaved()  # leaving now would offer to save: no lost edits

    # a leave without its reason is not saved: the form says why, at once
    qtbot.waitUntil(lambda: "城关镇商会请假须填写事由" in form.summary.text(), timeout=2000)
    assert not form.save_button.isEnabled() and form.save() is False
    box.table.item(leave, C_REASON).setText("外出招商")
    qtbot.waitUntil(form.save_button.isEnabled, timeout=2000)
    with qtbot.waitSignal(form.saved, timeout=3000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        rc = attendance.roll_call(s, "meeting", mid)
        after = meetings.get_meeting(s, mid)
    marks = {r.name: (r.status, r.reason) for r in rc.rows}
    assert marks["城关镇商会"] == ("leave", "外出招商") and marks["桃源乡商会"] == ("absent", "")
    assert sum(1 for st, _ in marks.values() if st == "present") == len(expected) - 2
    assert after.version == before.version + 1 == form.version
    assert not form.has_unsaved() and "出席" in box.note.text()


def test_a_sign_in_sheet_with_an_unknown_name_in_the_activity_form(qtbot, ctx, tmp_path, monkeypatch):
    from chamberdesk.gui.pages.activities import Page

    with ctx.db.session() as s:
        aid = next(a.id for a in activities.list_activities(s, federation=True)
                   if not attendance.roll_call(s, "activity", a.id).taken)
    page = Page(ctx)
    qtbot.addWidget(page)
    page.show()
    click_row_of(page.activities, aid)
    form = page.activities.form
    wb = Workbook()
    wb.active.append(["商会名称", "到会情况", "事由"])
    wb.active.append(["城关镇", "出席", None])
    wb.active.append(["柳河镇商会", "请假", "会长住院"])
    wb.active.append(["光明街道商会", "出席", None])
    sheet = tmp_path / "签到表.xlsx"
    wb.save(sheet)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda _p, _t, text: shown.append(text)))
    report = form.rollcall.import_sheet(sheet)
    assert shown == [report]
    assert "导入2行，未导入1行" in report and "第4行（光明街道商会）：找不到该商会" in report
    assert "签到表中没有的在册商会（仍未点名）" in report
    qtbot.waitUntil(form.save_button.isEnabled, timeout=2000)
    assert form.save()
    with ctx.db.session() as s:
        marks = {r.name: (r.status, r.reason) for r in attendance.roll_call(s, "activity", aid).rows if r.status}
    assert marks == {"城关镇商会": ("present", ""), "柳河镇商会": ("leave", "会长住院")}


def test_a_chambers_meeting_has_no_roll_call_and_a_reader_sees_it_greyed(qtbot, ctx, page, reader):
    with ctx.db.session() as s:
        own = next(m.id for m in meetings.list_meetings(s) if m.chamber_id is not None)
        fed = next(m.id for m in meetings.list_meetings(s, federation=True))
    from chamberdesk.gui.pages.meetings import Page

    p = Page(ctx)
    qtbot.addWidget(p)
    p.show()
    click_row_of(p, own)
    assert not p.form.tabs.isTabEnabled(p.form.ROLL_TAB)
    click_row_of(p, fed)
    box = p.form.rollcall
    assert p.form.tabs.isTabEnabled(p.form.ROLL_TAB) and box.table.rowCount() > 0
    assert not box.all_button.isEnabled() and not box.import_button.isEnabled()
    assert "只读" in box.all_button.toolTip()
    assert not box.table.cellWidget(0, C_STATUS).isEnabled()
    assert not box.table.item(0, C_REASON).flags() & Qt.ItemFlag.ItemIsEditable


def test_the_assessment_page_shows_the_absence_veto_and_the_training_warning(qtbot, ctx, monkeypatch, tmp_path):
    from datetime import date

    from chamberdesk.gui.pages.assessment import Page

    monkeypatch.setattr("chamberdesk.paths.user_rubric_dir", lambda: tmp_path / "rubrics")
    page = Page(ctx)
    qtbot.addWidget(page)
    page.year_box.setCurrentIndex(page.year_box.findData(date.today().year - 1))
    page.rubric_box.setCurrentIndex(page.rubric_box.findData("tongzhou-kaoping"))
    page.target_box.setCurrentIndex(page.target_box.findText("桃源乡商会"))
    it = page.result.item("absences")
    assert it.status == "fail" and it.value == 3 and "全县商会秘书长业务培训班" in it.explanation
    text = page.summary.text()
    assert "一票否决" in text and "无故不参加区工商联组织的会议或活动3次以上" in text
    assert "撤销警示：全年无故不参加工商联组织的教育培训活动3次" in text

    # the computed veto can be contested (改判) only with a reason, through the one 改判 dialog
    button = page.input_widget("absences")
    assert button.text() == "改判…" and button.isEnabled()
    from tests.gui.conftest import answer_override

    answer_override(monkeypatch, lambda dlg: dlg.value.setValue(2), "9月22日培训事前已书面请假，经主席办公会认定")
    button.click()
    qtbot.waitUntil(lambda: page.result.item("absences").value == 2, timeout=3000)
    it = page.result.item("absences")
    assert it.status == "pass" and it.from_input and "台账：无故缺席3次" in it.explanation
    assert "理由：9月22日培训事前已书面请假" in it.explanation
    assert page.input_widget("absences").text() == "已改判：2（修改…）"
    assert "应在本年度内换届" in page.summary.text()  # its other veto stands
    page.set_override("absences", None)  # withdrawn: the ledger's figure again
    qtbot.waitUntil(lambda: page.result.item("absences").value == 3, timeout=3000)
