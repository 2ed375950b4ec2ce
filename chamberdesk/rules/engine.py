"""Applies a rubric to targets for a year: item statuses, points, vetoes, grades, prerequisites, words."""

from __future__ import annotations

import functools
import json
import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from chamberdesk.core.assessments import (
    NEEDS_INPUT,
    STATUS_LABELS,
    YEAR_OPEN,
    counts_text,
    provisional_label,
    verdict_label,
)
from chamberdesk.core.choices import ChamberKind, ChamberStatus
from chamberdesk.core.dates import chinese_date
from chamberdesk.core.errors import ChamberDeskError, NotFound
from chamberdesk.core.models import Assessment, Chamber, Evidence, EvidenceLink, Federation
from chamberdesk.rules.metrics import METRICS, Ctx, Figure, Target, pct
from chamberdesk.rules.schema import Item, Rubric, RubricError, fmt_num

FEDERATION_KEYS = ("本级工商联", "federation", "工商联")
OP_WORDS = {">=": "不少于", ">": "超过", "<=": "不超过", "<": "少于", "==": "为", "!=": "不为"}


@dataclass
class ItemResult:
    id: str
    title: str
    group: str
    group_title: str
    kind: str
    status: str  # pass | fail | needs_input | year_not_over | not_applicable
    value: Any
    threshold: Any
    op: str
    points: float
    max_points: float
    explanation: str
    source: str
    records: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    evidence_required: bool = False
    from_input: bool = False  # the figure was entered by the clerk, not read from the ledger
    ratio: bool = False
    unit: str = ""
    value_words: str = ""  # the figure in words where a bare number misleads (the weakest quarter, each quarter)
    progress: str = ""  # year_not_over: the figure so far and what is still needed (已发展3家，还需2家)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def value_text(self) -> str:
        return show_value(self.value, self.ratio, self.unit)

    def threshold_text(self) -> str:
        """The standard as a clerk says it (不少于2次, 须有, 100%); "" for a yes/no item, whose rule says it."""
        if self.kind == "scored":
            return f"满分{fmt_num(self.max_points)}"
        return threshold_words(self.op, self.threshold, self.ratio, self.unit)


@dataclass
class TargetResult:
    rubric_id: str
    rubric_version: str
    year: int
    target_type: str
    chamber_id: int | None
    target: str
    items: list[ItemResult]
    score: float | None = None
    max_score: float | None = None
    parts: dict[str, float] = field(default_factory=dict)
    grade: str | None = None
    vetoed: bool = False
    veto_reasons: list[str] = field(default_factory=list)
    passed: bool | None = None
    complete: bool = True
    valid_until: int | None = None
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # beside the verdict, never changing it (a 撤销 warning)
    # some items wait for the year's end: score and provisional_grade are the figures so far (暂定)
    year_open: bool = False
    provisional_grade: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUS_LABELS, 0)
        for it in self.items:
            out[it.status] += 1
        return out

    def item(self, item_id: str) -> ItemResult:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def summary(self) -> str:
        """One Chinese line: the verdict, score and grade."""
        bits = []
        if self.score is not None:
            bits.append(f"得分{fmt_num(round(self.score, 2))}")
        if self.vetoed:
            bits.append("一票否决：" + "；".join(self.veto_reasons))
        if self.grade:
            bits.append(self.grade)
        if self.provisional_grade:
            bits.append(provisional_label(self.provisional_grade))
        bits.append(counts_text(self.counts))
        return f"{self.target}：{self.verdict()}（{'，'.join(bits)}）" + "".join(f"；{w}" for w in self.warnings)

    def verdict(self) -> str:
        """通过／未通过／尚待填写, or 年度未结束 while only the year's end can settle it."""
        # what the clerk must still enter comes first: 尚待填写 says what to do, 年度未结束 only when to wait
        return verdict_label(self.passed, self.year_open and self.complete)

    def grade_text(self) -> str:
        """The grade, or the one the figures so far reach marked 暂定; "" for none."""
        if self.grade:
            return self.grade
        return provisional_label(self.provisional_grade) if self.provisional_grade else ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_public(self) -> dict[str, Any]:
        """The shape `chamberdesk check --json` prints for one target."""
        return {"target": self.target, "passed": self.passed,
                "score": None if self.score is None else round(self.score, 2), "grade": self.grade,
                "vetoed": self.vetoed, "veto_reasons": self.veto_reasons, "warnings": self.warnings,
                "year_open": self.year_open, "provisional_grade": self.provisional_grade,
                "items": [{"id": it.id, "title": it.title, "status": it.status, "value": json_value(it.value),
                           "threshold": json_value(it.threshold), "explanation": it.explanation,
                           "from_input": it.from_input, "progress": it.progress,
                           # what the figure rests on: ledger records (each absence's date, a received date) and files
                           "records": [{k: json_value(v) for k, v in rec.items()} for rec in it.records],
                           "evidence": it.evidence}
                          for it in self.items]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TargetResult:
        d = dict(d)
        d["items"] = [ItemResult(**it) for it in d.get("items", [])]
        return cls(**d)


def json_value(v: Any) -> Any:
    if isinstance(v, float):
        return round(v, 6)
    if isinstance(v, date):
        return v.isoformat()
    return v


def show_value(v: Any, ratio: bool = False, unit: str = "") -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, date):
        return chinese_date(v)  # 2023年6月1日, as on every form
    if isinstance(v, int | float):
        if ratio:
            return pct(v)
        if unit.endswith("元"):  # amounts as the ledgers' own texts write them: 30,000元
            return f"{round(float(v), 2):,}".removesuffix(".0") + unit
        return fmt_num(round(float(v), 2)) + unit
    return str(v)


