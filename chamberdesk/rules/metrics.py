"""Figures from the ledger for rubric items, computed for every target at once with SQL aggregates.

Each metric takes the evaluation context and its params and returns {target key: Figure}; the key
is the chamber id, or None for the federation itself. Queries GROUP BY the owner, so the cost grows
with the number of records, not with one query per chamber.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Date, bindparam, text
from sqlmodel import Session

from chamberdesk.core import periods
from chamberdesk.core.choices import (
    MEMBER_TAGS,
    ActivityCategory,
    ChamberKind,
    ChamberRule,
    MeetingBody,
    PartyOrg,
)
from chamberdesk.core.dates import chinese_date
from chamberdesk.core.members import on_roll_sql

QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
RECORDS_SHOWN = 3  # records named in an explanation per period


@dataclass
class Target:
    """Who is assessed: a chamber (key = its id) or the federation (key None)."""

    key: int | None
    name: str
    kind: str = ""  # ChamberKind value, "" for the federation
    row: Any = None  # the Chamber or Federation row

    @property
    def target_type(self) -> str:
        return "federation" if self.key is None else "chamber"


@dataclass
class Figure:
    """What the ledger says for one target: the value (None = no figure), words, and records."""

    value: Any
    text: str = ""
    records: list[dict[str, Any]] = field(default_factory=list)
    # the period is not over yet: the figure may still grow (or a callable of the threshold)
    provisional: Any = False
    # words that depend on the threshold (e.g. which quarters fall short); called by the engine
    describe: Callable[[Any], str] | None = None
    # the figure in words where the bare value misleads (a quarterly minimum of 0 is not "this year: 0")
    value_words: str = ""
    # what the assessors must be warned of beside the item's verdict (e.g. a 撤销 warning); never a veto
    warnings: list[str] = field(default_factory=list)
    # a year still running: (threshold, op) → the figure so far and what is still needed (已发展3家，还需2家)
    progress: Callable[[Any, str], str] | None = None


@dataclass
class Ctx:
    session: Session
    year: int
    as_of: date
    targets: list[Target]
    inputs: dict[int | None, dict[str, Any]] = field(default_factory=dict)
    cache: dict[Any, Any] = field(default_factory=dict)

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def year_end(self) -> date:
        return date(self.year, 12, 31)

    @property
    def year_over(self) -> bool:
        return self.as_of > self.year_end

    @property
    def chamber_ids(self) -> list[int]:
        return [t.key for t in self.targets if t.key is not None]

    @property
    def has_federation(self) -> bool:
        return any(t.key is None for t in self.targets)

    def cached(self, key: Any, fn: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = fn()
        return self.cache[key]


@dataclass
class MetricSpec:
    name: str
    label: str
    fn: Callable[[Ctx, dict[str, Any]], dict[int | None, Figure]]
    value_type: str = "number"  # number | bool
    params: dict[str, str] = field(default_factory=dict)
    ratio: bool = False  # a share: thresholds are fractions, shown as percentages
    unit: str = ""
    targets: tuple[str, ...] = ("chamber", "federation")


METRICS: dict[str, MetricSpec] = {}


def metric(name: str, label: str, **kw: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        METRICS[name] = MetricSpec(name=name, label=label, fn=fn, **kw)
        return fn
    return deco


def pct(v: float | None) -> str:
    if v is None:
        return "—"
    s = f"{v * 100:.2f}".rstrip("0").rstrip(".")
    return s + "%"


def md(d: date | str) -> str:
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.month}月{d.day}日"


def _q(session: Session, sql: str, **params: Any) -> list[Any]:
    """Run SQL with dates bound as dates (portable to PostgreSQL) and id lists expanded."""
    stmt = text(sql)
    params = {k: v for k, v in params.items() if re.search(rf":{k}\b", sql)}
    binds = []
    for k, v in params.items():
        if isinstance(v, date):
            binds.append(bindparam(k, type_=Date))
        elif isinstance(v, list | tuple):
            binds.append(bindparam(k, expanding=True))
    if binds:
        stmt = stmt.bindparams(*binds)
    return list(session.execute(stmt, params).all())


def _owner_filter(ctx: Ctx, column: str) -> tuple[str, dict[str, Any]]:
    """SQL restricting `column` to the targets' chambers (and NULL for the federation)."""
    parts, params = [], {}
    ids = ctx.chamber_ids
    if ids:
        parts.append(f"{column} IN :owner_ids")
        params["owner_ids"] = ids
    if ctx.has_federation:
        parts.append(f"{column} IS NULL")
    return "(" + (" OR ".join(parts) or "1=0") + ")", params


def still_needed(have: int, op: str, threshold: Any, base: int | None = None, base_grows: bool = False) -> int | None:
    """How many more `have` needs to meet the rubric's `op threshold`: as a count, or as a share of `base`
    (which grows with `have` when `base_grows`, as the year-end roll does with each new member).
    None when more cannot help (a ceiling, a yes/no)."""
    if op not in (">=", ">") or isinstance(threshold, bool) or not isinstance(threshold, int | float):
        return None
    t = float(threshold)
    if base is None:
        line = t
    elif base_grows:
        if t >= 1:
            return None
        line = have + (t * base - have) / (1 - t)  # (have + x) / (base + x) reaches t at x = (t·base − have)/(1 − t)
    else:
        line = t * base
    line = round(line, 9)
    least = math.ceil(line) if op == ">=" else math.floor(line) + 1
    return max(0, least - have)


def progress_words(done: str, have: int, unit: str, base: int | None = None,
                   base_grows: bool = False) -> Callable[[Any, str], str]:
    """The figure so far and what is still needed for the rubric's threshold: 已发展3家，还需2家."""
    def words(threshold: Any, op: str) -> str:
        more = still_needed(have, op, threshold, base, base_grows)
        return f"{done}{have}{unit}" + (f"，还需{more}{unit}" if more else "")
    return words


def _period_note(ctx: Ctx) -> str:
    return f"（截至{ctx.as_of.month}月{ctx.as_of.day}日，年度尚未结束）" if not ctx.year_over else ""


def _label(cat_enum: Any, values: list[str]) -> str:
    return "、".join(cat_enum(v).label for v in values)


# --- activities and meetings ----------------------------------------------------------------------


def _categories(params: dict[str, Any]) -> list[str]:
    cats = list(params.get("categories") or [])
    for c in cats:
        if ActivityCategory.parse(c) is None:
            raise ValueError(f"未知活动类别：{c}")
    return [ActivityCategory.parse(c).value for c in cats]  # type: ignore[union-attr]


