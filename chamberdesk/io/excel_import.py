"""Importing the ledgers offices keep in Excel/WPS/CSV: read, map, normalise, validate, find duplicates, preview, commit.

Every non-empty row below the header ends in exactly one bucket — imported, updated, duplicate,
skipped (a repeated header, a total or signature row, a row the clerk left out) or rejected with a
reason — so `rows == imported + updated + duplicates + skipped + rejected` always holds, per sheet.
Every column ends in one fate too — a field, kept as a custom field (自定义信息) under its own
title, or ignored (序号, or by the clerk's choice) — and the result lists them. Validation is the
core's; `import_kinds` turns cells into the values it expects; `owners` says whose record a row is.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.schema import ScalarElementColumnDefault
from sqlmodel import Session

from chamberdesk.core import audit, custom_fields
from chamberdesk.core.db import Database
from chamberdesk.core.errors import ChamberDeskError, InvalidInput
from chamberdesk.core.federation import get_setting, set_setting
from chamberdesk.core.members import search_text
from chamberdesk.core.models import Member
from chamberdesk.core.records import now, table_of
from chamberdesk.io import mappings
from chamberdesk.io import owners as owners_mod
from chamberdesk.io.import_kinds import (
    HANDLERS,
    ORDER,
    WORDED,
    Kind,
    column_parser,
    original_key,
    table_fields,
    worded,
)
from chamberdesk.io.mappings import IGNORE, KINDS, HeaderGuess
from chamberdesk.io.normalize import DateWithWords, cell_text, decode, has_control_chars, is_blank
from chamberdesk.io.owners import OwnerIndex, SkipRow
from chamberdesk.io.sheet_reader import (
    HEAD_ROWS,
    Sheet,
    SpreadsheetError,
    read_sheet,
    sheet_names,
    stream_sheet,
)

NEW, DUPLICATE, SKIPPED, REJECTED = "new", "duplicate", "skipped", "rejected"
STATUS_LABELS = {NEW: "新增", DUPLICATE: "重复", SKIPPED: "跳过", REJECTED: "拒绝"}
CHOICES = ("skip", "update", "keep")
CHOICE_LABELS = {"skip": "跳过", "update": "更新已有记录", "keep": "两条都保留"}
BATCH = 2000
CUSTOM = "_custom"  # a column kept as a custom field (自定义信息) under its own title
CUSTOM_LABEL = "自定义信息（保留原列名）"
FIELD, KEPT, IGNORED = "field", "custom", "ignored"
FATE_LABELS = {FIELD: "导入为字段", KEPT: "保留为自定义信息", IGNORED: "不导入"}


@dataclass
class Problem:
    row: int  # the sheet's row number as Excel shows it
    column: str
    message: str
    note: bool = False  # True: the row went in, this says what was done with a value

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message, "note": self.note}

    def describe(self) -> str:
        return f"{self.column}：{self.message}" if self.column else self.message


@dataclass
class ColumnFate:
    """What became of one column of the sheet."""

    index: int  # 0-based
    title: str
    fate: str  # FIELD | KEPT | IGNORED
    field: str | None = None
    label: str = ""  # the field's Chinese name, or the custom field's title
    reason: str = ""

    @property
    def letter(self) -> str:
        n, out = self.index + 1, ""
        while n:
            n, r = divmod(n - 1, 26)
            out = chr(65 + r) + out
        return out

    def describe(self) -> str:
        if self.fate == FIELD:
            return f"导入为“{self.label}”"
        if self.fate == KEPT:
            return f"保留为自定义信息“{self.label}”"
        return "不导入" + (f"（{self.reason}）" if self.reason else "")

    def as_dict(self) -> dict[str, Any]:
        return {"column": self.letter, "title": self.title, "fate": self.fate, "field": self.field,
                "label": self.label, "reason": self.reason}


@dataclass(slots=True)  # one per sheet row: no per-instance dict
class RowOutcome:
    """One non-empty sheet row and what the import will do with it."""

    sheet_row: int
    raw: list[object]
    status: str
    data: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # reasons when rejected, notes otherwise
    dup_id: int | None = None  # the data file's record this row duplicates
    dup_row: int | None = None  # or the earlier sheet row it duplicates
    dup_reason: str = ""
    keep_allowed: bool = False  # keeping both would not break a uniqueness rule
    choice: str | None = None  # for duplicates: skip | update | keep (None: the import's default)

    @property
    def reason(self) -> str:
        return "；".join(p.describe() for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.note]


@dataclass
class ImportResult:
    rows: int = 0
    imported: int = 0
    updated: int = 0
    duplicates: int = 0
    skipped: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    columns: list[ColumnFate] = field(default_factory=list)
    new_chambers: list[str] = field(default_factory=list)  # chambers this import created (name（kind）)
    sheet: str = ""
    kind: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "imported": self.imported, "updated": self.updated,
                "duplicates": self.duplicates, "skipped": self.skipped, "rejected": self.rejected,
                "problems": [p.as_dict() for p in self.problems], "columns": [c.as_dict() for c in self.columns],
                "new_chambers": list(self.new_chambers)}

    def balanced(self) -> bool:
        return self.rows == self.imported + self.updated + self.duplicates + self.skipped + self.rejected


@dataclass
class ImportPreview:
    """Everything the wizard shows before writing; `commit_import` writes it."""

    kind: str
    path: Path
    sheet: str
    header: HeaderGuess
    outcomes: list[RowOutcome]
    columns: list[ColumnFate] = field(default_factory=list)
    owners: OwnerIndex | None = None  # the owner decisions and the chambers to create

    def counts(self) -> dict[str, int]:
        out = {NEW: 0, DUPLICATE: 0, SKIPPED: 0, REJECTED: 0}
        for o in self.outcomes:
            out[o.status] += 1
        return out

    def title_of(self, fld: str) -> str:
        return _title_of(self.kind, self.header, fld)

    def unknown_owners(self) -> dict[str, int]:
        """Names in the owner column that match no chamber on file → how many rows name each."""
        return dict(self.owners.unknown) if self.owners else {}


def _title_of(kind: str, header: HeaderGuess, fld: str) -> str:
    for c, f in header.mapping.items():
        if f == fld and c < len(header.titles) and header.titles[c]:
            return header.titles[c]
    return mappings.labels(kind).get(fld, fld)


# --- mapping ---------------------------------------------------------------------------------------

def mapping_key(kind: str) -> str:
    return f"import.mapping.{kind}"


def resolve_field(kind: str, name: str) -> str | None:
    """A field from what a mapping file or the clerk says: the field name, its label, or a synonym."""
    if name in (IGNORE, "", "忽略", "不导入"):
        return IGNORE
    if name in (CUSTOM, "自定义", "自定义信息", CUSTOM_LABEL, "保留"):
        return CUSTOM
    if any(f.name == name for f in KINDS[kind]):
        return name
    return mappings.match_header(kind, name)


def apply_mapping(kind: str, guess: HeaderGuess, overrides: dict[str, str] | None,
                  why: str = "按映射文件的指定") -> None:
    """Titles the clerk (or a saved mapping) assigned win over the recogniser's guess; `why` becomes the reason."""
    for title, target in (overrides or {}).items():
        fld = resolve_field(kind, target)
        if fld is None:
            raise ChamberDeskError(f"映射中的“{target}”不是{mappings.KIND_LABELS[kind]}的字段"
                                   f"（可写字段名、中文列名、“自定义信息”或“不导入”）")
        for c, t in enumerate(guess.titles):
            if t == title or mappings.norm_header(t) == mappings.norm_header(title) or t.split("/")[-1] == title:
                if guess.mapping.get(c) != fld or (fld == CUSTOM and c not in guess.mapping):
                    reasons = getattr(guess, "reasons", None)
                    if isinstance(reasons, dict):
                        reasons[c] = why
                guess.mapping[c] = fld


