"""Importing the ledgers offices keep in Excel/WPS: read, map, normalise, validate, find duplicates, preview, commit.

Every non-empty row below the header ends in exactly one bucket — imported, updated, duplicate,
skipped (a repeated header, a total or signature row) or rejected with a reason — so
`rows == imported + updated + duplicates + skipped + rejected` always holds. Validation is the
core's (validate_member and friends); this module only turns cells into the values they expect.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from chamberdesk.core import audit
from chamberdesk.core.activities import update_activity, validate_activity
from chamberdesk.core.chambers import update_chamber, validate_chamber
from chamberdesk.core.choices import (
    ActivityCategory,
    ChamberKind,
    ContactWay,
    Industry,
    MeetingBody,
    MemberKind,
    PartyOrg,
    PoliticalStatus,
    Position,
    SizeClass,
)
from chamberdesk.core.contacts import validate_contact
from chamberdesk.core.db import Database
from chamberdesk.core.errors import ChamberDeskError, InvalidInput
from chamberdesk.core.federation import get_federation, get_setting, set_setting
from chamberdesk.core.meetings import update_meeting, validate_meeting
from chamberdesk.core.members import update_member, validate_member
from chamberdesk.core.models import Activity, Chamber, Contact, Meeting, Member, Membership, Tracked
from chamberdesk.core.records import now, table_of
from chamberdesk.core.validators import compact_code, to_halfwidth
from chamberdesk.io import mappings
from chamberdesk.io.mappings import IGNORE, KINDS, HeaderGuess
from chamberdesk.io.normalize import (
    cell_text,
    has_control_chars,
    is_blank,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    resolve_choice,
)
from chamberdesk.io.sheet_reader import Sheet, SpreadsheetError, read_sheet, stream_sheet

NEW, DUPLICATE, SKIPPED, REJECTED = "new", "duplicate", "skipped", "rejected"
STATUS_LABELS = {NEW: "新增", DUPLICATE: "重复", SKIPPED: "跳过", REJECTED: "拒绝"}
CHOICES = ("skip", "update", "keep")
CHOICE_LABELS = {"skip": "跳过", "update": "更新已有记录", "keep": "两条都保留"}
BATCH = 2000


@dataclass
class Problem:
    row: int  # the sheet's row number as Excel shows it
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
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
        return "；".join(f"{p.column}：{p.message}" if p.column else p.message for p in self.problems)


@dataclass
class ImportResult:
    rows: int = 0
    imported: int = 0
    updated: int = 0
    duplicates: int = 0
    skipped: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "imported": self.imported, "updated": self.updated,
                "duplicates": self.duplicates, "skipped": self.skipped, "rejected": self.rejected,
                "problems": [p.as_dict() for p in self.problems]}

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

    def counts(self) -> dict[str, int]:
        out = {NEW: 0, DUPLICATE: 0, SKIPPED: 0, REJECTED: 0}
        for o in self.outcomes:
            out[o.status] += 1
        return out

    def title_of(self, fld: str) -> str:
        for c, f in self.header.mapping.items():
            if f == fld and c < len(self.header.titles) and self.header.titles[c]:
                return self.header.titles[c]
        return mappings.labels(self.kind).get(fld, fld)


# --- cells to values -----------------------------------------------------------------------------

def _text(v: object) -> str | None:
    t = cell_text(v)
    return t or None


def _lossy_number(v: object) -> bool:
    return isinstance(v, float) and abs(v) >= 1e15


def _choice(enum, aliases: dict[str, str] | None = None) -> Callable[[object], Any]:
    return lambda v: resolve_choice(enum, v, aliases)


MEMBER_KIND_ALIASES = {"企业": "enterprise", "团体": "group", "个人": "personal", "商会": "group"}
SIZE_ALIASES = {"规上": "above", "规模以上": "above", "规模以上企业": "above", "中小企业": "sme", "小微企业": "sme",
                "中小微": "sme", "小微": "sme", "个体": "individual", "个体户": "individual"}
POLITICAL_ALIASES = {"党员": "cpc", "中共": "cpc", "预备党员": "cpc_prob", "团员": "cyl", "民建": "cndca",
                     "民革": "rcck", "民盟": "cdl", "民进": "capd", "农工党": "cpwdp", "致公党": "czgp",
                     "九三学社": "js", "台盟": "tdsgl", "无党派": "nonpartisan"}
BODY_ALIASES = {"会员大会": "general_assembly", "会员代表大会": "general_assembly", "理事会议": "council",
                "常务理事会议": "standing_council", "会长办公会议": "president_office", "监事会议": "supervisory_board",
                "执委会议": "executive_committee", "常委会议": "standing_committee", "主席办公会议": "chair_office"}
CATEGORY_ALIASES = {"理论学习": "theory_study", "学习": "theory_study", "光彩事业": "charity", "公益": "charity",
                    "公益慈善": "charity", "捐赠": "charity", "调研": "research", "提案": "policy_advice",
                    "维权": "legal", "法律服务": "legal", "联谊": "chamber_exchange", "商会交流": "chamber_exchange",
                    "政企座谈": "gov_dialogue", "银企对接": "gov_dialogue"}
WAY_ALIASES = {"走访": "visit", "上门": "visit", "实地": "visit", "现场走访": "visit", "电话联系": "phone",
               "微信联系": "wechat", "短信": "other"}
CHAMBER_KIND_ALIASES = {"乡镇": "township", "镇商会": "township", "街道": "subdistrict", "行业": "industry",
                        "行业协会": "industry", "异地": "nonlocal", "楼宇": "building", "商圈": "building",
                        "楼宇商会": "building", "商圈商会": "building"}
PARTY_ALIASES = {"独立": "own", "单独组建": "own", "联合": "joint", "联合组建": "joint", "联络员": "liaison",
                 "党建指导员": "liaison", "没有": "none"}

PARSERS: dict[str, dict[str, Callable[[object], Any]]] = {
    "members": {
        "kind": _choice(MemberKind, MEMBER_KIND_ALIASES), "industry": _choice(Industry),
        "size_class": _choice(SizeClass, SIZE_ALIASES), "rep_political_status": _choice(PoliticalStatus, POLITICAL_ALIASES),
        "rep_birth_date": parse_date, "join_date": parse_date, "leave_date": parse_date,
    },
    "chambers": {
        "kind": _choice(ChamberKind, CHAMBER_KIND_ALIASES), "party_org": _choice(PartyOrg, PARTY_ALIASES),
        "registered": parse_bool, "has_office": parse_bool, "secretary_fulltime": parse_bool,
        "is_group_member": parse_bool, "inspection_passed": parse_bool,
        "founded_on": parse_date, "term_start": parse_date, "term_end": parse_date,
        "office_area": parse_float, "annual_funds": parse_float,
        "fulltime_staff": parse_int, "parttime_staff": parse_int,
    },
    "meetings": {
        "body": _choice(MeetingBody, BODY_ALIASES), "date": parse_date,
        "expected_count": parse_int, "present_count": parse_int,
    },
    "activities": {
        "category": _choice(ActivityCategory, CATEGORY_ALIASES), "date": parse_date,
        "participant_count": parse_int, "member_participants": parse_int, "amount": parse_float,
        "people_count": parse_int, "item_count": parse_int,
    },
    "contacts": {"way": _choice(ContactWay, WAY_ALIASES), "date": parse_date},
}
# booleans default to False in the tables: a blank cell means "no" there, not "unknown"
BOOL_DEFAULTS = {"registered", "has_office", "secretary_fulltime", "is_group_member"}


def name_key(name: object) -> str:
    """Names compared after trimming, half-width and without inner spaces."""
    return re.sub(r"\s+", "", to_halfwidth(str(name or "")))


# --- the kinds -------------------------------------------------------------------------------------

class _Kind:
    """What differs between members, chambers, meetings, activities and contacts."""

    model: type[Tracked]
    table: str

    def __init__(self, session: Session) -> None:
        self.session = session
        self.chambers: dict[str, int] = {name_key(n): i for i, n in session.exec(
            select(Chamber.id, Chamber.name).where(col(Chamber.deleted_at).is_(None))) if i is not None}
        fed = get_federation(session)
        self.federation_names = {"", "本级", "本会", "工商联", "本级工商联", "总商会"} | (
            {name_key(fed.name)} if fed else set())

    def finish(self, data: dict[str, Any], extra: dict[str, Any], fail: Callable[[str, str], None]) -> dict[str, Any]:
        raise NotImplementedError

    def keys(self, data: dict[str, Any]) -> list[tuple[str, Any, str]]:
        """(key kind, value, what to tell the clerk) — a match on any of them is a duplicate."""
        raise NotImplementedError

    def existing(self) -> list[tuple[int, dict[str, Any], bool]]:
        """(id, data for keys, may coexist) for every live record."""
        raise NotImplementedError

    def describe(self, rid: int) -> str:
        return f"编号 {rid}"

    def update(self, rid: int, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def after_insert(self, ids: list[int], outcomes: list[RowOutcome]) -> None:
        pass

    def chamber_id(self, text: object, fail: Callable[[str, str], None], fld: str = "chamber") -> int | None:
        k = name_key(cell_text(text))
        if k in self.federation_names:
            return None
        if k not in self.chambers:
            fail(fld, f"找不到商会“{cell_text(text)}”，请先导入或新建该商会")
            return None
        return self.chambers[k]


def _changes(data: dict[str, Any], given: set[str]) -> dict[str, Any]:
    # an update never blanks a field the sheet left empty
    return {k: v for k, v in data.items() if k in given and v not in (None, "")}


class _Members(_Kind):
    model, table = Member, "member"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._names: dict[int, str] = {}

    def finish(self, data, extra, fail):
        data.setdefault("kind", "enterprise")
        data["kind"] = data.get("kind") or "enterprise"
        for fld, what in (("rep_id_number", "身份证号"), ("rep_phone", "联系电话")):
            v = data.get(fld)
            if isinstance(v, str) and "*" in v:
                extra.setdefault("notes", []).append((fld, f"{what}已打码（{v}），未导入该项"))
                data[fld] = None
        code = data.get("credit_code")
        if _lossy_number(code):
            fail("credit_code", "单元格以数字形式保存，后几位已丢失，请将该列设为文本后重新填写")
            data["credit_code"] = None
        elif isinstance(code, float):
            data["credit_code"] = cell_text(code)
        if isinstance(data.get("rep_phone"), float):
            data["rep_phone"] = cell_text(data["rep_phone"])
        seats = self._seats(extra.pop("chamber", None), extra.pop("position", None), fail, extra)
        try:
            clean = validate_member(None, data)
        except InvalidInput as exc:
            for e in exc.errors:
                fail(e.field, e.message)
            return data
        extra["seats"] = seats
        return clean

    def _seats(self, chamber: object, position: object, fail, extra) -> list[tuple[int, str]]:
        if is_blank(chamber):
            return []
        pos_text = cell_text(position) if not is_blank(position) else ""
        out = []
        for part in re.split(r"[、,，;；\n]+", to_halfwidth(cell_text(chamber))):
            part = part.strip()
            if not part:
                continue
            m = re.fullmatch(r"(.+?)\s*[(（]\s*(.+?)\s*[)）]", part)
            name, pos = (m[1], m[2]) if m else (part, pos_text or "会员")
            p = Position.parse(pos)
            if p is None:
                fail("position", f"“{pos}”不是可选职务（可选：{'、'.join(Position.labels())}）")
                continue
            k = name_key(name)
            if k not in self.chambers:
                extra.setdefault("notes", []).append(
                    ("chamber", f"商会“{name}”不存在，会员照常导入，未登记其商会职务"))
                continue
            out.append((self.chambers[k], p.value))
        return out

    def keys(self, data):
        out = []
        if data.get("credit_code"):
            out.append(("code", data["credit_code"], "统一社会信用代码相同"))
        if data.get("rep_id_number"):
            out.append(("id", data["rep_id_number"], "身份证号相同"))
        if data.get("enterprise_name"):
            out.append(("name", name_key(data["enterprise_name"]), "名称相同"))
        return out

    def existing(self):
        rows = self.session.exec(select(col(Member.id), Member.enterprise_name, Member.credit_code, Member.rep_id_number,
                                        Member.leave_date).where(col(Member.deleted_at).is_(None)))  # type: ignore[call-overload]  # sqlmodel types select() for at most 4 columns
        out = []
        for mid, name, code, idn, left in rows:
            self._names[mid] = name
            out.append((mid, {"enterprise_name": name, "credit_code": code, "rep_id_number": idn}, left is not None))
        return out

    def describe(self, rid):
        return f"在册会员“{self._names.get(rid, rid)}”"

    def update(self, rid, data):
        seats = data.pop("_seats", [])
        update_member(self.session, rid, data)
        self._add_seats([(rid, seats)], left={rid: data.get("leave_date")})

    def after_insert(self, ids, outcomes):
        self._add_seats([(mid, o.extra.get("seats", [])) for mid, o in zip(ids, outcomes, strict=True)],
                        joined={mid: o.data.get("join_date") for mid, o in zip(ids, outcomes, strict=True)},
                        left={mid: o.data.get("leave_date") for mid, o in zip(ids, outcomes, strict=True)})

    def _add_seats(self, pairs, joined: dict[int, date | None] | None = None,
                   left: dict[int, date | None] | None = None) -> None:
        """Seats named in the sheet; a member who has left gets them closed on the leave date."""
        rows = []
        for mid, seats in pairs:
            have: set[int | None] = set()
            if joined is None and seats:  # an update: the member may already sit in the chamber
                have = set(self.session.exec(select(Membership.chamber_id).where(
                    Membership.member_id == mid, col(Membership.end_date).is_(None))).all())
            for cid, pos in seats:
                if cid not in have:
                    rows.append({"member_id": mid, "chamber_id": cid, "position": pos,
                                 "start_date": (joined or {}).get(mid) or (None if joined is not None else date.today()),
                                 "end_date": (left or {}).get(mid)})
                    have.add(cid)
        if rows:
            self.session.execute(insert(Membership), rows)


class _Chambers(_Kind):
    model, table = Chamber, "chamber"

    def finish(self, data, extra, fail):
        for b in BOOL_DEFAULTS:
            if data.get(b) is None and b in Chamber.model_fields:
                data[b] = False
        if isinstance(data.get("credit_code"), float):
            data["credit_code"] = cell_text(data["credit_code"])
        if not data.get("kind"):
            fail("kind", f"必须填写（可选：{'、'.join(ChamberKind.labels())}）")
            return data
        try:
            return validate_chamber(None, data)
        except InvalidInput as exc:
            for e in exc.errors:
                fail(e.field, e.message)
            return data

    def keys(self, data):
        out = [("name", name_key(data["name"]), "商会名称相同")]
        if data.get("credit_code"):
            out.append(("code", data["credit_code"], "统一社会信用代码相同"))
        return out

    def existing(self):
        self._names = {}
        out = []
        for cid, name, code in self.session.exec(select(Chamber.id, Chamber.name, Chamber.credit_code)
                                                  .where(col(Chamber.deleted_at).is_(None))):
            self._names[cid] = name
            out.append((cid, {"name": name, "credit_code": code}, False))
        return out

    def describe(self, rid):
        return f"已有商会“{self._names.get(rid, rid)}”"

    def update(self, rid, data):
        update_chamber(self.session, rid, data)

    def after_insert(self, ids, outcomes):
        for cid, o in zip(ids, outcomes, strict=True):
            self.chambers[name_key(o.data["name"])] = cid


class _Owned(_Kind):
    """Meetings and activities: owned by a chamber, or by the federation when the cell is blank."""

    validate: Callable[[dict[str, Any]], dict[str, Any]]
    updater: Callable[..., Any]
    key_fields: tuple[str, ...]

    def finish(self, data, extra, fail):
        data["chamber_id"] = self.chamber_id(extra.pop("chamber", None), fail)
        try:
            return type(self).validate(data)
        except InvalidInput as exc:
            for e in exc.errors:
                fail(e.field, e.message)
            return data

    def keys(self, data):
        return [("same", tuple(data.get(k) for k in ("chamber_id", *self.key_fields)), "同一单位同日已有相同记录")]

    def existing(self):
        cols = [getattr(self.model, k) for k in ("id", "chamber_id", *self.key_fields)]
        return [(r[0], dict(zip(("chamber_id", *self.key_fields), r[1:], strict=True)), True)
                for r in self.session.exec(select(*cols).where(col(self.model.deleted_at).is_(None)))]

    def update(self, rid, data):
        type(self).updater(self.session, rid, data)


class _Meetings(_Owned):
    model, table = Meeting, "meeting"
    validate = staticmethod(validate_meeting)
    updater = staticmethod(update_meeting)
    key_fields = ("body", "date")


class _Activities(_Owned):
    model, table = Activity, "activity"
    validate = staticmethod(validate_activity)
    updater = staticmethod(update_activity)
    key_fields = ("date", "title")


class _Contacts(_Kind):
    model, table = Contact, "contact"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.by_name: dict[str, list[int]] = {}
        self.by_code: dict[str, int] = {}
        for mid, name, code in session.exec(select(col(Member.id), Member.enterprise_name, Member.credit_code)
                                            .where(col(Member.deleted_at).is_(None))):
            if mid is None:  # never: read from the table
                continue
            self.by_name.setdefault(name_key(name), []).append(mid)
            if code:
                self.by_code[code] = mid

    def finish(self, data, extra, fail):
        code = extra.pop("credit_code", None)
        name = extra.pop("member", None)
        mid = None
        if not is_blank(code):
            mid = self.by_code.get(compact_code(cell_text(code)))
        if mid is None and not is_blank(name):
            hits = self.by_name.get(name_key(cell_text(name)), [])
            if len(hits) > 1:
                fail("member", f"有 {len(hits)} 个会员名为“{cell_text(name)}”，请补充统一社会信用代码以区分")
                return data
            mid = hits[0] if hits else None
        if mid is None:
            fail("member", f"找不到会员“{cell_text(name) or cell_text(code)}”，请先导入该会员")
            return data
        data["member_id"] = mid
        data["chamber_id"] = self.chamber_id(extra.pop("chamber", None), fail)
        try:
            return validate_contact(data)
        except InvalidInput as exc:
            for e in exc.errors:
                fail(e.field, e.message)
            return data

    def keys(self, data):
        return [("same", (data.get("member_id"), data.get("date"), data.get("way")), "同一会员同日同方式已有记录")]

    def existing(self):
        return [(r[0], {"member_id": r[1], "date": r[2], "way": r[3]}, True) for r in self.session.exec(
            select(col(Contact.id), Contact.member_id, Contact.date, Contact.way).where(col(Contact.deleted_at).is_(None)))]  # type: ignore[call-overload]  # sqlmodel's select() overloads reject an id typed int | None

    def update(self, rid, data):
        from chamberdesk.core import records

        records.apply_update(self.session, records.get_live(self.session, Contact, rid), data,
                             expected_version=None, validate=validate_contact)


HANDLERS: dict[str, type[_Kind]] = {"members": _Members, "chambers": _Chambers, "meetings": _Meetings,
                                    "activities": _Activities, "contacts": _Contacts}
# fields that are not columns of the table: the kind's handler consumes them
PSEUDO = {"chamber", "position", "member"}


def _table_fields(kind: str) -> set[str]:
    return set(HANDLERS[kind].model.model_fields) - {"id", "created_at", "updated_at", "deleted_at", "version"}


# --- mapping ---------------------------------------------------------------------------------------

def mapping_key(kind: str) -> str:
    return f"import.mapping.{kind}"


def resolve_field(kind: str, name: str) -> str | None:
    """A field from what a mapping file or the clerk says: the field name, its label, or a synonym."""
    if name in (IGNORE, "", "忽略", "不导入"):
        return IGNORE
    if any(f.name == name for f in KINDS[kind]):
        return name
    return mappings.match_header(kind, name)


def apply_mapping(kind: str, guess: HeaderGuess, overrides: dict[str, str] | None) -> None:
    """Titles the clerk (or a saved mapping) assigned win over the synonyms' guess."""
    for title, target in (overrides or {}).items():
        fld = resolve_field(kind, target)
        if fld is None:
            raise ChamberDeskError(f"映射中的“{target}”不是{mappings.KIND_LABELS[kind]}的字段")
        for c, t in enumerate(guess.titles):
            if t == title or mappings.norm_header(t) == mappings.norm_header(title) or t.split("/")[-1] == title:
                guess.mapping[c] = fld


