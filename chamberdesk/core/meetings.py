"""Meetings (会议) of the federation's and the chambers' bodies."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Field, Session, col, delete, select
from sqlmodel.sql.expression import SelectOfScalar

from chamberdesk.core import records
from chamberdesk.core.choices import MeetingBody
from chamberdesk.core.fields import Checker
from chamberdesk.core.models import (
    MEETING_LABELS,
    Chamber,
    Meeting,
    MeetingAttendee,
    MeetingBase,
    MeetingCreate,
)

T = TypeVar("T")


def validate_meeting(data: dict[str, Any]) -> dict[str, Any]:
    c = Checker(data, MEETING_LABELS)
    c.choice("body", MeetingBody, required=True)
    c.past_date("date", required=True)
    c.text("place", max_len=200)
    for f in ("agenda", "decisions", "minutes"):
        c.long_text(f, max_len=20000)
    c.custom()
    c.non_negative("expected_count", "present_count")
    e, p = c.data.get("expected_count"), c.data.get("present_count")
    if e is not None and p is not None and p > e:
        c.fail("present_count", "实到人数不能多于应到人数")
    return c.done()


def create_meeting(session: Session, data: MeetingCreate | dict[str, Any], attendee_ids: list[int] | None = None) -> Meeting:
    raw = data.model_dump() if isinstance(data, MeetingCreate) else dict(data)
    clean = validate_meeting(raw)
    if clean.get("chamber_id") is not None:
        records.get_live(session, Chamber, clean["chamber_id"])
    m = Meeting(**clean)
    session.add(m)
    session.flush()
    assert m.id is not None  # given by the INSERT just flushed
    set_attendees(session, m.id, attendee_ids or [])
    return m


def set_attendees(session: Session, meeting_id: int, member_ids: list[int]) -> None:
    session.exec(delete(MeetingAttendee).where(col(MeetingAttendee.meeting_id) == meeting_id))
    for mid in dict.fromkeys(member_ids):
        session.add(MeetingAttendee(meeting_id=meeting_id, member_id=mid))


def update_meeting(session: Session, meeting_id: int, changes: dict[str, Any], *, expected_version: int | None = None) -> Meeting:
    m = records.get_live(session, Meeting, meeting_id)
    return records.apply_update(session, m, changes, expected_version=expected_version, validate=validate_meeting)


def delete_meeting(session: Session, meeting_id: int) -> None:
    records.soft_delete(session, records.get_live(session, Meeting, meeting_id))


def list_meetings(session: Session, *, chamber_id: int | None = None, federation: bool = False,
                  year: int | None = None, body: str | None = None, quarter: int | None = None) -> list[Meeting]:
    q = select(Meeting).where(col(Meeting.deleted_at).is_(None))
    if federation:
        q = q.where(col(Meeting.chamber_id).is_(None))
    elif chamber_id is not None:
        q = q.where(Meeting.chamber_id == chamber_id)
    if body:
        q = q.where(Meeting.body == body)
    q = records_in_period(q, Meeting.date, year, quarter)
    return list(session.exec(q.order_by(col(Meeting.date).desc(), col(Meeting.id).desc())))


def records_in_period(q: SelectOfScalar[T], column: Any, year: int | None, quarter: int | None) -> SelectOfScalar[T]:
    """Narrow a query to a year, or to one quarter of it."""
    from datetime import date

    if year is None:
        return q
    if quarter:
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    else:
        start, end = date(year, 1, 1), date(year + 1, 1, 1)
    return q.where(column >= start, column < end)


def attendee_ids(session: Session, meeting_id: int) -> list[int]:
    """The members recorded as present at the meeting."""
    return list(session.exec(select(MeetingAttendee.member_id).where(MeetingAttendee.meeting_id == meeting_id)))


class MeetingRead(MeetingBase):
    """A meeting as a form shows it: plain values, the version its save must expect, and who attended."""

    id: int
    version: int
    attendee_ids: list[int] = Field(default_factory=list)


def get_meeting(session: Session, meeting_id: int) -> MeetingRead:
    """The live meeting with its attendees; NotFound when it was deleted meanwhile."""
    m = records.get_live(session, Meeting, meeting_id)
    return MeetingRead.model_validate(m, from_attributes=True, update={"attendee_ids": attendee_ids(session, meeting_id)})
