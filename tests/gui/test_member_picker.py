"""The member picker of 会议 and 活动: each company name reads in full, so 清河县万… ones can be told apart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.gui.conftest import WINE_NO_FONT


def _page(qtbot, ctx, which: str):
    if which == "meetings":
        from chamberdesk.gui.pages.meetings import Page
    else:
        from chamberdesk.gui.pages.activities import Page
    p = Page(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    qtbot.waitExposed(p)
    form = p.form if which == "meetings" else p.activities.form
    return p, form.picker_widget()


@pytest.mark.parametrize("which", ["meetings", pytest.param("activities", marks=pytest.mark.wine_limitation(WINE_NO_FONT))])
def test_chosen_and_found_names_are_whole(qtbot, ctx, which):
    _p, picker = _page(qtbot, ctx, which)
    picker.search.setText("清河县")
    picker.run_search()
    assert picker.results.count() > 5
    picker.results.selectAll()
    picker.add_highlighted()
    qtbot.wait(50)
    for view in (picker.results, picker.chosen):
        assert view.textElideMode() == Qt.TextElideMode.ElideRight and view.wordWrap()
        fm = view.fontMetrics()
        wrapped = 0
        for i in range(min(view.count(), 8)):
            it = view.item(i)
            assert it.toolTip() == it.text() and it.text().startswith("清河县")
            rect = view.visualItemRect(it)
            lines = max(1, round(rect.height() / fm.lineSpacing()))
            # the row is tall enough for the whole name at this width: nothing is elided away
            assert lines * rect.width() >= fm.horizontalAdvance(it.text()) * 0.9, (it.text(), rect)
            wrapped += lines > 1
        assert wrapped, "names this long wrap in the narrow lists at 1280 wide"
