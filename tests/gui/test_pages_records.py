"""工作台, 商会, 会议, 活动与走访 driven through their real widgets on a copy of the demo county."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlmodel import select

from chamberdesk.core import chambers as chamber_svc
from chamberdesk.core import contacts as contact_svc
from chamberdesk.core import evidence, meetings
from chamberdesk.core.choices import ChamberKind
from chamberdesk.core.members import MemberFilter, member_ids, members_by_ids
from chamberdesk.core.models import Chamber, Meeting
from chamberdesk.gui.pages.meetings import select_id
from chamberdesk.gui.qtmodels.record_tables import BADGES_ROLE, ID_ROLE, Badge

# --- fixtures (own names, so they never clash with the shared GUI fixtures) ---------------------


@pytest.fixture
def yes_to_questions(monkeypatch):
    asked: list[str] = []

    def answer(_parent, title, text, *a, **k):
        asked.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    return asked


def show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


def in_modal(action: Callable, tries: int = 60) -> list:
    """Run `action(dialog)` once a modal dialog is up (exec() blocks the test until it closes)."""
    seen: list = []

    def attempt(left: int) -> None:
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            if left:
                QTimer.singleShot(50, lambda: attempt(left - 1))
            return
        seen.append(dlg)
        try:
            action(dlg)
        finally:
            if dlg.isVisible():
                dlg.reject()

    QTimer.singleShot(50, lambda: attempt(tries))
    return seen


def chamber_id(ctx, name: str) -> int:
    with ctx.db.session() as s:
        return chamber_svc.find_chamber(s, name).id


def meeting_count(ctx) -> int:
    with ctx.db.session() as s:
        return len(meetings.list_meetings(s))


# --- 会议 ---------------------------------------------------------------------------------------


def test_meeting_quick_form_saves_and_lists(qtbot, ctx, tmp_path):
    from chamberdesk.gui.pages.meetings import Page

    page = show(qtbot, Page(ctx))
    form = page.form
    assert form.when.date().toPython() == date.today()
    assert form.owner.currentData() is None  # first use: 本级工商联

    cid = chamber_id(ctx, "柳河镇商会")
    form.owner.setCurrentIndex(form.owner.findData(cid))
    form.body.setCurrentIndex(form.body.findData("council"))
    form.place.setText("")
    qtbot.keyClicks(form.place, "Room 301")
    form.expected.setValue(20)
    form.present.setValue(18)
    form.agenda.setPlainText("研究年度会员发展工作")
    # attendees from the ledger: the picker lists the chamber's own members; add the first two
    form.attendees.run_search()
    assert form.attendees.results.count() > 2
    form.attendees.results.item(0).setSelected(True)
    form.attendees.results.item(1).setSelected(True)
    form.attendees.add_highlighted()
    picked = form.attendees.selected_ids()
    assert len(picked) == 2
    # a file dropped onto the form becomes evidence when the meeting is saved
    scan = tmp_path / "签到表.pdf"
    scan.write_bytes(b"%PDF-1.4 sign-in sheet")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(scan))])
    pos = QPointF(form.rect().center())
    enter = QDragEnterEvent(form.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(form, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(form, QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                            Qt.KeyboardModifier.NoModifier))
    assert [p.name for p in form.evidence.pending_paths()] == ["签到表.pdf"]

    before = meeting_count(ctx)
    qtbot.waitUntil(form.save_button.isEnabled, timeout=2000)
    with qtbot.waitSignal(ctx.data_changed, timeout=2000) as sig:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert sig.args == ["meeting"]
    assert meeting_count(ctx) == before + 1

    with ctx.db.session() as s:
        m = s.get(Meeting, form.record_id)
        assert (m.chamber_id, m.body, m.place, m.expected_count, m.present_count) == (cid, "council", "Room 301", 20, 18)
        assert sorted(meetings.attendee_ids(s, m.id)) == sorted(picked)
        files = evidence.files_for(s, "meeting", m.id)
        assert [f.filename for f in files] == ["签到表.pdf"]
        assert evidence.path_of(ctx.db, files[0]).read_bytes() == scan.read_bytes()
    # listed and selected in the table (this year, all owners)
    row = page.model.row_of_id(m.id)
    assert row >= 0
    assert page.table.currentIndex().data(ID_ROLE) == m.id
    assert page.model.row_object(row).owner == "柳河镇商会"
    # the stored file is listed on the form; double-click opens it with the system viewer
    opened = []
    import chamberdesk.gui.dialogs.meeting_editor as me

    orig = me.QDesktopServices.openUrl
    me.QDesktopServices.openUrl = staticmethod(lambda url: opened.append(url.toLocalFile()) or True)
    try:
        item = form.evidence.list.item(0)
        assert item.text().startswith("签到表.pdf")
        form.evidence.open_item(item)
    finally:
        me.QDesktopServices.openUrl = orig
    assert opened and opened[0].endswith(files[0].sha256)

    # the next new meeting starts from the owner used last, remembered across pages
    page.new_record()
    assert form.owner.currentData() == cid
    page2 = show(qtbot, Page(ctx))
    assert page2.form.owner.currentData() == cid


def test_meeting_with_more_present_than_expected_is_refused(qtbot, ctx):
    from chamberdesk.gui.pages.meetings import Page

    page = show(qtbot, Page(ctx))
    form = page.form
    form.agenda.setPlainText("研究年度工作")
    qtbot.waitUntil(form.save_button.isEnabled, timeout=2000)
    form.body.setCurrentIndex(form.body.findData("standing_committee"))
    form.expected.setValue(10)
    form.present.setValue(12)
    qtbot.waitUntil(lambda: not form.save_button.isEnabled(), timeout=2000)
    _widget, label = form.errors.fields["present_count"]
    assert label.isVisible()
    assert "实到人数不能多于应到人数" in label.text()
    assert form.present.property("invalid") is True

    before = meeting_count(ctx)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)  # disabled: nothing happens
    assert form.save() is False  # Ctrl+S takes the same path
    assert meeting_count(ctx) == before

    form.present.setValue(9)
    qtbot.waitUntil(form.save_button.isEnabled, timeout=2000)
    assert not label.isVisible()
    assert form.save() is True
    assert meeting_count(ctx) == before + 1


def test_untouched_meeting_form_saves_nothing(qtbot, ctx):
    """The pre-filled quick form (owner, body, today) is not a meeting until it has its 议题."""
    from chamberdesk.gui.pages.meetings import Page

    page = show(qtbot, Page(ctx))
    before = meeting_count(ctx)
    assert page.form.save() is False
    assert meeting_count(ctx) == before
    _widget, label = page.form.errors.fields["agenda"]
    assert "请填写会议议题" in label.text()


def test_meeting_filters_and_navigation_target(qtbot, ctx):
    from chamberdesk.gui.pages.meetings import Page

    page = show(qtbot, Page(ctx))
    cid = chamber_id(ctx, "城关镇商会")
    year = date.today().year
    page.show_target({"chamber_id": cid, "year": year, "quarter": 1})
    with ctx.db.session() as s:
        expected = meetings.list_meetings(s, chamber_id=cid, year=year, quarter=1)
    assert page.model.rowCount() == len(expected) > 0
    assert {page.model.row_object(i).owner for i in range(page.model.rowCount())} == {"城关镇商会"}
    page.show_target({"chamber_id": None, "year": year})
    with ctx.db.session() as s:
        fed = meetings.list_meetings(s, federation=True, year=year)
    assert page.model.rowCount() == len(fed)


def test_meeting_delete_and_undo(qtbot, ctx, yes_to_questions):
    from chamberdesk.gui.pages.meetings import Page

    page = show(qtbot, Page(ctx))
    page.table.selectRow(0)
    mid = page.table.currentIndex().data(ID_ROLE)
    before = meeting_count(ctx)
    page.delete_selected()
    assert yes_to_questions
    assert meeting_count(ctx) == before - 1
    assert page.model.row_of_id(mid) < 0
    page.undo()
    assert meeting_count(ctx) == before
    assert page.model.row_of_id(mid) >= 0


# --- 活动与走访 -----------------------------------------------------------------------------------


def test_activity_form_saves_outcome_figures(qtbot, ctx):
    from chamberdesk.core.activities import list_activities, participant_ids
    from chamberdesk.gui.pages.activities import Page

    page = show(qtbot, Page(ctx))
    form = page.activities.form
    assert not form.save_button.isEnabled()  # category and title are required
    form.category.setCurrentIndex(form.category.findData("charity"))
    qtbot.keyClicks(form.title, "Charity fair")
    form.participants.setValue(40)
    form.member_count.setValue(50)  # more members than participants
    label = form.errors.fields["member_participants"][1]
    qtbot.waitUntil(label.isVisible, timeout=2000)
    assert "会员参加人数不能多于参加人数" in label.text()
    assert not form.save_button.isEnabled()
    form.member_count.setValue(12)
    form.amount.setValue(8.5)
    form.items.setValue(3)
    form.picker.search.setText("清河县")
    form.picker.run_search()
    form.picker.add_all_results()
    n = len(form.picker.selected_ids())
    assert n > 0
    qtbot.waitUntil(form.save_button.isEnabled, timeout=2000)
    assert form.save() is True
    with ctx.db.session() as s:
        acts = [a for a in list_activities(s, year=date.today().year) if a.title == "Charity fair"]
        assert len(acts) == 1
        a = acts[0]
        assert (a.chamber_id, a.amount, a.item_count, a.participant_count, a.member_participants) == (None, 8.5, 3, 40, 12)
        assert len(participant_ids(s, a.id)) == n
    assert page.activities.model.row_of_id(a.id) >= 0


def _unvisited_member(ctx, cid: int) -> tuple[int, str]:
    """A member of the chamber with no contact at all this year, and its phone (ASCII, safe to type)."""
    year = date.today().year
    with ctx.db.session() as s:
        ids = member_ids(s, MemberFilter(chamber_id=cid))
        reached = {c.member_id for c in contact_svc.list_contacts(s, year=year)}
        mid = next(i for i in ids if i not in reached)
        return mid, members_by_ids(s, [mid])[mid].rep_phone


def test_logging_a_contact_updates_coverage(qtbot, ctx):
    from chamberdesk.gui.pages.activities import Page

    page = show(qtbot, Page(ctx))
    page.show_target({"tab": "contacts", "chamber_id": None})
    assert page.tabs.currentWidget() is page.contacts
    cid = chamber_id(ctx, "桃源乡商会")
    tab = page.contacts
    tab.owner.setCurrentIndex(tab.owner.findData(cid))
    before = tab.coverage_of(cid)
    idx = tab.cov_model.index(tab.cov_model.row_of_id(cid), 3)
    shown_before = idx.data()
    mid, phone = _unvisited_member(ctx, cid)

    def fill(dlg):
        assert dlg.owner.currentData() == cid  # the tab's chamber is preset
        assert dlg.way.currentData() == "visit"  # 实地走访 first
        assert not dlg.save_button.isEnabled()  # no member yet
        dlg.picker.search.setText(phone)
        dlg.picker.run_search()
        assert dlg.picker.results.count() == 1
        dlg.picker.results.setCurrentRow(0)
        qtbot.keyClicks(dlg.by_whom, "Li")
        assert dlg.save_button.isEnabled()
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)

    seen = in_modal(fill)
    with qtbot.waitSignal(ctx.data_changed, timeout=5000):
        qtbot.mouseClick(tab.log_button, Qt.MouseButton.LeftButton)
    assert seen
    after = tab.coverage_of(cid)
    assert after.visited == before.visited + 1
    assert after.contacted == before.contacted + 1
    assert after.members == before.members
    with ctx.db.session() as s:
        cov = contact_svc.coverage(s, cid, date.today().year)
    assert (cov.visited, cov.contacted) == (after.visited, after.contacted)
    assert tab.cov_model.index(tab.cov_model.row_of_id(cid), 3).data() != shown_before or before.members > 100
    # the new contact is listed
    assert any(tab.model.row_object(i).way == "实地走访" and tab.model.row_object(i).by_whom == "Li"
               for i in range(tab.model.rowCount()))


def test_contact_dialog_for_a_member_is_three_clicks(qtbot, ctx):
    from chamberdesk.gui.dialogs.contact_dialog import ContactDialog

    cid = chamber_id(ctx, "城关镇商会")
    with ctx.db.session() as s:
        mid = member_ids(s, MemberFilter(chamber_id=cid))[0]
    dlg = ContactDialog(ctx, member_id=mid)
    qtbot.addWidget(dlg)
    # member, its chamber, today and 实地走访 are preset: 保存 is the only click left
    assert dlg.owner.currentData() == cid
    assert dlg.save_button.isEnabled()
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        got = contact_svc.list_contacts(s, member_id=mid)[0]
    assert (got.date, got.way, got.chamber_id) == (date.today(), "visit", cid)


# --- 商会 ---------------------------------------------------------------------------------------


def test_overdue_chamber_shows_red_badge(qtbot, ctx):
    from chamberdesk.gui.pages.chambers import Page

    page = show(qtbot, Page(ctx))
    cid = chamber_id(ctx, "桃源乡商会")  # the demo's chamber whose term ended last year
    row = page.model.row_of_id(cid)
    badges = page.model.index(row, len(page.model.columns) - 1).data(BADGES_ROLE)
    assert Badge("已届满未换届", "error") in badges
    term_cell = page.model.index(row, 3)
    assert term_cell.data(Qt.ItemDataRole.ForegroundRole).name() == "#b3261e"
    # a chamber whose term is in order carries no term badge
    ok_row = page.model.row_of_id(chamber_id(ctx, "城关镇商会"))
    assert not any(b.text in ("已届满未换届", "即将届满")
                   for b in page.model.index(ok_row, len(page.model.columns) - 1).data(BADGES_ROLE))

    page.show_target(cid)
    d = page.detail
    assert d.chamber_id == cid
    assert d.term.property("status") == "overdue"
    assert "尚未换届" in d.term.text()
    assert "已届满未换届" in d.badges.text()
    assert "走访" in d.coverage.text() or "实地走访" in d.coverage.text()
    assert "五有五好" in d.standing.text()  # the rubric engine's verdict
    # the 需关注 filter keeps it, the 即将届满 filter does not
    page.show_target({"attention": "overdue"})
    assert [page.model.row_object(i).id for i in range(page.model.rowCount())] == [cid]


def test_due_term_is_amber_and_detail_navigates(qtbot, ctx):
    from chamberdesk.gui.pages.chambers import Page

    page = show(qtbot, Page(ctx))
    cid = chamber_id(ctx, "福州清河商会")  # term ends in 45 days in the demo
    page.show_target(cid)
    row = page.model.row_of_id(cid)
    assert Badge("即将届满", "warn") in page.model.index(row, len(page.model.columns) - 1).data(BADGES_ROLE)
    assert page.detail.term.property("status") == "due"
    with qtbot.waitSignal(ctx.navigate, timeout=1000) as sig:
        qtbot.mouseClick(page.detail.members_button, Qt.MouseButton.LeftButton)
    assert sig.args == ["members", {"chamber_id": cid}]
    with qtbot.waitSignal(ctx.navigate, timeout=1000) as sig:
        qtbot.mouseClick(page.detail.contacts_button, Qt.MouseButton.LeftButton)
    assert sig.args[0] == "activities" and sig.args[1]["tab"] == "contacts"


def test_chamber_editor_validates_inline_and_saves(qtbot, ctx):
    from chamberdesk.gui.dialogs.chamber_editor import ChamberEditor
    from chamberdesk.gui.pages.chambers import Page

    page = show(qtbot, Page(ctx))
    dlg = ChamberEditor(ctx, parent=page)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.save_button.isEnabled()
    assert not dlg.errors.fields["name"][1].isVisible()  # an untouched form is not scolded
    qtbot.keyClicks(dlg.f["name"], "X")  # touch, then use an existing name
    dlg.f["name"].setText("城关镇商会")
    dlg.f["kind"].setCurrentIndex(dlg.f["kind"].findData(ChamberKind.INDUSTRY.value))
    qtbot.waitUntil(lambda: dlg.errors.fields["name"][1].isVisible(), timeout=2000)
    assert "已有同名商会" in dlg.errors.fields["name"][1].text()
    assert not dlg.save_button.isEnabled()
    dlg.f["name"].setText("物流业商会")
    dlg.f["term_start"].set_value(date(2024, 1, 1))
    dlg.f["term_end"].set_value(date(2023, 1, 1))
    qtbot.waitUntil(lambda: dlg.errors.fields["term_end"][1].isVisible(), timeout=2000)
    assert "晚于起始日期" in dlg.errors.fields["term_end"][1].text()
    dlg.f["term_end"].set_value(date.today() - timedelta(days=3))
    qtbot.waitUntil(dlg.save_button.isEnabled, timeout=2000)
    dlg.save()
    assert dlg.saved_id is not None
    page.show_target(dlg.saved_id)
    row = page.model.row_of_id(dlg.saved_id)
    assert page.model.row_object(row).name == "物流业商会"
    assert Badge("已届满未换届", "error") in page.model.row_object(row).badges


def test_chamber_editor_reports_a_conflict(qtbot, ctx, monkeypatch):
    from chamberdesk.gui.dialogs.chamber_editor import ChamberEditor

    cid = chamber_id(ctx, "建筑业商会")
    dlg = ChamberEditor(ctx, cid)
    qtbot.addWidget(dlg)
    with ctx.db.transaction() as s:  # someone else saves first
        chamber_svc.update_chamber(s, cid, {"president_name": "别人"})
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, t, m, *a, **k: warned.append(m)))
    dlg.f["president_name"].setText("张三")
    dlg.save()
    assert warned and "已被他人修改" in warned[0]
    assert dlg.result() != dlg.DialogCode.Accepted
    with ctx.db.session() as s:
        assert s.get(Chamber, cid).president_name == "别人"


def test_chamber_soft_delete_and_undo(qtbot, ctx, yes_to_questions):
    from chamberdesk.gui.pages.chambers import Page

    page = show(qtbot, Page(ctx))
    cid = chamber_id(ctx, "餐饮业商会")
    page.show_target(cid)
    n = page.model.rowCount()
    page.delete_selected()
    assert page.model.rowCount() == n - 1
    with ctx.db.session() as s:
        assert s.get(Chamber, cid).deleted_at is not None
    page.undo()
    assert page.model.rowCount() == n
    assert page.detail.chamber_id == cid


# --- 工作台 -------------------------------------------------------------------------------------


def _hand_counts(path) -> dict:
    """The same figures counted with plain SQL on the file, independently of the core."""
    today = date.today().isoformat()
    last = date(date.today().year - 1, 12, 31).isoformat()
    y0 = date(date.today().year, 1, 1).isoformat()
    con = sqlite3.connect(path)
    try:
        def one(sql, *p):
            return con.execute(sql, p).fetchone()[0]

        live = "deleted_at IS NULL"
        members_at = (f"SELECT count(*) FROM member WHERE {live} AND (join_date IS NULL OR join_date <= ?) "
                      "AND (leave_date IS NULL OR leave_date > ?)")
        out = {
            "members_now": one(members_at, today, today),
            "members_last": one(members_at, last, last),
            "new": one(f"SELECT count(*) FROM member WHERE {live} AND join_date >= ? AND join_date <= ?", y0, today),
            "kinds": dict(con.execute(f"SELECT kind, count(*) FROM chamber WHERE {live} AND status='active' "
                                      "GROUP BY kind").fetchall()),
            "activities": one(f"SELECT count(*) FROM activity WHERE {live} AND date >= ?", y0),
        }
        q = {}
        for qn in range(1, 5):
            start = date(date.today().year, 3 * qn - 2, 1)
            end = date(start.year + 1, 1, 1) if qn == 4 else date(start.year, 3 * qn + 1, 1)
            q[qn] = (one(f"SELECT count(*) FROM activity WHERE {live} AND chamber_id IS NULL AND date >= ? AND date < ?",
                         start.isoformat(), end.isoformat()),
                     one(f"SELECT count(*) FROM activity WHERE {live} AND chamber_id IS NOT NULL AND date >= ? AND date < ?",
                         start.isoformat(), end.isoformat()))
        out["quarters"] = q
        return out
    finally:
        con.close()


def test_dashboard_figures_match_hand_counts(qtbot, ctx, demo_path):
    from chamberdesk.gui.pages.dashboard import Page

    page = show(qtbot, Page(ctx))
    hand = _hand_counts(demo_path)
    f = page.figures
    assert f.members_now == hand["members_now"]
    assert f.members_last_year == hand["members_last"]
    assert f.new_members == hand["new"]
    assert f.activities_total == hand["activities"]
    assert f.activities_by_quarter == hand["quarters"]
    assert {k: v for k, v in f.chambers_by_kind.items() if v} == hand["kinds"]
    # what the clerk sees is those figures
    assert page.t_members.value.text() == f"{hand['members_now']:,}"
    assert page.t_new.value.text() == f"{hand['new']:,}"
    assert page.t_activities.value.text() == str(hand["activities"])
    growth = (hand["members_now"] - hand["members_last"]) / hand["members_last"] * 100
    assert f"{growth:+.1f}%" in page.t_members.note.text()
    assert {k: int(s.value()) for k, s in page.kind_slices.items()} == hand["kinds"]
    ch, fed = page.quarter_sets
    assert [int(ch.at(i)) for i in range(4)] == [hand["quarters"][q][1] for q in range(1, 5)]
    assert [int(fed.at(i)) for i in range(4)] == [hand["quarters"][q][0] for q in range(1, 5)]
    # the demo's overdue chamber heads the term list, in red
    assert page.terms.item(0).text().startswith("桃源乡商会")


def test_dashboard_items_navigate(qtbot, ctx):
    from chamberdesk.gui.pages.dashboard import Page

    page = show(qtbot, Page(ctx))
    qtbot.waitExposed(page)
    cid = chamber_id(ctx, "桃源乡商会")
    # a real click on the first line of the term list
    item = page.terms.item(0)
    rect = page.terms.visualItemRect(item)
    with qtbot.waitSignal(ctx.navigate, timeout=1000) as sig:
        qtbot.mouseClick(page.terms.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == ["chambers", cid]
    # the chambers missing a condition
    issue_rows = [page.issues.item(i) for i in range(page.issues.count())]
    target = next(it for it in issue_rows if it.text().startswith("桃源乡商会"))
    assert "五有五好" in target.text()
    with qtbot.waitSignal(ctx.navigate, timeout=1000) as sig:
        qtbot.mouseClick(page.issues.viewport(), Qt.MouseButton.LeftButton,
                         pos=page.issues.visualItemRect(target).center())
    assert sig.args == ["chambers", cid]
    # a real click on the first quarter's bar
    chart = page.quarters_chart
    series = page.quarter_series
    ch_count = page.figures.activities_by_quarter[1][1]
    scene_pt = chart.mapToPosition(QPointF(0, ch_count / 2), series)
    view_pt = page.quarters_view.mapFromScene(chart.mapToScene(scene_pt))
    with qtbot.waitSignal(ctx.navigate, timeout=1000) as sig:
        qtbot.mouseClick(page.quarters_view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(view_pt.x(), view_pt.y()))
    assert sig.args == ["activities", {"year": date.today().year, "quarter": 1}]
    # a pie slice and a tile
    with qtbot.waitSignal(ctx.navigate, timeout=1000) as sig:
        page.kind_slices["township"].clicked.emit()
    assert sig.args == ["chambers", {"kind": "township"}]
    with qtbot.waitSignal(ctx.navigate, timeout=1000) as sig:
        qtbot.mouseClick(page.t_attention, Qt.MouseButton.LeftButton)
    assert sig.args == ["chambers", {"attention": "unmet"}]


def test_a_chamber_missing_one_required_rule_fails_everywhere(qtbot, ctx):
    """东关街道商会 has everything but 活动制度: the badge, the pane and the dashboard all say it fails 四有."""
    from chamberdesk import rules
    from chamberdesk.gui.pages.chambers import Page as Chambers
    from chamberdesk.gui.pages.dashboard import Page as Dashboard

    cid = chamber_id(ctx, "东关街道商会")
    with ctx.db.session() as s:
        report = rules.chamber_conditions(s, date.today().year)
    res = report.chambers[cid].results["siyou"]
    assert res.passed is False and [i.id for i in res.items if i.status == "fail"] == ["rules"]

    page = show(qtbot, Chambers(ctx))
    row = page.model.row_of_id(cid)
    assert Badge("未达“四有”", "error") in page.model.index(row, len(page.model.columns) - 1).data(BADGES_ROLE)
    page.show_target(cid)
    assert "未达“四有”" in page.detail.badges.text()
    assert "正常" not in page.detail.badges.text()
    standing = page.detail.standing.text()
    assert "未达到" in standing and "缺活动制度" in standing
    # the filter keeps exactly the chambers the engine fails
    page.show_target({"attention": "unmet"})
    shown = {page.model.row_object(i).id for i in range(page.model.rowCount())}
    assert shown == {c.chamber_id for c in report.failing()}

    dash = show(qtbot, Dashboard(ctx))
    listed = {dash.issues.item(i).text().split("　")[0] for i in range(dash.issues.count())}
    assert "东关街道商会" in listed and "城关镇商会" in listed
    assert listed == {c.name for c in report.failing()}
    assert dash.t_attention.value.text() == str(len(report.failing()))


def test_pages_follow_the_navigation_targets_the_dashboard_sends(qtbot, ctx):
    from chamberdesk.gui.pages.activities import Page as Activities
    from chamberdesk.gui.pages.chambers import Page as Chambers

    chambers_page = show(qtbot, Chambers(ctx))
    chambers_page.show_target({"kind": "township"})
    kinds = {chambers_page.model.row_object(i).kind for i in range(chambers_page.model.rowCount())}
    assert kinds == {"乡镇商会"}
    acts = show(qtbot, Activities(ctx))
    year = date.today().year
    acts.show_target({"year": year, "quarter": 1, "chamber_id": None})
    rows = [acts.activities.model.row_object(i) for i in range(acts.activities.model.rowCount())]
    assert rows and all(r.owner == "本级工商联" and r.date.month <= 3 and r.date.year == year for r in rows)


# --- printing from the record pages (Ctrl+P) ------------------------------------------------------


@pytest.fixture
def told(monkeypatch):
    """QMessageBox.information calls, answered at once: what the clerk was told."""
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda _p, title, text, *a, **k: said.append(text)))
    return said


def preview_text(page) -> str:
    """Wait for the page's print job, then the text of the PDF its preview shows."""
    from pypdf import PdfReader

    from chamberdesk.gui.dialogs.print_preview import PrintPreviewDialog

    assert page.print_task.wait(60000)
    dlg = page.preview
    assert isinstance(dlg, PrintPreviewDialog) and dlg.isVisible()
    assert dlg.pages.page_count() >= 1 and not dlg.image.pixmap().isNull()
    text = "".join(p.extract_text() for p in PdfReader(dlg.pdf_path).pages)
    dlg.close()
    return text.replace("\n", "")


