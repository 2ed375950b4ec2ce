"""What the settings tabs share: long work through the task helper, errors in a message box."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def run_in_background(parent: QWidget, title: str, fn, on_done, label: str = "") -> None:
    """Long work off the GUI thread through the shared helper."""
    from chamberdesk.gui.workers import run_task

    run_task(parent, title, lambda _p: fn(), on_done=on_done, label=label, cancellable=False)


def show_error(parent: QWidget, exc: BaseException, title: str = "操作未完成") -> None:
    QMessageBox.warning(parent, title, str(exc))
