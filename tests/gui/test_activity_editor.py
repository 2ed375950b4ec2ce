"""活动 form: opens an activity from the service's read model, saves an edit, and is read-only for 只读."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from chamberdesk.core import accounts, activities, evidence
from chamberdesk.gui.qtmodels.record_tables import ID_ROLE


def show_page(qtbot, ctx):
    from chamberdesk.gui.pages.activities import Page

    p = Page(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    return p


def an_activity_with_participants(ctx) -> int:
    with ctx.db.session() as s:
        for a in activities.list_activities(s):
            if activities.participant_ids(s, a.id):
                return a.id
    raise AssertionError("the demo county has no activity with participants")


def click_row_of(tab, record_id: int) -> None:
    """Select the record in the 活动 tab's list as the clerk does (全部年份, so it is listed)."""
    tab.filters.year.setCurrentIndex(tab.filters.year.findData(None))
    tab.reload_list()
    row = tab.model.row_of_id(record_id)
    assert row >= 0
    tab.table.setCurrentIndex(tab.model.index(row, 0))
    assert tab.table.currentIndex().data(ID_ROLE) == record_id


def test_an_activity_opens_from_its_read_model_and_an_edit_saves(qtbot, ctx):
    page = show_page(qtbot, ctx)
    aid = an_activity_with_participants(ctx)
    with ctx.db.session() as s:
        stored = activities.get_activity(s, aid)
    click_row_of(page.activities, aid)
    form = page.activities.form
    assert form.record_id == aid and form.version == stored.version
    assert form.title_label.text().startswith("编辑活动：") and not form.role_note.isVisible()
    assert (form.owner.currentData(), form.category.currentData()) == (stored.chamber_id, stored.category)
    assert form.title.text() == stored.title and form.when.date().toPython() == stored.date
    assert sorted(form.picker.selected_ids()) == sorted(stored.participant_ids)

    form.people.setValue(42)
    qtbot.waitUntil(form.save_button.isEnabled, timeout=2000)
    with qtbot.waitSignal(form.saved, timeout=2000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        after = activities.get_activity(s, aid)
    assert after.people_count == 42 and after.version == stored.version + 1
    assert sorted(after.participant_ids) == sorted(stored.participant_ids)


def test_a_reader_sees_the_activity_but_changes_nothing(qtbot, ctx, tmp_path, monkeypatch):
    from chamberdesk.gui.dialogs import meeting_editor

    aid = an_activity_with_participants(ctx)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8 photo")
    with ctx.db.transaction() as s:
        evidence.add_file(ctx.db, s, photo, record_type="activity", record_id=aid)
    monkeypatch.setattr(accounts, "_N", 2**10)
    with ctx.db.transaction() as s:
        accounts.enable_accounts(s, "admin", "Shiyan#2024")
        accounts.create_user(s, "chakan", "Kanyikan2024", "只读")
    accounts.login(ctx.db, "chakan", "Kanyikan2024")

    page = show_page(qtbot, ctx)
    assert not page.new_button.isEnabled()
    click_row_of(page.activities, aid)
    form = page.activities.form
    for b in (form.save_button, form.clear_button, form.evidence.add_button):
        assert not b.isEnabled() and "只读" in b.toolTip(), b.text()
    assert form.title.isReadOnly() and form.notes.isReadOnly() and form.amount.isReadOnly()
    assert not form.category.isEnabled() and not form.picker.search.isEnabled()
    assert form.picker.chosen.count() > 0
    assert form.title_label.text().startswith("查看活动：") and form.role_note.isVisible()

    opened: list[str] = []
    monkeypatch.setattr(meeting_editor.QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    form.evidence.list.itemDoubleClicked.emit(form.evidence.list.item(0))
    assert opened and Path(opened[0]).read_bytes() == photo.read_bytes()

    assert form.save() is False
    with ctx.db.session() as s:
        assert activities.get_activity(s, aid).version == form.version


def test_a_new_activity_form_for_a_reader_offers_no_writing(qtbot, reader):
    page = show_page(qtbot, reader)
    form = page.activities.form
    assert form.record_id is None
    assert not form.save_button.isEnabled() and not form.clear_button.isEnabled()
    assert not form.title.isEnabled() or form.title.isReadOnly()
    form.title.setText("不应保存的活动")  # even filled in by a script, nothing is written
    form.category.setCurrentIndex(1)
    assert form.save() is False
