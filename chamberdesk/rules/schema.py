"""The rubric schema: dataclasses for a parsed rubric and the checks that name file, line and field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from chamberdesk.core.choices import ChamberKind
from chamberdesk.core.errors import ChamberDeskError

KINDS = ("automatic", "attested", "scored")
KIND_LABELS = {"automatic": "台账自动", "attested": "填报", "scored": "评分"}
VALUE_TYPES = ("bool", "number", "date")
OPS = (">=", ">", "<=", "<", "==", "!=")
TARGETS = ("chamber", "federation")
TARGET_LABELS = {"chamber": "商会", "federation": "本级工商联"}
MODES = ("all_pass", "points", "weighted")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


class RubricError(ChamberDeskError):
    """A rubric file is malformed: the message names the file, the line and the field in Chinese."""

    def __init__(self, filename: str, line: int | None, field_name: str | None, message: str) -> None:
        self.filename = filename
        self.line = line
        self.field = field_name
        self.message = message
        where = filename + (f" 第{line}行" if line else "")
        what = f"字段“{field_name}”" if field_name else ""
        super().__init__(f"考评细则文件 {where}：{what}{message}")


@dataclass
class Item:
    id: str
    title: str
    kind: str
    group: str = ""
    short: str = ""  # a few words for a column heading (各商会一览); the title's head when empty
    source: str = ""
    metric: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    value_type: str = "bool"
    op: str = ">="
    threshold: Any = None
    points: float = 0.0  # awarded when the item passes (automatic / attested)
    max_points: float = 0.0  # the ceiling of an assessor's score (scored)
    evidence_required: bool = False
    chamber_kinds: list[str] = field(default_factory=list)
    guide: str = ""  # what the clerk should enter or show
    unit: str = ""
    ballot: Any = None  # rules.democratic.Ballot: a scored item appraised by ballot (民主评议)

    @property
    def ceiling(self) -> float:
        return self.max_points if self.kind == "scored" else self.points

    def rule_text(self) -> str:
        """The title with {threshold}/{threshold_pct} filled in, so edited thresholds read right."""
        if "{" not in self.title:
            return self.title
        t = self.threshold
        text = self.title
        if "{threshold_pct}" in text and isinstance(t, int | float):
            text = text.replace("{threshold_pct}", _fmt_num(t * 100) + "%")
        if "{threshold}" in text:
            text = text.replace("{threshold}", _fmt_num(t) if isinstance(t, int | float) else str(t))
        return text


@dataclass
class Group:
    id: str
    title: str
    items: list[Item] = field(default_factory=list)
    source: str = ""


@dataclass
class Part:
    """One weighted part of a combined score (e.g. 工作目标 ×80%, 民主评议 ×20%)."""

    id: str
    title: str
    weight: float
    groups: list[str]


@dataclass
class Band:
    grade: str
    min: float | None = None  # inclusive; None for all_pass bands
    below: float | None = None  # exclusive upper bound


@dataclass
class Veto:
    id: str
    title: str
    item: str | None = None  # vetoed when this item fails
    part: str | None = None  # or when this part's score is below `below`
    below: float | None = None
    source: str = ""


@dataclass
class Prerequisite:
    """A grade needs a lower grade held for `held_years` in finalised assessments of this rubric."""

    grade: str
    requires: list[str]
    held_years: int = 1
    source: str = ""


@dataclass
class Rubric:
    id: str
    title: str
    version: str
    year_from: int
    year_to: int | None
    target: str
    groups: list[Group]
    mode: str = "all_pass"
    pass_mark: float | None = None
    parts: list[Part] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    vetoes: list[Veto] = field(default_factory=list)
    prerequisites: list[Prerequisite] = field(default_factory=list)
    validity_years: int | None = None
    first_year: int | None = None  # the scheme's first year: prerequisites do not apply in it
    chamber_kinds: list[str] = field(default_factory=list)
    source: str = ""
    description: str = ""
    template: bool = False
    path: str = ""  # the file it came from
    text: str = ""  # the file's text, stored with each assessment (snapshot)
    user: bool = False  # from the user's rubric folder

    @property
    def items(self) -> list[Item]:
        return [it for g in self.groups for it in g.items]

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def applies_to_year(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)

    @property
    def years_label(self) -> str:
        return f"{self.year_from}—{self.year_to}" if self.year_to else f"{self.year_from}年起"

    def grade_rank(self, grade: str | None) -> int:
        """Higher is better; -1 for no grade. Bands are listed best first."""
        names = [b.grade for b in self.bands]
        return len(names) - names.index(grade) if grade in names else -1


def _fmt_num(v: float) -> str:
    if isinstance(v, float) and not v.is_integer():
        return f"{v:.2f}".rstrip("0").rstrip(".")
    return str(int(v))


fmt_num = _fmt_num


# --- checking a parsed TOML document ---------------------------------------------------------------


class _Locator:
    """Finds the line of a field in the file's text: a light scan, since tomllib keeps no positions."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def find(self, key: str, start: int = 1, stop: int | None = None) -> int | None:
        pat = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        for n in range(max(start, 1), (stop or len(self.lines)) + 1):
            if n - 1 < len(self.lines) and pat.match(self.lines[n - 1]):
                return n
        return None

    def find_id(self, value: str, start: int = 1) -> int | None:
        pat = re.compile(rf"^\s*id\s*=\s*[\"']{re.escape(value)}[\"']")
        for n in range(max(start, 1), len(self.lines) + 1):
            if pat.match(self.lines[n - 1]):
                return n
        return None

    def block_start(self, n: int | None) -> int:
        """The line of the `[[...]]` header above line n (so a field can be found within its block)."""
        if n is None:
            return 1
        for k in range(n, 0, -1):
            if self.lines[k - 1].lstrip().startswith("["):
                return k
        return 1

    def block_end(self, start: int) -> int:
        for k in range(start + 1, len(self.lines) + 1):
            if self.lines[k - 1].lstrip().startswith("["):
                return k - 1
        return len(self.lines)