def missing_required(kind: str, guess: HeaderGuess) -> list[str]:
    have = set(guess.mapping.values())
    return [f.label for f in KINDS[kind] if f.required and f.name not in have]


def has_owner_column(kind: str, guess: HeaderGuess) -> bool:
    """Whether the sheet says whose each record is: an owner column, or rows grouped under their chamber's name."""
    return "chamber" in guess.mapping.values() or guess.grouped or not HANDLERS[kind].owner_column_required


def _check_owner(kind: str, guess: HeaderGuess, owner: str | None) -> None:
    if owner is None and not has_owner_column(kind, guess):
        raise ChamberDeskError(
            f"这张{mappings.KIND_LABELS[kind]}表没有“所属单位/所属商会”列，无法知道每条记录属于哪个单位。"
            "请用 --owner 指定（商会名称，或“本级”表示本级工商联），或在表中加上所属单位列。")


def clean_title(text: str) -> str:
    """A title as one line: line breaks and the spaces offices type between characters go ("企 业\n名称")."""
    t = " ".join(str(text or "").split())
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", t)


def _custom_titles(titles: list[str], width: int) -> dict[int, str]:
    """Per column, the title its values are kept under; untitled or repeated titles get the column's place."""
    out: dict[int, str] = {}
    seen: set[str] = set()
    for c in range(width):
        t = clean_title(titles[c]) if c < len(titles) and titles[c] else ""
        key = t or f"第{c + 1}列"
        if key in seen:
            key = f"{key}（第{c + 1}列）"
        seen.add(key)
        out[c] = key
    return out


def column_fates(kind: str, header: HeaderGuess, data_cols: set[int] | None = None) -> list[ColumnFate]:
    """Every column of the sheet and what becomes of it. Untitled columns are listed when they hold data."""
    titles = header.titles
    width = max([len(titles), *(c + 1 for c in header.mapping), *((c + 1 for c in data_cols) if data_cols else ())])
    keys = _custom_titles(titles, width)
    labels = mappings.labels(kind)
    reasons = getattr(header, "reasons", None) or {}
    out = []
    for c in range(width):
        title = titles[c] if c < len(titles) else ""
        f = header.mapping.get(c)
        if not title and f is None and not (data_cols and c in data_cols):
            continue
        reason = reasons.get(c, "")
        if f == IGNORE:
            why = reason or ("序号列" if mappings.match_header(kind, title) == IGNORE else "按您的选择不导入")
            if "保留" in why:  # the recogniser's word from before the clerk's choice
                why = "按您的选择不导入"
            out.append(ColumnFate(c, title, IGNORED, None, "", why))
        elif f is None or f == CUSTOM:
            out.append(ColumnFate(c, title, KEPT, None, keys[c], reason or "没有对应的字段，保留原列名和内容"))
        else:
            out.append(ColumnFate(c, title, FIELD, f, labels.get(f, f), reason))
    return out


# --- preview ---------------------------------------------------------------------------------------

def load_sheet(path: Path | str, sheet: str | None = None) -> Sheet:
    return read_sheet(Path(path), sheet)


def guess_header(kind: str, sh: Sheet, *, saved: dict[str, str] | None = None,
                 overrides: dict[str, str] | None = None, known_names: Iterable[str] | None = None) -> HeaderGuess:
    if kind not in KINDS:
        raise ChamberDeskError(f"不支持导入“{kind}”（可选：{'、'.join(KINDS)}）")
    guess = mappings.detect_header(kind, sh.rows, sh.merged, known_names=list(known_names or []))
    if guess is None:
        raise ChamberDeskError(
            f"在工作表“{sh.name}”的前30行中找不到表头（应有“{KINDS[kind][0].label}”等列名）。"
            "请检查是否选错了工作表，或用映射文件指定列。")
    apply_mapping(kind, guess, saved, "按上次导入时您核对过的对应关系")
    apply_mapping(kind, guess, overrides, "按映射文件的指定")
    return guess


def _owner_index(s: Session, owner: str | None, create_chambers: bool,
                 decisions: dict[str, str | int] | None) -> OwnerIndex:
    idx = OwnerIndex.load(s, default=owner, create_all=create_chambers,
                          decisions={owners_mod.name_key(k): v for k, v in (decisions or {}).items()})
    if owner is not None:
        how, _cid, note = idx.match(owner)
        if how == "ambiguous":
            raise ChamberDeskError(f"--owner “{owner}”可能是几个商会中的任一个（{note}），请写出商会全称。")
        if how == "unknown" and not create_chambers and owners_mod.name_key(owner) not in idx.decisions:
            raise ChamberDeskError(f"找不到商会“{owner}”（--owner）。请写已有商会的名称或“本级”，"
                                   "或加 --create-chambers 新建该商会。")
    return idx


def known_chamber_names(s: Session) -> list[str]:
    idx = OwnerIndex.load(s)
    return list(idx.names.values())


