"""民主评议 (000 附件1 二（二）、三（一）3): the ballot a rubric defines for its democratic item, the tally of
the ballots returned after the presidents' 述职, and the score the tally gives.

A rubric gives the scored item a `ballot` table:

    [groups.items.ballot]
    scale = "score"     # score: each voter writes a score 0–满分 per chamber
                        # rating: each voter ticks one level, levels = [{ label = "好", points = 100 }, …]

The score is the mean over the valid ballots: the sum of the scores (or of each level's votes × its points)
divided by the number of valid ballots, to two decimals. The tally is kept in the assessment's inputs with
the score it gives (`{"value": 87.5, "note": …, "tally": {…}}`), so the 考评 page, the 考评表 and `check`
show the score, and the weighted total (工作目标 ×80% + 民主评议 ×20% in 通州) takes it in as any score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from chamberdesk.core.errors import ChamberDeskError

SCALES = {"score": "打分", "rating": "评定等次"}
_BALLOT = {"scale": "计分方式", "levels": "等次"}
_LEVEL = {"label": "等次", "points": "分值"}


@dataclass
class Level:
    label: str
    points: float


@dataclass
class Ballot:
    """How one voter appraises one chamber: a score within 0–max, or one of the levels."""

    scale: str
    max_points: float
    levels: list[Level] = field(default_factory=list)

    def rule_text(self) -> str:
        """How the ballots are counted, as printed on the ballot and the 考评 page."""
        if self.scale == "rating":
            pts = "、".join(f"{lv.label}{_num(lv.points)}分" for lv in self.levels)
            return (f"每张有效票按所选等次计分（{pts}），民主评议得分＝各等次票数×该等次分值之和÷有效票数，"
                    "保留两位小数。未选或多选等次的，该商会一栏不计入有效票。")
        return (f"民主评议得分＝有效票评分之和÷有效票数，保留两位小数。评分须为0～{_num(self.max_points)}分，"
                "空白、超出范围或无法辨认的，该商会一栏不计入有效票。")


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}".rstrip("0").rstrip(".")


def parse_ballot(c: Any, raw: Any, *, start: int, where: str, max_points: float) -> Ballot:
    """The `ballot` table of a scored item; `c` is the schema's checker, so errors name file and line."""
    if not isinstance(raw, dict):
        raise c.fail("应写成 [groups.items.ballot] 表", "ballot", start=start, where=where)
    c.table(raw, _BALLOT, start=start, where=where)
    scale = c.get(raw, "scale", str, required=True, start=start, where=where, label="score 或 rating")
    if scale not in SCALES:
        raise c.fail("应为 score（打分）或 rating（评定等次）", "scale", start=start, where=where)
    b = Ballot(scale=scale, max_points=max_points)
    levels = c.get(raw, "levels", list, default=[], start=start, where=where)
    if scale == "rating" and not levels:
        raise c.fail("评定等次须列出 levels，如 [{ label = \"好\", points = 100 }]", "scale", start=start, where=where)
    for lv in levels:
        if not isinstance(lv, dict):
            raise c.fail("每个等次应写成 { label = \"好\", points = 100 }", "levels", start=start, where=where)
        c.table(lv, _LEVEL, start=start, where=where)
        label = c.get(lv, "label", str, required=True, start=start, where=where).strip()
        points = float(c.get(lv, "points", (int, float), required=True, start=start, where=where))
        if not label or not (0 <= points <= max_points):
            raise c.fail(f"等次须有名称，分值在 0～{_num(max_points)} 之间", "levels", start=start, where=where)
        if any(x.label == label for x in b.levels):
            raise c.fail(f"等次“{label}”重复", "levels", start=start, where=where)
        b.levels.append(Level(label, points))
    return b


def democratic_item(rubric: Any) -> Any | None:
    """The rubric's item appraised by ballot (the scored item with a `ballot`), or None."""
    return next((it for it in rubric.items if it.kind == "scored" and getattr(it, "ballot", None)), None)


