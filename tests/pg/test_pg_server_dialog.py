"""The connection form against a real server: 测试连接 reports the version, the URL opens the database."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
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


def test_settings_button_moves_the_window_onto_the_server_and_the_next_start_too(
        qtbot, tmp_path, demo_path, pg_migrated_url, monkeypatch) -> None:
    from PySide6.QtWidgets import QDialog

    from chamberdesk.gui import app as gapp
    from chamberdesk.gui import settings as gui_settings
    from chamberdesk.gui.dialogs import server_connection as sc

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    gui_settings.reset_settings_cache()
    monkeypatch.setattr(sc, "keyring_available", lambda: False)  # nothing may reach the real keyring
    u = make_url(pg_migrated_url)

    def fill_and_connect(self):
        self.host.setText(u.host)
        self.port.setValue(u.port)
        self.database.setText(u.database)
        self.user.setText(u.username)
        self.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(sc.ServerConnectionDialog, "exec", fill_and_connect)

    def no_modal(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:]}")

    from PySide6.QtWidgets import QMessageBox

    for kind in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, no_modal)
    launcher = gapp.Launcher()
    try:
        launcher.show(open_database(demo_path))
        qtbot.addWidget(launcher.window)
        launcher.window.navigate("settings")
        page = launcher.window.page("settings")
        page.tabs.setCurrentWidget(page.data_file)
        qtbot.mouseClick(page.data_file.server_btn, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: launcher.window.db.path is None, timeout=10000)
        assert not launcher.window.db.is_sqlite
        # The next start goes to the server too (the password would come from the keyring or a prompt).
        start = gapp.choose_start_file(None)
        assert start is not None and not start.is_sqlite
        start.close()
        # Opening a data file again makes this PC start on files.
        launcher.show(open_database(demo_path))
        assert sc.server_url_at_start() is None
    finally:
        if launcher.window is not None:
            launcher.window.close()
            launcher.window.db.close()
        gui_settings.reset_settings_cache()
