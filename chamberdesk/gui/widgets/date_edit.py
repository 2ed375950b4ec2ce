"""A date field that may stay empty (未填写), with a calendar popup and today's date one click away."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QWidget

_EMPTY = QDate(1900, 1, 1)  # the minimum stands for "no date"; shown as the special value text


class OptionalDateEdit(QDateEdit):
    """`value()` is a datetime.date or None; `set_value(None)` clears it. Format yyyy-MM-dd."""

    value_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, allow_empty: bool = True) -> None:
        super().__init__(parent)
        self.allow_empty = allow_empty
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        if allow_empty:
            self.setMinimumDate(_EMPTY)
            self.setSpecialValueText("未填写")
            self.setDate(_EMPTY)
        else:
            self.setDate(QDate.currentDate())
        self.dateChanged.connect(lambda _d: self.value_changed.emit(self.value()))

    def value(self) -> date | None:
        d = self.date()
        if self.allow_empty and d == _EMPTY:
            return None
        return date(d.year(), d.month(), d.day())

    def set_value(self, d: date | None) -> None:
        if d is None:
            self.setDate(_EMPTY if self.allow_empty else QDate.currentDate())
        else:
            self.setDate(QDate(d.year, d.month, d.day))

    def mousePressEvent(self, event) -> None:
        # An empty field opens its calendar on this month rather than January 1900.
        if self.allow_empty and self.date() == _EMPTY:
            self.calendarWidget().setSelectedDate(QDate.currentDate())
        super().mousePressEvent(event)
