"""Render docs/manual.md to a printable A4 PDF (and HTML) with Qt's own Markdown support.

    python installer/render_manual.py [OUT_DIR]   (default: docs/)

Clerks' PCs may have nothing that opens .md files; every PC opens a PDF, and the PDF prints.
The bundled Noto Sans SC is used so the result looks the same on every machine.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QMarginsF, QSizeF, QUrl  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from chamberdesk.paths import resources_dir  # noqa: E402

CSS = """
h1 { font-size: 20pt; color: #1f3a5f; }
h2 { font-size: 15pt; color: #1f3a5f; margin-top: 14pt; }
h3 { font-size: 12pt; }
table { border-collapse: collapse; }
td, th { border: 1px solid #999; padding: 3px; }
code, pre { font-family: monospace; background: #f2f2f2; }
"""


def render(md: Path, out_dir: Path) -> tuple[Path, Path]:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    family = "sans-serif"
    font_file = resources_dir() / "fonts" / "NotoSansSC-Regular.ttf"
    if font_file.is_file():
        fid = QFontDatabase.addApplicationFont(str(font_file))
        if fid >= 0:
            family = QFontDatabase.applicationFontFamilies(fid)[0]
    doc = QTextDocument()
    doc.setDefaultFont(QFont(family, 10))
    doc.setDefaultStyleSheet(CSS)
    doc.setBaseUrl(QUrl.fromLocalFile(str(md.parent) + "/"))  # screenshots/… resolve beside the manual
    doc.setMarkdown(md.read_text(encoding="utf-8"))
    # Screenshots are full-window grabs: scale them to the text width.
    html = doc.toHtml().replace("<img ", '<img width="560" ')
    doc.setHtml(html)
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / "manual.pdf"
    writer = QPdfWriter(str(pdf))
    writer.setTitle("商会台账 使用手册")
    writer.setCreator("ChamberDesk")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    writer.setResolution(96)
    doc.setPageSize(QSizeF(writer.width(), writer.height()))
    doc.print_(writer)
    html_out = out_dir / "manual.html"
    html_out.write_text(html, encoding="utf-8")
    return pdf, html_out


def main() -> int:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    pdf, html = render(ROOT / "docs" / "manual.md", out_dir)
    print(f"{pdf} ({pdf.stat().st_size // 1024} KB), {html.name}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
