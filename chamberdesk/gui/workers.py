"""Long work (import, export, printing batches, backups) off the GUI thread, with progress and 取消.

One helper for every page:

    from chamberdesk.gui.workers import run_task

    def work(progress):                      # runs on a worker thread: never touch a widget here
        with ctx.db.transaction() as s:      # each task opens its own session
            for i, row in enumerate(rows):
                progress.check()             # raises Cancelled if the clerk pressed 取消
                ...
                progress.report(i + 1, len(rows), f"正在导入第 {i + 1} 行")
        return n

    run_task(self, "导入会员", work,
             on_done=lambda n: ctx.status_message.emit(f"已导入 {n} 条"),   # GUI thread
             label="正在读取表格…")

API
  run_task(parent, title, fn, *, on_done=None, on_error=None, on_cancel=None, label="",
           cancellable=True, show_progress=True, min_duration_ms=400) -> Task
    - `fn(progress)` runs on QThreadPool.globalInstance(); its return value goes to `on_done(result)`,
      called on the GUI thread.
    - `progress.report(done, total=0, text="")`: thread-safe; total=0 shows a busy bar.
      `progress.cancelled` (bool) and `progress.check()` (raises `Cancelled`) see the 取消 button.
    - A ChamberDeskError raised by `fn` is shown as a warning box with its Chinese message; any other
      exception as 操作失败 with the details folded away. Pass `on_error(exc)` to handle it yourself
      (then no box is shown). A `Cancelled` exception calls `on_cancel()` and shows nothing.
    - The QProgressDialog (window-modal on `parent`) appears only if the work lasts longer than
      `min_duration_ms`, so quick tasks do not flash a dialog.
  Task: `.done` (bool), `.result`, `.error`, `.cancel()`, `.finished` signal (emitted on the GUI thread
  after the callbacks), `.wait(timeout_ms)` for tests and shutdown.
  running_tasks() -> list[Task]; unfinished_tasks() -> list[Task] (callbacks not yet run); stop_all(timeout_ms) -> bool: cancels every task, drops their callbacks
  and waits until their threads have left `fn` — the main window calls it before closing the database.
"""

from __future__ import annotations

import contextlib
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from chamberdesk.core.errors import ChamberDeskError


class Cancelled(Exception):
    """Raised inside a task by `progress.check()` after the clerk pressed 取消."""


class Progress:
    """Handed to the task function: report progress, look at the cancel flag. Thread-safe."""

    def __init__(self, task: Task) -> None:
        self._task = task
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        if self._task._detached:  # the window is closing: nobody is listening any more
            return
        _emit(self._task._progressed, int(done), int(total), str(text))


def _emit(signal, *args) -> None:
    with contextlib.suppress(RuntimeError):  # the Task's Qt object is gone (shutting down): drop it
        signal.emit(*args)


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        t = self.task
        try:
            try:
                result = t._fn(t.progress)
            except Cancelled:
                outcome, payload = "cancelled", None
            except BaseException as exc:  # the GUI thread decides how to show it
                exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
                outcome, payload = "error", exc
            else:
                outcome, payload = "ok", result
            if not t._detached:
                _emit(t._finished_in_thread, outcome, payload)
        finally:
            t._thread_done.set()


_ACTIVE: set[Task] = set()  # keeps running tasks (and their signal objects) alive


