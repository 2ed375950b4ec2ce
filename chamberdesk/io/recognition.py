"""What a sheet's columns are, decided from evidence: the words of the title, its unit, the cells below.

Every column is scored against every field of the import kind; the best assignment over the whole
sheet is chosen (two columns never land in one field), near-ties are reported, and each column gets
a short Chinese reason. The vocabulary is data: vocabulary.toml beside this module.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from stdnum.cn import ric, uscc

from chamberdesk.core.validators import normalize_phone, to_halfwidth
from chamberdesk.io.normalize import FALSE_WORDS, TRUE_WORDS, parse_bool, parse_date

IGNORE = "_ignore"  # a column read but not imported (序号, 编号)

ACCEPT = 0.5  # a column lands in a field only at this score or above
REQUIRED_ACCEPT = 0.3  # … or at this one for a required field that no column reached otherwise
DENIED = 0.2  # the most a field scores where the title's last word, a question, a negation or the cells rule it out
MISSING_REQUIRED = 1.5  # what a required field without a column costs a kind's fit to a sheet
NEAR = 0.08  # two scores closer than this are reported as a tie for the clerk to check
SAMPLE = 60  # data cells looked at per column
SHARED_TYPES = ("phone",)
SELF_EVIDENT = ("code", "id", "phone", "date", "gender", "chamber", "org")  # cells that say what they are  # fields several columns may fill (the import takes the first filled cell)


# --- the vocabulary -------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldSpec:
    name: str  # model field, or a pseudo field such as "chamber"
    label: str  # the Chinese column title the app itself writes (exports use it, so round trips map)
    synonyms: tuple[str, ...] = ()  # the label first, then other whole titles offices use
    required: bool = False
    type: str = "text"  # what the cells hold (see vocabulary.toml)
    keywords: tuple[tuple[str, float], ...] = ()
    values: tuple[str, ...] = ()  # "=word": the whole cell is the word
    against: tuple[str, ...] = ()  # words in a title that speak against the field
    code_start: str = ""  # first characters a credit code of this kind starts with (registering authority)
    born: bool = False  # a date of birth (its years are long past)
    units: tuple[str, ...] = ()  # units in a title that only this field of its kind is counted in ((件), (家))
    closed: bool = False  # the cells are words of a known set (values)
    # words against the field unless the cells are what the field holds ("责任单位" over chamber names is the owner, over
    # government offices another party)
    against_unless_cells: tuple[str, ...] = ()
    not_units: tuple[str, ...] = ()  # units the field is never counted in: a number of people is no 件数


@dataclass(frozen=True)
class Vocabulary:
    kinds: dict[str, list[FieldSpec]]
    traditional: dict[int, str]
    ignored: frozenset[str]
    units: dict[str, str]  # normalised unit → quantity kind
    hints: dict[str, str]  # word in a title → quantity kind
    heads: tuple[tuple[str, str], ...]  # last word of a title → what the column holds, longest first
    head_types: dict[str, frozenset[str]]  # … → the field types that can hold it
    kind_words: dict[str, tuple[str, ...]]
    generic: tuple[str, ...]
    person_endings: tuple[str, ...]
    not_amount_endings: tuple[str, ...]
    surnames: frozenset[str]
    compound_surnames: tuple[str, ...]
    birth_words: tuple[str, ...]
    english: tuple[tuple[tuple[str, ...], str], ...]  # English phrase (its words) → Chinese, longest first
    colloquial: tuple[tuple[str, str], ...]  # hand-typed word → the plain title word, longest first
    dialect: tuple[tuple[str, str], ...]  # dialect word → the common spoken word, longest first


@cache
def vocabulary() -> Vocabulary:
    """vocabulary.toml, read once."""
    data = tomllib.loads(resources.files("chamberdesk.io").joinpath("vocabulary.toml").read_text("utf-8"))
    norm = data["normalise"]
    trad = {ord(p[0]): p[1] for p in norm["traditional"].split()}
    dialect = tuple(sorted(((_plain(k, trad), v) for k, v in data["dialect"].items()), key=lambda kv: -len(kv[0])))
    kinds = {}
    for kind in ("members", "chambers", "meetings", "activities", "contacts"):
        kinds[kind] = [
            FieldSpec(f["name"], f["label"], (f["label"], *f.get("synonyms", ())), f.get("required", False),
                      f.get("type", "text"), tuple(f.get("keywords", {}).items()), tuple(f.get("values", ())),
                      tuple(f.get("against", ())), f.get("code_start", ""), f.get("born", False),
                      tuple(f.get("units", ())), f.get("closed", False), tuple(f.get("against_unless_cells", ())),
                      tuple(f.get("not_units", ())))
            for f in data[kind]]
    return Vocabulary(
        kinds=kinds, traditional=trad,
        ignored=frozenset(_plain(w, trad) for w in norm["ignored"]),
        units={_plain(u, trad): q for u, q in data["units"].items()},
        hints={_plain(h, trad): q for h, q in data["hints"].items()},
        heads=tuple(sorted(((_plain(w, trad), k) for w, k in data["heads"]["words"].items()),
                           key=lambda wk: -len(wk[0]))),
        head_types={k: frozenset(ts) for k, ts in data["heads"]["types"].items()},
        kind_words={k: tuple(_plain(w, trad) for w in ws) for k, ws in data["kind_words"].items()},
        generic=tuple(sorted(norm["generic"], key=len, reverse=True)),
        person_endings=tuple(norm["person_endings"]),
        not_amount_endings=tuple(norm["not_amount_endings"]),
        surnames=frozenset("".join(norm["surnames"].split())),
        compound_surnames=tuple(norm["compound_surnames"]),
        birth_words=tuple(norm["birth_words"]),
        english=tuple(sorted(((tuple(k.split()), v) for k, v in data["english"].items()), key=lambda kv: -len(kv[0]))),
        colloquial=tuple(sorted(((_spoken(_plain(k, trad), dialect), v) for k, v in data["colloquial"].items()),
                                key=lambda kv: -len(kv[0]))),
        dialect=dialect,
    )


# --- titles ---------------------------------------------------------------------------------------

_OPEN, _CLOSE = "([【〔{<《", ")]】〕}>》"
_BRACKET = re.compile(r"[(\[【〔{<《]([^()\[\]【】〔〕{}<>《》]*)[)\]】〕}>》]")
_MARKS = re.compile(r"[*※★☆▲△#:;,.、\"'“”‘’_\-—~|/\\?？!！]+")
_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\ufeff\u200b-\u200f\u2060]")  # a BOM left on the first title, zero-width marks
_ENUM = re.compile(r"^(?:\d{1,2}[、.)]|\(\d{1,2}\)|\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}[、.])(?=\D)")  # "1、企业名称", "(2)…", "一.…"
# units also written without brackets at the end of a title ("金额万元", "面积m2")
# an English or pinyin sub-title after the Chinese one ("企业名称 Company Name", "法定代表人\nLegal Representative"):
# the Chinese says it, the Latin letters would only dilute the likeness
_LATIN_TAIL = re.compile(r"(?<=[\u4e00-\u9fff])(?:[A-Z][A-Z.&'/\-]{2,}|NO)$")  # "序 No." too
_QUESTION_START = ("是否", "有无", "有没有", "是不是", "能否", "可否")
_YES_NO_REMARKS = ("是否", "有无", "√×", "已未", "YN", "是不是")  # "（是/否）" after a title: answered yes or no
# "秘书长及电话", "法定代表人及其联系电话"; not "法人和其他组织统一社会信用代码", which names one thing
_BOTH = re.compile(r"^(.{2,}?)(?:及|以及|暨|和)其?(.{2,6})$")
_BARE_UNITS = ("万元", "千元", "亿元", "平方米", "平米", "M2")


def _spoken(s: str, dialect: tuple[tuple[str, str], ...]) -> str:
    """Dialect words as the common spoken ones ("么子时候" → "啥时候")."""
    for w, common in dialect:
        if w in s:
            s = s.replace(w, common)
    return s


def _plain(text: str, trad: dict[int, str]) -> str:
    """Half-width, simplified, no spaces, upper case: the form every comparison uses."""
    return _SPACE.sub("", _INVISIBLE.sub("", to_halfwidth(text)).translate(trad)).upper()


@dataclass(frozen=True)
class Title:
    """A header text taken apart: what it names, the units in its brackets, the other remarks."""

    core: str
    units: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()  # the answers a remark offers: "商会类别（乡镇/行业/异地）" → 乡镇, 行业, 异地

    @property
    def quantities(self) -> frozenset[str]:
        """Kinds of quantity the title's units and words speak for (area, money, date …)."""
        v = vocabulary()
        if self.core.endswith(v.not_amount_endings):
            return frozenset()  # 经费来源 is no sum of money
        found = {v.units[u] for u in self.units if u in v.units}
        found.update(q for w, q in v.hints.items() if w in self.core)
        if self.core.endswith(v.person_endings) and not self.core.endswith(("人数", "人次")):
            found.add("person")
        return frozenset(found)


    @property
    def question(self) -> bool:
        """A yes/no question ("是否加入县工商联", "有无纪要", "专职与否", "团体会员单位（是/否）"): it asks about
        its own subject."""
        return _is_question(self.core) or any(r.startswith(_YES_NO_REMARKS) for r in self.remarks)

    @property
    def negated(self) -> bool:
        """About what is not ("未入会原因", "无办公场所原因", "非会员企业"): never the field it names."""
        return self.core.startswith(("未", "无", "非", "不")) and not self.core.startswith(("无党派", "不动产", "非公"))

    @property
    def head_word(self) -> str:
        """The last word of the title that says what the column holds ("" when none does)."""
        return _head(self.core)[0]

    @property
    def head(self) -> str:
        """What the last word of the title says the column holds: a Chinese title ends in what it is
        about ("会长电话" is a phone, "秘书长单位" an organisation, "出席率" a ratio); "" when unsaid."""
        return _head(self.core)[1]


