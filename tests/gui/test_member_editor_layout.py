"""The member form on a laptop screen: 所属商会 in sight without scrolling, Enter saves once typed into."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QGroupBox, QScrollArea

from chamberdesk.core import members as svc
from chamberdesk.gui.dialogs.member_editor import MemberEditor


def test_chamber_section_is_in_sight_without_scrolling(qtbot, ctx):
    dlg = MemberEditor(ctx, None)
    qtbot.addWidget(dlg)
    dlg.resize(1346, 640)  # 1366×768 at 100 %, less the taskbar and the title bar
    dlg.show()
    qtbot.waitExposed(dlg)
    scroll = dlg.findChild(QScrollArea)
    group = next(g for g in dlg.findChildren(QGroupBox) if g.title() == "所属商会")
    top_left = group.mapTo(scroll.viewport(), QPoint(0, 0))
    assert scroll.verticalScrollBar().value() == 0
    assert top_left.y() >= 0 and top_left.y() + group.height() <= scroll.viewport().height()
    assert top_left.x() + group.width() <= scroll.viewport().width()  # not cut off on the right either
    assert dlg.chamber_combo.isVisible()


def test_enter_saves_once_something_is_typed(qtbot, ctx):
    dlg = MemberEditor(ctx, None)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    name = dlg.w["enterprise_name"]
    assert dlg.focusWidget() is name  # the clerk types the name straight away
    assert dlg.save_btn.isDefault() and not dlg.cancel_btn.isDefault()
    qtbot.keyClicks(name, "Qinghe Test Trading Co")
    assert dlg.save_btn.isEnabled() and dlg.save_btn.isDefault() and not dlg.cancel_btn.isDefault()
    dlg.cancel_btn.setFocus()  # even after tabbing over 取消, Enter is 保存
    assert not dlg.cancel_btn.isDefault()
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert dlg.result() == MemberEditor.DialogCode.Accepted and dlg.member_id is not None
    with ctx.db.session() as s:
        assert svc.get_member(s, dlg.member_id).enterprise_name == "Qinghe Test Trading Co"


def test_narrow_screen_gets_one_column_that_scrolls_and_nothing_cut_off(qtbot, ctx):
    """A 1366×768 laptop at 125 %/150 % leaves 1093/911 pixels: the two columns (about 950 px at 100 %) would
    run past the screen's edge; the form goes to one column instead, and back to two when widened."""
    from PySide6.QtWidgets import QBoxLayout

    dlg = MemberEditor(ctx, None)
    qtbot.addWidget(dlg)
    dlg.resize(1300, 640)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.columns.direction() == QBoxLayout.Direction.LeftToRight
    two = dlg._two_columns
    dlg.resize(two - 80, 600)
    qtbot.waitUntil(lambda: dlg.columns.direction() == QBoxLayout.Direction.TopToBottom)
    assert dlg.width() < two  # the dialog could be made narrower than two columns need
    scroll = dlg.findChild(QScrollArea)
    qtbot.waitUntil(lambda: scroll.widget().width() <= scroll.viewport().width())
    for g in dlg.findChildren(QGroupBox):
        right = g.mapTo(scroll.viewport(), QPoint(g.width(), 0)).x()
        assert right <= scroll.viewport().width(), g.title()  # not cut off on the right
    dlg.resize(1300, 640)
    qtbot.waitUntil(lambda: dlg.columns.direction() == QBoxLayout.Direction.LeftToRight)
