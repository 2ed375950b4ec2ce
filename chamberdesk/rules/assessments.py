"""Assessments evaluated: a target's result as every view shows it, read back or recomputed.

Storage (get, list, save a draft, finalise) is chamberdesk.core.assessments; this module adds what
needs the rules engine: the one rule for what an assessment shows (current_results), evaluating and
saving one target (assess), and a saved result and rubric snapshot read back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from chamberdesk.core.assessments import list_assessments, save_assessment, stored_inputs
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.models import Assessment
from chamberdesk.rules.engine import (
    FEDERATION_KEYS,
    TargetResult,
    evaluate,
    normalise_inputs,
    resolve_targets,
)
from chamberdesk.rules.loader import parse_rubric
from chamberdesk.rules.schema import Rubric


def stored_result(a: Assessment) -> TargetResult:
    """The result as saved, not recomputed."""
    return TargetResult.from_dict(json.loads(a.results))


def _draft_inputs(a: Assessment | None) -> dict[str, Any]:
    if a is None:
        return {}
    try:
        got = stored_inputs(a)
    except ValueError:
        return {}
    return got if isinstance(got, dict) else {}


@dataclass
class Current:
    """One target's assessment as every view shows it (see current_results)."""

    result: TargetResult
    saved: Assessment | None
    rubric: Rubric  # the rubric the result was made with: the snapshot when finalised

    @property
    def finalised(self) -> bool:
        return bool(self.saved is not None and self.saved.finalised)


def current_results(session: Session, rubric: Rubric, year: int, targets: list[Any] | None = None,
                    inputs: dict[str, Any] | None = None, *, as_of: date | None = None,
                    unsaved: dict[int | None, dict[str, Any]] | None = None) -> list[Current]:
    """The one rule for what an assessment shows, used by the 考评 page, the 考评表, `check` and the export:
    a finalised (定稿) assessment shows its stored result; any other target is evaluated with its saved
    draft inputs.

    `inputs` (keyed like rules.evaluate's: target name, chamber id, 本级工商联 or "*") is laid over the
    draft item by item; `unsaved` (target key → inputs) stands in place of a target's draft, as the
    page's edits not yet saved do. Neither changes a finalised result.
    """
    tlist = resolve_targets(session, rubric, targets)
    saved: dict[int | None, Assessment] = {}
    for a in sorted(list_assessments(session, rubric_id=rubric.id, year=year), key=lambda a: a.id or 0):
        saved.setdefault(a.chamber_id, a)  # the first, as get_assessment reads it
    finalised: dict[int | None, Current] = {}
    for t in tlist:
        record = saved.get(t.key)
        try:
            kept = stored_result(record) if record is not None and record.finalised else None
        except (ValueError, TypeError):
            kept = None  # a finalised record without a readable result: its saved inputs still count
        if kept is None or record is None:
            continue
        try:
            made_with = rubric_of(record) if record.rubric_snapshot else rubric
        except ChamberDeskError:
            made_with = rubric  # a snapshot the loader no longer reads: the stored result still stands
        finalised[t.key] = Current(kept, record, made_with)
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


def rubric_of(a: Assessment) -> Rubric:
    """The rubric exactly as it was when the assessment was saved (from the snapshot)."""
    return parse_rubric(a.rubric_snapshot, f"{a.rubric_id}.toml（{a.rubric_version}版快照）")


def assess(session: Session, rubric: Rubric, year: int, target: int | str | None,
           inputs: dict[str, Any] | None = None, *, as_of: date | None = None,
           save: bool = True) -> tuple[TargetResult, Assessment | None]:
    """Evaluate one target (chamber id or name; None for the federation) with its own inputs, and save a draft."""
    targets = None if target is None else [target]
    res = evaluate(session, rubric, year, targets, {"*": inputs or {}}, as_of=as_of)[0]
    a = save_assessment(session, rubric, res, inputs) if save else None
    return res, a


__all__ = ["Current", "assess", "current_results", "rubric_of", "stored_result"]
