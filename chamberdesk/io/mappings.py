"""The fields of each import kind, and finding a sheet's header and what its columns are.

The recognising itself (scores from titles, units and cells; the assignment over the sheet) is in
recognition.py; this module keeps the interface the import flow and the wizard use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache

from chamberdesk.core.validators import to_halfwidth
from chamberdesk.io.normalize import (
    STANDARD_LEGENDS,
    cell_text,
    date_order,
    decode,
    filled_count,
    is_blank,
    parse_legend,
)
from chamberdesk.io.recognition import (
    IGNORE,
    MISSING_REQUIRED,
    SAMPLE,
    FieldSpec,
    Title,
    decide,
    head_denies,
    hint_score,
    normalise_title,
    title_scores,
    vocabulary,
)

__all__ = ["IGNORE", "KINDS", "KIND_LABELS", "FieldSpec", "HeaderGuess", "detect_header", "detect_kind",
           "match_header", "norm_header"]

KINDS: dict[str, list[FieldSpec]] = vocabulary().kinds
KIND_LABELS = {"members": "会员", "chambers": "商会", "meetings": "会议", "activities": "活动", "contacts": "走访联系"}

HEADER_HIT = 0.6  # a cell counts towards "this row is the header" from this title score
MATCH = 0.75  # match_header names a field from a title alone from this score


def norm_header(text: object) -> str:
    """Header text compared loosely: half-width, no spaces, line breaks, required marks or colons."""
    s = to_halfwidth(str(text or ""))
    s = re.sub(r"[\s*:：※★]+", "", s)
    return s.upper()


def spec_for(kind: str, name: str) -> FieldSpec | None:
    return next((f for f in KINDS[kind] if f.name == name), None)


def labels(kind: str) -> dict[str, str]:
    return {f.name: f.label for f in KINDS[kind]}


def match_header(kind: str, text: object) -> str | None:
    """The field a header text names by itself (no cells seen), or IGNORE, or None when unsure."""
    if not isinstance(text, str):
        return None
    return _match(kind, text)


@lru_cache(maxsize=4096)
def _match(kind: str, text: str) -> str | None:
    t = normalise_title(text)
    if not t.core or len(t.core) > 30:
        return None
    if t.core in vocabulary().ignored:
        return IGNORE
    scores = title_scores(kind, t.core)
    q = t.quantities
    ranked = sorted(((m.score + hint_score(f, q), f.name) for f in KINDS[kind]
                     if (m := scores.get(f.name)) and not head_denies(f, t, m.exact)),
                    reverse=True)
    if not ranked or ranked[0][0] < MATCH or (len(ranked) > 1 and ranked[1][0] >= ranked[0][0] - 1e-9):
        return None
    return ranked[0][1]


@dataclass
class HeaderGuess:
    """Where the header is, what each column means, and why."""

    first_row: int  # 0-based row of the (upper) header
    last_row: int  # 0-based row of the lower header (== first_row for one level)
    titles: list[str]  # per column: the header text as shown to the clerk ("联系方式/手机" for two levels)
    mapping: dict[int, str] = field(default_factory=dict)  # column → field (or IGNORE)
    reasons: dict[int, str] = field(default_factory=dict)  # column → why (Chinese, one line)
    ties: dict[int, list[str]] = field(default_factory=dict)  # column → fields too close to call, best first
    filled: list[int] = field(default_factory=list)  # columns with a title or data below it
    legends: dict[int, dict[str, str]] = field(default_factory=dict)  # coded column → code → word (1 → 乡镇)
    date_orders: dict[int, str] = field(default_factory=dict)  # column → "dmy"/"mdy": how its 8/3/2025 reads
    grouped: bool = False  # rows are grouped under rows naming their chamber (see group_label)

    @property
    def data_start(self) -> int:
        return self.last_row + 1

    @property
    def unmapped(self) -> list[int]:
        """Columns with a title or data that no field took: the import keeps them as custom fields."""
        seen = set(self.filled) | {c for c, t in enumerate(self.titles) if t}
        return sorted(c for c in seen if c not in self.mapping)


def _texts(row: list[object]) -> list[str]:
    return [str(v).strip().lstrip("\ufeff") if v not in (None, "") else "" for v in row]


@lru_cache(maxsize=16384)
def _best_field(kind: str, text: str) -> tuple[str, float]:
    t = normalise_title(text)
    if t.core in vocabulary().ignored:
        return IGNORE, 1.0
    scores = title_scores(kind, t.core)
    if not scores:
        return "", 0.0
    name = max(scores, key=lambda n: scores[n].score)
    return name, scores[name].score


def _hits(kind: str, row: list[object], *, own: bool = False) -> dict[str, float]:
    """Fields the header-like cells of a row name (each field once, its best score). With `own`, a
    title that another kind names clearly better ("入会日期" is a member's, not a meeting's date)
    does not count."""
    out: dict[str, float] = {}
    for v in row:
        if isinstance(v, str) and 0 < len(v.strip()) <= 60:
            name, sc = _best_field(kind, v)
            if not name or name == IGNORE or sc < HEADER_HIT:
                continue
            if own and any(_best_field(k, v)[1] > sc + 0.1 for k in KINDS if k != kind):
                continue
            out[name] = max(out.get(name, 0.0), sc)
    return out


def _score(kind: str, row: list[object]) -> int:
    return len(_hits(kind, row))


def _cells(merged: list | None) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Merged ranges as ((r0, c0), (r1, c1)), 0-based; "A1:E1" strings are accepted too."""
    out = []
    for m in merged or []:
        if isinstance(m, str):
            (r0, c0), (r1, c1) = (_a1(part) for part in (m.split(":") + [m])[:2])
            out.append(((r0, c0), (r1, c1)))
        else:
            (r0, c0), (r1, c1) = m
            out.append(((r0, c0), (r1, c1)))
    return out