def year_end_rubric(year: int | None = None) -> Any | None:
    """The chamber rubric that holds a 民主评议 ballot (通州 考评 as shipped), in force in `year` if given."""
    from chamberdesk import rules

    for r in rules.list_rubrics():
        if r.target == "chamber" and democratic_item(r) is not None and (year is None or r.applies_to_year(year)):
            return r
    return None


def weight_of(rubric: Any, item: Any) -> float | None:
    """The share of the combined score the item's part carries (0.2 for 通州's 民主评议)."""
    return next((p.weight for p in rubric.parts if item.group in p.groups), None)


# --- tallies ---------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """The ballots returned for one chamber: votes per level, or the valid scores; `invalid` are spoilt."""

    counts: dict[str, int] = field(default_factory=dict)
    scores: list[float] = field(default_factory=list)
    invalid: int = 0

    def valid(self, ballot: Ballot) -> int:
        return sum(self.counts.values()) if ballot.scale == "rating" else len(self.scores)

    def to_dict(self, ballot: Ballot) -> dict[str, Any]:
        body: dict[str, Any] = {"scale": ballot.scale, "invalid": self.invalid}
        if ballot.scale == "rating":
            body["counts"] = {lv.label: int(self.counts.get(lv.label, 0)) for lv in ballot.levels}
        else:
            body["scores"] = list(self.scores)
        return body

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Tally:
        return cls(counts={str(k): int(v) for k, v in (d.get("counts") or {}).items()},
                   scores=[float(s) for s in d.get("scores") or []], invalid=int(d.get("invalid") or 0))


def check_tally(ballot: Ballot, tally: Tally, who: str = "") -> None:
    """Raise ChamberDeskError (naming the chamber) for counts or scores a ballot cannot give."""
    at = f"“{who}”的" if who else ""
    if tally.invalid < 0:
        raise ChamberDeskError(f"{at}废票数不能为负数。")
    if ballot.scale == "rating":
        known = {lv.label for lv in ballot.levels}
        unknown = [k for k in tally.counts if k not in known]
        if unknown:
            raise ChamberDeskError(f"{at}等次“{unknown[0]}”不在细则中，可用：{'、'.join(lv.label for lv in ballot.levels)}。")
        if any(v < 0 for v in tally.counts.values()):
            raise ChamberDeskError(f"{at}票数不能为负数。")
    else:
        bad = [s for s in tally.scores if not (0 <= s <= ballot.max_points)]
        if bad:
            raise ChamberDeskError(f"{at}评分 {_num(bad[0])} 超出 0～{_num(ballot.max_points)} 分，请核对选票。")
    if tally.valid(ballot) == 0:
        raise ChamberDeskError(f"{at}有效票为 0，无法计算民主评议得分：请录入各等次票数或各张选票的评分。")


def score_of(ballot: Ballot, tally: Tally) -> float:
    """The mean over the valid ballots, to two decimals."""
    check_tally(ballot, tally)
    if ballot.scale == "rating":
        points = {lv.label: lv.points for lv in ballot.levels}
        total = sum(points[k] * n for k, n in tally.counts.items())
    else:
        total = sum(tally.scores)
    return round(total / tally.valid(ballot) + 1e-9, 2)


def describe(ballot: Ballot, tally: Tally) -> str:
    """One line for the assessment's note: what the ballots said and what it gives."""
    if ballot.scale == "rating":
        votes = "，".join(f"{lv.label}{tally.counts.get(lv.label, 0)}票" for lv in ballot.levels)
    else:
        votes = f"评分合计{_num(sum(tally.scores))}分"
    spoilt = f"，废票{tally.invalid}张" if tally.invalid else ""
    return f"民主评议有效票{tally.valid(ballot)}张（{votes}{spoilt}），平均{_num(score_of(ballot, tally))}分"