# --- inputs --------------------------------------------------------------------------------------------


def normalise_inputs(raw: dict[str, Any] | None, targets: list[Target]) -> dict[int | None, dict[str, Any]]:
    """Inputs keyed by target name (or chamber id, or 本级工商联) → keyed by target key.

    An entry "*" applies to every target (an item's value for all); a target's own entry wins.
    """
    if not raw:
        return {}
    by_name = {t.name: t.key for t in targets}
    fed = [t for t in targets if t.key is None]
    out: dict[int | None, dict[str, Any]] = {}
    common = raw.get("*", {}) or {}
    for t in targets:
        out[t.key] = dict(common)
    for k, v in raw.items():
        if k == "*":
            continue
        if not isinstance(v, dict):
            raise ChamberDeskError(f"填报数据中“{k}”应为按条目编号填写的表")
        if k in by_name:
            key = by_name[k]
        elif str(k) in FEDERATION_KEYS and fed:
            key = None
        elif str(k).isdigit() and int(k) in by_name.values():
            key = int(k)
        else:
            continue  # a target not assessed this time
        out.setdefault(key, {}).update(v)
    return out


def _unpack(raw: Any) -> tuple[Any, list[str], bool, str]:
    """(value, evidence names, not applicable, note) from a plain value or a table."""
    if isinstance(raw, dict):
        na = bool(raw.get("not_applicable"))
        ev = raw.get("evidence") or []
        return raw.get("value"), [str(e) for e in (ev if isinstance(ev, list) else [ev])], na, str(raw.get("note") or "")
    if isinstance(raw, str) and raw.strip() in ("不适用", "n/a", "N/A"):
        return None, [], True, ""
    return raw, [], False, ""


