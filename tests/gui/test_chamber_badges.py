"""商会 list: the 提示 badges are never cut at the column or window edge at 1280×800."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetrics

from chamberdesk.gui.qtmodels.record_tables import BADGES_ROLE, BadgeDelegate
from tests.gui.conftest import WINE_NO_FONT


@pytest.mark.wine_limitation(WINE_NO_FONT)
def test_badges_fit_their_column_and_the_pane(qtbot, ctx, styled_app):
    from chamberdesk.gui.main_window import MainWindow

    w = MainWindow(ctx.db)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    w.navigate("chambers")
    page = w.page("chambers")
    qtbot.wait(50)
    t, m = page.table, page.model
    col = m.columnCount() - 1
    fm = QFontMetrics(t.font())
    longest = 0
    for r in range(m.rowCount()):
        badges = m.index(r, col).data(BADGES_ROLE) or []
        need = 4 + sum(fm.horizontalAdvance(b.text) + 2 * BadgeDelegate.PAD_X for b in badges) \
            + BadgeDelegate.GAP * max(0, len(badges) - 1)
        longest = max(longest, len(badges))
        assert need <= t.columnWidth(col), [b.text for b in badges]
    assert longest >= 2  # the demo county has chambers with two badges
    right = t.columnViewportPosition(col) + t.columnWidth(col)
    assert right <= t.viewport().width()  # in sight without scrolling sideways