class Task(QObject):
    """One piece of background work; lives on the GUI thread, so its slots run there."""

    finished = Signal()
    _progressed = Signal(int, int, str)
    _finished_in_thread = Signal(str, object)

    def __init__(self, parent_widget: QWidget | None, title: str, fn: Callable[[Progress], Any], *,
                 on_done: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
                 on_cancel: Callable[[], None] | None, label: str, cancellable: bool, show_progress: bool,
                 min_duration_ms: int) -> None:
        super().__init__()
        self._fn = fn
        self._on_done, self._on_error, self._on_cancel = on_done, on_error, on_cancel
        self.parent_widget = parent_widget
        self.title = title
        self.progress = Progress(self)
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.was_cancelled = False
        self._event = threading.Event()
        self._thread_done = threading.Event()  # set by the worker thread once `fn` has returned
        self._detached = False  # set by stop_all(): the result goes nowhere, no callback runs
        self.dialog: QProgressDialog | None = None
        if show_progress:
            dlg = QProgressDialog(label or f"{title}…", "取消" if cancellable else "", 0, 0, parent_widget)
            dlg.setWindowTitle(title)
            dlg.setWindowModality(Qt.WindowModality.WindowModal)
            dlg.setMinimumDuration(min_duration_ms)
            dlg.setAutoClose(False)
            dlg.setAutoReset(False)
            dlg.setMinimumWidth(360)
            if not cancellable:
                dlg.setCancelButton(None)
            dlg.canceled.connect(self.cancel)
            self.dialog = dlg
        self._progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._finished_in_thread.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    def start(self) -> Task:
        _ACTIVE.add(self)
        QThreadPool.globalInstance().start(_Runnable(self))
        return self

    def cancel(self) -> None:
        self.progress._cancel.set()
        dlg = self.dialog
        if dlg is not None:
            dlg.setLabelText("正在取消…")

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Block until the task has finished and its callbacks ran (processes GUI events meanwhile)."""
        deadline = QDeadlineTimer(timeout_ms)
        while not self.done and not deadline.hasExpired():
            QCoreApplication.processEvents()
            self._event.wait(0.01)
        return self.done

    def detach(self) -> None:
        """Cancel and forget: no callback runs and no dialog is shown, whatever the thread still does."""
        self._detached = True
        self.cancel()
        dlg, self.dialog = self.dialog, None
        if dlg is not None:
            dlg.canceled.disconnect(self.cancel)
            dlg.close()
            dlg.deleteLater()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        dlg = self.dialog
        if dlg is None or self.done:
            return
        dlg.setMaximum(max(total, 0))
        if total > 0:
            dlg.setValue(min(done, total))
            # setValue runs the event loop on a modal dialog: the task may have finished in there
            # and closed the dialog (self.dialog is then None).
            if self.done or self.dialog is not dlg:
                return
        if text and not self.progress.cancelled:
            dlg.setLabelText(text)

    @Slot(str, object)
    def _on_finished(self, outcome: str, payload: object) -> None:
        if self._detached or self.done:
            return
        dlg, self.dialog = self.dialog, None  # cleared first: close() may run events that report progress
        if dlg is not None:
            dlg.canceled.disconnect(self.cancel)
            dlg.close()
            dlg.deleteLater()
        try:
            if outcome == "ok":
                self.result = payload
                if self._on_done is not None:
                    self._on_done(payload)
            elif outcome == "cancelled":
                self.was_cancelled = True
                if self._on_cancel is not None:
                    self._on_cancel()
            else:
                self.error = payload  # type: ignore[assignment]
                if self._on_error is not None:
                    self._on_error(payload)  # type: ignore[arg-type]
                else:
                    show_task_error(self.parent_widget, self.title, payload)  # type: ignore[arg-type]
        finally:
            self.done = True
            self._event.set()
            _ACTIVE.discard(self)
            self.finished.emit()


def unfinished_tasks() -> list[Task]:
    """Tasks whose result has not reached the window yet (their thread may be done, their callback not)."""
    return list(_ACTIVE)


def running_tasks() -> list[Task]:
    """Tasks whose work has not finished yet (their thread is still in `fn`)."""
    return [t for t in _ACTIVE if not t._thread_done.is_set()]


def stop_all(timeout_ms: int = 30000) -> bool:
    """Cancel every running task and wait until their threads have stopped using the data file.

    Their callbacks are dropped (the window they would update is closing). Tasks that cannot be
    cancelled (an import being written, a backup) are waited for. True if all stopped in time; if not,
    the window stays open and the unfinished tasks get their callbacks back, so their results still
    reach the clerk.
    """
    tasks = list(_ACTIVE)
    for t in tasks:
        t.detach()
    deadline = QDeadlineTimer(timeout_ms)
    for t in tasks:
        while not t._thread_done.wait(0.02):
            if deadline.hasExpired():
                for u in tasks:
                    if not u._thread_done.is_set():
                        u._detached = False
                return False
            QCoreApplication.processEvents()
        _ACTIVE.discard(t)
        t.done = True
        t._event.set()
    return True


def show_task_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    if isinstance(exc, ChamberDeskError):
        QMessageBox.warning(parent, title, str(exc))
        return
    # an unexpected error: a Chinese sentence for the clerk, the technical text folded into 详细信息
    box = QMessageBox(QMessageBox.Icon.Critical, title,
                      "操作未能完成。请重试；如仍出错，请点“显示详细信息”并截图发给技术支持。",
                      QMessageBox.StandardButton.Ok, parent)
    box.setDetailedText(getattr(exc, "__traceback_text__", "") or repr(exc))
    box.exec()


def run_task(parent: QWidget | None, title: str, fn: Callable[[Progress], Any], *,
             on_done: Callable[[Any], None] | None = None, on_error: Callable[[BaseException], None] | None = None,
             on_cancel: Callable[[], None] | None = None, label: str = "", cancellable: bool = True,
             show_progress: bool = True, min_duration_ms: int = 400) -> Task:
    """Run `fn(progress)` on a worker thread; see the module docstring for the contract."""
    return Task(parent, title, fn, on_done=on_done, on_error=on_error, on_cancel=on_cancel, label=label,
                cancellable=cancellable, show_progress=show_progress, min_duration_ms=min_duration_ms).start()
