"""考评表 and 自查表 for any rubric, target and year, from the rubric engine's results."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table
from sqlmodel import Session

from chamberdesk.core.assessments import (
    NEEDS_INPUT,
    PROVISIONAL,
    STATUS_LABELS,
    YEAR_OPEN,
    counts_text,
    verdict_label,
)
from chamberdesk.core.federation import get_federation
from chamberdesk.core.models import Assessment
from chamberdesk.io.pdf.layout import (
    HEAD_BG,
    FormStart,
    Styles,
    fmt_num,
    grid_style,
    signature_block,
)
from chamberdesk.rules.sources import source_text

if TYPE_CHECKING:
    from chamberdesk.io.pdf.jobs import PrintRequest
    from chamberdesk.rules import Rubric, TargetResult

CN_NUM = "一二三四五六七八九十"


def cn_index(i: int) -> str:
    if i <= 10:
        return CN_NUM[i - 1]
    if i < 20:
        return "十" + CN_NUM[i - 11]
    return str(i)


OP_MARKS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}


def _yes_no(it: Any, yes: bool) -> str:
    # "有专人：…" items ask whether something exists: a clerk writes 有／无 there, elsewhere 是／否.
    if it.title.startswith("有"):
        return "有" if yes else "无"
    return "是" if yes else "否"


def requirement_text(it: Any) -> str:
    """The standard of a pass/fail item as a clerk writes it in 要求: 有, 是, ≥ 2 次, > 10%, 3月31日前."""
    from chamberdesk.rules import show_value

    t, op = it.threshold, it.op
    if it.kind == "scored" or t is None:
        return it.threshold_text()
    if isinstance(t, bool):
        return _yes_no(it, (not t) if op == "!=" else t)
    if isinstance(t, int | float):
        figure = show_value(t, it.ratio, "")
        unit = "" if it.ratio else it.unit
        return f"{OP_MARKS[op]} {figure}{unit}" if op in OP_MARKS and op != "==" else f"{figure}{unit}"
    if isinstance(t, str) and op in ("<=", "<", ">=", ">"):
        bits = t.split("-")[-2:]
        if len(bits) == 2 and all(b.isdigit() for b in bits):
            when = f"{int(bits[0])}月{int(bits[1])}日"
            return when + ("前" if op == "<=" else "以前" if op == "<" else "后" if op == ">=" else "以后")
    return it.threshold_text()


def finding_text(it: Any) -> str:
    """The engine's explanation without the rule sentence that 考评内容与标准 already shows, and without
    the 凭证 list that gets its own line."""
    note = it.explanation
    for head in (f"{it.title}：", f"{it.title}:"):
        if note.startswith(head):
            note = note[len(head):]
            break
    if it.evidence:
        note = note.replace(f"（凭证：{'、'.join(it.evidence)}）", "")
    return note


def reference_text(it: Any, scored: bool) -> str:
    """系统核算 of one item: the figure from the ledgers and its verdict (and points), or the score a clerk
    entered on the 考评 page, marked as entered."""
    if it.status == "not_applicable":
        return "不适用"
    if it.status == YEAR_OPEN:
        # the year still runs: the figure so far, what it still needs (还需2家; the 说明 has it in full, a
        # quarter at a time) and the state
        shown = _yes_no(it, it.value) if isinstance(it.value, bool) else it.value_text()
        needs = re.findall(r"还需[\d.]+[^\d，；、]?", it.progress)
        return "\n".join([shown, *(needs if len(needs) == 1 else []), STATUS_LABELS[YEAR_OPEN]])
    if it.status == NEEDS_INPUT:
        if it.value is None or it.from_input or it.kind == "scored":
            return STATUS_LABELS[NEEDS_INPUT]
        # worked out from the ledgers but not yet decided: the figure so far and what it waits for
        why = "待凭证" if "须附凭证" in it.explanation else "待核实"
        shown = _yes_no(it, it.value) if isinstance(it.value, bool) else it.value_text()
        return f"{shown}\n{why}"
    if it.kind == "scored":
        return f"{fmt_num(round(it.points, 2))}\n（已录入）"
    shown = "" if it.value is None else (_yes_no(it, it.value) if isinstance(it.value, bool) else it.value_text())
    verdict = STATUS_LABELS.get(it.status, "")
    points = f"{fmt_num(round(it.points, 2))}分" if scored and it.max_points else ""
    return "\n".join(x for x in (shown, verdict, points) if x)


def _group_sum(its: list[Any]) -> str:
    """A group's subtotal: the sum when every item is scored, the sum so far marked when some still wait
    (另有待评 for the clerk's, 暂定 for those the year's end settles)."""
    done = [i for i in its if i.status not in (NEEDS_INPUT, YEAR_OPEN)]
    if not done:
        return ""
    got = fmt_num(round(sum(i.points for i in done), 2))
    if len(done) == len(its):
        return got
    return f"{got}\n另有待评" if any(i.status == NEEDS_INPUT for i in its) else f"{got}\n（{PROVISIONAL}）"


def form_title(rubric_title: str, selfcheck: bool) -> str:
    word = "自查表" if selfcheck else "考评表"
    t = rubric_title.strip()
    for suffix in ("考评表", "自查表", "考评细则", "考评标准", "标准", "细则"):
        if t.endswith(suffix):
            return t[: -len(suffix)] + word
    if t.endswith("考评"):
        return t[:-2] + word
    return t + word


def units(session: Session, req: PrintRequest, today: date) -> list[tuple[str, Callable[..., list[Flowable]]]]:
    from chamberdesk import rules
    from chamberdesk.rules.assessments import current_results

    rubric = rules.load_rubric(req.rubric_id or "")
    selfcheck = req.form == "selfcheck"
    year = int(req.year or today.year)
    targets: list[Any] | None
    if req.federation or rubric.target == "federation":
        targets = None if rubric.target == "federation" else []
    else:
        targets = req.targets
    # as the 考评 page shows them: 定稿 results (and the rubric they were made with) as stored,
    # drafts with their saved inputs
    current = current_results(session, rubric, year, targets, as_of=today)
    title = form_title(rubric.title, selfcheck)
    fed_name = _fed_name(session)
    out = []
    for c in current:
        res = c.result
        out.append((f"{year}年度{res.target}{title}",
                    lambda st, w, on, res=res, c=c: assessment_story(
                        st, w, c.rubric, res, year=year, selfcheck=selfcheck, blank=req.blank and selfcheck,
                        saved=c.saved, on_form=on, federation_name=fed_name)))
    return out


def _fed_name(session: Session) -> str:
    fed = get_federation(session)
    return fed.name if fed and fed.name else "县工商联"


class GroupedTable(Table):
    """The items table: where a page break falls inside a group, the new page's first row names the group
    again (the label is written once per group, in its first row, so that the table may break at all)."""

    groups: dict[int, Any]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Any] = super().split(availWidth, availHeight)  # Tables, with their rows in _cellvalues
        if len(parts) != 2:
            return parts
        head = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        first = len(parts[0]._cellvalues)  # the original index of the second part's first body row
        rest = parts[1]
        label = self.groups.get(first)
        if label is not None and rest._cellvalues[head][1] == "":
            rest._cellvalues[head][1] = label
            # the split keeps the row heights it measured; the label may need more room than the row had
            heights = list(rest._argH)
            heights[head] = None
            rest._argH = rest._rowHeights = heights
        grouped = GroupedTable.__new__(GroupedTable)
        grouped.__dict__.update(rest.__dict__)
        grouped.groups = {r - first + head: v for r, v in self.groups.items() if r > first}
        return [parts[0], grouped]


class EndsWithTail(Flowable):
    """A table that may run over pages and what must close it (the conclusion and the signatures): the
    table breaks where it must, but its last `keep` rows always go over with the tail, so a page never
    carries the conclusion and signatures alone."""

    def __init__(self, table: Any, tail: list[Flowable], keep: int = 2) -> None:
        super().__init__()
        self.table: Any = table  # a Table, or the part of one a split left (its row heights are read)
        self.tail, self.keep = tail, keep

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, 0xFFFFFF  # as KeepTogether does: always split, where the choice is made

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        kept = KeepTogether(self.tail)
        _w, table_h = self.table.wrapOn(self.canv, availWidth, availHeight)
        # the tail as the frame will measure it after the table: each part with the space around it
        tail_h = sum(f.wrapOn(self.canv, availWidth, availHeight)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                     for f in self.tail) + 1
        if table_h + tail_h <= availHeight:
            return [self.table, kept]
        heights = list(self.table._rowHeights)
        head = self.table.repeatRows if isinstance(self.table.repeatRows, int) else len(self.table.repeatRows)
        frame = getattr(self, "_frame", None)
        page = getattr(frame, "_aH", availHeight)
        # fewer closing rows when the tail is so long that they and it would not fit on one page together
        keep = self.keep
        while keep > 1 and sum(heights[:head]) + sum(heights[-keep:]) + tail_h > page:
            keep -= 1
        stay = len(heights) - keep  # rows that may end this page; the rest go on with the tail
        at_top = bool(getattr(frame, "_atTop", False))
        if stay <= head:
            # only the closing rows are left: with the tail on this page, or on the next one
            return [self.table, kept] if at_top else []
        parts = self.table.split(availWidth, min(availHeight, sum(heights[:stay]) + 0.5))
        if len(parts) != 2:
            return [self.table, kept] if at_top else []
        return [parts[0], EndsWithTail(parts[1], self.tail, self.keep)]


def assessment_story(st: Styles, width: float, rubric: Rubric, res: TargetResult, *, year: int,
                     selfcheck: bool = False, blank: bool = False, saved: Assessment | None = None,
                     on_form: Callable[[], None] | None = None, federation_name: str = "") -> list[Flowable]:
    """One target's form: header, item table with group subtotals, vetoes, combined score, signatures."""
    title = form_title(rubric.title, selfcheck)
    scored = rubric.mode != "all_pass"
    small = st.small
    # 自评 and 考评 are for people to fill in by hand before signing and sealing; what the ledgers give
    # stands beside them as 系统核算 (left out of a blank 自查表, which is filled in from scratch).
    reference = not blank
    word = "得分" if scored else "结果"
    # 说明 carries the ledgers' findings, the longest text of a row: it is given the room, the columns of
    # a figure or a tick are as narrow as their two-character lines allow
    cols = [("序号", 10), ("考评项目", 14), ("考评内容与标准", 0), ("分值" if scored else "要求", 11 if scored else 13)]
    if reference:
        cols.append(("系统核算", 21))  # five characters a line: 年度未结束 unbroken
    # a blank 自查表 is the chamber's own: the assessor's column belongs on the 考评表
    hands = [f"自评\n{word}"] if blank else [f"自评\n{word}", f"考评\n{word}"]
    cols += [(h, 11) for h in hands] + [("说明／台账依据" if reference else "说明／凭证", 36 if reference else 40)]
    hdr = [h for h, _ in cols]
    widths = [w * mm for _, w in cols]
    widths[2] = width - sum(widths)
    c_cap = 3
    c_ref = 4 if reference else None
    c_hand = len(cols) - 1 - len(hands)  # 自评; 考评 follows it
    rows: list[list[Any]] = [[st.ps(h, st.head) for h in hdr]]
    style_cmds: list[tuple] = [("ALIGN", (0, 1), (0, -1), "CENTER"),
                               ("ALIGN", (c_cap, 1), (c_hand + len(hands) - 1, -1), "CENTER")]
    fonts, size = st.fonts, st.cell.fontSize

    def plain(text: str, col: int) -> Any:
        # Short figures go in as plain strings: a Paragraph per cell is most of the layout time.
        lines = text.split("\n")
        if fonts.covers(fonts.table, text.replace("\n", "")) and all(len(ln) * size <= widths[col] - 6 for ln in lines):
            return text
        return st.ps(text, st.cell_c)

    def row(n: str, head: Any, content: Any, cap: str, ref: str, note: Any) -> list[Any]:
        cells: list[Any] = [n, head, content, plain(cap, c_cap)]
        if reference:
            cells.append(plain(ref, c_ref or 0))
        return [*cells, *[""] * len(hands), note]

    inner_rules: list[int] = []  # rows whose bottom rule is left out in the 考评项目 column
    groups_of_row: dict[int, Any] = {}  # a row after its group's first: the label it takes atop a new page
    by_group: dict[str, list[Any]] = {}
    for it in res.items:
        by_group.setdefault(it.group, []).append(it)
    n = 0
    for g in rubric.groups:
        its = by_group.get(g.id, [])
        if not its:
            continue
        first = len(rows)
        for it in its:
            n += 1
            na = it.status == "not_applicable"
            ref, note = "", ""
            if reference:
                ref = reference_text(it, scored)
                note = finding_text(it)
                if it.evidence:
                    note += "\n凭证：" + "、".join(it.evidence)
                elif it.evidence_required:
                    note += "\n凭证：须附"
            cap = (fmt_num(it.max_points) if scored else requirement_text(it)) if not na else "—"
            rows.append(row(str(n), "", st.p(it.title, st.cell), cap, ref, st.ps(note, small)))
        # The group's name reads as one merged cell, but without SPAN so the table can still break
        # inside a long group (reportlab cannot split a spanned cell across pages).
        rows[first][1] = st.p(g.title, st.cell_c)
        for r in range(first + 1, len(rows)):
            rows[r][1] = ""
        groups_of_row.update({r: st.p(f"{g.title}（续）", st.cell_c) for r in range(first + 1, len(rows))})
        for r in range(first, len(rows) - 1):
            inner_rules.append(r)
        if scored:
            cap_sum = sum(i.max_points for i in its)
            got = "" if not cap_sum else _group_sum(its)  # a 0-point group (否决事项) has nothing to sum
            rows.append(row("", st.p(f"{g.title}小计", st.head), "", fmt_num(cap_sum), got, ""))
            r = len(rows) - 1
            style_cmds += [("SPAN", (1, r), (2, r)), ("BACKGROUND", (0, r), (-1, r), HEAD_BG)]
    for r in inner_rules:
        style_cmds.append(("LINEBELOW", (1, r), (1, r), 0.6, colors.white))
    style_cmds.append(("BOX", (0, 0), (-1, -1), 1.2, colors.black))
    table = GroupedTable(rows, colWidths=widths, repeatRows=1, style=grid_style(st, *style_cmds))
    table.groups = groups_of_row

    target_word = "被考评单位" if not selfcheck else "填报单位"
    story: list[Flowable] = [
        FormStart(f"{rubric.id}-{res.chamber_id}-{year}-{'s' if selfcheck else 'a'}",
                  f"{year}年度 {res.target} {title}", on_form),
        st.p(f"{year}年度 {res.target} {title}", st.title),
        Spacer(1, 2 * mm),
        _unit_line(st, width, target_word, res.target, year, rubric),
        st.p(f"{cn_index(1)}、{'自查' if selfcheck else '考评'}项目", st.section),
    ]
    conclusion = _total_section(st, width, rubric, res, blank=blank, selfcheck=selfcheck, saved=saved)
    if selfcheck:
        sign = signature_block(st, width, ["填报人", "负责人"], seal=f"{res.target}（盖章）")
        lead = "本单位对以上自查情况的真实性负责。"
    else:
        who = saved.assessor if saved and saved.assessor else None
        sign = signature_block(st, width, ["考评人", "审核人"], seal=f"{federation_name or '考评单位'}（盖章）",
                               when=saved.assessed_on if saved and saved.finalised else None)
        lead = f"考评人：{who}" if who else ""
    opinion_title = "自查说明" if selfcheck else "考评意见"
    opinion = Table([[st.p(opinion_title, st.head), st.ps("\n".join(res.notes) if not blank else "", st.cell)]],
                    colWidths=[22 * mm, width - 22 * mm], rowHeights=[24 * mm],
                    style=grid_style(st, ("BACKGROUND", (0, 0), (0, 0), HEAD_BG), ("VALIGN", (1, 0), (1, 0), "TOP"),
                                     head_rows=0))
    # the conclusion, the opinion and the signatures move as one: a signed and sealed page always
    # carries the result it signs for
    tail: list[Flowable] = [*_veto_section(st, width, rubric, res, blank=blank, selfcheck=selfcheck),
                            *conclusion, Spacer(1, 3 * mm), opinion, Spacer(1, 4 * mm)]
    if lead and selfcheck:
        tail.append(st.p(lead, st.body))
    tail.append(sign)
    # ...and they close the items table: its last rows go over with them when the page is full
    story.append(EndsWithTail(table, tail))
    return story