def _base(ctx: Ctx, table: str, kind_col: str) -> tuple[dict[Any, int], dict[Any, list[tuple]]]:
    """One pass over a table for the year: counts and the first few records per (owner, quarter, kind).

    Every kind set an item asks for is derived from this, so each table is read once per evaluation.
    """
    def run() -> tuple[dict[Any, int], dict[Any, list[tuple]]]:
        y = ctx.year
        owner_sql, params = _owner_filter(ctx, "chamber_id")
        label_col = "title" if table == "activity" else "body"
        dates = {"d0": date(y, 1, 1), "d1": date(y, 12, 31), "q2": date(y, 4, 1), "q3": date(y, 7, 1),
                 "q4": date(y, 10, 1)}
        counts: dict[Any, int] = {}
        recs: dict[Any, list[tuple]] = defaultdict(list)
        pg = ctx.session.get_bind().dialect.name == "postgresql"
        row_text = f"CAST(date AS TEXT) || ' ' || CAST(id AS TEXT) || ' ' || {label_col}"
        agg = f"string_agg({row_text}, chr(31))" if pg else f"group_concat({row_text}, char(31))"
        # one grouped scan: the count per cell, and its rows packed in one string for the explanations
        for owner, qn, kind, n, packed in _q(ctx.session, f"""
                SELECT chamber_id, {_quarter_sql()} AS qn, {kind_col}, COUNT(*), {agg} FROM {table}
                WHERE deleted_at IS NULL AND date >= :d0 AND date <= :d1 AND {owner_sql}
                GROUP BY chamber_id, {_quarter_sql()}, {kind_col}""", **dates, **params):
            counts[(owner, qn, kind)] = n
            rows = [part.split(" ", 2) for part in (packed or "").split("\x1f") if part]
            if len(rows) > RECORDS_SHOWN:
                rows = sorted(rows, key=lambda r: (r[0], int(r[1])))[:RECORDS_SHOWN]
            for d, rid, label in rows:
                # kept as plain tuples, by kind: only the few an explanation shows become records
                recs[kind].append((owner, qn, d[:10], int(rid), label))
        return counts, recs
    return ctx.cached(("base", table), run)


def _record_rows(ctx: Ctx, table: str, kind_col: str, kinds: list[str], by_quarter: bool) -> dict[Any, list[dict]]:
    """The first few records per owner (and quarter) among `kinds` (all kinds when empty)."""
    _counts_unused, recs = _base(ctx, table, kind_col)
    merged: dict[Any, list[tuple]] = defaultdict(list)
    for kind in (kinds or list(recs)):
        for row in recs.get(kind, ()):
            merged[(row[0], row[1]) if by_quarter else row[0]].append(row)
    out: dict[Any, list[dict]] = {}
    for key, rows in merged.items():
        # the first N of a union are among the first N of each part
        rows.sort(key=lambda r: (r[2], r[3]))
        out[key] = [_record(table, r) for r in rows[:RECORDS_SHOWN]]
    return out


def _record(table: str, row: tuple) -> dict[str, Any]:
    _owner, _qn, d, rid, label = row
    if table == "meeting" and MeetingBody.parse(label):
        label = MeetingBody(label).label
    return {"table": table, "id": rid, "date": d, "label": f"{md(d)} {label}"}


def _quarter_sql() -> str:
    return "CASE WHEN date < :q2 THEN 1 WHEN date < :q3 THEN 2 WHEN date < :q4 THEN 3 ELSE 4 END"


def _counts(ctx: Ctx, table: str, kind_col: str, kinds: list[str]) -> dict[Any, list[int]]:
    """Owner → [year total, q1, q2, q3, q4] among `kinds`."""
    base, _recs = _base(ctx, table, kind_col)
    out: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    wanted = set(kinds)
    for (owner, qn, kind), n in base.items():
        if not wanted or kind in wanted:
            row = out[owner]
            row[0] += n
            row[qn] += n
    return out


def _year_count(ctx: Ctx, table: str, kind_col: str, kinds: list[str], what: str) -> dict[int | None, Figure]:
    key = (table, "count", tuple(kinds))
    counts = ctx.cached(key, lambda: _counts(ctx, table, kind_col, kinds))
    recs = ctx.cached(key + ("recs",), lambda: _record_rows(ctx, table, kind_col, kinds, False))
    out = {}
    for t in ctx.targets:
        n = counts[t.key][0] if t.key in counts else 0
        rs = recs.get(t.key, [])
        listed = "；".join(r["label"] for r in rs)
        more = " 等" if n > len(rs) else ""
        body = f"本年度{what}{n}次" + (f"（{listed}{more}）" if rs else "") + _period_note(ctx)
        verb = "召开" if table == "meeting" else "开展"
        out[t.key] = Figure(n, body, rs, provisional=not ctx.year_over, progress=progress_words(f"已{verb}{what}", n, "次"))
    return out


def quarter_words(per: list[int], started: list[int], unfinished: list[int]) -> str:
    """最少：第三季度0次。各季度：一季度3次、二季度2次、三季度0次、四季度1次（进行中）."""
    low = min(per)
    weakest = [QUARTERS[i] for i in range(4) if per[i] == low]
    each = "、".join(f"{QUARTERS[i][1:]}{per[i]}次" + ("（未开始）" if i not in started else "（进行中）" if i in unfinished
                                                      else "") for i in range(4))
    if len(weakest) == 4:
        notes = [f"{QUARTERS[i]}进行中" for i in unfinished] + [f"{QUARTERS[i]}未开始" for i in range(4) if i not in started]
        return f"各季度均为{low}次" + (f"（{'，'.join(notes)}）" if notes else "")
    return f"最少：{'、'.join(weakest)}{'各' if len(weakest) > 1 else ''}{low}次。各季度：{each}"


