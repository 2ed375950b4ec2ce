"""A lock file beside the data file: who has it open (host, user, pid, since), and stale-lock recovery.

SQLite's own locking keeps the file consistent, but two clerks editing the same file at once
overwrite each other's work and confuse each other; like GnuCash, the second copy is told who holds
the file and may open it read-only or not at all. The lock is written to a temporary name and
hard-linked into place, so it appears whole or not at all, and only if no other lock exists.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sys
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from chamberdesk.core.dates import chinese_datetime
from chamberdesk.core.errors import DataFileError

# A lock file that cannot be read and is older than this is the remains of a crash mid-write.
_UNREADABLE_GRACE_SECONDS = 30


def lock_path(db_path: str | Path) -> Path:
    p = Path(db_path)
    return p.with_name(p.name + ".lock")


def _host() -> str:
    return socket.gethostname() or "未知计算机"


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account): still lock, just say so
        return "未知用户"


@dataclass
class LockInfo:
    host: str
    user: str
    pid: int
    since: str  # ISO time, seconds
    app_user: str = ""  # the ChamberDesk account, when accounts are on

    def since_text(self) -> str:
        try:
            return chinese_datetime(datetime.fromisoformat(self.since))
        except ValueError:
            return self.since

    def describe(self) -> str:
        who = self.user + (f"（账户 {self.app_user}）" if self.app_user else "")
        return f"此数据文件正由 {who} 在计算机“{self.host}”上使用，自 {self.since_text()} 起（进程号 {self.pid}）。"

    @property
    def same_host(self) -> bool:
        return self.host == _host()


class LockedError(DataFileError):
    """Another running copy holds the data file."""

    def __init__(self, holder: LockInfo) -> None:
        self.holder = holder
        super().__init__(holder.describe() + "可以只读方式打开，或等对方关闭后再打开。")


def pid_alive(pid: int) -> bool:
    """True when a process with this id runs on this computer (conservative: unsure means alive)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    else:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        except OSError:
            return True
        # A zombie (killed, not yet reaped by its parent) holds nothing any more.
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            return stat.rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return True


def read_lock(db_path: str | Path) -> LockInfo | None:
    """The current lock's holder; None when there is no lock. Raises ValueError when unreadable."""
    try:
        raw = lock_path(db_path).read_bytes()
    except FileNotFoundError:
        return None
    return _parse(raw)


def _parse(raw: bytes) -> LockInfo:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError("unreadable lock") from exc
    if not isinstance(data, dict) or not {"host", "user", "pid", "since"} <= data.keys():
        raise ValueError("incomplete lock")
    try:
        return LockInfo(host=str(data["host"]), user=str(data["user"]), pid=int(data["pid"]),
                        since=str(data["since"]), app_user=str(data.get("app_user", "")))
    except TypeError as exc:
        raise ValueError("bad lock") from exc


def is_stale(info: LockInfo) -> bool:
    """A lock left by a crash: same computer, and its process is gone. Other hosts are never guessed at."""
    return info.same_host and info.pid != os.getpid() and not pid_alive(info.pid)


class DataLock:
    """A held lock; release it when the data file is closed (also a context manager)."""

    def __init__(self, db_path: Path, info: LockInfo, cleared_stale: LockInfo | None = None) -> None:
        self.db_path = db_path
        self.info = info
        self.cleared_stale = cleared_stale  # the crashed holder whose lock was cleared, if any
        self.released = False

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        with contextlib.suppress(ValueError, OSError):
            held = read_lock(self.db_path)
            if held is not None and held.pid == self.info.pid and held.host == self.info.host:
                lock_path(self.db_path).unlink()

    def __enter__(self) -> DataLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _try_create(lp: Path, info: LockInfo) -> bool:
    tmp = lp.with_name(f"{lp.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(asdict(info), ensure_ascii=False), encoding="utf-8")
    try:
        try:
            os.link(tmp, lp)  # atomic create-if-absent with complete contents
            return True
        except FileExistsError:
            return False
        except OSError:
            # File systems without hard links (FAT on a USB stick): exclusive create instead.
            try:
                fd = os.open(lp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(json.dumps(asdict(info), ensure_ascii=False))
            return True
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def acquire(db_path: str | Path, *, app_user: str = "") -> DataLock:
    """Take the lock, clearing a stale one; raise LockedError naming the holder otherwise."""
    db_path = Path(db_path)
    lp = lock_path(db_path)
    info = LockInfo(host=_host(), user=_user(), pid=os.getpid(),
                    since=datetime.now().replace(microsecond=0).isoformat(), app_user=app_user)
    cleared: LockInfo | None = None
    for _ in range(3):
        try:
            if _try_create(lp, info):
                return DataLock(db_path, info, cleared)
        except PermissionError as exc:
            raise DataFileError(f"无法在“{db_path.parent}”中建立锁文件（文件夹只读或无权限），"
                                "请把数据文件放到可写的文件夹。") from exc
        try:
            raw = lp.read_bytes()
        except FileNotFoundError:
            continue  # released between our attempts
        try:
            holder = _parse(raw)
        except ValueError:
            # A lock torn by a crash mid-write (only possible without hard links): clear it once old.
            age = datetime.now().timestamp() - _mtime(lp)
            if age < _UNREADABLE_GRACE_SECONDS:
                raise DataFileError("数据文件正被另一个程序打开（锁文件正在写入），请稍后再试。") from None
            _remove_if_unchanged(lp, raw)
            continue
        if holder.same_host and holder.pid == os.getpid():
            return DataLock(db_path, holder)  # this process already holds it
        if is_stale(holder):
            cleared = holder
            _remove_if_unchanged(lp, raw)
            continue
        raise LockedError(holder)
    raise DataFileError("无法取得数据文件的锁，请稍后再试。")


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


def _remove_if_unchanged(lp: Path, expected: bytes) -> None:
    """Remove a stale lock, unless another copy replaced it a moment ago."""
    try:
        if lp.read_bytes() == expected:
            lp.unlink()
    except OSError:
        pass


def break_lock(db_path: str | Path) -> LockInfo | None:
    """Remove a lock on the user's explicit say-so (e.g. the holder's PC crashed); returns the holder."""
    try:
        holder = read_lock(db_path)
    except ValueError:
        holder = None
    with contextlib.suppress(FileNotFoundError):
        lock_path(db_path).unlink()
    return holder
