"""Closing the main window while a print or export batch runs: ask, cancel, wait, then close the file."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from chamberdesk.core.db import open_database
from chamberdesk.gui import workers
from chamberdesk.gui.main_window import MainWindow
from chamberdesk.gui.workers import run_task


@pytest.fixture
def window(qtbot, styled_app, demo_path):
    w = MainWindow(open_database(demo_path))
    qtbot.addWidget(w)
    w.show()
    yield w
    workers.stop_all(10000)


def _start_batch(w):
    """A batch that reads the file and reports progress until it is cancelled, like a print job."""
    started = threading.Event()
    seen = {"rows": 0, "after_cancel": 0}

    def work(progress):
        started.set()
        for i in range(100000):
            with w.ctx.db.session() as s:
                seen["rows"] += s.execute(text("SELECT count(*) FROM member")).scalar()
            if progress.cancelled:
                seen["after_cancel"] += 1  # a last report after 取消 must go nowhere, not crash
                progress.report(i, 100000, "正在生成")
            progress.check()
            progress.report(i, 100000, f"正在生成第 {i} 页")
            time.sleep(0.005)  # a page takes a while to lay out
        return "done"

    callbacks: list[str] = []
    task = run_task(w, "打印", work, on_done=lambda r: callbacks.append("done"),
                    on_cancel=lambda: callbacks.append("cancel"), min_duration_ms=100000)
    assert started.wait(10)
    return task, seen, callbacks


def test_no_keeps_the_window_and_the_task(qtbot, window, answer_modal):
    task, seen, _ = _start_batch(window)
    shown = answer_modal("继续任务")
    window.close()
    assert shown and "任务进行中，是否取消并退出？" in shown[0].text()
    assert window.isVisible() and not task.progress.cancelled
    qtbot.wait(50)
    assert seen["rows"] > 0 and task._thread_done.is_set() is False
    task.cancel()  # before qtbot closes the window, which would ask again
    assert task.wait(10000) and task.was_cancelled


def test_yes_cancels_and_waits_before_closing_the_file(qtbot, window, answer_modal, capfd, monkeypatch):
    task, seen, callbacks = _start_batch(window)
    db = window.ctx.db
    closed_while_running: list[int] = []
    real_close = db.close
    monkeypatch.setattr(db, "close", lambda: (closed_while_running.append(len(workers.running_tasks())),
                                              real_close()))
    answer_modal("取消任务并退出")
    window.close()
    assert not window.isVisible()
    assert closed_while_running == [0]  # the worker had stopped before the database was closed
    assert task._thread_done.is_set() and task.progress.cancelled and seen["after_cancel"] == 1
    qtbot.wait(100)  # queued signals from the worker are delivered into nothing
    assert callbacks == []  # the closed window's callbacks did not run
    assert "Signal source has been deleted" not in capfd.readouterr().err


def test_close_without_tasks_asks_nothing(qtbot, window):
    window.close()
    assert not window.isVisible()