def _a1(ref: str) -> tuple[int, int]:
    """"C4" → (3, 2): 0-based row and column."""
    m = re.fullmatch(r"\$?([A-Za-z]+)\$?(\d+)", ref.strip())
    if not m:
        raise ValueError(f"“{ref}”不是单元格地址")
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


# a cell holding a value, typed or as text (a CSV gives everything as text): a number, a date, a code or phone number
_VALUE_TEXT = re.compile(r"[-+]?\d+(?:\.\d+)?|\d{4}\s*[-./年]\s*\d{1,2}(?:\s*[-./月]\s*\d{1,2}\s*日?)?|\w*\d{6,}\w*")


def _data_like(row: list[object]) -> bool:
    """A row holding values, not titles: two or more numbers, dates, codes or phone numbers. A data row with
    words like 理事单位 in it is never taken for the header (the rows above it would be lost)."""
    return sum(1 for v in row if not isinstance(v, bool) and (
        isinstance(v, (int, float, date)) or isinstance(v, str) and _VALUE_TEXT.fullmatch(v.strip()) is not None)) >= 2


def _header_row(kind: str, rows: list[list[object]], scan: int) -> tuple[int, int]:
    best_row, best = -1, 0
    for i, row in enumerate(rows[:scan]):
        if _data_like(row):
            continue
        sc = len(_hits(kind, row, own=True))
        if sc > best:
            best_row, best = i, sc
    return best_row, best


def detect_header(kind: str, rows: list[list[object]], merged: list | None = None, *, scan: int = 30,
                  known_names: list[str] | set[str] | None = None) -> HeaderGuess | None:
    return _recognise(kind, rows, merged, scan, known_names)[0]


def _recognise(kind: str, rows: list[list[object]], merged: list | None, scan: int,
               known_names: list[str] | set[str] | None, *, veto: bool = True) -> tuple[HeaderGuess | None, float]:
    """Find the header among the first rows and decide what every column is.

    The header is the row naming most fields, plus a second level: a lower row naming columns under
    a merged upper title ("联系方式" over "手机"/"电话"), or single-level titles merged downwards.
    Then each column is scored from its title, unit and the data rows below it (`rows` holds them),
    and the best assignment over the sheet is taken; `known_names` (chambers on file) are evidence
    for an owner column.
    """
    best_row, best = _header_row(kind, rows, scan)
    if best_row >= 0 and best >= 2:
        return _recognise_at(kind, rows, merged, best_row, known_names)
    # Few titles in words we know: try the header-looking rows that name something, and keep the
    # first whose columns, read with the cells under them, give every required field — or else the
    # best, so long as no other kind reads the sheet better (a member sheet is no meeting sheet)
    tries = []
    for i, row in enumerate(rows[:scan]):
        named = sum(1 for v in row if isinstance(v, str) and 0 < len(v.strip()) <= 60 and _best_field(kind, v)[1] >= 0.4)
        if named and _header_like(row):
            tries.append((-named, i))
    fallback: tuple[HeaderGuess | None, float] = (None, 0.0)
    for _named, i in sorted(tries)[:3]:
        tried, tried_strength = _recognise_at(kind, rows, merged, i, known_names)
        if _fit(kind, tried, tried_strength) > _fit(kind, *fallback):
            fallback = (tried, tried_strength)
    guess, strength = fallback
    if guess is None or not any(f != IGNORE for f in guess.mapping.values()):
        return None, 0.0
    fit = _fit(kind, guess, strength) + _words_above(kind, rows, guess.first_row)
    for other in KINDS if veto else ():
        at, hits = _header_row(other, rows, scan)
        if other != kind and at >= 0 and hits >= 2:
            theirs, their_strength = _recognise_at(other, rows, merged, at, None)
            if _fit(other, theirs, their_strength) + _words_above(other, rows, at) > fit:
                return None, 0.0
    return guess, strength


