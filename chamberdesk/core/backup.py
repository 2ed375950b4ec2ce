"""Backups and restore: SQLite's online backup API, written under a temporary name and renamed; rotation.

Never a file copy of an open database (a copy taken mid-write, or without the WAL file, is
damaged). A backup is checked before it is given its final name, so a backup file that exists is a
whole one; a restore checks the backup first and keeps a copy of the current file before replacing it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from chamberdesk.core.errors import DataFileError
from chamberdesk.core.integrity import connect_ro, integrity_check, quick_check

# Why a backup was made; part of its file name.
REASONS = {
    "manual": "手动", "daily": "每日", "migrate": "升级前", "import": "导入前", "bulk": "批量修改前",
    "restore": "恢复前",
}
_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<ts>\d{8}-\d{6})(?:-(?P<n>\d+))?-(?P<reason>[a-z]+)\.db$")

SETTING_KEYS = {
    "folder": "backup.folder", "keep_last": "backup.keep_last", "keep_daily": "backup.keep_daily",
    "keep_weekly": "backup.keep_weekly", "keep_monthly": "backup.keep_monthly",
}


@dataclass
class BackupPolicy:
    """Where backups go and how many survive rotation (restic-style keep-last/daily/weekly/monthly)."""

    folder: str = ""  # empty: a folder beside the data file
    keep_last: int = 10
    keep_daily: int = 7
    keep_weekly: int = 4
    keep_monthly: int = 12


@dataclass
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)


def _to_path(db: Any) -> Path:
    p = getattr(db, "path", db)
    if p is None:
        raise DataFileError("服务器数据库请用数据库自身的备份工具备份（例如 pg_dump）。")
    return Path(p)


# --- policy (kept in the data file's setting table, readable even before the ORM is up) -----------

def read_policy(db_path: str | Path) -> BackupPolicy:
    pol = BackupPolicy()
    try:
        con = sqlite3.connect(f"file:{Path(db_path).resolve().as_posix()}?mode=ro", uri=True)
        try:
            rows = dict(con.execute("SELECT key, value FROM setting WHERE key LIKE 'backup.%'").fetchall())
        finally:
            con.close()
    except sqlite3.Error:
        return pol  # an old or damaged file: defaults
    for attr, key in SETTING_KEYS.items():
        if key in rows:
            try:
                val = json.loads(rows[key])
            except ValueError:
                continue
            if attr == "folder" and isinstance(val, str):
                pol.folder = val
            elif attr != "folder" and isinstance(val, int) and val >= 0:
                setattr(pol, attr, val)
    return pol


def save_policy(session: Any, policy: BackupPolicy) -> None:
    """Store the policy through the audited settings service (the caller's transaction commits)."""
    from chamberdesk.core.federation import set_setting

    if min(policy.keep_last, policy.keep_daily, policy.keep_weekly, policy.keep_monthly) < 0:
        raise DataFileError("保留份数不能为负数。")
    if policy.keep_last < 1:
        raise DataFileError("至少保留最近 1 份备份。")
    for attr, key in SETTING_KEYS.items():
        set_setting(session, key, getattr(policy, attr))


def backup_dir(db_path: str | Path, policy: BackupPolicy | None = None) -> Path:
    db_path = Path(db_path)
    policy = policy or read_policy(db_path)
    if policy.folder:
        return Path(policy.folder).expanduser()
    return db_path.with_name(db_path.stem + "-backups")


# --- making a backup -----------------------------------------------------------------------------

def _fsync_file(p: Path) -> None:
    # Opened for writing: Windows refuses to flush a read-only handle (FlushFileBuffers needs write access).
    fd = os.open(p, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(p: Path) -> None:
    if os.name == "nt":
        return  # directories cannot be opened for fsync on Windows; NTFS journals the rename
    with contextlib.suppress(OSError):
        fd = os.open(p, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _io_message(exc: BaseException, where: Path) -> str:
    text = str(exc)
    if "full" in text or getattr(exc, "errno", None) == 28:
        return f"备份失败：“{where}”所在磁盘空间不足。原数据文件未受影响，请清理空间或换一个备份文件夹后重试。"
    if isinstance(exc, PermissionError) or "readonly" in text or "read-only" in text:
        return f"备份失败：无法写入“{where}”（只读或无权限）。原数据文件未受影响，请换一个备份文件夹。"
    return f"备份失败：{text}。原数据文件未受影响。"


def write_snapshot(src_path: Path, out: Path) -> Path:
    """Copy a live SQLite file to `out` with the online backup API, via a temporary name."""
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=out.name + ".", suffix=".part", dir=out.parent)
        os.close(fd)
    except OSError as exc:
        raise DataFileError(_io_message(exc, out.parent)) from exc
    tmp = Path(tmp_name)
    try:
        src = connect_ro(src_path)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                # A backup is one self-contained file: no WAL beside it when it is copied to a USB stick.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        res = quick_check(tmp)
        if not res.ok:
            raise DataFileError("备份失败：写出的备份文件未通过检查（" + "；".join(res.problems[:2]) + "）。原数据文件未受影响。")
        _fsync_file(tmp)
        os.replace(tmp, out)
        _fsync_dir(out.parent)
    except DataFileError:
        _remove_quietly(tmp)
        raise
    except (sqlite3.Error, OSError) as exc:
        _remove_quietly(tmp)
        if isinstance(exc, sqlite3.DatabaseError) and "not a database" in str(exc):
            raise DataFileError(f"备份失败：数据文件“{src_path.name}”已损坏，无法备份。") from exc
        raise DataFileError(_io_message(exc, out.parent)) from exc
    return out


def _remove_quietly(p: Path) -> None:
    for q in (p, Path(str(p) + "-journal"), Path(str(p) + "-wal"), Path(str(p) + "-shm")):
        with contextlib.suppress(OSError):
            q.unlink()


def make_backup(db: Any, *, reason: str = "manual", out: str | Path | None = None,
                policy: BackupPolicy | None = None, rotate_after: bool = True,
                now: datetime | None = None) -> Path:
    """Back up a data file (a Database or a path) now; returns the backup's path.

    Without `out`, the file goes to the backup folder under a dated name and rotation runs after.
    """
    src = _to_path(db)
    if not src.exists():
        raise DataFileError(f"找不到数据文件 {src}。")
    if reason not in REASONS:
        raise ValueError(reason)
    if out is not None:
        return write_snapshot(src, Path(out))
    policy = policy or read_policy(src)
    folder = backup_dir(src, policy)
    ts = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{src.stem}-{ts}-{reason}.db"
    n = 1
    while target.exists():  # two backups in the same second (e.g. before import, then bulk)
        target = folder / f"{src.stem}-{ts}-{n}-{reason}.db"
        n += 1
    write_snapshot(src, target)
    if rotate_after:
        rotate(src, policy, now=now)
    return target


def backup_before_migrate(db: Any) -> None:
    """The `before_migrate` hook for open_database: a backup of the old file before its schema changes."""
    if getattr(db, "path", None) is not None:
        make_backup(db, reason="migrate")


def list_backups(db_path: str | Path, policy: BackupPolicy | None = None) -> list[BackupInfo]:
    """This data file's backups in its backup folder, newest first."""
    db_path = Path(db_path)
    folder = backup_dir(db_path, policy)
    out: list[BackupInfo] = []
    if not folder.is_dir():
        return out
    for p in folder.iterdir():
        m = _NAME_RE.match(p.name)
        if not m or m["stem"] != db_path.stem:
            continue
        try:
            taken = datetime.strptime(m["ts"], "%Y%m%d-%H%M%S")
            size = p.stat().st_size
        except (ValueError, OSError):
            continue
        out.append(BackupInfo(p, taken, m["reason"], size))
    out.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return out


def last_backup_at(db_path: str | Path) -> datetime | None:
    bs = list_backups(db_path)
    return bs[0].taken_at if bs else None


def daily_backup_if_due(db: Any, *, now: datetime | None = None) -> Path | None:
    """At start: a backup unless one was made today already. Returns the new backup, if any."""
    src = _to_path(db)
    now = now or datetime.now()
    last = last_backup_at(src)
    if last is not None and last.date() == now.date():
        return None
    return make_backup(src, reason="daily", now=now)


# --- rotation ------------------------------------------------------------------------------------

def select_kept(backups: list[BackupInfo], policy: BackupPolicy) -> set[Path]:
    """Which backups rotation keeps: the newest `keep_last`, plus the newest of each of the last
    `keep_daily` days, `keep_weekly` ISO weeks and `keep_monthly` months that have a backup."""
    ordered = sorted(backups, key=lambda b: (b.taken_at, b.path.name), reverse=True)
    keep = {b.path for b in ordered[: max(policy.keep_last, 1)]}
    for n, bucket in ((policy.keep_daily, lambda d: d.date()),
                      (policy.keep_weekly, lambda d: tuple(d.isocalendar())[:2]),
                      (policy.keep_monthly, lambda d: (d.year, d.month))):
        seen: list[Any] = []
        for b in ordered:
            key = bucket(b.taken_at)
            if key in seen:
                continue
            if len(seen) >= n:
                break
            seen.append(key)
            keep.add(b.path)
    return keep


def rotate(db_path: str | Path, policy: BackupPolicy | None = None, *, now: datetime | None = None) -> list[Path]:
    """Delete backups the policy no longer keeps; returns the deleted paths.

    A backup from the future (a wrong clock) or one that cannot be parsed is never touched.
    """
    policy = policy or read_policy(db_path)
    backups = list_backups(db_path, policy)
    now = now or datetime.now()
    keep = select_kept(backups, policy)
    removed = []
    for b in backups:
        if b.path in keep or b.taken_at > now + timedelta(days=1):
            continue
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError:
            pass  # a read-only USB stick: keep it rather than fail the backup that just worked
    return removed


# --- restore -------------------------------------------------------------------------------------

def verify_backup(path: str | Path) -> int:
    """Check a backup file before restoring it; return its schema version or raise DataFileError."""
    from chamberdesk.core.db import check_stamp

    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"找不到备份文件 {path}。")
    res = integrity_check(path)
    if not res.ok:
        raw = "；".join(res.problems[:2])
        if "not a database" in raw or "file is encrypted" in raw:
            # SQLite's own words mean nothing to a clerk: say what the file is and what to do.
            raise DataFileError(f"“{path.name}”不是商会台账的数据文件或备份（可能选错了文件，或文件已损坏），"
                                "不能用于恢复。请选择备份文件夹中以 .db 结尾的备份文件。")
        if "unable to open" in raw or "readonly" in raw:
            raise DataFileError(f"无法打开备份文件“{path.name}”（可能没有读取权限或文件正被占用），不能用于恢复。"
                                "请把它复制到本机文件夹后再试，或选择另一份备份。")
        raise DataFileError(f"备份文件“{path.name}”已损坏（数据库内容检查未通过），不能用于恢复。请选择另一份备份。")
    version = check_stamp(path)
    if version == 0:
        raise DataFileError(f"“{path.name}”是空的数据库文件，不是商会台账的备份。")
    return version


def newest_good_backup(db_path: str | Path) -> BackupInfo | None:
    """The newest backup that passes the checks a restore makes (damaged ones are skipped)."""
    for b in list_backups(db_path):
        try:
            verify_backup(b.path)
        except DataFileError:
            continue
        return b
    return None


def _keep_current(db_path: Path, folder: Path, now: datetime) -> Path | None:
    """Keep the current file before it is replaced: a proper backup if it reads, else a raw copy."""
    if not db_path.exists():
        return None
    ts = now.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{db_path.stem}-{ts}-restore.db"
    n = 1
    while target.exists():
        target = folder / f"{db_path.stem}-{ts}-{n}-restore.db"
        n += 1
    try:
        if quick_check(db_path).ok:
            return write_snapshot(db_path, target)
    except DataFileError:
        pass
    # A damaged file: copy its bytes (and its WAL) as they are; someone may still rescue rows from it.
    raw = target.with_name(target.stem + "-damaged.bin")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(db_path, raw)
        wal = Path(str(db_path) + "-wal")
        if wal.exists():
            shutil.copy2(wal, Path(str(raw) + "-wal"))
    except OSError as exc:
        raise DataFileError(f"恢复已取消：无法先保存当前数据文件的副本（{exc}）。当前文件未作改动。") from exc
    return raw


def restore(backup: str | Path, db_path: str | Path, *, now: datetime | None = None) -> Path | None:
    """Replace the data file with a checked backup; returns where the previous file was kept.

    The caller closes every connection to the data file first (and holds its lock).
    """
    backup = Path(backup)
    db_path = Path(db_path)
    now = now or datetime.now()
    verify_backup(backup)
    folder = backup_dir(db_path) if db_path.exists() else backup.parent
    kept = _keep_current(db_path, folder, now)
    tmp = db_path.with_name(f".{db_path.name}.restore-{os.getpid()}.part")
    try:
        write_snapshot(backup, tmp)
        for suffix in ("-wal", "-shm", "-journal"):
            # The old file's journals belong to the old file; left beside the new one they would be
            # replayed into it. Their contents are in `kept` already.
            with contextlib.suppress(FileNotFoundError):
                Path(str(db_path) + suffix).unlink()
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
    except DataFileError as exc:
        _remove_quietly(tmp)
        raise DataFileError(str(exc).replace("备份失败", "恢复失败") + f" 当前文件的副本在 {kept}。") from exc
    except OSError as exc:
        _remove_quietly(tmp)
        raise DataFileError(f"恢复失败：{exc}。当前文件的副本在 {kept}。") from exc
    return kept


def describe(b: BackupInfo) -> str:
    size = f"{b.size / 1048576:.1f} MB" if b.size >= 1048576 else f"{max(b.size // 1024, 1)} KB"
    return f"{b.taken_at:%Y-%m-%d %H:%M:%S}　{b.reason_label}　{size}"
