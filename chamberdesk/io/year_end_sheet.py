"""年终考评进度表: the year-end checklist as a workbook for the chair's meeting (三（一）4 考评结果经汇总后上报
主席、会长会研究) — A4 landscape, a title, the unit and 统计截至 line, one row per chamber, the 填表人/日期 line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from chamberdesk.core.dates import chinese_date
from chamberdesk.core.db import Database
from chamberdesk.core.federation import get_federation
from chamberdesk.io.workbook_style import FormWriter
from chamberdesk.rules.year_end import STEPS, Checklist, build_checklist

COLUMNS = ["序号", "商会名称", "自查表", "统计表", "实地考评", "考评人", "民主评议得分", "综合得分", "定稿", "尚缺事项"]
WIDTHS = [5, 22, 18, 22, 15, 9, 8, 8, 18, 40]


def checklist_title(cl: Checklist) -> str:
    return f"{cl.year}年度基层商会年终考评进度（{cl.rubric.title}）"


def write_checklist(cl: Checklist, out: Path | str, unit: str, *, today: date | None = None) -> int:
    """Write the checklist; returns the rows written (one per chamber)."""
    w = FormWriter(checklist_title(cl), COLUMNS, widths=WIDTHS, formats=["int", None, None, None, None, None,
                                                                          "float", "float"],
                   # the steps run into the next year: the progress is as of the day the table is made
                   unit_line=f"单位：{unit}　　统计截至{chinese_date(today or date.today())}　　{cl.summary()}",
                   sheet_name="年终考评进度", wrap=True)
    for i, r in enumerate(cl.rows, 1):
        inspected = r.step_text("inspection").split("　")[0] if r.inspected_on else "未考评"
        score = None if r.score is None else round(r.score, 2)
        w.row([i, r.chamber, r.step_text("selfcheck"), r.step_text("statistics"), inspected, r.inspected_by or "",
               r.democratic, score, r.step_text("final") + ("（一票否决）" if r.vetoed else ""), r.missing_text])
    w.note("说明：按考评意见三（一），年终考评依次为：自查表打印下发、统计表报送、驻会领导包片实地考评、会长述职与民主评议、"
           "汇总定稿后报主席、会长会研究。" + "、".join(STEPS.values()) + "各栏空缺之处即为尚需完成的事项。")
    w.signatures(w.spread(["填表人：", "审核人：", "日期：　　年　　月　　日"]))
    w.save(out)
    return len(cl.rows)


def export_checklist(db: Database, out: Path | str, year: int, rubric_id: str | None = None, *,
                     today: date | None = None) -> Checklist:
    """The checklist of `year` written to `out` (.xlsx); returns it (the caller reports the counts)."""
    from chamberdesk.rules.year_end import checklist_rubric

    rubric = checklist_rubric(year, rubric_id)
    with db.session() as s:
        cl = build_checklist(s, year, rubric, today=today)
        fed = get_federation(s)
        unit = fed.name if fed and fed.name else ""
    write_checklist(cl, out, unit, today=today)
    return cl


__all__ = ["COLUMNS", "checklist_title", "export_checklist", "write_checklist"]
