"""Errors the core raises, each carrying a Chinese message fit to show a clerk."""

from __future__ import annotations


class ChamberDeskError(Exception):
    """Base: `str(err)` is one Chinese line that says what went wrong and what to do."""


class FieldError(ChamberDeskError):
    def __init__(self, field: str, label: str, message: str) -> None:
        super().__init__(f"{label}：{message}")
        self.field = field
        self.label = label
        self.message = message


class InvalidInput(ChamberDeskError):
    """One or more fields are wrong; nothing was written."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("；".join(str(e) for e in errors))

    def by_field(self) -> dict[str, str]:
        return {e.field: e.message for e in self.errors}


class NotFound(ChamberDeskError):
    pass


class Conflict(ChamberDeskError):
    """Someone else changed the record since it was read (optimistic locking)."""


class DataFileError(ChamberDeskError):
    """The data file cannot be opened as it is: foreign, newer, damaged or locked."""
