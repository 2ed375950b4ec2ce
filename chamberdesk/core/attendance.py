"""Roll-call (到会点名) of the chambers at the federation's own meetings and activities, and what a year of it
says about each chamber: unexcused absences, leaves, absences from education and training.

The 通州 考评 vetoes a chamber that "本年度无故不参加区工商联（商会）组织的会议或活动3次以上，并且未请假"
(000 附件1 二（四）2) and removes from the federation's system one that "1年内无特殊原因，3次以上无故不参加
工商联组织的教育培训活动" (000 四2). Only the federation's own records (chamber_id empty) take a roll-call: a
chamber's own council meeting is not the federation's to call.

A roll-call belongs to its meeting or activity: saving it bumps the record's version (optimistic locking),
so two clerks marking the same meeting cannot overwrite each other unseen, and every row written is in the
audit log (the session's flush hook). Which events count as education and training: activities of the
categories in TRAINING_CATEGORIES (培训, 理想信念教育, 政治理论学习 — the source says 教育培训活动); no
meeting body is a training, so meetings never count there (a training held as a meeting is entered as an
activity of category 培训).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from chamberdesk.core import periods, records
from chamberdesk.core.chambers import chambers_between
from chamberdesk.core.choices import ActivityCategory, AttendanceStatus, MeetingBody, label_of
from chamberdesk.core.dates import chinese_date
from chamberdesk.core.errors import ChamberDeskError, FieldError, InvalidInput
from chamberdesk.core.models import Activity, Chamber, ChamberAttendance, Meeting
from chamberdesk.core.validators import clean_text

KINDS = {"meeting": "会议", "activity": "活动"}
TRAINING_CATEGORIES = (ActivityCategory.TRAINING.value, ActivityCategory.IDEALS.value,
                       ActivityCategory.THEORY_STUDY.value)
REASON_MAX = 200
PRESENT, LEAVE, ABSENT = (AttendanceStatus.PRESENT.value, AttendanceStatus.LEAVE.value,
                          AttendanceStatus.ABSENT.value)
MARK_WORDS = {PRESENT: "出席", LEAVE: "请假", ABSENT: "无故缺席"}  # a mark in a cited record's label


@dataclass(frozen=True)
class Event:
    """One of the federation's own meetings or activities, as a roll-call names it."""

    kind: str  # "meeting" | "activity"
    id: int
    date: date
    title: str  # 执委会 / the activity's title
    training: bool  # an education or training activity (000 四2)
    version: int

    def label(self) -> str:
        """2025年3月8日 执委会"""
        return f"{chinese_date(self.date)} {self.title}"

    def record(self, status: str = "", reason: str = "") -> dict[str, Any]:
        """The record an explanation cites (the shape rubric results use), with the chamber's mark there."""
        words = MARK_WORDS.get(status, "")
        tail = f"（{words}{'：' + reason if reason else ''}）" if words else ""
        return {"table": self.kind, "id": self.id, "date": self.date.isoformat(), "label": self.label() + tail,
                **({"status": status} if status else {})}


@dataclass
class Entry:
    """One chamber's mark at one event: present, leave (with the reason) or absent."""

    chamber_id: int
    status: str
    reason: str = ""


@dataclass
class Row:
    """A line of a roll-call list: a chamber and its mark (status "" = not called yet)."""

    chamber_id: int
    name: str
    status: str = ""
    reason: str = ""
    on_file: bool = True  # the chamber was on file that day; False: a stored mark of one since gone

    def entry(self) -> Entry | None:
        return Entry(self.chamber_id, self.status, self.reason) if self.status else None


