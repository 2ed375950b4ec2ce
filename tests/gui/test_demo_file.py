"""A demo data file is never reopened by itself at the next start (nobody types real members into it)."""

from __future__ import annotations

from chamberdesk.core.db import open_database
from chamberdesk.core.federation import is_demo
from chamberdesk.gui.app import Launcher
from chamberdesk.gui.settings import settings


def test_demo_file_is_not_remembered_as_last(qtbot, demo_db, tmp_path) -> None:
    assert is_demo(demo_db)
    launcher = Launcher()
    launcher.show(demo_db)
    qtbot.addWidget(launcher.window)
    assert settings().str_value("files/last") == ""
    assert str(demo_db.path) in settings().recent_files()
    assert "演示数据" in launcher.window.windowTitle()

    real = open_database(tmp_path / "real.db", create=True)
    assert not is_demo(real)
    launcher.show(real)
    qtbot.addWidget(launcher.window)
    assert settings().str_value("files/last") == str(real.path)
    assert "演示数据" not in launcher.window.windowTitle()
    real.close()
