"""What differs between importing members, chambers, meetings, activities and contacts: how a column's
cells become values, how a row is finished and validated, what makes two rows the same record, and how
records are written. The reading, row accounting and transaction are `excel_import`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from chamberdesk.core.activities import update_activity, validate_activity
from chamberdesk.core.chambers import update_chamber, validate_chamber
from chamberdesk.core.choices import (
    MEMBER_TAGS,
    ActivityCategory,
    ChamberKind,
    ChamberRule,
    ContactWay,
    Industry,
    MeetingBody,
    MemberKind,
    PartyOrg,
    PoliticalStatus,
    Position,
    SizeClass,
    label_of,
)
from chamberdesk.core.contacts import validate_contact
from chamberdesk.core.errors import InvalidInput
from chamberdesk.core.meetings import update_meeting, validate_meeting
from chamberdesk.core.members import update_member, validate_member
from chamberdesk.core.models import Activity, Chamber, Contact, Meeting, Member, Membership, Tracked
from chamberdesk.core.records import table_of
from chamberdesk.core.validators import compact_code, to_halfwidth
from chamberdesk.io import value_words as vocab
from chamberdesk.io.normalize import (
    cell_text,
    find_word,
    is_blank,
    money_parser,
    money_unit,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    resolve_choice,
    resolve_word,
)
from chamberdesk.io.owners import OwnerIndex, guess_kind, name_key

Fail = Callable[[str, str], None]


def _choice(enum, aliases: dict[str, str] | None = None) -> Callable[[object], Any]:
    return lambda v: resolve_choice(enum, v, aliases)


def _birth_date(value: object, order: str | None = None) -> Any:
    """A date of birth; one masked in a county's upward ledger (1975年**月**日) stays as it is, for
    Members.finish to leave out with a note, like a masked ID number."""
    if isinstance(value, str) and "*" in value:
        return value
    return parse_date(value, order)


PARSERS: dict[str, dict[str, Callable[[object], Any]]] = {
    "members": {
        "rep_birth_date": _birth_date, "join_date": parse_date, "leave_date": parse_date,
        "employee_count": parse_int,
    },
    "chambers": {
        "registered": parse_bool, "has_office": parse_bool, "secretary_fulltime": parse_bool,
        "is_group_member": parse_bool, "inspection_passed": parse_bool,
        "founded_on": parse_date, "term_start": parse_date, "term_end": parse_date,
        "office_area": parse_float, "fulltime_staff": parse_int, "parttime_staff": parse_int,
    },
    "meetings": {"date": parse_date, "expected_count": parse_int, "present_count": parse_int},
    "activities": {
        "date": parse_date, "participant_count": parse_int, "member_participants": parse_int,
        "people_count": parse_int, "item_count": parse_int,
    },
    "contacts": {"date": parse_date},
}
# money: (stored unit); a column titled with another unit is converted ("年度经费（万元）" 5 → 50,000 元)
MONEY = {("members", "registered_capital"): "万元", ("chambers", "annual_funds"): "元",
         ("activities", "amount"): "万元"}
# Coded fields in the office's own words → our codes (the value, its label, a word of value_words inside
# the text). A word that fits nothing is never a refused row: it becomes `fallback` (其他), or the field is
# left blank ("") — for a required chamber kind, inferred from the name — and in every case the original is
# kept as a custom field "<title>（原文）" and reported. BOOLISH: 有/无/√/× say own organisation / none.
BOOLISH = "boolish"
WORDED: dict[tuple[str, str], tuple[Any, dict[str, str], str]] = {
    ("meetings", "body"): (MeetingBody, vocab.MEETING_BODY_WORDS, MeetingBody.OTHER.value),
    ("activities", "category"): (ActivityCategory, vocab.ACTIVITY_WORDS, ActivityCategory.OTHER.value),
    ("contacts", "way"): (ContactWay, vocab.CONTACT_WAY, ContactWay.OTHER.value),
    ("chambers", "party_org"): (PartyOrg, vocab.PARTY_ORG, BOOLISH),
    ("chambers", "kind"): (ChamberKind, vocab.CHAMBER_KIND, ""),
    ("members", "kind"): (MemberKind, vocab.MEMBER_KIND, ""),
    ("members", "industry"): (Industry, vocab.INDUSTRY_WORDS, ""),
    ("members", "size_class"): (SizeClass, vocab.SIZE_CLASS, ""),
    ("members", "rep_political_status"): (PoliticalStatus, vocab.POLITICAL_STATUS, ""),
}
# booleans default to False in the tables: a blank cell means "no" there, not "unknown"
BOOL_DEFAULTS = {"registered", "has_office", "secretary_fulltime", "is_group_member"}
# fields that are not columns of the table: the kind's handler consumes them
PSEUDO = {"chamber", "position", "member"}


def original_key(title: str) -> str:
    """The custom field that keeps a cell's wording when it was mapped to a code ("会议名称（原文）")."""
    return f"{title}（原文）"


