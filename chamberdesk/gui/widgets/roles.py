"""What the acting user may change, applied to a page's buttons in one call."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from chamberdesk.core import accounts
from chamberdesk.core.choices import Role

READ_ONLY_TIP = "只读账户不能修改"
READ_ONLY_FILE_TIP = "数据文件以只读方式打开，不能修改"
_TIP_PROPERTY = "editTipBeforeGuard"


def can_edit(db: Any) -> bool:
    return accounts.allowed(db, "edit")


def refusal_tip(db: Any) -> str:
    """Why editing is off: the read-only role, or a file opened read-only (e.g. held by another copy)."""
    if accounts.current_role(db) == Role.READER.value or not db.read_only:
        return READ_ONLY_TIP
    return READ_ONLY_FILE_TIP


def guard_edit(db: Any, *widgets: QWidget, enabled: bool = True) -> bool:
    """Enable `widgets` when `enabled` and the user may edit; otherwise disable them, saying why when it is the role.

    Call it wherever a page sets those buttons' enabled state (e.g. after a selection change), so the
    rule lives here and not in each page. Returns whether editing is allowed.
    """
    ok = can_edit(db)
    tip = "" if ok else refusal_tip(db)
    for w in widgets:
        if w.property(_TIP_PROPERTY) is None:
            w.setProperty(_TIP_PROPERTY, w.toolTip())  # the button's own hint, put back when allowed again
        w.setEnabled(ok and enabled)
        w.setToolTip(w.property(_TIP_PROPERTY) if ok else tip)
    return ok


def is_admin(db: Any) -> bool:
    """管理员 (also the one clerk when accounts are off): the role that may purge records for good."""
    return accounts.current_role(db) == Role.ADMIN.value and not db.read_only


UNMASKED_TIP = "仅管理员可导出或打印完整身份证号和电话"


def guard_unmasked(db: Any, box: QWidget, *, enabled: bool = True) -> None:
    """The 'full ID numbers and phones' option: offered only to users allowed to take them out."""
    ok = accounts.allowed(db, "export_unmasked")
    box.setEnabled(ok and enabled)
    if not ok:
        box.setChecked(False)  # type: ignore[attr-defined]
    box.setToolTip("" if ok else UNMASKED_TIP)