def tally_entry(ballot: Ballot, tally: Tally) -> dict[str, Any]:
    """The assessment input for the democratic item: the score with the tally behind it."""
    return {"value": score_of(ballot, tally), "note": describe(ballot, tally), "tally": tally.to_dict(ballot)}


def stored_tally(entry: Any) -> Tally | None:
    """The tally kept with a democratic item's input, if it was entered as one."""
    if isinstance(entry, dict) and isinstance(entry.get("tally"), dict):
        return Tally.from_dict(entry["tally"])
    return None


def record_tally(session: Session, rubric: Any, year: int, chamber_id: int, tally: Tally, *,
                 as_of: date | None = None) -> Any:
    """Enter one chamber's tally into its draft assessment, keeping its other inputs; returns the TargetResult.

    Raises Conflict when the assessment is already 定稿, ChamberDeskError when the rubric has no ballot or
    the tally does not fit it.
    """
    from chamberdesk.core.assessments import get_assessment, stored_inputs
    from chamberdesk.core.models import Chamber
    from chamberdesk.rules.assessments import assess

    item = democratic_item(rubric)
    if item is None:
        raise ChamberDeskError(f"考评细则“{rubric.title}”没有民主评议条目（带 ballot 的评分条目）。")
    ch = session.get(Chamber, chamber_id)
    check_tally(item.ballot, tally, ch.name if ch else "")
    saved = get_assessment(session, rubric.id, year, chamber_id)
    inputs = stored_inputs(saved) if saved is not None else {}
    inputs[item.id] = tally_entry(item.ballot, tally)
    result, _ = assess(session, rubric, year, chamber_id, inputs, as_of=as_of)
    return result


@dataclass
class Entered:
    """One chamber's tally as entered: its democratic score, the tally in words, and the combined result."""

    chamber: str
    chamber_id: int
    democratic: float
    note: str
    result: Any  # the TargetResult


def enter_tallies(db: Any, session: Session, rubric: Any, year: int, wanted: list[tuple[str, Tally]],
                  files: list[Any] | None = None, *, from_sheet: bool = False,
                  as_of: date | None = None) -> tuple[list[Entered], list[str]]:
    """Enter tallies by chamber name (the `tally` command and the 考评 page share this): each chamber's
    tally goes into its draft with the files (scanned ballots, the tally sheet) as evidence of the item.

    From a sheet a chamber that is not found or cannot take its tally (定稿, a count that does not fit)
    is listed in the second value with the reason and the rest go in; otherwise that error is raised.
    """
    from pathlib import Path

    from chamberdesk.core import evidence
    from chamberdesk.core.chambers import find_chamber
    from chamberdesk.core.errors import NotFound
    from chamberdesk.core.records import id_of

    item = democratic_item(rubric)
    if item is None:
        raise ChamberDeskError(f"考评细则“{rubric.title}”没有民主评议条目（带 ballot 的评分条目）。")
    paths = [Path(f) for f in files or []]
    for f in paths:
        if not f.is_file():
            raise ChamberDeskError(f"找不到凭证文件：{f}")
    entered: list[Entered] = []
    problems: list[str] = []
    for name, tally in wanted:
        ch = find_chamber(session, name)
        if ch is None:
            if not from_sheet:
                raise NotFound(f"找不到商会“{name}”")
            problems.append(f"{name}：找不到该商会，未导入")
            continue
        try:
            with session.begin_nested():  # a chamber that cannot take its tally keeps no files either
                for f in paths:  # the ballots and the tally are the item's evidence
                    evidence.add_file(db, session, f, record_type="chamber", record_id=id_of(ch),
                                      rubric_item=f"{rubric.id}:{item.id}")
                res = record_tally(session, rubric, year, id_of(ch), tally, as_of=as_of)
        except ChamberDeskError as exc:
            if not from_sheet:
                raise
            problems.append(f"{name}：{exc}")
            continue
        dem = next(it.value for it in res.items if it.id == item.id)
        entered.append(Entered(ch.name, id_of(ch), dem, describe(item.ballot, tally), res))
    return entered, problems
