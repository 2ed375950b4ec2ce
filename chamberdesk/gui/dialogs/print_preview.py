"""Print preview of a generated PDF: page through it, 打印 through Qt's print dialog, 另存为 PDF."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.gui.widgets.layout import resize_to_fit


class PdfPages:
    """Renders pages of a PDF to QImage: Qt's own PDF module when the installed PySide6 has it,
    else PDFium (pypdfium2), else poppler's pdftoppm."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.backend = ""
        self._doc = None
        try:
            from PySide6.QtPdf import QPdfDocument

            doc = QPdfDocument()
            doc.load(str(self.path))
            if doc.pageCount() > 0:
                self._doc, self.backend = doc, "qtpdf"
                self._count = doc.pageCount()
                return
        except ImportError:
            pass
        try:
            import pypdfium2

            self._doc, self.backend = pypdfium2.PdfDocument(str(self.path)), "pdfium"
            self._count = len(self._doc)
            return
        except ImportError:
            pass
        if shutil.which("pdftoppm") and shutil.which("pdfinfo"):
            out = subprocess.run(["pdfinfo", str(self.path)], capture_output=True, text=True, check=True).stdout
            self._count = next(int(line.split()[-1]) for line in out.splitlines() if line.startswith("Pages:"))
            self.backend = "poppler"
            return
        raise RuntimeError("没有可用的 PDF 渲染组件，无法预览；请另存为 PDF 后用阅读器打开。")

    def page_count(self) -> int:
        return self._count

    def page_size_pt(self, i: int) -> tuple[float, float]:
        if self.backend == "qtpdf":
            s = self._doc.pagePointSize(i)  # type: ignore[union-attr]
            return s.width(), s.height()
        if self.backend == "pdfium":
            return tuple(self._doc[i].get_size())  # type: ignore[index,return-value]
        return 595.0, 842.0

    def render(self, i: int, dpi: float) -> QImage:
        w, h = self.page_size_pt(i)
        size = QSize(max(1, round(w * dpi / 72)), max(1, round(h * dpi / 72)))
        if self.backend == "qtpdf":
            # QPdfDocument.render leaves everything but the ink transparent: lay it on white paper,
            # else the preview shows text on the grey backdrop and printers get no page background.
            ink = self._doc.render(i, size)  # type: ignore[union-attr]
            paper = QImage(ink.size(), QImage.Format.Format_RGB32)
            paper.fill(Qt.GlobalColor.white)
            painter = QPainter(paper)
            painter.drawImage(0, 0, ink)
            painter.end()
            return paper
        if self.backend == "pdfium":
            bitmap = self._doc[i].render(scale=dpi / 72, fill_color=(255, 255, 255, 255))  # type: ignore[index]
            pil = bitmap.to_pil().convert("RGB")
            data = pil.tobytes("raw", "RGB")
            return QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888).copy()
        with tempfile.TemporaryDirectory() as tmp:
            stem = Path(tmp) / "p"
            subprocess.run(["pdftoppm", "-png", "-r", str(int(dpi)), "-f", str(i + 1), "-l", str(i + 1), "-singlefile",
                            str(self.path), str(stem)], check=True, capture_output=True)
            return QImage(str(stem) + ".png")

    def close(self) -> None:
        """Lets go of the file (Windows cannot delete or replace a file still open)."""
        if self._doc is not None and self.backend in ("pdfium", "qtpdf"):
            self._doc.close()
        self._doc = None


SENT_TO_PRINTER = ("已发送到打印机。如果没有打印出来，请检查打印机是否开机、有纸，"
                   "或在 Windows 的“设置 → 打印机和扫描仪”中查看打印队列。")


