"""Opening a data file from the GUI: lock, read-only second copy, guided restore, login, daily backup."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QMessageBox

from chamberdesk.core import accounts, backup, lockfile
from chamberdesk.core.db import open_database
from chamberdesk.core.members import create_member
from chamberdesk.gui.app import open_data_file


@pytest.fixture
def no_info(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: shown.append(text))
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a, **k: shown.append(text))
    return shown


def _file(tmp_path):
    d = open_database(tmp_path / "台账.db", create=True)
    with d.transaction() as s:
        create_member(s, {"kind": "enterprise", "enterprise_name": "甲"})
    d.close()
    return d.path


def test_open_locks_backs_up_daily_and_releases(qtbot, tmp_path):
    path = _file(tmp_path)
    db = open_data_file(path)
    assert db is not None
    try:
        assert lockfile.read_lock(path).pid == lockfile.os.getpid()
        assert [b.reason for b in backup.list_backups(path)] == ["daily"]
    finally:
        db.close()
    assert lockfile.read_lock(path) is None
    db = open_data_file(path)  # same day: no second daily backup
    db.close()
    assert len(backup.list_backups(path)) == 1


def test_second_copy_opens_read_only(qtbot, tmp_path, answer_modal):
    path = _file(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        info = {"host": lockfile._host(), "user": "李会计", "pid": holder.pid, "since": "2025-05-06T08:30:00"}
        lockfile.lock_path(path).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
        answer_modal("只读方式打开")
        db = open_data_file(path)
        assert db is not None and db.read_only
        with pytest.raises(accounts.PermissionDenied), db.transaction() as s:
            create_member(s, {"kind": "enterprise", "enterprise_name": "乙"})
        db.close()
        assert lockfile.read_lock(path).user == "李会计"  # the holder's lock stays
        assert backup.list_backups(path) == []
    finally:
        holder.kill()
        holder.wait()


def test_damaged_file_guided_restore(qtbot, tmp_path, answer_modal, no_info):
    path = _file(tmp_path)
    good = backup.make_backup(path)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    answer_modal("从备份恢复")
    db = open_data_file(path)
    assert db is not None
    try:
        with db.session() as s:
            assert accounts.accounts_enabled(s) is False
        assert any(good.name in t for t in no_info)
    finally:
        db.close()
    assert any(p.name.endswith("-damaged.bin") for p in good.parent.iterdir())


def test_damaged_file_declined_is_left_alone(qtbot, tmp_path, answer_modal):
    path = _file(tmp_path)
    backup.make_backup(path)
    raw = path.read_bytes()[: 6000]
    path.write_bytes(raw)
    answer_modal("不恢复")
    assert open_data_file(path) is None
    assert path.read_bytes() == raw
    assert lockfile.read_lock(path) is None


def test_login_when_accounts_on(qtbot, tmp_path, answer_modal):
    path = _file(tmp_path)
    d = open_database(path)
    with d.transaction() as s:
        accounts.enable_accounts(s, "guanli", "Xinxi2024a")
    d.close()

    def fill(dlg):
        dlg.username.setText("guanli")
        dlg.password.setText("Xinxi2024a")

    answer_modal("登录", fill)
    db = open_data_file(path)
    assert db is not None and db.user == "guanli"
    db.close()
    answer_modal("取消")
    assert open_data_file(path) is None
    assert lockfile.read_lock(path) is None


def test_idle_lock_hides_data_until_login(qtbot, tmp_path, answer_modal):
    from PySide6.QtWidgets import QLabel, QMainWindow

    from chamberdesk.gui.dialogs.login import install_idle_lock

    path = _file(tmp_path)
    db = open_database(path)
    with db.transaction() as s:
        accounts.enable_accounts(s, "guanli", "Xinxi2024a")
    win = QMainWindow()
    qtbot.addWidget(win)
    win.setCentralWidget(QLabel("会员名单"))
    win.show()
    assert install_idle_lock(win, db) is None  # accounts not read yet: nothing to lock
    accounts.prepare(db)
    seen_hidden = []

    def fill(dlg):
        seen_hidden.append(win.centralWidget().isVisible())
        dlg.username.setText("guanli")
        dlg.password.setText("Xinxi2024a")

    answer_modal("登录", fill)
    idle = install_idle_lock(win, db, interval_ms=50)
    qtbot.waitUntil(lambda: bool(seen_hidden) and not idle.locked, timeout=5000)
    assert seen_hidden == [False]  # the data was hidden while the login was shown
    assert win.centralWidget().isVisible()
    idle.timer.stop()
    win.hide()  # a hidden window is never locked
    assert not idle.lock_now()
    db.close()


def test_server_url_is_not_treated_as_a_path(qtbot, monkeypatch):
    from chamberdesk.gui.dialogs import safe_open

    seen = []
    monkeypatch.setattr(safe_open, "open_database", lambda target, **k: seen.append(target) or (_ for _ in ()).throw(
        safe_open.DataFileError("无法连接")))
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: None)
    assert safe_open.open_guarded("postgresql://u@host:5432/taizhang") is None
    assert seen == ["postgresql://u@host:5432/taizhang"]