class _Checker:
    def __init__(self, filename: str, text: str) -> None:
        self.filename = filename
        self.loc = _Locator(text)

    def fail(self, message: str, key: str | None = None, *, start: int = 1, line: int | None = None,
             where: str = "") -> RubricError:
        if line is None and key:
            stop = self.loc.block_end(start) if start > 1 else None
            line = self.loc.find(key, start, stop) or (start if start > 1 else None)
        elif line is None and start > 1:
            line = start
        return RubricError(self.filename, line, key, message + (f"（{where}）" if where else ""))

    def table(self, data: dict[str, Any], allowed: dict[str, str], *, start: int = 1, where: str = "") -> None:
        for k in data:
            if k not in allowed:
                close = [a for a in allowed if _similar(a, k)]
                hint = f"，是否应为“{close[0]}”？" if close else f"。可用字段：{'、'.join(allowed)}"
                raise self.fail(f"不是可识别的字段{hint}", k, start=start, where=where)

    def get(self, data: dict[str, Any], key: str, kind: type | tuple[type, ...], *, required: bool = False,
            default: Any = None, start: int = 1, where: str = "", label: str = "") -> Any:
        if key not in data:
            if required:
                raise self.fail(f"缺少必填字段{('（' + label + '）') if label else ''}", key, start=start, where=where)
            return default
        v = data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        ok = isinstance(v, kinds) and not (isinstance(v, bool) and bool not in kinds)
        if not ok:
            names = {str: "文字", int: "整数", float: "数字", bool: "true 或 false", list: "列表", dict: "表"}
            want = "或".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))
            raise self.fail(f"应为{want}，实际为 {v!r}", key, start=start, where=where)
        return v


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 2:
        return False
    # a cheap edit-distance test: typos like "threshhold", "ponts", "evidence_requird"
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= 2


_TOP = {"id": "编号", "title": "名称", "version": "版本", "applies_years": "适用年度", "target": "考评对象",
        "chamber_kinds": "商会类型", "source": "依据", "description": "说明", "template": "模板",
        "validity_years": "有效期（年）", "first_year": "首年", "aggregation": "汇总方式", "vetoes": "一票否决",
        "prerequisites": "前置条件", "groups": "分组"}