@dataclass
class RollCall:
    event: Event
    rows: list[Row]

    @property
    def taken(self) -> bool:
        return any(r.status for r in self.rows)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys((PRESENT, LEAVE, ABSENT, ""), 0)
        for r in self.rows:
            out[r.status] += 1
        return out

    def summary(self) -> str:
        """应到12个商会：出席9、请假2、缺席1 (未点名 when some are left)."""
        c = self.counts()
        text = f"应到{len(self.rows) - c['']}个商会：出席{c[PRESENT]}、请假{c[LEAVE]}、缺席{c[ABSENT]}"
        return text + (f"；另有{c['']}个商会未点名" if c[""] else "")


# --- one event ------------------------------------------------------------------------------------------


def _model(kind: str) -> Any:
    if kind not in KINDS:
        raise ChamberDeskError(f"点名只针对会议或活动，不是“{kind}”")
    return Meeting if kind == "meeting" else Activity


def _event_of(kind: str, row: Any) -> Event:
    if kind == "meeting":
        title, training = label_of(MeetingBody, row.body), False
    else:
        title, training = row.title, row.category in TRAINING_CATEGORIES
    return Event(kind, records.id_of(row), row.date, title, training, row.version)


def _live_federation_record(session: Session, kind: str, event_id: int) -> Any:
    row = records.get_live(session, _model(kind), event_id)
    if row.chamber_id is not None:
        owner = session.get(Chamber, row.chamber_id)
        raise ChamberDeskError(f"该{KINDS[kind]}属于“{owner.name if owner else '某商会'}”，不是区工商联组织的，"
                               "不做商会到会点名；点名只记录工商联本级的会议和活动。")
    return row


def get_event(session: Session, kind: str, event_id: int) -> Event:
    """The federation's own meeting or activity; NotFound when deleted, ChamberDeskError for a chamber's own."""
    return _event_of(kind, _live_federation_record(session, kind, event_id))


def expected_chambers(session: Session, on: date) -> list[Chamber]:
    """The chambers expected at an event on that day: on file (not deleted), founded by then, not yet dissolved."""
    return chambers_between(session, on, on)


def _stored(session: Session, kind: str, event_id: int) -> list[ChamberAttendance]:
    column = ChamberAttendance.meeting_id if kind == "meeting" else ChamberAttendance.activity_id
    return list(session.exec(select(ChamberAttendance).where(column == event_id)))


def roll_call(session: Session, kind: str, event_id: int) -> RollCall:
    """The event's roll-call as a list shows it: every chamber on file that day, marked or not, plus any
    stored mark of a chamber since deleted or dissolved (kept, never dropped from view)."""
    ev = get_event(session, kind, event_id)
    stored = {a.chamber_id: a for a in _stored(session, kind, event_id)}
    rows = [Row(records.id_of(c), c.name) for c in expected_chambers(session, ev.date)]
    listed = {r.chamber_id for r in rows}
    gone = [cid for cid in stored if cid not in listed]
    if gone:
        names = dict(session.exec(select(col(Chamber.id), Chamber.name).where(col(Chamber.id).in_(gone))).all())
        rows += [Row(cid, f"{names.get(cid, cid)}（已不在册）", on_file=False) for cid in gone]
    for r in rows:
        if r.chamber_id in stored:
            r.status, r.reason = stored[r.chamber_id].status, stored[r.chamber_id].reason or ""
    return RollCall(ev, rows)


def all_present(rows: list[Row]) -> list[Row]:
    """全部出席: every chamber on file marked present; marks already made (leaves, absences) are kept."""
    return [Row(r.chamber_id, r.name, r.status or PRESENT, r.reason, r.on_file) if r.on_file else r for r in rows]


