"""年度考评 checklist: where each chamber's year-end assessment stands (000 附件1 三（一）), step by step —
自查表 printed, statistics received, inspection done, 民主评议 entered, 定稿 — and what is still missing, in
words. The 考评 page's 年终考评进度 tab, its workbook for the chair's meeting and `chamberdesk yearend
--checklist` all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from chamberdesk.core import yearend
from chamberdesk.core.dates import chinese_date
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.rules.democratic import democratic_item, describe, stored_tally, year_end_rubric
from chamberdesk.rules.schema import fmt_num

# the steps in the order the year-end runs (三（一）1—4), as the checklist's columns name them
STEPS = {"selfcheck": "自查表", "statistics": "统计表", "inspection": "实地考评", "democratic": "民主评议",
         "final": "定稿"}


@dataclass
class ChecklistRow:
    chamber_id: int
    chamber: str
    selfcheck_on: date | None = None
    statistics_on: date | None = None
    statistics_due: date | None = None
    statistics_files: list[str] = field(default_factory=list)
    inspected_on: date | None = None
    inspected_by: str | None = None
    inspection_notes: str | None = None
    democratic: float | None = None
    tally: str = ""  # the ballots in words, when entered as a tally
    score: float | None = None  # the combined score, once every item has its figure
    vetoed: bool = False
    state: str = "未保存"  # 未保存 / 草稿 / 已定稿
    finalised_on: date | None = None
    waiting: int = 0  # items still 待填写
    missing: list[str] = field(default_factory=list)

    @property
    def statistics_late(self) -> bool:
        return bool(self.statistics_on and self.statistics_due and self.statistics_on > self.statistics_due)

    def step_done(self, step: str) -> bool:
        return {"selfcheck": self.selfcheck_on is not None, "statistics": self.statistics_on is not None,
                "inspection": self.inspected_on is not None, "democratic": self.democratic is not None,
                "final": self.state == "已定稿"}[step]

    def step_text(self, step: str) -> str:
        """The cell of one step: its date (and who), the score, or 未… in words."""
        if step == "selfcheck":
            return f"{chinese_date(self.selfcheck_on)}打印" if self.selfcheck_on else "未打印"
        if step == "statistics":
            if self.statistics_on is None:
                return "未收到"
            return f"{chinese_date(self.statistics_on)}收到" + ("（逾期）" if self.statistics_late else "")
        if step == "inspection":
            return f"{chinese_date(self.inspected_on)}　{self.inspected_by or ''}".strip() if self.inspected_on else "未考评"
        if step == "democratic":
            return "未录入" if self.democratic is None else f"{fmt_num(self.democratic)}分"
        if self.state == "已定稿":
            return f"{chinese_date(self.finalised_on)}定稿" if self.finalised_on else "已定稿"
        return self.state

    @property
    def missing_text(self) -> str:
        return "；".join(self.missing) if self.missing else "已完成"


@dataclass
class Checklist:
    year: int
    rubric: Any
    rows: list[ChecklistRow]

    def done(self, step: str) -> int:
        return sum(1 for r in self.rows if r.step_done(step))

    def summary(self) -> str:
        """共12个商会：自查表已打印10个，统计表已收到11个，…"""
        done = {"selfcheck": "自查表已打印", "statistics": "统计表已收到", "inspection": "实地考评已完成",
                "democratic": "民主评议已录入", "final": "已定稿"}
        return f"共{len(self.rows)}个商会：" + "，".join(f"{words}{self.done(k)}个" for k, words in done.items())


def checklist_rubric(year: int, rubric_id: str | None = None) -> Any:
    """The rubric the year-end runs by: the one asked for, else the chamber rubric with a 民主评议 ballot."""
    from chamberdesk import rules

    rubric = rules.load_rubric(rubric_id) if rubric_id else year_end_rubric(year)
    if rubric is None:
        raise ChamberDeskError(f"没有适用于{year}年、带民主评议的商会考评细则：请用 --rubric 指定（如 tongzhou-kaoping）。")
    if rubric.target != "chamber":
        raise ChamberDeskError(f"“{rubric.title}”考评的是本级工商联，年终考评进度只列商会。")
    if not rubric.applies_to_year(year):
        raise ChamberDeskError(f"“{rubric.title}”适用于{rubric.years_label}，不适用于{year}年。")
    return rubric


def statistics_due_of(rubric: Any, year: int) -> date:
    """The statistics form's due day as the rubric's statistics item sets it (01-31 of the next year by default)."""
    item = next((it for it in rubric.items if it.metric == "statistics_received"), None)
    return yearend.statistics_due(year, str((item.params if item else {}).get("due", "01-31")))


def build_checklist(session: Session, year: int, rubric: Any | None = None, *, today: date | None = None) -> Checklist:
    """Each chamber the rubric assesses, with its steps; what is missing is said in words."""
    from chamberdesk.rules.assessments import current_results

    rubric = rubric or checklist_rubric(year)
    today = today or date.today()
    due = statistics_due_of(rubric, year)
    item = democratic_item(rubric)
    steps = yearend.for_year(session, year)
    rows = []
    for c in current_results(session, rubric, year):
        res = c.result
        assert res.chamber_id is not None  # a chamber rubric
        row = ChecklistRow(chamber_id=res.chamber_id, chamber=res.target, statistics_due=due)
        ye = steps.get(res.chamber_id)
        if ye is not None:
            row.selfcheck_on, row.statistics_on = ye.selfcheck_printed_on, ye.statistics_received_on
            row.inspected_on, row.inspected_by, row.inspection_notes = ye.inspected_on, ye.inspected_by, ye.inspection_notes
            row.statistics_files = [e.filename for e in yearend.statistics_files(session, ye)]
        if item is not None:
            dem = next((it for it in res.items if it.id == item.id), None)
            row.democratic = dem.value if dem is not None and dem.status != "needs_input" else None
            tally = stored_tally(c.saved and _inputs(c.saved).get(item.id))
            if tally is not None and row.democratic is not None:
                row.tally = describe(item.ballot, tally)
        row.score = res.score if res.complete else None
        row.vetoed = res.vetoed
        row.waiting = res.counts["needs_input"]
        if c.finalised:
            row.state = "已定稿"
            row.finalised_on = c.saved.finalised_at.date() if c.saved and c.saved.finalised_at else None
        elif c.saved is not None:
            row.state = "草稿"
        row.missing = _missing(row, today)
        rows.append(row)
    return Checklist(year, rubric, rows)


def _inputs(saved: Any) -> dict[str, Any]:
    from chamberdesk.core.assessments import stored_inputs

    try:
        got = stored_inputs(saved)
    except ValueError:
        return {}
    return got if isinstance(got, dict) else {}


def _missing(row: ChecklistRow, today: date) -> list[str]:
    out = []
    if row.selfcheck_on is None:
        out.append("自查表未打印")
    if row.statistics_on is None:
        due = chinese_date(row.statistics_due) if row.statistics_due else ""
        late = row.statistics_due is not None and today > row.statistics_due
        out.append(f"统计表{'逾期' if late else ''}未收到（报送期限{due}）")
    if row.inspected_on is None:
        out.append("未实地考评")
    if row.democratic is None:
        out.append("民主评议未录入")
    if row.state != "已定稿":
        out.append("未定稿" + (f"（尚有{row.waiting}项待填写）" if row.waiting else "（可以定稿）"))
    return out


__all__ = ["STEPS", "Checklist", "ChecklistRow", "build_checklist", "checklist_rubric", "statistics_due_of"]
