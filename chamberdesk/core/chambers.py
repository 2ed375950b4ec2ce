"""Chambers (商会): validation, create/update/delete, officers, and per-chamber figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from chamberdesk.core import records
from chamberdesk.core.choices import (
    OFFICER_POSITIONS,
    ChamberKind,
    ChamberRule,
    ChamberStatus,
    PartyOrg,
    Position,
)
from chamberdesk.core.fields import Checker
from chamberdesk.core.members import on_roll, seat_held
from chamberdesk.core.models import CHAMBER_LABELS, Chamber, ChamberBase, ChamberCreate, Member, Membership
from chamberdesk.core.validators import normalize_credit_code

TERM_WARNING_DAYS = 90


def validate_chamber(session: Session | None, data: dict[str, Any], *, exclude_id: int | None = None) -> dict[str, Any]:
    c = Checker(data, CHAMBER_LABELS)
    c.org_name("name", required=True, max_len=100)
    c.choice("kind", ChamberKind, required=True)
    c.normalised("credit_code", normalize_credit_code)
    _check_registration(c)
    c.choice("party_org", PartyOrg)
    c.data["party_org"] = c.data.get("party_org") or PartyOrg.NONE.value
    c.choice("status", ChamberStatus)
    c.data["status"] = c.data.get("status") or ChamberStatus.ACTIVE.value
    c.text("president_name", max_len=50)
    c.text("secretary_general_name", max_len=50)
    c.long_text("notes", max_len=5000)
    c.custom()
    rules = [r.strip() for r in str(c.data.get("rules") or "").replace("，", ",").replace("、", ",").split(",") if r.strip()]
    parsed = [ChamberRule.parse(r) for r in rules]
    bad = [r for r, p in zip(rules, parsed, strict=True) if p is None]
    if bad:
        c.fail("rules", f"未知制度：{'、'.join(bad)}")
    c.data["rules"] = ",".join(dict.fromkeys(p.value for p in parsed if p))
    c.past_date("founded_on")
    c.past_date("dissolved_on")
    c.non_negative("office_area", "fulltime_staff", "parttime_staff", "annual_funds")
    ts, te = c.data.get("term_start"), c.data.get("term_end")
    if ts and te and te <= ts:
        c.fail("term_end", "届满日期应晚于起始日期")
    if c.data.get("status") == ChamberStatus.DISSOLVED and not c.data.get("dissolved_on"):
        c.fail("dissolved_on", "已撤销的商会须填写撤销日期")
    if session is not None and c.data.get("name") and not c.has_error("name"):
        q = select(Chamber.id).where(Chamber.name == c.data["name"], col(Chamber.deleted_at).is_(None))
        if exclude_id is not None:
            q = q.where(Chamber.id != exclude_id)
        if session.exec(q).first():
            c.fail("name", "已有同名商会")
    return c.done()


# GB 32100-2015: the first character names the registering authority; 民政 (civil affairs) is 5,
# 市场监管 (enterprises) is 9. A 9 here is usually the president's company code typed by mistake.
CIVIL_AFFAIRS_CODE_PREFIX = "5"
REGISTERED_NEEDS_CODE = ("已在民政部门登记的商会须填写统一社会信用代码（见社会团体法人登记证书，以5开头）；"
                         "尚未登记的，请取消“民政登记”")


def _check_registration(c: Checker) -> None:
    """A chamber registered with 民政 has a social organisation's credit code; say which one to enter."""
    if not c.data.get("registered") or c.has_error("credit_code"):
        return
    code = c.data.get("credit_code")
    if not code:
        c.fail("credit_code", REGISTERED_NEEDS_CODE)
    elif not code.startswith(CIVIL_AFFAIRS_CODE_PREFIX):
        c.fail("credit_code", f"民政登记的商会代码以5开头，此代码以“{code[0]}”开头"
                              f"{'（是企业的代码）' if code[0] == '9' else ''}，请按社会团体法人登记证书核对")


def create_chamber(session: Session, data: ChamberCreate | dict[str, Any]) -> Chamber:
    raw = data.model_dump() if isinstance(data, ChamberCreate) else dict(data)
    ch = Chamber(**validate_chamber(session, raw))
    session.add(ch)
    session.flush()
    return ch


