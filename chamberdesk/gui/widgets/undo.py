"""A small undo stack for pages: push what to do to take an action back, pop it on Ctrl+Z.

    stack = UndoStack(limit=20)
    stack.push("删除会员“某某公司”", lambda: restore(member_id))
    label = stack.undo()   # runs the callback, returns its label (None if nothing to undo)

Callbacks run inside the caller's error handling: if one raises, the entry is dropped (the data
moved on since) and the error propagates, so the page can show its message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal


@dataclass
class UndoEntry:
    label: str
    undo: Callable[[], None]


class UndoStack(QObject):
    changed = Signal()

    def __init__(self, limit: int = 20, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.entries: list[UndoEntry] = []

    def push(self, label: str, undo: Callable[[], None]) -> None:
        self.entries.append(UndoEntry(label, undo))
        del self.entries[:-self.limit]
        self.changed.emit()

    def can_undo(self) -> bool:
        return bool(self.entries)

    def next_label(self) -> str | None:
        return self.entries[-1].label if self.entries else None

    def undo(self) -> str | None:
        if not self.entries:
            return None
        entry = self.entries.pop()
        self.changed.emit()
        entry.undo()
        return entry.label

    def clear(self) -> None:
        self.entries.clear()
        self.changed.emit()
