"""台账资料汇编 and 民主评议票 from the 打印 panel: built off the GUI thread with progress and 取消."""

from __future__ import annotations

from pypdf import PdfReader

from chamberdesk.gui.pages.print_panel import PrintPanel


def test_binder_for_one_chamber_from_the_panel(qtbot, ctx, tmp_path):
    panel = PrintPanel(ctx)
    qtbot.addWidget(panel)
    panel.set_form("binder")
    assert "台账资料汇编" in panel.hint.text()
    assert not panel.rubric.isEnabled()  # the binder takes the rubrics the chamber was assessed under
    panel.select_chamber(panel.chamber.itemData(panel.chamber.findText("城关镇商会")))
    panel.year.setValue(2025)
    req = panel.request()
    assert req.form == "binder" and req.rubric_id is None
    out = tmp_path / "汇编.pdf"
    with qtbot.waitSignal(panel.finished, timeout=60000) as sig:
        panel.start("save", out=out)
    assert sig.args[0] == [out]
    reader = PdfReader(out)
    assert [o.title for o in reader.outline if not isinstance(o, list)][:2] == ["目录", "一、基本情况"]
    assert "城关镇商会" in reader.pages[0].extract_text()


def test_cancel_the_binders_of_every_chamber(qtbot, ctx, tmp_path):
    panel = PrintPanel(ctx)
    qtbot.addWidget(panel)
    panel.set_form("binder")
    panel.year.setValue(2025)
    panel.all_radio.setChecked(True)
    assert panel.per_file.isEnabled()
    panel.per_file.setChecked(True)
    folder = tmp_path / "汇编"
    panel.start("save", out=folder)
    panel.last_task.cancel()
    assert panel.last_task.wait(60000)
    if panel.last_task.was_cancelled:  # a very fast machine may finish first
        assert panel.status.text() == "已取消"
        # the binder under way when 取消 came is not left half written
        assert len(list(folder.glob("*.pdf"))) < panel.chamber.count()
        for f in folder.glob("*.pdf"):
            assert len(PdfReader(f).pages) > 2
    else:
        assert len(panel.last_task.result) == panel.chamber.count()


def test_ballots_from_the_panel(qtbot, ctx, tmp_path):
    panel = PrintPanel(ctx)
    qtbot.addWidget(panel)
    panel.set_form("ballots")
    panel.year.setValue(2025)
    out = tmp_path / "评议票.pdf"
    with qtbot.waitSignal(panel.finished, timeout=60000):
        panel.start("save", out=out)
    reader = PdfReader(out)
    chambers = panel.chamber.count()
    assert len(reader.pages) > chambers  # a ballot for each president and for the federation's staff
    text = reader.pages[0].extract_text()
    assert all(panel.chamber.itemText(i) in text for i in range(chambers))
