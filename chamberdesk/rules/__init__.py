"""The rulebook: standards as versioned rubric files, evaluated against the ledger and explained.

Public API (stable; the print forms, dashboard and chamber pages build on it):

    from chamberdesk import rules

    rules.list_rubrics() -> list[Rubric]          # shipped rubric_data/*.toml + the user's folder (user wins)
    rules.load_rubric("wuyou-wuhao") -> Rubric     # raises NotFound / RubricError (file, line, field in Chinese)
    rules.parse_rubric(text, filename) -> Rubric   # e.g. an assessment's stored snapshot
    rules.evaluate(session, rubric, year, targets=None, inputs=None, *, as_of=None) -> list[TargetResult]
    rules.evaluate_many(session, rubrics, year, targets=None, inputs=None, *, as_of=None)
        -> {rubric id: list[TargetResult]}   # several rubrics, each table read once for all

`targets`: None = every live, active chamber of the rubric's kinds (or the federation for a
federation rubric); else chamber ids or names. `inputs`: the clerk's attested values and the
assessors' scores, keyed by target name (or chamber id; "本级工商联" for the federation; "*" for all)
then item id; a value is plain (true / 12 / "2024-03-31") or a table
{value, evidence: [file names], note, not_applicable, override}. An automatic item's figure is replaced by
the value only with `override` = the reason (the explanation shows both); a figure-less one takes a plain value.

Rubric: id, title, version, year_from, year_to, target ("chamber" | "federation"), chamber_kinds,
groups[].items[], mode ("all_pass" | "points" | "weighted"), parts, bands (best first), vetoes,
prerequisites, validity_years, source, template, text (the file as read), user (from the user folder).
Item: id, title (rule_text() fills {threshold}), kind ("automatic" | "attested" | "scored"), group,
metric, params, value_type ("bool" | "number" | "date"), op, threshold, points, max_points,
evidence_required, chamber_kinds, source (seed file and clause), guide.

TargetResult: rubric_id, rubric_version, year, target_type, chamber_id (None = federation),
target (name), items: list[ItemResult], score, max_score, parts {part id: score}, grade, vetoed,
veto_reasons, passed (True / False / None = not decidable yet), complete (nothing left to enter),
year_open (some items wait for the year's end), provisional_grade (the grade the score so far reaches
while year_open; grade stays None), valid_until, notes, warnings (beside the verdict, e.g. a 撤销 warning; from the figures); verdict() and grade_text() the words every view
shows (年度未结束, 良好（暂定）); summary() one Chinese line; to_public() the CLI JSON shape; to_dict()/from_dict().
ItemResult: id, title, group, group_title, kind, status ("pass" | "fail" | "needs_input" |
"year_not_over" | "not_applicable"; status_label gives 达标/未达标/待填写/年度未结束/不适用, the words
of chamberdesk.core.assessments.STATUS_LABELS), value, threshold, op, points, max_points, explanation
(Chinese: rule, figure, threshold, the records behind it), source, records [{table, id, date?, label}],
evidence [file names], evidence_required, from_input, progress (year_not_over: 已发展3家，还需2家).
year_not_over: the year still runs, the item is not met yet and the rest of the year may still meet it
(a count below its threshold, a quarter not over); met early is pass, a finished quarter short is fail.

Assessments: storing, saving a draft and finalising are chamberdesk.core.assessments; what an assessment
shows (rules.current_results: finalised as stored, the rest live), rules.assess (evaluate and save one
target), rules.stored_result and rules.rubric_of (the snapshot) are chamberdesk.rules.assessments. The office's own
rubrics: rules.copy_rubric(source_id, new_id, new_title, changes) writes a validated copy into
chamberdesk.paths.user_rubric_dir(). rules.chamber_standing(session, chamber_id, year) gives one
Chinese line (latest finalised grade, else the live 五有五好 check). rules.chamber_conditions(session,
year) -> ConditionReport: every chamber against 四有 / 五有五好 at once — the one source for the
chamber badges, the chamber pane and the dashboard's "chambers missing conditions"
(rules.chamber_issues(session, year, today)). No figure, no pass: an item without its figure is needs_input.
"""

from __future__ import annotations

from chamberdesk.rules.assessments import Current, assess, current_results, rubric_of, stored_result
from chamberdesk.rules.engine import (
    STATUS_LABELS,
    ItemResult,
    TargetResult,
    evaluate,
    evaluate_many,
    normalise_inputs,
    resolve_targets,
    show_value,
)
from chamberdesk.rules.loader import (
    EDITABLE,
    copy_rubric,
    dump_toml,
    list_rubrics,
    load_file,
    load_rubric,
    parse_rubric,
    rubric_files,
    save_user_rubric,
)
from chamberdesk.rules.metrics import METRICS, Target
from chamberdesk.rules.schema import KIND_LABELS, TARGET_LABELS, Item, Rubric, RubricError
from chamberdesk.rules.standing import (
    CONDITION_RUBRICS,
    ISSUE_LABELS,
    ChamberConditions,
    ChamberIssue,
    ConditionReport,
    chamber_conditions,
    chamber_issues,
    chamber_standing,
    condition_name,
)

__all__ = [
    "CONDITION_RUBRICS", "condition_name", "ISSUE_LABELS", "ChamberConditions", "ChamberIssue", "ConditionReport", "Current",
    "EDITABLE", "KIND_LABELS", "METRICS", "STATUS_LABELS", "TARGET_LABELS", "Item", "ItemResult", "Rubric",
    "RubricError", "Target", "TargetResult", "assess", "chamber_conditions", "chamber_issues", "chamber_standing", "copy_rubric", "current_results", "dump_toml", "evaluate", "evaluate_many", "list_rubrics", "load_file",
    "load_rubric", "normalise_inputs", "parse_rubric", "resolve_targets", "rubric_files", "rubric_of",
    "save_user_rubric", "show_value", "stored_result",
]