def preview_import(db: Database, path: Path | str, kind: str, *, sheet: str | None = None,
                   mapping: dict[str, str] | None = None, loaded: Sheet | None = None,
                   header: HeaderGuess | None = None, owner: str | None = None,
                   owner_choices: dict[str, str | int] | None = None, create_chambers: bool = False) -> ImportPreview:
    """Read and check the whole sheet without writing anything.

    `owner`: whose records the rows are when the sheet has no owner column or a cell is blank;
    `owner_choices`: the clerk's decision for each owner name that matches no chamber
    (owners.CREATE, owners.SKIP, owners.FEDERATION or a chamber id)."""
    path = Path(path)
    sh = loaded or load_sheet(path, sheet)
    with db.session() as s:
        if header is None:
            header = guess_header(kind, sh, saved=get_setting(s, mapping_key(kind)), overrides=mapping,
                                  known_names=known_chamber_names(s))
        missing = missing_required(kind, header)
        if missing:
            raise ChamberDeskError(f"找不到必需的列：{'、'.join(missing)}。请在映射中指定对应的列。")
        idx = _owner_index(s, owner, create_chambers, owner_choices) if owner is not None or has_owner_column(
            kind, header) else OwnerIndex.load(s, decisions=dict(owner_choices or {}))
        handler = HANDLERS[kind](s, idx)
        data_cols: set[int] = set()
        outcomes = list(_classify(kind, sh.rows, header, handler, data_cols))
    return ImportPreview(kind, path, sh.name, header, outcomes, column_fates(kind, header, data_cols), idx)


def _classify(kind: str, rows: Iterable[list[object]], header: HeaderGuess, handler: Kind,
              data_cols: set[int] | None = None) -> Iterator[RowOutcome]:
    fields_of_table = table_fields(kind)
    titles = header.titles
    cols = sorted((c, f) for c, f in header.mapping.items() if f not in (IGNORE, CUSTOM))
    fielded = {c for c, _f in cols}
    ignored = {c for c, f in header.mapping.items() if f == IGNORE}
    keys = _custom_titles(titles, max(len(titles), 1))
    # columns whose cells become fields or are ignored; every other column's cells are custom fields
    taken = [c in fielded or c in ignored for c in range(max([len(titles), *fielded, *ignored], default=0) + 1)]
    kept_cols = [c for c, t in enumerate(taken) if not t]
    parsers = {c: column_parser(kind, f, titles[c] if c < len(titles) else "", header.date_orders.get(c))
               for c, f in cols}
    # key kind → value → the earlier sheet row (an int) or (record id, may coexist) for the data file;
    # one small dict per kind and bare ints keep this, the only structure that grows with the sheet, compact
    index: dict[str, dict[Any, int | tuple[int, bool]]] = {}
    for rid, keydata, coexist in handler.existing():
        for kk, val, _why in handler.keys(keydata) if _has_keys(keydata) else []:
            index.setdefault(kk, {}).setdefault(val, (rid, coexist))

    shown = [clean_title(t) if t else f"第{c + 1}列" for c, t in enumerate(titles)]

    def title(c: int) -> str:
        return shown[c] if c < len(shown) else f"第{c + 1}列"

    def custom_key(c: int) -> str:
        if c not in keys:
            keys.update({k: v for k, v in _custom_titles(titles, c + 1).items() if k not in keys})
        return keys[c]

    # per mapped column, the first characters of its title as compared: a row whose cells do not start like
    # the titles above them is no repeated header (is_repeated_header compares whole titles, much slower)
    firsts = [(c, {h[0] for part in (titles[c], *titles[c].split("/")) if (h := mappings.norm_header(part))})
              for c, f in header.mapping.items() if f != IGNORE and c < len(titles) and titles[c]]
    need = min(2, sum(1 for f in header.mapping.values() if f != IGNORE))
    field_title: dict[str, str] = {}
    for c, f in cols:
        field_title.setdefault(f, title(c))
    handler.titles = field_title
    labels = mappings.labels(kind)
    # how each mapped column's cells become values, decided once rather than per cell: in the office's
    # words, by the column's parser, or as text — except values whose type says more than their text
    # (a date; a code or phone number Excel stored as a number, for finish() to judge; an ID number always)
    plan = []
    # a field two columns map to (手机 and 固定电话): only then can a row already hold it
    twice = {f for f, n in Counter(f for _c, f in cols).items() if n > 1}
    for c, f in cols:
        keep_types: type | tuple[type, ...] = object if f == "rep_id_number" else \
            (date, float) if f in ("credit_code", "rep_phone") else date
        # a worded column's plain words (codes or labels) → their codes, so most cells need no call
        plain: dict[str, str] | None = {} if (kind, f) in WORDED else None
        plan.append((c, f, plain, parsers.get(c), keep_types, f in fields_of_table, title(c), f in twice,
                     header.legends.get(c)))

    # every kind but chambers belongs to a chamber: rows grouped under a chamber's name are that chamber's
    grouped = kind != "chambers" and header.grouped
    group: str | None = None
    for r, raw in enumerate(rows):
        if r < header.data_start or all(is_blank(v) for v in raw):
            continue
        o = RowOutcome(sheet_row=r + 1, raw=raw, status=NEW)
        if _may_be_header(raw, firsts, need) and mappings.is_repeated_header(kind, raw, header):
            o.status = SKIPPED
            o.problems.append(Problem(o.sheet_row, "", "重复的表头行"))
            yield o
            continue
        if why := mappings.row_skip_reason(raw) or _signature_line(raw):
            o.status = SKIPPED
            o.problems.append(Problem(o.sheet_row, "", why))
            if why == mappings.TOTAL_ROW:
                group = None  # a township's 小计 ends its group; what follows is no longer that chamber's
            yield o
            continue
        if grouped and (label := mappings.group_label(raw, header.mapping)):
            group = label  # the rows under it are this chamber's, where their own owner cell is blank
            o.status = SKIPPED
            o.problems.append(Problem(o.sheet_row, "", f"分组行：其下各行属于“{label}”（所属单位一格为空的行按它归属）",
                                      note=True))
            yield o
            continue
        custom: dict[str, str] = {}
        for c in (kept_cols if len(raw) <= len(taken) else [c for c in range(len(raw)) if c >= len(taken) or not taken[c]]):
            v = raw[c] if c < len(raw) else None
            if is_blank(v):
                continue
            custom[custom_key(c)] = cell_text(v)
            if data_cols is not None:
                data_cols.add(c)
        if not custom and all(is_blank(raw[c]) if c < len(raw) else True for c, _ in cols):
            o.status = SKIPPED
            o.problems.append(Problem(o.sheet_row, "", "映射的列都为空（只有序号或不导入的列）"))
            yield o
            continue

        def fail(fld: str, msg: str, o: RowOutcome = o) -> None:
            o.problems.append(Problem(o.sheet_row, field_title.get(fld, labels.get(fld, fld)), msg))

        def note(fld: str, msg: str, o: RowOutcome = o) -> None:
            o.problems.append(Problem(o.sheet_row, field_title.get(fld, labels.get(fld, fld)), msg, note=True))

        texts = "".join([v for v in raw if isinstance(v, str)])
        # a printable text has no control character: the regex runs only on rows with line breaks or worse
        for c, v in enumerate(raw) if not texts.isprintable() and has_control_chars(texts) else ():
            if has_control_chars(v):
                o.problems.append(Problem(o.sheet_row, title(c), "含有不可见的控制字符（可能来自损坏或被篡改的文件），请检查该单元格"))
        data: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        width = len(raw)
        for c, f, plain, p, keep_types, in_table, col_title, mapped_twice, legend in plan:
            v = raw[c] if c < width else None
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            if legend:
                v = decode(v, legend)  # 1 → 乡镇, as the form's own legend says
            if mapped_twice and (f in data or f in extra):
                if in_table and cell_text(v) != cell_text(data.get(f)):
                    custom[custom_key(c)] = cell_text(v)  # 手机 and 固定电话 both filled: the second is kept
                continue
            if plain is not None:
                code = plain.get(v) if isinstance(v, str) else None
                v = code if code is not None else worded(kind, f, v, col_title, custom, note, fail, plain)
                if v is None:
                    continue
            elif p is not None:
                try:
                    v = p(v)
                except DateWithWords as exc:
                    # "2025年3月8日 县会堂": the day is taken, the whole cell kept where the clerk sees it
                    key = original_key(col_title)
                    custom.setdefault(key, cell_text(v))
                    note(f, f"“{cell_text(v)}”按 {exc.day.isoformat()} 导入，其后的“{exc.rest}”连同整格原文保存在自定义信息“{key}”中")
                    v = exc.day
                except ValueError as exc:
                    fail(f, str(exc))
                    continue
            elif not isinstance(v, keep_types):
                v = (v.strip() if isinstance(v, str) else cell_text(v)) or None  # cell_text, its common case inlined
            if in_table:
                data[f] = v
            else:
                extra[f] = v
        if o.problems and o.errors:
            o.status = REJECTED
            yield o
            continue
        if custom:
            data["custom"] = custom
        if group and is_blank(extra.get("chamber")):
            extra["chamber"] = group
        given = set(data)  # the fields the sheet gave this row a value for
        extra["given_fields"] = given
        try:
            clean = handler.finish(data, extra, fail)
        except SkipRow as exc:
            o.status = SKIPPED
            o.problems = [Problem(o.sheet_row, field_title.get("chamber", "所属单位"), str(exc))]
            yield o
            continue
        for fld, msg in extra.pop("notes", []):
            note(fld, msg)
        extra.pop("given_fields", None)
        if o.problems and o.errors:
            o.status = REJECTED
            yield o
            continue
        o.data, o.extra = clean, extra
        o.extra["given"] = given
        row_keys = handler.keys(clean)
        for kk, val, why in row_keys:
            seen = index.get(kk)
            hit = seen.get(val) if seen is not None else None
            if hit is None:
                continue
            o.status = DUPLICATE
            coexist = False
            if isinstance(hit, tuple):
                ref, coexist = hit
                o.dup_id, o.dup_reason = ref, f"与{handler.describe(ref)}{why}"
            else:
                o.dup_row, o.dup_reason = hit, f"与第{hit}行{why}"
            o.keep_allowed = kk in ("name", "same") or coexist
            break
        if o.status == NEW or (o.status == DUPLICATE and o.keep_allowed):
            # a row kept beside its twin still claims its keys for the rows after it
            for kk, val, _why in row_keys:
                index.setdefault(kk, {}).setdefault(val, o.sheet_row)
        yield o


