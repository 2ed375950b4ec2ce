"""What each import kind's columns are called in real sheets, and finding the header row(s) of a sheet."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from chamberdesk.core.validators import to_halfwidth

IGNORE = "_ignore"  # a column read but not imported (序号, 编号)


@dataclass(frozen=True)
class FieldSpec:
    name: str  # model field, or a pseudo field such as "chamber"
    label: str  # the Chinese column title the app itself writes (exports use it, so round trips map)
    synonyms: tuple[str, ...] = ()
    required: bool = False


def _f(name: str, label: str, *syn: str, required: bool = False) -> FieldSpec:
    return FieldSpec(name, label, (label, *syn), required)


KINDS: dict[str, list[FieldSpec]] = {
    "members": [
        _f("enterprise_name", "企业名称", "单位名称", "会员名称", "会员单位", "企业全称", "单位全称", "公司名称",
           "会员企业", "企业(单位)名称", "企业/单位名称", "名称", required=True),
        _f("credit_code", "统一社会信用代码", "信用代码", "社会信用代码", "统一代码", "社会统一信用代码", "营业执照号"),
        _f("kind", "会员类型", "会员类别", "会员性质"),
        _f("legal_rep", "法定代表人", "法人代表", "法人", "法定代表", "法人姓名"),
        _f("rep_name", "代表人姓名", "会员代表", "代表人", "姓名", "负责人", "企业负责人", "联系人", "主要负责人"),
        _f("rep_gender", "性别"),
        _f("rep_birth_date", "出生日期", "出生年月", "出生年月日", "生日"),
        _f("rep_id_number", "身份证号", "身份证号码", "居民身份证号", "居民身份证号码", "公民身份号码", "身份证"),
        _f("rep_political_status", "政治面貌", "党派"),
        _f("rep_phone", "联系电话", "手机", "手机号", "手机号码", "电话", "联系方式", "移动电话", "办公电话", "固定电话",
           "电话号码"),
        _f("industry", "所属行业", "行业", "行业类别", "行业门类", "所在行业"),
        _f("size_class", "企业规模", "规模", "规模类型"),
        _f("tags", "标签", "企业标签", "类别标签"),
        _f("join_date", "入会日期", "入会时间", "入会年月", "加入时间", "入会年份"),
        _f("leave_date", "退会日期", "退会时间"),
        _f("leave_reason", "退会原因"),
        _f("chamber", "所属商会", "商会", "所在商会", "商会名称", "加入商会"),
        _f("position", "商会职务", "职务", "会内职务", "担任职务", "现任职务"),
        _f("notes", "备注", "说明"),
    ],
    "chambers": [
        _f("name", "商会名称", "名称", "商会", "协会名称", "组织名称", "单位名称", required=True),
        _f("kind", "商会类型", "类型", "类别", "商会类别"),
        _f("registered", "民政登记", "是否登记", "是否民政登记", "登记情况"),
        _f("credit_code", "统一社会信用代码", "信用代码", "社会信用代码"),
        _f("founded_on", "成立日期", "成立时间", "组建时间"),
        _f("term_start", "本届起始日期", "本届起始", "换届时间", "换届日期", "本届开始"),
        _f("term_end", "本届届满日期", "届满日期", "届满时间", "任期届满"),
        _f("has_office", "有办公场所", "办公场所", "是否有办公场所"),
        _f("office_area", "办公面积（㎡）", "办公面积", "面积", "场所面积"),
        _f("fulltime_staff", "专职人员", "专职人数", "专职工作人员"),
        _f("parttime_staff", "兼职人员", "兼职人数", "兼职工作人员"),
        _f("annual_funds", "年度经费（元）", "年度经费", "经费", "工作经费"),
        _f("party_org", "党组织", "党组织情况", "党建情况"),
        _f("rules", "制度", "制度建设", "规章制度"),
        _f("president_name", "会长", "会长姓名"),
        _f("secretary_general_name", "秘书长", "秘书长姓名"),
        _f("secretary_fulltime", "秘书长专职", "秘书长是否专职"),
        _f("is_group_member", "团体会员", "是否团体会员"),
        _f("inspection_passed", "年检合格", "年检情况", "年检"),
        _f("notes", "备注", "说明"),
    ],
    "meetings": [
        _f("chamber", "所属单位", "商会", "商会名称", "召开单位", "单位"),
        _f("body", "会议类型", "会议名称", "会议", "会议类别", required=True),
        _f("date", "会议日期", "日期", "召开时间", "时间", "召开日期", required=True),
        _f("place", "地点", "会议地点", "召开地点"),
        _f("agenda", "议题", "会议议题", "主要议题", "内容", "会议内容"),
        _f("expected_count", "应到人数", "应到"),
        _f("present_count", "实到人数", "实到", "参会人数"),
        _f("decisions", "决议", "会议决议", "决定事项"),
        _f("minutes", "纪要", "会议纪要"),
    ],
    "activities": [
        _f("chamber", "所属单位", "商会", "商会名称", "组织单位", "单位"),
        _f("category", "活动类别", "类别", "活动类型", "类型", required=True),
        _f("date", "活动日期", "日期", "时间", "活动时间", required=True),
        _f("title", "活动名称", "名称", "活动主题", "主题", "活动内容", required=True),
        _f("participant_count", "参加人数", "参与人数", "人数"),
        _f("member_participants", "会员参加人数", "会员参与人数"),
        _f("amount", "金额（万元）", "金额", "捐款金额", "金额(万元)", "引资金额"),
        _f("people_count", "培训人次", "受益人数"),
        _f("item_count", "件数", "解决问题件数", "提案数"),
        _f("notes", "备注", "说明", "成效"),
    ],
    "contacts": [
        _f("member", "会员", "企业名称", "会员名称", "会员单位", "走访对象", "联系对象", "单位名称", required=True),
        _f("credit_code", "统一社会信用代码", "信用代码"),
        _f("chamber", "联系单位", "商会", "所属商会"),
        _f("date", "日期", "走访日期", "联系日期", "时间", "走访时间", required=True),
        _f("way", "方式", "联系方式", "走访方式", required=True),
        _f("by_whom", "联系人", "走访人", "经办人"),
        _f("notes", "备注", "内容", "走访内容", "情况记录"),
    ],
}

KIND_LABELS = {"members": "会员", "chambers": "商会", "meetings": "会议", "activities": "活动", "contacts": "走访联系"}
IGNORED_HEADERS = ("序号", "编号", "序", "NO", "NO.", "行号")


def norm_header(text: object) -> str:
    """Header text compared loosely: half-width, no spaces, line breaks, required marks or colons."""
    s = to_halfwidth(str(text or ""))
    s = re.sub(r"[\s*:：※★]+", "", s)
    return s.upper()


def _strip_brackets(s: str) -> str:
    return re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", "", s)


def spec_for(kind: str, name: str) -> FieldSpec | None:
    return next((f for f in KINDS[kind] if f.name == name), None)


def labels(kind: str) -> dict[str, str]:
    return {f.name: f.label for f in KINDS[kind]}


@cache
def _lookup(kind: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    exact: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    for f in KINDS[kind]:
        for s in f.synonyms:
            ns = norm_header(s)
            exact.setdefault(ns, f.name)
            if len(ns) >= 2:
                prefixes.append((ns, f.name))
    prefixes.sort(key=lambda p: -len(p[0]))  # the longest known title wins
    return exact, prefixes


def match_header(kind: str, text: object) -> str | None:
    """The field a header text names, or IGNORE, or None."""
    if not isinstance(text, str):
        return None
    return _match(kind, text)


@lru_cache(maxsize=4096)
def _match(kind: str, text: str) -> str | None:
    h = norm_header(text)
    if not h or len(h) > 40:
        return None
    if h in IGNORED_HEADERS:
        return IGNORE
    exact, prefixes = _lookup(kind)
    bare = _strip_brackets(h)
    for candidate in (h, bare):
        if candidate in exact:
            return exact[candidate]
    # "企业名称（全称）", "联系电话（手机）", "入会时间(年月)": a known title plus a remark
    for ns, name in prefixes:
        if bare.startswith(ns):
            return name
    return None


@dataclass
class HeaderGuess:
    """Where the header is and what each column means."""

    first_row: int  # 0-based row of the (upper) header
    last_row: int  # 0-based row of the lower header (== first_row for one level)
    titles: list[str]  # per column: the header text as shown to the clerk ("联系方式/手机" for two levels)
    mapping: dict[int, str] = field(default_factory=dict)  # column → field (or IGNORE)

    @property
    def data_start(self) -> int:
        return self.last_row + 1


def _texts(row: list[object]) -> list[str]:
    return [str(v).strip() if v not in (None, "") else "" for v in row]


def _score(kind: str, row: list[object]) -> int:
    hits = {match_header(kind, v) for v in row if isinstance(v, str) and v.strip()}
    hits.discard(None)
    hits.discard(IGNORE)
    return len(hits)


def detect_header(kind: str, rows: list[list[object]], merged: list | None = None, *, scan: int = 30,
                  known_names: list[str] | None = None) -> HeaderGuess | None:
    """Find the header among the first rows: the row naming most known columns, plus a second level.

    Two-level headers are recognised either way round: a lower row naming columns under a merged
    upper title ("联系方式" over "手机"/"电话"), with single-level titles merged downwards.
    """
    best_row, best = -1, 0
    for i, row in enumerate(rows[:scan]):
        sc = _score(kind, row)
        if sc > best:
            best_row, best = i, sc
    if best_row < 0 or best < 2:
        return None
    upper, lower = best_row, best_row
    width = max((len(r) for r in rows[: best_row + 3]), default=0)
    merged = merged or []
    horiz = [((r0, c0), (r1, c1)) for (r0, c0), (r1, c1) in merged if c1 > c0]

    def spans_columns(r: int) -> bool:
        return any(r0 <= r <= r1 for (r0, _), (r1, _) in horiz)

    nxt = rows[best_row + 1] if best_row + 1 < len(rows) else []
    prv = rows[best_row - 1] if best_row > 0 else []
    if nxt and _score(kind, nxt) >= 1 and _looks_like_header_row(kind, nxt):
        lower = best_row + 1
    elif prv and (spans_columns(best_row - 1) or _score(kind, prv) >= 1) and _blanks_under_titles(rows[best_row], prv):
        upper = best_row - 1
    top = _texts(rows[upper]) + [""] * width
    bottom = _texts(rows[lower]) + [""] * width
    # a merged upper title covers the blank cells to its right
    for (r0, c0), (r1, c1) in horiz:
        if r0 <= upper <= r1:
            for c in range(c0 + 1, min(c1 + 1, width)):
                top[c] = top[c] or top[c0]
    titles, mapping = [], {}
    for c in range(width):
        t, b = top[c], bottom[c] if lower != upper else ""
        if lower != upper and b:
            m = match_header(kind, b) or (match_header(kind, t) if t and t != b else None)
            title = f"{t}/{b}" if t and t != b else b
        else:
            m = match_header(kind, t) if t else None
            title = t
        titles.append(title)
        if m:
            mapping[c] = m
    while titles and not titles[-1]:
        titles.pop()
    return HeaderGuess(upper, lower, titles, mapping)


def _looks_like_header_row(kind: str, row: list[object]) -> bool:
    # a data row can also contain a word like "会长"; a header row is all short text, no numbers or dates
    filled = [v for v in row if v not in (None, "")]
    return bool(filled) and all(isinstance(v, str) and len(v.strip()) <= 12 for v in filled) and \
        sum(1 for v in filled if match_header(kind, v)) * 2 >= len(filled)


def _blanks_under_titles(row: list[object], above: list[object]) -> bool:
    # the best row has blanks where the row above has a title (vertically merged single-level titles)
    return any(v in (None, "") and c < len(above) and above[c] not in (None, "") for c, v in enumerate(row))


def is_repeated_header(kind: str, row: list[object], guess: HeaderGuess) -> bool:
    """A header printed again mid-sheet (sheets pasted together, or repeated for printing)."""
    hits = 0
    for c, f in guess.mapping.items():
        if f == IGNORE or c >= len(row):
            continue
        v = row[c]
        if isinstance(v, str) and v.strip() and match_header(kind, v) == f:
            hits += 1
    mapped = sum(1 for f in guess.mapping.values() if f != IGNORE)
    return hits >= 2 or (mapped and hits == mapped)


_TOTAL = re.compile(r"^(合\s*计|小\s*计|总\s*计|共\s*计|总\s*数|累\s*计)")
_FOOTER = re.compile(r"^(填表人|制表人|填报人|审核人|负责人|单位负责人|统计人|联系人|填表日期|填报日期|制表日期|注[:：]|说明[:：]|备注[:：])")


def row_skip_reason(row: list[object]) -> str | None:
    """合计/小计 rows and the signature lines under a table: counted as skipped, never imported."""
    for v in row[:6]:
        if isinstance(v, str) and v.strip():
            s = re.sub(r"\s+", "", to_halfwidth(v))
            if _TOTAL.match(s):
                return "合计/小计行"
            if _FOOTER.match(s):
                return "表尾签字或说明行"
            return None
    return None


_KIND_WORDS = {"chambers": ("商会名录", "商会情况", "商会基本", "商会"), "members": ("会员", "花名册", "名册", "企业"),
               "meetings": ("会议",), "activities": ("活动",), "contacts": ("走访", "联系")}


def detect_kind(rows: list[list[object]], sheet_name: str = "") -> tuple[str | None, float]:
    """The kind of ledger a sheet is, from the fields its header names and words in its name or title
    (temporary: the recogniser's own version replaces this)."""
    title = sheet_name + "".join(str(v) for r in rows[:3] for v in r if isinstance(v, str))
    best: tuple[str | None, float] = (None, 0.0)
    for kind in KINDS:
        g = detect_header(kind, rows)
        if g is None:
            continue
        fields = {f for f in g.mapping.values() if f != IGNORE}
        required = [f.name for f in KINDS[kind] if f.required]
        if not all(r in fields for r in required):
            continue
        score = len(fields) / len(KINDS[kind]) + 0.3 * any(w in title for w in _KIND_WORDS[kind])
        if score > best[1]:
            best = (kind, round(score, 3))
    return best