def _pass_rule(rubric: Rubric, res: TargetResult, blank: bool) -> str:
    """What 通过 means for an all-pass rubric, and (filled in) how the items stand."""
    named = "、".join(f"“{b.grade}”" for b in rubric.bands)
    rule = f"全部{len(res.items)}项考评条目达标（不适用的除外）为通过" + (f"，评定为{named}" if named else "") + "；有一项未达标即为未通过"
    if rubric.vetoes:
        rule += "，有一票否决事项的不予通过"
    if blank:
        return rule + "。"
    counts = counts_text(res.counts)
    fails = [it.title.split("：")[0] for it in res.items if it.status == "fail"]
    if fails:
        shown = "；".join(fails[:3]) + ("等" if len(fails) > 3 else "")
        counts += f"。未达标：{shown}"
    return f"{rule}。系统核算：{counts}。"


def _unit_line(st: Styles, width: float, word: str, target: str, year: int, rubric: Rubric) -> Table:
    """被考评单位 and 考评年度 on one line; under them the standard and the document it rests on, by title and
    clause (never the name of a file)."""
    basis = f"{rubric.title}（版本 {rubric.version}）"
    if rubric.source:
        basis += f"，依据{source_text(rubric.source)}"
    cells: list[list[Any]] = [[st.p(f"{word}：{target}", st.body), st.p(f"考评年度：{year}年", st.body)],
             [st.p(f"考评标准：{basis}", st.small), ""]]
    return Table(cells, colWidths=[width * 0.6, width * 0.4],
                 style=grid_style(st, ("GRID", (0, 0), (-1, -1), 0, (1, 1, 1)), ("BOX", (0, 0), (-1, -1), 0, (1, 1, 1)),
                                  ("SPAN", (0, 1), (1, 1)), ("LEFTPADDING", (0, 0), (-1, -1), 0), head_rows=0))


