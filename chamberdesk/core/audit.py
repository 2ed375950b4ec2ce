"""The audit log: every create, update and delete made through the ORM is recorded by a flush hook.

The hook sits on every Session, so no service can forget it. Bulk inserts that bypass the ORM
(imports) write one summary entry themselves through `record`.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import event, func, insert, inspect
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from chamberdesk.core.models import AUDITED_TABLES, AuditLog, Chamber
from chamberdesk.core.records import table_of
from chamberdesk.core.validators import mask_id_number, mask_phone

_SKIP = {"updated_at", "version", "password_hash"}


# The log is readable by every role, so personal numbers are kept in it de-identified (GB/T 35273):
# it still shows that they changed, never the full values.
_MASKED = {"rep_id_number": mask_id_number, "rep_phone": mask_phone}


def _plain(v: Any, key: str = "") -> Any:
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if key in _MASKED and isinstance(v, str):
        return _MASKED[key](v)
    return v


def _snapshot(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {c.key: _plain(getattr(obj, c.key), c.key) for c in mapper.column_attrs if c.key not in _SKIP}


def _dumps(d: dict[str, Any] | None) -> str | None:
    return None if d is None else json.dumps(d, ensure_ascii=False, sort_keys=True)


def _row(session: OrmSession, action: str, table: str, record_id: Any, before: Any, after: Any) -> dict:
    return {
        "at": datetime.now().replace(microsecond=0),
        "user": session.info.get("user", "") or "",
        "action": action,
        "table_name": table,
        "record_id": record_id if isinstance(record_id, int) else None,
        "before": _dumps(before),
        "after": _dumps(after),
    }


@event.listens_for(OrmSession, "before_flush")
def _collect(session: OrmSession, _ctx: Any, _instances: Any) -> None:
    pending = session.info.setdefault("_audit_pending", [])
    for obj in session.dirty:
        table = getattr(obj, "__tablename__", None)
        if table not in AUDITED_TABLES or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for attr in state.mapper.column_attrs:
            if attr.key in _SKIP:
                continue
            hist = state.attrs[attr.key].history
            if hist.has_changes():
                before[attr.key] = _plain(hist.deleted[0], attr.key) if hist.deleted else None
                after[attr.key] = _plain(hist.added[0], attr.key) if hist.added else None
        if not after:
            continue
        action = "update"
        if "deleted_at" in after:
            action = "delete" if after["deleted_at"] else "restore"
        pending.append(("dirty", obj, action, before, after))
    for obj in session.deleted:
        table = getattr(obj, "__tablename__", None)
        if table in AUDITED_TABLES:
            pending.append(("deleted", obj, "purge" if hasattr(obj, "deleted_at") else "delete",
                            _snapshot(obj), None))
    for obj in session.new:
        if getattr(obj, "__tablename__", None) in AUDITED_TABLES:
            pending.append(("new", obj, "create", None, None))


@event.listens_for(OrmSession, "after_flush")
def _write(session: OrmSession, _ctx: Any) -> None:
    pending = session.info.pop("_audit_pending", [])
    if not pending:
        return
    rows = []
    for kind, obj, action, before, after in pending:
        # new rows have no identity key yet at this point, but their primary key is already set
        pk = inspect(obj).mapper.primary_key_from_instance(obj)
        rid = pk[0] if len(pk) == 1 else None
        if kind == "new":
            after = _snapshot(obj)
        rows.append(_row(session, action, obj.__tablename__, rid, before, after))
    session.connection().execute(insert(table_of(AuditLog)), rows)


def record(session: OrmSession, action: str, table: str, record_id: int | None = None,
           *, before: dict | None = None, after: dict | None = None) -> None:
    """Write one entry by hand (bulk imports, exports of unmasked data, reveals)."""
    session.add(AuditLog(**_row(session, action, table, record_id, before, after)))


# --- reading the log (the 审计日志 viewer and its export) ---------------------------------------------

def _filtered(q: Any, user: str | None, table: str, since: date | None, until: date | None) -> Any:
    if user is None:  # entries the program wrote itself (migrations, imports run from the command line)
        q = q.where((col(AuditLog.user).is_(None)) | (AuditLog.user == ""))
    elif user:
        q = q.where(AuditLog.user == user)
    if table:
        q = q.where(AuditLog.table_name == table)
    if since:
        q = q.where(AuditLog.at >= datetime.combine(since, datetime.min.time()))
    if until:  # the whole last day counts
        q = q.where(AuditLog.at < datetime.combine(until + timedelta(days=1), datetime.min.time()))
    return q


def audit_page(session: Session, *, user: str | None = "", table: str = "", since: date | None = None,
               until: date | None = None, offset: int = 0, limit: int | None = 300) -> list[AuditLog]:
    """Log entries newest first; user "" means everyone, None only the system's; limit None means all."""
    q = _filtered(select(AuditLog), user, table, since, until)
    q = q.order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc()).offset(offset)
    if limit:
        q = q.limit(limit)
    return list(session.exec(q))


def audit_count(session: Session, *, user: str | None = "", table: str = "", since: date | None = None,
                until: date | None = None) -> int:
    """How many entries audit_page would give without a limit."""
    return session.exec(_filtered(select(func.count()).select_from(AuditLog), user, table, since, until)).one()


def audit_users(session: Session) -> list[str | None]:
    """Every user named in the log, sorted; None or "" stands for entries the system wrote."""
    users = session.exec(select(col(AuditLog.user)).distinct().order_by(col(AuditLog.user))).all()
    return list(users)


def chamber_names(session: Session) -> dict[int, str]:
    """Every chamber's name by id, deleted ones included: old entries still name them."""
    return {cid: name for cid, name in session.exec(select(col(Chamber.id), Chamber.name)).all() if cid is not None}