def missing_required(kind: str, guess: HeaderGuess) -> list[str]:
    have = set(guess.mapping.values())
    return [f.label for f in KINDS[kind] if f.required and f.name not in have]


# --- preview ---------------------------------------------------------------------------------------

def load_sheet(path: Path | str, sheet: str | None = None) -> Sheet:
    return read_sheet(Path(path), sheet)


def guess_header(kind: str, sh: Sheet, *, saved: dict[str, str] | None = None,
                 overrides: dict[str, str] | None = None) -> HeaderGuess:
    if kind not in KINDS:
        raise ChamberDeskError(f"不支持导入“{kind}”（可选：{'、'.join(KINDS)}）")
    guess = mappings.detect_header(kind, sh.rows, sh.merged)
    if guess is None:
        raise ChamberDeskError(
            f"在工作表“{sh.name}”的前30行中找不到表头（应有“{KINDS[kind][0].label}”等列名）。"
            "请检查是否选错了工作表，或用映射文件指定列。")
    apply_mapping(kind, guess, saved)
    apply_mapping(kind, guess, overrides)
    return guess


def preview_import(db: Database, path: Path | str, kind: str, *, sheet: str | None = None,
                   mapping: dict[str, str] | None = None, loaded: Sheet | None = None,
                   header: HeaderGuess | None = None) -> ImportPreview:
    """Read and check the whole sheet without writing anything."""
    path = Path(path)
    sh = loaded or load_sheet(path, sheet)
    with db.session() as s:
        if header is None:
            header = guess_header(kind, sh, saved=get_setting(s, mapping_key(kind)), overrides=mapping)
        missing = missing_required(kind, header)
        if missing:
            raise ChamberDeskError(f"找不到必需的列：{'、'.join(missing)}。请在映射中指定对应的列。")
        handler = HANDLERS[kind](s)
        outcomes = list(_classify(kind, sh.rows, header, handler))
    return ImportPreview(kind, path, sh.name, header, outcomes)