def _veto_section(st: Styles, width: float, rubric: Rubric, res: TargetResult, *, blank: bool,
                  selfcheck: bool = False) -> list[Flowable]:
    if not rubric.vetoes:
        return []
    hand = "自查认定" if selfcheck else "考评认定"
    head = ["序号", "一票否决事项", *([] if blank else ["系统核算"]), hand]
    rows: list[list[Any]] = [[st.p(h, st.head) for h in head]]
    for i, v in enumerate(rubric.vetoes, 1):
        hit = any(r == v.title or r.startswith(v.title) for r in res.veto_reasons)
        if v.item:
            open_ = {i.status for i in res.items if i.id == v.item}
        else:
            groups = next((p.groups for p in rubric.parts if p.id == v.part), []) if v.part else []
            open_ = {i.status for i in res.items if i.group in groups}
        found = "存在" if hit else ("待核实" if NEEDS_INPUT in open_ else STATUS_LABELS[YEAR_OPEN] if YEAR_OPEN in open_ else "未发现")
        rows.append([str(i), st.p(v.title, st.cell), *([] if blank else [st.p(found, st.cell_c)]),
                     st.p("□是　□否", st.cell_c)])
    fixed = [11 * mm, 0, *([] if blank else [22 * mm]), 30 * mm]
    t = Table(rows, colWidths=[w or width - sum(fixed) for w in fixed], repeatRows=1,
              style=grid_style(st, ("ALIGN", (0, 1), (0, -1), "CENTER")))
    return [st.p(f"{cn_index(2)}、一票否决", st.section), t]


