"""The lock file: holder named, second copy refused, stale lock from a crash cleared, risky locations."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from chamberdesk.core import lockfile
from chamberdesk.core.integrity import location_warning


def _write_lock(db_path, **over):
    info = {"host": lockfile._host(), "user": "张三", "pid": 1, "since": "2025-05-06T08:30:00", "app_user": ""}
    info.update(over)
    lockfile.lock_path(db_path).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")


def test_acquire_writes_holder_and_release_removes(tmp_path):
    data = tmp_path / "台账.db"
    lk = lockfile.acquire(data, app_user="admin")
    held = lockfile.read_lock(data)
    assert held.pid == os.getpid() and held.app_user == "admin" and held.same_host
    assert "admin" in held.describe()
    lk.release()
    assert not lockfile.lock_path(data).exists()


def test_second_copy_is_told_who_holds_it(tmp_path):
    data = tmp_path / "a.db"
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        _write_lock(data, pid=holder.pid, user="李会计")
        with pytest.raises(lockfile.LockedError) as ei:
            lockfile.acquire(data)
        assert ei.value.holder.user == "李会计"
        msg = str(ei.value)
        assert "李会计" in msg and "2025年5月6日 08:30" in msg and "只读" in msg
        assert lockfile.lock_path(data).exists()  # a live holder's lock is never removed
    finally:
        holder.kill()
        holder.wait()


def test_other_host_lock_is_never_guessed_stale(tmp_path):
    data = tmp_path / "a.db"
    _write_lock(data, host="办公室另一台电脑", pid=999999)
    with pytest.raises(lockfile.LockedError, match="办公室另一台电脑"):
        lockfile.acquire(data)
    holder = lockfile.break_lock(data)  # only on the clerk's explicit say-so
    assert holder.host == "办公室另一台电脑"
    lockfile.acquire(data).release()


def test_stale_lock_from_crashed_process_is_cleared(tmp_path):
    data = tmp_path / "a.db"
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()  # its pid is gone now
    _write_lock(data, pid=p.pid)
    lk = lockfile.acquire(data)
    assert lk.cleared_stale is not None and lk.cleared_stale.pid == p.pid
    assert lockfile.read_lock(data).pid == os.getpid()
    lk.release()


def test_torn_lock_file_cleared_only_when_old(tmp_path):
    data = tmp_path / "a.db"
    lp = lockfile.lock_path(data)
    lp.write_text('{"host": "x", ', encoding="utf-8")
    with pytest.raises(lockfile.DataFileError, match="稍后"):
        lockfile.acquire(data)
    old = lp.stat().st_mtime - 3600
    os.utime(lp, (old, old))
    lockfile.acquire(data).release()


def test_lock_in_readonly_folder_message(tmp_path, monkeypatch):
    def deny(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lockfile, "_try_create", deny)
    with pytest.raises(lockfile.DataFileError, match="只读或无权限"):
        lockfile.acquire(tmp_path / "a.db")


def test_pid_alive():
    assert lockfile.pid_alive(os.getpid())
    assert not lockfile.pid_alive(0)


@pytest.mark.parametrize(("path", "platform", "remote", "mounts", "expect"), [
    (r"\\server\共享\台账.db", "win32", False, None, "网络共享"),
    ("//nas/share/台账.db", "win32", False, None, "网络共享"),
    (r"Z:\台账\台账.db", "win32", True, None, "网络驱动器 Z:"),
    (r"D:\台账\台账.db", "win32", False, None, None),
    (r"C:\Users\王\OneDrive - 县工商联\台账.db", "win32", False, None, "OneDrive"),
    (r"C:\Users\王\Dropbox\台账.db", "win32", False, None, "Dropbox"),
    (r"D:\我的坚果云\台账.db", "win32", False, None, "坚果云"),
    (r"D:\BaiduSyncdisk\台账.db", "win32", False, None, "百度网盘"),
    (r"D:\百度网盘\台账.db", "win32", False, None, "百度网盘"),
    ("/mnt/office/台账.db", "linux", False, "nas:/x /mnt/office nfs4 rw 0 0\n/dev/sda1 / ext4 rw 0 0", "nfs4"),
    ("/srv/smb/a.db", "linux", False, "//nas/s /srv/smb cifs rw 0 0\n/dev/sda1 / ext4 rw 0 0", "cifs"),
    ("/home/wang/台账.db", "linux", False, "/dev/sda1 / ext4 rw 0 0\n//nas/s /srv/smb cifs rw 0 0", None),
    ("/home/wang/Dropbox/台账.db", "linux", False, "/dev/sda1 / ext4 rw 0 0", "Dropbox"),
])
def test_location_warning(path, platform, remote, mounts, expect):
    msg = location_warning(path, platform=platform, mounts_text=mounts, drive_is_remote=lambda d: remote)
    if expect is None:
        assert msg is None
    else:
        assert expect in msg and "多人录入模式" in msg
