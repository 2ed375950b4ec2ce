"""The graphical half of `chamberdesk selfcheck`: Qt starts, speaks Chinese, draws icons, previews a PDF
and opens the main window. The command (cli/ship.py) reaches it at run time, as it reaches the window,
so the command line itself never imports Qt."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from chamberdesk.core.db import open_database
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.gui.app import load_translations, make_app
from chamberdesk.paths import resources_dir


def check_gui(folder: Path) -> str:
    """One Chinese line of what works; raises ChamberDeskError on what does not. `folder` holds
    the data file and selfcheck.pdf the earlier checks made."""
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_app([sys.argv[0]])
    notes = [f"Qt 平台 {app.platformName()}"]
    if not load_translations(app):
        raise ChamberDeskError("缺少 Qt 中文翻译（qtbase_zh_CN.qm）")
    notes.append("Qt 中文翻译已载入")
    svg = resources_dir() / "icons" / "app.svg"
    if svg.is_file():
        pm = QIcon(str(svg)).pixmap(QSize(32, 32))
        if pm.isNull():
            raise ChamberDeskError("SVG 图标无法显示（缺少 Qt 的 SVG 插件）")
        notes.append("SVG 图标正常")
    preview = _check_preview(folder / "selfcheck.pdf")
    if preview:
        notes.append(preview)
    notes.append(_open_main_window(folder))
    return "，".join(notes)


def _check_preview(pdf: Path) -> str:
    """The print preview draws the PDF check's page: proves a PDF renderer (QtPdf or PDFium) is bundled."""
    from chamberdesk.gui.dialogs.print_preview import PdfPages

    if not pdf.is_file():
        return ""
    pages = PdfPages(pdf)
    try:
        if pages.page_count() < 1 or pages.render(0, 36).isNull():
            raise ChamberDeskError("打印预览无法显示 PDF（缺少 PDF 渲染组件）")
        return f"打印预览正常（{pages.backend}）"
    finally:
        pages.close()  # the PDF stays open otherwise, and Windows cannot delete the check's folder


def _open_main_window(folder: Path) -> str:
    """Build the real main window on the self-check data file, let the event loop run, close it."""
    from chamberdesk.gui.main_window import MainWindow

    db = open_database(folder / "selfcheck.db", user="selfcheck")
    try:
        win = MainWindow(db)
        win.show()
        QTimer.singleShot(0, QApplication.quit)
        QApplication.exec()
        win.close()
        win.deleteLater()
        QApplication.processEvents()
    finally:
        db.close()
    return "主窗口正常"