def _coerce(item: Item, value: Any, year: int) -> Any:
    """The clerk's value as the item's type; ChamberDeskError naming the item when it cannot be."""
    if value is None or value == "":
        return None
    vt = "number" if item.kind == "scored" else item.value_type
    bad = ChamberDeskError(f"条目“{item.rule_text()}”（{item.id}）的填报值“{value}”无效，应为"
                           + {"bool": "是/否", "number": "数字", "date": "日期（如 2024-03-31）"}[vt])
    if vt == "bool":
        if isinstance(value, bool):
            return value
        s = str(value).strip().lower()
        if s in ("是", "有", "true", "yes", "1", "√", "y"):
            return True
        if s in ("否", "无", "false", "no", "0", "×", "n"):
            return False
        raise bad
    if vt == "number":
        if isinstance(value, bool):
            raise bad
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise bad from None
        if math.isnan(v) or math.isinf(v):
            raise bad
        if item.kind == "scored" and not (0 <= v <= item.max_points):
            raise ChamberDeskError(f"条目“{item.rule_text()}”（{item.id}）的评分 {fmt_num(v)} 超出范围 0～"
                                   f"{fmt_num(item.max_points)}")
        return v
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise bad from None


def compare(value: Any, op: str, threshold: Any) -> bool:
    if isinstance(value, float) or isinstance(threshold, float):
        # figures like 1055/1000 - 1 land a hair below 0.055: compare at nine decimals
        value, threshold = round(float(value), 9), round(float(threshold), 9)
    return {">=": value >= threshold, ">": value > threshold, "<=": value <= threshold, "<": value < threshold,
            "==": value == threshold, "!=": value != threshold}[op]


# --- targets, evidence and history ------------------------------------------------------------------------


def resolve_targets(session: Session, rubric: Rubric, targets: list[Any] | None = None) -> list[Target]:
    """The rubric's targets: all live chambers (of its kinds) by default, or those named or numbered."""
    if rubric.target == "federation":
        fed = session.exec(select(Federation).where(col(Federation.deleted_at).is_(None)).order_by(col(Federation.id))).first()
        return [Target(None, fed.name if fed and fed.name else "本级工商联", "", fed)]
    q = select(Chamber).where(col(Chamber.deleted_at).is_(None))
    if targets and all(isinstance(t, int) for t in targets):
        # ids in one query: a batch of hundreds of chambers should not cost a query each
        found = {c.id: c for c in session.exec(q.where(col(Chamber.id).in_(targets)))}
        missing = [t for t in targets if t not in found]
        if missing:
            raise NotFound(f"找不到商会（编号 {missing[0]}）")
        rows = [found[t] for t in targets]
    elif targets:
        wanted: list[Chamber] = []
        for t in targets:
            if isinstance(t, Target):
                wanted.append(t.row)
                continue
            ch = session.get(Chamber, t) if isinstance(t, int) else session.exec(q.where(Chamber.name == str(t).strip())).first()
            if ch is None or ch.deleted_at is not None:
                raise NotFound(f"找不到商会“{t}”")
            wanted.append(ch)
        rows = wanted
    else:
        rows = list(session.exec(q.where(Chamber.status == ChamberStatus.ACTIVE.value).order_by(Chamber.kind, Chamber.name)))
        if rubric.chamber_kinds:
            rows = [r for r in rows if r.kind in rubric.chamber_kinds]
    if targets and rubric.chamber_kinds:
        # a chamber the standard does not cover has no verdict; "passed" would be a false claim
        for r in rows:
            if r.kind not in rubric.chamber_kinds:
                kinds = "、".join(ChamberKind(k).label for k in rubric.chamber_kinds)
                kind = ChamberKind.parse(r.kind)
                raise ChamberDeskError(f"{rubric.title}只适用于{kinds}，“{r.name}”是{kind.label if kind else r.kind}，不在其列")
    return [Target(r.id, r.name, r.kind, r) for r in rows]


def evidence_for(session: Session, rubric_id: str, targets: list[Target]) -> dict[tuple[int | None, str], list[str]]:
    """(target key, item id) → file names linked to `rubric:item` on the chamber or federation record."""
    rows = session.exec(
        select(EvidenceLink.record_type, EvidenceLink.record_id, EvidenceLink.rubric_item, Evidence.filename)
        .join(Evidence, col(Evidence.id) == EvidenceLink.evidence_id)
        .where(col(EvidenceLink.rubric_item).like(f"{rubric_id}:%"),
               col(EvidenceLink.record_type).in_(["chamber", "federation"]))).all()
    keys = {t.key for t in targets}
    out: dict[tuple[int | None, str], list[str]] = {}
    for rtype, rid, ritem, fname in rows:
        key = None if rtype == "federation" else rid
        if key in keys and ritem:
            out.setdefault((key, ritem.split(":", 1)[1]), []).append(fname)
    return out