def _first_char(s: str) -> str:
    """The first character as norm_header leaves it (half-width, upper case), without its regex work."""
    o = ord(s[0])
    return (chr(o - 0xFEE0) if 0xFF01 <= o <= 0xFF5E else s[0]).upper()


_FIRST_CHARS: dict[str, str] = {}  # a cell's first character → as _first_char leaves it
_HEADER_LEAD = " \t\r\n*:：※★\u3000"


def _may_be_header(row: list[object], firsts: list[tuple[int, set[str]]], need: int) -> bool:
    """Cheap test before the title comparison: enough text cells start like the titles above them."""
    n = 0
    width = len(row)
    for c, starts in firsts:
        v = row[c] if c < width else None
        if isinstance(v, str) and v:
            ch = v[0]
            if ch in _HEADER_LEAD:
                v = v.lstrip(_HEADER_LEAD)
                if not v:
                    continue
                ch = v[0]
            first = _FIRST_CHARS.get(ch)
            if first is None:
                first = _FIRST_CHARS[ch] = _first_char(ch)
            if first in starts:
                n += 1
                if n >= need:
                    return True
    return False


_SIGNATURE = re.compile(r"^(制表|制表人|记录|记录人|审核|审批|统计|经办|经办人|主管|领导|签字|签名|盖章|单位盖章|"
                        r"主要负责人|分管领导|秘书长签字|会长签字)[:：]")


def _signature_line(row: list[object]) -> str | None:
    """"制表：周春梅", "记录人：" under a table: a signature line, never a record."""
    first = next((v for v in row if not is_blank(v)), None)
    if isinstance(first, str) and _SIGNATURE.match(re.sub(r"\s+", "", first)):
        return "表尾签字或说明行"
    return None


def _has_keys(d: dict[str, Any]) -> bool:
    return any(v not in (None, "") for v in d.values())


# --- commit ----------------------------------------------------------------------------------------

def commit_import(db: Database, preview: ImportPreview, *, on_duplicate: str = "skip",
                  save_mapping: bool = True) -> ImportResult:
    """Write the preview in one transaction; nothing is written if anything fails."""
    if on_duplicate not in CHOICES:
        raise ChamberDeskError(f"重复记录的处理方式应为 {'/'.join(CHOICES)}")
    res = ImportResult(rows=len(preview.outcomes), columns=list(preview.columns), sheet=preview.sheet,
                       kind=preview.kind)
    try:
        with db.transaction() as s:
            idx = OwnerIndex.load(s)
            if preview.owners is not None:
                idx.planned = dict(preview.owners.planned)
            handler = HANDLERS[preview.kind](s, idx)
            handler.existing()
            w = _Writer(s, handler, preview.kind, on_duplicate, res, preview.title_of)
            for o in preview.outcomes:
                w.take(o)
            w.flush()
            res.new_chambers = list(idx.created)
            if save_mapping:
                _save_mapping(s, preview.kind, preview.header)
            _audit(s, handler, preview.path, preview.sheet, res)
    except IntegrityError as exc:
        raise ChamberDeskError("导入时数据文件中的记录已被改变（编号或代码冲突），未写入任何记录。请重新预览后再导入。") from exc
    assert res.balanced()
    return res


