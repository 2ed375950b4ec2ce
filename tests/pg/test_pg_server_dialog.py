"""The connection form against a real server: 测试连接 reports the version, the URL opens the database."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from sqlalchemy.engine import make_url

from chamberdesk.core.db import open_database
from chamberdesk.gui.dialogs.server_connection import ServerConnectionDialog
from chamberdesk.gui.settings import Settings


def test_form_connects_and_opens_the_server_database(qtbot, tmp_path, pg_migrated_url) -> None:
    u = make_url(pg_migrated_url)
    s = Settings(QSettings(str(tmp_path / "cd.ini"), QSettings.Format.IniFormat))
    dlg = ServerConnectionDialog(settings_obj=s)
    qtbot.addWidget(dlg)
    dlg.remember.setChecked(False)
    qtbot.keyClicks(dlg.host, u.host)
    dlg.port.setValue(u.port)
    qtbot.keyClicks(dlg.database, u.database)
    qtbot.keyClicks(dlg.user, u.username)
    assert dlg.run_test(), dlg.status.text()
    assert "连接成功" in dlg.status.text() and "PostgreSQL" in dlg.status.text()
    dlg.accept()
    db = open_database(dlg.database_url())
    try:
        assert not db.is_sqlite
    finally:
        db.close()