def check_entries(session: Session, ev: Event, entries: list[Entry], *, names: dict[int, str] | None = None) -> list[Entry]:
    """The entries cleaned (status as stored, reason trimmed) or InvalidInput naming every wrong line.

    A leave needs its reason (请假事由); a chamber may be marked once; a chamber newly marked must have been
    on file that day (a mark already stored stays, even for a chamber since gone)."""
    stored = {a.chamber_id for a in _stored(session, ev.kind, ev.id)}
    on_file = {records.id_of(c): c.name for c in expected_chambers(session, ev.date)}
    names = {**on_file, **(names or {})}
    errors: list[FieldError] = []
    out: list[Entry] = []
    seen: set[int] = set()
    for e in entries:
        label = names.get(e.chamber_id) or chamber_name(session, e.chamber_id)
        key = f"chamber:{e.chamber_id}"
        status = AttendanceStatus.parse(e.status)
        reason = clean_text(e.reason) or ""
        if e.chamber_id in seen:
            errors.append(FieldError(key, label, "重复列出，每个商会只能点名一次"))
            continue
        seen.add(e.chamber_id)
        if status is None:
            errors.append(FieldError(key, label, f"到会情况“{e.status}”无效，应为出席、请假或缺席"))
            continue
        if e.chamber_id not in on_file and e.chamber_id not in stored:
            errors.append(FieldError(key, label, f"{chinese_date(ev.date)}时不在册（未成立、已撤销或已删除），"
                                     "不能列入这次点名"))
            continue
        if status.value == LEAVE and not reason:
            errors.append(FieldError(key, label, "请假须填写事由（如：外出招商），没有事由请记为缺席"))
            continue
        if len(reason) > REASON_MAX:
            errors.append(FieldError(key, label, f"事由不能超过{REASON_MAX}个字"))
            continue
        out.append(Entry(e.chamber_id, status.value, reason))
    if errors:
        raise InvalidInput(errors)
    return out


def chamber_name(session: Session, chamber_id: int) -> str:
    """The chamber's name, deleted ones included (a stored mark still names them)."""
    ch = session.get(Chamber, chamber_id)
    return ch.name if ch is not None else f"商会（编号 {chamber_id}）"


def write_roll_call(session: Session, kind: str, event_id: int, entries: list[Entry]) -> RollCall:
    """Make the stored roll-call exactly `entries` (changed rows updated, missing ones removed, new ones added)
    inside the caller's transaction, without touching the record's version: for a form that has just saved
    the meeting or activity itself (which claimed the version) in the same transaction."""
    ev = get_event(session, kind, event_id)
    clean = {e.chamber_id: e for e in check_entries(session, ev, entries)}
    for row in _stored(session, kind, event_id):
        new = clean.pop(row.chamber_id, None)
        if new is None:
            session.delete(row)
        elif (row.status, row.reason or "") != (new.status, new.reason):
            row.status, row.reason = new.status, new.reason or None
            session.add(row)
    for e in clean.values():
        session.add(ChamberAttendance(meeting_id=event_id if kind == "meeting" else None,
                                      activity_id=event_id if kind == "activity" else None,
                                      chamber_id=e.chamber_id, status=e.status, reason=e.reason or None))
    session.flush()
    return roll_call(session, kind, event_id)


def set_roll_call(session: Session, kind: str, event_id: int, entries: list[Entry], *,
                  expected_version: int | None) -> RollCall:
    """Record the roll-call of a federation meeting or activity as its own change: Conflict when someone saved
    the record since it was read at `expected_version` (None: the latest, as a command line run does)."""
    row = _live_federation_record(session, kind, event_id)
    records.apply_update(session, row, {}, expected_version=expected_version)
    return write_roll_call(session, kind, event_id, entries)


# --- a year -------------------------------------------------------------------------------------------


@dataclass
class Mark:
    event: Event
    status: str
    reason: str = ""

    def record(self) -> dict[str, Any]:
        return self.event.record(self.status, self.reason)


@dataclass
class ChamberYear:
    """One chamber's roll-calls in a year."""

    chamber_id: int
    marks: list[Mark] = field(default_factory=list)  # by date

    def _with(self, status: str) -> list[Mark]:
        return [m for m in self.marks if m.status == status]

    @property
    def present(self) -> list[Mark]:
        return self._with(PRESENT)

    @property
    def leaves(self) -> list[Mark]:
        return self._with(LEAVE)

    @property
    def absences(self) -> list[Mark]:
        """Absent without leave (无故缺席): what the 通州 veto counts."""
        return self._with(ABSENT)

    @property
    def training_absences(self) -> list[Mark]:
        """Absent without leave from an education or training activity: what the 撤销 rule (000 四2) counts."""
        return [m for m in self.absences if m.event.training]


