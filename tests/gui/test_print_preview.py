"""The print preview shows white paper, whichever PDF renderer the installed Qt offers."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QColor

from chamberdesk.gui.dialogs.print_preview import PdfPages, PrintPreviewDialog


@pytest.fixture
def roster_pdf(ctx, tmp_path):
    from chamberdesk.io.pdf.jobs import PrintRequest, run

    return run(ctx.db, PrintRequest(form="roster", targets=None), tmp_path / "r.pdf")[0]


def _margin_is_white(img) -> None:
    # the top-left corner lies in the page margin: nothing is printed there
    for x, y in ((3, 3), (img.width() - 4, 3), (3, img.height() - 4)):
        c = QColor(img.pixel(x, y))
        assert (c.red(), c.green(), c.blue()) == (255, 255, 255), (x, y, c.name())


def test_qtpdf_pages_are_white_paper(roster_pdf):
    pytest.importorskip("PySide6.QtPdf")
    pages = PdfPages(roster_pdf)
    assert pages.backend == "qtpdf"
    _margin_is_white(pages.render(0, 60))
    pages.close()


@pytest.mark.parametrize("backend", ["qtpdf", "pdfium"])
def test_closed_pages_let_go_of_the_file(roster_pdf, monkeypatch, windows_file_rules, backend):
    """The selfcheck and the print jobs delete the PDF after the preview: Windows refuses while it is open."""
    if backend == "pdfium":
        pytest.importorskip("pypdfium2")
        monkeypatch.setitem(sys.modules, "PySide6.QtPdf", None)
    pages = PdfPages(roster_pdf)
    assert pages.backend == backend
    pages.render(0, 30)
    pages.close()
    roster_pdf.unlink()


def test_pdfium_pages_are_white_paper(roster_pdf, monkeypatch):
    pytest.importorskip("pypdfium2")
    monkeypatch.setitem(sys.modules, "PySide6.QtPdf", None)  # as on a PySide6 built without QtPdf
    pages = PdfPages(roster_pdf)
    assert pages.backend == "pdfium"
    _margin_is_white(pages.render(0, 60))
    pages.close()


def test_preview_dialog_shows_a_white_page(qtbot, roster_pdf):
    dlg = PrintPreviewDialog(roster_pdf)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    _margin_is_white(dlg.image.pixmap().toImage())


def test_closing_right_after_a_resize_renders_nothing_more(qtbot, roster_pdf):
    dlg = PrintPreviewDialog(roster_pdf)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.resize(dlg.width() - 40, dlg.height())  # queues a re-fit
    dlg.accept()
    qtbot.wait(50)  # the queued re-fit must not touch the closed document (pytest-qt fails on errors)
    assert dlg.pages._doc is None
