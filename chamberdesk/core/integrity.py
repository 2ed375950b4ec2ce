"""Checking a data file: quick_check at open, integrity_check on demand, and risky locations.

A SQLite file on a network share or in a folder a sync client rewrites behind our back can be
corrupted (broken byte-range locks, half-synced WAL files); such a location gets a warning that
explains the risk and points to the multi-clerk (server) mode instead.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PureWindowsPath
from typing import Literal

from chamberdesk.core.errors import DataFileError

DAMAGED_HINT = "请在“设置 → 数据文件”中从备份恢复（程序会先保留当前文件的副本），或用命令 chamberdesk restore。"


@dataclass
class CheckResult:
    ok: bool
    problems: list[str] = field(default_factory=list)
    kind: str = "integrity_check"

    def message(self, name: str = "数据文件") -> str:
        if self.ok:
            return f"{name}检查通过，没有发现损坏。"
        shown = "；".join(self.problems[:3]) + ("……" if len(self.problems) > 3 else "")
        return f"{name}已损坏（{shown}）。{DAMAGED_HINT}"


def connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection; on read-only media (a WAL file whose -shm cannot be made) as immutable."""
    uri = f"file:{Path(path).resolve().as_posix()}"
    con = sqlite3.connect(f"{uri}?mode=ro", uri=True)
    try:
        con.execute("PRAGMA schema_version").fetchone()
        return con
    except sqlite3.Error as exc:
        # Closed here, not by the garbage collector: Windows cannot replace a file still open (a
        # damaged file is about to be restored from a backup).
        con.close()
        if not isinstance(exc, sqlite3.OperationalError) or os.access(Path(path).parent, os.W_OK):
            raise
    # Nobody can write to read-only media, so reading it as immutable is safe.
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)


def run_check(path: str | Path, *, full: bool = True) -> CheckResult:
    """PRAGMA integrity_check (full) or quick_check, plus foreign keys on a full check."""
    path = Path(path)
    kind = "integrity_check" if full else "quick_check"
    try:
        con = connect_ro(path)
    except sqlite3.Error as exc:
        return CheckResult(False, [f"无法打开：{exc}"], kind)
    try:
        rows = [r[0] for r in con.execute(f"PRAGMA {kind}(100)")]
        problems = [] if rows == ["ok"] else rows
        if full and not problems:
            bad_fk = con.execute("PRAGMA foreign_key_check").fetchmany(10)
            problems += [f"表 {r[0]} 第 {r[1]} 行引用了不存在的 {r[2]} 记录" for r in bad_fk]
    except sqlite3.DatabaseError as exc:
        problems = [_explain(exc)]
    finally:
        con.close()
    return CheckResult(not problems, problems, kind)