def finalised_history(session: Session, rubric_id: str, targets: list[Target], before: int) -> dict[int | None, dict[int, str | None]]:
    """Target key → {year: grade} of finalised assessments of this rubric before the year."""
    rows = session.exec(select(Assessment.chamber_id, Assessment.year, Assessment.grade)
                        .where(Assessment.rubric_id == rubric_id, Assessment.finalised == True,  # noqa: E712
                               Assessment.year < before)).all()
    keys = {t.key for t in targets}
    out: dict[int | None, dict[int, str | None]] = {}
    for cid, y, g in rows:
        if cid in keys:
            out.setdefault(cid, {})[y] = g
    return out


# --- evaluation -----------------------------------------------------------------------------------------------


def evaluate(session: Session, rubric: Rubric, year: int, targets: list[Any] | None = None,
             inputs: dict[str, Any] | None = None, *, as_of: date | None = None,
             history: dict[int | None, dict[int, str | None]] | None = None) -> list[TargetResult]:
    """Apply the rubric to its targets for `year`. See the package docstring for the contract."""
    return evaluate_many(session, [rubric], year, targets, inputs, as_of=as_of,
                         history={rubric.id: history} if history is not None else None)[rubric.id]


def evaluate_many(session: Session, rubrics: list[Rubric], year: int, targets: list[Any] | None = None,
                  inputs: dict[str, Any] | None = None, *, as_of: date | None = None,
                  history: dict[str, dict[int | None, dict[int, str | None]]] | None = None) -> dict[str, list[TargetResult]]:
    """Several rubrics at once (rubric id → results): each table is read once for all of them."""
    for rubric in rubrics:
        if not rubric.applies_to_year(year):
            raise ChamberDeskError(f"“{rubric.title}”（版本 {rubric.version}）适用于{rubric.years_label}，不适用于{year}年")
    per_rubric = {r.id: resolve_targets(session, r, targets) for r in rubrics}
    union: dict[int | None, Target] = {}
    for tl in per_rubric.values():
        for t in tl:
            union.setdefault(t.key, t)
    all_targets = list(union.values())
    norm = normalise_inputs(inputs, all_targets)
    # one context per kind of target, so chamber rubrics never pay for federation figures and back
    ctxs = {kind: Ctx(session=session, year=year, as_of=as_of or date.today(),
                      targets=[t for t in all_targets if t.target_type == kind], inputs=norm)
            for kind in ("chamber", "federation")}
    out: dict[str, list[TargetResult]] = {}
    for rubric in rubrics:
        ctx = ctxs[rubric.target]
        figures: dict[str, dict[int | None, Figure]] = {}
        for item in rubric.items:
            if item.kind != "automatic":
                continue
            spec = METRICS[item.metric]  # type: ignore[index]
            if rubric.target not in spec.targets:
                raise RubricError(rubric.path or rubric.id, None, "metric",
                                  f"指标 {spec.name} 不适用于{'商会' if rubric.target == 'chamber' else '本级工商联'}（条目 {item.id}）")
            key = ("metric", spec.name, json.dumps(item.params, sort_keys=True, ensure_ascii=False))
            try:
                figures[item.id] = ctx.cached(key, functools.partial(spec.fn, ctx, item.params))
            except ValueError as exc:
                raise RubricError(rubric.path or rubric.id, None, "params", f"{exc}（条目 {item.id}）") from exc
        tlist = per_rubric[rubric.id]
        ev = evidence_for(session, rubric.id, tlist)
        hist = (history or {}).get(rubric.id)
        if hist is None:
            hist = finalised_history(session, rubric.id, tlist, year)
        out[rubric.id] = [_evaluate_target(rubric, year, t, figures, norm.get(t.key, {}), ev, hist.get(t.key, {}))
                          for t in tlist]
    return out