def _words_above(kind: str, rows: list[list[object]], header: int, sheet_name: str = "") -> float:
    """What the title rows above the header (and the sheet's name) say of the kind: the longer the
    kind's word found, the more it says ("会员联系服务记录表" is a record of 联系服务, not a member list)."""
    words = vocabulary().kind_words[kind]
    above = "".join(normalise_title(str(x)).core for r in rows[:header] for x in r if isinstance(x, str))
    # a word inside another kind's longer word found there says nothing ("会员企业" in "走访会员企业登记簿")
    longer = [o for k, ws in vocabulary().kind_words.items() if k != kind for o in ws if o in above]
    said = [w for w in words if w in above and not any(w in o and len(o) > len(w) for o in longer)]
    name = normalise_title(sheet_name).core
    return min(2.0, 0.4 * max((len(w) for w in said), default=0)) + \
        min(2.0, 0.4 * max((len(w) for w in words if name and (w in name or name in w)), default=0))


def _fit(kind: str, guess: HeaderGuess | None, strength: float) -> float:
    """How well a kind reads a sheet: the scores of its mapped columns, less its required fields missing."""
    if guess is None:
        return float("-inf")
    have = set(guess.mapping.values())
    # a sheet without a kind's required columns could not be imported as that kind
    return strength - MISSING_REQUIRED * sum(1 for f in KINDS[kind] if f.required and f.name not in have)


_UNITS_LABELS = ("计量单位", "单位", "计算单位")  # what a statistics form's line of units says first


def _units_row(row: list[object]) -> bool:
    """A line of units under the titles: 万元, （人）, ㎡ … and nothing else."""
    filled = [v for v in row if v not in (None, "") and not (isinstance(v, str) and not v.strip())]
    units = vocabulary().units
    if filled and isinstance(filled[0], str) and normalise_title(filled[0]).core in _UNITS_LABELS:
        return True  # a statistics form's 计量单位 line: ㎡, 人, 万元, 代码, 是=1 否=0 …
    return bool(filled) and all(isinstance(v, str) and (_only_unit(v) or normalise_title(v).core in units) for v in filled)


_COLUMN_NUMBER = re.compile(r"[甲乙丙丁戊己庚辛壬癸A-Z]|\d{1,2}|栏[号次]|计量单位|单位")


def _column_numbers_row(row: list[object]) -> bool:
    """The line of column numbers statistics forms print under the titles (甲, 乙, 1, 2, 3 … or A, B, 1, 2 …),
    with at least three of them running on: part of the header, never a data row."""
    filled = [cell_text(v).strip().strip("()（）") for v in row if not is_blank(v)]  # "（甲）", "（1）" too
    nums = [int(v) for v in filled if v.isdigit()]
    return len(filled) >= 3 and all(_COLUMN_NUMBER.fullmatch(v) for v in filled) and len(nums) >= 3 and \
        nums == list(range(nums[0], nums[0] + len(nums)))


def _only_unit(v: str) -> bool:
    # "（万元）", "人" — not "帮扶资金投入（万元）", a title with its unit
    t = normalise_title(f"x({v.strip().strip('()（）')})")
    return bool(t.units) and t.core == "X" and not t.remarks


_CJK_TITLE = re.compile(r"[\u4e00-\u9fff]")
_LATIN_TITLE = re.compile(r"[A-Za-z][A-Za-z .,&'/()\-]*|[A-Z][A-Z0-9_]*")  # field codes too: ORG_NAME