def _explain(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "not a database" in text:
        return "文件头已损坏或不是数据库文件"
    if "malformed" in text:
        return "数据库结构已损坏"
    if "disk I/O" in text:
        return "读取文件时发生磁盘错误"
    return text


def quick_check(path: str | Path) -> CheckResult:
    return run_check(path, full=False)


def integrity_check(path: str | Path) -> CheckResult:
    return run_check(path, full=True)


def check_at_open(path: Path) -> None:
    """Called when a data file is opened: refuse a damaged file with a clear message."""
    res = quick_check(path)
    if not res.ok:
        raise DataFileError(res.message(f"数据文件“{path.name}”"))


def check_writable(path: Path) -> None:
    """SQLite needs to write the file and create journal files beside it; say so before it fails."""
    if not os.access(path, os.W_OK):
        raise DataFileError(f"数据文件“{path.name}”是只读的，无法保存修改。请取消该文件的只读属性，"
                            "或把它复制到可写的文件夹后再打开。文件未作任何改动。")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise DataFileError(f"数据文件所在的文件夹“{path.parent}”是只读的（无法建立日志文件），"
                            "请把数据文件复制到可写的文件夹后再打开。文件未作任何改动。")


# --- risky locations -----------------------------------------------------------------------------

NETWORK_FS = {"nfs", "nfs4", "cifs", "smb", "smbfs", "smb3", "afs", "9p", "fuse.sshfs", "ncpfs",
              "glusterfs", "ceph", "fuse.rclone", "davfs", "fuse.davfs2"}
# Folder names that sync clients use by default (lower case), with the product named in the warning.
SYNC_FOLDERS = {
    "onedrive": "OneDrive", "dropbox": "Dropbox", "坚果云": "坚果云", "nutstore": "坚果云",
    "我的坚果云": "坚果云", "百度网盘": "百度网盘", "baidunetdisk": "百度网盘", "baidusyncdisk": "百度网盘同步空间",
    "百度网盘同步空间": "百度网盘同步空间", "icloud drive": "iCloud", "iclouddrive": "iCloud",
    "google drive": "Google Drive", "googledrive": "Google Drive", "wpsdrive": "WPS 云盘", "wps云盘": "WPS 云盘",
    "腾讯微云": "腾讯微云", "weiyun": "腾讯微云", "阿里云盘": "阿里云盘", "seafile": "Seafile",
    "nextcloud": "Nextcloud", "owncloud": "ownCloud",
}
_RISK_TAIL = ("多人同时使用或同步软件在程序运行时改写文件，可能损坏数据文件。请把数据文件放在本机硬盘上；"
              "多名录入员需要共用数据时，请使用多人录入模式（服务器数据库）。")


def _windows_drive_is_remote(drive: str) -> bool:
    # under a platform check, so the type check holds on Windows and elsewhere alike
    if sys.platform == "win32":
        import ctypes

        return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # DRIVE_REMOTE
    else:
        return False


def _mount_for(path: str, mounts_text: str) -> tuple[str, str] | None:
    """The (mount point, fs type) of the longest mount point containing path, from /proc/mounts text."""
    best: tuple[str, str] | None = None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mnt = parts[1].replace("\\040", " ")
        if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and (best is None or len(mnt) > len(best[0])):
            best = (mnt, parts[2])
    return best


def location_warning(path: str | Path, *, platform: str | None = None, mounts_text: str | None = None,
                     drive_is_remote: Callable[[str], bool] | None = None) -> str | None:
    """A Chinese warning when the data file sits on a network share or in a cloud-synced folder."""
    platform = platform or sys.platform
    raw = str(path)
    if platform == "win32":
        wp = PureWindowsPath(raw)
        if raw.startswith(("\\\\", "//")) or wp.drive.startswith("\\\\"):
            return f"数据文件位于网络共享文件夹（{wp.drive or raw}）。{_RISK_TAIL}"
        if wp.drive and len(wp.drive) == 2:
            remote = drive_is_remote or _windows_drive_is_remote
            try:
                if remote(wp.drive):
                    return f"数据文件位于映射的网络驱动器 {wp.drive}。{_RISK_TAIL}"
            except (OSError, AttributeError):
                pass
        parts: tuple[str, ...] = wp.parts
    else:
        parts = PurePath(raw).parts
        given = mounts_text is not None
        if not given and platform.startswith("linux"):
            try:
                mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
            except OSError:
                mounts_text = ""
        if mounts_text:
            try:
                full = raw if given else str(Path(raw).resolve())
            except OSError:
                full = raw
            hit = _mount_for(full, mounts_text)
            if hit and (hit[1] in NETWORK_FS or hit[1].startswith("nfs")):
                return f"数据文件位于网络文件系统（{hit[1]}，挂载于 {hit[0]}）。{_RISK_TAIL}"
    for part in parts:
        low = part.lower().strip()
        for key, product in SYNC_FOLDERS.items():
            if low == key or low.startswith(key + " -") or low.startswith(key + "-") or (
                    key == "onedrive" and low.startswith("onedrive")):
                return f"数据文件位于 {product} 同步文件夹（{part}）中。{_RISK_TAIL}"
    return None


# --- write errors in plain words -----------------------------------------------------------------

def explain_write_error(exc: BaseException) -> str:
    """A Chinese line for a failed write (SQLite or OS error); the transaction was rolled back."""
    text = str(getattr(exc, "orig", None) or exc)
    kept = "本次修改未保存，之前保存的数据完好。"
    if "full" in text or getattr(exc, "errno", None) == 28:
        return f"保存失败：磁盘空间不足。{kept}请清理磁盘空间后重试。"
    if "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        return f"保存失败：数据文件或其所在文件夹是只读的。{kept}"
    if "locked" in text or "busy" in text:
        return f"保存失败：数据文件正被另一个程序使用。{kept}请稍后重试。"
    if "malformed" in text or "not a database" in text:
        return f"保存失败：数据文件已损坏。{kept}{DAMAGED_HINT}"
    if "I/O" in text:
        return f"保存失败：读写磁盘时出错（U 盘被拔出或磁盘故障？）。{kept}"
    return f"保存失败：{text}。{kept}"


class WriteFailed(DataFileError):
    pass


class translate_write_errors:  # noqa: N801  (used as a context manager)
    """`with translate_write_errors(): ...` turns SQLite/OS write failures into WriteFailed (Chinese)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, et: type[BaseException] | None, exc: BaseException | None, tb: object) -> Literal[False]:
        if exc is None or isinstance(exc, DataFileError):
            return False
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, (sqlite3.Error, DBAPIError, OSError)):
            raise WriteFailed(explain_write_error(exc)) from exc
        return False
