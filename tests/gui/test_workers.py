"""Background tasks: progress reports that arrive while the task is finishing."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QWidget

from chamberdesk.gui.workers import run_task


def test_task_finishing_while_progress_is_reported(qtbot):
    """QProgressDialog.setValue runs the event loop; the task's end may be handled inside it."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    release = threading.Event()
    done: list[int] = []

    def work(progress):
        release.wait(5)
        return 7

    t = run_task(parent, "测试", work, on_done=done.append, min_duration_ms=0)
    t._on_progress(0, 10, "开始")  # the dialog shows itself, as it does in real use
    qtbot.waitUntil(lambda: t.dialog.isVisible())
    # The finish is queued first, then a progress report is handled: setValue sees the finish.
    release.set()
    # The worker's finish signal is queued but not yet handled (waitForDone runs no GUI events).
    assert QThreadPool.globalInstance().waitForDone(5000)
    assert not t.done
    t._on_progress(5, 10, "正在导入第 5 行")  # must not raise AttributeError on a cleared dialog
    assert t.done and done == [7] and t.dialog is None
    t.wait(5000)


def test_progress_after_finish_is_ignored(qtbot):
    t = run_task(None, "测试", lambda p: 1, min_duration_ms=0)
    assert t.wait(5000)
    t._on_progress(1, 2, "迟到的进度")
    assert t.dialog is None and t.result == 1
