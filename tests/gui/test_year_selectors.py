"""The year selectors of 报表与导出 and 打印 offer the years core.periods can report on, nothing else."""

from __future__ import annotations

from datetime import date

from chamberdesk.core.periods import report_year_range
from chamberdesk.gui.pages.print_panel import PrintPanel
from chamberdesk.gui.pages.reports import Page


def test_year_boxes_run_from_the_first_record_to_this_year(qtbot, ctx) -> None:
    first, last = report_year_range(ctx.db)
    assert (first, last) == (2012, date.today().year)  # the demo county's first member joined in 2012
    page = Page(ctx)
    panel = PrintPanel(ctx)
    qtbot.addWidget(page)
    qtbot.addWidget(panel)
    for box in (page.year, page.pkg_year, panel.year):
        assert (box.minimum(), box.maximum()) == (first, last)
        box.setValue(1800)
        assert box.value() == first
        box.setValue(3000)
        assert box.value() == last