def _save_mapping(s: Session, kind: str, header: HeaderGuess) -> None:
    set_setting(s, mapping_key(kind), {header.titles[c]: f for c, f in header.mapping.items()
                                       if c < len(header.titles) and header.titles[c]})


def _audit(s: Session, handler: Kind, path: Path, sheet: str, res: ImportResult) -> None:
    after = {"导入文件": path.name, "工作表": sheet, "行数": res.rows, "新增": res.imported, "更新": res.updated,
             "重复": res.duplicates, "跳过": res.skipped, "拒绝": res.rejected}
    if res.new_chambers:
        after["新建商会"] = "、".join(res.new_chambers)
    audit.record(s, "create", handler.table, None, after=after)


def _insert_many(s: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """One INSERT run as a single executemany of plain tuples: SQLAlchemy's insert() spends as long again
    building and processing a parameter dict per row. Values go through the column types' own bind
    processors (dates and times stored as SQLAlchemy stores them), and a column a row leaves out gets the
    column's default, as insert() would give it."""
    tbl = table_of(model)
    conn = s.connection()
    dialect = conn.dialect
    given = set().union(*rows)
    cols = [c for c in tbl.c if c.name in given or isinstance(c.default, ScalarElementColumnDefault)]
    unknown = set(given) - {c.name for c in cols}
    if unknown:  # never silently leave a value out
        raise ChamberDeskError(f"内部错误：{tbl.name} 表没有列 {'、'.join(sorted(unknown))}，未写入任何记录。"
                               "请把这条信息告知维护人员。")
    defaults = [c.default.arg if isinstance(c.default, ScalarElementColumnDefault) else None for c in cols]
    procs = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in cols]
    names = [c.name for c in cols]
    # built column by column; dates, times and numbers repeat down a sheet (the import's own stamp on every
    # row), so each distinct value is converted once
    columns = []
    for k, d, p in zip(names, defaults, procs, strict=True):
        values = [r.get(k, d) for r in rows]
        if p is not None:
            seen: dict[Any, Any] = {}
            values = [v if v is None else seen[v] if v in seen else seen.setdefault(v, p(v)) for v in values]
        columns.append(values)
    params = list(zip(*columns, strict=True))
    quoted = ", ".join(dialect.identifier_preparer.quote(n) for n in names)
    conn.exec_driver_sql(f"INSERT INTO {dialect.identifier_preparer.format_table(tbl)} ({quoted}) "
                         f"VALUES ({', '.join(['?'] * len(names))})", params)


@contextmanager
def _trigger_set_aside(s: Session, name: str) -> Iterator[None]:
    """An SQLite trigger dropped for a bulk insert that does its work itself, and created again from its
    own stored text, both inside the caller's write transaction (which nobody else can write in, and
    whose rollback brings it back too). member_search_insert only fills a missing search text, yet merely
    having an AFTER INSERT trigger makes SQLite prepare every inserted row for it: about a third of the
    insert's time."""
    conn = s.connection()
    sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)).scalar()
    if sql is None:
        yield
        return
    conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        conn.exec_driver_sql(sql)


class _Writer:
    """Counts each outcome and writes the rows that go in, inserting in batches of BATCH."""

    def __init__(self, s: Session, handler: Kind, kind: str, on_duplicate: str, res: ImportResult,
                 title_of: Callable[[str], str]) -> None:
        self.s, self.handler, self.kind, self.on_duplicate, self.res = s, handler, kind, on_duplicate, res
        self.title_of = title_of
        self.stamp = now()
        self.pending: list[RowOutcome] = []
        # sheet row → new id, for a later row that updates it: rows arrive in order, so two int arrays
        # searched by bisection hold this in 8 bytes a row
        self.new_rows, self.new_ids = array("q"), array("q")
        self.failed: list[RowOutcome] = []  # duplicates whose update was refused

    def flush(self) -> None:
        if not self.pending:
            return
        model = self.handler.model
        rows = [{**(o.data or {}), "created_at": self.stamp, "updated_at": self.stamp, "version": 1} for o in self.pending]
        if self.s.get_bind().dialect.name == "sqlite":
            # SQLite cannot RETURNING in parameter order for a batch, so SQLAlchemy would insert row by row.
            # Inside this write transaction nobody else inserts, and SQLite gives each new row the largest
            # rowid plus one (sqlite.org/autoinc.html): the new ids are the ones above the old maximum, in order.
            rid = table_of(model).c.id
            before = self.s.execute(select(func.max(rid))).scalar() or 0
            if model is Member:
                # the search text filled here spares the insert trigger an UPDATE of every new row
                for r in rows:
                    r["search_text"] = search_text(r)
                with _trigger_set_aside(self.s, "member_search_insert"):
                    _insert_many(self.s, model, rows)
            else:
                _insert_many(self.s, model, rows)
            ids = list(self.s.execute(select(rid).where(rid > before).order_by(rid)).scalars())
            if len(ids) != len(rows):
                raise ChamberDeskError("导入时数据文件被同时修改，未写入任何记录。请关闭其他窗口后重新导入。")
        else:
            ids = list(self.s.execute(insert(model).returning(table_of(model).c.id, sort_by_parameter_order=True),
                                      rows).scalars())
        for mid, o in zip(ids, self.pending, strict=True):
            self.new_rows.append(o.sheet_row)
            self.new_ids.append(mid)
        self.handler.after_insert(ids, self.pending)
        self.pending.clear()

    def _new_id(self, sheet_row: int) -> int | None:
        i = bisect_left(self.new_rows, sheet_row)
        return self.new_ids[i] if i < len(self.new_rows) and self.new_rows[i] == sheet_row else None

    def take(self, o: RowOutcome) -> None:
        res = self.res
        if o.status == SKIPPED:
            _skipped(o, res)
            return
        if o.status == REJECTED:
            res.rejected += 1
            res.problems.extend(o.errors)
            return
        if (gone := self.handler.place(o)) is not None:
            res.rejected += 1
            res.problems.append(Problem(o.sheet_row, self.title_of("chamber"), gone))
            self.failed.append(o)
            return
        res.problems.extend(o.problems)  # notes on rows that go in
        if o.status == NEW:
            self.pending.append(o)
            res.imported += 1
            if len(self.pending) >= BATCH:
                self.flush()
            return
        choice = o.choice or self.on_duplicate
        if choice == "keep" and o.keep_allowed:
            self.pending.append(o)
            res.imported += 1
            return
        if choice == "update":
            target = o.dup_id
            if target is None and o.dup_row is not None:
                self.flush()
                target = self._new_id(o.dup_row)
            if target is not None:
                changes = _changes(o.data or {}, o.extra.get("given", set()))
                if "custom" in changes:  # the sheet's custom fields are added to those the record has
                    have = self.s.get(self.handler.model, target)
                    changes["custom"] = {**custom_fields.load(getattr(have, "custom", None)),
                                         **custom_fields.load(changes["custom"])}
                if self.kind == "members":
                    changes["_seats"] = o.extra.get("seats", [])
                try:
                    with self.s.begin_nested():
                        self.handler.update(target, changes)
                        self.s.flush()
                except InvalidInput as exc:
                    res.rejected += 1
                    for e in exc.errors:
                        res.problems.append(Problem(o.sheet_row, self.title_of(e.field), e.message))
                    self.failed.append(o)
                    return
                res.updated += 1
                return
        res.duplicates += 1


