"""The 打印 panel: forms generated off the GUI thread, preview pages, printing to a PDF printer, 取消."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from chamberdesk.gui.dialogs.print_preview import PdfPages, PrintPreviewDialog, paint_to_printer
from chamberdesk.gui.pages.print_panel import PrintPanel


def test_save_roster_for_one_chamber(qtbot, ctx, tmp_path):
    panel = PrintPanel(ctx)
    qtbot.addWidget(panel)
    panel.set_form("roster")
    assert not panel.rubric.isEnabled() and panel.unmasked.isEnabled()
    panel.select_chamber(panel.chamber.itemData(panel.chamber.findText("城关镇商会")))
    out = tmp_path / "名册.pdf"
    with qtbot.waitSignal(panel.finished, timeout=30000) as sig:
        panel.start("save", out=out)
    assert sig.args[0] == [out]
    text = PdfReader(out).pages[0].extract_text()
    assert "城关镇商会会员名册" in text
    assert "已生成" in panel.status.text()


def test_preview_pages_and_print_to_pdf_printer(qtbot, ctx, tmp_path):
    panel = PrintPanel(ctx)
    qtbot.addWidget(panel)
    panel.set_form("chamber-year")
    panel.select_chamber(panel.chamber.itemData(0))
    panel.year.setValue(2025)
    with qtbot.waitSignal(panel.finished, timeout=30000):
        panel.start("preview")
    dlg = panel.preview
    assert isinstance(dlg, PrintPreviewDialog)
    avail = dlg.screen().availableGeometry()
    assert dlg.height() <= avail.height() and dlg.width() <= avail.width()  # never taller than the screen
    n = dlg.pages.page_count()
    assert n >= 1 and dlg.image.pixmap() is not None and not dlg.image.pixmap().isNull()
    if n > 1:
        dlg.next_btn.click()
        assert dlg.page_spin.value() == 2
    dlg.zoom.setCurrentIndex(3)  # 100 %
    assert dlg.image.pixmap().width() > 700
    # what 打印 does after the print dialog, aimed at a PDF "printer"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(150)
    assert paint_to_printer(dlg.pages, printer, dlg)
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == n
    dlg.close()


def test_cancel_a_batch(qtbot, ctx, tmp_path):
    panel = PrintPanel(ctx)
    qtbot.addWidget(panel)
    panel.set_form("roster")
    panel.all_radio.setChecked(True)
    panel.per_file.setChecked(True)
    panel.start("save", out=tmp_path / "out")
    panel.last_task.cancel()
    assert panel.last_task.wait(30000)
    assert panel.last_task.was_cancelled or panel.last_task.result  # a very fast machine may finish first
    if panel.last_task.was_cancelled:
        assert panel.status.text() == "已取消"


def test_pdf_pages_renders_a_page(tmp_path, ctx):
    from chamberdesk.io.pdf.jobs import PrintRequest, run

    out = run(ctx.db, PrintRequest(form="roster", targets=None), tmp_path / "r.pdf")[0]
    pages = PdfPages(out)
    img = pages.render(0, 50)
    assert pages.page_count() > 1 and img.width() > 100 and img.height() > img.width()
    pages.close()


def test_federation_standard_scopes_to_the_federation(qtbot, ctx, tmp_path):
    panel = PrintPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.set_form("assessment")
    panel.rubric.setCurrentIndex(panel.rubric.findData("henan-county-wuhao"))
    assert panel.fed_radio.isVisible() and panel.fed_radio.isChecked()
    assert not panel.all_radio.isVisible() and not panel.one_radio.isVisible() and not panel.chamber.isVisible()
    req = panel.request()
    assert req.federation and req.targets is None
    assert panel.suggested_name(req).startswith(f"{req.year}年度本级工商联")
    out = tmp_path / "五好.pdf"
    with qtbot.waitSignal(panel.finished, timeout=30000) as sig:
        panel.start("save", out=out)
    assert sig.args[0] == [out]
    # back to a chamber standard: the chamber choices return
    panel.rubric.setCurrentIndex(panel.rubric.findData("sihao"))
    assert not panel.fed_radio.isVisible() and panel.all_radio.isVisible() and panel.all_radio.isChecked()
    assert not panel.request().federation
    assert "记入审计日志" in panel.unmasked.text()


def test_a_broken_rubric_folder_is_reported_and_ledgers_still_print(qtbot, ctx, monkeypatch):
    from chamberdesk import rules
    from chamberdesk.rules.schema import RubricError

    def broken():
        raise RubricError("本单位.toml", 3, "threshhold", "不是可识别的字段")

    monkeypatch.setattr(rules, "list_rubrics", broken)
    panel = PrintPanel(ctx)
    qtbot.addWidget(panel)
    assert "考评细则未能载入" in panel.status.text() and "第3行" in panel.status.text()
    panel.set_form("ledger")
    assert panel.rubric.count() == 0