def test_ctrl_p_in_the_window_previews_the_selected_meetings_minutes(qtbot, ctx, told):
    from chamberdesk.core.models import MeetingAttendee, Member
    from chamberdesk.gui.main_window import MainWindow

    win = show(qtbot, MainWindow(ctx.db))
    win.navigate("meetings")
    page = win.current_page()
    page.table.clearSelection()
    win.actions_by_method["print_current"].trigger()
    assert told == ["请先在列表中选择要打印纪要的会议。"]

    with ctx.db.session() as s:
        m = s.exec(select(Meeting).where(Meeting.chamber_id == chamber_id(ctx, "城关镇商会"))
                   .join(MeetingAttendee, MeetingAttendee.meeting_id == Meeting.id)).first()
        who = s.exec(select(Member.rep_name).join(MeetingAttendee, MeetingAttendee.member_id == Member.id)
                     .where(MeetingAttendee.meeting_id == m.id)).first()
    page.filters.year.setCurrentIndex(page.filters.year.findData(None))
    assert select_id(page.table, page.model, m.id)
    win.actions_by_method["print_current"].trigger()
    text = preview_text(page)
    assert "城关镇商会" in text and "会议纪要" in text and who in text
    assert m.date.isoformat() in page.preview.suggested_name


def test_meetings_print_button_prints_the_selected_meeting(qtbot, ctx):
    from chamberdesk.gui.pages.meetings import Page

    page = show(qtbot, Page(ctx))
    page.filters.year.setCurrentIndex(page.filters.year.findData(None))
    page.table.selectRow(0)
    row = page.model.row_object(0)
    page.print_button.click()
    text = preview_text(page)
    assert f"{row.owner}{row.body}会议纪要" in text