def _quarter_min(ctx: Ctx, table: str, kind_col: str, kinds: list[str], what: str) -> dict[int | None, Figure]:
    key = (table, "count", tuple(kinds))
    counts = ctx.cached(key, lambda: _counts(ctx, table, kind_col, kinds))
    recs = ctx.cached(key + ("qrecs",), lambda: _record_rows(ctx, table, kind_col, kinds, True))
    y = ctx.year
    q_ends = [date(y, 3, 31), date(y, 6, 30), date(y, 9, 30), date(y, 12, 31)]
    q_starts = [date(y, 1, 1), date(y, 4, 1), date(y, 7, 1), date(y, 10, 1)]
    out = {}
    for t in ctx.targets:
        per = counts.get(t.key, [0] * 5)[1:]
        # which quarters have begun and which are still running on the as-of day
        started = [i for i in range(4) if q_starts[i] <= ctx.as_of]
        unfinished = [i for i in started if q_ends[i] >= ctx.as_of]
        if not started:
            out[t.key] = Figure(None, f"{y}年尚未开始")
            continue
        # a quarter not begun counts as what it has (nothing yet): the item cannot pass before it
        low = min(per)
        rs = [r for i in range(4) for r in recs.get((t.key, i + 1), [])]

        def describe(threshold: Any, per: list[int] = per, t: Target = t, started: list[int] = started,
                     unfinished: list[int] = unfinished) -> str:
            bad = [i for i in range(4) if per[i] < threshold]
            if not bad:
                return "各季度分别为" + "、".join(f"{n}" for n in per) + f"次{what}"
            parts = []
            for i in bad:
                rs_q = recs.get((t.key, i + 1), [])
                note = "（尚未开始）" if i not in started else "（进行中）" if i in unfinished else ""
                if per[i] == 0:
                    parts.append(f"{QUARTERS[i]}无{what}{note}")
                else:
                    listed = "；".join(r["label"] for r in rs_q) + (" 等" if per[i] > len(rs_q) else "")
                    parts.append(f"{QUARTERS[i]}仅{per[i]}次（{listed}）{note}")
            return "；".join(parts)

        finished = [i for i in started if i not in unfinished]

        def provisional(threshold: Any, per: list[int] = per, finished: list[int] = finished) -> bool:
            # a finished quarter below the line settles it; otherwise later quarters may still count
            return len(finished) < 4 and not any(per[i] < threshold for i in finished)

        def progress(threshold: Any, op: str, per: list[int] = per, finished: list[int] = finished) -> str:
            # what each quarter still to come (or still running) needs to reach the per-quarter line
            words = []
            for i in range(4):
                more = None if i in finished else still_needed(per[i], op, threshold)
                if more:
                    words.append(f"{QUARTERS[i]}" + (f"已有{per[i]}次，" if per[i] else "") + f"还需{more}次")
            return "；".join(words)

        out[t.key] = Figure(low, "", rs, provisional=provisional, describe=describe,
                            value_words=quarter_words(per, started, unfinished), progress=progress)
    return out