def _changes(data: dict[str, Any], given: set[str]) -> dict[str, Any]:
    # an update never blanks a field the sheet left empty
    return {k: v for k, v in data.items() if k in given and v not in (None, "")}


# --- the error workbook ----------------------------------------------------------------------------

def write_error_workbook(preview: ImportPreview, out: Path | str, extra_problems: list[Problem] | None = None) -> int:
    """Repeat every rejected row with its sheet row number and the reason, and list what became of
    every column; returns the number of rows."""
    return _error_workbook(preview.path, preview.sheet, preview.header.titles, preview.outcomes, out,
                           extra_problems, preview.columns)


def _error_workbook(path: Path, sheet: str, header_titles: list[str], outcomes: Iterable[RowOutcome],
                    out: Path | str, extra_problems: list[Problem] | None, columns: list[ColumnFate]) -> int:
    w, n = _rejected_sheet(None, path, sheet, header_titles, outcomes, extra_problems, "未通过的行")
    _columns_sheet(w.wb, path, [(sheet, columns)], "各列的去向")
    w.save(out)
    return n


def _rejected_sheet(wb: Any, path: Path, sheet: str, header_titles: list[str], outcomes: Iterable[RowOutcome],
                    extra_problems: list[Problem] | None, sheet_name: str) -> tuple[Any, int]:
    """A sheet repeating each rejected row of one source sheet with its row number and the reason.
    `extra_problems`: refusals found while writing (a row refused then is among `outcomes` as well)."""
    from chamberdesk.io.workbook_style import FormWriter

    rows = refusals(outcomes, extra_problems)
    titles = list(header_titles)
    width = max([len(titles)] + [len(raw) for _r, raw, _ps in rows])
    titles += [""] * (width - len(titles))
    w = FormWriter(f"导入未通过的行（{Path(path).name}）", ["工作表行号", "原因", *titles], wb=wb,
                   unit_line=f"来源：{Path(path).name} · 工作表“{sheet}”",
                   widths=[10, 40] + [14] * width, sheet_name=sheet_name)
    for r, raw, problems in rows:
        raw = list(raw) + [""] * (width - len(raw))
        w.row([r, "；".join(p.describe() for p in problems), *[_visible(v) if isinstance(v, str) else v for v in raw]])
    return w, len(rows)


def refusals(outcomes: Iterable[RowOutcome], extra_problems: list[Problem] | None = None,
             ) -> list[tuple[int, list[object], list[Problem]]]:
    """Each refused row once, in sheet order: its row number, its cells and why (each reason names its
    column). `extra_problems`: refusals found while writing, for rows among `outcomes` not yet refused."""
    by_row: dict[int, list[Problem]] = {}
    raws: dict[int, list[object]] = {}
    for o in outcomes:
        raws[o.sheet_row] = o.raw
        if o.status == REJECTED:
            by_row.setdefault(o.sheet_row, []).extend(o.errors)
    for p in extra_problems or []:
        if not p.note and p.row not in by_row and p.row in raws:
            by_row.setdefault(p.row, []).append(p)
    return [(r, raws[r], by_row[r]) for r in sorted(by_row)]


def _columns_sheet(wb: Any, path: Path, sheets: list[tuple[str, list[ColumnFate]]], sheet_name: str) -> None:
    """What became of every column; with several source sheets, a 工作表 column says whose column it is."""
    from chamberdesk.io.workbook_style import FormWriter

    several = len(sheets) > 1
    heads = ["列", "表中的列名", "去向", "说明"]
    unit = (f"工作表“{sheets[0][0]}”" if sheets and not several else "各工作表") + "：每一列导入为字段、保留为自定义信息或不导入"
    cw = FormWriter(f"各列的去向（{Path(path).name}）", ["工作表", *heads] if several else heads, wb=wb,
                    unit_line=unit, widths=([16] if several else []) + [6, 24, 30, 40], sheet_name=sheet_name,
                    landscape=False)
    for name, columns in sheets:
        for c in columns:
            cw.row([*([name] if several else []), c.letter, c.title or "（无列名）", c.describe(), c.reason])


def write_workbook_errors(path: Path | str, wres: WorkbookResult, out: Path | str) -> int:
    """A whole workbook's error workbook: per imported source sheet, its rejected rows with the reason (a sheet
    of the same name), then what became of every column of every sheet. Returns the number of rows."""
    from chamberdesk.io.workbook_style import close_sheets, new_workbook

    path = Path(path)
    wb = new_workbook()
    used: set[str] = {"各列的去向"}
    total = 0
    last = None
    try:
        for r in wres.sheets:
            name = _unique_sheet_name(r.sheet, used)
            last, n = _rejected_sheet(wb, path, r.sheet, wres.titles.get(r.sheet, []), wres.refused.get(r.sheet, []),
                                      r.problems, name)
            total += n
        _columns_sheet(wb, path, [(r.sheet, r.columns) for r in wres.sheets], "各列的去向")
    except BaseException:
        close_sheets(wb)
        raise
    if last is None:
        raise ChamberDeskError("没有导入任何工作表，无未通过的行可保存。")
    last.save(out)
    return total


def _unique_sheet_name(name: str, used: set[str]) -> str:
    """A worksheet name Excel accepts (31 characters, none of []:*?/\\), unlike every other one here."""
    base = "".join("_" if ch in '[]:*?/\\' else ch for ch in name).strip("'")[:31] or "工作表"
    cand, n = base, 2
    while cand.lower() in {u.lower() for u in used}:
        suffix = f"（{n}）"
        cand, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(cand)
    return cand


