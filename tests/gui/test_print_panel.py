"""The 打印 panel: forms generated off the GUI thread, preview pages, printing to a PDF printer, 取消."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from chamberdesk.gui.dialogs.print_preview import PdfPages, PrintPreviewDialog, paint_to_printer
from chamberdesk.gui.pages.print_panel import PrintPanel
from tests.gui.conftest import WINE_NO_FONT


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


@pytest.mark.wine_limitation(WINE_NO_FONT)
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


def _ledger_rows(text: str) -> int:
    import re

    return int(re.search(r"共 (\d+) 条", text).group(1))


def test_ledger_from_the_members_page_prints_exactly_its_filtered_rows(qtbot, ctx):
    """The 会员台账 page's 打印台账 (Ctrl+P): the filtered rows, in the ledger's order, the filter named."""
    from chamberdesk.core.members import members_by_ids
    from chamberdesk.gui.dialogs.print_preview import PrintPreviewDialog
    from chamberdesk.gui.pages.members import Page as MembersPage

    page = MembersPage(ctx)
    qtbot.addWidget(page)
    page.chamber_combo.setCurrentIndex(page.chamber_combo.findText("城关镇商会"))
    page.status_combo.setCurrentIndex(page.status_combo.findData(None))  # 全部, 已退会 included
    page.model.flt.sort = "enterprise_name"  # as a header click leaves it
    page.apply_filters()
    shown = list(page.model.ids)
    assert 0 < len(shown) < 200
    page.print_btn.click()
    qtbot.waitUntil(lambda: getattr(page, "preview", None) is not None, timeout=60000)
    dlg = page.preview
    assert isinstance(dlg, PrintPreviewDialog) and dlg.suggested_name == "会员台账.pdf"
    text = "".join(p.extract_text() for p in PdfReader(dlg.pdf_path).pages)
    dlg.close()
    assert "城关镇商会的全部会员（含已退会）" in text
    assert _ledger_rows(text) == len(shown)
    with ctx.db.session() as s:
        names = [members_by_ids(s, shown)[i].enterprise_name for i in shown]
    flat = text.replace("\n", "")
    positions = [flat.find(n) for n in names]
    assert all(p >= 0 for p in positions)
    assert positions == sorted(positions)  # the ledger's order


def test_printing_an_empty_ledger_says_so(qtbot, ctx, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from chamberdesk.gui.pages.members import Page as MembersPage

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda _p, _t, text, *a, **k: said.append(text)))
    page = MembersPage(ctx)
    qtbot.addWidget(page)
    page.search.setText("没有这样的企业")
    page.apply_filters()
    assert page.print_current() is None
    assert len(said) == 1 and "没有会员可打印" in said[0]


def test_panel_takes_the_ledger_filter_and_says_so(qtbot, ctx, tmp_path):
    from chamberdesk.core.members import MemberFilter, member_ids

    panel = PrintPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.set_form("ledger")
    assert panel.filter_label.isVisible() and panel.filter_label.text() == "打印范围：全部在册会员"
    assert not panel.clear_filter_btn.isVisible()
    cid = panel.chamber.itemData(panel.chamber.findText("城关镇商会"))
    flt = MemberFilter(chamber_id=cid, status="active")
    panel.set_member_filter(flt)
    assert panel.filter_label.text() == "打印范围：城关镇商会的在册会员（会员台账页面的当前筛选）"
    assert panel.clear_filter_btn.isVisible()
    out = tmp_path / "台账.pdf"
    with qtbot.waitSignal(panel.finished, timeout=30000):
        panel.start("save", out=out)
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    with ctx.db.session() as s:
        assert _ledger_rows(text) == len(member_ids(s, flt))
    panel.clear_filter_btn.click()
    assert panel.member_filter is None and "全部在册会员" in panel.filter_label.text()
    panel.set_form("roster")
    assert not panel.filter_label.isVisible()


def test_activity_records_from_the_panel(qtbot, ctx, tmp_path):
    panel = PrintPanel(ctx)
    qtbot.addWidget(panel)
    panel.set_form("activities")
    panel.year.setValue(2025)
    panel.select_chamber(panel.chamber.itemData(panel.chamber.findText("城关镇商会")))
    assert not panel.per_file.isEnabled()
    out = tmp_path / "活动.pdf"
    with qtbot.waitSignal(panel.finished, timeout=30000):
        panel.start("save", out=out)
    text = PdfReader(out).pages[0].extract_text()
    assert "城关镇商会2025年度活动记录" in text and "筛选：单位=城关镇商会；年度=2025" in text