def _latin_row(row: list[object]) -> bool:
    """A line of English (or pinyin) titles under the Chinese ones: "Company Name", "Tel.", "No."."""
    filled = [v for v in row if v not in (None, "") and not (isinstance(v, str) and not v.strip())]
    return len(filled) >= 2 and all(isinstance(v, str) and _LATIN_TITLE.fullmatch(v.strip()) for v in filled)


def _grouped_upper(top: list[str], bottom: list[str], horiz: list, upper: int, width: int) -> set[int]:
    """Columns whose upper title is a group title over several lower ones: merged across columns, or
    written once with blank cells to its right over filled lower titles (an office that does not merge)."""
    out: set[int] = set()
    for (r0, c0), (r1, c1) in horiz:
        if r0 <= upper <= r1:
            out.update(range(c0, min(c1 + 1, width)))
    for c in range(width - 1):
        if top[c] and not top[c + 1] and bottom[c + 1]:
            out.add(c)
    return out


def _group_titles(row: list[object], r: int, horiz: list, width: int) -> bool:
    """Group titles over every column of the header ("走访对象" over 企业名称/联系人, "走访情况" over
    时间/方式): two or more short titles, one at least merged across some columns but not the whole sheet
    (that is the sheet's title), none a "填报单位：…" line."""
    filled = [str(v) for v in row if v not in (None, "") and not (isinstance(v, str) and not v.strip())]
    return len(filled) >= 2 and _header_like(row) and not any(":" in v or "：" in v for v in filled) \
        and any(r0 <= r <= r1 and c1 - c0 + 1 < width for (r0, c0), (r1, c1) in horiz)


def _wrapped(kind: str, top: list[object], bottom: list[object]) -> bool:
    """Titles typed over two rows without merging ("包联" over "干部", "會議" over "地點"): the lower row holds
    short texts only, and read together two columns at least name a field clearly better than either row
    alone (a first data row under full titles never does: "企业名称" says more than "企业名称宏达公司")."""
    if not _header_like(bottom):
        return False
    t, b = _texts(top), _texts(bottom)
    better, gain, known, agree, fragments, moved = 0, 0.0, 0, 0, 0, 0
    for c in range(min(len(t), len(b))):
        if t[c] and b[c]:
            (jf, joined), (tf, upper), (_bf, lower) = (_best_field(kind, x) for x in (t[c] + b[c], t[c], b[c]))
            alone = max(upper, lower)
            if joined > alone + 0.1:
                better, gain = better + 1, gain + joined - alone
            if joined or alone:
                known += 1
                agree += joined >= 0.5 and joined >= alone - 0.1
                fragments += lower < 0.3
                moved += joined >= 0.5 and (joined > alone + 0.1 or jf != tf)
    # … or the upper row names fields alone ("會議" over "地點" names the meeting) but the lower row holds
    # fragments that name nothing alone (名額, 人頭數, 事項), and read together the columns keep or sharpen what
    # they name ("會議地點" is the place)
    return better >= 2 and gain >= 0.5 or (known >= 4 and agree >= 0.7 * known and fragments >= 2 and moved >= 1)


def _header_like(row: list[object]) -> bool:
    """Short texts only, at least two, none a date or a number: a row of titles."""
    filled = [v for v in row if v not in (None, "") and not (isinstance(v, str) and not v.strip())]
    if len(filled) < 2 or not all(isinstance(v, str) and len(v.strip()) <= 60 for v in filled):
        return False
    return not any(re.fullmatch(r"[\d\s.,/:年月日-]+", str(v)) for v in filled)


