"""Assessments (考评): a rubric's result for one target and year, saved with the rubric text it used.

A draft keeps the clerk's inputs and the latest result; 定稿 (finalise) locks it: the stored result,
inputs and rubric snapshot no longer change, even when the rubric file is edited later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from chamberdesk.core.errors import ChamberDeskError, Conflict, NotFound
from chamberdesk.core.models import Assessment


def get_assessment(session: Session, rubric_id: str, year: int, chamber_id: int | None) -> Assessment | None:
    q = select(Assessment).where(Assessment.rubric_id == rubric_id, Assessment.year == year)
    q = q.where(col(Assessment.chamber_id).is_(None)) if chamber_id is None else q.where(Assessment.chamber_id == chamber_id)
    return session.exec(q.order_by(Assessment.id)).first()


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
    return list(session.exec(q.order_by(Assessment.year, Assessment.rubric_id, Assessment.chamber_id)))


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
    waiting = [it["title"] for it in res.get("items", []) if it.get("status") == "needs_input"]
    if waiting:
        raise ChamberDeskError(f"尚有{len(waiting)}项待填写（如“{waiting[0]}”），填写后才能定稿。")
    a.finalised = True
    a.finalised_at = datetime.now().replace(microsecond=0)
    if assessor:
        a.assessor = assessor
    a.version += 1
    session.add(a)
    session.flush()
    return a


def stored_result(a: Assessment) -> Any:
    """The result as saved (a rules.TargetResult), not recomputed."""
    from chamberdesk.rules.engine import TargetResult

    return TargetResult.from_dict(json.loads(a.results))


def stored_inputs(a: Assessment) -> dict[str, Any]:
    return json.loads(a.inputs or "{}")


def _draft_inputs(a: Assessment | None) -> dict[str, Any]:
    if a is None:
        return {}
    try:
        got = stored_inputs(a)
    except ValueError:
        return {}
    return got if isinstance(got, dict) else {}


# the verdict of a whole assessment, in every view (page, 考评表, export, check)
VERDICT_LABELS = {True: "通过", False: "未通过", None: "尚待填写"}


def verdict_label(passed: bool | None) -> str:
    return VERDICT_LABELS[passed]


@dataclass
class Current:
    """One target's assessment as every view shows it (see current_results)."""

    result: Any  # rules.TargetResult
    saved: Assessment | None
    rubric: Any  # the rubric the result was made with: the snapshot when finalised

    @property
    def finalised(self) -> bool:
        return bool(self.saved is not None and self.saved.finalised)


def current_results(session: Session, rubric: Any, year: int, targets: list[Any] | None = None,
                    inputs: dict[str, Any] | None = None, *, as_of: date | None = None,
                    unsaved: dict[int | None, dict[str, Any]] | None = None) -> list[Current]:
    """The one rule for what an assessment shows, used by the 考评 page, the 考评表, `check` and the export:
    a finalised (定稿) assessment shows its stored result; any other target is evaluated with its saved
    draft inputs.

    `inputs` (keyed like rules.evaluate's: target name, chamber id, 本级工商联 or "*") is laid over the
    draft item by item; `unsaved` (target key → inputs) stands in place of a target's draft, as the
    page's edits not yet saved do. Neither changes a finalised result.
    """
    from chamberdesk.rules.engine import FEDERATION_KEYS, evaluate, normalise_inputs, resolve_targets

    tlist = resolve_targets(session, rubric, targets)
    saved: dict[int | None, Assessment] = {}
    for a in sorted(list_assessments(session, rubric_id=rubric.id, year=year), key=lambda a: a.id or 0):
        saved.setdefault(a.chamber_id, a)  # the first, as get_assessment reads it
    finalised: dict[int | None, Current] = {}
    for t in tlist:
        a = saved.get(t.key)
        try:
            kept = stored_result(a) if a is not None and a.finalised else None
        except (ValueError, TypeError):
            kept = None  # a finalised record without a readable result: its saved inputs still count
        if kept is None:
            continue
        try:
            made_with = rubric_of(a) if a.rubric_snapshot else rubric
        except ChamberDeskError:
            made_with = rubric  # a snapshot the loader no longer reads: the stored result still stands
        finalised[t.key] = Current(kept, a, made_with)
    # only what is not finalised is evaluated: the metrics run over the whole ledger
    open_targets = [t for t in tlist if t.key not in finalised]
    given = normalise_inputs(inputs, open_targets)
    raw: dict[Any, dict[str, Any]] = {}
    for t in open_targets:
        mine = dict(unsaved[t.key]) if unsaved is not None and t.key in unsaved else _draft_inputs(saved.get(t.key))
        mine.update(given.get(t.key, {}))
        if mine:
            raw[FEDERATION_KEYS[0] if t.key is None else t.key] = mine
    live = {r.chamber_id: r for r in evaluate(session, rubric, year, open_targets, raw or None, as_of=as_of)} \
        if open_targets else {}
    return [finalised[t.key] if t.key in finalised else Current(live[t.key], saved.get(t.key), rubric)
            for t in tlist]


def rubric_of(a: Assessment) -> Any:
    """The rubric exactly as it was when the assessment was saved (from the snapshot)."""
    from chamberdesk.rules.loader import parse_rubric

    r = parse_rubric(a.rubric_snapshot, f"{a.rubric_id}.toml（{a.rubric_version}版快照）")
    return r


def assess(session: Session, rubric: Any, year: int, target: int | str | None, inputs: dict[str, Any] | None = None,
           *, as_of: date | None = None, save: bool = True) -> tuple[Any, Assessment | None]:
    """Evaluate one target (chamber id or name; None for the federation) with its own inputs, and save a draft."""
    from chamberdesk.rules.engine import evaluate

    targets = None if target is None else [target]
    res = evaluate(session, rubric, year, targets, {"*": inputs or {}}, as_of=as_of)[0]
    a = save_assessment(session, rubric, res, inputs) if save else None
    return res, a
