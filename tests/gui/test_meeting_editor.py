"""会议 form: opens a meeting from the service's read model, saves an edit, and is read-only for 只读."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent
from PySide6.QtWidgets import QApplication, QListWidget

from chamberdesk.core import accounts, evidence, meetings
from chamberdesk.gui.qtmodels.record_tables import ID_ROLE


@pytest.fixture
def page(qtbot, ctx):
    from chamberdesk.gui.pages.meetings import Page

    p = Page(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    return p


def a_meeting_with_attendees(ctx) -> int:
    with ctx.db.session() as s:
        for m in meetings.list_meetings(s):
            if m.chamber_id is not None and meetings.attendee_ids(s, m.id):
                return m.id
    raise AssertionError("the demo county has no meeting with attendees")


def click_row_of(page, record_id: int) -> None:
    """Select the record in the page's list as the clerk does (全部年份, so it is listed)."""
    page.filters.year.setCurrentIndex(page.filters.year.findData(None))
    page.reload_list()
    row = page.model.row_of_id(record_id)
    assert row >= 0
    page.table.setCurrentIndex(page.model.index(row, 0))
    assert page.table.currentIndex().data(ID_ROLE) == record_id


def test_a_meeting_opens_from_its_read_model_and_an_edit_saves(qtbot, ctx, page):
    mid = a_meeting_with_attendees(ctx)
    with ctx.db.session() as s:
        stored = meetings.get_meeting(s, mid)
    click_row_of(page, mid)
    form = page.form
    assert form.record_id == mid and form.version == stored.version
    assert form.owner.currentData() == stored.chamber_id and form.body.currentData() == stored.body
    assert form.when.date().toPython() == stored.date
    assert form.agenda.toPlainText() == (stored.agenda or "")
    assert sorted(form.attendees.selected_ids()) == sorted(stored.attendee_ids)

    form.place.setText("")
    qtbot.keyClicks(form.place, "Room 5")
    qtbot.waitUntil(form.save_button.isEnabled, timeout=2000)
    with qtbot.waitSignal(form.saved, timeout=2000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        after = meetings.get_meeting(s, mid)
    assert after.place == "Room 5" and after.version == stored.version + 1
    assert sorted(after.attendee_ids) == sorted(stored.attendee_ids)
    assert form.version == after.version  # the next save expects the version just written


def test_a_deleted_meeting_leaves_the_form_as_it_was(qtbot, ctx, page):
    mid = a_meeting_with_attendees(ctx)
    with ctx.db.transaction() as s:
        meetings.delete_meeting(s, mid)
    page.form.new_record()
    page.form.load(mid)
    assert page.form.record_id is None and page.form.title_label.text() == "录入新会议"


def test_a_reader_sees_the_meeting_and_opens_its_evidence_but_changes_nothing(qtbot, ctx, tmp_path, monkeypatch):
    from chamberdesk.gui.dialogs import meeting_editor
    from chamberdesk.gui.pages.meetings import Page

    mid = a_meeting_with_attendees(ctx)
    scan = tmp_path / "纪要.pdf"
    scan.write_bytes(b"%PDF-1.4 minutes")
    with ctx.db.transaction() as s:  # accounts still off: the one clerk files a scan
        evidence.add_file(ctx.db, s, scan, record_type="meeting", record_id=mid)
    monkeypatch.setattr(accounts, "_N", 2**10)  # cheap hashes: roles are what is tested here
    with ctx.db.transaction() as s:
        accounts.enable_accounts(s, "admin", "Shiyan#2024")
        accounts.create_user(s, "chakan", "Kanyikan2024", "只读")
    accounts.login(ctx.db, "chakan", "Kanyikan2024")

    page = Page(ctx)
    qtbot.addWidget(page)
    page.show()
    click_row_of(page, mid)
    form = page.form
    assert form.record_id == mid
    for b in (form.save_button, form.clear_button, form.evidence.add_button, form.evidence.remove_button):
        assert not b.isEnabled(), b.text()
        assert "只读" in b.toolTip()
    assert form.place.isReadOnly() and form.agenda.isReadOnly() and form.present.isReadOnly()
    assert not form.body.isEnabled() and not form.owner.isEnabled()
    assert not form.attendees.search.isEnabled()
    chosen = form.attendees.chosen
    assert chosen.isEnabled() and chosen.count() > 0  # who attended stays readable
    assert chosen.selectionMode() == QListWidget.SelectionMode.NoSelection
    form.attendees.remove_highlighted()  # what a double-click does: nothing is selectable to remove
    assert chosen.count() > 0
    assert form.role_note.isVisible() and "只能查看" in form.role_note.text()
    assert form.title_label.text().startswith("查看会议：")

    # no file can be dropped on the form
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(scan))])
    enter = QDragEnterEvent(form.rect().center(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(form, enter)
    assert not enter.isAccepted()

    # the stored scan still opens
    opened: list[str] = []
    monkeypatch.setattr(meeting_editor.QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    item = form.evidence.list.item(0)
    assert item.text().startswith("纪要.pdf")
    form.evidence.list.itemDoubleClicked.emit(item)
    assert opened and Path(opened[0]).read_bytes() == scan.read_bytes()

    assert form.save() is False  # Ctrl+S: nothing written
    with ctx.db.session() as s:
        assert meetings.get_meeting(s, mid).version == form.version

