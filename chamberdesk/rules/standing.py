"""A chamber's standing and basic conditions (四有, 五有五好) from the rules engine, for badges and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from chamberdesk.core.assessments import counts_text
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.models import Assessment, Chamber
from chamberdesk.rules.engine import ItemResult, TargetResult, evaluate, evaluate_many
from chamberdesk.rules.loader import load_rubric
from chamberdesk.rules.schema import Rubric

DEFAULT_RUBRIC = "wuyou-wuhao"


def chamber_standing(session: Session, chamber_id: int, year: int, *, rubric_id: str = DEFAULT_RUBRIC,
                     as_of: date | None = None) -> str | None:
    """The latest finalised grade still in force; otherwise the year's live check against `rubric_id`."""
    rows = session.exec(select(Assessment).where(Assessment.chamber_id == chamber_id, Assessment.finalised == True,  # noqa: E712
                                                 Assessment.year <= year)
                        .order_by(col(Assessment.year).desc(), col(Assessment.id).desc())).all()
    for a in rows:
        if a.grade:
            try:
                title = load_rubric(a.rubric_id).title
            except ChamberDeskError:  # the rubric file may be gone: the stored grade still stands
                title = a.rubric_id
            return f"{a.year}年{title}：{a.grade}（已定稿）"
    try:
        rubric = load_rubric(rubric_id)
        res = evaluate(session, rubric, year, [chamber_id], as_of=as_of)[0]
    except ChamberDeskError:  # a broken user rubric, a year it does not cover, a chamber outside its kinds
        return None
    return f"{year}年{rubric.title}自动核对：{counts_text(res.counts)}（未定稿）"


# The basic conditions every chamber page and the dashboard judge by: rubric id → short name.
# 四有 covers only 乡镇/街道 chambers (its chamber_kinds); 五有五好 covers every chamber.
CONDITION_RUBRICS = {"siyou": "四有", "wuyou-wuhao": "五有五好"}


def condition_name(rubric_id: str) -> str:
    """The name in running text, always in quotes: 未达“四有”, 未达“五有五好”."""
    return f"“{CONDITION_RUBRICS.get(rubric_id, rubric_id)}”"


@dataclass
class ChamberConditions:
    """One chamber's results on the basic-condition rubrics for a year."""

    chamber_id: int
    name: str
    results: dict[str, TargetResult] = field(default_factory=dict)  # rubric id → result

    def failing(self) -> list[str]:
        """Rubric ids the chamber fails (an item 未达标, or vetoed); undecided items never count."""
        return [rid for rid, r in self.results.items() if r.passed is False]

    def failed_items(self, rubric_id: str) -> list[ItemResult]:
        return [i for i in self.results[rubric_id].items if i.status == "fail"]

    def details(self) -> list[str]:
        """One Chinese phrase per failed rubric, e.g. "“四有”：建立会议、财务、档案、活动制度"."""
        return [f"{condition_name(rid)}：" + "；".join(short_title(i.title) for i in self.failed_items(rid))
                for rid in self.failing()]


@dataclass
class ConditionReport:
    year: int
    chambers: dict[int, ChamberConditions]  # chamber id → conditions, only chambers some rubric covers
    titles: dict[str, str]  # rubric id → full title, for the rubrics that could be applied
    errors: list[str]  # a rubric that could not be loaded or applied, in Chinese

    def failing(self) -> list[ChamberConditions]:
        return [c for c in self.chambers.values() if c.failing()]


def short_title(title: str) -> str:
    """The item's name without its gloss: "有专人：有专职工作人员或专职秘书长" → "有专人"."""
    head, sep, _rest = title.partition("：")
    return head if sep and len(head) <= 12 else title


def chamber_conditions(session: Session, year: int, *, as_of: date | None = None,
                       rubric_ids: tuple[str, ...] = tuple(CONDITION_RUBRICS)) -> ConditionReport:
    """Every live active chamber against 四有 and 五有五好 in one pass (evaluate_many reads each table once).

    An unfinished year never fails an item that can still be met (the engine leaves it 年度未结束). A rubric
    that cannot be loaded or does not cover the year is reported in `errors`, not raised.
    """
    rubrics: list[Rubric] = []
    errors: list[str] = []
    for rid in rubric_ids:
        try:
            rubric = load_rubric(rid)
        except ChamberDeskError as exc:
            errors.append(str(exc))
            continue
        if rubric.applies_to_year(year):
            rubrics.append(rubric)
    report = ConditionReport(year, {}, {r.id: r.title for r in rubrics}, errors)
    if not rubrics:
        return report
    try:
        results = evaluate_many(session, rubrics, year, as_of=as_of)
    except ChamberDeskError as exc:
        report.errors.append(str(exc))
        return report
    for rubric in rubrics:
        for res in results[rubric.id]:
            assert res.chamber_id is not None
            c = report.chambers.get(res.chamber_id)
            if c is None:
                c = report.chambers[res.chamber_id] = ChamberConditions(res.chamber_id, res.target)
            c.results[rubric.id] = res
    return report


# the dashboard's words for a failed condition rubric
ISSUE_LABELS = {"siyou": "未达到“四有”", "wuyou-wuhao": "未达到五有五好"}


@dataclass
class ChamberIssue:
    """A chamber on the dashboard's list of chambers missing basic conditions."""

    chamber_id: int
    name: str
    kind: str
    issues: list[str]  # rubric ids the chamber fails (keys of ISSUE_LABELS)
    details: list[str]  # one Chinese phrase per failed rubric, e.g. "四有：建立会议、财务、档案、活动制度"
    explanations: list[str] = field(default_factory=list)  # the engine's words for every failed item


def chamber_issues(session: Session, year: int, today: date) -> tuple[list[ChamberIssue], list[str]]:
    """Chambers failing 四有 or 五有五好 in `year` (as judged on `today`), and the engine's errors."""
    report = chamber_conditions(session, year, as_of=today)
    kinds = dict(session.exec(select(Chamber.id, Chamber.kind).where(
        col(Chamber.id).in_([c.chamber_id for c in report.failing()]))).all())
    out = [ChamberIssue(c.chamber_id, c.name, kinds.get(c.chamber_id, ""), c.failing(), c.details(),
                        [i.explanation for rid in c.failing() for i in c.failed_items(rid)])
           for c in report.failing()]
    return out, report.errors