@dataclass
class YearRollCalls:
    """Every roll-call of the federation's events in a year (up to `until` while the year runs)."""

    year: int
    until: date
    events: list[Event]  # events with a roll-call, by date
    chambers: dict[int, ChamberYear]
    not_called: list[Event]  # the federation's events of the year without any roll-call

    @property
    def recorded(self) -> bool:
        """Whether any roll-call was taken this year: without one, no absence count means anything."""
        return bool(self.events)

    def of(self, chamber_id: int) -> ChamberYear:
        return self.chambers.get(chamber_id) or ChamberYear(chamber_id)


def year_roll_calls(session: Session, year: int, *, until: date | None = None,
                    today: date | None = None) -> YearRollCalls:
    """The year's roll-calls by chamber, from 1 January to 31 December (or `until`, e.g. today). The year must
    be one the ledger can report on (core.periods.check_year)."""
    periods.check_year(session, year, today=today)
    return collect_year(session, year, until=until)


def collect_year(session: Session, year: int, *, until: date | None = None) -> YearRollCalls:
    """year_roll_calls without the check of the year (the rubric engine evaluates any year it is asked)."""
    start, end = date(year, 1, 1), min(periods.year_end(year), until or periods.year_end(year))
    events: dict[tuple[str, int], Event] = {}
    called: set[tuple[str, int]] = set()
    marks: dict[int, list[Mark]] = {}
    for kind, model, fk in (("meeting", Meeting, ChamberAttendance.meeting_id),
                            ("activity", Activity, ChamberAttendance.activity_id)):
        rows = session.exec(select(model).where(col(model.chamber_id).is_(None), col(model.deleted_at).is_(None),
                                                col(model.date) >= start, col(model.date) <= end))
        for row in rows:
            events[(kind, records.id_of(row))] = _event_of(kind, row)
        ids = [k[1] for k in events if k[0] == kind]
        if not ids:
            continue
        for a in session.exec(select(ChamberAttendance).where(col(fk).in_(ids))):
            key = (kind, a.meeting_id if kind == "meeting" else a.activity_id)
            assert key[1] is not None  # the IN above selected on this very column
            called.add(key)  # type: ignore[arg-type]
            marks.setdefault(a.chamber_id, []).append(Mark(events[key], a.status, a.reason or ""))  # type: ignore[index]
    order = sorted(events.values(), key=lambda e: (e.date, e.kind, e.id))
    chambers = {}
    for cid, ms in marks.items():
        ms.sort(key=lambda m: (m.event.date, m.event.kind, m.event.id))
        chambers[cid] = ChamberYear(cid, ms)
    return YearRollCalls(year, end, [e for e in order if (e.kind, e.id) in called], chambers,
                         [e for e in order if (e.kind, e.id) not in called])


def marks_text(marks: list[Mark], *, reasons: bool = False) -> str:
    """2025年3月8日 执委会；2025年5月12日 商会秘书长培训班 (with 请假事由 when asked)."""
    return "；".join(m.event.label() + (f"（{m.reason}）" if reasons and m.reason else "") for m in marks)


__all__ = ["ABSENT", "KINDS", "LEAVE", "PRESENT", "TRAINING_CATEGORIES", "ChamberYear", "Entry", "Event", "Mark",
           "RollCall", "Row", "YearRollCalls", "all_present", "chamber_name", "check_entries", "collect_year",
           "expected_chambers", "get_event",
           "marks_text", "roll_call", "set_roll_call", "write_roll_call", "year_roll_calls"]