def _recognise_at(kind: str, rows: list[list[object]], merged: list | None, best_row: int,
                  known_names: list[str] | set[str] | None) -> tuple[HeaderGuess, float]:
    if best_row > 0 and _latin_row(rows[best_row]) and _CJK_TITLE.search("".join(_texts(rows[best_row - 1]))) \
            and _header_like(rows[best_row - 1]):
        best_row -= 1  # English or field codes under Chinese titles: the Chinese line leads, the codes follow
    upper, lower = best_row, best_row
    width = max((len(r) for r in rows[: best_row + 3]), default=0)
    cells = _cells(merged)
    horiz = [((r0, c0), (r1, c1)) for (r0, c0), (r1, c1) in cells if c1 > c0]
    # titles merged down from the header row into the next, or from the row above into it: two levels
    down = any(r0 == best_row and r1 > r0 for (r0, _), (r1, _) in cells)
    from_above = any(r0 == best_row - 1 and r1 >= best_row for (r0, _), (r1, _) in cells)

    def spans_columns(r: int) -> bool:
        return any(r0 <= r <= r1 for (r0, _), (r1, _) in horiz)

    nxt = rows[best_row + 1] if best_row + 1 < len(rows) else []
    if group_label(nxt):
        nxt = []  # a chamber's name under the titles ("秀谷镇商会") heads a group of rows: no title line
    prv = rows[best_row - 1] if best_row > 0 else []
    numbers_row = bool(nxt) and _column_numbers_row(nxt)
    units_row = bool(nxt) and not numbers_row and _units_row(nxt)
    latin_row = bool(nxt) and not units_row and _latin_row(nxt)
    if nxt and (units_row or latin_row or numbers_row or _nested(rows[best_row], nxt) and (
            (down and _header_like(nxt)) or (_score(kind, nxt) >= 1 and _looks_like_header_row(kind, nxt)))):
        lower = best_row + 1
    elif prv and sum(1 for v in prv if not is_blank(v)) >= 2 and (
            (spans_columns(best_row - 1) or from_above or _score(kind, prv) >= 1)
                  and _blanks_under_titles(rows[best_row], prv) or _group_titles(prv, best_row - 1, horiz, width)):
        upper = best_row - 1
    elif nxt and _wrapped(kind, rows[best_row], nxt):
        lower = best_row + 1
    elif prv and _wrapped(kind, prv, rows[best_row]):
        upper = best_row - 1
    top = _texts(rows[upper]) + [""] * width
    bottom = _texts(rows[lower]) + [""] * width
    # a merged upper title covers the blank cells to its right
    for (r0, c0), (r1, c1) in horiz:
        if r0 <= upper <= r1:
            for c in range(c0 + 1, min(c1 + 1, width)):
                top[c] = top[c] or top[c0]
    data = _sample_rows(rows, lower + 1, top if lower == upper else bottom)
    width = max([width, *(len(r) for r in data)])
    titles: list[str] = []
    parsed: list[Title] = []
    parts: list[tuple[Title, ...]] = []
    grouped = _grouped_upper(top, bottom, horiz, upper, width) if lower != upper else set()
    for c in range(width):
        t, b = (top[c], bottom[c] if lower != upper else "") if c < len(top) else ("", "")
        if units_row and b and t:
            unit = b.strip("()（）")
            # a line of units under the titles (its first cell may say so: 计量单位)
            title = f"{t}（{unit}）" if unit and normalise_title(unit).core not in _UNITS_LABELS else t
            parts.append(())
        elif latin_row or numbers_row:
            title = t or b  # the Chinese title says it; the line under it only translates or numbers it
            parts.append(())
        elif lower != upper and b and t and t != b and c not in grouped:
            title = t + b  # one title wrapped over two cells ("法定" over "代表人"), not a group over its parts
            parts.append(())
        elif lower != upper and b and t and t != b:
            title = f"{t}/{b}"
            parts.append((normalise_title(t), normalise_title(b)))
        else:
            title = b or t
            parts.append(())
        titles.append(title)
        parsed.append(parts[-1][-1] if parts[-1] else normalise_title(title))  # the lower title ("有/无" whole)
    columns = [[r[c] if c < len(r) else None for r in data] for c in range(width)]
    orders = {c: o for c in range(width) if (o := date_order(titles[c], columns[c]))}
    legends = _legends(kind, rows, upper, lower, titles)
    for c, legend in legends.items():
        columns[c] = [decode(v, legend) for v in columns[c]]  # the recogniser sees 乡镇, not 1
    known = frozenset(normalise_title(n).core for n in known_names or ())
    decision = decide(kind, parsed, parts, columns, known)
    for c, legend in legends.items():
        if c in decision.mapping and decision.mapping[c] != IGNORE:
            said = " ".join(f"{k}={w}" for k, w in list(legend.items())[:4]) + (" …" if len(legend) > 4 else "")
            decision.reasons[c] += f"；代码按表中的说明换成文字（{said}）"
    filled = sorted({c for c in range(width) if titles[c]} | {c for c in range(width) if any(
        v not in (None, "") for v in columns[c])})
    while titles and not titles[-1] and (len(titles) - 1) not in filled:
        titles.pop()
    chamber_groups = any(group_label(r, decision.mapping) for r in rows[lower + 1: lower + 1 + SAMPLE])
    guess = HeaderGuess(upper, lower, titles, decision.mapping, decision.reasons, decision.ties, filled, legends, orders,
                        chamber_groups)
    return guess, decision.strength