def column_parser(kind: str, fld: str, title: str, order: str | None = None) -> Callable[[object], Any] | None:
    """How one column's cells become values; the title may name a unit, the column its order of day and
    month (`order`, see date_order)."""
    if (kind, fld) in MONEY:
        return money_parser(MONEY[kind, fld], money_unit(title))
    parser = PARSERS[kind].get(fld)
    if order and parser in (parse_date, _birth_date):
        dated = parse_date if parser is parse_date else _birth_date
        return lambda v: dated(v, order)
    return parser


# (kind, field, text) → (code, understood, the text is the code or its label)
_WORDS_SEEN: dict[tuple[str, str, str], tuple[str | None, bool, bool]] = {}


def worded(kind: str, fld: str, value: object, title: str, custom: dict[str, str], note: Fail, fail: Fail,
           plain_seen: dict[str, str] | None = None) -> Any:
    """A coded field written in the office's own words (see WORDED). `plain_seen`, one per column: text cells
    that are a code or its label (nothing to keep or report) → the code, for the caller to look up first."""
    enum, words, fallback = WORDED[kind, fld]
    text = cell_text(value)
    hit = _WORDS_SEEN.get((kind, fld, text))
    if hit is None:  # a column repeats a handful of words over thousands of rows
        code, understood = resolve_word(enum, text, words)
        hit = _WORDS_SEEN[kind, fld, text] = (code, understood,
                                              code is not None and text in (code, label_of(enum, code)))
    code, understood, plain = hit
    if understood and code is not None:
        if plain and plain_seen is not None and isinstance(value, str):
            plain_seen[value] = code
        if not plain:
            custom.setdefault(original_key(title), text)  # "第三届理事会第二次会议" says more than 理事会
        return code
    if fallback == BOOLISH:
        try:
            yes = parse_bool(value)
        except ValueError:
            fail(fld, f"“{text}”无法对应（可选：{'、'.join(enum.labels())}），请改写为其中之一")
            return None
        code = PartyOrg.OWN.value if yes else PartyOrg.NONE.value
        custom.setdefault(original_key(title), text)
        return code
    custom.setdefault(original_key(title), text)
    if not fallback:
        note(fld, f"“{text}”无法对应到可选的{title}，该项留空，原文保存在自定义信息“{original_key(title)}”中，"
                  "可在编辑窗口中补选")
        return None
    note(fld, f"“{text}”无法对应到已有的{title}，已按“{label_of(enum, fallback)}”导入，原文保存在自定义信息"
              f"“{original_key(title)}”中，可在编辑窗口中改选")
    return fallback


def position_of(text: str) -> str | None:
    t = re.sub(r"\s+", "", to_halfwidth(text))
    if (p := Position.parse(t)) is not None:
        return p.value
    if t in vocab.POSITION_WORDS:
        return vocab.POSITION_WORDS[t]
    return find_word(t, vocab.POSITION_WORDS)


def _lossy_number(v: object) -> bool:
    return isinstance(v, float) and abs(v) >= 1e15