@lru_cache(maxsize=8192)
def _is_question(core: str) -> bool:
    # … or with the question word after its subject ("秘书长是否专职", "专职人员是否到位"), or asked as people
    # ask ("民政登了没", "入会了吗")
    return core.startswith(_QUESTION_START) or core.endswith(("与否", "了没", "了吗", "没有")) or "是否" in core \
        or "有无" in core


@lru_cache(maxsize=8192)
def _head(core: str) -> tuple[str, str]:
    return next(((w, k) for w, k in vocabulary().heads if core.endswith(w)), ("", ""))


_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORDS = re.compile(r"[A-Z]+|\d+")


def _english(text: str) -> str:
    """A title in English alone, as the Chinese its words stand for ("Contact Person" → 联系人,
    "JoinDate" → 入会日期); what is in brackets (a unit, a remark) is left as it is."""
    def words(seg: str) -> str:
        ws = _LATIN_WORDS.findall(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", seg).upper())
        out, i = [], 0
        while i < len(ws):
            for phrase, zh in vocabulary().english:
                if tuple(ws[i:i + len(phrase)]) == phrase:
                    out.append(zh)
                    i += len(phrase)
                    break
            else:
                out.append(ws[i])
                i += 1
        return "".join(out)
    parts = re.split(r"(\([^()]*\))", to_halfwidth(text))
    return "".join(part if k % 2 else words(part) for k, part in enumerate(parts))


@lru_cache(maxsize=8192)
def normalise_title(text: str) -> Title:
    """Full-width → half-width, traditional → simplified, spaces and line breaks out, required marks
    out, remarks in brackets set apart, units (in brackets, after a slash, or bare at the end) kept;
    a title in English alone read as the Chinese its words stand for."""
    v = vocabulary()
    text = to_halfwidth(re.sub(r"^[①-⑳]", "", str(text).strip()))  # before ① is read as 1
    if not _CJK.search(text) and re.search(r"[A-Za-z]{2}", text) and _plain(text, {}).strip(".") not in v.ignored:
        text = _english(text)  # "No." stays a row number
    s = _plain(text, v.traditional)
    while (m := _ENUM.match(s)) and m.end() < len(s):
        s = s[m.end():]
    units: list[str] = []
    remarks: list[str] = []
    choices: list[str] = []

    def take(inner: str) -> None:
        inner = re.sub(r"^单位[:：]?", "", inner).strip(":：")
        if inner in v.units:
            units.append(inner)
        elif inner:
            remarks.append(_MARKS.sub("", inner))
            items = [x for x in re.split(r"[/、,;]", inner) if x]
            if len(items) >= 2 and all(len(x) <= 6 and not re.search(r"\d", x) for x in items):
                choices.extend(items)

    while True:  # innermost brackets first, until none are left
        m = _BRACKET.search(s)
        if not m:
            break
        if m.group(1) in ("数", "数量") and m.end() == len(s):
            s = s[: m.start()] + m.group(1)  # "参加人（数）": the bracket ends the title's word
            continue
        take(m.group(1))
        s = s[: m.start()] + s[m.end():]
    if (cut := min((i for i in (s.find(ch) for ch in _OPEN) if i >= 0), default=-1)) >= 0:
        take(s[cut + 1:])  # an unclosed bracket: the rest is a remark
        s = s[:cut]
    s = s.translate({ord(ch): None for ch in _CLOSE})
    if (m := re.search(r"(?:/|单位[:：]?)([^/]+)$", s)) and m.group(1) in v.units and m.start() >= 1:
        units.append(m.group(1))
        s = s[: m.start()]
    s = _MARKS.sub("", s)
    s = _spoken(s, v.dialect)
    if any(w.lstrip("=") in s for w, _ in v.colloquial):
        for w, plain in v.colloquial:  # "=地方": the whole title only (地方商会 stays)
            s = (plain if s == w[1:] else s) if w.startswith("=") else s.replace(w, plain)
    if len(s) > 3:
        s = s.replace("的", "")  # "党的组织", "形成的意见": the 的 says nothing
    if m := _BOTH.match(s):
        # "秘书长及电话", "时间及地点": the column holds the first thing named, with the second beside it
        s = m[1]
        remarks.append(m[2])
    if (m := _LATIN_TAIL.search(s)) and m.group() not in v.units:
        s = s[: m.start()]
    stripped = True
    while stripped:
        stripped = False
        for u in _BARE_UNITS:
            if s.endswith(u) and len(s) - len(u) >= 2:
                units.append(u)
                s = s[: -len(u)]
                stripped = True
    return Title(s, tuple(units), tuple(r for r in remarks if r), tuple(choices))


@lru_cache(maxsize=16384)
def _distinctive(s: str) -> str:
    for g in vocabulary().generic:
        s = s.replace(g, "")
    return s


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


@cache
def _char_weights() -> dict[str, float]:
    """How much a character tells fields apart: one found in the titles of many fields (人, 会, 员, 名)
    says little, one found in few (法, 籍, 税) much. Counted over every kind's labels and synonyms."""
    fields: dict[str, int] = {}
    for specs in vocabulary().kinds.values():
        for f in specs:
            for ch in set("".join(normalise_title(x).core for x in f.synonyms)):
                fields[ch] = fields.get(ch, 0) + 1
    return {ch: 1 / math.log2(2 + n) for ch, n in fields.items()}


def _weighted_dice(a: set[str], b: set[str]) -> float:
    """Shared characters, each counted by how much it tells fields apart ("人大代表" shares 人代表 with
    "法人代表" but not the 法 that makes it one)."""
    w = _char_weights()
    weigh = lambda chars: sum(w.get(ch, 1.0) for ch in chars)  # noqa: E731 — a character no title has tells most
    total = weigh(a) + weigh(b)
    return 2 * weigh(a & b) / total if total else 0.0


def _similarity(t: str, s: str) -> float:
    """How far title t says synonym s. One inside the other is strong when what is left over is only
    common words ("出席" in "出席人数"), weaker when the rest says something of its own ("出席" in
    "应出席人数", "会长" in "会长电话"); otherwise shared characters and pairs of characters of the
    parts that are not common words, less when the common words differ ("联系内容" is no "联系单位")."""
    if t == s:
        return 1.0
    if len(s) >= 2 and s in t:
        if not _distinctive(t.replace(s, "", 1)):
            return 0.85
        # at the front of a longer title the synonym only qualifies what follows ("会长电话",
        # "代表人政治面貌", "办公场所面积"): the title is about something else
        return (0.3 + 0.3 * len(s) / len(t)) if t.startswith(s) else 0.45 + 0.35 * len(s) / len(t)
    if len(t) >= 2 and t in s:
        return 0.8 if not _distinctive(s.replace(t, "", 1)) else 0.25 + 0.25 * len(t) / len(s)
    a, b = _distinctive(t), _distinctive(s)
    if len(set(a) & set(b)) < 2:
        return 0.0
    sim = 0.3 * _weighted_dice(set(a), set(b)) + 0.4 * _dice({a[i:i + 2] for i in range(len(a) - 1)},
                                                    {b[i:i + 2] for i in range(len(b) - 1)})
    ga, gb = _common_words(t), _common_words(s)
    if ga != gb:
        sim *= 0.5
    w = _char_weights()
    if max(b, key=lambda ch: w.get(ch, 1.0)) not in a:
        sim *= 0.5  # the synonym's most telling character is missing ("会员数" lacks the 专 of "专职人员数")
    # a Chinese title ends in what it is about: "主营业务" is business, "主营行业" an industry
    return sim if a[-2:] == b[-2:] else sim * 0.6


@lru_cache(maxsize=16384)
def _common_words(s: str) -> frozenset[str]:
    # 是否 and 有无 ask the same: "是否有记录" and "有无记录" differ in no common word
    return frozenset("是否" if g == "有无" else g for g in vocabulary().generic if g in s)


@cache
def _asks(f: FieldSpec) -> bool:
    """The field can be answered yes or no: a yes/no field, or one with a question among its synonyms
    (有无纪要, 是否建立党组织, 是否规上企业)."""
    return f.type == "bool" or any(normalise_title(s).question for s in f.synonyms)


@cache
def _subject(f: FieldSpec) -> str:
    """What every one of a field's titles is about ("秘书长" in 秘书长专职, 秘书长是否专职, 专职秘书长):
    the longest run of two or more characters all its titles share, less the question words; "" when
    they share none (民政登记, 是否注册 and 登记情况 ask about registration in different words)."""
    cores = [c for c in dict.fromkeys(normalise_title(x).core for x in f.synonyms) if c]
    if len(cores) < 2:
        return ""
    first = min(cores, key=len)
    for size in range(len(first), 1, -1):
        for i in range(len(first) - size + 1):
            run = first[i:i + size]
            if all(run in c for c in cores) and not any(q in run for q in (*_QUESTION_START, "与否")):
                return run
    return ""


def _other_subject(f: FieldSpec, question: str) -> str:
    """The subject a yes/no question names when it is not the field's ("专职人员" in 是否有专职人员, for
    秘书长专职); "" when it names the field's subject or none of its own (是否专职 beside 秘书长)."""
    subject = _subject(f)
    if not subject or set(subject) & set(question):
        return ""
    rest = question
    for q in (*_QUESTION_START, "与否", "有"):
        rest = rest.replace(q, "")
    own = set("".join(normalise_title(x).core for x in f.synonyms))
    return rest if set(rest) - own else ""


@cache
def _plain_fields(kind: str) -> list[tuple[FieldSpec, tuple[str, ...], frozenset[str]]]:
    out = []
    for f in vocabulary().kinds[kind]:
        syns = tuple(dict.fromkeys(normalise_title(s).core for s in f.synonyms))
        out.append((f, syns, frozenset("".join(syns)) | frozenset("".join(k for k, _ in f.keywords))))
    return out


@dataclass(frozen=True)
class TitleMatch:
    score: float
    why: str  # Chinese: which synonym or key word spoke
    against: bool = False  # the title holds a word that speaks against the field
    rank: int = 0  # for a title that is a synonym: its place in the list (the label and common ones first)
    exact: bool = False  # the title (or its lower and upper part together) is one of the field's synonyms
    unless_cells: bool = False  # the title holds a word against the field, unless the cells are the field's


@lru_cache(maxsize=16384)
def title_scores(kind: str, core: str) -> dict[str, TitleMatch]:
    """Each field's score from a normalised title core alone (fields scoring nothing left out)."""
    out: dict[str, TitleMatch] = {}
    if not core or len(core) > 30:
        return out
    chars = set(core)
    for f, syns, fchars in _plain_fields(kind):
        if not chars & fchars:
            continue
        best, best_syn = 0.0, ""
        for s in syns:
            sim = _similarity(core, s)
            if sim > best:
                best, best_syn = sim, s
        kws = [k for k, _ in f.keywords if k in core]
        kw = min(0.8, sum(w for k, w in f.keywords if k in core))
        # key words add to a title that already says the field; on a weak likeness they do not stack
        score = best + (1.0 - best) * kw if best >= 0.5 else max(best, kw) + 0.05 * best
        # … but a title ending in 商会 names a chamber, wherever the words before it place it ("所在镇街商会")
        against = any(w in core for w in f.against) and not (
            f.type == "chamber" and any(core.endswith(k) for k, w in f.keywords if w >= 0.5))
        if against:
            score -= 0.4
        if score <= 0:
            continue
        if best == 1.0:
            why = f"标题即“{best_syn}”"
        elif best >= 0.5:
            why = f"标题与“{best_syn}”相近"
        elif kws:
            why = f"标题含“{'、'.join(kws)}”"
        else:
            why = f"标题与“{best_syn}”有相同的字"
        out[f.name] = TitleMatch(score, why, against, syns.index(best_syn) if best == 1.0 else 0,
                                 best == 1.0 and not against,
                                 not against and any(w in core for w in f.against_unless_cells))
    return out


def title_score(kind: str, title: Title, parts: tuple[Title, ...] = ()) -> dict[str, TitleMatch]:
    """Scores from a title, and for a two-level header from its lower part, the whole, and the upper."""
    cands: list[tuple[dict[str, TitleMatch], float]] = [(title_scores(kind, title.core), 1.0)]
    # a one- or two-character remark qualifies the title ("参会人员数（应）" is 应参会人员数)
    cands += [(title_scores(kind, r + title.core), 0.95) for r in title.remarks if len(r) <= 2 and title.core]
    denied: set[str] = set()
    if len(parts) == 2:
        upper, lower = parts
        if _distinctive(lower.core):
            cands = [(title_scores(kind, lower.core), 1.0), (title_scores(kind, upper.core + lower.core), 0.95),
                     (title_scores(kind, upper.core), 0.7)]
        else:  # "法定代表人" over "姓名", "办公场所" over "有无": the lower title only says which of the upper
            cands = [(title_scores(kind, upper.core + lower.core), 1.0), (title_scores(kind, lower.core), 0.9),
                     (title_scores(kind, upper.core), 0.85)]
        # the upper title alone cannot speak for a field its lower title speaks against ("参会情况" over "请假"),
        # nor for the person or body it groups when the lower title names something of theirs ("出资人" over 民族)
        denied = {f.name for f in vocabulary().kinds[kind] if any(w in lower.core for w in f.against)
                  or (f.type in ("person", "org", "chamber") and _distinctive(lower.core))}
    out: dict[str, TitleMatch] = {}
    for i, (scores, weight) in enumerate(cands):
        for name, m in scores.items():
            if i == 2 and name in denied:
                continue
            if name not in out or m.score * weight > out[name].score:
                out[name] = TitleMatch(m.score * weight, m.why, m.against, m.rank, m.exact and weight == 1.0,
                                       m.unless_cells)
    if len(parts) == 2:
        # the upper title says whose the lower one is: "联系人" under "走访对象" is the enterprise's contact,
        # no visitor — unless the lower title holds a word of the field's own ("商会职务" under "企业情况")
        for f in vocabulary().kinds[kind]:
            whose = out.get(f.name)
            if whose and any(w in parts[0].core for w in f.against) and not any(k in parts[1].core for k, _ in f.keywords):
                out[f.name] = TitleMatch(whose.score - 0.4, whose.why, True, whose.rank, False)
    # "联系电话（手机）": the remark is weak evidence; but where the title names no field, it says what the
    # column is ("联系人（秘书长）")
    weight = 0.15 if any(m.score >= ACCEPT for m in out.values()) else 0.5
    for remark in title.remarks:
        for name, m in title_scores(kind, remark).items():
            base = out.get(name, TitleMatch(0.0, ""))
            out[name] = TitleMatch(base.score + weight * m.score, base.why or f"标题备注“{remark}”", base.against,
                                   base.rank, base.exact, base.unless_cells)
    return out


# --- cells ----------------------------------------------------------------------------------------

_CJK_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{1,3}\d{1,3}$|^[\u4e00-\u9fff]{1,6}[·•][\u4e00-\u9fff]{1,6}$")
_NUMBER = re.compile(r"^(?:约|共|计|合计|¥|￥|RMB)?[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:余|多)?"  # 50,000
                     r"(?:万元|千元|亿元|元|万|千|亿)?$"
                     r"|^(?:约|共|计|合计|¥|￥|RMB)?[-+]?\d+(?:\.\d+)?(?:余|多)?"
                     r"(?:万元|千元|亿元|元|人次|人|次|个|件|名|场|家|户|项|平方米|平米|平|M2|㎡|万|千|亿)?(?:余|多)?(?:元)?$")
_PHONE_IN = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{9,11})(?!\d)")
# what a date looks like even where the import would ask for more (no year, a time of day, a range)
_DATE_LIKE = re.compile(r"^(?:(?:19|20)\d{2}\s*[-/.年,，。\s]\s*\d{1,2}|\d{1,2}月\d{1,2}日|\d{1,2}[-/]\d{1,2}$"
                        r"|\d{2}[-/.]\d{1,2}[-/.]\d{1,2}$|\d{2}年\d{1,2}月|\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}$"
                        r"|(?:一九|二[〇○零])[〇○零一二三四五六七八九]{2}年|(?:19|20)\d{2}年(?:第?[一二三四1-4]季度|[上下]半年))")