def _evaluate_target(rubric: Rubric, year: int, t: Target, figures: dict[str, dict[int | None, Figure]],
                     inputs: dict[str, Any], ev: dict[tuple[int | None, str], list[str]],
                     hist: dict[int, str | None]) -> TargetResult:
    titles = {g.id: g.title for g in rubric.groups}
    items = [_evaluate_item(rubric, year, t, it, titles[it.group], figures.get(it.id, {}).get(t.key),
                            inputs.get(it.id), ev.get((t.key, it.id), [])) for it in rubric.items]
    res = TargetResult(rubric.id, rubric.version, year, t.target_type, t.key, t.name, items)
    res.warnings = [w for it in items if it.kind == "automatic" and it.status != "not_applicable"
                    for w in getattr(figures.get(it.id, {}).get(t.key), "warnings", [])]
    res.complete = not any(i.status == NEEDS_INPUT for i in items)
    res.year_open = any(i.status == YEAR_OPEN for i in items)
    _aggregate(rubric, res, hist)
    return res


_PLANS: dict[int, tuple[Item, tuple[str, bool, str, bool]]] = {}


def _plan(item: Item) -> tuple[str, bool, str, bool]:
    """What every target's result for this item shares: rule text, ratio, unit, threshold in the rule."""
    got = _PLANS.get(id(item))
    if got is not None and got[0] is item:
        return got[1]
    rule = item.rule_text()
    spec = METRICS.get(item.metric or "")
    ratio = bool(spec and spec.ratio)
    unit = item.unit or (spec.unit if spec else "")
    shows = item.value_type == "bool" or show_value(item.threshold, ratio, "") in rule
    plan = (rule, ratio, unit, shows)
    if len(_PLANS) > 5000:
        _PLANS.clear()
    _PLANS[id(item)] = (item, plan)
    return plan


