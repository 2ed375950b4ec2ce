"""Activities (活动) of the federation and the chambers."""

from __future__ import annotations

from typing import Any

from sqlmodel import Field, Session, col, delete, select

from chamberdesk.core import records
from chamberdesk.core.choices import ActivityCategory, label_of
from chamberdesk.core.fields import Checker
from chamberdesk.core.meetings import records_in_period
from chamberdesk.core.models import (
    ACTIVITY_LABELS,
    Activity,
    ActivityBase,
    ActivityCreate,
    ActivityParticipant,
    Chamber,
)

# What an activity's 金额 / 人数 / 件数 count, by category: investment attracted and donations are different
# money and are never added together; likewise trainees and people served, problems solved and proposals.
# A category not named here speaks for itself (政企沟通 42 件).
_AMOUNT = {ActivityCategory.INVESTMENT.value: "招商引资", ActivityCategory.CHARITY.value: "捐资",
           ActivityCategory.VILLAGES.value: "捐资"}
_PEOPLE = {ActivityCategory.TRAINING.value: "培训"}
_ITEMS = {ActivityCategory.LEGAL.value: "解决问题", ActivityCategory.MEDIATION.value: "解决问题",
          ActivityCategory.POLICY_ADVICE.value: "提案议案", ActivityCategory.RESEARCH.value: "调研报告",
          ActivityCategory.PUBLICITY.value: "宣传稿件"}
_PIECES = {ActivityCategory.RESEARCH.value, ActivityCategory.PUBLICITY.value}  # counted in 篇, not 件


def outcomes(activity: Activity) -> list[tuple[str, float, str]]:
    """The activity's outcomes as (kind, figure, unit), e.g. ("招商引资", 120.0, "万元"); outcomes of the
    same kind and unit may be totalled, others never."""
    cat = activity.category
    label = label_of(ActivityCategory, cat)
    out: list[tuple[str, float, str]] = []
    if activity.amount:
        out.append((_AMOUNT.get(cat, label), activity.amount, "万元"))
    if activity.people_count:
        out.append((_PEOPLE.get(cat, label), activity.people_count, "人次"))
    if activity.item_count:
        out.append((_ITEMS.get(cat, label), activity.item_count, "篇" if cat in _PIECES else "件"))
    return out


def validate_activity(data: dict[str, Any]) -> dict[str, Any]:
    c = Checker(data, ACTIVITY_LABELS)
    c.choice("category", ActivityCategory, required=True)
    c.past_date("date", required=True)
    c.text("title", required=True, max_len=200)
    c.long_text("notes", max_len=20000)
    c.custom()
    c.non_negative("participant_count", "member_participants", "amount", "people_count", "item_count")
    pc, mp = c.data.get("participant_count"), c.data.get("member_participants")
    if pc is not None and mp is not None and mp > pc:
        c.fail("member_participants", "会员参加人数不能多于参加人数")
    return c.done()


def create_activity(session: Session, data: ActivityCreate | dict[str, Any], participant_ids: list[int] | None = None) -> Activity:
    raw = data.model_dump() if isinstance(data, ActivityCreate) else dict(data)
    clean = validate_activity(raw)
    if clean.get("chamber_id") is not None:
        records.get_live(session, Chamber, clean["chamber_id"])
    a = Activity(**clean)
    session.add(a)
    session.flush()
    assert a.id is not None  # given by the INSERT just flushed
    set_participants(session, a.id, participant_ids or [])
    return a


def set_participants(session: Session, activity_id: int, member_ids: list[int]) -> None:
    session.exec(delete(ActivityParticipant).where(col(ActivityParticipant.activity_id) == activity_id))
    for mid in dict.fromkeys(member_ids):
        session.add(ActivityParticipant(activity_id=activity_id, member_id=mid))


def update_activity(session: Session, activity_id: int, changes: dict[str, Any], *, expected_version: int | None = None) -> Activity:
    a = records.get_live(session, Activity, activity_id)
    return records.apply_update(session, a, changes, expected_version=expected_version, validate=validate_activity)


def delete_activity(session: Session, activity_id: int) -> None:
    records.soft_delete(session, records.get_live(session, Activity, activity_id))


def list_activities(session: Session, *, chamber_id: int | None = None, federation: bool = False,
                    year: int | None = None, category: str | None = None, quarter: int | None = None) -> list[Activity]:
    q = select(Activity).where(col(Activity.deleted_at).is_(None))
    if federation:
        q = q.where(col(Activity.chamber_id).is_(None))
    elif chamber_id is not None:
        q = q.where(Activity.chamber_id == chamber_id)
    if category:
        q = q.where(Activity.category == category)
    q = records_in_period(q, Activity.date, year, quarter)
    return list(session.exec(q.order_by(col(Activity.date).desc(), col(Activity.id).desc())))


def participant_ids(session: Session, activity_id: int) -> list[int]:
    """The members recorded as taking part in the activity."""
    return list(session.exec(select(ActivityParticipant.member_id).where(ActivityParticipant.activity_id == activity_id)))


class ActivityRead(ActivityBase):
    """An activity as a form shows it: plain values, the version its save must expect, and who took part."""

    id: int
    version: int
    participant_ids: list[int] = Field(default_factory=list)


def get_activity(session: Session, activity_id: int) -> ActivityRead:
    """The live activity with its participants; NotFound when it was deleted meanwhile."""
    a = records.get_live(session, Activity, activity_id)
    return ActivityRead.model_validate(a, from_attributes=True,
                                       update={"participant_ids": participant_ids(session, activity_id)})
