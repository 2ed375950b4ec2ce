"""Personal information (GB/T 35273): reveal one record by permission (logged), anonymise members who
left long ago, and keep the audit log at least three years.

Lists, prints and exports show 身份证号 and phone masked (validators.mask_*); the full value is
revealed one record at a time, and each reveal is an audit entry naming who looked at what.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from chamberdesk.core import accounts, audit
from chamberdesk.core.errors import FieldError, InvalidInput, NotFound
from chamberdesk.core.federation import get_setting, set_setting
from chamberdesk.core.models import AuditLog, Member

SETTING_RETENTION = "privacy.retention_years"  # years after leaving before a member is anonymised
SETTING_AUDIT_YEARS = "audit.retention_years"
MIN_AUDIT_YEARS = 3
ANON_NAME = "（已匿名）"
REVEALABLE = {"rep_id_number": "身份证号", "rep_phone": "联系电话"}
# Fields of a member that identify a person; cleared when the member is anonymised.
PERSONAL_FIELDS = ("rep_name", "legal_rep", "rep_id_number", "rep_phone", "rep_birth_date", "rep_gender",
                   "rep_political_status", "notes")


def reveal(db: Any, member_id: int, field: str) -> str:
    """The full value of one member's 身份证号 or phone, for a user allowed to see it; logged."""
    if field not in REVEALABLE:
        raise ValueError(field)
    accounts.require(db, "reveal")
    with db.session() as s:
        s.info["read_only"] = False  # the audit entry is written even when browsing read-only
        m = s.get(Member, member_id)
        if m is None or m.deleted_at is not None:
            raise NotFound("找不到该会员。")
        value = getattr(m, field) or ""
        audit.record(s, "reveal", "member", member_id, after={"field": field, "label": REVEALABLE[field]})
        s.commit()
    return value


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def retention_years(session: Session) -> int | None:
    v = get_setting(session, SETTING_RETENTION, None)
    return int(v) if isinstance(v, int) and v > 0 else None


def set_retention_years(session: Session, years: int | None) -> None:
    if years is not None and not 1 <= years <= 100:
        raise InvalidInput([FieldError("retention", "保留年限", "应为 1–100 年")])
    set_setting(session, SETTING_RETENTION, years)


def due_for_anonymising(session: Session, years: int, *, today: date | None = None) -> list[int]:
    cutoff = _add_years(today or date.today(), -years)
    q = select(col(Member.id)).where(col(Member.leave_date).is_not(None), col(Member.leave_date) < cutoff,
                                col(Member.rep_name).is_distinct_from(ANON_NAME))
    return [i for i in session.exec(q) if i is not None]


def anonymise_left_members(db: Any, years: int | None = None, *, today: date | None = None) -> int:
    """Clear personal fields of members who left more than `years` ago (the office's setting).

    The enterprise stays (counts and history remain right); the person does not, including in the
    audit log's before/after values of those records (entries are kept, values redacted).
    """
    accounts.require(db, "anonymise")
    with db.transaction() as s:
        years = years or retention_years(s)
        if not years:
            raise InvalidInput([FieldError("retention", "保留年限", "请先在设置中填写退会会员个人信息的保留年限")])
        ids = due_for_anonymising(s, years, today=today)
        if not ids:
            return 0
        blank: dict[str, Any] = dict.fromkeys(PERSONAL_FIELDS)
        blank["rep_name"] = ANON_NAME
        now = datetime.now().replace(microsecond=0)
        # Core update: the ORM audit hook would copy the very values being erased into the log.
        all_personal: set[int] = set()
        for chunk in _chunks(ids, 500):
            personal = set(s.exec(select(Member.id).where(col(Member.id).in_(chunk), Member.kind == "personal")))
            s.execute(update(Member).where(col(Member.id).in_(chunk)).values(**blank, updated_at=now))
            s.execute(update(Member).where(col(Member.id).in_(personal)).values(enterprise_name=ANON_NAME))
            _redact_audit(s, chunk, personal)
            all_personal |= personal
        _redact_unkeyed(s, set(ids), all_personal)
        audit.record(s, "update", "member", None,
                     after={"anonymised": len(ids), "retention_years": years, "member_ids": ids[:1000]})
    return len(ids)


def _chunks(seq: list[int], n: int) -> Iterator[list[int]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _redact_audit(s: Session, ids: list[int], personal: set[int]) -> None:
    rows = s.exec(select(AuditLog.id, AuditLog.record_id, AuditLog.before, AuditLog.after).where(
        AuditLog.table_name == "member", col(AuditLog.record_id).in_(ids))).all()
    _redact_rows(s, rows, set(ids), personal)


def _redact_unkeyed(s: Session, ids: set[int], personal: set[int]) -> None:
    """Entries written without a record id (e.g. a create logged before its key was known) carry the
    id inside their snapshot; they are found by it."""
    rows = s.exec(select(AuditLog.id, AuditLog.record_id, AuditLog.before, AuditLog.after).where(
        AuditLog.table_name == "member", col(AuditLog.record_id).is_(None))).all()
    _redact_rows(s, rows, ids, personal)


def _snapshot_id(texts: list[str | None]) -> int | None:
    for raw in texts:
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), int):
            return data["id"]
    return None


def _redact_rows(s: Session, rows: Any, ids: set[int], personal: set[int]) -> None:
    for row_id, record_id, *texts in rows:
        rid = record_id if record_id is not None else _snapshot_id(texts)
        if rid not in ids:
            continue
        out: list[str | None] = []
        changed = False
        for raw in texts:
            try:
                data = json.loads(raw) if raw else None
            except ValueError:
                data = None
            if isinstance(data, dict):
                for f in (*PERSONAL_FIELDS, "enterprise_name"):
                    if data.get(f) not in (None, "", "***") and (f != "enterprise_name" or rid in personal):
                        data[f] = "***"
                        changed = True
                out.append(json.dumps(data, ensure_ascii=False, sort_keys=True))
            else:
                out.append(raw)
        if changed:
            s.execute(update(AuditLog).where(AuditLog.id == row_id).values(before=out[0], after=out[1]))


def audit_retention_years(session: Session) -> int:
    v = get_setting(session, SETTING_AUDIT_YEARS, MIN_AUDIT_YEARS)
    return max(int(v) if isinstance(v, int) else MIN_AUDIT_YEARS, MIN_AUDIT_YEARS)


def prune_audit(db: Any, *, today: date | None = None) -> int:
    """Delete audit entries older than the retention (never less than 3 years); returns how many."""
    accounts.require(db, "settings")
    with db.transaction() as s:
        years = audit_retention_years(s)
        cutoff = _add_years(today or date.today(), -years)
        res = s.execute(delete(AuditLog).where(col(AuditLog.at) < datetime.combine(cutoff, datetime.min.time())))
        n = res.rowcount or 0
        if n:
            audit.record(s, "purge", "audit_log", None, after={"deleted_before": cutoff.isoformat(), "count": n})
    return n