def _evaluate_item(rubric: Rubric, year: int, t: Target, item: Item, group_title: str, fig: Figure | None,
                   raw: Any, evidence: list[str]) -> ItemResult:
    rule, ratio, unit, shows_threshold = _plan(item)
    r = ItemResult(id=item.id, title=rule, group=item.group, group_title=group_title, kind=item.kind,
                   status="needs_input", value=None, threshold=item.threshold, op=item.op, points=0.0,
                   max_points=item.ceiling, explanation="", source=item.source, evidence_required=item.evidence_required,
                   ratio=ratio, unit=unit)
    value, in_evidence, na, note = _unpack(raw)
    r.evidence = evidence + in_evidence
    if item.chamber_kinds and t.kind not in item.chamber_kinds:
        kinds = "、".join(ChamberKind(k).label for k in item.chamber_kinds)
        r.status, r.max_points = "not_applicable", 0.0
        r.explanation = f"{rule}：只适用于{kinds}，本商会为{ChamberKind(t.kind).label if ChamberKind.parse(t.kind) else t.kind}"
        return r
    if na:
        r.status, r.max_points = "not_applicable", 0.0
        r.explanation = f"{rule}：经认定不适用" + (f"（{note}）" if note else "")
        return r
    suffix = f"（备注：{note}）" if note else ""

    if item.kind == "scored":
        v = _coerce(item, value, year)
        if v is None:
            r.explanation = f"{rule}：待评分（满分{fmt_num(item.max_points)}分）" + (f"。{item.guide}" if item.guide else "")
            return r
        r.value, r.points, r.from_input = v, v, True
        ok = item.threshold is None or compare(v, ">=", item.threshold)
        r.status = "pass" if ok else "fail"
        r.explanation = f"{rule}：评分{fmt_num(v)}分（满分{fmt_num(item.max_points)}分）" + \
            ("" if item.threshold is None else f"，{'达到' if ok else '未达到'}{fmt_num(item.threshold)}分") + suffix
        return _needs_evidence(r, item)

    provisional = False
    if item.kind == "automatic":
        if fig is None:
            fig = Figure(None, "无数据")
        r.records = fig.records
        if fig.value is None:
            v = _coerce(item, value, year)
            if v is None:
                r.explanation = f"{rule}：{fig.text}，待填写" + (f"。{item.guide}" if item.guide else "")
                return r
            r.value, r.from_input = v, True
            figure_text = f"台账无此数据（{fig.text}），采用填报值{show_value(v, ratio, unit)}"
        else:
            r.value, r.value_words = fig.value, fig.value_words
            provisional = fig.provisional(item.threshold) if callable(fig.provisional) else fig.provisional
            figure_text = fig.describe(item.threshold) if fig.describe else fig.text
            if isinstance(raw, dict) and raw.get("override"):
                # the clerk overrules the ledger's figure (a form that came in by other means, an excused
                # absence): the figure stays in the explanation beside the value decided and the reason
                v = _coerce(item, value, year)
                if v is None or not note:
                    raise ChamberDeskError(f"条目“{rule}”（{item.id}）改判须写明改判后的值（value）和理由（note）")
                r.value, r.value_words, r.from_input, provisional = v, "", True, False
                figure_text = f"台账：{figure_text}；经认定改为“{show_value(v, ratio, unit)}”（理由：{note}）"
                suffix = ""
    else:
        v = _coerce(item, value, year)
        if v is None:
            r.explanation = f"{rule}：待填写" + (f"（{item.guide}）" if item.guide else "")
            return r
        r.value, r.from_input = v, True
        figure_text = f"填报为“{show_value(v)}”" if isinstance(v, bool) else f"填报{show_value(v, ratio, unit)}"

    threshold = item.threshold
    if item.value_type == "date" and isinstance(threshold, str):
        m, d = (int(x) for x in threshold.split("-"))
        threshold = date(year, m, d)
        r.threshold = threshold.isoformat()
    ok = compare(r.value, item.op, threshold)
    if provisional and not ((ok and item.op in (">=", ">")) or (not ok and item.op in ("<=", "<"))):
        # not reached yet, but the rest of the year may still reach it: neither 未达标 nor the clerk's to fill
        r.status = YEAR_OPEN
        r.progress = fig.progress(item.threshold, item.op) if fig is not None and fig.progress else ""
        r.explanation = f"{rule}：{figure_text}；" + (f"{r.progress}，" if r.progress else "") + "待年度结束后判定"
        return r
    r.status = "pass" if ok else "fail"
    r.points = item.points if ok else 0.0
    verdict = "，达标" if ok else "，未达标"
    words = threshold_words(item.op, item.threshold, ratio, unit)
    # "有经费" needs no "（标准：须有）" after it, nor a 100% met "（标准：100%）"
    if not shows_threshold and words and words != "须有" and not (ok and words == "100%"):
        verdict += f"（标准：{words}）"
    r.explanation = f"{rule}：{figure_text}{verdict}{suffix}"
    return _needs_evidence(r, item)


def threshold_words(op: str, threshold: Any, ratio: bool, unit: str) -> str:
    """不少于2次, 超过10%; 须有 for "more than nothing", 100% for "all of them", "" for yes/no."""
    if isinstance(threshold, bool):
        return ""
    if op == ">" and threshold == 0:
        return "须有"
    if ratio and op == ">=" and threshold == 1:
        return "100%"
    return f"{OP_WORDS.get(op, op)}{show_value(threshold, ratio, unit)}"


def _needs_evidence(r: ItemResult, item: Item) -> ItemResult:
    if item.evidence_required and r.status == "pass" and not r.evidence:
        r.status, r.points = "needs_input", 0.0
        r.explanation += "；须附凭证后方可认定达标"
    elif r.evidence:
        r.explanation += f"（凭证：{'、'.join(r.evidence)}）"
    return r


