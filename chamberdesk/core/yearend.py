"""Each chamber's year-end steps (000 附件1 三（一）): its 年度基层商会工作情况统计表 received, its 自查表 printed,
the federation's inspection (采取年度工作汇报和查看活动记录、台帐相结合的办法) done.

One `ChamberYearEnd` row per chamber and year, made when a step is first recorded. The statistics form
itself, when the clerk keeps a copy, is evidence linked to that row (record type "chamber_year_end").
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session, col, select

from chamberdesk.core import evidence
from chamberdesk.core.dates import chinese_date
from chamberdesk.core.db import Database
from chamberdesk.core.errors import ChamberDeskError, Conflict, FieldError, InvalidInput, NotFound
from chamberdesk.core.models import Chamber, ChamberYearEnd, Evidence
from chamberdesk.core.periods import check_year

RECORD_TYPE = "chamber_year_end"  # evidence links of the statistics form
MAX_BY = 50


def find(session: Session, chamber_id: int, year: int) -> ChamberYearEnd | None:
    return session.exec(select(ChamberYearEnd).where(ChamberYearEnd.chamber_id == chamber_id,
                                                     ChamberYearEnd.year == year)).first()


def for_year(session: Session, year: int) -> dict[int, ChamberYearEnd]:
    """chamber id → its row for the year (chambers with no step recorded have none)."""
    return {r.chamber_id: r for r in session.exec(select(ChamberYearEnd).where(ChamberYearEnd.year == year))}


def get_or_create(session: Session, chamber_id: int, year: int, *, today: date | None = None) -> ChamberYearEnd:
    """The chamber's row for the year, made on first use; the year must be one the ledger can report on."""
    check_year(session, year, today)
    ch = session.get(Chamber, chamber_id)
    if ch is None or ch.deleted_at is not None:
        raise NotFound(f"找不到商会（编号 {chamber_id}）")
    row = find(session, chamber_id, year)
    if row is None:
        row = ChamberYearEnd(chamber_id=chamber_id, year=year, version=0)  # each recorded step counts one up
        session.add(row)
        session.flush()
    return row


def check_version(session: Session, chamber_id: int, year: int, expected: int | None) -> None:
    """A form opened on version `expected` (None: no row yet) saves only if nobody saved the row since."""
    row = find(session, chamber_id, year)
    now = row.version if row is not None else None
    if now != expected and not (expected is None and now == 0):
        raise Conflict("该商会本年度的年终考评记录已被他人修改，请关闭后重新打开再填写（您填写的内容仍在窗口中）。")


def _checked_day(field: str, label: str, day: date | None, year: int, today: date) -> date | None:
    """A step's date lies between the year's start and today (a step cannot be done ahead of time)."""
    if day is None:
        return None
    if day > today:
        raise InvalidInput([FieldError(field, label, f"{chinese_date(day)}尚未到来，请填写实际日期")])
    if day < date(year, 1, 1):
        raise InvalidInput([FieldError(field, label, f"{chinese_date(day)}早于{year}年，{year}年度的{label}应在"
                                                     f"{year}年1月1日之后")])
    return day


def _touch(session: Session, row: ChamberYearEnd) -> ChamberYearEnd:
    row.version += 1
    session.add(row)
    session.flush()
    return row


def set_statistics_received(db: Database, session: Session, chamber_id: int, year: int, on: date | None,
                            evidence_file: Path | str | None = None, *, today: date | None = None) -> ChamberYearEnd:
    """Record the day the chamber's 年度基层商会工作情况统计表 for `year` came in (None: not received after
    all), with the form itself as evidence when given. The 通州 veto item `statistics_filed` reads it."""
    today = today or date.today()
    row = get_or_create(session, chamber_id, year, today=today)
    row.statistics_received_on = _checked_day("statistics_received_on", "统计表收到日期", on, year, today)
    if evidence_file is not None:
        if on is None:
            raise ChamberDeskError("附上统计表文件时须填写收到日期。")
        assert row.id is not None  # flushed by get_or_create
        evidence.add_file(db, session, Path(evidence_file), record_type=RECORD_TYPE, record_id=row.id,
                          note=f"{year}年度基层商会工作情况统计表")
    return _touch(session, row)


def set_inspection(session: Session, chamber_id: int, year: int, on: date | None, by: str | None,
                   notes: str | None = None, *, today: date | None = None) -> ChamberYearEnd:
    """Record the federation's inspection of the chamber's year: when, by whom (required with a date), what
    was seen. A None date clears it."""
    today = today or date.today()
    row = get_or_create(session, chamber_id, year, today=today)
    by = (by or "").strip() or None
    if on is not None and by is None:
        raise InvalidInput([FieldError("inspected_by", "考评人", "请填写考评人（如 驻会领导、包片领导的姓名）")])
    if by is not None and len(by) > MAX_BY:
        raise InvalidInput([FieldError("inspected_by", "考评人", f"考评人不超过{MAX_BY}个字")])
    row.inspected_on = _checked_day("inspected_on", "实地考评日期", on, year, today)
    row.inspected_by = by if on is not None else None
    row.inspection_notes = ((notes or "").strip() or None) if on is not None else None
    return _touch(session, row)


def note_selfcheck_printed(session: Session, year: int, chamber_ids: list[int], *,
                           today: date | None = None) -> int:
    """The 自查表 (or 考评表) of these chambers for `year` was printed today: the first print is the date the
    step was done, so a later reprint keeps it. Returns how many chambers got a date now."""
    today = today or date.today()
    rows = for_year(session, year)
    live = set(session.exec(select(Chamber.id).where(col(Chamber.id).in_(chamber_ids),
                                                     col(Chamber.deleted_at).is_(None))))
    n = 0
    for cid in chamber_ids:
        if cid not in live:
            continue
        row = rows.get(cid)
        if row is None:
            row = ChamberYearEnd(chamber_id=cid, year=year, version=0)
        if row.selfcheck_printed_on is None:
            row.selfcheck_printed_on = today
            _touch(session, row)
            n += 1
    return n


def statistics_files(session: Session, row: ChamberYearEnd | None) -> list[Evidence]:
    """The statistics form(s) kept with the row."""
    if row is None or row.id is None:
        return []
    return evidence.files_for(session, RECORD_TYPE, row.id)


def statistics_due(year: int, month_day: str = "01-31") -> date:
    """The day the year's statistics form is due: `month_day` ("MM-DD") of the following year."""
    try:
        m, d = (int(x) for x in month_day.split("-"))
        return date(year + 1, m, d)
    except ValueError:
        raise ChamberDeskError(f"报送期限“{month_day}”应写成 \"MM-DD\"（次年的月-日），如 \"01-31\"") from None


__all__ = ["RECORD_TYPE", "check_version", "find", "for_year", "get_or_create", "note_selfcheck_printed", "set_inspection",
           "set_statistics_received", "statistics_due", "statistics_files"]
