"""Form helpers: a field with its error message beside it, and combo boxes over coded choices."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from chamberdesk.core.choices import Choice
from chamberdesk.gui.style import set_invalid


class FieldWithError(QWidget):
    """Wraps an input widget; `set_error("…")` turns it red and shows the message to its right."""

    def __init__(self, widget: QWidget, parent: QWidget | None = None, *, error_width: int = 230) -> None:
        super().__init__(parent)
        self.widget = widget
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setMinimumWidth(error_width)
        self.error.setMaximumWidth(error_width + 60)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(widget, 1)
        lay.addWidget(self.error)

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setToolTip(message or "")
        set_invalid(self.widget, bool(message))

    def error_text(self) -> str:
        return self.error.text()


def choice_combo(enum: type[Choice], *, empty: str | None = "（未填写）", show_value: bool = False) -> QComboBox:
    """A combo over a coded choice: items show the Chinese label, `currentData()` is the stored value."""
    cb = QComboBox()
    if empty is not None:
        cb.addItem(empty, None)
    for m in enum:
        cb.addItem(f"{m.value} {m.label}" if show_value else m.label, m.value)
    return cb


def set_combo_value(cb: QComboBox, value: object) -> None:
    idx = cb.findData(value)
    cb.setCurrentIndex(idx if idx >= 0 else 0)
