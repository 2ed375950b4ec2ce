"""会议 and 活动 forms never drop what the clerk typed: another row, 新建, the sidebar or closing asks first."""

from __future__ import annotations

from chamberdesk.core import meetings
from chamberdesk.gui.context import NAV_PAGES
from chamberdesk.gui.main_window import MainWindow
from chamberdesk.gui.qtmodels.record_tables import ID_ROLE


def two_meetings(ctx) -> tuple[int, int]:
    with ctx.db.session() as s:
        ids = [m.id for m in meetings.list_meetings(s) if m.chamber_id is not None]
    return ids[0], ids[1]


def click(page, record_id: int) -> None:
    page.table.setCurrentIndex(page.model.index(page.model.row_of_id(record_id), 0))


def test_picking_another_meeting_with_unsaved_edits_asks_and_cancel_keeps_them(qtbot, ctx, answer_modal):
    from chamberdesk.gui.pages.meetings import Page

    page = Page(ctx)
    qtbot.addWidget(page)
    page.show()
    page.filters.year.setCurrentIndex(page.filters.year.findData(None))
    page.reload_list()
    first, second = two_meetings(ctx)
    click(page, first)
    assert page.form.record_id == first and not page.form.has_unsaved()
    page.form.place.setText("Room 9")
    assert page.form.has_unsaved()

    shown: list[int] = []
    asked = answer_modal("取消", lambda _d: shown.append(page.table.currentIndex().data(ID_ROLE)))
    click(page, second)
    assert len(asked) == 1 and shown == [first]  # while asking, the list shows the meeting being edited
    assert page.form.record_id == first and page.form.place.text() == "Room 9"
    assert page.table.currentIndex().data(ID_ROLE) == first

    answer_modal("保存")
    click(page, second)
    assert page.form.record_id == second and page.table.currentIndex().data(ID_ROLE) == second
    with ctx.db.session() as s:
        assert meetings.get_meeting(s, first).place == "Room 9"

    page.form.place.setText("Room 10")
    answer_modal("不保存")
    page.form.clear_button.click()  # 新建 asks too
    assert page.form.record_id is None and page.form.place.text() == ""
    with ctx.db.session() as s:
        assert meetings.get_meeting(s, second).place != "Room 10"


def test_leaving_the_activities_page_with_a_half_typed_activity_asks(qtbot, styled_app, demo_db, answer_modal):
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    win.navigate("activities")
    form = win.pages["activities"].activities.form
    form.title.setText("Half-typed activity")
    assert form.has_unsaved()
    asked = answer_modal("取消")
    win.nav.setCurrentRow(NAV_PAGES.index("members"))
    assert len(asked) == 1 and win.current_name() == "activities"
    assert form.title.text() == "Half-typed activity"
    answer_modal("不保存")
    win.nav.setCurrentRow(NAV_PAGES.index("members"))
    assert win.current_name() == "members"
    assert form.title.text() == "" and not form.has_unsaved()  # 不保存 dropped it
    assert win.pages["activities"].may_close()  # so closing asks nothing more