def test_activity_list_prints_exactly_the_filtered_quarter(qtbot, ctx, told):
    from chamberdesk.core import activities as act_svc
    from chamberdesk.gui.pages.activities import Page

    page = show(qtbot, Page(ctx))
    tab = page.activities
    cid = chamber_id(ctx, "城关镇商会")
    page.show_target({"chamber_id": cid, "year": 2025, "quarter": 2})
    with ctx.db.session() as s:
        shown = act_svc.list_activities(s, chamber_id=cid, year=2025, quarter=2)
        others = [a for a in act_svc.list_activities(s, chamber_id=cid, year=2025) if a not in shown]
    assert shown and others and tab.model.rowCount() == len(shown)
    page.print_button.click()
    text = preview_text(page)
    assert "城关镇商会2025年第二季度活动记录" in text
    assert "筛选：单位=城关镇商会；年度=2025年；季度=第二季度" in text
    assert f"共 {len(shown)} 项" in text
    from chamberdesk.core.dates import chinese_date

    for a in shown:
        assert chinese_date(a.date) in text
    for a in others:
        assert chinese_date(a.date) not in text

    tab.filters.text.setText("没有这样的活动")
    page.print_current()
    assert told[-1].startswith("当前筛选条件下没有活动记录")
    page.tabs.setCurrentWidget(page.contacts)
    assert not page.print_button.isVisible()
    page.print_current()
    assert "走访联系记录暂不提供打印" in told[-1]