_ORG_END = ("公司", "厂", "店", "部", "中心", "合作社", "商行", "门市", "工作室", "酒店", "集团", "行", "社", "所", "场",
            "站", "馆", "园", "室", "坊", "院", "超市", "家庭农场", "经营部", "批发部", "有限合伙", "户", "铺", "厅",
            "基地", "联社")
_CHAMBER_END = ("商会", "协会", "分会", "联合会", "总会", "工商联", "联谊会", "促进会")
_FEDERATION = ("本级", "本会", "工商联", "县工商联", "总商会")
_ADDRESS = re.compile(r"(省|市|县|区|镇|乡|村|街道|路|街|号|大道|巷|组|社区|园区|大厦|楼)")
_YEAR_MONTH = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])")
_MONTH_DAY = re.compile(r"^(?:[1-9]|1[0-2])\.(?:[1-9]|[12]\d|3[01])$")
_CODE_LIKE = re.compile(r"^[0-9A-Z]{15,20}$")
_SERIAL_DAYS = (18264, 73415)  # Excel serials from 1950 to 2100


@dataclass
class Profile:
    """What a column's data cells look like: shares of cells of each sort (0–1) and a few counts."""

    n: int = 0
    share: dict[str, float] = field(default_factory=dict)
    ints_1_to_n: bool = False  # 1, 2, 3 … : row numbers
    words: dict[str, float] = field(default_factory=dict)  # field name → share of cells holding its words
    code_heads: dict[str, float] = field(default_factory=dict)  # first character → share of valid codes
    median_year: int = 0  # of the cells that are dates (0: none)

    def __getitem__(self, key: str) -> float:
        return self.share.get(key, 0.0)


