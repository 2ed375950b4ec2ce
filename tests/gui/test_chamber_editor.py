"""商会 editor: fits a 1366×768 screen without horizontal scrolling."""

from __future__ import annotations

from chamberdesk.gui.dialogs.chamber_editor import ChamberEditor


def test_editor_fits_without_horizontal_scrolling(qtbot, ctx):
    dlg = ChamberEditor(ctx, 1)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.height() <= 680 and dlg.width() <= 1366
    assert dlg.scroll.horizontalScrollBar().maximum() == 0
    inner = dlg.scroll.widget()
    assert inner.width() >= inner.minimumSizeHint().width()  # nothing squeezed or cut on the right
    for box in dlg.rule_boxes.values():
        right = box.mapTo(dlg, box.rect().topRight()).x()
        assert right <= dlg.scroll.viewport().mapTo(dlg, dlg.scroll.viewport().rect().topRight()).x()