def _visible(text: str) -> str:
    # a workbook cannot hold control characters: show where they were
    return _CONTROL_RE.sub("�", text)


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- the one-call import (CLI) -----------------------------------------------------------------------

_CODED_TITLE = re.compile(r"(?<!信用)(?<!机构)(?<!区划)(?<!邮政)代码(?![\u4e00-\u9fff])")  # "组织类别代码"
NOTE_ROWS = 12  # the lines under a table that may explain its codes


def _with_notes_below(path: Path, sheet: str | None, head: Sheet) -> Sheet:
    """A streamed sheet's first rows, and its last ones when a title says its column holds codes: statistics
    forms explain their codes in a note under the table ("组织类别代码：1=乡镇商会 2=街道商会"), which the first
    rows of a long sheet do not reach. One more pass over the file, kept to those lines."""
    if len(head.rows) < HEAD_ROWS or not any(isinstance(v, str) and _CODED_TITLE.search(v) for r in head.rows for v in r):
        return head
    with stream_sheet(path, sheet) as (_head, rows):
        last = deque((r for r in rows if not all(is_blank(v) for v in r)), maxlen=NOTE_ROWS)
    return Sheet(head.name, [*head.rows, [], *last], head.merged)


def _guess_streamed(s: Session, kind: str, path: Path, sheet: str | None, head: Sheet, *,
                    overrides: dict[str, str] | None = None, known_names: Iterable[str] | None = None) -> HeaderGuess:
    """The header of a streamed sheet, from its first rows and any note explaining its codes under it."""
    return guess_header(kind, _with_notes_below(path, sheet, head), saved=get_setting(s, mapping_key(kind)),
                        overrides=overrides, known_names=known_names)


def import_file(db: Database, path: Path | str, kind: str, *, sheet: str | None = None,
                mapping: dict[str, str] | None = None, on_duplicate: str = "skip", dry_run: bool = False,
                errors_out: Path | str | None = None, before_write: Callable[[], None] | None = None,
                owner: str | None = None, create_chambers: bool = False) -> ImportResult:
    """The CLI's import in one streamed pass (and a look at the last lines for a note explaining codes, see
    _with_notes_below): each row is read, checked, counted and (unless a dry run)
    written in batches inside one transaction, so memory does not grow with the sheet. Only the
    problems and, for the error workbook, the rejected rows are kept. The GUI wizard previews instead.
    `before_write` runs once the sheet is recognised and before anything is written (the backup).
    `owner`: whose records rows without an owner are; `create_chambers`: create chambers named in the
    sheet that are not on file (otherwise those rows are rejected)."""
    if on_duplicate not in CHOICES:
        raise ChamberDeskError(f"重复记录的处理方式应为 {'/'.join(CHOICES)}")
    path = Path(path)
    refused: list[RowOutcome] = []
    with stream_sheet(path, sheet) as (head, rows):
        try:
            with (db.session() if dry_run else db.transaction()) as s:
                header = _guess_streamed(s, kind, path, sheet, head, overrides=mapping,
                                         known_names=known_chamber_names(s))
                missing = missing_required(kind, header)
                if missing:
                    raise ChamberDeskError(f"找不到必需的列：{'、'.join(missing)}。请在映射中指定对应的列。")
                _check_owner(kind, header, owner)
                if before_write is not None and not dry_run:
                    before_write()
                res = _import_rows(s, kind, path, head.name, header, rows, owner=owner,
                                   create_chambers=create_chambers, on_duplicate=on_duplicate, dry_run=dry_run,
                                   refused=refused if errors_out else None)
        except IntegrityError as exc:
            raise ChamberDeskError("导入时数据文件中的记录已被改变（编号或代码冲突），未写入任何记录。请重新导入。") from exc
    if errors_out:
        _error_workbook(path, head.name, header.titles, refused, errors_out, res.problems, res.columns)
    return res


def _import_rows(s: Session, kind: str, path: Path, sheet: str, header: HeaderGuess, rows: Iterable[list[object]], *,
                 owner: str | None, create_chambers: bool, on_duplicate: str, dry_run: bool,
                 refused: list[RowOutcome] | None, owner_choices: dict[str, str | int] | None = None,
                 unknown: dict[str, int] | None = None) -> ImportResult:
    """One sheet's rows classified and written (or counted, in a dry run) inside the caller's transaction.
    `unknown` collects the owner names that matched no chamber (name → rows)."""
    res = ImportResult(sheet=sheet, kind=kind)
    # a chamber sheet has no owner; in a workbook it is imported first, so --owner may name one of its chambers
    idx = _owner_index(s, None if kind == "chambers" else owner, create_chambers, owner_choices)
    handler = HANDLERS[kind](s, idx)
    writer = _Writer(s, handler, kind, on_duplicate, res, lambda f: _title_of(kind, header, f))
    data_cols: set[int] = set()
    for o in _classify(kind, rows, header, handler, data_cols):
        res.rows += 1
        if dry_run:
            _count(o, on_duplicate, res)
        else:
            writer.take(o)
        if o.status == REJECTED and refused is not None:
            refused.append(_slim(o))
    res.columns = column_fates(kind, header, data_cols)
    if unknown is not None:
        for name, n in idx.unknown.items():
            unknown[name] = unknown.get(name, 0) + n
    if dry_run:
        res.new_chambers = [f"{n}（将新建）" for n in idx.planned.values()]
    else:
        writer.flush()
        if refused is not None:
            refused += [_slim(o) for o in writer.failed]
        res.new_chambers = list(idx.created)
        _save_mapping(s, kind, header)
        _audit(s, handler, path, sheet, res)
    assert res.balanced()
    return res


def _slim(o: RowOutcome) -> RowOutcome:
    # the error workbook needs only the row number, the cells and the reasons
    return RowOutcome(sheet_row=o.sheet_row, raw=o.raw, status=o.status, problems=o.problems)


def _skipped(o: RowOutcome, res: ImportResult) -> None:
    res.skipped += 1
    res.problems.extend(p for p in o.problems if p.note)  # what a skipped row said of the rows under it


def _count(o: RowOutcome, on_duplicate: str, res: ImportResult) -> None:
    """What a commit would do with one row, as far as can be told without writing."""
    if o.status == SKIPPED:
        _skipped(o, res)
    elif o.status == REJECTED:
        res.rejected += 1
        res.problems.extend(o.errors)
        return
    elif o.status == NEW:
        res.imported += 1
    else:
        choice = o.choice or on_duplicate
        if choice == "update":
            res.updated += 1
        elif choice == "keep" and o.keep_allowed:
            res.imported += 1
        else:
            res.duplicates += 1
    if o.status != SKIPPED:
        res.problems.extend(o.problems)


