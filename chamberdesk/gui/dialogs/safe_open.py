"""Opening a data file safely in the GUI: lock (or read-only), location warning, guided restore of a
damaged file, backup before migration and once a day, and login when accounts are on."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from chamberdesk.core import accounts, backup, integrity, lockfile
from chamberdesk.core.db import Database, is_url, open_database
from chamberdesk.core.errors import ChamberDeskError, DataFileError
from chamberdesk.gui.dialogs.lock_message import READ_ONLY, acquire_lock_or_ask


def attach_lock(db: Database, lock: lockfile.DataLock | None) -> None:
    """Release the lock when the data file is closed, however the window closes it."""
    db.info["lock"] = lock
    if lock is None:
        return
    original = db.close

    def close() -> None:
        try:
            original()
        finally:
            lock.release()

    db.close = close  # type: ignore[method-assign]


def _offer_restore(path: Path, error: DataFileError, parent: QWidget | None) -> bool:
    """A damaged file: offer the newest good backup (never an empty replacement). True if restored."""
    if not path.is_file() or integrity.quick_check(path).ok:
        return False
    good = backup.newest_good_backup(path)
    if good is None:
        QMessageBox.critical(parent, "数据文件已损坏", f"{error}\n\n没有找到完好的备份。请不要删除该文件，"
                             "复制一份后联系技术人员。")
        return False
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("数据文件已损坏")
    box.setText(str(error))
    box.setInformativeText(f"最新的完好备份：{backup.describe(good)}。\n从它恢复吗？损坏的文件会先保留一份副本。")
    restore_btn = box.addButton("从备份恢复", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("不恢复", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not restore_btn:
        return False
    kept = backup.restore(good.path, path)
    QMessageBox.information(parent, "恢复完成", f"已从 {good.path.name} 恢复。损坏的文件保留在：{kept}")
    return True


def open_guarded(path: str | Path, parent: QWidget | None = None, *, user: str = "") -> Database | None:
    """Open a data file the careful way; every refusal is a Chinese message box, None means not opened."""
    if is_url(str(path)):
        return _open_server(str(path), parent, user=user)
    path = Path(path)
    lock = None
    mode = "write"
    if path.exists():
        try:
            mode, lock = acquire_lock_or_ask(path, parent)
        except ChamberDeskError as exc:
            QMessageBox.critical(parent, "无法打开数据文件", str(exc))
            return None
        if mode is None:
            return None
    db = None
    try:
        try:
            db = open_database(path, user=user, before_migrate=backup.backup_before_migrate)
        except DataFileError as exc:
            if _offer_restore(path, exc, parent):
                db = open_database(path, user=user, before_migrate=backup.backup_before_migrate)
            elif not path.is_file() or integrity.quick_check(path).ok:
                QMessageBox.critical(parent, "无法打开数据文件", str(exc))
            # else: a damaged file; the clerk saw the message and chose not to restore
    except ChamberDeskError as exc:
        QMessageBox.critical(parent, "无法打开数据文件", str(exc))
    finally:
        if db is None and lock is not None:
            lock.release()
    if db is None:
        return None
    if lock is not None and not lock.released:
        attach_lock(db, lock)
    elif lock is None and mode != READ_ONLY and db.path is not None:
        # a new file: lock it now that it exists
        with contextlib.suppress(ChamberDeskError):
            attach_lock(db, lockfile.acquire(db.path))
    if mode == READ_ONLY:
        db.read_only = True
    warn = integrity.location_warning(path)
    if warn:
        QMessageBox.warning(parent, "数据文件位置有风险", warn)
    if accounts.prepare(db) and _ask_login(db, parent) is None:
        db.close()
        return None
    if not db.read_only:
        try:
            backup.daily_backup_if_due(db)
        except ChamberDeskError as exc:
            QMessageBox.warning(parent, "今日自动备份未完成", f"{exc}\n数据文件仍可正常使用。")
    return db


def _open_server(url: str, parent: QWidget | None, *, user: str) -> Database | None:
    """A server database: the server handles concurrency and backups; only the login is ours."""
    try:
        db = open_database(url, user=user)
    except ChamberDeskError as exc:
        QMessageBox.critical(parent, "无法连接数据库", str(exc))
        return None
    if accounts.prepare(db) and _ask_login(db, parent) is None:
        db.close()
        return None
    return db


def _ask_login(db: Database, parent: QWidget | None):
    from chamberdesk.gui.dialogs.login import ask_login  # only files with accounts on need the dialog

    return ask_login(db, parent)
