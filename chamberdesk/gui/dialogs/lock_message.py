"""The message a second copy shows when the data file is in use: who holds it, open read-only or not at all."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from chamberdesk.core import lockfile

WRITE, READ_ONLY = "write", "read_only"


def lock_message_box(holder: lockfile.LockInfo, parent: QWidget | None = None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("数据文件正在使用")
    box.setText(holder.describe())
    box.setInformativeText("两处同时修改同一个数据文件会互相覆盖。可以只读方式打开（只能查看、打印、导出），"
                           "或等对方关闭程序后再打开。")
    box.addButton("只读方式打开", QMessageBox.ButtonRole.AcceptRole).setObjectName("readOnly")
    if not holder.same_host:
        # Only the clerk can know the other PC crashed; a lock from this PC is checked automatically.
        box.addButton("对方已关闭，解除锁定", QMessageBox.ButtonRole.DestructiveRole).setObjectName("breakLock")
    cancel = box.addButton("不打开", QMessageBox.ButtonRole.RejectRole)
    cancel.setObjectName("cancel")
    box.setDefaultButton(cancel)
    return box


def acquire_lock_or_ask(path: str | Path, parent: QWidget | None = None, *, app_user: str = ""
                        ) -> tuple[str | None, lockfile.DataLock | None]:
    """Take the data file's lock: ("write", lock); or, when another copy holds it, ask and return
    ("read_only", None) or (None, None) for 不打开. A stale lock from a crash is cleared silently."""
    try:
        return WRITE, lockfile.acquire(path, app_user=app_user)
    except lockfile.LockedError as exc:
        box = lock_message_box(exc.holder, parent)
        box.exec()
        clicked = box.clickedButton()
        name = clicked.objectName() if clicked is not None else "cancel"
        if name == "readOnly":
            return READ_ONLY, None
        if name == "breakLock":
            sure = QMessageBox.question(parent, "解除锁定",
                                        f"确认 {exc.holder.user} 已不在计算机“{exc.holder.host}”上使用此数据文件？"
                                        "如对方仍在使用，两处的修改会互相覆盖。")
            if sure == QMessageBox.StandardButton.Yes:
                lockfile.break_lock(path)
                return WRITE, lockfile.acquire(path, app_user=app_user)
        return None, None