def _validated(validate: Callable[[dict[str, Any]], dict[str, Any]], data: dict[str, Any], fail: Fail) -> dict[str, Any]:
    try:
        return validate(data)
    except InvalidInput as exc:
        for e in exc.errors:
            fail(e.field, e.message)
        return data


class Kind:
    """What differs between members, chambers, meetings, activities and contacts."""

    model: type[Tracked]
    table: str
    owner_column_required = False  # meetings, activities, contacts: whose record each row is

    def __init__(self, session: Session, owners: OwnerIndex) -> None:
        self.session = session
        self.owners = owners
        self.titles: dict[str, str] = {}  # field → the sheet's column title (set by the importer)

    def title(self, fld: str, label: str) -> str:
        return self.titles.get(fld, label)

    def keep(self, data: dict[str, Any], key: str, text: str) -> None:
        """Keep a value the row cannot hold as a field, as a custom field."""
        custom = data.setdefault("custom", {})
        if isinstance(custom, dict):
            custom.setdefault(key, text)

    def finish(self, data: dict[str, Any], extra: dict[str, Any], fail: Fail) -> dict[str, Any]:
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

    def place(self, o: Any) -> str | None:
        """Just before writing: chambers planned by the clerk's choice are created and placeholders become
        their ids; an owner deleted since the preview is named (the row is then refused)."""
        cid = (o.data or {}).get("chamber_id")
        if cid is not None and cid < 0:
            o.data["chamber_id"] = self.owners.real_id(self.session, cid)
        elif cid is not None and cid not in self.owners.names:
            return "所属商会已被删除或撤销，请重新预览后再导入"
        return None

    def after_insert(self, ids: list[int], outcomes: list[Any]) -> None:
        pass


