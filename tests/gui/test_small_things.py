"""Small things a clerk notices: 保存 highlighted only while there is something to save, a personal member
named once, the evidence button saying what it removes, the 工作台 colours explained, the first page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from chamberdesk.core import meetings
from chamberdesk.core import members as svc
from chamberdesk.gui.dialogs.contact_dialog import member_label


def highlighted(button) -> bool:
    return button.objectName() == "primary"


def test_save_is_highlighted_only_while_there_is_something_to_save(qtbot, ctx, tmp_path: Path):
    from chamberdesk.gui.pages.meetings import Page

    page = Page(ctx)
    qtbot.addWidget(page)
    page.show()
    form = page.form
    qtbot.wait(300)  # the form's check runs on a short timer
    assert not highlighted(form.save_button)  # a fresh form: nothing typed yet

    page.filters.year.setCurrentIndex(page.filters.year.findData(None))
    page.reload_list()
    with ctx.db.session() as s:
        mid = next(m.id for m in meetings.list_meetings(s) if m.chamber_id is not None)
    page.table.setCurrentIndex(page.model.index(page.model.row_of_id(mid), 0))
    qtbot.wait(300)
    assert form.record_id == mid and not highlighted(form.save_button)  # shown as stored

    qtbot.keyClicks(form.place, "Room 7")
    qtbot.waitUntil(lambda: highlighted(form.save_button), timeout=2000)
    with qtbot.waitSignal(form.saved, timeout=2000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.wait(300)
    assert not highlighted(form.save_button)  # saved: nothing left to save

    # a file waiting to be saved is something to save too; the remove button names what it removes
    scan = tmp_path / "签到表.jpg"
    scan.write_bytes(b"\xff\xd8\xff\xe0 test")
    box = form.evidence
    assert box.remove_button.text() == "移除待保存的文件" and not box.remove_button.isEnabled()
    box.add_paths([scan])
    qtbot.waitUntil(lambda: highlighted(form.save_button), timeout=2000)
    box.list.setCurrentRow(box.list.count() - 1)
    assert box.remove_button.isEnabled()
    box.remove_button.click()
    assert box.pending_paths() == []
    qtbot.waitUntil(lambda: not highlighted(form.save_button), timeout=2000)


def test_a_personal_member_is_named_once_in_the_pickers(ctx):
    with ctx.db.transaction() as s:
        person = svc.create_member(s, {"enterprise_name": "徐静", "kind": "personal", "rep_name": "徐静"})
        firm = svc.create_member(s, {"enterprise_name": "清河县徐记商贸有限公司", "kind": "enterprise",
                                     "rep_name": "徐静"})
    assert member_label(person) == "徐静"
    assert member_label(firm) == "清河县徐记商贸有限公司（徐静）"


def test_dashboard_explains_its_colours_and_is_the_first_page(qtbot, styled_app, demo_db):
    from chamberdesk.gui.main_window import MainWindow

    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    assert win.current_name() == "dashboard"  # nothing remembered yet: a first-time user starts here
    page = win.pages["dashboard"]
    assert "红色" in page.terms_legend.text() and "已届满未换届" in page.terms_legend.text()
    assert "橙色" in page.terms_legend.text() and "90 天内届满" in page.terms_legend.text()
    assert "未达“四有”" in page.issues_legend.text() and "只未达“五有五好”" in page.issues_legend.text()


def test_dashboard_axis_labels_are_never_cut(qtbot, styled_app, demo_db):
    """At 125 % Qt cut "2025年" to "202…" under bars that had room for it: the year and quarter axes show
    their labels whole, and a chamber kind cut short in the legend shows whole on hover."""
    from PySide6.QtCharts import QBarCategoryAxis

    from chamberdesk.gui.main_window import MainWindow

    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    page = win.pages["dashboard"]
    axes = [a for c in (page.members_chart, page.quarters_chart) for a in c.axes()
            if isinstance(a, QBarCategoryAxis)]
    assert len(axes) == 2 and not any(a.truncateLabels() for a in axes)
    assert page.kinds_chart.legend().showToolTips()
