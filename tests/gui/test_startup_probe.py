"""The start-up probe of the install checks (CHAMBERDESK_STARTUP_PROBE) reports what the window shows and quits.

Under wine the frozen `ChamberDesk.exe --open-package` start hung 2 runs in 4: the probe quit while the package
was still being summed up; QApplication.quit() closes the windows first, and the window asked
"任务进行中，是否取消并退出？" in a dialog nobody could see. The probe now waits for the page's work.
"""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

from chamberdesk.gui import workers
from chamberdesk.gui.app import _probe_and_quit
from chamberdesk.gui.main_window import MainWindow
from chamberdesk.io.package import build_package


def test_probe_waits_for_the_opened_package_and_quits_with_nothing_running(qtbot, styled_app, demo_db, tmp_path):
    pkg = tmp_path / "上报 数据包.zip"
    build_package(demo_db, date.today().year - 1, pkg)
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    win.navigate("reports", {"packages": [pkg]})  # as `--open-package` does
    assert workers.unfinished_tasks()  # summing it up runs in the background
    probe = tmp_path / "probe.json"
    quits: list[int] = []  # how many tasks were still unfinished when the probe asked to quit
    app = SimpleNamespace(quit=lambda: quits.append(len(workers.unfinished_tasks())))
    _probe_and_quit(str(probe), SimpleNamespace(window=win), app)
    qtbot.waitUntil(lambda: bool(quits), timeout=30000)
    assert quits == [0]
    shown = json.loads(probe.read_text(encoding="utf-8"))
    assert shown["page"] == "reports" and not shown["page_failed"]
    assert shown["packages_shown"] == 1  # the package's county is on the page, not still being read
