"""Operations every editable record shares: fetch, update with a version check, soft delete,
restore from the recycle bin, purge. Services for each concept build on these."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select

from chamberdesk.core.errors import Conflict, NotFound

T = TypeVar("T", bound=SQLModel)

KIND_LABELS = {"member": "会员", "chamber": "商会", "meeting": "会议", "activity": "活动", "contact": "走访联系"}


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def get_live(session: Session, model: type[T], record_id: int) -> T:
    obj = session.get(model, record_id)
    if obj is None or getattr(obj, "deleted_at", None) is not None:
        label = KIND_LABELS.get(model.__tablename__, "记录")
        raise NotFound(f"找不到该{label}（编号 {record_id}），可能已被删除。请刷新列表。")
    return obj


def apply_update(session: Session, obj: T, changes: dict[str, Any], *, expected_version: int | None,
                 validate: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> T:
    """Set changed fields after checking nobody saved the record since it was read."""
    if expected_version is not None and obj.version != expected_version:
        raise Conflict("该记录已被他人修改，请重新载入后再保存（您的输入仍保留在窗口中）。")
    merged = obj.model_dump()
    merged.update(changes)
    if validate is not None:
        merged = validate(merged)
    for key in changes:
        setattr(obj, key, merged[key])
    obj.updated_at = now()
    obj.version = obj.version + 1
    session.add(obj)
    return obj


def soft_delete(session: Session, obj: SQLModel) -> None:
    obj.deleted_at = now()
    obj.version += 1
    session.add(obj)


def restore(session: Session, model: type[T], record_id: int) -> T:
    obj = session.get(model, record_id)
    if obj is None or obj.deleted_at is None:
        raise NotFound("回收站中没有该记录。")
    obj.deleted_at = None
    obj.version += 1
    session.add(obj)
    return obj


def purge(session: Session, model: type[T], record_id: int) -> None:
    obj = session.get(model, record_id)
    if obj is None or obj.deleted_at is None:
        raise NotFound("只能彻底删除回收站中的记录。")
    session.delete(obj)


def recycle_bin(session: Session, model: type[T]) -> list[T]:
    return list(session.exec(select(model).where(model.deleted_at.is_not(None)).order_by(model.deleted_at.desc())))
