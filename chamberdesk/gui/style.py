"""The look: a light Fusion palette with a blue-grey accent, CJK-friendly fonts, and icons."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from chamberdesk.paths import resources_dir

ACCENT = "#3d5a80"
ACCENT_LIGHT = "#dbe4ee"
ERROR = "#c0392b"
OK = "#2e7d32"
WARN = "#b26a00"
TEXT = "#1f2933"
MUTED = "#5f6b7a"
WINDOW = "#f4f6f9"

# Tried in order; the first one installed wins (Windows, macOS, Linux distributions).
FONT_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
                 "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei"]

STYLESHEET = f"""
QMainWindow, QDialog {{ background: {WINDOW}; }}
QListWidget#nav {{
    background: #e9eef4; border: none; border-right: 1px solid #cfd8e3; outline: 0; padding-top: 6px;
}}
QListWidget#nav::item {{ padding: 9px 10px; margin: 1px 6px; border-radius: 6px; color: {TEXT}; }}
QListWidget#nav::item:hover {{ background: #dde5ee; }}
QListWidget#nav::item:selected {{ background: {ACCENT}; color: white; }}
QLabel#pageTitle {{ font-size: 15pt; font-weight: 600; color: {TEXT}; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel.fieldError, QLabel#fieldError {{ color: {ERROR}; }}
QLineEdit[invalid="true"], QComboBox[invalid="true"], QDateEdit[invalid="true"] {{
    border: 1px solid {ERROR}; background: #fdecea;
}}
QTableView {{
    background: white; alternate-background-color: #f7f9fc; gridline-color: #e3e8ef;
    selection-background-color: {ACCENT_LIGHT}; selection-color: {TEXT};
}}
QHeaderView::section {{
    background: #eef2f6; border: none; border-right: 1px solid #dde3ea; border-bottom: 1px solid #cfd8e3;
    padding: 5px 6px; color: {TEXT};
}}
QGroupBox {{ font-weight: 600; border: 1px solid #d5dde6; border-radius: 6px; margin-top: 12px; padding-top: 6px;
    background: white; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; color: {ACCENT}; }}
QPushButton {{ padding: 5px 14px; border: 1px solid #b8c4d2; border-radius: 4px; background: white; }}
QPushButton:hover {{ background: #eef3f8; }}
QPushButton:default, QPushButton#primary {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QPushButton:default:hover, QPushButton#primary:hover {{ background: #335073; }}
QPushButton:disabled, QPushButton:default:disabled, QPushButton#primary:disabled {{
    background: #e5e9ee; color: #98a2ae; border-color: #d5dbe2; }}
QStatusBar {{ background: #e9eef4; color: {MUTED}; }}
QToolBar {{ background: {WINDOW}; border: none; spacing: 6px; }}
"""


def pick_font_family() -> str | None:
    have = set(QFontDatabase.families())
    for fam in FONT_FAMILIES:
        if fam in have:
            return fam
    return None


def apply_style(app: QApplication) -> None:
    """Fusion style (same on every OS), light palette, CJK font, our stylesheet."""
    app.setStyle("Fusion")
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor(WINDOW))
    pal.setColor(QPalette.ColorRole.WindowText, QColor(TEXT))
    pal.setColor(QPalette.ColorRole.Base, QColor("white"))
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor("#f7f9fc"))
    pal.setColor(QPalette.ColorRole.Text, QColor(TEXT))
    pal.setColor(QPalette.ColorRole.Button, QColor("#f8fafc"))
    pal.setColor(QPalette.ColorRole.ButtonText, QColor(TEXT))
    pal.setColor(QPalette.ColorRole.Highlight, QColor(ACCENT))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor("white"))
    pal.setColor(QPalette.ColorRole.ToolTipBase, QColor("#ffffe8"))
    pal.setColor(QPalette.ColorRole.ToolTipText, QColor(TEXT))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a96a3"))
    pal.setColor(QPalette.ColorRole.Link, QColor(ACCENT))
    app.setPalette(pal)
    fam = pick_font_family()
    font = QFont(app.font())
    if fam:
        font.setFamilies([fam, *[f for f in FONT_FAMILIES if f != fam]])
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)


@cache
def icon(name: str) -> QIcon:
    """An icon from resources/icons by file name ("members.svg") or stem ("members"); empty if missing."""
    base = resources_dir() / "icons"
    for candidate in (name, f"{name}.svg", f"{name}.png"):
        p = base / candidate
        if candidate and p.is_file():
            ic = QIcon(str(p))
            white = base / "selected" / candidate  # for the highlighted navigation entry
            if white.is_file():
                ic.addFile(str(white), mode=QIcon.Mode.Selected)
            return ic
    return QIcon()


def set_invalid(widget, invalid: bool) -> None:
    """Mark a field red through the `invalid` property the stylesheet styles."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