def _total_section(st: Styles, width: float, rubric: Rubric, res: TargetResult, *, blank: bool, selfcheck: bool,
                   saved: Assessment | None) -> list[Flowable]:
    """Totals and grade: the figures the ledgers give as 系统核算, the column people fill in left empty."""
    n = 3 if rubric.vetoes else 2  # after 一、the items (and 二、the vetoes)
    hand = "自评得分" if selfcheck else "考评得分"

    # with items the year's end settles (and none left to enter), the figures are those so far: 暂定
    provisional = res.complete and res.year_open

    def show(v: float | None, open_: bool = provisional) -> str:
        if blank or v is None:
            return ""
        return fmt_num(round(v, 2)) + (f"（{PROVISIONAL}）" if open_ else "")

    rows: list[list[Any]] = []
    if rubric.mode == "weighted" and rubric.parts:
        # a blank 自查表 has no 系统核算: the chamber writes its score and the weighted figure itself
        system = [] if blank else ["系统核算得分", "系统核算折算"]
        hands = [hand] if not blank else [hand, "折算得分"]
        rows.append([st.p(h, st.head) for h in ("项目", "权重", *system, *hands)])
        for p in rubric.parts:
            ps = res.parts.get(p.id)
            part_pending = any(i.status == NEEDS_INPUT for g in p.groups for i in res.items if i.group == g)
            got = None if part_pending else ps
            part_open = provisional and any(i.status == YEAR_OPEN for i in res.items if i.group in p.groups)
            figures = [] if blank else [show(got, part_open), show(None if got is None else got * p.weight, part_open)]
            rows.append([st.p(p.title, st.cell_c), f"{fmt_num(p.weight * 100)}%", *figures, *[""] * len(hands)])
        total = None if not res.complete else res.score
        rows.append([st.p("综合得分", st.head), "", *([] if blank else ["", show(total)]), *[""] * len(hands)])
        fractions = [0.28, 0.12, 0.2, 0.2, 0.2] if not blank else [0.34, 0.16, 0.25, 0.25]
    elif rubric.mode == "points":
        rows.append([st.p(h, st.head) for h in ("项目", "满分", *([] if blank else ["系统核算"]), hand)])
        rows.append([st.p("合计", st.head), fmt_num(res.max_score),
                     *([] if blank else [show(res.score if res.complete else None)]), ""])
        fractions = [0.34, 0.22, 0.22, 0.22] if not blank else [0.34, 0.33, 0.33]
    # the verdict in the words the 考评 page uses (通过／未通过), not an item's 达标／未达标
    grade = "" if blank or (not res.complete and not res.vetoed) else \
        (res.grade or ("一票否决，不予评定" if res.vetoed else
                       verdict_label(res.passed) + ("（未达等次）" if rubric.bands and res.passed is False else "")))
    if rubric.mode == "all_pass":
        grade = "" if blank or res.passed is None else verdict_label(res.passed)
        if res.grade and res.passed:
            grade += f"（{res.grade}）"
    if provisional and not blank and res.passed is None:
        # never a final grade while the year runs: what the figures so far reach, and what it waits for
        waiting = res.counts[YEAR_OPEN]
        so_far = res.grade_text() or (f"目前未达等次（{PROVISIONAL}）" if rubric.bands and rubric.mode != "all_pass" else "")
        grade = "，".join(x for x in (so_far, f"{STATUS_LABELS[YEAR_OPEN]}，{waiting}项待年度结束后判定") if x)
    bands = "；".join(
        b.grade + (f"：{fmt_num(b.min)}分及以上" if b.min is not None else "") +
        (f"、{fmt_num(b.below)}分以下" if b.below is not None else "") for b in rubric.bands)
    verdict = "自查等次" if selfcheck else "评定等次"
    if rows:
        k = len(rows[0])
        first_added = len(rows)
        if not blank:
            rows.append([st.p("系统核算等次", st.head), st.p(grade, st.cell_c), *[""] * (k - 2)])
        rows.append([st.p(verdict, st.head), "", *[""] * (k - 2)])
        rows.append([st.p("等次标准", st.head), st.p(bands, st.small), *[""] * (k - 2)])
        cmds: list[tuple] = [("ALIGN", (1, 1), (-1, -1), "CENTER"), ("BACKGROUND", (0, 1), (0, -1), HEAD_BG)]
        cmds += [("SPAN", (1, r), (k - 1, r)) for r in range(first_added, len(rows))]
        heights: list[float | None] = [None] * len(rows)
        heights[len(rows) - 2] = 12 * mm  # room to write the grade by hand
        t = Table(rows, colWidths=[width * f for f in fractions], rowHeights=heights, style=grid_style(st, *cmds))
    else:
        conclusion = "自查结论" if selfcheck else "考评结论"
        trows: list[list[Any]] = []
        if not blank:
            trows.append([st.p("系统核算", st.head), st.p(grade, st.cell_c)])
        trows += [[st.p(conclusion, st.head), ""], [st.p("说明", st.head), st.p(_pass_rule(rubric, res, blank), st.small)]]
        heights = [None] * len(trows)
        heights[len(trows) - 2] = 12 * mm
        t = Table(trows, colWidths=[width * 0.34, width * 0.66], rowHeights=heights,
                  style=grid_style(st, ("BACKGROUND", (0, 0), (0, -1), HEAD_BG), head_rows=0))
    heading = "综合得分与等次" if rubric.mode != "all_pass" else "考评结论"
    if selfcheck:
        heading = "自查得分" if rubric.mode != "all_pass" else "自查结论"
    return [st.p(f"{cn_index(n)}、{heading}", st.section), t]
