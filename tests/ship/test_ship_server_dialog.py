"""The server connection form: address remembered per user, password only in the keyring, never in a file."""

from __future__ import annotations

import socket
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog

from chamberdesk.core.server import ServerAddress, load_password
from chamberdesk.gui.dialogs import server_connection as sc
from chamberdesk.gui.settings import Settings


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


@pytest.fixture
def ring():
    before = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(before)


@pytest.fixture
def ini(tmp_path: Path) -> tuple[Settings, Path]:
    path = tmp_path / "ChamberDesk.ini"
    return Settings(QSettings(str(path), QSettings.Format.IniFormat)), path


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fill(dlg, qtbot, password: str = "s3cret-Pw") -> None:
    qtbot.keyClicks(dlg.host, "192.168.1.10")
    dlg.port.setValue(5433)
    qtbot.keyClicks(dlg.database, "chamberdesk")
    qtbot.keyClicks(dlg.user, "clerk1")
    qtbot.keyClicks(dlg.password_edit, password)


def test_password_goes_to_the_keyring_not_the_settings_file(qtbot, ring, ini) -> None:
    s, path = ini
    dlg = sc.ServerConnectionDialog(settings_obj=s)
    qtbot.addWidget(dlg)
    assert dlg.remember.isEnabled()
    _fill(dlg, qtbot)
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.database_url() == "postgresql+psycopg://clerk1:s3cret-Pw@192.168.1.10:5433/chamberdesk"
    s.sync()
    text = path.read_text(encoding="utf-8")
    assert "192.168.1.10" in text and "s3cret" not in text
    addr = sc.saved_address(s)
    assert addr == ServerAddress("192.168.1.10", "chamberdesk", "clerk1", 5433)
    assert load_password(addr) == "s3cret-Pw"
    # Next start: the keyring answers, no dialog.
    assert sc.server_url_at_start(settings_obj=s) == dlg.database_url()


def test_unticked_means_asked_at_every_start(qtbot, ring, ini, monkeypatch) -> None:
    s, path = ini
    dlg = sc.ServerConnectionDialog(settings_obj=s)
    qtbot.addWidget(dlg)
    _fill(dlg, qtbot)
    dlg.remember.setChecked(False)
    dlg.accept()
    assert ring.store == {}
    asked = {}

    def fake_exec(self):
        asked["fields_locked"] = not self.host.isEnabled() and not self.user.isEnabled()
        asked["host"] = self.host.text()
        self.password_edit.setText("typed-at-start")
        self.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(sc.ServerConnectionDialog, "exec", fake_exec)
    url = sc.server_url_at_start(settings_obj=s)
    assert url == "postgresql+psycopg://clerk1:typed-at-start@192.168.1.10:5433/chamberdesk"
    assert asked == {"fields_locked": True, "host": "192.168.1.10"}
    assert "typed-at-start" not in path.read_text(encoding="utf-8")


def test_missing_fields_and_unreachable_server_are_told_in_chinese(qtbot, ring, ini) -> None:
    s, _ = ini
    dlg = sc.ServerConnectionDialog(settings_obj=s)
    qtbot.addWidget(dlg)
    assert not dlg.run_test()
    assert "请填写服务器地址" in dlg.status.text()
    dlg.accept()
    assert dlg.result() != QDialog.DialogCode.Accepted
    qtbot.keyClicks(dlg.host, "127.0.0.1")
    dlg.port.setValue(_unused_port())
    qtbot.keyClicks(dlg.database, "chamberdesk")
    qtbot.keyClicks(dlg.user, "clerk1")
    assert not dlg.run_test()
    assert "无法连接数据库服务器" in dlg.status.text()


def test_no_keyring_disables_remembering(qtbot, ini, monkeypatch) -> None:
    monkeypatch.setattr(sc, "keyring_available", lambda: False)
    s, _ = ini
    dlg = sc.ServerConnectionDialog(settings_obj=s)
    qtbot.addWidget(dlg)
    assert not dlg.remember.isEnabled() and not dlg.remember.isChecked()
    assert "每次启动时输入密码" in dlg.remember.toolTip()
