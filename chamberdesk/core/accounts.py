"""Accounts and roles (管理员 / 录入员 / 只读): scrypt password hashes, lockout, permission checks.

Off by default: a one-clerk office opens the file and works, acting as 管理员. Once turned on in
设置, every start asks for a login, and `require(db, action)` is what the CLI and GUI ask before
an action. A session opened read-only (a 只读 user, or a file another copy holds) refuses to flush
any change, so no service can write by mistake.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from chamberdesk.core.choices import Role
from chamberdesk.core.errors import ChamberDeskError, FieldError, InvalidInput, NotFound
from chamberdesk.core.models import User

SETTING_ENABLED = "accounts.enabled"
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=10)
IDLE_LOCK_MINUTES_DEFAULT = 15
SETTING_IDLE = "accounts.idle_lock_minutes"

# scrypt at N=2^14, r=8: 16 MiB of memory per guess (memory-hard), ~50 ms on an office PC.
_N, _R, _P, _DKLEN = 2**14, 8, 1, 32

# What each role may do. Accounts off: the one clerk acts as 管理员.
ACTIONS = {
    "view": "查看数据",
    "edit": "修改数据",
    "export": "导出（隐去个人信息）",
    "export_unmasked": "导出完整个人信息",
    "reveal": "查看完整身份证号和电话",
    "backup": "备份",
    "restore": "从备份恢复",
    "manage_users": "管理用户",
    "settings": "修改设置",
    "anonymise": "个人信息匿名化",
}
PERMISSIONS: dict[str, set[str]] = {
    Role.ADMIN.value: set(ACTIONS),
    Role.CLERK.value: {"view", "edit", "export", "reveal", "backup"},
    Role.READER.value: {"view", "export"},
}


class PermissionDenied(ChamberDeskError):
    pass


class LoginFailed(ChamberDeskError):
    pass


# --- password hashes -----------------------------------------------------------------------------

def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def hash_password(password: str, *, n: int | None = None, r: int = _R, p: int = _P) -> str:
    """`scrypt$n=..,r=..,p=..$salt$hash`: parameters travel with the hash so they can be raised later."""
    n = n or _N
    salt = os.urandom(16)
    dk = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=_DKLEN, maxmem=2**26)
    return f"scrypt$n={n},r={r},p={p}${_b64(salt)}${_b64(dk)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, params, salt_s, hash_s = stored.split("$")
        if scheme != "scrypt":
            return False
        kv = dict(item.split("=") for item in params.split(","))
        n, r, p = int(kv["n"]), int(kv["r"]), int(kv["p"])
        salt, expected = base64.b64decode(salt_s), base64.b64decode(hash_s)
        dk = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(expected), maxmem=2**26)
    except (ValueError, KeyError):
        return False
    return hmac.compare_digest(dk, expected)


def password_problems(password: str, username: str = "") -> list[str]:
    """The complexity rule: at least 8 characters with letters and digits, not the user name."""
    problems = []
    if len(password) < 8:
        problems.append("至少 8 个字符")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        problems.append("须同时包含字母和数字")
    if username and username.lower() in password.lower():
        problems.append("不能包含用户名")
    if len(set(password)) < 4:
        problems.append("不能由过少的不同字符组成")
    return problems


def check_password(password: str, username: str = "") -> None:
    problems = password_problems(password, username)
    if problems:
        raise InvalidInput([FieldError("password", "密码", "、".join(problems))])


# --- users ---------------------------------------------------------------------------------------

def accounts_enabled(session: Session) -> bool:
    from chamberdesk.core.federation import get_setting

    return bool(get_setting(session, SETTING_ENABLED, False))


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.username)))


def find_user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username.strip())).first()


def _check_username(username: str) -> str:
    u = username.strip()
    if not re.fullmatch(r"[A-Za-z0-9_.\-\u4e00-\u9fff]{2,30}", u):
        raise InvalidInput([FieldError("username", "用户名", "应为 2–30 个字母、数字或汉字")])
    return u


def create_user(session: Session, username: str, password: str, role: str = Role.CLERK.value,
                display_name: str = "") -> User:
    username = _check_username(username)
    r = Role.parse(role)
    if r is None:
        raise InvalidInput([FieldError("role", "角色", f"未知角色：{role}")])
    if find_user(session, username):
        raise InvalidInput([FieldError("username", "用户名", f"用户“{username}”已存在")])
    check_password(password, username)
    u = User(username=username, display_name=display_name.strip() or username, role=r.value,
             password_hash=hash_password(password))
    session.add(u)
    session.flush()
    return u


def _active_admins(session: Session) -> list[User]:
    return list(session.exec(select(User).where(User.role == Role.ADMIN.value, User.active == True)))  # noqa: E712


def set_password(session: Session, username: str, password: str) -> None:
    u = find_user(session, username)
    if u is None:
        raise NotFound(f"没有用户“{username}”")
    check_password(password, u.username)
    u.password_hash = hash_password(password)
    u.failed_count = 0
    u.locked_until = None
    session.add(u)


def set_role(session: Session, username: str, role: str) -> None:
    u = find_user(session, username)
    if u is None:
        raise NotFound(f"没有用户“{username}”")
    r = Role.parse(role)
    if r is None:
        raise InvalidInput([FieldError("role", "角色", f"未知角色：{role}")])
    if u.role == Role.ADMIN.value and r != Role.ADMIN and len(_active_admins(session)) <= 1:
        raise InvalidInput([FieldError("role", "角色", "至少要保留一名管理员")])
    u.role = r.value
    session.add(u)


def set_active(session: Session, username: str, active: bool) -> None:
    u = find_user(session, username)
    if u is None:
        raise NotFound(f"没有用户“{username}”")
    if not active and u.role == Role.ADMIN.value and len(_active_admins(session)) <= 1:
        raise InvalidInput([FieldError("active", "状态", "不能停用最后一名管理员")])
    u.active = active
    session.add(u)


def unlock_user(session: Session, username: str) -> None:
    u = find_user(session, username)
    if u is None:
        raise NotFound(f"没有用户“{username}”")
    u.failed_count = 0
    u.locked_until = None
    session.add(u)


def enable_accounts(session: Session, admin_username: str | None = None, admin_password: str | None = None) -> None:
    """Turn accounts on; needs an active 管理员 (created here when given), so nobody is locked out."""
    from chamberdesk.core.federation import set_setting

    if admin_username and admin_password:
        existing = find_user(session, admin_username)
        if existing is None:
            create_user(session, admin_username, admin_password, Role.ADMIN.value)
        elif existing.role != Role.ADMIN.value:
            raise InvalidInput([FieldError("username", "用户名", f"“{admin_username}”已存在且不是管理员")])
    if not _active_admins(session):
        raise InvalidInput([FieldError("username", "管理员", "启用账户前须先设置一名管理员（用户名和密码）")])
    set_setting(session, SETTING_ENABLED, True)


def disable_accounts(session: Session) -> None:
    from chamberdesk.core.federation import set_setting

    set_setting(session, SETTING_ENABLED, False)


# --- logging in ----------------------------------------------------------------------------------

@dataclass
class CurrentUser:
    username: str
    display_name: str
    role: str

    @property
    def role_label(self) -> str:
        r = Role.parse(self.role)
        return r.label if r else self.role


def login(db: Any, username: str, password: str, *, now: datetime | None = None) -> CurrentUser:
    """Check a password; count failures (5 → locked for 10 minutes). On success the user is set on `db`.

    Runs its own transaction so a failure is recorded even though this raises.
    """
    now = (now or datetime.now()).replace(microsecond=0)
    with db.session() as s:
        s.info["read_only"] = False  # recording a failure is allowed even on a read-only opening
        s.info["user"] = username.strip()
        u = find_user(s, username)
        if u is None or not u.active:
            raise LoginFailed("用户名或密码错误。")
        if u.locked_until and u.locked_until > now:
            raise LoginFailed(f"该账户因连续 {MAX_FAILURES} 次密码错误已锁定，请于 {u.locked_until:%H:%M} 后再试，"
                              "或请管理员解锁。")
        if not verify_password(password, u.password_hash):
            u.failed_count = (u.failed_count or 0) + 1
            left = MAX_FAILURES - u.failed_count
            if left <= 0:
                u.locked_until = now + LOCKOUT
                u.failed_count = 0
                msg = f"密码连续错误 {MAX_FAILURES} 次，账户已锁定 {int(LOCKOUT.total_seconds() // 60)} 分钟。"
            else:
                msg = f"用户名或密码错误（再错 {left} 次将锁定账户）。"
            s.add(u)
            _commit_quietly(s, db)
            raise LoginFailed(msg)
        if u.failed_count or u.locked_until:
            u.failed_count = 0
            u.locked_until = None
            s.add(u)
            _commit_quietly(s, db)
        cur = CurrentUser(u.username, u.display_name or u.username, u.role)
    set_current_user(db, cur)
    return cur


def _commit_quietly(s: Session, db: Any) -> None:
    try:
        s.commit()
    except Exception:  # a file opened read-only by the OS: the check still works, the count is lost
        s.rollback()


def set_current_user(db: Any, user: CurrentUser | None) -> None:
    db.user = user.username if user else ""
    db.info["role"] = user.role if user else None
    # A 只读 login makes the file read-only for as long as that user acts; the next login (an idle-lock
    # unlock by someone else) lifts it again, unless the file itself was opened read-only (a lock).
    if user and user.role == Role.READER.value:
        if not db.read_only:
            db.read_only = True
            db.info["read_only_for_reader"] = True
    elif db.info.pop("read_only_for_reader", False):
        db.read_only = False


def current_role(db: Any) -> str:
    """The acting role: the logged-in user's, or 管理员 when accounts are off."""
    role = db.info.get("role")
    if role:
        return str(role)
    if "accounts_enabled" not in db.info:
        prepare(db)  # never act as 管理员 on a file whose accounts nobody has looked at
    if db.info.get("accounts_enabled"):
        return ""  # accounts on and nobody logged in: nothing allowed
    return Role.ADMIN.value