def _legends(kind: str, rows: list[list[object]], upper: int, lower: int,
             titles: list[str]) -> dict[int, dict[str, str]]:
    """What the codes of coded columns stand for, where the form says it: in the title's brackets ("商会类别
    （1乡镇 2街道）"), in the line of units under it ("是=1 否=0"), or in a note above or below the table
    ("说明：商会组织形式 1=乡镇 2=街道；…", each part naming its column, in the same or other words:
    "活动类型代码" explains the column "活动种类代码"); else a national standard's codes ("性别代码")."""
    out: dict[int, dict[str, str]] = {}
    notes = []  # (what a note's part is about, its legend): "党组织设置方式代码：1=单独组建 2=联合组建"
    for i, r in enumerate(rows):
        # notes are the lines above the header and the one- or two-cell lines under the data, not data rows
        for v in r if i < upper or i > lower and note_line(r) else ():
            if isinstance(v, str) and len(v) > 6 and re.search(r"\d", v):
                for seg in re.split(r"[；;。\n]", v):
                    # "1．组织类别代码：…", "填报说明：1．组织类别代码：…": the number only counts the note's parts
                    seg = re.sub(r"(^|[:：])\s*\d{1,2}\s*[.．、]\s*", r"\1", seg)
                    about = [x for x in re.split(r"[:：]", re.split(r"\d", seg, maxsplit=1)[0]) if x.strip()]
                    if about and (legend := parse_legend(seg)):
                        notes.append((normalise_title(about[-1]).core.removesuffix("代码"), legend))

    def same(about: str, core: str) -> bool:
        if len(about) < 2 or len(core) < 2:
            return False
        if about in core or core in about:
            return True
        a, b = _best_field(kind, about), _best_field(kind, core)
        return a[0] not in ("", IGNORE) and a[0] == b[0] and min(a[1], b[1]) >= HEADER_HIT

    for c, title in enumerate(titles):
        if not title:
            continue
        t = normalise_title(title)
        core = t.core.removesuffix("代码")
        coded = core != t.core or "代码" in t.remarks or "代码" in t.units
        legend = parse_legend(title) or next((lg for about, lg in notes if same(about, core)), {}) or (
            STANDARD_LEGENDS.get(core, {}) if coded else {})
        if legend:
            out[c] = legend
    return out


def _sample_rows(rows: list[list[object]], start: int, header: list[str]) -> list[list[object]]:
    """Data rows under the header for evidence: no blank, total, footer or repeated header rows."""
    head = {norm_header(t) for t in header if t}
    out: list[list[object]] = []
    for raw in rows[start:]:
        if len(out) >= SAMPLE:
            break
        if all(v in (None, "") or (isinstance(v, str) and not v.strip()) for v in raw) or row_skip_reason(raw) \
                or group_label(raw):
            continue
        texts = [norm_header(v) for v in raw if isinstance(v, str) and v.strip()]
        if texts and sum(1 for x in texts if x in head) * 2 >= len(texts):
            continue
        out.append(raw)
    return out


def detect_kind(rows: list[list[object]], sheet_name: str = "", merged: list | None = None, *,
                scan: int = 30) -> tuple[str | None, float]:
    """Which import kind a sheet holds: each kind's columns are recognised (titles and cells), and the
    words of the title rows above the header and of the sheet name add their weight.

    Returns (kind, confidence 0–1: how far the best kind is ahead of the next); (None, 0.0) when no
    kind's header is found.
    """
    scores: dict[str, float] = {}
    for kind in KINDS:
        guess, strength = _recognise(kind, rows, merged, scan, None, veto=False)
        if guess is None:
            scores[kind] = 0.0
            continue
        scores[kind] = _fit(kind, guess, strength) + _words_above(kind, rows, guess.first_row, sheet_name)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (kind, top), (_k2, second) = ranked[0], ranked[1]
    if top <= 0:
        return None, 0.0
    return kind, round((top - max(second, 0.0)) / top, 3)