class Members(Kind):
    model, table = Member, "member"

    def __init__(self, session: Session, owners: OwnerIndex) -> None:
        super().__init__(session, owners)
        self._names: dict[int, str] = {}

    def finish(self, data, extra, fail):
        data["kind"] = data.get("kind") or "enterprise"
        for fld, what in (("rep_id_number", "身份证号"), ("rep_phone", "联系电话"), ("rep_birth_date", "出生日期")):
            v = data.get(fld)
            if isinstance(v, str) and "*" in v:
                extra.setdefault("notes", []).append((fld, f"已忽略：{what}已打码（{v}），未导入该项"))
                data[fld] = None
        code = data.get("credit_code")
        if _lossy_number(code):
            fail("credit_code", "单元格以数字形式保存，后几位已丢失，请将该列设为文本后重新填写")
            data["credit_code"] = None
        elif isinstance(code, float):
            data["credit_code"] = cell_text(code)
        if isinstance(data.get("rep_phone"), float):
            data["rep_phone"] = cell_text(data["rep_phone"])
        self._tags(data, extra)
        seats = self._seats(data, extra.pop("chamber", None), extra.pop("position", None), fail, extra)
        clean = _validated(lambda d: validate_member(None, d), data, fail)
        extra["seats"] = seats
        return clean

    def _tags(self, data: dict[str, Any], extra: dict[str, Any]) -> None:
        """Tags the ledger knows are kept as tags, others as the original text in a custom field."""
        text = data.get("tags")
        if is_blank(text):
            return
        parts = [t.strip() for t in re.split(r"[、,，;；/\s]+", to_halfwidth(str(text))) if t.strip()]
        known = [t for t in parts if t in MEMBER_TAGS]
        data["tags"] = ",".join(known)
        if len(known) < len(parts):
            title = self.title("tags", "标签")
            self.keep(data, original_key(title), str(text))
            extra.setdefault("notes", []).append(("tags", f"“{'、'.join(t for t in parts if t not in known)}”不是台账的标签"
                                                  f"（可选：{'、'.join(MEMBER_TAGS)}），原文保存在自定义信息“{original_key(title)}”中"))

    def _seats(self, data: dict[str, Any], chamber: object, position: object, fail: Fail,
               extra: dict[str, Any]) -> list[tuple[int | None, str]]:
        """Seats named in the chamber column ("城关镇商会（副会长）、建筑业商会"); the sheet's owner when
        the column is missing or blank and the clerk named one (a chamber's roster). A position word
        that fits no position seats the member as 会员, with the word kept and reported."""
        if is_blank(chamber):
            if self.owners.default is None:
                if not is_blank(position):  # a position with no chamber to hold it in: kept, not dropped
                    self.keep(data, self.title("position", "职务"), cell_text(position))
                return []
            chamber = self.owners.default
        pos_text = cell_text(position) if not is_blank(position) else ""
        out: list[tuple[int | None, str]] = []
        for part in re.split(r"[、,，;；\n]+", to_halfwidth(cell_text(chamber))):
            part = part.strip()
            if not part:
                continue
            m = re.fullmatch(r"(.+?)\s*[(（]\s*(.+?)\s*[)）]", part)
            name, pos = (m[1], m[2]) if m else (part, pos_text or "会员")
            p = position_of(pos)
            if p is None:
                key = original_key(self.title("position", "职务"))
                self.keep(data, key, pos)
                extra.setdefault("notes", []).append(("position", f"“{pos}”无法对应到可选职务，已按“会员”登记，"
                                                      f"原文保存在自定义信息“{key}”中"))
                p = Position.MEMBER.value
            failed = len(extra.get("_failed", ()))
            cid = self.owners.resolve(name, lambda _f, msg: extra.setdefault("_failed", []).append(msg))
            if len(extra.get("_failed", ())) > failed:
                fail("chamber", extra["_failed"][-1])
                continue
            out.append((cid, p))
        extra.pop("_failed", None)
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
        rows = self.session.exec(select(col(Member.id), Member.enterprise_name, Member.credit_code,  # type: ignore[call-overload]  # sqlmodel types select() for at most 4 columns
                                        Member.rep_id_number, Member.leave_date).where(col(Member.deleted_at).is_(None)))
        out = []
        for mid, name, code, idn, left in rows:
            self._names[mid] = name
            out.append((mid, {"enterprise_name": name, "credit_code": code, "rep_id_number": idn}, left is not None))
        return out

    def describe(self, rid):
        return f"在册会员“{self._names.get(rid, rid)}”"

    def place(self, o):
        seats = o.extra.get("seats")
        if not seats:  # a ledger without a chamber column
            return None
        if any(cid is not None and cid >= 0 and cid not in self.owners.names for cid, _p in seats):
            return "所属商会已被删除或撤销，请重新预览后再导入"
        if any((cid or 0) < 0 for cid, _p in seats):
            o.extra["seats"] = [(self.owners.real_id(self.session, cid), p) for cid, p in seats]
        return None

    def update(self, rid, data):
        seats = data.pop("_seats", [])
        update_member(self.session, rid, data)
        self._add_seats([(rid, seats)], left={rid: data.get("leave_date")})

    def after_insert(self, ids, outcomes):
        if not any(o.extra.get("seats") for o in outcomes):  # a ledger without a chamber column
            return
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


