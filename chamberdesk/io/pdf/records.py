"""会议纪要 sheets and a chamber's 年度工作情况 summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table
from sqlalchemy import func
from sqlmodel import Session, col, select

from chamberdesk.core import periods
from chamberdesk.core.activities import outcomes
from chamberdesk.core.chambers import member_counts
from chamberdesk.core.choices import (
    ActivityCategory,
    ChamberKind,
    ChamberRule,
    MeetingBody,
    PartyOrg,
    label_of,
)
from chamberdesk.core.contacts import coverage
from chamberdesk.core.dates import chinese_date
from chamberdesk.core.federation import get_federation
from chamberdesk.core.models import Activity, Chamber, Meeting, MeetingAttendee, Member, Membership
from chamberdesk.io.pdf.layout import (
    FormStart,
    Styles,
    fmt_num,
    grid_style,
    kv_table,
    signature_block,
)
from chamberdesk.rules.engine import show_value
from chamberdesk.rules.metrics import new_member_share


def owner_name(session: Session, chamber_id: int | None) -> str:
    if chamber_id is None:
        fed = get_federation(session)
        return fed.name if fed and fed.name else "本级工商联"
    ch = session.get(Chamber, chamber_id)
    return ch.name if ch else ""


def minutes_story(session: Session, st: Styles, width: float, meeting: Meeting,
                  on_form: Callable[[], None] | None = None) -> list[Flowable]:
    owner = owner_name(session, meeting.chamber_id)
    body = label_of(MeetingBody, meeting.body)
    names = session.exec(select(Member.rep_name, Member.enterprise_name)
                         .join(MeetingAttendee, col(MeetingAttendee.member_id) == Member.id)
                         .where(MeetingAttendee.meeting_id == meeting.id).order_by(col(Member.id))).all()
    attendees = "、".join(n or e for n, e in names)
    count = ""
    if meeting.expected_count is not None or meeting.present_count is not None:
        count = f"应到 {fmt_num(meeting.expected_count)} 人，实到 {fmt_num(meeting.present_count)} 人"
    lw = 26 * mm
    rows: list[list[Any]] = [
        [st.p("会议名称", st.head), st.p(f"{owner}{body}", st.cell), "", ""],
        [st.p("会议时间", st.head), st.p(chinese_date(meeting.date), st.cell), st.p("会议地点", st.head),
         st.p(meeting.place or "", st.cell)],
        [st.p("出席情况", st.head), st.p(count, st.cell), st.p("主持人", st.head), ""],
        [st.p("参会人员", st.head), st.p(attendees, st.cell), "", ""],
        [st.p("会议议题", st.head), st.ps(meeting.agenda, st.cell), "", ""],
        [st.p("会议决议", st.head), st.ps(meeting.decisions, st.cell), "", ""],
        [st.p("会议纪要", st.head), st.ps(meeting.minutes, st.cell), "", ""],
        [st.p("记录人", st.head), "", st.p("审核人", st.head), ""],
    ]
    vw = (width - 2 * lw) / 2
    heights = [None, None, None, None, None, None, None, 12 * mm]
    if not (meeting.minutes or "").strip():
        heights[6] = 60 * mm  # room to write by hand
    style = grid_style(st, ("SPAN", (1, 0), (3, 0)), ("SPAN", (1, 3), (3, 3)), ("SPAN", (1, 4), (3, 4)),
                       ("SPAN", (1, 5), (3, 5)), ("SPAN", (1, 6), (3, 6)),
                       ("BACKGROUND", (0, 0), (0, -1), (0.92, 0.92, 0.92)),
                       ("BACKGROUND", (2, 1), (2, 2), (0.92, 0.92, 0.92)),
                       ("BACKGROUND", (2, 7), (2, 7), (0.92, 0.92, 0.92)), head_rows=0)
    table = Table(rows, colWidths=[lw, vw, lw, vw], rowHeights=heights, style=style)
    return [
        FormStart(f"minutes-{meeting.id}", f"{owner}{body}会议纪要", on_form),
        st.p(f"{owner}{body}会议纪要", st.title),
        st.p(f"{meeting.date.year}年第　　期", st.subtitle),
        Spacer(1, 5 * mm),
        table,
        Spacer(1, 10 * mm),
        KeepTogether([signature_block(st, width, [], seal=f"{owner}（盖章）")]),
    ]


def _figure(value: float, unit: str) -> str:
    return f"{fmt_num(value, 2)} {unit}" if unit == "万元" else f"{fmt_num(value)} {unit}"


def _effect(a: Activity) -> str:
    return "；".join(f"{kind} {_figure(v, unit)}" for kind, v, unit in outcomes(a))


def outcome_totals(acts: list[Activity]) -> str:
    """成效合计 with each kind of outcome totalled on its own (招商引资金额 and 捐资金额 never summed)."""
    sums: dict[tuple[str, str], float] = {}
    for a in acts:
        for kind, v, unit in outcomes(a):
            sums[kind, unit] = sums.get((kind, unit), 0) + v
    return "，".join(f"{kind} {_figure(v, unit)}" for (kind, unit), v in sums.items())


def _by_category(acts: list[Activity]) -> str:
    by_cat = Counter(label_of(ActivityCategory, a.category) for a in acts)
    return "；".join(f"{k} {v} 次" for k, v in by_cat.most_common()) or "无"


def date_cell(st: Styles, d: date) -> Any:
    """2025年3月8日 in a narrow date column: the year on its own line, so a date never breaks mid-figure."""
    return st.ps(f"{d.year}年\n{chinese_date(d)[len(str(d.year)) + 1:]}", st.cell_c)


def activity_table(st: Styles, width: float, acts: list[Activity], *, owners: dict[int | None, str] | None = None,
                   empty: str = "无活动记录") -> Table:
    """序号 · 日期 · (单位) · 类别 · 活动名称 · 参加人数 · 成效; the 单位 column only when `owners` is given."""
    head = ["序号", "日期", *(["单位"] if owners is not None else []), "类别", "活动名称", "参加人数", "成效"]
    rows: list[list[Any]] = [[st.p(h, st.head) for h in head]]
    for i, a in enumerate(acts, 1):
        who = [st.p(owners.get(a.chamber_id, ""), st.cell_c)] if owners is not None else []
        rows.append([str(i), date_cell(st, a.date), *who, st.p(label_of(ActivityCategory, a.category), st.cell_c),
                     st.p(a.title, st.cell), fmt_num(a.participant_count), st.p(_effect(a), st.cell)])
    if not acts:
        rows.append(["" for _ in head])
        rows[-1][head.index("活动名称")] = st.p(empty, st.cell)
    if owners is None:
        fixed = [11 * mm, 22 * mm, 26 * mm, 0, 18 * mm, 30 * mm]
    else:  # the 单位 column is paid for by the others, so 活动名称 keeps room for a line of text
        fixed = [11 * mm, 20 * mm, 25 * mm, 21 * mm, 0, 15 * mm, 23 * mm]
    widths = [w or width - sum(fixed) for w in fixed]
    n = head.index("参加人数")
    return Table(rows, colWidths=widths, repeatRows=1,
                 style=grid_style(st, ("ALIGN", (0, 1), (1, -1), "CENTER"),
                                  ("FONT", (0, 1), (-1, -1), st.cell.fontName, st.cell.fontSize),
                                  ("ALIGN", (n, 1), (n, -1), "CENTER")))


def activities_story(session: Session, st: Styles, width: float, acts: list[Activity], heading: str, described: str,
                     *, today: date | None = None, on_form: Callable[[], None] | None = None) -> list[Flowable]:
    """活动记录: the activities a clerk listed (their filter stated under the heading), totals, signatures."""
    owners = {cid: owner_name(session, cid) for cid in {a.chamber_id for a in acts}}
    totals = [f"共 {len(acts)} 项。按类别：{_by_category(acts)}。"]
    summed = outcome_totals(acts)
    if summed:
        totals.append(f"成效合计：{summed}。")
    # one unit's activities are sealed by that unit; a list across units by the federation that compiled it
    unit = next(iter(owners.values())) if len(owners) == 1 else owner_name(session, None)
    return [
        FormStart(f"activities-{heading}", heading, on_form),
        # a long unit name goes on a line of its own rather than pushing the last character of 活动记录 over
        st.ps(f"{unit}\n{heading[len(unit):]}" if heading.startswith(unit) and len(heading) > 22 else heading, st.title),
        st.p(f"{described}　打印日期：{chinese_date(today or date.today())}" if described else
             f"打印日期：{chinese_date(today or date.today())}", st.subtitle),
        Spacer(1, 4 * mm),
        activity_table(st, width, acts, owners=owners if len(owners) > 1 else None),
        Spacer(1, 3 * mm),
        *(st.p(t, st.body) for t in totals),
        Spacer(1, 10 * mm),
        KeepTogether([signature_block(st, width, ["制表人", "审核人"], seal=f"{unit}（盖章）")]),
    ]


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def chamber_year_story(session: Session, st: Styles, width: float, chamber: Chamber, year: int,
                       on_form: Callable[[], None] | None = None) -> list[Flowable]:
    start, end = _year_bounds(year)
    cid = chamber.id or 0
    day = periods.as_of(year)  # 31 December, or today while the year runs
    total_end = member_counts(session, day).get(cid, 0)
    total_start = member_counts(session, date(year - 1, 12, 31)).get(cid, 0)
    new = session.exec(select(func.count(func.distinct(Membership.member_id)))
                       .join(Member, col(Member.id) == Membership.member_id)
                       .where(Membership.chamber_id == cid, col(Member.deleted_at).is_(None),
                              col(Membership.start_date) >= start, col(Membership.start_date) <= end)).one()
    left = session.exec(select(func.count(func.distinct(Membership.member_id)))
                        .where(Membership.chamber_id == cid, col(Membership.end_date) >= start,
                               col(Membership.end_date) <= end)).one()
    cov = coverage(session, cid, year)
    meetings = list(session.exec(select(Meeting).where(Meeting.chamber_id == cid, col(Meeting.deleted_at).is_(None),
                                                       Meeting.date >= start, Meeting.date <= end)
                                 .order_by(col(Meeting.date))))
    acts = list(session.exec(select(Activity).where(Activity.chamber_id == cid, col(Activity.deleted_at).is_(None),
                                                    Activity.date >= start, Activity.date <= end)
                             .order_by(col(Activity.date))))

    def pct(r: float | None) -> str:
        return "" if r is None else f"{r * 100:.1f}%"

    rules = "、".join(label_of(ChamberRule, r) for r in chamber.rules.split(",") if r) or "无"
    term = ""
    if chamber.term_start or chamber.term_end:
        term = f"{chinese_date(chamber.term_start) or '—'} 至 {chinese_date(chamber.term_end) or '—'}"
    basics = [
        ("商会类型", label_of(ChamberKind, chamber.kind)), ("民政登记", "已登记" if chamber.registered else "未登记"),
        ("成立日期", chinese_date(chamber.founded_on)), ("本届任期", term),
        ("会长", chamber.president_name or ""),
        ("秘书长", (chamber.secretary_general_name or "") + ("（专职）" if chamber.secretary_fulltime else "")),
        ("办公场所", f"有，{fmt_num(chamber.office_area)}㎡" if chamber.has_office else "无"),
        ("工作人员", f"专职 {chamber.fulltime_staff} 人，兼职 {chamber.parttime_staff} 人"),
        ("年度经费", show_value(chamber.annual_funds, unit="元") if chamber.annual_funds is not None else ""),
        ("党组织", label_of(PartyOrg, chamber.party_org) if chamber.party_org != "none" else "无"),
        ("年检（年报）", {True: "合格", False: "不合格", None: "未填写"}[chamber.inspection_passed]),
        ("制度建设", rules),
    ]
    growth = f"{(total_end - total_start) / total_start * 100:.1f}%" if total_start else ""
    members = [
        ("年初会员", f"{total_start} 名"), ("年末会员" if day == end else f"现有会员（截至{day.month}月{day.day}日）", f"{total_end} 名"),
        ("本年新入会", f"{new} 名"), ("本年退会", f"{left} 名"),
        ("会员增长率", growth), ("新会员占比", new_member_share(new, total_start, total_end)[1]),
        ("实地走访覆盖", f"{cov.visited} 家（{pct(cov.visited_ratio)}）"),
        ("有效联系覆盖", f"{cov.contacted} 家（{pct(cov.contacted_ratio)}）"),
    ]
    mrows: list[list[Any]] = [[st.p(h, st.head) for h in ("序号", "日期", "会议类型", "议题", "应到/实到")]]
    for i, m in enumerate(meetings, 1):
        mrows.append([str(i), date_cell(st, m.date), st.p(label_of(MeetingBody, m.body), st.cell_c),
                      st.p((m.agenda or "").replace("\n", "；"), st.cell),
                      f"{fmt_num(m.expected_count)}/{fmt_num(m.present_count)}"])
    if not meetings:
        mrows.append(["", "", st.p("本年度无会议记录", st.cell_c), "", ""])
    mw = [11 * mm, 22 * mm, 30 * mm, width - 11 * mm - 22 * mm - 30 * mm - 20 * mm, 20 * mm]
    center = [("ALIGN", (0, 1), (1, -1), "CENTER"), ("FONT", (0, 1), (-1, -1), st.cell.fontName, st.cell.fontSize)]
    summary = _by_category(acts)
    return [
        FormStart(f"chamber-year-{cid}-{year}", f"{chamber.name}{year}年度工作情况", on_form),
        st.p(f"{chamber.name}{year}年度工作情况", st.title),
        st.p(periods.period_label(year), st.subtitle),
        Spacer(1, 4 * mm),
        st.p("一、基本情况", st.section), kv_table(st, width, basics),
        st.p("二、会员发展与联系服务", st.section), kv_table(st, width, members),
        st.p(f"三、会议召开情况（共 {len(meetings)} 次）", st.section),
        Table(mrows, colWidths=mw, repeatRows=1, style=grid_style(st, *center, ("ALIGN", (4, 1), (4, -1), "CENTER"))),
        CondPageBreak(30 * mm),
        st.p(f"四、活动开展情况（共 {len(acts)} 次）", st.section),
        st.p(f"按类别：{summary}", st.body),
        activity_table(st, width, acts, empty="本年度无活动记录"),
        Spacer(1, 10 * mm),
        KeepTogether([st.p("以上情况属实。", st.body), Spacer(1, 4 * mm),
                      signature_block(st, width, ["填报人", "会长"], seal=f"{chamber.name}（盖章）")]),
    ]