def _aggregate(rubric: Rubric, res: TargetResult, hist: dict[int, str | None]) -> None:
    items = res.items
    has_fail = any(i.status == "fail" for i in items)
    for v in rubric.vetoes:
        if v.item:
            st = next(i for i in items if i.id == v.item)
            if st.status == "fail":
                res.vetoed = True
                res.veto_reasons.append(v.title)
    if rubric.mode == "all_pass":
        # an item the year's end settles keeps the verdict open: it is not met yet
        res.passed = False if has_fail else (True if res.complete and not res.year_open else None)
        if res.passed and rubric.bands:
            res.grade = rubric.bands[0].grade
    else:
        by_group: dict[str, list[ItemResult]] = {}
        for i in items:
            by_group.setdefault(i.group, []).append(i)
        total_max = sum(i.max_points for i in items)
        if rubric.mode == "weighted":
            score = 0.0
            for p in rubric.parts:
                its = [i for g in p.groups for i in by_group.get(g, [])]
                ps = round(sum(i.points for i in its), 6)
                res.parts[p.id] = ps
                score += p.weight * ps
                part_complete = not any(i.status in (NEEDS_INPUT, YEAR_OPEN) for i in its)
                for v in rubric.vetoes:
                    if v.part == p.id and v.below is not None and part_complete and compare(ps, "<", v.below):
                        res.vetoed = True
                        res.veto_reasons.append(f"{v.title}（{p.title}{fmt_num(ps)}分）")
            res.max_score = sum(p.weight * sum(i.max_points for g in p.groups for i in by_group.get(g, []))
                                for p in rubric.parts)
        else:
            score = sum(i.points for i in items)
            res.max_score = total_max
        res.score = round(score, 6)
        if res.vetoed:
            res.passed = False
        elif res.complete and res.year_open:
            # the grade the score so far reaches, never stored as the grade: the year may still add points
            res.provisional_grade = _grade(rubric, res, hist)
        elif res.complete:
            res.grade = _grade(rubric, res, hist)
            if rubric.pass_mark is not None:
                res.passed = compare(res.score, ">=", rubric.pass_mark)
            else:
                res.passed = res.grade is not None
        else:
            # scores only grow as items are filled in, so a shortfall is not yet final
            res.passed = None
    if res.vetoed:
        res.passed = False
        res.grade = None
    if res.grade and rubric.validity_years:
        res.valid_until = res.year + rubric.validity_years - 1
        res.notes.append(f"称号有效期至{res.valid_until}年")


def _grade(rubric: Rubric, res: TargetResult, hist: dict[int, str | None]) -> str | None:
    assert res.score is not None
    for band in rubric.bands:  # best first
        if band.min is not None and not compare(res.score, ">=", band.min):
            continue
        if band.below is not None and not compare(res.score, "<", band.below):
            continue
        ok, why = _prerequisites_met(rubric, band.grade, res.year, hist)
        if ok:
            if why:
                res.notes.append(why)
            return band.grade
        res.notes.append(why)
    return None


def _prerequisites_met(rubric: Rubric, grade: str, year: int, hist: dict[int, str | None]) -> tuple[bool, str]:
    """Whether every prerequisite of `grade` holds in the finalised history, and why in words."""
    pres = [p for p in rubric.prerequisites if p.grade == grade]
    if not pres:
        return True, ""
    if rubric.first_year is not None and year <= rubric.first_year:
        return True, f"{year}年为首年，{grade}不设前置条件"
    why = []
    for p in pres:
        need = min(rubric.grade_rank(g) for g in p.requires)
        held = sorted(y for y, g in hist.items() if rubric.grade_rank(g) >= need and y <= year - p.held_years)
        # a title past its validity no longer counts as held
        valid = [y for y in held if rubric.validity_years is None or y + rubric.validity_years - 1 >= year - 1]
        req = "或".join(p.requires)
        if not valid:
            seen = "；".join(f"{y}年{g or '未定级'}" for y, g in sorted(hist.items())) or "无定稿的往年考评"
            return False, f"得分达到{grade}分数线，但申报{grade}须已获{req}满{p.held_years}年（往年：{seen}）"
        why.append(f"已于{valid[0]}年获{hist[valid[0]]}，满足{grade}的前置条件")
    return True, "；".join(why)