@metric("activity_count", "本年度活动次数", params={"categories": "活动类别（不填为全部）"}, unit="次")
def activity_count(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    cats = _categories(params)
    what = (_label(ActivityCategory, cats) + "活动") if cats else "活动"
    return _year_count(ctx, "activity", "category", cats, what)


@metric("activity_min_per_quarter", "活动最少的季度的活动次数", params={"categories": "活动类别（不填为全部）"}, unit="次")
def activity_min_per_quarter(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    cats = _categories(params)
    what = (_label(ActivityCategory, cats) + "活动") if cats else "会员活动"
    return _quarter_min(ctx, "activity", "category", cats, what)


def _bodies(params: dict[str, Any]) -> list[str]:
    bodies = list(params.get("bodies") or [])
    out = []
    for b in bodies:
        m = MeetingBody.parse(b)
        if m is None:
            raise ValueError(f"未知会议类型：{b}")
        out.append(m.value)
    return out


@metric("meeting_count", "本年度会议次数", params={"bodies": "会议类型（不填为全部）"}, unit="次")
def meeting_count(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    bodies = _bodies(params)
    what = _label(MeetingBody, bodies) if bodies else "会议"
    return _year_count(ctx, "meeting", "body", bodies, what)


@metric("meeting_record_ratio", "有议题和决议的会议占比", params={"bodies": "会议类型（不填为全部）"}, ratio=True)
def meeting_record_ratio(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    bodies = _bodies(params)
    owner_sql, p = _owner_filter(ctx, "chamber_id")
    kind_sql = "AND body IN :kinds" if bodies else ""
    if bodies:
        p["kinds"] = bodies
    rows = _q(ctx.session, f"""
        SELECT chamber_id, COUNT(*),
               SUM(CASE WHEN COALESCE(TRIM(agenda), '') <> '' AND COALESCE(TRIM(decisions), '') <> ''
                   THEN 1 ELSE 0 END),
               MIN(CASE WHEN COALESCE(TRIM(agenda), '') = '' OR COALESCE(TRIM(decisions), '') = '' THEN id END)
        FROM meeting WHERE deleted_at IS NULL AND date >= :d0 AND date <= :d1 AND {owner_sql} {kind_sql}
        GROUP BY chamber_id""", d0=ctx.year_start, d1=ctx.year_end, **p)
    by = {r[0]: r for r in rows}
    out = {}
    for t in ctx.targets:
        r = by.get(t.key)
        if r is None:
            # no meeting yet in a running year is not a shortfall: one with full records may still come
            out[t.key] = Figure(0.0, "本年度没有会议记录" + _period_note(ctx), provisional=not ctx.year_over)
            continue
        n, good, first_bad = r[1], r[2] or 0, r[3]
        recs = [{"table": "meeting", "id": first_bad, "label": "缺议题或决议的会议"}] if first_bad else []
        out[t.key] = Figure(good / n, f"本年度{n}次会议中{good}次议题和决议齐全（{pct(good / n)}）", recs)
    return out


# --- members ---------------------------------------------------------------------------------------


YEARS_KEPT = 4  # year ends counted in the one membership pass: enough for growth over three years
DEFAULT_RECORD_FIELDS = ("credit_code", "rep_name", "rep_phone", "industry", "join_date")
# columns of a members-pass row: seated at the end of y-3 … y, then these
NEW, PHONE, NEW_COMPLETE = YEARS_KEPT, YEARS_KEPT + 1, YEARS_KEPT + 2


def _complete(fields: tuple[str, ...] | list[str]) -> str:
    return " AND ".join(f"m.{f} IS NOT NULL AND CAST(m.{f} AS TEXT) <> ''" for f in fields)


def _members_groups(ctx: Ctx) -> dict[int | None, dict[str, list[int]]]:
    """Owner → tags string → [seated at the end of y-3 … y, new in y, seated with a phone, new and complete].

    One pass over the seats for every member figure; grouping by the tags string (a few dozen
    combinations) lets any tag list be counted from the aggregates. SUM, not COUNT DISTINCT: a member
    holds one seat in a chamber at a time. A chamber's members are its seats; the federation's are
    the ledger's members by join and leave dates.
    """
    def run() -> dict[int | None, dict[str, list[int]]]:
        y = ctx.year
        ends = [_end_of(ctx, yy) for yy in range(y - YEARS_KEPT + 1, y + 1)]
        params: dict[str, Any] = {f"e{i}": d for i, d in enumerate(ends)}
        params.update({"n0": date(y, 1, 1), "n1": date(y, 12, 31)})
        last = f"e{len(ends) - 1}"
        phone = "COALESCE(m.rep_phone, '') <> ''"
        complete = _complete(DEFAULT_RECORD_FIELDS)
        out: dict[int | None, dict[str, list[int]]] = defaultdict(dict)

        def cols(seated: str, start: str) -> str:
            parts = [f"SUM(CASE WHEN {seated.format(d=f'e{i}')} THEN 1 ELSE 0 END)" for i in range(len(ends))]
            new = f"{start} >= :n0 AND {start} <= :n1"
            parts += [f"SUM(CASE WHEN {new} THEN 1 ELSE 0 END)",
                      f"SUM(CASE WHEN {seated.format(d=last)} AND {phone} THEN 1 ELSE 0 END)",
                      f"SUM(CASE WHEN {new} AND {complete} THEN 1 ELSE 0 END)"]
            return ", ".join(parts)

        if ctx.chamber_ids:
            seated = "(ms.start_date IS NULL OR ms.start_date <= :{d}) AND (ms.end_date IS NULL OR ms.end_date > :{d})"
            for r in _q(ctx.session, f"""
                    SELECT ms.chamber_id, COALESCE(m.tags, ''), {cols(seated, 'ms.start_date')}
                    FROM membership ms JOIN member m ON m.id = ms.member_id
                    WHERE m.deleted_at IS NULL AND ms.chamber_id IN :ids
                    GROUP BY ms.chamber_id, COALESCE(m.tags, '')""", ids=ctx.chamber_ids, **params):
                out[r[0]][r[1]] = [v or 0 for v in r[2:]]
        if ctx.has_federation:
            seated = on_roll_sql(param="{d}")
            for r in _q(ctx.session, f"""SELECT COALESCE(m.tags, ''), {cols(seated, 'm.join_date')}
                        FROM member m WHERE m.deleted_at IS NULL GROUP BY COALESCE(m.tags, '')""", **params):
                out[None][r[0]] = [v or 0 for v in r[1:]]
        return out
    return ctx.cached("member-groups", run)


def _members_pass(ctx: Ctx) -> dict[int | None, list[int]]:
    """Owner → the members-pass columns summed over tag combinations."""
    def run() -> dict[int | None, list[int]]:
        out: dict[int | None, list[int]] = defaultdict(lambda: [0] * (NEW_COMPLETE + 1))
        for owner, groups in _members_groups(ctx).items():
            out[owner] = [sum(col) for col in zip(*groups.values(), strict=True)]
        return out
    return ctx.cached("members", run)


def _at_end(ctx: Ctx, key: int | None, year: int) -> int:
    """Members of the target at the end of `year` (one of the last YEARS_KEPT years)."""
    return _members_pass(ctx)[key][year - ctx.year + YEARS_KEPT - 1]


def _end_of(ctx: Ctx, year: int) -> date:
    return periods.as_of(year, ctx.as_of)  # the year's 31 December, or the assessment day in a running year


@metric("members_end", "年末会员数", unit="家")
def members_end(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    return {t.key: Figure(_at_end(ctx, t.key, ctx.year), f"年末会员{_at_end(ctx, t.key, ctx.year)}家"
                          + _period_note(ctx), provisional=not ctx.year_over,
                          progress=progress_words("现有会员", _at_end(ctx, t.key, ctx.year), "家")) for t in ctx.targets}


@metric("new_members", "本年度新发展会员数", unit="家")
def new_members(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    mp = _members_pass(ctx)
    return {t.key: Figure(mp[t.key][NEW], f"本年度新发展会员{mp[t.key][NEW]}家" + _period_note(ctx),
                          provisional=not ctx.year_over, progress=progress_words("已发展", mp[t.key][NEW], "家"))
            for t in ctx.targets}


GROWTH_BASES = {"start": "年初", "end": "年末"}


def new_member_share(new: int, start: int, end: int, base: str = "start") -> tuple[float | None, str]:
    """会员发展 "超过会员总数的10%": the year's new members over the roll at the year's start (the members
    there were to grow from; base="end" divides by the year-end roll instead). Returns the share and the
    formula as printed: 本年度新发展6家÷年初会员40家＝15%."""
    if base not in GROWTH_BASES:
        raise ValueError(f"base 应为 {'、'.join(GROWTH_BASES)} 之一（start=年初会员数，end=年末会员数）")
    total = start if base == "start" else end
    word = GROWTH_BASES[base]
    if not total:
        return None, f"{word}会员数为0（本年度新发展{new}家），无法计算比例"
    return new / total, f"本年度新发展{new}家÷{word}会员{total}家＝{pct(new / total)}"


@metric("new_member_ratio", "本年度新发展会员占会员总数的比例（默认以年初会员数为总数）",
        params={"base": "会员总数取 start（年初，默认）或 end（年末）"}, ratio=True)
def new_member_ratio(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    out = {}
    base = params.get("base", "start")
    for t in ctx.targets:
        start, end = _at_end(ctx, t.key, ctx.year - 1), _at_end(ctx, t.key, ctx.year)
        new = _members_pass(ctx)[t.key][NEW]
        share, formula = new_member_share(new, start, end, base)
        # each member still to join adds to the year-end roll too when that is the base
        out[t.key] = Figure(share, formula + ("" if share is None else _period_note(ctx)),
                            provisional=share is not None and not ctx.year_over,
                            progress=progress_words("已发展", new, "家", start if base == "start" else end,
                                                    base_grows=base == "end"))
    return out


@metric("member_growth", "会员数量年均增长率", params={"years": "年数（1 为比上年，3 为近三年年均）"}, ratio=True)
def member_growth(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    n = int(params.get("years", 1))
    if not 1 <= n < YEARS_KEPT:
        raise ValueError(f"years 应为 1～{YEARS_KEPT - 1}")
    years = list(range(ctx.year - n, ctx.year + 1))
    out = {}
    for t in ctx.targets:
        c = [_at_end(ctx, t.key, y) for y in years]
        series = "、".join(f"{y}年末{v}家" for y, v in zip(years, c, strict=True))
        if not c[0]:
            out[t.key] = Figure(None, f"{years[0]}年末会员数为0，无法计算增长率（{series}）")
            continue
        rate = (c[-1] / c[0]) ** (1 / n) - 1
        what = "比上年增长" if n == 1 else f"近{n}年年均增长"

        def progress(threshold: Any, op: str, c: list[int] = c) -> str:
            # the growth rate is met when the roll reaches c0·(1 + rate)^n members
            line = c[0] * (1 + threshold) ** n if isinstance(threshold, int | float) else threshold
            return progress_words("现有会员", c[-1], "家")(line, op)

        out[t.key] = Figure(rate, f"{series}，{what}{pct(rate)}" + _period_note(ctx), provisional=not ctx.year_over,
                            progress=progress)
    return out


@metric("member_growth_streak", "会员数量逐年增长", params={"years": "连续增长的年数"}, value_type="bool")
def member_growth_streak(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    n = int(params.get("years", 2))
    if not 1 <= n < YEARS_KEPT:
        raise ValueError(f"years 应为 1～{YEARS_KEPT - 1}")
    years = list(range(ctx.year - n, ctx.year + 1))
    out = {}
    for t in ctx.targets:
        c = [_at_end(ctx, t.key, y) for y in years]
        ok = all(c[i + 1] > c[i] for i in range(n))
        series = "、".join(f"{y}年末{v}家" for y, v in zip(years, c, strict=True))
        out[t.key] = Figure(ok, series + ("，逐年增长" if ok else "，未逐年增长") + _period_note(ctx),
                            provisional=not ctx.year_over)
    return out


def _tags(params: dict[str, Any]) -> list[str]:
    tags = list(params.get("tags") or [])
    for tg in tags:
        if tg not in MEMBER_TAGS:
            raise ValueError(f"未知会员标签：{tg}")
    return tags


@metric("tagged_share", "带有所列标签的会员占比", params={"tags": "会员标签"}, ratio=True)
def tagged_share(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    wanted = set(_tags(params))
    groups = _members_groups(ctx)
    what = "带“" + "、".join(_tags(params)) + "”标签"
    out = {}
    for t in ctx.targets:
        g = groups.get(t.key, {})
        n = sum(v[YEARS_KEPT - 1] for v in g.values())
        k = sum(v[YEARS_KEPT - 1] for tags, v in g.items() if wanted & set(tags.split(",")))
        out[t.key] = (Figure(None, "没有会员，无法计算比例") if not n else
                      Figure(k / n, f"会员{n}家中{what}的{k}家，占{pct(k / n)}"))
    return out


def _member_share(ctx: Ctx, d: date, cond: str, tp: dict[str, Any], what: str,
                  new_only: bool = False) -> dict[int | None, Figure]:
    out = {}
    rows: dict[Any, tuple[int, int]] = {}
    span = {"n0": ctx.year_start, "n1": ctx.year_end}
    if ctx.chamber_ids:
        scope = "ms.start_date >= :n0 AND ms.start_date <= :n1" if new_only else \
            "(ms.start_date IS NULL OR ms.start_date <= :d) AND (ms.end_date IS NULL OR ms.end_date > :d)"
        for cid, n, k in _q(ctx.session, f"""
                SELECT ms.chamber_id, COUNT(DISTINCT m.id), COUNT(DISTINCT CASE WHEN {cond} THEN m.id END)
                FROM membership ms JOIN member m ON m.id = ms.member_id
                WHERE m.deleted_at IS NULL AND ms.chamber_id IN :ids AND {scope}
                GROUP BY ms.chamber_id""", ids=ctx.chamber_ids, d=d, **tp, **(span if new_only else {})):
            rows[cid] = (n, k)
    if ctx.has_federation:
        scope = "m.join_date >= :n0 AND m.join_date <= :n1" if new_only else \
            on_roll_sql()
        n, k = _q(ctx.session, f"""SELECT COUNT(*), SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) FROM member m
                  WHERE m.deleted_at IS NULL AND {scope}""", d=d, **tp, **(span if new_only else {}))[0]
        rows[None] = (n, k or 0)
    who = "本年度新会员" if new_only else "会员"
    for t in ctx.targets:
        n, k = rows.get(t.key, (0, 0))
        if not n:
            out[t.key] = Figure(None, f"没有{who}，无法计算比例")
        else:
            out[t.key] = Figure(k / n, f"{who}{n}家中{what}的{k}家，占{pct(k / n)}")
    return out


_RECORD_FIELDS = {"credit_code": "统一社会信用代码", "rep_name": "代表人姓名", "rep_phone": "联系电话",
                  "industry": "所属行业", "join_date": "入会日期", "legal_rep": "法定代表人",
                  "rep_id_number": "身份证号", "size_class": "企业规模"}


@metric("new_member_record_complete", "本年度新会员在会员数据库中信息完整的比例",
        params={"fields": "须填写的字段"}, ratio=True)
def new_member_record_complete(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    fields = list(params.get("fields") or DEFAULT_RECORD_FIELDS)
    for f in fields:
        if f not in _RECORD_FIELDS:
            raise ValueError(f"未知字段：{f}，可用：{'、'.join(_RECORD_FIELDS)}")
    what = "、".join(_RECORD_FIELDS[f] for f in fields) + "齐全"
    if tuple(fields) != DEFAULT_RECORD_FIELDS:
        return _member_share(ctx, ctx.year_end, _complete(fields), {}, what, new_only=True)
    mp = _members_pass(ctx)
    out = {}
    for t in ctx.targets:
        n, k = mp[t.key][NEW], mp[t.key][NEW_COMPLETE]
        out[t.key] = (Figure(None, "没有本年度新会员，无法计算比例") if not n else
                      Figure(k / n, f"本年度新会员{n}家中{what}的{k}家，占{pct(k / n)}"))
    return out


# --- contacts --------------------------------------------------------------------------------------


def _coverage(ctx: Ctx) -> dict[int | None, tuple[int, int, int, int]]:
    """Owner → (members at year end, visited on site, contacted any way, reachable).

    Reachable = has a phone on record, or was contacted in the year. The query starts from the
    year's contacts (few) and reaches the seats through the member index.
    """
    def run() -> dict[int | None, tuple[int, int, int, int]]:
        d = _end_of(ctx, ctx.year)
        span = {"d0": ctx.year_start, "d1": ctx.year_end, "d": d}
        # contacts of the year, one row per member, then joined to the seats
        cte = """WITH c AS (SELECT member_id, MAX(CASE WHEN way = 'visit' THEN 1 ELSE 0 END) AS v FROM contact
                 WHERE deleted_at IS NULL AND date >= :d0 AND date <= :d1 GROUP BY member_id)"""
        no_phone = "CASE WHEN COALESCE(m.rep_phone, '') = '' THEN 1 ELSE 0 END"
        got: dict[int | None, tuple[int, int, int]] = {}
        if ctx.chamber_ids:
            for cid, v, c, c_np in _q(ctx.session, f"""{cte}
                    SELECT ms.chamber_id, SUM(c.v), COUNT(*), SUM({no_phone})
                    FROM c JOIN membership ms ON ms.member_id = c.member_id JOIN member m ON m.id = c.member_id
                    WHERE m.deleted_at IS NULL AND ms.chamber_id IN :ids
                      AND (ms.start_date IS NULL OR ms.start_date <= :d) AND (ms.end_date IS NULL OR ms.end_date > :d)
                    GROUP BY ms.chamber_id""", ids=ctx.chamber_ids, **span):
                got[cid] = (v or 0, c or 0, c_np or 0)
        if ctx.has_federation:
            v, c, c_np = _q(ctx.session, f"""{cte}
                SELECT SUM(c.v), COUNT(*), SUM({no_phone}) FROM c JOIN member m ON m.id = c.member_id
                WHERE m.deleted_at IS NULL AND {on_roll_sql()}""", **span)[0]
            got[None] = (v or 0, c or 0, c_np or 0)
        mp = _members_pass(ctx)
        out: dict[int | None, tuple[int, int, int, int]] = {}
        for t in ctx.targets:
            total, phones = mp[t.key][YEARS_KEPT - 1], mp[t.key][PHONE]
            v, c, c_np = got.get(t.key, (0, 0, 0))
            out[t.key] = (total, v, c, min(total, phones + c_np))
        return out
    return ctx.cached("coverage", run)


def _coverage_metric(ctx: Ctx, idx: int, what: str, done: str) -> dict[int | None, Figure]:
    cov = _coverage(ctx)
    out = {}
    for t in ctx.targets:
        total, *counts = cov.get(t.key, (0, 0, 0, 0))
        if not total:
            out[t.key] = Figure(None, "没有在册会员，无法计算比例")
            continue
        k = counts[idx]
        out[t.key] = Figure(k / total, f"在册会员{total}家，本年度{what}{k}家，占{pct(k / total)}" + _period_note(ctx),
                            provisional=not ctx.year_over, progress=progress_words(done, k, "家", total))
    return out


@metric("visited_ratio", "本年度实地走访会员企业的比例", ratio=True)
def visited_ratio(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    return _coverage_metric(ctx, 0, "实地走访", "已走访")


@metric("contacted_ratio", "本年度有效联系会员企业的比例", ratio=True)
def contacted_ratio(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    return _coverage_metric(ctx, 1, "有联系记录（走访、电话、微信等）的", "已联系")


@metric("reachable_ratio", "能联系到的会员企业比例（本年度有联系记录或留有联系电话）", ratio=True)
def reachable_ratio(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    return _coverage_metric(ctx, 2, "能联系到（有联系记录或留有电话）的", "能联系到")


# --- facts from the chamber and federation records -----------------------------------------------------


def _chamber_fact(ctx: Ctx, fn: Callable[[Any], Figure]) -> dict[int | None, Figure]:
    out = {}
    for t in ctx.targets:
        out[t.key] = fn(t.row) if t.key is not None else Figure(None, "此指标只适用于商会")
    return out


def _rec(t_row: Any) -> list[dict[str, Any]]:
    return [{"table": "chamber", "id": t_row.id, "label": t_row.name}]


@metric("chamber_has_office", "有固定办公场所", value_type="bool", targets=("chamber",))
def chamber_has_office(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    def f(ch: Any) -> Figure:
        if not ch.has_office:
            return Figure(False, "商会档案记载：无办公场所", _rec(ch))
        area = f"，面积{ch.office_area:g}㎡" if ch.office_area else ""
        return Figure(True, f"商会档案记载：有办公场所{area}", _rec(ch))
    return _chamber_fact(ctx, f)


@metric("chamber_office_area", "办公场所面积", unit="㎡", targets=("chamber",))
def chamber_office_area(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    def f(ch: Any) -> Figure:
        if not ch.has_office:
            return Figure(0.0, "商会档案记载：无办公场所", _rec(ch))
        if ch.office_area is None:
            return Figure(None, "商会档案未填写办公面积")
        return Figure(float(ch.office_area), f"商会档案记载办公面积{ch.office_area:g}㎡", _rec(ch))
    return _chamber_fact(ctx, f)


@metric("chamber_fulltime_staff", "专职工作人员数", unit="人", targets=("chamber",))
def chamber_fulltime_staff(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    return _chamber_fact(ctx, lambda ch: Figure(ch.fulltime_staff, f"商会档案记载专职人员{ch.fulltime_staff}人、"
                                                f"兼职人员{ch.parttime_staff}人", _rec(ch)))


@metric("chamber_staffed", "有专人负责（专职人员或专职秘书长）", value_type="bool", targets=("chamber",))
def chamber_staffed(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    def f(ch: Any) -> Figure:
        ok = ch.fulltime_staff > 0 or bool(ch.secretary_fulltime)
        sg = "秘书长专职" if ch.secretary_fulltime else "秘书长非专职"
        return Figure(ok, f"商会档案记载专职人员{ch.fulltime_staff}人，{sg}", _rec(ch))
    return _chamber_fact(ctx, f)


@metric("chamber_secretary_fulltime", "秘书长为专职", value_type="bool", targets=("chamber",))
def chamber_secretary_fulltime(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    def f(ch: Any) -> Figure:
        name = ch.secretary_general_name or "（未填写姓名）"
        if not ch.secretary_general_name and not ch.secretary_fulltime:
            return Figure(False, "商会档案未记载秘书长", _rec(ch))
        return Figure(bool(ch.secretary_fulltime), f"秘书长{name}" + ("为专职" if ch.secretary_fulltime else "非专职"),
                      _rec(ch))
    return _chamber_fact(ctx, f)


@metric("chamber_party_org", "建立党组织或加入联合党组织", value_type="bool",
        params={"accepted": "认可的党组织形式（own/joint/liaison）"}, targets=("chamber",))
def chamber_party_org(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    accepted = list(params.get("accepted") or ["own", "joint"])
    for a in accepted:
        if PartyOrg.parse(a) is None:
            raise ValueError(f"未知党组织形式：{a}")

    def f(ch: Any) -> Figure:
        label = PartyOrg(ch.party_org).label if PartyOrg.parse(ch.party_org) else ch.party_org
        return Figure(ch.party_org in accepted, f"商会档案记载党组织情况：{label}", _rec(ch))
    return _chamber_fact(ctx, f)


@metric("chamber_rules", "所列制度齐全", value_type="bool", params={"required": "须建立的制度"}, targets=("chamber",))
def chamber_rules(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    required = []
    for r in params.get("required") or [m.value for m in ChamberRule]:
        m = ChamberRule.parse(r)
        if m is None:
            raise ValueError(f"未知制度：{r}")
        required.append(m)

    def f(ch: Any) -> Figure:
        have = {x for x in (ch.rules or "").split(",") if x}
        missing = [m.label for m in required if m.value not in have]
        present = [ChamberRule(x).label for x in have if ChamberRule.parse(x)]
        if missing:
            return Figure(False, f"缺{'、'.join(missing)}（已建：{'、'.join(present) or '无'}）", _rec(ch))
        return Figure(True, f"已建{'、'.join(m.label for m in required)}", _rec(ch))
    return _chamber_fact(ctx, f)


@metric("chamber_funds", "年度经费", unit="元", targets=("chamber",))
def chamber_funds(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    def f(ch: Any) -> Figure:
        if ch.annual_funds is None:
            return Figure(None, "商会档案未填写年度经费")
        return Figure(float(ch.annual_funds), f"商会档案记载年度经费{ch.annual_funds:,.0f}元", _rec(ch))
    return _chamber_fact(ctx, f)


@metric("chamber_registered", "已在民政部门登记", value_type="bool", targets=("chamber",))
def chamber_registered(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    return _chamber_fact(ctx, lambda ch: Figure(bool(ch.registered), "已民政登记" if ch.registered else "未民政登记",
                                                _rec(ch)))


@metric("chamber_inspection_passed", "最近一次年检（年报）合格", value_type="bool", targets=("chamber",))
def chamber_inspection_passed(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    def f(ch: Any) -> Figure:
        if ch.inspection_passed is None:
            return Figure(None, "商会档案未填写年检结果")
        return Figure(bool(ch.inspection_passed), "年检（年报）合格" if ch.inspection_passed else "年检（年报）不合格",
                      _rec(ch))
    return _chamber_fact(ctx, f)


@metric("chamber_term_renewed", "本年度应换届的已按时换届", value_type="bool", targets=("chamber",))
def chamber_term_renewed(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    y = ctx.year

    def f(ch: Any) -> Figure:
        ts, te = ch.term_start, ch.term_end
        if te is None:
            return Figure(None, "商会档案未填写本届届满日期")
        span = f"本届{chinese_date(ts) if ts else '（起始日未填）'}至{chinese_date(te)}"
        if ts is not None and ts.year > y:
            return Figure(None, f"{span}，档案只存本届任期，无法判断{y}年是否按时换届")
        if ts is not None and ts.year == y:
            return Figure(True, f"{span}，已于{y}年换届", _rec(ch))
        if te <= date(y, 12, 31) and te < ctx.as_of:
            return Figure(False, f"{span}，届满后未换届", _rec(ch))
        if te <= date(y, 12, 31):
            return Figure(True, f"{span}，本年度届满，尚在期限内", _rec(ch), provisional=True)
        return Figure(True, f"{span}，本年度无换届任务", _rec(ch))
    return _chamber_fact(ctx, f)


@metric("statistics_received", "年度基层商会工作情况统计表已按期收到", value_type="bool",
        params={"due": "报送期限：次年的月-日（\"MM-DD\"），默认 \"01-31\""}, targets=("chamber",))
def statistics_received(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    """The received date recorded per chamber (core.yearend): on time, late, or not received by the due day."""
    from chamberdesk.core.yearend import for_year, statistics_due

    due = statistics_due(ctx.year, str(params.get("due", "01-31")))
    rows = for_year(ctx.session, ctx.year)

    def f(ch: Any) -> Figure:
        row = rows.get(ch.id)
        got = row.statistics_received_on if row is not None else None
        limit = f"报送期限{chinese_date(due)}"
        if got is None:
            if periods.is_running(ctx.year, ctx.as_of):  # the year's own form cannot exist yet: 年度未结束
                return Figure(False, "统计表尚未报送", provisional=True,
                              progress=lambda _t, _op: f"年度结束后报送，{limit}")
            if ctx.as_of <= due:  # still time: not a failure yet, the clerk records it when it comes
                return Figure(None, f"统计表尚未收到（{limit}，尚未到期）")
            return Figure(False, f"未收到统计表（{limit}）")
        rec = [{"table": "chamber_year_end", "id": row.id, "label": f"统计表{chinese_date(got)}收到",  # type: ignore[union-attr]
                "date": got.isoformat()}]
        if got > due:
            return Figure(False, f"{chinese_date(got)}收到，晚于{limit}", rec)
        return Figure(True, f"{chinese_date(got)}收到（{limit}）", rec)
    return _chamber_fact(ctx, f)


_FED_FIELDS = {"staff_quota": "编制数", "staff_count": "工作人员数", "office_area": "办公用房面积",
               "fax_count": "传真机", "phone_count": "办公电话", "copier_count": "复印机", "computer_count": "电脑",
               "printer_count": "打印机", "car_count": "办公用车", "private_enterprises": "本地民营企业户数",
               "above_scale_enterprises": "本地规上民营企业户数"}
# the unit each figure is counted in, written after it (办公用房面积86㎡, 传真机1台)
_FED_UNITS = {"staff_quota": "个", "staff_count": "人", "office_area": "㎡", "fax_count": "台", "phone_count": "部",
              "copier_count": "台", "computer_count": "台", "printer_count": "台", "car_count": "辆",
              "private_enterprises": "户", "above_scale_enterprises": "户"}
_FED_FLAGS = {"party_group": "设立工商联党组", "own_account": "设置独立财务账户"}


def _fed_fact(ctx: Ctx, fn: Callable[[Any], Figure]) -> dict[int | None, Figure]:
    out: dict[int | None, Figure] = {}
    for t in ctx.targets:
        if t.key is not None:
            out[t.key] = Figure(None, "此指标只适用于本级工商联")
        elif t.row is None:
            out[t.key] = Figure(None, "尚未填写本级工商联基本情况")
        else:
            out[t.key] = fn(t.row)
    return out


@metric("federation_count", "本级工商联基本情况中的数字", params={"field": "字段"}, targets=("federation",))
def federation_count(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    fld = params.get("field")
    if fld not in _FED_FIELDS:
        raise ValueError(f"field 应为 {'、'.join(_FED_FIELDS)} 之一")
    rec = [{"table": "federation", "id": 0, "label": "本级工商联基本情况"}]
    return _fed_fact(ctx, lambda f: Figure(getattr(f, fld), f"基本情况记载{_FED_FIELDS[fld]}"
                                           f"{getattr(f, fld):g}{_FED_UNITS[fld]}", rec))


@metric("federation_flag", "本级工商联基本情况中的是否项", value_type="bool", params={"field": "字段"},
        targets=("federation",))
def federation_flag(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    fld = params.get("field")
    if fld not in _FED_FLAGS:
        raise ValueError(f"field 应为 {'、'.join(_FED_FLAGS)} 之一")
    rec = [{"table": "federation", "id": 0, "label": "本级工商联基本情况"}]
    return _fed_fact(ctx, lambda f: Figure(bool(getattr(f, fld)), f"基本情况记载：{'已' if getattr(f, fld) else '未'}"
                                           f"{_FED_FLAGS[fld]}", rec))


@metric("federation_budget", "本年度列入财政预算的经费", unit="元",
        params={"field": "working_funds（工作经费）或 investment_funds（招商引资等经费）"}, targets=("federation",))
def federation_budget(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    fld = params.get("field")
    names = {"working_funds": "工作经费", "investment_funds": "招商引资等经费"}
    if fld not in names:
        raise ValueError("field 应为 working_funds 或 investment_funds")
    row = _q(ctx.session, f"SELECT id, {fld} FROM federationbudget WHERE year = :y", y=ctx.year)
    fig = (Figure(float(row[0][1]), f"{ctx.year}年预算{names[fld]}{row[0][1]:,.0f}元",
                  [{"table": "federationbudget", "id": row[0][0], "label": f"{ctx.year}年预算"}])
           if row else Figure(None, f"未填写{ctx.year}年预算"))
    return {t.key: (fig if t.key is None else Figure(None, "此指标只适用于本级工商联")) for t in ctx.targets}


@metric("formation_rate", "乡镇（街道）商会组建率", ratio=True,
        params={"count_item": "填报乡镇（街道）总数的条目编号", "kinds": "计入的商会类型"}, targets=("federation",))
def formation_rate(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    kinds = [ChamberKind.parse(k).value for k in params.get("kinds") or ["township", "subdistrict"]]  # type: ignore[union-attr]
    item = params.get("count_item", "township_count")
    d = _end_of(ctx, ctx.year)
    n = _q(ctx.session, """SELECT COUNT(*) FROM chamber WHERE deleted_at IS NULL AND kind IN :kinds
              AND (founded_on IS NULL OR founded_on <= :d) AND (dissolved_on IS NULL OR dissolved_on > :d)""",
           kinds=kinds, d=d)[0][0]
    out: dict[int | None, Figure] = {}
    for t in ctx.targets:
        if t.key is not None:
            out[t.key] = Figure(None, "此指标只适用于本级工商联")
            continue
        raw = ctx.inputs.get(None, {}).get(item)
        total = raw.get("value") if isinstance(raw, dict) else raw
        if not isinstance(total, int | float) or isinstance(total, bool) or total <= 0:
            out[t.key] = Figure(None, f"已组建乡镇（街道）商会{n}个；须先填报本地乡镇（街道）总数")
            continue
        rate = min(n / total, 1.0)
        out[t.key] = Figure(rate, f"本地乡镇（街道）{total:g}个，已组建商会{n}个，组建率{pct(rate)}")
    return out


@metric("enterprise_member_share", "企业会员占本地民营企业的比例", ratio=True, targets=("federation",))
def enterprise_member_share(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    d = _end_of(ctx, ctx.year)
    n = _q(ctx.session, f"""SELECT COUNT(*) FROM member m WHERE m.deleted_at IS NULL AND m.kind = 'enterprise'
              AND {on_roll_sql()}""", d=d)[0][0]

    def f(fed: Any) -> Figure:
        if not fed.private_enterprises:
            return Figure(None, f"企业会员{n}家；须先在基本情况中填写本地民营企业户数")
        r = n / fed.private_enterprises
        return Figure(r, f"企业会员{n}家，本地民营企业{fed.private_enterprises}户，占{pct(r)}")
    return _fed_fact(ctx, f)



@metric("federation_staffing", "工作力量：编制数或工作人员数达到标准", value_type="bool",
        params={"quota": "编制数下限", "staff": "工作人员数下限"}, targets=("federation",))
def federation_staffing(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    quota, staff = int(params.get("quota", 3)), int(params.get("staff", 5))
    rec = [{"table": "federation", "id": 0, "label": "本级工商联基本情况"}]
    return _fed_fact(ctx, lambda f: Figure(f.staff_quota >= quota or f.staff_count >= staff,
                                           f"基本情况记载编制数{f.staff_quota}个、工作人员{f.staff_count}人"
                                           f"（标准：编制数不少于{quota}个或工作人员不少于{staff}人）", rec))


# --- roll-call at the federation's meetings and activities ----------------------------------------------


@metric("chamber_absences", "本年度无故不参加（未请假）区工商联组织的会议、活动的次数", unit="次",
        params={"training_warning": "无故不参加教育培训活动达到此次数时提示撤销（000 四2），不填则不提示"},
        targets=("chamber",))
def chamber_absences(ctx: Ctx, params: dict[str, Any]) -> dict[int | None, Figure]:
    """Counted from the roll-calls (core.attendance) up to the day assessed; no roll-call in the year is no
    figure, never 0: an office that never calls the roll has shown nothing."""
    from chamberdesk.core import attendance

    warn_at = params.get("training_warning")
    if warn_at is not None and (not isinstance(warn_at, int) or isinstance(warn_at, bool) or warn_at < 1):
        raise ValueError("training_warning 应为正整数（次数）")
    year = ctx.cached("roll_calls", lambda: attendance.collect_year(ctx.session, ctx.year, until=ctx.as_of))
    out: dict[int | None, Figure] = {}
    for t in ctx.targets:
        if t.key is None:
            out[t.key] = Figure(None, "此指标只适用于商会")
            continue
        if not year.recorded:
            out[t.key] = Figure(None, "本年度没有记录区工商联会议、活动的到会点名，无法计算缺席次数（请在会议、活动的"
                                      "“到会商会”中点名，或填报次数）")
            continue
        cy = year.of(t.key)
        if not cy.marks:
            out[t.key] = Figure(0, f"本年度点名{len(year.events)}次，均未列本商会" + _period_note(ctx),
                                provisional=not ctx.year_over)
            continue
        absent, leaves = cy.absences, cy.leaves
        bits = [f"无故缺席{len(absent)}次：{attendance.marks_text(absent)}" if absent else "无无故缺席"]
        if leaves:
            bits.append(f"请假{len(leaves)}次：{attendance.marks_text(leaves, reasons=True)}")
        bits.append(f"出席{len(cy.present)}次（本年度点名{len(year.events)}次，列本商会{len(cy.marks)}次）")
        fig = Figure(len(absent), "；".join(bits) + _period_note(ctx), [m.record() for m in absent + leaves],
                     provisional=not ctx.year_over)
        trained = cy.training_absences
        if warn_at is not None and len(trained) >= warn_at:
            fig.warnings.append(f"撤销警示：全年无故不参加工商联组织的教育培训活动{len(trained)}次"
                                f"（{attendance.marks_text(trained)}），达到{warn_at}次，按规定应在工商联组织体系中"
                                "予以撤销，请核实后提请研究")
        out[t.key] = fig
    return out
