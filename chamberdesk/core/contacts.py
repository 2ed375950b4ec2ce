"""Member contacts (走访与联系) and each chamber's yearly coverage of its members."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from chamberdesk.core import records
from chamberdesk.core.choices import ContactWay
from chamberdesk.core.fields import Checker
from chamberdesk.core.meetings import records_in_period
from chamberdesk.core.members import on_roll, seat_held
from chamberdesk.core.models import CONTACT_LABELS, Contact, ContactCreate, Member, Membership
from chamberdesk.core.periods import as_of


def validate_contact(data: dict[str, Any]) -> dict[str, Any]:
    c = Checker(data, CONTACT_LABELS)
    c.choice("way", ContactWay, required=True)
    c.past_date("date", required=True)
    c.text("by_whom", max_len=50)
    c.long_text("notes", max_len=5000)
    c.custom()
    if c.data.get("member_id") is None:
        c.fail("member_id", "必须选择会员")
    return c.done()


def log_contact(session: Session, data: ContactCreate | dict[str, Any]) -> Contact:
    raw = data.model_dump() if isinstance(data, ContactCreate) else dict(data)
    clean = validate_contact(raw)
    records.get_live(session, Member, clean["member_id"])
    ct = Contact(**clean)
    session.add(ct)
    session.flush()
    return ct


def delete_contact(session: Session, contact_id: int) -> None:
    records.soft_delete(session, records.get_live(session, Contact, contact_id))


def list_contacts(session: Session, *, member_id: int | None = None, chamber_id: int | None = None,
                  year: int | None = None, quarter: int | None = None) -> list[Contact]:
    q = select(Contact).where(col(Contact.deleted_at).is_(None))
    if member_id is not None:
        q = q.where(Contact.member_id == member_id)
    if chamber_id is not None:
        q = q.where(Contact.chamber_id == chamber_id)
    q = records_in_period(q, Contact.date, year, quarter)
    return list(session.exec(q.order_by(col(Contact.date).desc())))


@dataclass
class Coverage:
    members: int
    visited: int  # at least one 实地走访 in the year
    contacted: int  # at least one contact of any way

    @property
    def visited_ratio(self) -> float | None:
        return self.visited / self.members if self.members else None

    @property
    def contacted_ratio(self) -> float | None:
        return self.contacted / self.members if self.members else None


def coverage(session: Session, chamber_id: int, year: int) -> Coverage:
    """Of the chamber's members at year end (today for the running year), how many were visited on site /
    contacted that year."""
    end = as_of(year)
    seated = (select(Membership.member_id).join(Member, col(Member.id) == col(Membership.member_id))
              .where(Membership.chamber_id == chamber_id, col(Member.deleted_at).is_(None), seat_held(end), on_roll(end))
              .distinct())
    members = session.exec(select(func.count()).select_from(seated.subquery())).one()

    def reached(ways: list[str] | None) -> int:
        q = select(func.count(func.distinct(Contact.member_id))).where(
            col(Contact.deleted_at).is_(None), col(Contact.member_id).in_(seated))
        q = records_in_period(q, Contact.date, year, None)
        if ways:
            q = q.where(col(Contact.way).in_(ways))
        return session.exec(q).one()

    return Coverage(members, reached([ContactWay.VISIT.value]), reached(None))