def allowed(db: Any, action: str) -> bool:
    if action not in ACTIONS:
        raise ValueError(action)
    if db.read_only and action not in ("view", "export", "export_unmasked", "reveal", "backup"):
        return False
    return action in PERMISSIONS.get(current_role(db), set())


def require(db: Any, action: str) -> None:
    """Raise PermissionDenied (a clear Chinese line) unless the acting user may do `action`."""
    if allowed(db, action):
        return
    if db.read_only and current_role(db) != Role.READER.value:
        raise PermissionDenied(f"数据文件以只读方式打开，不能{ACTIONS[action]}。")
    label = Role.parse(current_role(db))
    who = f"当前用户（{label.label}）" if label else "未登录用户"
    raise PermissionDenied(f"{who}无权{ACTIONS[action]}，请联系管理员。")


def prepare(db: Any) -> bool:
    """Read whether accounts are on into `db.info`; returns it (the GUI then asks for a login)."""
    with db.session() as s:
        on = accounts_enabled(s)
    db.info["accounts_enabled"] = on
    return on


@event.listens_for(OrmSession, "before_flush")
def _refuse_read_only(session: OrmSession, _ctx: Any, _instances: Any) -> None:
    if session.info.get("read_only") and (session.new or session.dirty or session.deleted):
        raise PermissionDenied("数据文件以只读方式打开（或当前用户为只读），不能保存修改。")
