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
    their labels whole."""
    from PySide6.QtCharts import QBarCategoryAxis

    from chamberdesk.gui.main_window import MainWindow

    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    page = win.pages["dashboard"]
    axes = [a for c in (page.members_chart, page.quarters_chart) for a in c.axes()
            if isinstance(a, QBarCategoryAxis)]
    assert len(axes) == 2 and not any(a.truncateLabels() for a in axes)


def test_dashboard_kind_legend_names_every_kind_whole_on_a_narrow_window(qtbot, styled_app, demo_db):
    """A 1366 × 768 laptop at 150 % leaves a window 911 logical pixels wide: Qt's legend beside the pie cut
    "楼宇商圈商会" to "楼宇商圈…". The legend under the pie lays every kind out at its full width, and a
    click on one opens that kind, as a click on its slice does."""
    from chamberdesk.gui.main_window import MainWindow

    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.resize(911, 464)
    win.show()
    qtbot.waitExposed(win)
    page = win.pages["dashboard"]
    entries = page.kinds_legend.entries
    slices = list(page.kind_slices.items())
    assert len(entries) == len(slices) and any("楼宇商圈商会" in e.text() for e in entries)
    assert not page.kinds_chart.legend().isVisible()
    card = page.kinds_legend
    # once the page's posted layout requests have run, every entry has the width its whole text needs
    qtbot.waitUntil(lambda: all(e.isVisible() and e.width() >= e.sizeHint().width() for e in entries), timeout=3000)
    for entry, (_kind, sl) in zip(entries, slices, strict=True):
        assert sl.label() in entry.text()
        assert card.rect().contains(entry.geometry()), entry.text()
    kind, sl = next((k, s) for k, s in slices if k == "building")
    entry = entries[[k for k, _s in slices].index(kind)]
    with qtbot.waitSignal(page.ctx.navigate, timeout=1000) as sig:
        qtbot.mouseClick(entry, Qt.MouseButton.LeftButton)
    assert sig.args == ["chambers", {"kind": "building"}]