def test_chamber_print_menu_offers_year_record_and_roster(qtbot, ctx, told):
    from chamberdesk.gui.pages.chambers import Page

    page = show(qtbot, Page(ctx))
    page.model.set_rows([])  # nothing in the list, nothing selected
    page.print_current()
    assert told == ["请先在列表中选择要打印的商会。"]

    page.refresh()
    page.show_target(chamber_id(ctx, "城关镇商会"))
    page.print_current()
    qtbot.waitUntil(page.print_menu.isVisible)
    labels = [a.text() for a in page.print_menu.actions()]
    years = page.print_years()
    assert labels == [f"{years[0]}年度工作情况…", f"{years[1]}年度工作情况…", "会员名册…"]
    page.print_menu.actions()[0].trigger()
    page.print_menu.close()
    text = preview_text(page)
    assert f"城关镇商会{years[0]}年度工作情况" in text and "一、基本情况" in text

    page.print_roster()
    text = preview_text(page)
    assert "城关镇商会会员名册" in text and "在册会员" in text


def test_a_reader_gets_no_write_buttons_on_the_records_pages_but_can_print(qtbot, ctx, monkeypatch):
    from chamberdesk.core import accounts
    from chamberdesk.gui.pages.activities import Page as ActivitiesPage
    from chamberdesk.gui.pages.chambers import Page as ChambersPage
    from chamberdesk.gui.pages.meetings import Page as MeetingsPage

    clerk = show(qtbot, MeetingsPage(ctx))  # accounts off: the one clerk may write
    clerk.filters.year.setCurrentIndex(clerk.filters.year.findData(None))
    clerk.table.selectRow(0)
    assert clerk.new_button.isEnabled() and clerk.delete_button.isEnabled() and clerk.form.save_button.isEnabled()

    monkeypatch.setattr(accounts, "_N", 2**10)  # cheap hashes: roles are what is tested here
    with ctx.db.transaction() as s:
        accounts.enable_accounts(s, "admin", "Shiyan#2024")
        accounts.create_user(s, "chakan", "Kanyikan2024", "只读")
    accounts.login(ctx.db, "chakan", "Kanyikan2024")
    chs, mts, acts = show(qtbot, ChambersPage(ctx)), show(qtbot, MeetingsPage(ctx)), show(qtbot, ActivitiesPage(ctx))
    chs.show_target(chamber_id(ctx, "城关镇商会"))
    mts.filters.year.setCurrentIndex(mts.filters.year.findData(None))
    mts.table.selectRow(0)
    acts.activities.table.selectRow(0)
    forms = [mts.form, acts.activities.form]
    writes = [chs.new_button, chs.edit_button, chs.delete_button, mts.new_button, mts.delete_button,
              acts.new_button, acts.delete_button, acts.contacts.log_button]
    writes += [b for f in forms for b in (f.save_button, f.clear_button, f.evidence.add_button)]
    for b in writes:
        assert not b.isEnabled(), b.text()
        assert "只读" in b.toolTip(), b.text()
    # the quick form turns 保存 on after each validation; for a reader it stays off
    for f in forms:
        assert f.validate()
        assert not f.save_button.isEnabled()
    n = meeting_count(ctx)
    mts.delete_selected()  # the Delete key: nothing happens, nothing is asked
    assert meeting_count(ctx) == n
    # reading and printing stay open to a reader
    assert chs.print_button.isEnabled() and mts.print_button.isEnabled() and acts.print_button.isEnabled()
    mts.print_current()
    assert "会议纪要" in preview_text(mts)