def print_pdf(pages: PdfPages, parent: QWidget | None, title: str = "打印") -> bool:
    """Ask for a printer with Qt's print dialog and paint the chosen pages onto it. True if printed."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setFromTo(1, pages.page_count())
    dlg = QPrintDialog(printer, parent)
    dlg.setWindowTitle(title)
    dlg.setMinMax(1, pages.page_count())
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return False
    return paint_to_printer(pages, printer, parent)


def paint_to_printer(pages: PdfPages, printer, parent: QWidget | None = None) -> bool:
    first, last = printer.fromPage(), printer.toPage()
    if first == 0:
        first, last = 1, pages.page_count()
    dpi = min(printer.resolution(), 300)  # sharp enough for forms, without gigabyte spool files
    wait = QProgressDialog("正在发送到打印机…", "取消", 0, last - first + 1, parent)
    wait.setWindowModality(Qt.WindowModality.WindowModal)
    wait.setMinimumDuration(500)
    painter = QPainter()
    if not painter.begin(printer):
        QMessageBox.warning(parent, "打印", "无法连接打印机。")
        return False
    try:
        for n, i in enumerate(range(first - 1, last)):
            if wait.wasCanceled():
                printer.abort()
                return False
            if n:
                printer.newPage()
            img = pages.render(i, dpi)
            area = painter.viewport()
            target = img.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(area.x(), area.y(), target.width(), target.height())
            painter.setWindow(img.rect())
            painter.drawImage(0, 0, img)
            painter.setViewport(area)
            painter.setWindow(QRect(0, 0, area.width(), area.height()))
            wait.setValue(n + 1)
            QApplication.processEvents()
    finally:
        painter.end()
        wait.close()
    return True


ZOOMS = [("适合宽度", 0), ("50%", 50), ("75%", 75), ("100%", 100), ("150%", 150)]


class PrintPreviewDialog(QDialog):
    """Shows one page at a time (fast even for a 600-page batch) with 打印 and 另存为 PDF."""

    def __init__(self, pdf_path: str | Path, title: str = "打印预览", parent: QWidget | None = None,
                 suggested_name: str = "", on_output: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.on_output = on_output  # called after each 打印 or 另存为 PDF
        self.setWindowTitle(title)
        resize_to_fit(self, 860, 980)
        self.pdf_path = Path(pdf_path)
        self.suggested_name = suggested_name or self.pdf_path.name
        self.pages = PdfPages(self.pdf_path)
        self.printed = False
        self.saved_to: Path | None = None

        self.page_spin = QSpinBox()
        self.page_spin.setRange(1, max(1, self.pages.page_count()))
        self.page_spin.setPrefix("第 ")
        self.page_spin.setSuffix(f" 页 / 共 {self.pages.page_count()} 页")
        self.prev_btn = QPushButton("上一页")
        self.next_btn = QPushButton("下一页")
        self.zoom = QComboBox()
        for label, val in ZOOMS:
            self.zoom.addItem(label, val)
        self.print_btn = QPushButton("打印…")
        self.save_btn = QPushButton("另存为 PDF…")
        self.close_btn = QPushButton("关闭")
        bar = QHBoxLayout()
        for w in (self.prev_btn, self.page_spin, self.next_btn, QLabel("缩放："), self.zoom):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.print_btn, self.save_btn, self.close_btn):
            bar.addWidget(w)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setStyleSheet("background: #808080;")
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.image)
        self.sent_label = QLabel()  # after 打印: that it went, and what to check if nothing comes out
        self.sent_label.setWordWrap(True)
        self.sent_label.setStyleSheet("color: #2e7d32;")
        self.sent_label.hide()
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.sent_label)
        lay.addWidget(self.scroll, 1)

        self.prev_btn.clicked.connect(lambda: self.page_spin.setValue(self.page_spin.value() - 1))
        self.next_btn.clicked.connect(lambda: self.page_spin.setValue(self.page_spin.value() + 1))
        self.page_spin.valueChanged.connect(self.show_page)
        self.zoom.currentIndexChanged.connect(lambda _i: self.show_page())
        self.print_btn.clicked.connect(self.print_pages)
        self.save_btn.clicked.connect(self.save_as)
        self.close_btn.clicked.connect(self.accept)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.show_page)
        self.show_page()

    def current_dpi(self) -> float:
        z = self.zoom.currentData()
        if z:
            return 96 * z / 100
        w, _ = self.pages.page_size_pt(self.page_spin.value() - 1)
        avail = max(200, self.scroll.viewport().width() - 24)
        return avail / w * 72

    def show_page(self) -> None:
        if self.pages._doc is None and self.pages.backend != "poppler":
            return  # closed
        i = self.page_spin.value() - 1
        self.prev_btn.setEnabled(i > 0)
        self.next_btn.setEnabled(i < self.pages.page_count() - 1)
        img = self.pages.render(i, self.current_dpi())
        self.image.setPixmap(QPixmap.fromImage(img))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.zoom.currentData() == 0:
            # after the layout has resized the scroll area: its viewport is still the old width here
            self._refit.start()

    def print_pages(self) -> None:
        if print_pdf(self.pages, self, self.windowTitle()):
            self.printed = True
            self.sent_label.setText(SENT_TO_PRINTER)
            self.sent_label.show()
            if self.on_output:
                self.on_output()

    def save_as(self) -> None:
        from chamberdesk.gui.widgets.files import ask_save_path, notify_saved

        path = ask_save_path(self, "另存为 PDF", self.suggested_name, "PDF 文件 (*.pdf)", ".pdf")
        if path is None:
            return
        shutil.copyfile(self.pdf_path, path)
        self.saved_to = path
        if self.on_output:
            self.on_output()
        self.notice = notify_saved(self.parentWidget() or self, "已保存", path)

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        self._refit.stop()  # a resize just before closing must not render from the closed document
        self.pages.close()
        super().done(result)