_AGG = {"mode": "方式", "pass_mark": "合格分", "parts": "加权部分", "bands": "等级"}
_PART = {"id": "编号", "title": "名称", "weight": "权重", "groups": "分组"}
_BAND = {"grade": "等级", "min": "最低分", "below": "低于"}
_VETO = {"id": "编号", "title": "名称", "item": "条目", "part": "部分", "below": "低于", "source": "依据"}
_PRE = {"grade": "等级", "requires": "须持有", "held_years": "持有年数", "source": "依据"}
_GROUP = {"id": "编号", "title": "名称", "source": "依据", "items": "条目"}
_ITEM = {"id": "编号", "title": "名称", "short": "简称", "kind": "类别", "source": "依据", "metric": "指标", "params": "参数",
         "value_type": "填报类型", "op": "比较", "threshold": "标准", "points": "分值", "max_points": "满分",
         "evidence_required": "须附凭证", "chamber_kinds": "商会类型", "guide": "填报说明", "unit": "单位",
         "ballot": "评议票"}


def check_rubric(data: dict[str, Any], *, filename: str, text: str) -> Rubric:
    """Turn a parsed TOML document into a Rubric, or raise RubricError naming file, line and field."""
    from chamberdesk.rules.metrics import METRICS

    c = _Checker(filename, text)
    c.table(data, _TOP)
    rid = c.get(data, "id", str, required=True, label="如 siyou")
    if not ID_RE.match(rid):
        raise c.fail("只能由小写字母、数字、- 和 _ 组成", "id")
    title = c.get(data, "title", str, required=True)
    version = c.get(data, "version", (str, int, float), required=True)
    years = c.get(data, "applies_years", list, required=True, label="如 [2013, 2030]，结束年为 0 表示至今")
    if len(years) != 2 or not all(isinstance(y, int) and not isinstance(y, bool) for y in years):
        raise c.fail("应为两个整数 [起始年, 结束年]（结束年为 0 表示至今）", "applies_years")
    y_from, y_to = years[0], (years[1] or None)
    if y_to is not None and y_to < y_from:
        raise c.fail("结束年不能早于起始年", "applies_years")
    target = c.get(data, "target", str, required=True)
    if target not in TARGETS:
        raise c.fail("应为 chamber（商会）或 federation（本级工商联）", "target")
    kinds = _kinds(c, data, 1, "")
    r = Rubric(id=rid, title=title, version=str(version), year_from=y_from, year_to=y_to, target=target,
               groups=[], chamber_kinds=kinds, source=c.get(data, "source", str, default=""),
               description=c.get(data, "description", str, default=""),
               template=c.get(data, "template", bool, default=False),
               validity_years=c.get(data, "validity_years", int), first_year=c.get(data, "first_year", int))

    raw_groups = c.get(data, "groups", list, required=True)
    if not raw_groups:
        raise c.fail("至少需要一个分组", "groups")
    seen: set[str] = set()
    pos = 1
    for gi, g in enumerate(raw_groups, 1):
        if not isinstance(g, dict):
            raise c.fail("每个分组应写成 [[groups]] 表", "groups")
        gid = g.get("id")
        gline = c.loc.block_start(c.loc.find_id(gid, pos)) if isinstance(gid, str) else pos
        pos = max(pos, gline)
        where = f"第{gi}个分组"
        c.table(g, _GROUP, start=gline, where=where)
        gid = c.get(g, "id", str, required=True, start=gline, where=where)
        group = Group(id=gid, title=c.get(g, "title", str, required=True, start=gline, where=where),
                      source=c.get(g, "source", str, default="", start=gline, where=where))
        for ii, it in enumerate(c.get(g, "items", list, required=True, start=gline, where=where), 1):
            if not isinstance(it, dict):
                raise c.fail("每个条目应写成 [[groups.items]] 表", "items", start=gline, where=where)
            iid = it.get("id")
            iline = c.loc.block_start(c.loc.find_id(iid, pos)) if isinstance(iid, str) else pos
            pos = max(pos, iline)
            item = _item(c, it, iline, f"分组 {gid} 第{ii}个条目", METRICS)
            if item.id in seen:
                raise c.fail(f"条目编号“{item.id}”重复", "id", start=iline)
            seen.add(item.id)
            item.group = gid
            item.source = item.source or group.source
            group.items.append(item)
        r.groups.append(group)

    agg = c.get(data, "aggregation", dict, default={})
    aline = c.loc.find("mode") or 1
    c.table(agg, _AGG, start=c.loc.block_start(aline), where="汇总方式")
    r.mode = c.get(agg, "mode", str, default="all_pass", where="汇总方式")
    if r.mode not in MODES:
        raise c.fail("应为 all_pass（全部达标）、points（计分）或 weighted（加权）", "mode")
    pm = c.get(agg, "pass_mark", (int, float))
    r.pass_mark = float(pm) if pm is not None else None
    group_ids = {g.id for g in r.groups}
    for pi, p in enumerate(c.get(agg, "parts", list, default=[]), 1):
        pline = c.loc.block_start(c.loc.find_id(p.get("id", ""), 1)) if isinstance(p, dict) else 1
        where = f"第{pi}个加权部分"
        c.table(p, _PART, start=pline, where=where)
        part = Part(id=c.get(p, "id", str, required=True, start=pline, where=where),
                    title=c.get(p, "title", str, required=True, start=pline, where=where),
                    weight=float(c.get(p, "weight", (int, float), required=True, start=pline, where=where)),
                    groups=c.get(p, "groups", list, required=True, start=pline, where=where))
        for gid in part.groups:
            if gid not in group_ids:
                raise c.fail(f"分组“{gid}”不存在", "groups", start=pline, where=where)
        r.parts.append(part)
    if r.mode == "weighted" and not r.parts:
        raise c.fail("加权方式须列出 [[aggregation.parts]]", "mode")
    if r.parts and abs(sum(p.weight for p in r.parts) - 1.0) > 1e-9:
        raise c.fail("各部分权重之和应为 1", "weight")
    for bi, b in enumerate(c.get(agg, "bands", list, default=[]), 1):
        where = f"第{bi}个等级"
        bline = c.loc.find("grade", 1) or 1
        c.table(b, _BAND, start=bline, where=where)
        band = Band(grade=c.get(b, "grade", str, required=True, where=where),
                    min=_num(c.get(b, "min", (int, float), where=where)),
                    below=_num(c.get(b, "below", (int, float), where=where)))
        if r.mode != "all_pass" and band.min is None:
            raise c.fail("计分方式的等级须给出最低分 min", "min", where=where)
        r.bands.append(band)
    r.bands.sort(key=lambda b: -(b.min or 0))

    for vi, v in enumerate(c.get(data, "vetoes", list, default=[]), 1):
        vline = c.loc.block_start(c.loc.find_id(v.get("id", ""), 1)) if isinstance(v, dict) else 1
        where = f"第{vi}个一票否决"
        c.table(v, _VETO, start=vline, where=where)
        veto = Veto(id=c.get(v, "id", str, required=True, start=vline, where=where),
                    title=c.get(v, "title", str, required=True, start=vline, where=where),
                    item=c.get(v, "item", str, start=vline, where=where),
                    part=c.get(v, "part", str, start=vline, where=where),
                    below=_num(c.get(v, "below", (int, float), start=vline, where=where)),
                    source=c.get(v, "source", str, default="", start=vline, where=where))
        if veto.item is not None and veto.item not in seen:
            raise c.fail(f"条目“{veto.item}”不存在", "item", start=vline, where=where)
        if veto.part is not None and veto.part not in {p.id for p in r.parts}:
            raise c.fail(f"加权部分“{veto.part}”不存在", "part", start=vline, where=where)
        if (veto.item is None) == (veto.part is None):
            raise c.fail("须给出 item（某条目未达标）或 part + below（某部分得分低于）之一", "item",
                         start=vline, where=where)
        if veto.part is not None and veto.below is None:
            raise c.fail("按部分得分否决时须给出 below", "below", start=vline, where=where)
        r.vetoes.append(veto)

    grades = {b.grade for b in r.bands}
    for qi, q in enumerate(c.get(data, "prerequisites", list, default=[]), 1):
        where = f"第{qi}个前置条件"
        c.table(q, _PRE, where=where)
        req = c.get(q, "requires", (list, str), required=True, where=where)
        pre = Prerequisite(grade=c.get(q, "grade", str, required=True, where=where),
                           requires=[req] if isinstance(req, str) else list(req),
                           held_years=c.get(q, "held_years", int, default=1, where=where),
                           source=c.get(q, "source", str, default="", where=where))
        for gname in [pre.grade, *pre.requires]:
            if gname not in grades:
                raise c.fail(f"等级“{gname}”不在 aggregation.bands 中", "grade", where=where)
        r.prerequisites.append(pre)
    return r