def _cell_sorts(v: object, known: frozenset[str]) -> set[str]:
    if isinstance(v, bool):
        return {"bool"}
    if isinstance(v, (datetime, date)):
        return {"date"}
    if isinstance(v, (int, float)):
        if isinstance(v, float) and math.isnan(v):
            return set()
        out = {"num"}
        if isinstance(v, float) and _MONTH_DAY.match(f"{v:g}"):
            out.add("monthday")
        if float(v).is_integer():
            n = int(v)
            out.add("int")
            if _SERIAL_DAYS[0] <= n <= _SERIAL_DAYS[1] or 19000101 <= n <= 21001231:
                out.add("date")
            elif 1950 <= n <= 2100:
                out.add("year")  # 入会年份 2019: a date as offices shorten it, or a count that large
            s = str(n)
            if len(s) == 11 and s.startswith("1"):
                out.add("phone")
            elif len(s) >= 15:  # an ID or code typed into a number cell (its last digits may be lost)
                out.update(("codelike", "id") if ric.is_valid(s) else ("codelike",))
            if n in (0, 1):
                out.add("bool01")
        return out
    return set(_text_sorts(str(v), known))


@lru_cache(maxsize=32768)
def _text_sorts(raw: str, known: frozenset[str]) -> frozenset[str]:
    s = _plain(raw, vocabulary().traditional)
    if not s:
        return frozenset()
    out = {"text"}
    if len(s) >= 20:
        out.add("long")
    if _NUMBER.match(s):
        out.add("num")
        if _MONTH_DAY.match(s):
            out.add("monthday")  # 3.8 is the eighth of March as often as a number
        if _YEAR_MONTH.fullmatch(s):
            out.add("date")  # 198212: a year and month in six digits
        if len(s) < 7 and not _DATE_LIKE.match(s):  # 2019.5 is a year and month as often as a number
            return frozenset(out)
    if s in TRUE_WORDS or s in FALSE_WORDS or s in ("已", "未", "✔", "✘", "X", "有的", "没") or (
            len(s) <= 4 and s[0] in "已未有无是否" and not re.search(r"\d", s)):
        out.add("bool")  # 是/否, 有/无, 已登记/未登记, 已建立 …
    try:
        if parse_bool(s) is not None:
            out.add("yesno")  # what the import reads as yes or no ("有(租赁)", "没有建立" too)
            if len(s) <= 3:
                out.add("bool")  # "登了", "还没交"
    except ValueError:
        pass
    if s in ("男", "女", "男性", "女性"):
        out.add("gender")
    if len(s) == 18 and _CODE_LIKE.match(s):
        if uscc.is_valid(s):
            out.add("code")
        elif ric.is_valid(s):
            out.add("id")
    if _CODE_LIKE.match(s):
        out.add("codelike")
    if re.search(r"\d", s) and len(s) <= 20:
        try:
            normalize_phone(s)
            out.add("phone")
        except ValueError:
            if _PHONE_IN.search(s.replace("-", "").replace(" ", "")):
                out.add("phone")  # two numbers in a cell, or one written 138-0013-8000
        try:
            if parse_date(s):
                out.add("date")
        except ValueError:
            if _DATE_LIKE.match(s):
                out.add("date")
    if "date" not in out and _DATE_LIKE.match(s) and not s[0].isdigit():
        out.add("date")  # 二〇二五年三月八日
    if "phone" not in out and 20 < len(s) <= 40 and _PHONE_IN.search(s.replace("-", "")):
        out.add("phone")
    if s in known or s.endswith(_CHAMBER_END) or s in _FEDERATION or (
            len(s) <= 5 and s.endswith(("镇", "乡", "街道")) and not re.search(r"\d", s)):  # 城关镇: a chamber's short name
        out.add("chamber")
    elif any(s.endswith(e) and len(s) > len(e) for e in _ORG_END):
        out.add("org")
    # a name, with a remark or a phone number beside it ("宋斌(兼职)", "张三13800138000"), or names ("张三、李四")
    bare = _POST_BEFORE.sub("", re.sub(r"\([^)]*\)|[-\d]{7,}", "", s).strip(":"))  # "主席王春花" too
    if "chamber" not in out and "org" not in out and bare and (
            _is_person(bare) or all(_is_person(x) for x in re.split(r"[、,/;]", bare) if x)
            or len(words := raw.split()) > 1 and _is_person(_plain(words[-1], vocabulary().traditional))):
        out.add("person")  # … or a post before the name: "县委常委、统战部部长 刘晓东"
    if len(s) >= 6 and _ADDRESS.search(s) and "org" not in out and "chamber" not in out:
        out.add("address")
    return frozenset(out)


