"""民主评议票: one sheet per voter at the presidents' 述职 meeting, listing the chambers to appraise with the
rubric's rating scale and how the ballots are counted (000 附件1 二（二）、三（一）3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table
from sqlmodel import Session

from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.federation import get_federation
from chamberdesk.io.pdf.layout import HEAD_BG, FormStart, Styles, fmt_num, grid_style

if TYPE_CHECKING:
    from chamberdesk.io.pdf.jobs import PrintRequest

EXTRA_COPIES = 5  # for the federation's 科室负责人 when the office has not recorded its staff


def default_copies(session: Session, chambers: int) -> int:
    """One ballot per member of the 考评委员会: each chamber's president plus the federation's 科室负责人
    (its recorded staff, else five)."""
    fed = get_federation(session)
    staff = fed.staff_count if fed and fed.staff_count else EXTRA_COPIES
    return chambers + staff


def weighting_text(rubric: Any, item: Any) -> str:
    """综合得分＝工作目标考评得分×80%＋民主评议得分×20% for a weighted rubric, else ''."""
    if rubric.mode != "weighted" or not rubric.parts:
        return ""
    from chamberdesk.rules.democratic import weight_of

    w = weight_of(rubric, item)
    formula = "＋".join(f"{p.title}得分×{fmt_num(p.weight * 100)}%" for p in rubric.parts)
    return f"民主评议得分按{fmt_num((w or 0) * 100)}%计入综合得分（综合得分＝{formula}）。"


def units(session: Session, req: PrintRequest, today: date) -> list[tuple[str, Callable[..., list[Flowable]]]]:
    from chamberdesk import rules
    from chamberdesk.rules.democratic import democratic_item, year_end_rubric

    year = int(req.year or today.year)
    rubric = rules.load_rubric(req.rubric_id) if req.rubric_id else year_end_rubric(year)
    if rubric is None:
        raise ChamberDeskError("没有带民主评议票的考评细则：请用 --rubric 指定（如 tongzhou-kaoping）。")
    item = democratic_item(rubric)
    if item is None:
        raise ChamberDeskError(f"考评细则“{rubric.title}”没有民主评议条目，不能打印评议票。"
                               "请选择带民主评议的细则（如 tongzhou-kaoping）。")
    targets = rules.resolve_targets(session, rubric, req.targets)
    if not targets:
        raise ChamberDeskError("没有需要评议的商会。")
    rows = [(t.name, (t.row.president_name or "") if t.row is not None else "") for t in targets]
    copies = int(req.extra.get("copies") or default_copies(session, len(targets)))
    if copies < 1:
        raise ChamberDeskError("评议票份数至少为 1。")
    fed = get_federation(session)
    unit = fed.name if fed and fed.name else ""
    return [(f"{year}年度民主评议票{n:03d}",
             lambda st, w, on, n=n: ballot_story(st, w, rubric, item, year, rows, n, copies, unit, on))
            for n in range(1, copies + 1)]


def ballot_story(st: Styles, width: float, rubric: Any, item: Any, year: int, rows: list[tuple[str, str]],
                 number: int, copies: int, unit: str, on_form: Callable[[], None] | None = None) -> list[Flowable]:
    ballot = item.ballot
    title = f"{year}年度商会工作民主评议票"
    if ballot.scale == "rating":
        marks = [f"{lv.label}\n{fmt_num(lv.points)}分" for lv in ballot.levels]
        head = ["序号", "商会名称", "会长", *marks]
        ask = "请根据各商会会长述职和本年度工作完成情况，在每个商会对应的等次下打“√”，每个商会只选一个等次。"
    else:
        head = ["序号", "商会名称", "会长", f"评分\n（0～{fmt_num(ballot.max_points)}分）", "备注"]
        ask = (f"请根据各商会会长述职和本年度工作完成情况，在“评分”栏为每个商会填写 0～{fmt_num(ballot.max_points)} "
               "之间的分数（百分制，可保留一位小数）。")
    table_rows: list[list[Any]] = [[st.ps(h, st.head) for h in head]]
    for i, (name, president) in enumerate(rows, 1):
        table_rows.append([str(i), st.p(name, st.cell), st.p(president, st.cell_c), *[""] * (len(head) - 3)])
    if ballot.scale == "rating":
        free = width - 11 * mm - 24 * mm
        name_w = max(free * 0.45, free - 18 * mm * len(ballot.levels))
        mark_w = (free - name_w) / len(ballot.levels)
        widths = [11 * mm, name_w, 24 * mm, *[mark_w] * len(ballot.levels)]
    else:
        widths = [11 * mm, 0, 24 * mm, 34 * mm, 30 * mm]
        widths[1] = width - sum(widths)
    table = Table(table_rows, colWidths=widths, repeatRows=1, rowHeights=[None] + [10 * mm] * len(rows),
                  style=grid_style(st, ("ALIGN", (0, 1), (0, -1), "CENTER")))
    counting = ballot.rule_text() + weighting_text(rubric, item)
    note = Table([[st.p("计票办法", st.head), st.p(counting, st.small)]], colWidths=[22 * mm, width - 22 * mm],
                 style=grid_style(st, ("BACKGROUND", (0, 0), (0, 0), HEAD_BG), head_rows=0))
    voter = st.p("评议人身份（请勾选）：□ 工商联科室负责人　□ 商会会长　　本票不记名，请勿署名，会后当场交回。", st.small)
    return [
        FormStart(f"ballot-{number}", title, on_form),
        st.p(title, st.title),
        st.p(f"{unit}　商会会长述职会议用　编号：{number:03d}／{copies:03d}", st.subtitle),
        Spacer(1, 3 * mm),
        st.p(ask, st.cell),  # the table style's line breaking: a comma never starts a line
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 4 * mm),
        KeepTogether([note, Spacer(1, 4 * mm), voter, Spacer(1, 6 * mm),
                      st.p("评议日期：　　　　年　　月　　日", st.right)]),
    ]