def _classify(kind: str, rows: Iterable[list[object]], header: HeaderGuess, handler: _Kind) -> Iterator[RowOutcome]:
    table_fields = _table_fields(kind)
    parsers = PARSERS[kind]
    titles = header.titles
    cols = sorted((c, f) for c, f in header.mapping.items() if f != IGNORE)
    # key kind → value → the earlier sheet row (an int) or (record id, may coexist) for the data file;
    # one small dict per kind and bare ints keep this, the only structure that grows with the sheet, compact
    index: dict[str, dict[Any, int | tuple[int, bool]]] = {}
    for rid, keydata, coexist in handler.existing():
        for kk, val, _why in handler.keys(keydata) if _has_keys(keydata) else []:
            index.setdefault(kk, {}).setdefault(val, (rid, coexist))

    def title(c: int) -> str:
        return titles[c] if c < len(titles) and titles[c] else f"第{c + 1}列"

    field_title: dict[str, str] = {}
    for c, f in cols:
        field_title.setdefault(f, title(c))
    labels = mappings.labels(kind)

    for r, raw in enumerate(rows):
        if r < header.data_start or all(is_blank(v) for v in raw):
            continue
        o = RowOutcome(sheet_row=r + 1, raw=raw, status=NEW)
        if mappings.is_repeated_header(kind, raw, header):
            o.status = SKIPPED
            o.problems.append(Problem(o.sheet_row, "", "重复的表头行"))
            yield o
            continue
        if why := mappings.row_skip_reason(raw):
            o.status = SKIPPED
            o.problems.append(Problem(o.sheet_row, "", why))
            yield o
            continue
        if all(is_blank(raw[c]) if c < len(raw) else True for c, _ in cols):
            o.status = SKIPPED
            o.problems.append(Problem(o.sheet_row, "", "映射的列都为空（只有序号或未导入的列）"))
            yield o
            continue

        def fail(fld: str, msg: str, o: RowOutcome = o) -> None:
            o.problems.append(Problem(o.sheet_row, field_title.get(fld, labels.get(fld, fld)), msg))

        bad = [c for c, v in enumerate(raw) if has_control_chars(v)]
        for c in bad:
            o.problems.append(Problem(o.sheet_row, title(c), "含有不可见的控制字符（可能来自损坏或被篡改的文件），请检查该单元格"))
        data: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        given: set[str] = set()
        for c, f in cols:
            v = raw[c] if c < len(raw) else None
            if is_blank(v):
                continue
            if f in data or f in extra:
                continue  # two columns for one field (手机, 电话): the first filled one wins
            if f in parsers:
                try:
                    v = parsers[f](v)
                except ValueError as exc:
                    fail(f, str(exc))
                    continue
            elif f != "rep_id_number" and not isinstance(v, (date,)) and not (f == "credit_code" and isinstance(v, float)) \
                    and not (f == "rep_phone" and isinstance(v, float)):
                v = _text(v)
            if f in table_fields:
                data[f] = v
                given.add(f)
            else:
                extra[f] = v
        if o.problems:
            o.status = REJECTED
            yield o
            continue
        clean = handler.finish(data, extra, fail)
        for fld, msg in extra.pop("notes", []):
            o.problems.append(Problem(o.sheet_row, field_title.get(fld, labels.get(fld, fld)), "已忽略：" + msg))
        if any(not p.message.startswith("已忽略") for p in o.problems):
            o.status = REJECTED
            yield o
            continue
        o.data, o.extra = clean, extra
        o.extra["given"] = given
        for kk, val, why in handler.keys(clean):
            hit = index.get(kk, {}).get(val)
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
            for kk, val, _why in handler.keys(clean):
                index.setdefault(kk, {}).setdefault(val, o.sheet_row)
        yield o


