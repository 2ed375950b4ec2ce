"""Report years: which years can be reported on, and the day a year's report describes.

Every year-scoped output (exports, the data package, prints, rubric checks) shows the state on
31 December of its year; for the year still running it shows today and says so. The years offered
run from the first year the ledger has a dated record in up to the current year.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, col, select

from chamberdesk.core.dates import chinese_date
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.models import Activity, Contact, Meeting, Member

if TYPE_CHECKING:
    from chamberdesk.core.db import Database


def year_end(year: int) -> date:
    return date(year, 12, 31)


def as_of(year: int, today: date | None = None) -> date:
    """The day a report for `year` describes: 31 December, or today while the year is still running."""
    return min(year_end(year), today or date.today())


def is_running(year: int, today: date | None = None) -> bool:
    """Whether `year` has not ended yet (its report is as of today, not of 31 December)."""
    return as_of(year, today) < year_end(year)


def as_of_label(year: int, today: date | None = None) -> str:
    """截至2025年12月31日, or 截至2026年12月7日（本年度尚未结束） for the year still running."""
    day = as_of(year, today)
    return f"截至{chinese_date(day)}" + ("（本年度尚未结束）" if day < year_end(year) else "")


def period_label(year: int, today: date | None = None) -> str:
    """统计期间：2025年1月1日至12月31日 (至12月7日 while the year is still running)."""
    day = as_of(year, today)
    return f"统计期间：{year}年1月1日至{day.month}月{day.day}日" + ("（本年度尚未结束）" if day < year_end(year) else "")


def first_year(session: Session, today: date | None = None) -> int:
    """The first year with a dated record (a member joining, a meeting, an activity, a contact);
    the current year when the ledger holds none yet."""
    firsts = [
        session.exec(select(func.min(Member.join_date)).where(col(Member.deleted_at).is_(None))).one(),
        session.exec(select(func.min(Meeting.date)).where(col(Meeting.deleted_at).is_(None))).one(),
        session.exec(select(func.min(Activity.date)).where(col(Activity.deleted_at).is_(None))).one(),
        session.exec(select(func.min(Contact.date)).where(col(Contact.deleted_at).is_(None))).one(),
    ]
    this_year = (today or date.today()).year
    years = [_year_of(d) for d in firsts if d is not None]
    return min([*years, this_year])


def _year_of(value: date | str) -> int:
    # SQLite hands min() of a date column back as text
    return value.year if isinstance(value, date) else int(str(value)[:4])


def report_years(session: Session, today: date | None = None) -> list[int]:
    """The years a report can be made for, newest first (what the year selectors offer)."""
    this_year = (today or date.today()).year
    return list(range(this_year, first_year(session, today) - 1, -1))


def report_year_range(db: Database, today: date | None = None) -> tuple[int, int]:
    """(first, last) year a report can be made for: the bounds of a year selector."""
    with db.session() as s:
        years = report_years(s, today)
    return years[-1], years[0]


def check_year(session: Session, year: int, today: date | None = None) -> int:
    """`year` if a report can be made for it; otherwise ChamberDeskError in one line saying which years can."""
    this_year = (today or date.today()).year
    first = first_year(session, today)
    span = f"可选 {first}—{this_year} 年" if first < this_year else f"只能选 {this_year} 年"
    if year > this_year:
        raise ChamberDeskError(f"{year}年尚未到来，不能统计；{span}。")
    if year < first:
        raise ChamberDeskError(f"{year}年早于本单位台账中最早的记录（{first}年），没有可统计的数据；{span}。")
    return year


__all__ = ["as_of", "as_of_label", "check_year", "first_year", "is_running", "period_label",
           "report_year_range", "report_years", "year_end"]
