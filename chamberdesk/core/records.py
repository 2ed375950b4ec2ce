"""Operations every editable record shares: fetch, update with a version check, soft delete,
restore from the recycle bin, purge. Services for each concept build on these."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Table, func, inspect, update
from sqlmodel import Session, SQLModel, col, select

from chamberdesk.core.errors import Conflict, NotFound
from chamberdesk.core.models import Activity, Chamber, Contact, Meeting, Member, Tracked

if TYPE_CHECKING:
    from chamberdesk.core.db import Database

T = TypeVar("T", bound=Tracked)  # a table with version and deleted_at (and an id)

KIND_LABELS = {"member": "会员", "chamber": "商会", "meeting": "会议", "activity": "活动", "contact": "走访联系"}


def table_of(model: type[SQLModel]) -> Table:
    """The table of a table model (SQLModel's types do not declare `__table__`)."""
    return cast(Table, inspect(model).local_table)


def id_of(record: Any) -> int:
    """A stored record's id (a table model types it `int | None` only because it is None before the INSERT)."""
    rid = record.id
    if rid is None:
        raise ValueError(f"{type(record).__name__} has no id: it was never flushed")
    return int(rid)


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def get_live(session: Session, model: type[T], record_id: int) -> T:
    obj = session.get(model, record_id)
    if obj is None or getattr(obj, "deleted_at", None) is not None:
        label = KIND_LABELS.get(table_of(model).name, "记录")
        raise NotFound(f"找不到该{label}（编号 {record_id}），可能已被删除。请刷新列表。")
    return obj


def apply_update(session: Session, obj: T, changes: dict[str, Any], *, expected_version: int | None,
                 validate: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> T:
    """Set changed fields after checking nobody saved the record since it was read.

    The check is made by the database itself (see `_claim`), so two clerks saving at the same
    moment cannot both pass it. Without `expected_version` (bulk edits) the latest row is used.
    """
    if expected_version is not None and obj.version != expected_version:
        raise Conflict(CONFLICT_MESSAGE)
    _claim(session, obj, expected_version)
    merged = obj.model_dump()
    merged.update(changes)
    if validate is not None:
        merged = validate(merged)
    for key in changes:
        setattr(obj, key, merged[key])
    obj.updated_at = now()
    session.add(obj)
    return obj


CONFLICT_MESSAGE = "该记录已被他人修改，请重新载入后再保存（您的输入仍保留在窗口中）。"


def _claim(session: Session, obj: Tracked, expected_version: int | None) -> None:
    """Bump the row's version with a conditional UPDATE; zero rows means someone else got there first.

    A check in Python alone races: two transactions read version 3, both pass, the later write
    wins silently. The UPDATE also locks the row until commit, so the write that follows is ours.
    """
    if getattr(obj, "id", None) is None or inspect(obj).pending:  # not in the database yet: nobody else can see it
        obj.version = (obj.version or 0) + 1
        return
    if expected_version is None:
        session.flush()  # unsaved edits to this object must not be lost by the refresh below
    table = table_of(type(obj))
    stmt = update(table).where(table.c.id == getattr(obj, "id"))  # noqa: B009  (Tracked declares no id)
    if expected_version is not None:
        stmt = stmt.where(table.c.version == expected_version)
    result = session.connection().execute(stmt.values(version=table.c.version + 1))
    if result.rowcount != 1:
        raise Conflict(CONFLICT_MESSAGE)
    if expected_version is None:
        session.refresh(obj)  # the current row, now locked by us, with its new version
    else:
        obj.version = expected_version + 1


def soft_delete(session: Session, obj: Tracked) -> None:
    _claim(session, obj, None)
    obj.deleted_at = now()
    session.add(obj)


def restore(session: Session, model: type[T], record_id: int) -> T:
    obj = session.get(model, record_id)
    if obj is None or obj.deleted_at is None:
        raise NotFound("回收站中没有该记录。")
    _claim(session, obj, None)
    obj.deleted_at = None
    session.add(obj)
    return obj


def purge(session: Session, model: type[T], record_id: int) -> None:
    """Delete for good. A member's own contact records go with it (seats, seats' history, attendance
    and honours cascade in the database); a chamber still named by meetings or activities is refused."""
    from chamberdesk.core.models import Contact

    obj = session.get(model, record_id)
    if obj is None or obj.deleted_at is None:
        raise NotFound("只能彻底删除回收站中的记录。")
    if table_of(model).name == "member":
        for contact in session.exec(select(Contact).where(Contact.member_id == record_id)):
            session.delete(contact)
    session.delete(obj)


def recycle_bin(session: Session, model: type[T]) -> list[T]:
    return list(session.exec(select(model).where(col(model.deleted_at).is_not(None)).order_by(col(model.deleted_at).desc())))


FEDERATION_OWNER = "工商联"  # owner shown for a deleted meeting held by the federation itself


def _names_of(session: Session, model: Any, attr: str, ids: set[int | None]) -> dict[int, str]:
    ids.discard(None)
    if not ids:
        return {}
    return dict(session.exec(select(model.id, getattr(model, attr)).where(model.id.in_(ids))).all())


def recycle_bin_rows(session: Session, kind: str) -> list[tuple[int, str, str, str]]:
    """(id, name, date, deleted at) for every deleted record of one kind (a KIND_LABELS key), newest first."""
    from chamberdesk.core.choices import ContactWay, MeetingBody, label_of
    from chamberdesk.core.models import Activity, Chamber, Contact, Meeting, Member

    model: Any = {"member": Member, "chamber": Chamber, "meeting": Meeting, "activity": Activity,
                  "contact": Contact}[kind]
    objs = recycle_bin(session, model)
    if kind == "member":
        return [(o.id, o.enterprise_name, str(o.join_date or ""), f"{o.deleted_at:%Y-%m-%d %H:%M}") for o in objs]
    if kind == "chamber":
        return [(o.id, o.name, str(o.founded_on or ""), f"{o.deleted_at:%Y-%m-%d %H:%M}") for o in objs]
    if kind == "meeting":
        owners = _names_of(session, Chamber, "name", {o.chamber_id for o in objs})
        return [(o.id, f"{owners.get(o.chamber_id, FEDERATION_OWNER)} · {label_of(MeetingBody, o.body)}",
                 str(o.date), f"{o.deleted_at:%Y-%m-%d %H:%M}") for o in objs]
    if kind == "activity":
        return [(o.id, o.title, str(o.date), f"{o.deleted_at:%Y-%m-%d %H:%M}") for o in objs]
    members = _names_of(session, Member, "enterprise_name", {o.member_id for o in objs})
    return [(o.id, f"{members.get(o.member_id, '（未知会员）')} · {label_of(ContactWay, o.way)}", str(o.date),
             f"{o.deleted_at:%Y-%m-%d %H:%M}") for o in objs]


def record_counts(db: Database) -> dict[str, int]:
    """Live records of each kind (as `info` prints them and the upward package states them)."""
    out = {}
    with db.session() as s:
        for key, model in (("members", Member), ("chambers", Chamber), ("meetings", Meeting),
                           ("activities", Activity), ("contacts", Contact)):
            out[key] = s.exec(select(func.count()).select_from(model).where(col(model.deleted_at).is_(None))).one()
        out["active_members"] = s.exec(select(func.count()).select_from(Member).where(
            col(Member.deleted_at).is_(None), col(Member.leave_date).is_(None))).one()
    return out