def _has_keys(d: dict[str, Any]) -> bool:
    return any(v not in (None, "") for v in d.values())


# --- commit ----------------------------------------------------------------------------------------

def commit_import(db: Database, preview: ImportPreview, *, on_duplicate: str = "skip",
                  save_mapping: bool = True) -> ImportResult:
    """Write the preview in one transaction; nothing is written if anything fails."""
    if on_duplicate not in CHOICES:
        raise ChamberDeskError(f"重复记录的处理方式应为 {'/'.join(CHOICES)}")
    res = ImportResult(rows=len(preview.outcomes))
    try:
        with db.transaction() as s:
            handler = HANDLERS[preview.kind](s)
            handler.existing()
            _write(s, handler, preview, on_duplicate, res)
            if save_mapping:
                set_setting(s, mapping_key(preview.kind), {
                    preview.header.titles[c]: f for c, f in preview.header.mapping.items()
                    if c < len(preview.header.titles) and preview.header.titles[c]})
            audit.record(s, "create", handler.table, None, after={
                "导入文件": preview.path.name, "工作表": preview.sheet, "行数": res.rows, "新增": res.imported,
                "更新": res.updated, "重复": res.duplicates, "跳过": res.skipped, "拒绝": res.rejected})
    except IntegrityError as exc:
        raise ChamberDeskError("导入时数据文件中的记录已被改变（编号或代码冲突），未写入任何记录。请重新预览后再导入。") from exc
    assert res.balanced()
    return res