def _num(v: Any) -> float | None:
    return None if v is None else float(v)


def _kinds(c: _Checker, data: dict[str, Any], start: int, where: str) -> list[str]:
    kinds = c.get(data, "chamber_kinds", list, default=[], start=start, where=where)
    out = []
    for k in kinds:
        ck = ChamberKind.parse(k) if isinstance(k, str) else None
        if ck is None:
            allowed = "、".join(f"{m.value}（{m.label}）" for m in ChamberKind)
            raise c.fail(f"“{k}”不是商会类型，可用：{allowed}", "chamber_kinds", start=start, where=where)
        out.append(ck.value)
    return out


def _item(c: _Checker, it: dict[str, Any], start: int, where: str, metrics: dict[str, Any]) -> Item:
    c.table(it, _ITEM, start=start, where=where)
    iid = c.get(it, "id", str, required=True, start=start, where=where)
    if not ID_RE.match(iid):
        raise c.fail("只能由小写字母、数字、- 和 _ 组成", "id", start=start, where=where)
    where = f"条目 {iid}"
    kind = c.get(it, "kind", str, required=True, start=start, where=where)
    if kind not in KINDS:
        raise c.fail("应为 automatic（台账自动）、attested（填报）或 scored（评分）", "kind", start=start, where=where)
    item = Item(id=iid, kind=kind, title=c.get(it, "title", str, required=True, start=start, where=where),
                source=c.get(it, "source", str, default="", start=start, where=where),
                guide=c.get(it, "guide", str, default="", start=start, where=where),
                unit=c.get(it, "unit", str, default="", start=start, where=where),
                short=c.get(it, "short", str, default="", start=start, where=where),
                evidence_required=c.get(it, "evidence_required", bool, default=False, start=start, where=where),
                chamber_kinds=_kinds(c, it, start, where))
    item.points = float(c.get(it, "points", (int, float), default=0, start=start, where=where))
    item.max_points = float(c.get(it, "max_points", (int, float), default=0, start=start, where=where))
    item.op = c.get(it, "op", str, default=">=", start=start, where=where)
    if item.op not in OPS:
        raise c.fail(f"应为 {' '.join(OPS)} 之一", "op", start=start, where=where)
    if item.points < 0 or item.max_points < 0:
        raise c.fail("分值不能为负", "points", start=start, where=where)
    if kind == "automatic":
        item.metric = c.get(it, "metric", str, required=True, start=start, where=where)
        if item.metric not in metrics:
            raise c.fail(f"没有名为“{item.metric}”的台账指标", "metric", start=start, where=where)
        item.params = c.get(it, "params", dict, default={}, start=start, where=where)
        spec = metrics[item.metric]
        for p in item.params:
            if p not in spec.params:
                raise c.fail(f"指标 {item.metric} 没有参数“{p}”，可用：{'、'.join(spec.params) or '（无）'}",
                             "params", start=start, where=where)
        item.value_type = spec.value_type
    elif kind == "attested":
        item.value_type = c.get(it, "value_type", str, default="bool", start=start, where=where)
        if item.value_type not in VALUE_TYPES:
            raise c.fail("应为 bool（是/否）、number（数字）或 date（日期）", "value_type", start=start, where=where)
    if kind == "scored":
        if item.max_points <= 0:
            raise c.fail("评分条目须给出大于 0 的满分 max_points", "max_points", start=start, where=where)
        item.value_type = "number"
        item.threshold = _num(c.get(it, "threshold", (int, float), default=None, start=start, where=where))
        if "ballot" in it:
            from chamberdesk.rules.democratic import parse_ballot

            item.ballot = parse_ballot(c, it["ballot"], start=start, where=where, max_points=item.max_points)
    elif "ballot" in it:
        raise c.fail("只有评分（scored）条目可以用评议票", "ballot", start=start, where=where)
    else:
        default = True if item.value_type == "bool" else None
        t = it.get("threshold", default)
        if item.value_type == "bool":
            t = c.get(it, "threshold", bool, default=True, start=start, where=where)
            if item.op not in ("==", "!="):
                item.op = "=="
        elif item.value_type == "number":
            t = c.get(it, "threshold", (int, float), required=True, start=start, where=where)
        elif item.value_type == "date":
            t = c.get(it, "threshold", str, required=True, start=start, where=where)
            if not re.fullmatch(r"\d{2}-\d{2}", t):
                raise c.fail("日期标准应写成 \"MM-DD\"（当年的月-日），如 \"03-31\"", "threshold",
                             start=start, where=where)
        item.threshold = t
    return item