class Chambers(Kind):
    model, table = Chamber, "chamber"

    def finish(self, data, extra, fail):
        for b in BOOL_DEFAULTS:
            if data.get(b) is None and b in Chamber.model_fields:
                data[b] = False
        # an office area means an office, unless the sheet has its own yes/no column that says otherwise
        if (data.get("office_area") or 0) > 0 and "has_office" not in extra.get("given_fields", ()):
            data["has_office"] = True
        if isinstance(data.get("credit_code"), float):
            data["credit_code"] = cell_text(data["credit_code"])
        self._rules(data, extra)
        if not data.get("kind") and data.get("name"):
            data["kind"] = guess_kind(str(data["name"]))
            extra.setdefault("notes", []).append(("kind", f"商会类型未填写或无法对应，按名称推断为“{label_of(ChamberKind, data['kind'])}”，"
                                                  "请在“商会”页核对"))
        return _validated(lambda d: validate_chamber(None, d), data, fail)

    def _rules(self, data: dict[str, Any], extra: dict[str, Any]) -> None:
        """制度 as listed ("会议、财务", "会议制度，财务制度"); words that name no rule are kept as written."""
        text = data.get("rules")
        if is_blank(text):
            return
        parts = [t.strip() for t in re.split(r"[、,，;；/\s]+", to_halfwidth(str(text))) if t.strip()]
        got: list[str] = []
        for part in parts:
            word = part.removesuffix("制度") or part
            hit = next((r.value for r in ChamberRule if r.value == part or word in r.label), None)
            if hit is not None and hit not in got:
                got.append(hit)
        data["rules"] = ",".join(got)
        if len(got) < len(parts):
            key = original_key(self.title("rules", "制度"))
            self.keep(data, key, str(text))
            extra.setdefault("notes", []).append(("rules", f"“{text}”中有无法对应到具体制度的内容，原文保存在自定义信息"
                                                  f"“{key}”中"))

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
            self.owners.add(o.data["name"], cid)


class Owned(Kind):
    """Meetings and activities: each row's owner from the owner column or the sheet's owner (owners.resolve)."""

    owner_column_required = True
    validate: Callable[[dict[str, Any]], dict[str, Any]]
    updater: Callable[..., Any]
    key_fields: tuple[str, ...]

    def finish(self, data, extra, fail):
        data["chamber_id"] = self.owners.resolve(extra.pop("chamber", None), fail)
        return _validated(type(self).validate, data, fail)

    def keys(self, data):
        return [("same", tuple(data.get(k) for k in ("chamber_id", *self.key_fields)), "同一单位同日已有相同记录")]

    def existing(self):
        cols = [getattr(self.model, k) for k in ("id", "chamber_id", *self.key_fields)]
        return [(r[0], dict(zip(("chamber_id", *self.key_fields), r[1:], strict=True)), True)
                for r in self.session.exec(select(*cols).where(table_of(self.model).c.deleted_at.is_(None)))]

    def update(self, rid, data):
        type(self).updater(self.session, rid, data)


class Meetings(Owned):
    model, table = Meeting, "meeting"
    validate = staticmethod(validate_meeting)
    updater = staticmethod(update_meeting)
    key_fields = ("body", "date")


class Activities(Owned):
    model, table = Activity, "activity"
    validate = staticmethod(validate_activity)
    updater = staticmethod(update_activity)
    key_fields = ("date", "title")


class Contacts(Kind):
    model, table = Contact, "contact"
    owner_column_required = True

    def __init__(self, session: Session, owners: OwnerIndex) -> None:
        super().__init__(session, owners)
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
        data["chamber_id"] = self.owners.resolve(extra.pop("chamber", None), fail)
        return _validated(validate_contact, data, fail)

    def keys(self, data):
        return [("same", (data.get("member_id"), data.get("date"), data.get("way")), "同一会员同日同方式已有记录")]

    def existing(self):
        return [(r[0], {"member_id": r[1], "date": r[2], "way": r[3]}, True) for r in self.session.exec(
            select(col(Contact.id), Contact.member_id, Contact.date, Contact.way)  # type: ignore[call-overload]  # sqlmodel's overloads reject a typed column first
            .where(col(Contact.deleted_at).is_(None)))]

    def update(self, rid, data):
        from chamberdesk.core import records

        records.apply_update(self.session, records.get_live(self.session, Contact, rid), data,
                             expected_version=None, validate=validate_contact)


HANDLERS: dict[str, type[Kind]] = {"members": Members, "chambers": Chambers, "meetings": Meetings,
                                   "activities": Activities, "contacts": Contacts}
# the order a whole workbook is imported in: owners and members before what refers to them
ORDER = ("chambers", "members", "meetings", "activities", "contacts")


def table_fields(kind: str) -> set[str]:
    return set(HANDLERS[kind].model.model_fields) - {"id", "created_at", "updated_at", "deleted_at", "version"}