_NOT_NAMES = frozenset({"老师", "老板", "老乡", "老街", "小米", "小商", "小吃", "小计", "小时", "小区", "小组", "小学"})
_POST_BEFORE = re.compile(r"^(?:副|常务副|专职副)?(?:主席|会长|秘书长|书记|主任|部长|科长|局长|处长)(?=.{2,4}$)")


def _is_person(s: str) -> bool:
    """A person's name: a common surname and one or two characters (or digits, as in 张1)."""
    if not _CJK_NAME.match(s):
        return False
    v = vocabulary()
    return (s[0] in v.surnames and len(s) <= 4) or s.startswith(v.compound_surnames) or "·" in s or "•" in s or (
        len(s) == 2 and s[0] in "老小阿" and s[1] in v.surnames and s not in _NOT_NAMES)  # 老曾, 小陈: colleagues


def _year(v: object) -> int:
    """The year of a cell that reads as a full date, else 0."""
    try:
        d = parse_date(v) if isinstance(v, (str, datetime, date)) or (
            isinstance(v, (int, float)) and not isinstance(v, bool) and _SERIAL_DAYS[0] <= v <= _SERIAL_DAYS[1]) else None
    except ValueError:
        return 0
    return d.year if d else 0


def _has_word(text: str, words: tuple[str, ...]) -> bool:
    return any(text == w[1:] if w.startswith("=") else w in text for w in words)


