"""Exports: the ledger as filtered, a chamber's roster, chambers, meetings, activities, and the upward workbooks
(年度基层商会工作情况统计表, 工作基本情况资料, assessment results).

身份证号 and phone numbers are masked unless the caller asks for them in full; a full export is
written to the audit log. Column titles are the ones the importer maps, so an exported ledger
imports back unchanged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from chamberdesk.core import accounts, audit, custom_fields, periods
from chamberdesk.core.chambers import (
    TERM_STATUS_LABELS,
    chambers_between,
    find_chamber,
    list_chambers,
    member_counts,
    term_status,
)
from chamberdesk.core.choices import (
    ActivityCategory,
    ChamberKind,
    ChamberRule,
    Gender,
    Industry,
    MeetingBody,
    MemberKind,
    PartyOrg,
    PoliticalStatus,
    Position,
    SeatKind,
    SeatLevel,
    SizeClass,
    label_of,
)
from chamberdesk.core.contacts import coverage
from chamberdesk.core.dates import chinese_date
from chamberdesk.core.db import Database
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.federation import get_federation
from chamberdesk.core.members import (
    MemberFilter,
    count_members,
    count_on_roll,
    iter_members,
    on_roll,
    seat_held,
)
from chamberdesk.core.models import (
    CHAMBER_LABELS,
    Activity,
    Chamber,
    Honour,
    Meeting,
    Member,
    Membership,
    PoliticalSeat,
)
from chamberdesk.core.records import id_of, table_of
from chamberdesk.core.validators import mask_birth_date, mask_id_number, mask_phone
from chamberdesk.io.workbook_style import FormWriter, new_workbook

EXPORT_KINDS = {"members": "会员台账", "roster": "商会会员名册", "chambers": "商会名录", "meetings": "会议记录",
                "activities": "活动记录", "yearly-stats": "年度基层商会工作情况统计表",
                "work-summary": "工作基本情况资料", "assessments": "考评结果"}

# the ledger's columns: (title the importer maps, width)
MEMBER_COLUMNS = [
    ("序号", 6), ("企业名称", 34), ("统一社会信用代码", 22), ("会员类型", 10), ("法定代表人", 10), ("代表人姓名", 10),
    ("性别", 5), ("出生日期", 11), ("身份证号", 21), ("政治面貌", 11), ("联系电话", 15), ("所属行业", 16),
    ("企业规模", 10), ("标签", 16), ("入会日期", 11), ("退会日期", 11), ("退会原因", 12), ("所属商会", 26), ("备注", 20),
    ("企业地址", 30), ("注册资本（万元）", 10), ("从业人员数", 8),
]


def custom_titles(session: Session, model: type, *where: Any) -> list[str]:
    """Every 自定义信息 title the records carry, in first-seen order: each becomes a column of its own."""
    t = table_of(model)
    q = select(t.c.custom).where(t.c.custom.is_not(None), t.c.deleted_at.is_(None), *where)
    return custom_fields.titles_in(list(session.exec(q)))


def custom_cells(record: Any, titles: list[str]) -> list[Any]:
    have = custom_fields.load(record.custom)
    return [have.get(t) for t in titles]


def unit_line(session: Session, extra: str = "") -> str:
    fed = get_federation(session)
    name = fed.name if fed else ""
    bits = [f"填报单位（盖章）：{name}", f"填报日期：{chinese_date(date.today())}"]
    if extra:
        bits.append(extra)
    return "　　".join(bits)


def _seats_for(session: Session, ids: list[int], on: date | None = None) -> dict[int, str]:
    """Member id → "城关镇商会（副会长）、建筑业商会": seats held now (or on day `on`), position shown unless plain member."""
    if not ids:
        return {}
    held = seat_held(on) if on else col(Membership.end_date).is_(None)
    rows = session.exec(select(Membership.member_id, Chamber.name, Membership.position)
                        .join(Chamber, col(Chamber.id) == col(Membership.chamber_id))
                        .where(col(Membership.member_id).in_(ids), held,
                               col(Chamber.deleted_at).is_(None)).order_by(Chamber.name))
    out: dict[int, list[str]] = defaultdict(list)
    for mid, name, pos in rows:
        out[mid].append(name if pos == Position.MEMBER.value else f"{name}（{label_of(Position, pos)}）")
    return {k: "、".join(v) for k, v in out.items()}


_KIND = {m.value: m.label for m in MemberKind}
_GENDER = {m.value: m.label for m in Gender}
_POL = {m.value: m.label for m in PoliticalStatus}
_IND = {m.value: m.label for m in Industry}
_SIZE = {m.value: m.label for m in SizeClass}


def _member_row(i: int, m: Member, seats: str, unmasked: bool, as_of: date | None = None) -> list[Any]:
    idn = m.rep_id_number if unmasked else (mask_id_number(m.rep_id_number) or None)
    phone = m.rep_phone if unmasked else (mask_phone(m.rep_phone) or None)
    born = m.rep_birth_date if unmasked else (mask_birth_date(m.rep_birth_date) or None)
    # on the report's day a member who left later had not left yet
    left = m.leave_date is not None and (as_of is None or m.leave_date <= as_of)
    return [i, m.enterprise_name, m.credit_code, _KIND.get(m.kind, m.kind), m.legal_rep, m.rep_name,
            _GENDER.get(m.rep_gender or ""), born, idn, _POL.get(m.rep_political_status or ""),
            phone, _IND.get(m.industry or ""), _SIZE.get(m.size_class or ""),
            m.tags.replace(",", "、") if m.tags else None, m.join_date, m.leave_date if left else None,
            m.leave_reason if left else None, seats or None, m.notes, m.address, m.registered_capital,
            m.employee_count]


def _audit_unmasked(db: Database, what: str, out: Path, rows: int) -> None:
    with db.transaction() as s:
        audit.record(s, "export", "member", None, after={"导出": what, "文件": Path(out).name, "行数": rows,
                                                         "含完整身份证号和电话": True})


def export_members(db: Database, out: Path | str, flt: MemberFilter | None = None, *, year: int | None = None,
                   unmasked: bool = False, title: str = "会员台账", note: str = "",
                   progress: Callable[[int, int], None] | None = None) -> int:
    """The ledger as filtered (the GUI's MemberFilter), one row per member; returns the row count.
    With `year`, the roll as it stood at that year's end (today for the running year), seats as of that day."""
    if unmasked:
        accounts.require(db, "export_unmasked")
    flt = flt or MemberFilter()
    if year is not None:
        flt = replace(flt, as_of=periods.as_of(year))
    with db.session() as s:
        total = count_members(s, flt)
        extra = note or ("" if unmasked else "身份证号、电话已部分隐去，出生日期只列年份")
        if year is not None:
            extra = "　　".join(x for x in (f"{periods.as_of_label(year)}的{'在册会员' if flt.status == 'active' else '会员'}",
                                           extra) if x)
        extra_titles = custom_titles(s, Member, *flt.where())
        w = FormWriter(title, [c for c, _ in MEMBER_COLUMNS] + extra_titles,
                       widths=[wd for _, wd in MEMBER_COLUMNS] + [16] * len(extra_titles), unit_line=unit_line(s, extra))
        batch: list[Member] = []
        n = 0

        def flush() -> None:
            nonlocal n
            seats = _seats_for(s, [id_of(m) for m in batch], flt.as_of)
            for m in batch:
                n += 1
                w.text_row(_member_row(n, m, seats.get(id_of(m), ""), unmasked, flt.as_of) + custom_cells(m, extra_titles))
            batch.clear()
            if progress:
                progress(n, total)

        for m in iter_members(s, flt):
            batch.append(m)
            if len(batch) >= 2000:
                flush()
        flush()
        w.note(f"共 {n} 条。")
    w.save(out)
    if unmasked:
        _audit_unmasked(db, title, Path(out), n)
    return n


def export_roster(db: Database, out: Path | str, chamber: str, *, year: int | None = None,
                  unmasked: bool = False) -> int:
    """One chamber's members (at `year`'s end when given, else now): officers first, then members by name."""
    if unmasked:
        accounts.require(db, "export_unmasked")
    day = periods.as_of(year) if year is not None else date.today()
    with db.session() as s:
        ch = find_chamber(s, chamber)
        if ch is None:
            raise ChamberDeskError(f"找不到商会“{chamber}”")
        order = {p.value: i for i, p in enumerate(Position)}
        found = s.exec(select(Member, Membership.position)
                       .join(Membership, col(Membership.member_id) == col(Member.id))
                       .where(Membership.chamber_id == ch.id, seat_held(day), col(Member.deleted_at).is_(None),
                              on_roll(day))).all()
        rows = sorted(found, key=lambda r: (order.get(r[1], 99), r[0].enterprise_name))
        cols = [("序号", 6), ("企业名称", 34), ("代表人姓名", 10), ("商会职务", 10), ("性别", 5), ("政治面貌", 11),
                ("联系电话", 15), ("所属行业", 16), ("入会日期", 11)]
        when = periods.as_of_label(year) if year is not None else f"截至{chinese_date(day)}"
        w = FormWriter(f"{ch.name}会员名册", [c for c, _ in cols], widths=[wd for _, wd in cols],
                       unit_line=unit_line(s, f"商会类型：{label_of(ChamberKind, ch.kind)}　　{when}"))
        for i, (m, pos) in enumerate(rows, 1):
            w.text_row([i, m.enterprise_name, m.rep_name or m.legal_rep, label_of(Position, pos),
                        _GENDER.get(m.rep_gender or ""), _POL.get(m.rep_political_status or ""),
                        m.rep_phone if unmasked else mask_phone(m.rep_phone), _IND.get(m.industry or ""), m.join_date])
        w.note(f"共 {len(rows)} 名会员。")
    w.save(out)
    if unmasked:
        _audit_unmasked(db, f"{ch.name}会员名册", Path(out), len(rows))
    return len(rows)


CHAMBER_COLUMNS = ["name", "kind", "registered", "credit_code", "founded_on", "term_start", "term_end", "has_office",
                   "office_area", "fulltime_staff", "parttime_staff", "annual_funds", "party_org", "rules",
                   "president_name", "secretary_general_name", "secretary_fulltime", "is_group_member",
                   "inspection_passed", "notes"]


def export_chambers(db: Database, out: Path | str, *, year: int | None = None) -> int:
    """The chambers with their member counts and term status: those existing at `year`'s end (today for the
    running year) when given, else every chamber on file as it is today."""
    day = periods.as_of(year) if year is not None else date.today()
    with db.session() as s:
        chs = chambers_between(s, day, day) if year is not None else list_chambers(s)
        counts = member_counts(s, day)
        extra_titles = custom_titles(s, Chamber)
        titles = ["序号"] + [CHAMBER_LABELS[c] for c in CHAMBER_COLUMNS] + ["会员数", "换届状态"] + extra_titles
        fmts: list[str | None] = [None] + [("float" if c in ("office_area", "annual_funds") else
                                           "int" if c.endswith("staff") else None) for c in CHAMBER_COLUMNS] + ["int", None]
        when = periods.as_of_label(year) if year is not None else f"截至{chinese_date(day)}"
        w = FormWriter("商会名录", titles, unit_line=unit_line(s, f"会员数、换届状态{when}"), formats=fmts,
                       widths=[6, 24, 12, 8, 21, 11, 11, 11, 8, 9, 8, 8, 12, 12, 30, 9, 9, 8, 8, 8, 16, 8, 12])
        for i, ch in enumerate(chs, 1):
            vals = []
            for c in CHAMBER_COLUMNS:
                v = getattr(ch, c)
                if c == "kind":
                    v = label_of(ChamberKind, v)
                elif c == "party_org":
                    v = label_of(PartyOrg, v)
                elif c == "rules":
                    v = "、".join(label_of(ChamberRule, r) for r in v.split(",") if r) or None
                vals.append(v)
            w.row([i, *vals, counts.get(id_of(ch), 0), TERM_STATUS_LABELS[term_status(ch, day)],
                   *custom_cells(ch, extra_titles)])
    w.save(out)
    return len(chs)


def _owner_names(session: Session) -> dict[int | None, str]:
    fed = get_federation(session)
    names: dict[int | None, str] = {None: fed.name if fed else "本级工商联"}
    names.update({cid: n for cid, n in session.exec(select(Chamber.id, Chamber.name))})
    return names


def _period(q, column, year: int | None):
    if year:
        q = q.where(column >= date(year, 1, 1), column <= date(year, 12, 31))
    return q


def _chamber_id(session: Session, chamber: str | None) -> int | None:
    if not chamber:
        return None
    ch = find_chamber(session, chamber)
    if ch is None:
        raise ChamberDeskError(f"找不到商会“{chamber}”")
    return ch.id


def export_meetings(db: Database, out: Path | str, *, year: int | None = None, chamber: str | None = None) -> int:
    with db.session() as s:
        cid = _chamber_id(s, chamber)
        q = select(Meeting).where(col(Meeting.deleted_at).is_(None))
        if cid is not None:
            q = q.where(Meeting.chamber_id == cid)
        rows = list(s.exec(_period(q, Meeting.date, year).order_by(Meeting.date, Meeting.id)))
        owners = _owner_names(s)
        extra_titles = custom_fields.titles_in([m.custom for m in rows])
        cols = ["序号", "所属单位", "会议类型", "会议日期", "地点", "议题", "应到人数", "实到人数", "决议", "纪要",
                *extra_titles]
        w = FormWriter(f"{year or ''}{'年' if year else ''}会议记录", cols, unit_line=unit_line(s, chamber or ""),
                       widths=[6, 22, 18, 11, 16, 36, 8, 8, 30, 30] + [16] * len(extra_titles),
                       formats=[None] * 6 + ["int", "int"])
        for i, m in enumerate(rows, 1):
            w.row([i, owners.get(m.chamber_id, ""), label_of(MeetingBody, m.body), m.date, m.place, m.agenda,
                   m.expected_count, m.present_count, m.decisions, m.minutes, *custom_cells(m, extra_titles)])
    w.save(out)
    return len(rows)


def export_activities(db: Database, out: Path | str, *, year: int | None = None, chamber: str | None = None) -> int:
    with db.session() as s:
        cid = _chamber_id(s, chamber)
        q = select(Activity).where(col(Activity.deleted_at).is_(None))
        if cid is not None:
            q = q.where(Activity.chamber_id == cid)
        rows = list(s.exec(_period(q, Activity.date, year).order_by(Activity.date, Activity.id)))
        owners = _owner_names(s)
        extra_titles = custom_fields.titles_in([a.custom for a in rows])
        cols = ["序号", "所属单位", "活动类别", "活动日期", "活动名称", "参加人数", "会员参加人数", "金额（万元）",
                "培训人次", "件数", "备注", *extra_titles]
        w = FormWriter(f"{year or ''}{'年' if year else ''}活动记录", cols, unit_line=unit_line(s, chamber or ""),
                       widths=[6, 22, 16, 11, 36, 8, 10, 10, 8, 6, 24] + [16] * len(extra_titles),
                       formats=[None] * 5 + ["int", "int", "float", "int", "int"])
        for i, a in enumerate(rows, 1):
            w.row([i, owners.get(a.chamber_id, ""), label_of(ActivityCategory, a.category), a.date, a.title,
                   a.participant_count, a.member_participants, a.amount, a.people_count, a.item_count, a.notes,
                   *custom_cells(a, extra_titles)])
    w.save(out)
    return len(rows)


# --- 年度基层商会工作情况统计表 ----------------------------------------------------------------------

CHAMBER_BODIES = [MeetingBody.GENERAL_ASSEMBLY, MeetingBody.COUNCIL, MeetingBody.STANDING_COUNCIL,
                  MeetingBody.PRESIDENT_OFFICE, MeetingBody.SUPERVISORY_BOARD, MeetingBody.OTHER]
BODY_SHORT = {MeetingBody.GENERAL_ASSEMBLY: "会员大会"}


def _standing(session: Session, year: int) -> tuple[list[str], dict[int, list[str]], list[str]]:
    """四有 / 五有五好 per chamber, judged exactly as the dashboard and the 商会 page judge them."""
    from chamberdesk import rules

    report = rules.chamber_conditions(session, year)
    rids = [rid for rid in rules.CONDITION_RUBRICS if rid in report.titles]
    word = {True: "达标", False: "未达标", None: "待填写"}
    per: dict[int, list[str]] = {}
    for ch in list_chambers(session):
        c = report.chambers.get(id_of(ch))
        per[id_of(ch)] = [word[c.results[rid].passed] if c is not None and rid in c.results else "不适用" for rid in rids]
    return [rules.CONDITION_RUBRICS[rid] for rid in rids], per, report.errors


@dataclass
class YearlyStatsInfo:
    rows: int
    standing_included: bool


@dataclass
class ChamberYear:
    """One chamber's figures for a year, as the statistics table and the data package carry them."""

    name: str
    kind: str
    members: int
    new_members: int
    meetings: dict[str, int]  # MeetingBody value → count
    activities: dict[str, int]  # ActivityCategory value → count
    coverage_members: int
    visited: int
    contacted: int
    term_end: date | None
    term_status: str
    standing: list[str]

    def as_json(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["term_end"] = self.term_end.isoformat() if self.term_end else None
        return d


def yearly_stats(session: Session, year: int, *, with_standing: bool = True
                 ) -> tuple[list[str], list[ChamberYear], list[str]]:
    """(standing rubric titles, one ChamberYear per chamber active in the year, standing errors)."""
    start, end = date(year, 1, 1), periods.year_end(year)
    as_of = periods.as_of(year)
    chs = chambers_between(session, start, as_of)
    members = member_counts(session, as_of)
    new = dict(session.exec(select(col(Membership.chamber_id), func.count(func.distinct(Membership.member_id)))
                            .join(Member, col(Member.id) == Membership.member_id)
                            .where(col(Member.deleted_at).is_(None), col(Membership.chamber_id).is_not(None),
                                   col(Membership.start_date) >= start, col(Membership.start_date) <= end)
                            .group_by(col(Membership.chamber_id))).all())
    meet = Counter((cid, b) for cid, b in session.exec(_period(select(Meeting.chamber_id, Meeting.body)
                                                                .where(col(Meeting.deleted_at).is_(None)), Meeting.date, year)))
    acts = Counter((cid, c) for cid, c in session.exec(_period(select(Activity.chamber_id, Activity.category)
                                                                .where(col(Activity.deleted_at).is_(None)), Activity.date, year)))
    st_titles, standing, st_errors = _standing(session, year) if with_standing else ([], {}, [])
    out = []
    for ch in chs:
        cov = coverage(session, id_of(ch), year)
        out.append(ChamberYear(
            ch.name, ch.kind, members.get(id_of(ch), 0), new.get(id_of(ch), 0),
            {b.value: meet.get((ch.id, b.value), 0) for b in MeetingBody if meet.get((ch.id, b.value))},
            {c.value: acts.get((ch.id, c.value), 0) for c in ActivityCategory if acts.get((ch.id, c.value))},
            cov.members, cov.visited, cov.contacted, ch.term_end, term_status(ch, as_of),
            standing.get(id_of(ch), [""] * len(st_titles))))
    return st_titles, out, st_errors


def export_yearly_stats(db: Database, out: Path | str, year: int) -> YearlyStatsInfo:
    """年度基层商会工作情况统计表: one row per chamber, totals at the foot."""
    cats = list(ActivityCategory)
    with db.session() as s:
        st_titles, rows, st_errors = yearly_stats(s, year)
        head = ["序号", "商会名称", "商会类型", "会员数", "本年新增会员"]
        groups = []
        c0 = len(head)
        head += [BODY_SHORT.get(b, b.label) for b in CHAMBER_BODIES]
        groups.append(("会议（次）", c0, len(head) - 1))
        c0 = len(head)
        head += [c.label for c in cats]
        groups.append(("活动（次）", c0, len(head) - 1))
        c0 = len(head)
        head += ["实地走访会员数", "走访覆盖率", "联系覆盖率"]
        groups.append(("走访联系", c0, len(head) - 1))
        if st_titles:
            c0 = len(head)
            head += st_titles
            groups.append(("达标情况", c0, len(head) - 1))
        head += ["本届届满日期", "换届状态"]
        first_text = len(head) - 2 - len(st_titles)
        fmts: list[str | None] = [None, None, None] + ["int"] * (len(head) - 3)
        pct_cols = {head.index("走访覆盖率"), head.index("联系覆盖率")}
        for c in pct_cols:
            fmts[c] = "pct"
        for c in range(first_text, len(head)):
            fmts[c] = None
        widths = [5, 20, 10, 7, 7] + [5] * (len(CHAMBER_BODIES) + len(cats)) + [8, 8, 8] + [9] * len(st_titles) + [11, 12]
        # 33 columns fitted onto one page would print at 4-5 pt: at 100 % they go over column groups
        # (会议 / 活动 / 走访联系 …) on A4 landscape pages, each repeating the header rows and 序号 + 商会名称
        w = FormWriter(f"{year}年度基层商会工作情况统计表", head,
                       unit_line=unit_line(s, periods.period_label(year)),
                       header_groups=groups, formats=fmts, widths=widths, split=True, title_columns=2)
        tot = [0] * len(head)
        cov_members = visited = contacted = 0
        for i, r in enumerate(rows, 1):
            row: list[Any] = [i, r.name, label_of(ChamberKind, r.kind), r.members, r.new_members]
            row += [r.meetings.get(b.value, 0) for b in CHAMBER_BODIES[:-1]]
            row += [sum(v for k, v in r.meetings.items() if k not in {b.value for b in CHAMBER_BODIES[:-1]})]
            row += [r.activities.get(c.value, 0) for c in cats]
            row += [r.visited, r.visited / r.coverage_members if r.coverage_members else None,
                    r.contacted / r.coverage_members if r.coverage_members else None]
            row += r.standing
            row += [r.term_end, TERM_STATUS_LABELS[r.term_status]]
            w.row(row)
            for c in range(3, first_text):
                if c not in pct_cols:
                    tot[c] += row[c]
            cov_members += r.coverage_members
            visited += r.visited
            contacted += r.contacted
        total_row: list[Any] = ["合计", "", f"{len(rows)}个", *tot[3:first_text], *[""] * (len(head) - first_text)]
        total_row[head.index("走访覆盖率")] = visited / cov_members if cov_members else None
        total_row[head.index("联系覆盖率")] = contacted / cov_members if cov_members else None
        w.total(total_row)
        w.note(f"说明：会员数为{periods.as_of_label(year)}在会人数；“其他会议”含本表未单列的会议；覆盖率为本年内至少走访"
               "（联系）一次的会员占期末会员数之比。"
               + (f"四有/五有达标情况未能全部计算：{'；'.join(st_errors)}" if st_errors else ""))
        w.signatures(w.spread(["填表人：", "审核人：", "单位负责人：", "日期：　　年　　月　　日"]))
    w.save(out)
    return YearlyStatsInfo(len(rows), bool(st_titles))


# --- 工作基本情况资料 (南通 notice, 17 figures in 5 groups) ---------------------------------------------

def member_totals(session: Session, year: int) -> tuple[int, int]:
    """(members who joined in the year, members on the roll at its end — today for the running year)."""
    start, end = date(year, 1, 1), periods.year_end(year)
    live = col(Member.deleted_at).is_(None)
    new_members = session.exec(select(func.count()).select_from(Member).where(
        live, col(Member.join_date) >= start, col(Member.join_date) <= end)).one()
    return new_members, count_on_roll(session, periods.as_of(year))


def industry_sectors(session: Session, year: int) -> list[str]:
    """The industries (行业) the industry chambers' members were in on the report's day: item 3's 涉及行业. A city
    adds the counties' lists, not their counts: two counties both covering 制造业 cover one industry."""
    day = periods.as_of(year)
    ind_ids = [c.id for c in chambers_between(session, day, day) if c.kind == ChamberKind.INDUSTRY.value]
    rows = session.exec(select(Member.industry).distinct().join(
        Membership, col(Membership.member_id) == col(Member.id)).where(
        col(Member.deleted_at).is_(None), on_roll(day), seat_held(day), col(Membership.chamber_id).in_(ind_ids or [-1]),
        col(Member.industry).is_not(None))).all()
    return sorted(str(r) for r in rows)


def work_summary_figures(session: Session, year: int) -> list[tuple[str, int, str, str, str]]:
    """(group, number, item, figure, source or note) for the 17 items; items the ledger cannot know say so."""
    start, end = date(year, 1, 1), periods.year_end(year)
    day = periods.as_of(year)
    fed = get_federation(session)

    def acts(*cats: ActivityCategory, federation_only: bool | None = None):
        q = select(func.count(), func.coalesce(func.sum(Activity.participant_count), 0),  # type: ignore[call-overload]  # sqlmodel types select() for at most 4 columns
                   func.coalesce(func.sum(Activity.people_count), 0), func.coalesce(func.sum(Activity.amount), 0.0),
                   func.coalesce(func.sum(Activity.item_count), 0)).where(
            col(Activity.deleted_at).is_(None), col(Activity.category).in_([c.value for c in cats]),
            Activity.date >= start, Activity.date <= end)
        if federation_only is True:
            q = q.where(col(Activity.chamber_id).is_(None))
        elif federation_only is False:
            q = q.where(col(Activity.chamber_id).is_not(None))
        return session.exec(q).one()

    live = [col(Member.deleted_at).is_(None)]
    new_members, total_members = member_totals(session, year)
    # the chambers and their members as they stood on the report's day
    chambers = chambers_between(session, day, day)
    industry = [c for c in chambers if c.kind == ChamberKind.INDUSTRY.value]
    nonlocal_ = [c for c in chambers if c.kind == ChamberKind.NONLOCAL.value]
    ind_ids = [c.id for c in industry]
    seated = [*live, on_roll(day), seat_held(day), col(Membership.chamber_id).in_(ind_ids or [-1])]
    sectors = len(industry_sectors(session, year))
    above = session.exec(select(func.count(func.distinct(Member.id))).join(
        Membership, col(Membership.member_id) == col(Member.id)).where(
        *seated, Member.size_class == SizeClass.ABOVE_SCALE.value)).one()
    base = fed.above_scale_enterprises if fed else 0
    cover = f"{above / base:.1%}" if base else "（未填本地规上民营企业户数）"
    party = [c for c in industry if c.party_org in (PartyOrg.OWN.value, PartyOrg.JOINT.value)]
    t_fed = acts(ActivityCategory.TRAINING, federation_only=True)
    t_ch = acts(ActivityCategory.TRAINING, federation_only=False)
    seats = session.exec(select(PoliticalSeat.kind, PoliticalSeat.level, func.count(func.distinct(PoliticalSeat.member_id)))
                         .join(Member, col(Member.id) == PoliticalSeat.member_id)
                         .where(*live, (col(PoliticalSeat.start_year).is_(None)) | (col(PoliticalSeat.start_year) <= year),
                                (col(PoliticalSeat.end_year).is_(None)) | (col(PoliticalSeat.end_year) >= year))
                         .group_by(PoliticalSeat.kind, PoliticalSeat.level)).all()
    seat_people = session.exec(select(func.count(func.distinct(PoliticalSeat.member_id))).join(
        Member, col(Member.id) == PoliticalSeat.member_id).where(
        *live, (col(PoliticalSeat.start_year).is_(None)) | (col(PoliticalSeat.start_year) <= year),
        (col(PoliticalSeat.end_year).is_(None)) | (col(PoliticalSeat.end_year) >= year))).one()
    seat_text = "；".join(f"{label_of(SeatLevel, lv)}{label_of(SeatKind, k)} {n} 人" for k, lv, n in sorted(seats)) or "无记录"
    honours = session.exec(select(Honour.title, func.count()).join(Member, col(Member.id) == Honour.member_id)
                           .where(*live, Honour.year == year).group_by(Honour.title)).all()
    honour_n = sum(n for _, n in honours)
    honour_text = "；".join(f"{t} {n} 次" for t, n in honours) or "无记录"
    gov = acts(ActivityCategory.GOV_DIALOGUE)
    solved = acts(ActivityCategory.LEGAL, ActivityCategory.MEDIATION)
    trade = acts(ActivityCategory.TRADE)
    inv = acts(ActivityCategory.INVESTMENT)
    charity = acts(ActivityCategory.CHARITY, ActivityCategory.VILLAGES)
    research = acts(ActivityCategory.RESEARCH)
    advice = acts(ActivityCategory.POLICY_ADVICE)
    publicity = acts(ActivityCategory.PUBLICITY)
    manual = "台账未记录此项，请手工填写"

    def n_items(r) -> int:
        return int(r[4]) or int(r[0])

    def items_note(r, what: str, unit: str) -> str:
        """Where no activity had its 件数 entered, the figure is the number of activities: say so."""
        if int(r[4]) or not int(r[0]):
            return f"“{what}”活动登记的{unit}数"
        return f"“{what}”活动未填{unit}数，按活动次数计"

    return [
        ("一、综合类", 1, "单位所获省及以上荣誉（名称、次数）", "", manual),
        ("二、组织建设方面", 2, "新发展会员数及会员总数", f"新发展 {new_members} 个，总数 {total_members} 个",
         f"会员台账：入会日期在本年；{periods.as_of_label(year)}在册"),
        ("二、组织建设方面", 3, "行业组织数（异地商会单列）、涉及行业、覆盖率",
         f"行业商会 {len(industry)} 个，异地商会 {len(nonlocal_)} 个；涉及行业 {sectors} 个；覆盖率 {cover}",
         f"{periods.as_of_label(year)}；覆盖率＝行业商会中的规上会员企业 {above} 家÷本地规上民营企业 {base} 家"),
        ("二、组织建设方面", 4, "行业商会党建工作有关数据及成果",
         f"建立党组织的行业商会 {len(party)} 个（共 {len(industry)} 个）", "商会名录：党组织为独立或联合"),
        ("三、非公代表人士方面", 5, "开设民营企业高级经营管理人员培训班次数、培训人数",
         f"{t_fed[0]} 次，{int(t_fed[2]) or int(t_fed[1])} 人次", "本级工商联组织的“培训”活动"),
        ("三、非公代表人士方面", 6, "为民营企业开展培训次数、培训人数",
         f"{t_ch[0]} 次，{int(t_ch[2]) or int(t_ch[1])} 人次", "各商会组织的“培训”活动"),
        ("三、非公代表人士方面", 7, "非公代表人士相关数据（人数、担任各级党代表、人大代表、政协委员人数）",
         f"共 {seat_people} 人：{seat_text}", "会员的政治安排"),
        ("三、非公代表人士方面", 8, "非公代表人士所获荣誉（名称、级别、次数）", f"{honour_n} 次：{honour_text}", "会员的荣誉（本年）"),
        ("四、经济服务方面", 9, "政企沟通活动场次、参加人数及成果", f"{gov[0]} 场，{int(gov[1])} 人", "“政企沟通”活动"),
        ("四、经济服务方面", 10, "为企业协调解决问题件数及典型事项", f"{n_items(solved)} 件",
         items_note(solved, "法律服务与维权”“调解", "件")),
        ("四、经济服务方面", 11, "帮助企业拓展市场，组织经贸活动相关数据及成果",
         f"{trade[0]} 次，金额 {float(trade[3]):.2f} 万元", "“经贸交流”活动"),
        ("四、经济服务方面", 12, "招商引资数量及成果", f"{inv[0]} 项，金额 {float(inv[3]):.2f} 万元", "“招商引资”活动"),
        ("四、经济服务方面", 13, "光彩事业项目数、公益慈善事业活动情况、捐资数据",
         f"{charity[0]} 项，捐资 {float(charity[3]):.2f} 万元", "“公益慈善/光彩事业”“万企兴万村”活动"),
        ("五、宣传调研及参政议政方面", 14, "调研工作：调研报告数量及成果", f"{n_items(research)} 篇",
         items_note(research, "调查研究", "篇")),
        ("五、宣传调研及参政议政方面", 15, "参政议政工作：提案议案数量及成果", f"{n_items(advice)} 件",
         items_note(advice, "参政议政", "件")),
        ("五、宣传调研及参政议政方面", 16, "民营经济发展报告及行业分析报告数量及成果", "", manual),
        ("五、宣传调研及参政议政方面", 17, "宣传稿件数据（电视台、电台、报刊杂志发表稿件数）", f"{n_items(publicity)} 篇",
         items_note(publicity, "宣传教育", "篇")),
    ]


def export_work_summary(db: Database, out: Path | str, year: int) -> int:
    """工作基本情况资料 (南通, 17 items in 5 groups): A4 portrait, texts wrapped, each group's name merged
    beside its items, the period stated, the signing and seal line at the foot."""
    with db.session() as s:
        figs = work_summary_figures(s, year)
        fed = get_federation(s)
        w = FormWriter(f"{year}年度工作基本情况资料", ["类别", "序号", "项目", "数据", "来源与说明"],
                       unit_line=f"填报单位：{fed.name if fed else ''}　　{periods.period_label(year)}",
                       widths=[9, 4, 25, 25, 22], formats=[None, "int"], landscape=False, wrap=True)
        groups: dict[str, list[list[Any]]] = {}
        for g, n, item, fig, src in figs:
            groups.setdefault(g, []).append([g, n, item, fig, src])
        signing = 30 + 24 + 3 * 17.5  # the note and the signing block stay with the last group
        for i, rows in enumerate(groups.values()):
            # a group is never split over two pages: its merged name would print on one of them only
            w.keep_together(sum(w.row_height(r) for r in rows) + (signing if i == len(groups) - 1 else 0))
            first = last = 0
            for r in rows:
                last = w.row(r)
                first = first or last
            w.merge_down(0, first, last)
        w.note("说明：依据南通市工商联《工作基本情况资料》的17项5类整理；“请手工填写”的项目台账中没有记录；"
               "“按活动次数计”的项目请按实际篇数、件数核对。")
        w.signatures([("填报单位（盖章）：", 0, 2), ("负责人：　　　　　填表人：", 3, 3), ("日期：　　年　　月　　日", 4, 4)])
    w.save(out)
    return len(figs)


def export_assessments(db: Database, out: Path | str, rubric_id: str, year: int, *, as_of: date | None = None) -> int:
    """Assessment results for one rubric and year: one row per target, then each item's status.
    `as_of`: the day a year still running is judged on (today by default)."""
    from chamberdesk import rules
    from chamberdesk.rules.assessments import current_results

    with db.session() as s:
        rub = rules.load_rubric(rubric_id)
        # as the 考评 page shows them: 定稿 results as stored, drafts with their saved inputs
        current = current_results(s, rub, year, as_of=as_of)
        items = [it for it in rub.items]
        # each item's full rule as its title (thresholds filled in), wrapped; the columns go over as many
        # A4 pages as they need at 100 %, each page repeating 序号 and 考评对象
        head = ["序号", "考评对象", "得分", "等次", "是否通过", "一票否决", "考评状态"] + [it.rule_text() for it in items]
        w = FormWriter(f"{year}年度{rub.title}考评结果", head, unit_line=unit_line(s, f"标准版本：{rub.version}"),
                       widths=[5, 22, 7, 8, 8, 16, 8] + [14] * len(items), formats=[None, None, "float"],
                       wrap=True, split=True, title_columns=2)
        for i, c in enumerate(current, 1):
            r = c.result
            # an item the year's end settles says how far it has got, under its state: 年度未结束 / 已发展3家，还需2家
            st = {it.id: it.status_label + (f"\n{it.progress}" if it.progress else "") for it in r.items}
            state = "已定稿" if c.finalised else ("草稿" if c.saved is not None else "未保存")
            w.row([i, r.target, None if r.score is None else round(r.score, 2), r.grade_text() or None, r.verdict(),
                   "；".join(r.veto_reasons) or "否", state, *[st.get(it.id, "") for it in items]])
        # the same results item by item, down the page: what a reader checks against the ledgers, and the
        # readable print when there are many items and few targets (一个设立、五个确保: one target, 30 items)
        d = FormWriter("逐项结果", ["序号", "考评对象", "条目", "结果", "核对情况"], wb=w.wb,
                       unit_line=unit_line(s, f"{year}年度{rub.title}（标准版本：{rub.version}）"),
                       widths=[5, 16, 30, 8, 44], formats=["int"], wrap=True)
        rule_of = {it.id: it.rule_text() for it in items}
        n = 0
        for c in current:
            for it in c.result.items:
                n += 1
                rule = rule_of.get(it.id, it.title)
                # the explanation opens with the rule, already in its own column
                found = it.explanation[len(rule) + 1:] if it.explanation.startswith(rule + "：") else it.explanation
                d.row([n, c.result.target, rule, it.status_label, found])
    w.save(out)
    return len(current)


__all__ = ["EXPORT_KINDS", "export_activities", "export_assessments", "export_chambers", "export_meetings",
           "export_members", "export_roster", "export_work_summary", "export_yearly_stats", "new_workbook",
           "work_summary_figures"]