def update_chamber(session: Session, chamber_id: int, changes: dict[str, Any], *,
                   expected_version: int | None = None) -> Chamber:
    ch = records.get_live(session, Chamber, chamber_id)
    return records.apply_update(session, ch, changes, expected_version=expected_version,
                                validate=lambda d: validate_chamber(session, d, exclude_id=chamber_id))


class ChamberRead(ChamberBase):
    """A chamber as a form shows it: plain values and the version its save must expect."""

    id: int
    version: int


def get_chamber(session: Session, chamber_id: int) -> ChamberRead:
    """The live chamber's values; NotFound (saying so in Chinese) when it was deleted meanwhile."""
    return ChamberRead.model_validate(records.get_live(session, Chamber, chamber_id), from_attributes=True)


def delete_chamber(session: Session, chamber_id: int) -> None:
    records.soft_delete(session, records.get_live(session, Chamber, chamber_id))


def list_chambers(session: Session, *, include_dissolved: bool = True) -> list[Chamber]:
    q = select(Chamber).where(col(Chamber.deleted_at).is_(None))
    if not include_dissolved:
        q = q.where(Chamber.status == ChamberStatus.ACTIVE.value)
    return list(session.exec(q.order_by(Chamber.kind, Chamber.name)))


def chambers_between(session: Session, first: date, last: date) -> list[Chamber]:
    """The chambers that existed at some time from `first` to `last`: founded by `last` (an unknown founding
    date counts as always) and not dissolved before `first`. One day (first == last) gives the list on that day."""
    return [c for c in list_chambers(session)
            if (c.founded_on is None or c.founded_on <= last)
            and (c.status == ChamberStatus.ACTIVE.value or c.dissolved_on is None or c.dissolved_on > first)]


def find_chamber(session: Session, name: str) -> Chamber | None:
    return session.exec(select(Chamber).where(Chamber.name == name.strip(), col(Chamber.deleted_at).is_(None))).first()


def term_status(ch: Chamber, today: date | None = None) -> str:
    """'overdue' (届满未换届), 'due' (within 90 days), 'ok' or 'unknown'."""
    today = today or date.today()
    if ch.term_end is None:
        return "unknown"
    if ch.term_end < today:
        return "overdue"
    if ch.term_end <= today + timedelta(days=TERM_WARNING_DAYS):
        return "due"
    return "ok"


TERM_STATUS_LABELS = {"overdue": "已届满未换届", "due": "即将届满", "ok": "正常", "unknown": "未填写"}


def member_counts(session: Session, on: date | None = None) -> dict[int, int]:
    """Chamber id → members on the roll and seated in it on the given day (default today), live members only."""
    on = on or date.today()
    q = (select(Membership.chamber_id, func.count(func.distinct(Membership.member_id)))
         .join(Member, col(Member.id) == col(Membership.member_id))
         .where(col(Membership.chamber_id).is_not(None), col(Member.deleted_at).is_(None), seat_held(on), on_roll(on))
         .group_by(col(Membership.chamber_id)))
    # The query keeps only seats in a chamber; the test narrows the column's `int | None` for the type check.
    return {cid: n for cid, n in session.exec(q).all() if cid is not None}


@dataclass
class Officer:
    member_id: int
    name: str
    enterprise: str
    position: str


def officers(session: Session, chamber_id: int) -> list[Officer]:
    order = {p.value: i for i, p in enumerate(Position)}
    rows = list(session.exec(select(Membership, Member).join(Member, col(Member.id) == Membership.member_id)
                        .where(Membership.chamber_id == chamber_id, col(Membership.end_date).is_(None),
                               col(Member.deleted_at).is_(None),
                               col(Membership.position).in_([p.value for p in OFFICER_POSITIONS]))))
    rows.sort(key=lambda r: order.get(r[0].position, 99))
    return [Officer(m.id, m.rep_name or m.legal_rep or "", m.enterprise_name, Position(s.position).label)
            for s, m in rows if m.id is not None]
