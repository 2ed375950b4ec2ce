"""Assessments (考评) as stored: a rubric's result for one target and year, saved with the rubric text it used.

A draft keeps the clerk's inputs and the latest result; 定稿 (finalise) locks it: the stored result,
inputs and rubric snapshot no longer change, even when the rubric file is edited later. Evaluating
(assess, current_results, the stored result and rubric read back) needs the rules engine and lives in
chamberdesk.rules.assessments.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from chamberdesk.core.errors import ChamberDeskError, Conflict, NotFound
from chamberdesk.core.models import Assessment


def get_assessment(session: Session, rubric_id: str, year: int, chamber_id: int | None) -> Assessment | None:
    q = select(Assessment).where(Assessment.rubric_id == rubric_id, Assessment.year == year)
    q = q.where(col(Assessment.chamber_id).is_(None)) if chamber_id is None else q.where(Assessment.chamber_id == chamber_id)
    return session.exec(q.order_by(col(Assessment.id))).first()


def list_assessments(session: Session, *, rubric_id: str | None = None, year: int | None = None,
                     chamber_id: int | None = None, finalised: bool | None = None) -> list[Assessment]:
    q = select(Assessment)
    if rubric_id is not None:
        q = q.where(Assessment.rubric_id == rubric_id)
    if year is not None:
        q = q.where(Assessment.year == year)
    if chamber_id is not None:
        q = q.where(Assessment.chamber_id == chamber_id)
    if finalised is not None:
        q = q.where(Assessment.finalised == finalised)
    return list(session.exec(q.order_by(col(Assessment.year), col(Assessment.rubric_id), col(Assessment.chamber_id))))


def save_assessment(session: Session, rubric: Any, result: Any, inputs: dict[str, Any] | None = None, *,
                    assessor: str | None = None) -> Assessment:
    """Create or update the draft for (rubric, year, target) from a rules.TargetResult.

    Raises Conflict when that assessment is already finalised.
    """
    a = get_assessment(session, rubric.id, result.year, result.chamber_id)
    if a is not None and a.finalised:
        raise Conflict(f"“{result.target}”{result.year}年的“{rubric.title}”考评已定稿，不能修改。")
    if a is None:
        a = Assessment(rubric_id=rubric.id, rubric_version=rubric.version, year=result.year,
                       target_type=result.target_type, chamber_id=result.chamber_id)
    else:
        a.version += 1
    a.rubric_version = rubric.version
    a.rubric_snapshot = rubric.text
    a.inputs = json.dumps(inputs or {}, ensure_ascii=False, default=str)
    a.results = json.dumps(result.to_dict(), ensure_ascii=False, default=str)
    dem = next((it.value for it in result.items if it.id == "democratic" and it.kind == "scored"), None)
    a.democratic_score = dem
    a.vetoed = result.vetoed
    a.total = result.score
    a.grade = result.grade
    a.passed = result.passed
    a.assessor = assessor or session.info.get("user") or a.assessor
    a.assessed_on = date.today()
    session.add(a)
    session.flush()
    return a


def finalise_assessment(session: Session, assessment_id: int, *, assessor: str | None = None) -> Assessment:
    """定稿: lock the assessment. Every item must have its figure (no 待填写) first."""
    a = session.get(Assessment, assessment_id)
    if a is None:
        raise NotFound(f"找不到该考评（编号 {assessment_id}）")
    if a.finalised:
        raise Conflict("该考评已定稿。")
    res = json.loads(a.results or "{}")
    refusal = finalise_refusal(res.get("items", []), a.year)
    if refusal:
        raise ChamberDeskError(refusal)
    a.finalised = True
    a.finalised_at = datetime.now().replace(microsecond=0)
    if assessor:
        a.assessor = assessor
    a.version += 1
    session.add(a)
    session.flush()
    return a


def stored_inputs(a: Assessment) -> dict[str, Any]:
    return json.loads(a.inputs or "{}")


# The words of every view (考评 page, 考评表, export, check) for an item's status and a whole verdict.
# YEAR_OPEN: an automatic item of the year still running that only the year's end can settle (a count
# not yet reached, a quarter still to come); NEEDS_INPUT is what the clerk must enter.
NEEDS_INPUT, YEAR_OPEN = "needs_input", "year_not_over"
STATUS_LABELS = {"pass": "达标", "fail": "未达标", NEEDS_INPUT: "待填写", YEAR_OPEN: "年度未结束",
                 "not_applicable": "不适用"}
VERDICT_LABELS = {True: "通过", False: "未通过", None: "尚待填写"}
PROVISIONAL = "暂定"


def verdict_label(passed: bool | None, year_open: bool = False) -> str:
    """通过／未通过／尚待填写; 年度未结束 when only items the year's end settles keep it open."""
    if passed is None and year_open:
        return STATUS_LABELS[YEAR_OPEN]
    return VERDICT_LABELS[passed]


def provisional_label(grade: str) -> str:
    """A grade reached by the figures so far of a year still running: 良好（暂定）."""
    return f"{grade}（{PROVISIONAL}）"


def counts_text(counts: dict[str, int], *, with_na: bool = False) -> str:
    """达标9项、未达标1项、待填写0项 (then 年度未结束2项 and 不适用 when there are any, or with_na)."""
    keys = ["pass", "fail", NEEDS_INPUT] + [YEAR_OPEN] * bool(counts.get(YEAR_OPEN)) + \
        ["not_applicable"] * (with_na or bool(counts.get("not_applicable")))
    return "、".join(f"{STATUS_LABELS[k]}{counts.get(k, 0)}项" for k in keys)


def finalise_refusal(items: list[dict[str, Any]], year: int) -> str:
    """Why an assessment cannot be finalised yet, in one line; "" when it can.

    Items still to enter block it, and so do items only the year's end settles: 定稿 locks the result
    for good, and a year still running would be locked with figures that may yet change.
    """
    waiting = [it["title"] for it in items if it.get("status") == NEEDS_INPUT]
    if waiting:
        return f"尚有{len(waiting)}项待填写（如“{waiting[0]}”），填写后才能定稿。"
    open_ = [it["title"] for it in items if it.get("status") == YEAR_OPEN]
    if open_:
        return (f"{year}年尚未结束，{len(open_)}项须到年底才能判定（如“{open_[0]}”），请于{year + 1}年1月1日后定稿；"
                "需要提前报送的，可先保存草稿并打印考评表（结果注明“暂定”）。")
    return ""