def _row_number(v: object) -> float | None:
    """1, 2, 3 … as numbers, or as text "1.", "2、" (a list pasted from a chat)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    m = re.fullmatch(r"\s*(\d{1,4})\s*[.、)]?\s*", v) if isinstance(v, str) else None
    return float(m[1]) if m else None


def profile(kind: str, cells: list[object], known: frozenset[str] = frozenset()) -> Profile:
    """Shares of each sort among a column's non-blank data cells."""
    vals = [v for v in cells if v is not None and not (isinstance(v, str) and not v.strip())][:SAMPLE]
    p = Profile(n=len(vals))
    if not vals:
        return p
    counts: dict[str, int] = {}
    for v in vals:
        for s in _cell_sorts(v, known):
            counts[s] = counts.get(s, 0) + 1
    p.share = {k: c / len(vals) for k, c in counts.items()}
    nums = [n for v in vals if (n := _row_number(v)) is not None]
    if len(nums) >= max(2, 0.8 * len(vals)):  # a note typed under the list is no row number
        p.ints_1_to_n = [float(x) for x in nums] == [float(i) for i in range(int(nums[0]), int(nums[0]) + len(nums))]
    years = sorted(y for v in vals if (y := _year(v)))
    p.median_year = years[len(years) // 2] if years else 0
    texts = [_plain(str(v), vocabulary().traditional) for v in vals if isinstance(v, str)]
    codes = [t[0] for t in texts if len(t) == 18 and uscc.is_valid(t)]
    for head in codes:
        p.code_heads[head] = p.code_heads.get(head, 0.0) + 1 / len(codes)
    if texts:
        for f in vocabulary().kinds[kind]:
            if f.values:
                # a closed set's words are short cells: "第三届理事会第二次会议" holds 理事 but is no post,
                # "清河县市场监督管理局" holds 市场 but is no kind of chamber
                short = 8 if f.closed else 10**6
                p.words[f.name] = sum(1 for t in texts if len(t) <= short and _has_word(t, f.values)) / len(vals)
    return p


_SORT_LABELS = {"code": "有效的统一社会信用代码", "id": "有效的身份证号", "phone": "电话号码", "date": "日期",
                "num": "数字", "bool": "是/否", "gender": "性别", "person": "人名", "org": "单位名称",
                "chamber": "商会名称", "address": "地址", "long": "长文字", "words": "该字段常见的词"}


def value_score(f: FieldSpec, p: Profile) -> tuple[float, str]:
    """How well a column's cells fit a field (about −1 … +1), and the sort that spoke."""
    if p.n == 0:
        return 0.0, ""
    num, text = p["num"], p["text"]
    plain_text = max(0.0, text - p["num"] - p["date"] - p["phone"] - p["code"] - p["id"])
    foreign = p["code"] + p["id"] + p["phone"]
    t = f.type
    if t == "code":
        good, bad, sort = p["code"] + 0.5 * max(0.0, p["codelike"] - p["code"] - p["id"]), 1.0 - p["codelike"], "code"
        if f.code_start and p.code_heads:  # 5…: a social organisation's code, 9…: an enterprise's
            bad += 0.5 * sum(share for head, share in p.code_heads.items() if head not in f.code_start)
    elif t == "id":
        good, bad, sort = p["id"] + 0.5 * max(0.0, p["codelike"] - p["id"] - p["code"]), 1.0 - p["codelike"], "id"
    elif t == "phone":
        good, bad, sort = p["phone"], max(0.0, 1.0 - p["phone"] - 0.5 * p["num"]), "phone"
    elif t == "date":
        good = p["date"] + 0.5 * p["year"]
        bad, sort = max(0.0, 1.0 - p["date"] - p["year"]), "date"
        if p.median_year:  # people are born before 2000; chambers, meetings and members' joining later
            good += 0.3 if (p.median_year < 1995) == f.born else -0.3
    elif t == "bool":
        good = p["bool"] + 0.5 * p["bool01"]
        bad = 1.5 * max(0.0, num - p["bool01"]) + p["date"] + foreign + 0.5 * p["long"] + \
            0.7 * max(0.0, plain_text - p["bool"])  # words that are no yes/no (县民政局, 独立党支部)
        sort = "bool"
    elif t in ("count", "money", "area"):
        good, bad, sort = num, plain_text + foreign, "num"
        if t == "count" and num and p["int"] < num:
            good -= 0.3 * (num - p["int"])  # a count is a whole number
    elif t == "gender":
        good, bad, sort = p["gender"], 1.0 - p["gender"], "gender"
    elif t == "person":
        good, bad, sort = p["person"], p["org"] + p["chamber"] + p["long"] + num + foreign + p["date"], "person"
    elif t == "org":
        good = p["org"] + 0.4 * max(0.0, plain_text - p["org"] - p["person"] - p["address"] - p["chamber"])
        bad = 0.5 * p["person"] + num + p["date"] + foreign + 0.5 * p["address"] + 0.4 * p["chamber"]
        sort = "org"
    elif t == "chamber":
        good, bad, sort = p["chamber"], p["person"] + num + p["date"] + foreign + 0.5 * p["org"], "chamber"
    elif t == "address":
        good, bad, sort = p["address"], p["person"] + num + p["date"] + foreign, "address"
    elif t in ("choice", "position"):
        good = p.words.get(f.name, 0.0)
        # a few cells in words we do not know are normal; a column of none of them is something else
        bad = num + p["date"] + foreign + p["long"] + 0.3 * p["person"] + 0.8 * max(0.0, 0.5 - good)
        sort = "words"
    elif t == "longtext":
        good, bad, sort = 0.6 * p["long"] + 0.2 * plain_text, 0.6 * num + p["date"] + foreign + 0.3 * p["person"], "long"
    else:  # plain text
        good = 0.3 * plain_text
        bad, sort = 0.5 * num + 0.7 * p["date"] + foreign + 0.5 * p["chamber"] + 0.3 * p["person"], "text"
    score = good - 0.8 * bad
    # a column of valid codes (or ID numbers) is that, whatever its title says
    if p["code"] >= 0.6:
        score = score + 1.0 if t == "code" else min(score, -0.8)
    if p["id"] >= 0.6:
        score = score + 1.0 if t == "id" else min(score, -0.8)
    if p["gender"] >= 0.8 and t == "gender":
        score += 1.0  # 男/女 says what the column is
    if t in ("choice", "position") and p.words.get(f.name, 0.0) >= 0.7:
        score += 0.5  # 理论学习, 光彩公益 …: the words of this field and no other
    return max(-1.5, min(1.5, score)), sort


_COMPATIBLE = {("area", "money"), ("money", "area"), ("count", "area"), ("area", "count"),
               ("count", "money"), ("money", "count")}


def hint_score(f: FieldSpec, quantities: frozenset[str]) -> float:
    """A unit or a word of quantity in the title agrees with the field's type, or speaks against it."""
    if not quantities:
        return 0.0
    if f.type in quantities or ("bool" in quantities and _asks(f)):
        return 0.2
    if any((q, f.type) in _COMPATIBLE for q in quantities) or (
            f.type in ("text", "longtext") and "person" not in quantities):
        return -0.25  # near kinds of quantity, or a text field (it can hold anything)
    return -0.5


def head_denies(f: FieldSpec, title: Title, exact: bool) -> bool:
    """The title's last word names something the field cannot hold: the rest of the title only qualifies
    it ("会员代表职务" is no representative, "记录人员" no minutes). An exact synonym stands, and a
    yes/no question holds yes or no whatever it ends in ("是否县工商联团体会员单位")."""
    types = vocabulary().head_types
    head = title.head
    return bool(head) and not exact and not title.question and head in types and f.type not in types[head]


# --- the assignment -------------------------------------------------------------------------------

def best_assignment(weights: list[list[float]]) -> list[int]:
    """For each row the column it gets (or −1), maximising the total weight; only positive weights are
    taken. Hungarian method (rows ≤ columns after padding) — a sheet has a few dozen columns at most."""
    n = len(weights)
    if n == 0:
        return []
    m = len(weights[0])
    width = m + n  # one "nothing" column per row, weight 0
    inf = float("inf")
    cost = [[-(w if w > 0 else -1e6) for w in row] + [0.0] * n for row in weights]
    u, v = [0.0] * (n + 1), [0.0] * (width + 1)
    p, way = [0] * (width + 1), [0] * (width + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (width + 1)
        used = [False] * (width + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, width + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(width + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    out = [-1] * n
    for j in range(1, m + 1):
        if p[j] and weights[p[j] - 1][j - 1] > 0:
            out[p[j] - 1] = j - 1
    return out


@dataclass
class Decision:
    """What the recogniser decided for a sheet's columns."""

    mapping: dict[int, str] = field(default_factory=dict)
    reasons: dict[int, str] = field(default_factory=dict)
    ties: dict[int, list[str]] = field(default_factory=dict)
    unmapped: list[int] = field(default_factory=list)
    strength: float = 0.0  # the summed scores of the columns mapped: how well the kind fits the sheet


def _contradicted(ftype: str, p: Profile) -> bool:
    """Cells that plainly are something the field cannot hold (three or more of them)."""
    if p.n < 3:
        return False
    if ftype == "date":
        return p["num"] - p["date"] - p["year"] - p["monthday"] >= 0.8
    if ftype in ("count", "money", "area"):
        return p["date"] - p["num"] >= 0.8 or p["text"] - p["num"] >= 0.8
    if ftype in ("id", "phone") and p["code"] >= 0.6 or ftype in ("code", "phone") and p["id"] >= 0.6:
        return True  # valid credit codes under 证件号码, ID numbers under 证照号码: the check characters decide
    if ftype == "bool":
        # a yes/no field is answered yes or no (是/否, 有/无, √/×, 已/未, 专职/兼职, 合格): status words
        # (存续, 在业, 注销) or names are something else
        return p["yesno"] + p["bool01"] <= 0.2 and p["text"] - p["num"] >= 0.8
    if ftype in ("person", "chamber", "org") and p["bool"] >= 0.8:
        return True  # 是/否, 专职/兼职 are no names
    if ftype == "chamber" and p["person"] >= 0.8:
        return True  # 组织者 张建国, 李红 …: the person who organised it, not the owning chamber
    if ftype == "person" and p["person"] <= 0.2 and p["text"] - p["num"] >= 0.8:
        return True  # 人大代表 over 是/否 or 学习两会精神 …: no names
    if ftype in ("chamber", "person"):
        return p["org"] >= 0.8  # enterprises (…公司, …厂) are neither a chamber nor a person
    return False


class FieldScore(NamedTuple):
    total: float
    why: str  # Chinese: what spoke for (and against) the field
    ruled_out: str = ""  # Chinese: why the field cannot be this column, whatever else speaks for it


def _ruled_out(f: FieldSpec, t: Title, lower: Title, p: Profile, exact: bool, said: float) -> str:
    """Why a field cannot be the column, from its title or cells ("" when nothing rules it out)."""
    if head_denies(f, lower, exact or said >= 1.0) and f.type not in lower.quantities and not (
            f.type == "count" and lower.head == "org" and p["num"] >= 0.8):  # "其中会员企业" over 12, 8 … counts firms
        # the last word names what the field cannot hold, unless the title says the field outright or its
        # unit says what it is ("会员单位（家）" is a number of member firms)
        return f"标题末尾的“{lower.head_word}”说的不是它"
    if f.type == "date" and not f.born and any(w in t.core.replace("发生", "").replace("产生", "")
                                                for w in vocabulary().birth_words):  # 发生日期 is no 生日
        return "标题说的是出生日期"  # 出生年月 is no 成立年月
    if t.question and not _asks(f) and (not exact or p["bool"] >= 0.6):
        # … even a title that names the field, when the cells answer it yes or no ("企业诉求（有/无）" over 有, 无)
        return "标题问的是“是否”"  # 是否法人 asks whether the member is one, it names no representative
    if not exact and t.question and (other := _other_subject(f, t.core)):
        return f"标题问的是“{other}”"  # 是否有专职人员 asks about staff, not whether the 秘书长 is full-time
    if not exact and t.negated:
        return "标题说的是没有的事"  # 未入会原因 is no joining date
    if _contradicted(f.type, p):
        return "但下面的内容不合"  # 入会费 50, 100 … under a title that starts like a date
    if f.closed and p.n >= 3 and p.words.get(f.name, 0.0) < 0.4 and t.core != normalise_title(f.label).core \
            and not (_asks(f) and p["bool"] >= 0.5):  # √/× answer 是否建立党组织
        return "下面没有这一项的常见写法"  # 董事长, 总经理 are no chamber posts; 本科, 大专 no kind of member
    return ""


@cache
def _answers(f: FieldSpec) -> frozenset[str]:
    """The whole words a field's cells are written in (its values, without the "=" mark)."""
    return frozenset(w.lstrip("=") for w in f.values)


def _score_column(kind: str, specs: list[FieldSpec], t: Title, parts: tuple[Title, ...],
                  p: Profile) -> dict[str, FieldScore]:
    """Each field's score for one column, with the Chinese words that explain it."""
    ts = title_score(kind, t, parts)
    trust = 0.5 * p.n / (p.n + 2)  # one sample row is weaker evidence than twenty
    if p["code"] >= 0.6 or p["id"] >= 0.6:
        trust = max(trust, 0.45)  # …but two codes with valid check characters are no accident
    q = t.quantities | frozenset().union(*(x.quantities for x in parts))
    lower = parts[-1] if parts and parts[-1].core else t
    row: dict[str, FieldScore] = {}
    for f in specs:
        tm = ts.get(f.name)
        said = tm.score if tm else 0.0
        exact = bool(tm and tm.exact)
        if f.units and not (tm and tm.against) and set(f.units) & set(t.units) and not any(w in t.core for w in f.against):
            said += 0.3  # "化解纠纷（件）": counted in the unit of this field alone
            unit = "、".join(sorted(set(f.units) & set(t.units)))
            tm = TitleMatch(said, (f"{tm.why}，" if tm and tm.why else "") + f"以“{unit}”计")
        offered = [c for x in (t, *parts) for c in x.choices if c in _answers(f)]
        if len(offered) >= 2:
            said += 0.3  # "入会身份（企业会员/个人会员）": the answers the title offers are this field's own
            tm = TitleMatch(said, (f"{tm.why}，" if tm and tm.why else "") + f"标题列出的“{'/'.join(offered)}”是它的写法",
                            tm.against if tm else False)
        wrong_unit = set(f.not_units) & {u for x in (t, *parts) for u in x.units}
        if wrong_unit:
            said -= 0.4  # "带动脱贫（人）" under 项目成效 counts people, not 件
        vs, sort = value_score(f, p)
        hs = hint_score(f, q)
        if said >= 1.0:
            hs = max(hs, 0.0)  # a title that says the field outright: its words are the field's own
        total = said + trust * vs + hs
        if f.type == "bool" and p["num"] - p["bool01"] >= 0.5:
            total = -1.0  # a column of numbers is never a yes/no (办公场所 over 80, 120 …)
        if f.type in ("count", "money", "area") and t.core.endswith(vocabulary().not_amount_endings):
            total -= 0.4
        if f.type in ("count", "money", "area") and (t.core.endswith("代码") or "代码" in t.remarks):
            total -= 0.6  # "项目归类（代码）": numbers that name a choice, no amount
        if tm and (tm.against or tm.unless_cells and p[f.type] < 0.6):
            total = min(total, said, ACCEPT - 0.05)  # 企业联系人 is no visitor, 应参加人数 no count of who took part: whatever the cells
        ruled_out = _ruled_out(f, t, lower, p, exact, said)
        if ruled_out:
            total = min(total, DENIED)
        evident = f.type in SELF_EVIDENT or p.words.get(f.name, 0.0) >= 0.7
        if said < 0.2 and not evident:
            total -= 0.3  # numbers or words alone, under a title that names nothing: a custom column
        why = [tm.why] if tm and tm.score >= 0.3 else []
        if wrong_unit:
            why.append(f"但以“{'、'.join(sorted(wrong_unit))}”计")
        elif hs > 0:
            why.append("单位/用词相符")
        elif hs < 0 and tm:
            why.append("但单位/用词不符")
        if vs >= 0.4 and sort:
            why.append(f"下面多为{_SORT_LABELS.get(sort, sort)}")
        elif vs <= -0.4 and sort:
            why.append("但下面的值不像")
        row[f.name] = FieldScore(total, "，".join(why), ruled_out)
    return row


def decide(kind: str, titles: list[Title], parts: list[tuple[Title, ...]], columns: list[list[object]],
           known_names: frozenset[str] = frozenset()) -> Decision:
    """Score every column against every field, then take the best assignment over the sheet."""
    specs = vocabulary().kinds[kind]
    labels = {f.name: f.label for f in specs}
    by_name = {f.name: f for f in specs}
    out = Decision()
    width = len(titles)
    cand: list[int] = []
    scores: dict[int, dict[str, FieldScore]] = {}
    for c in range(width):
        t = titles[c]
        cells = columns[c] if c < len(columns) else []
        p = profile(kind, cells, known_names)
        if not t.core and not t.units and p.n == 0:
            out.mapping[c] = IGNORE
            out.reasons[c] = "空列（没有标题也没有内容），不导入"
            continue
        bottom = parts[c][-1] if parts[c] else t
        if _row_numbers(bottom.core) or (not bottom.core and p.ints_1_to_n and c == 0):
            out.mapping[c] = IGNORE
            out.reasons[c] = f"“{bottom.core or '无标题'}”是行号，不导入"
            continue
        row = _score_column(kind, specs, t, parts[c], p)
        scores[c] = row
        cand.append(c)
    names = [f.name for f in specs]
    # two columns with titles that are both synonyms of a field: the commoner synonym (earlier in the
    # list) takes it ("会员代表" before "联系人"); the clerk is still shown the tie
    ranks = {c: {n: m.rank for n, m in title_score(kind, titles[c], parts[c]).items()} for c in cand}
    weights = [[scores[c][n][0] - ACCEPT + 0.01 - 0.001 * min(ranks[c].get(n, 0), 30) for n in names] for c in cand]
    chosen = best_assignment(weights)
    for i, c in enumerate(cand):
        row = scores[c]
        ranked = sorted(row, key=lambda n: -row[n][0])
        if chosen[i] < 0:
            top = ranked[0] if ranked else None
            owner = next((cand[k] for k, j in enumerate(chosen) if j >= 0 and top and names[j] == top), None)
            said = top is not None and (title_score(kind, titles[c], parts[c]).get(top)
                                        or TitleMatch(0.0, "")).score >= ACCEPT
            if top and owner is not None and row[top][0] >= ACCEPT and by_name[top].type in SHARED_TYPES and said:
                # 手机 and 固定电话 side by side: both are the phone; the import takes the first filled one
                out.mapping[c] = top
                out.reasons[c] = f"→{labels[top]}：{row[top][1]}；与第{owner + 1}列同为“{labels[top]}”，每行取先填的一个"
                continue
            out.unmapped.append(c)
            near = [n for n in ranked[:1] if row[n][0] >= ACCEPT - NEAR]
            if near and row[near[0]][0] >= ACCEPT:
                out.ties[c] = near
                owner = next((cand[k] for k, j in enumerate(chosen) if j >= 0 and names[j] == near[0]), None)
                who = f"第{owner + 1}列" if owner is not None else "别的列"
                same = owner is not None and abs(scores[owner][near[0]][0] - row[near[0]][0]) < NEAR
                out.reasons[c] = f"像“{labels[near[0]]}”，但{who}{'一样像，已先用' if same else '更像'}，保留为自定义信息"
            else:
                best = ranked[0] if ranked else None
                # the field the title speaks for most, if something rules it out: say what
                ts = title_score(kind, titles[c], parts[c])
                ruled = max((n for n in row if row[n].ruled_out and n in ts and ts[n].score >= ACCEPT),
                            key=lambda n: ts[n].score, default=None)
                if ruled:
                    out.reasons[c] = f"像“{labels[ruled]}”，但{row[ruled].ruled_out.removeprefix('但')}，保留为自定义信息"
                else:
                    hint = f"（最接近“{labels[best]}”，得分不够）" if best and row[best][0] > 0.2 else ""
                    out.reasons[c] = f"没有相符的字段，保留为自定义信息{hint}"
            continue
        name = names[chosen[i]]
        s = row[name][0]
        rivals = [n for n in ranked if n != name and row[n][0] >= ACCEPT and s - row[n][0] < NEAR]
        others = [cand[k] for k in range(len(cand)) if k != i and scores[cand[k]][name][0] >= ACCEPT
                  and abs(s - scores[cand[k]][name][0]) < NEAR]
        reason = row[name][1] or "综合判断"
        if rivals or others:
            out.ties[c] = [name, *rivals]
            for k in others:
                out.ties.setdefault(k, [])
                if name not in out.ties[k]:
                    out.ties[k].append(name)
            # two fields equally good for one column: the clerk chooses (two columns equally good for
            # one field: the assignment has placed the other elsewhere, and both are reported)
            exact = [n for n in rivals if abs(s - row[n][0]) < 1e-9]
            if exact:
                out.unmapped.append(c)
                out.reasons[c] = f"“{labels[name]}”与{_tie_words(exact, labels)}难分高下，请选择"
                continue
            reason += f"；与{_tie_words(rivals or others, labels)}接近，请核对"
        out.mapping[c] = name
        out.reasons[c] = f"→{labels[name]}：{reason}"
        out.strength += s
    _fill_required(specs, scores, out)
    out.unmapped.sort()
    return out


def _row_numbers(core: str) -> bool:
    """A title of row numbers: 序号, 流水序号, 行次编号, 名单序 …"""
    return core in vocabulary().ignored or core.endswith(("序号", "流水号", "行次", "行号", "序次号")) or (
        len(core) <= 6 and ("行次" in core or "行号" in core)) or (len(core) <= 4 and core.endswith("序"))


def _fill_required(specs: list[FieldSpec], scores: dict[int, dict[str, FieldScore]], out: Decision) -> None:
    """A required field no column reached: the likeliest column still free takes it, for the clerk to check."""
    labels = {f.name: f.label for f in specs}
    taken = set(out.mapping.values())
    for f in specs:
        if not f.required or f.name in taken:
            continue
        free = [c for c in out.unmapped if scores[c][f.name][0] >= REQUIRED_ACCEPT and c not in out.ties]
        if free:
            c = max(free, key=lambda k: scores[k][f.name][0])
            out.unmapped.remove(c)
            out.mapping[c] = f.name
            out.ties[c] = [f.name]
            why = scores[c][f.name][1] or "综合判断"
            out.reasons[c] = f"→{labels[f.name]}：{why}；表中没有更像“{labels[f.name]}”的列，请核对"
            out.strength -= MISSING_REQUIRED  # a guess: the sheet fits this kind no better for it


def _tie_words(items: list, labels: dict[str, str]) -> str:
    return "、".join(f"“{labels[x]}”" if isinstance(x, str) else f"第{x + 1}列" for x in items)
