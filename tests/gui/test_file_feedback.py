"""After an export or a save: a notice with 打开文件 and 打开所在文件夹, names without doubled words, the save
dialog in the last folder used (else 文档), and Qt's own dialogs in Chinese."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QProcess, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QFileDialog

from chamberdesk.gui.pages.reports import EXPORTS, Page
from chamberdesk.gui.widgets import files
from chamberdesk.gui.widgets.files import FileNotice


def test_year_and_name_never_double_the_year_word():
    assert files.year_name(2026, "年度基层商会工作情况统计表") == "2026年度基层商会工作情况统计表"
    assert files.year_name(2026, "会议记录") == "2026年会议记录"
    assert files.year_name(None, "商会名录") == "商会名录"


def test_export_names_the_file_starts_in_documents_then_the_last_folder_and_shows_a_notice(
        qtbot, ctx, tmp_path: Path, monkeypatch):
    asked: list[str] = []
    target = tmp_path / "导出"
    target.mkdir()

    def fake_dialog(_parent, _title, start, _filter):
        asked.append(start)
        return str(target / Path(start).stem), ""  # the clerk leaves off .xlsx

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    explorer: list[list[str]] = []  # on Windows the folder opens in Explorer with the file selected
    monkeypatch.setattr(QProcess, "startDetached", lambda _exe, args: (explorer.append(args) or True, 0))
    page = Page(ctx)
    qtbot.addWidget(page)
    page.export_kind.setCurrentIndex([k for k, *_ in EXPORTS].index("yearly-stats"))
    page.year.setValue(date.today().year - 1)
    page.export()
    year = date.today().year - 1
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert Path(asked[0]).name == f"{year}年度基层商会工作情况统计表.xlsx"  # not 年年度
    assert Path(asked[0]).parent in (Path(docs), Path.home())  # Qt writes / where Windows writes \\
    qtbot.waitUntil(lambda: page.task.done, timeout=30000)
    out = target / f"{year}年度基层商会工作情况统计表.xlsx"
    assert out.is_file()

    notice = page.notice
    assert isinstance(notice, FileNotice) and notice.isVisible() and notice.path == out
    texts = {b.text() for b in notice.findChildren(QAbstractButton) if b.isVisible()}
    assert texts == {"打开文件", "打开所在文件夹", "关闭"}
    assert notice.close_button.isDefault()
    notice.folder_button.click()
    if sys.platform == "win32":
        assert explorer[-1] == ["/select,", str(out)]
    else:
        assert Path(opened[-1].toLocalFile()) == target
    qtbot.waitUntil(lambda: not notice.isVisible())

    page.export()  # the next save starts where the last one went
    assert Path(asked[1]).parent == target
    qtbot.waitUntil(lambda: page.task.done, timeout=30000)
    page.notice.open_button.click()
    assert Path(opened[-1].toLocalFile()) == out


def test_qt_own_dialogs_speak_chinese(qtbot, styled_app):
    dlg = QFileDialog(None, "打开")
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dlg)
    labels = {b.text().replace("&", "") for b in dlg.findChildren(QAbstractButton) if b.text()}
    assert "取消" in labels and "Cancel" not in labels


def test_print_preview_says_it_was_sent_and_saving_names_the_file(qtbot, ctx, tmp_path: Path, monkeypatch):
    from chamberdesk.gui.dialogs import print_preview
    from chamberdesk.io.pdf.jobs import PrintRequest, run

    pdf = run(ctx.db, PrintRequest(form="roster", targets=None), tmp_path / "r.pdf")[0]
    dlg = print_preview.PrintPreviewDialog(pdf, suggested_name="2026年度商会会员名册.pdf")
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.sent_label.isVisible()
    monkeypatch.setattr(print_preview, "print_pdf", lambda *a, **k: True)  # the clerk chose a printer
    dlg.print_btn.click()
    assert dlg.printed and dlg.sent_label.isVisible() and "已发送到打印机" in dlg.sent_label.text()

    out = tmp_path / "存档"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _p, _t, start, _f: (str(out / Path(start).name), ""))
    dlg.save_btn.click()
    assert dlg.saved_to == out / "2026年度商会会员名册.pdf" and dlg.saved_to.is_file()
    assert isinstance(dlg.notice, FileNotice) and dlg.notice.path == dlg.saved_to