def dry_run_result(preview: ImportPreview, on_duplicate: str = "skip") -> ImportResult:
    """What a commit would report, as far as can be told without writing."""
    res = ImportResult(rows=len(preview.outcomes), columns=list(preview.columns), sheet=preview.sheet,
                       kind=preview.kind)
    for o in preview.outcomes:
        _count(o, on_duplicate, res)
    return res


# --- a whole workbook ----------------------------------------------------------------------------------

@dataclass
class SheetPlan:
    """One worksheet of a workbook and the kind it was recognised as (None: not imported, with why)."""

    name: str
    kind: str | None
    confidence: float = 0.0
    reason: str = ""


@dataclass
class WorkbookResult:
    sheets: list[ImportResult] = field(default_factory=list)
    left_out: list[SheetPlan] = field(default_factory=list)  # sheets not imported, each with the reason
    unknown_owners: dict[str, int] = field(default_factory=dict)  # owner names matching no chamber → rows
    needs_owner: list[str] = field(default_factory=list)  # sheets with no owner column (dry run, owner_gaps)
    # per imported sheet, the rows refused (their cells and reasons, for the preview and the error workbook)
    # and the header's titles
    refused: dict[str, list[RowOutcome]] = field(default_factory=dict)
    titles: dict[str, list[str]] = field(default_factory=dict)

    def totals(self) -> dict[str, int]:
        keys = ("rows", "imported", "updated", "duplicates", "skipped", "rejected")
        return {k: sum(getattr(r, k) for r in self.sheets) for k in keys}

    def balanced(self) -> bool:
        return all(r.balanced() for r in self.sheets)

    def refused_rows(self, sheet: str) -> list[tuple[int, list[object], list[Problem]]]:
        """The rows of one imported sheet that were (or would be) refused, as `refusals` gives them."""
        res = next((r for r in self.sheets if r.sheet == sheet), None)
        return refusals(self.refused.get(sheet, []), res.problems if res else None)

    def as_dict(self) -> dict[str, Any]:
        return {**self.totals(),
                "sheets": [{"sheet": r.sheet, "kind": r.kind, **r.as_dict()} for r in self.sheets],
                "left_out": [{"sheet": p.name, "reason": p.reason} for p in self.left_out]}


def plan_workbook(path: Path | str, kinds: dict[str, str] | None = None) -> list[SheetPlan]:
    """Each visible sheet and its kind, recognised from its headers and name (or as the clerk set it)."""
    path = Path(path)
    plans = []
    for name in sheet_names(path):
        with stream_sheet(path, name) as (head, _rows):
            sh = head
        if kinds and name in kinds:
            k = kinds[name] or None
            plans.append(SheetPlan(name, k, 1.0, "" if k else "按您的选择不导入"))
            continue
        if not any(any(not is_blank(v) for v in r) for r in sh.rows):
            plans.append(SheetPlan(name, None, 0.0, "空工作表"))
            continue
        kind, conf = mappings.detect_kind(sh.rows, name)
        guess = mappings.detect_header(kind, sh.rows, sh.merged) if kind else None
        if kind is not None and (guess is None or missing_required(kind, guess)):
            kind = None  # words of a kind in a title, but no table of it under them (a cover or notes sheet)
        if kind is None:
            plans.append(SheetPlan(name, None, conf, "认不出是哪类台账（商会、会员、会议、活动、走访），"
                                                     "可单独导入该表并指定类型"))
        else:
            plans.append(SheetPlan(name, kind, conf))
    return plans


def import_workbook(db: Database, path: Path | str, *, kinds: dict[str, str] | None = None,
                    on_duplicate: str = "skip", dry_run: bool = False, owner: str | None = None,
                    create_chambers: bool = False, owner_choices: dict[str, str | int] | None = None,
                    before_write: Callable[[], None] | None = None, owner_gaps: bool = False) -> WorkbookResult:
    """Every sheet of a county workbook, in dependency order (chambers, members, meetings, activities,
    contacts) and in one transaction: a later sheet finds the chambers and members of an earlier one.
    A sheet that cannot be imported stops the whole import before anything is written. A dry run
    writes the same way and rolls everything back, so its counts are those of the real import; with
    `owner_gaps` it also goes on past a sheet that has no owner column and lists it in `needs_owner`
    (the wizard asks the clerk about all of them at once)."""
    path = Path(path)
    plans = plan_workbook(path, kinds)
    out = WorkbookResult(left_out=[p for p in plans if p.kind is None])
    todo = sorted(((p, p.kind) for p in plans if p.kind), key=lambda pk: ORDER.index(pk[1]))
    if not todo:
        raise ChamberDeskError(f"“{path.name}”中没有认出可导入的工作表：" +
                               "；".join(f"“{p.name}”{p.reason}" for p in plans))
    try:
        with db.session() as s:
            started = False
            for p, kind in todo:
                with stream_sheet(path, p.name) as (head, rows):
                    header = _guess_streamed(s, kind, path, p.name, head,
                                            known_names=known_chamber_names(s))
                    missing = missing_required(kind, header)
                    if missing:
                        raise ChamberDeskError(f"工作表“{p.name}”（{mappings.KIND_LABELS[kind]}）找不到必需的列："
                                               f"{'、'.join(missing)}。请单独导入该表并指定列。")
                    try:
                        _check_owner(kind, header, owner)
                    except ChamberDeskError as exc:
                        if dry_run and owner_gaps:
                            out.needs_owner.append(p.name)
                            continue
                        raise ChamberDeskError(f"工作表“{p.name}”：{exc}") from None
                    if not started and before_write is not None and not dry_run:
                        before_write()
                    started = True
                    refused = out.refused[p.name] = []
                    out.titles[p.name] = list(header.titles)
                    out.sheets.append(_import_rows(s, kind, path, p.name, header, rows, owner=owner,
                                                   create_chambers=create_chambers, on_duplicate=on_duplicate,
                                                   dry_run=False, refused=refused, owner_choices=owner_choices,
                                                   unknown=out.unknown_owners))
                    s.flush()
            if dry_run:
                s.rollback()
            else:
                s.commit()
    except IntegrityError as exc:
        raise ChamberDeskError("导入时数据文件中的记录已被改变（编号或代码冲突），未写入任何记录。请重新导入。") from exc
    return out


__all__ = ["ColumnFate", "ImportPreview", "ImportResult", "Problem", "RowOutcome", "SpreadsheetError",
           "WorkbookResult", "commit_import", "dry_run_result", "import_file", "import_workbook", "plan_workbook",
           "preview_import", "write_error_workbook", "write_workbook_errors"]