def _write(s: Session, handler: _Kind, preview: ImportPreview, on_duplicate: str, res: ImportResult) -> None:
    w = _Writer(s, handler, preview.kind, on_duplicate, res, preview.title_of)
    for o in preview.outcomes:
        w.take(o)
    w.flush()


class _Writer:
    """Counts each outcome and writes the rows that go in, inserting in batches of BATCH."""

    def __init__(self, s: Session, handler: _Kind, kind: str, on_duplicate: str, res: ImportResult,
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
        ids = list(self.s.execute(insert(model).returning(table_of(model).c.id, sort_by_parameter_order=True), rows).scalars())
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
            res.skipped += 1
            return
        if o.status == REJECTED:
            res.rejected += 1
            res.problems.extend(p for p in o.problems if not p.message.startswith("已忽略"))
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


# --- the error workbook and the one-call import ---------------------------------------------------

def write_error_workbook(preview: ImportPreview, out: Path | str, extra_problems: list[Problem] | None = None) -> int:
    """Repeat every rejected row with its sheet row number and the reason; returns the number of rows."""
    return _error_workbook(preview.path, preview.sheet, preview.header.titles, preview.outcomes, out, extra_problems)


def _error_workbook(path: Path, sheet: str, header_titles: list[str], outcomes: Iterable[RowOutcome],
                    out: Path | str, extra_problems: list[Problem] | None) -> int:
    from chamberdesk.io.workbook_style import FormWriter

    by_row: dict[int, list[str]] = {}
    raws: dict[int, list[object]] = {}
    for o in outcomes:
        raws[o.sheet_row] = o.raw
        if o.status == REJECTED:
            by_row.setdefault(o.sheet_row, []).append(o.reason)
    for p in extra_problems or []:
        if not p.message.startswith("已忽略") and p.row not in by_row and p.row in raws:
            by_row.setdefault(p.row, []).append(f"{p.column}：{p.message}")
    titles = list(header_titles)
    width = max([len(titles)] + [len(raws[r]) for r in by_row])
    titles += [""] * (width - len(titles))
    w = FormWriter(f"导入未通过的行（{Path(path).name}）", ["工作表行号", "原因", *titles],
                   unit_line=f"来源：{Path(path).name} · 工作表“{sheet}”",
                   widths=[10, 40] + [14] * width)
    for r in sorted(by_row):
        raw = list(raws[r]) + [""] * (width - len(raws[r]))
        w.row([r, "；".join(by_row[r]), *[_visible(v) if isinstance(v, str) else v for v in raw]])
    w.save(out)
    return len(by_row)


def _visible(text: str) -> str:
    # a workbook cannot hold control characters: show where they were
    return _CONTROL_RE.sub("�", text)


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def import_file(db: Database, path: Path | str, kind: str, *, sheet: str | None = None,
                mapping: dict[str, str] | None = None, on_duplicate: str = "skip", dry_run: bool = False,
                errors_out: Path | str | None = None, before_write: Callable[[], None] | None = None) -> ImportResult:
    """The CLI's import in one streamed pass: each row is read, checked, counted and (unless a dry run)
    written in batches inside one transaction, so memory does not grow with the sheet. Only the
    problems and, for the error workbook, the rejected rows are kept. The GUI wizard previews instead.
    `before_write` runs once the sheet is recognised and before anything is written (the backup)."""
    if on_duplicate not in CHOICES:
        raise ChamberDeskError(f"重复记录的处理方式应为 {'/'.join(CHOICES)}")
    path = Path(path)
    res = ImportResult()
    refused: list[RowOutcome] = []
    with stream_sheet(path, sheet) as (head, rows):
        try:
            with (db.session() if dry_run else db.transaction()) as s:
                header = guess_header(kind, head, saved=get_setting(s, mapping_key(kind)), overrides=mapping)
                missing = missing_required(kind, header)
                if missing:
                    raise ChamberDeskError(f"找不到必需的列：{'、'.join(missing)}。请在映射中指定对应的列。")
                if before_write is not None and not dry_run:
                    before_write()
                handler = HANDLERS[kind](s)
                titles = ImportPreview(kind, path, head.name, header, []).title_of
                writer = _Writer(s, handler, kind, on_duplicate, res, titles)
                for o in _classify(kind, rows, header, handler):
                    res.rows += 1
                    if dry_run:
                        _count(o, on_duplicate, res)
                    else:
                        writer.take(o)
                    if o.status == REJECTED and errors_out:
                        refused.append(_slim(o))
                if not dry_run:
                    writer.flush()
                    refused += [_slim(o) for o in writer.failed] if errors_out else []
                    set_setting(s, mapping_key(kind), {
                        header.titles[c]: f for c, f in header.mapping.items()
                        if c < len(header.titles) and header.titles[c]})
                    audit.record(s, "create", handler.table, None, after={
                        "导入文件": path.name, "工作表": head.name, "行数": res.rows, "新增": res.imported,
                        "更新": res.updated, "重复": res.duplicates, "跳过": res.skipped, "拒绝": res.rejected})
        except IntegrityError as exc:
            raise ChamberDeskError("导入时数据文件中的记录已被改变（编号或代码冲突），未写入任何记录。请重新导入。") from exc
    assert res.balanced()
    if errors_out:
        _error_workbook(path, head.name, header.titles, refused, errors_out, res.problems)
    return res


def _slim(o: RowOutcome) -> RowOutcome:
    # the error workbook needs only the row number, the cells and the reasons
    return RowOutcome(sheet_row=o.sheet_row, raw=o.raw, status=o.status, problems=o.problems)


def _count(o: RowOutcome, on_duplicate: str, res: ImportResult) -> None:
    """What a commit would do with one row, as far as can be told without writing."""
    if o.status == SKIPPED:
        res.skipped += 1
    elif o.status == REJECTED:
        res.rejected += 1
        res.problems.extend(p for p in o.problems if not p.message.startswith("已忽略"))
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
    res = ImportResult(rows=len(preview.outcomes))
    for o in preview.outcomes:
        _count(o, on_duplicate, res)
    return res


__all__ = ["ImportPreview", "ImportResult", "Problem", "RowOutcome", "SpreadsheetError", "commit_import",
           "dry_run_result", "import_file", "preview_import", "write_error_workbook"]