def _looks_like_header_row(kind: str, row: list[object]) -> bool:
    # a data row can also contain a word like "会长"; a header row is all short text, no numbers or dates
    # (a CSV gives them as text: "128", "2023-03-08")
    filled = [v for v in row if v not in (None, "")]
    return bool(filled) and all(isinstance(v, str) and len(v.strip()) <= 12 for v in filled) and \
        not any(re.fullmatch(r"[\d\s.,/:年月日-]+", str(v)) for v in filled) and \
        sum(1 for v in filled if _best_field(kind, v)[1] >= HEADER_HIT) * 2 >= len(filled)


def _nested(upper: list[object], lower: list[object]) -> bool:
    # a second header level sits under a group title: the upper row is blank (merged) above some
    # lower title, or the lower row is blank under some single-level title merged downwards
    blank = [v in (None, "") or (isinstance(v, str) and not v.strip()) for v in upper]
    return any(c < len(blank) and blank[c] and v not in (None, "") for c, v in enumerate(lower)) or \
        _blanks_under_titles(lower, upper)


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
        # this runs on every row of a large sheet: one normalisation per cell, then set lookups
        if isinstance(v, str) and 0 < len(v) <= 40 and c < len(guess.titles):
            n = norm_header(v)
            if n in _title_forms(guess.titles[c]) or _known_titles(kind).get(n) == f:
                hits += 1
    mapped = sum(1 for f in guess.mapping.values() if f != IGNORE)
    return hits >= 2 or bool(mapped and hits == mapped)


@cache
def _known_titles(kind: str) -> dict[str, str]:
    """Every label and synonym of a kind, as norm_header writes it: a header printed in our words."""
    out: dict[str, str] = {}
    for f in KINDS[kind]:
        for syn in f.synonyms:
            out.setdefault(norm_header(syn), f.name)
    return out


@lru_cache(maxsize=1024)
def _title_forms(title: str) -> frozenset[str]:
    """A column's title as norm_header writes it, whole and each level ("联系方式/手机")."""
    return frozenset(norm_header(part) for part in (title, *title.split("/")))


TOTAL_ROW = "合计/小计行"
_TOTAL = re.compile(r"^(合\s*计|小\s*计|总\s*计|共\s*计|总\s*数|累\s*计)")
_FOOTER = re.compile(r"^(填表人|制表人|填报人|审核人|负责人|单位负责人|统计人|联系人|填表日期|填报日期|制表日期|注[:：]|说明[:：]|备注[:：])")

def note_line(row: list[object]) -> bool:
    """A line of one or two cells under or over the table, not a record: the lines a form explains its codes in."""
    return filled_count(row) <= 2


_GROUP_ENUM = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、．]|[(（][一二三四五六七八九十\d]{1,3}[)）])\s*")
_GROUP_END = re.compile(r"(?:商会|协会|分会|联合会|总会|工商联|联谊会|促进会|本级)$")
_KIND_ONLY = re.compile(r"(?:乡镇|镇|街道|行业|异地|楼宇|市场|园区|商圈|基层)?(?:商会|协会|分会)")


def group_label(row: list[object], mapping: dict[int, str] | None = None) -> str | None:
    """A row that only names a chamber ("秀谷镇商会", "一、石牌镇商会") heads the rows under it, as county
    offices paste each township's return under its name: the chamber's name, else None. Not a kind of
    chamber alone ("二、行业商会"), not a labelled line ("填报单位：…"), and — given the sheet's `mapping` —
    never a cell in a column that holds a field (a member typed with its name alone is a record)."""
    if filled_count(row) != 1:
        return None
    c, v = next((c, v) for c, v in enumerate(row) if not is_blank(v))
    if not isinstance(v, str) or mapping and mapping.get(c, IGNORE) != IGNORE:
        return None
    text = _GROUP_ENUM.sub("", v).strip()
    return text if 2 <= len(text) <= 30 and _GROUP_END.search(text) and not _KIND_ONLY.fullmatch(text) \
        and not re.search(r"[\d:：]", text) else None


def row_skip_reason(row: list[object]) -> str | None:
    """合计/小计 rows and the signature lines under a table: counted as skipped, never imported."""
    for v in row[:6]:
        if isinstance(v, str) and v.strip():
            s = "".join(to_halfwidth(v).split())  # as re.sub(r"\s+", "", …), faster: every row asks
            if _TOTAL.match(s):
                return TOTAL_ROW
            if _FOOTER.match(s) or re.search(r"\d", s) and note_line(row) and parse_legend(s):
                return "表尾签字或说明行"  # … or a legend: "组织类别代码：1=乡镇商会 2=街道商会"
            return None
    return None
