"""The dashboard's figures for one year, computed with SQL aggregates (no Qt, no row loading)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Case, case, func
from sqlmodel import Session, col, select

from chamberdesk.core.chambers import TERM_WARNING_DAYS
from chamberdesk.core.choices import ChamberKind, ChamberStatus
from chamberdesk.core.members import count_on_roll
from chamberdesk.core.models import Activity, Chamber, Meeting, Member

# The dashboard's list of chambers missing basic conditions (四有, 五有五好) needs the rules engine:
# chamberdesk.rules.standing.chamber_issues. Term reminders stay a plain fact from the term dates.
MIN_ACTIVITIES_PER_QUARTER = 2


@dataclass
class TermDue:
    chamber_id: int
    name: str
    term_end: date
    overdue: bool
    days: int  # days until the end (negative when past)


@dataclass
class DashboardFigures:
    year: int
    ref_date: date  # the day member counts refer to: today in the current year, else 31 December
    members_now: int
    members_last_year: int  # at 31 December of the year before
    new_members: int  # joined in the year
    left_members: int  # left in the year
    member_trend: list[tuple[int, int]]  # (year, members at its end or today), oldest first
    chambers_by_kind: dict[str, int]  # ChamberKind value → active chambers, every kind present
    activities_by_quarter: dict[int, tuple[int, int]]  # quarter → (by the federation, by chambers)
    meetings_this_year: int
    elapsed_quarters: list[int]  # quarters of the year that are over on the reference date
    terms: list[TermDue] = field(default_factory=list)  # due within 90 days or overdue, soonest first

    @property
    def growth(self) -> float | None:
        """Member growth against the end of last year (0.05 = 5 %); None without last year's figure."""
        if not self.members_last_year:
            return None
        return (self.members_now - self.members_last_year) / self.members_last_year

    @property
    def chambers_total(self) -> int:
        return sum(self.chambers_by_kind.values())

    @property
    def activities_total(self) -> int:
        return sum(f + c for f, c in self.activities_by_quarter.values())


def _quarter_bounds(year: int, q: int) -> tuple[date, date]:
    start = date(year, 3 * q - 2, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return start, end


def _quarter_case(column: Any, year: int) -> Case[int]:
    """A portable CASE giving the quarter of a date column (no strftime: works on server databases too)."""
    return case(
        (column < date(year, 4, 1), 1),
        (column < date(year, 7, 1), 2),
        (column < date(year, 10, 1), 3),
        else_=4,
    )


def _count_between(session: Session, column: Any, start: date, end: date) -> int:
    q = select(func.count()).select_from(Member).where(col(Member.deleted_at).is_(None), column >= start, column < end)
    return session.exec(q).one()


def elapsed_quarters(year: int, today: date) -> list[int]:
    return [q for q in range(1, 5) if _quarter_bounds(year, q)[1] <= today]


def compute_dashboard(session: Session, year: int | None = None, *, today: date | None = None) -> DashboardFigures:
    """Every figure the 工作台 shows for `year` (default: this year), as seen on `today`."""
    today = today or date.today()
    year = year or today.year
    ref = today if year == today.year else date(year, 12, 31)
    y_start, y_end = date(year, 1, 1), date(year + 1, 1, 1)

    members_now = count_on_roll(session, ref)
    members_last = count_on_roll(session, date(year - 1, 12, 31))
    trend = [(y, count_on_roll(session, today if y == today.year else date(y, 12, 31))) for y in (year - 2, year - 1)]
    trend.append((year, members_now))

    live_chambers = list(session.exec(
        select(Chamber).where(col(Chamber.deleted_at).is_(None), Chamber.status == ChamberStatus.ACTIVE.value)
        .order_by(Chamber.kind, Chamber.name)))
    by_kind = {k.value: 0 for k in ChamberKind}
    for ch in live_chambers:
        by_kind[ch.kind] = by_kind.get(ch.kind, 0) + 1

    quarter = _quarter_case(Activity.date, year)
    is_fed = case((col(Activity.chamber_id).is_(None), 1), else_=0)
    rows = session.exec(
        select(quarter, func.sum(is_fed), func.count())
        .where(col(Activity.deleted_at).is_(None), Activity.date >= y_start, Activity.date < y_end)
        .group_by(quarter)).all()
    per_q = {q: (0, 0) for q in range(1, 5)}
    for q, fed, total in rows:
        per_q[int(q)] = (int(fed or 0), int(total) - int(fed or 0))

    meetings = session.exec(select(func.count()).select_from(Meeting).where(
        col(Meeting.deleted_at).is_(None), Meeting.date >= y_start, Meeting.date < y_end)).one()

    done_q = elapsed_quarters(year, today)
    terms: list[TermDue] = []
    warn_until = ref + timedelta(days=TERM_WARNING_DAYS)
    for ch in live_chambers:
        assert ch.id is not None  # read from the table
        if ch.term_end is not None and ch.term_end <= warn_until:
            overdue = ch.term_end < ref
            terms.append(TermDue(ch.id, ch.name, ch.term_end, overdue, (ch.term_end - ref).days))
    terms.sort(key=lambda t: t.term_end)

    return DashboardFigures(
        year=year, ref_date=ref, members_now=members_now, members_last_year=members_last,
        new_members=_count_between(session, Member.join_date, y_start, min(y_end, ref + timedelta(days=1))),
        left_members=_count_between(session, Member.leave_date, y_start, min(y_end, ref + timedelta(days=1))),
        member_trend=trend, chambers_by_kind=by_kind, activities_by_quarter=per_q, meetings_this_year=meetings,
        elapsed_quarters=done_q, terms=terms,
    )


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


__all__ = ["DashboardFigures", "TermDue", "compute_dashboard",
           "elapsed_quarters", "quarter_of"]
