"""Whose record a sheet row is: one rule for meetings, activities, visits and member seats.

An owner cell names a chamber on file (matched loosely: full name, without the county prefix,
with 商会/协会/分会 written or left out) or the federation itself (本级, 县工商联, 总商会, or the
federation's own name). A name that matches nothing is never filed under the federation: the
clerk decides (create that chamber, take another, leave the rows out); without a decision the
row is rejected with the reason. A blank cell, or a sheet without an owner column, takes the
owner the clerk named for the sheet (`--owner`), and is rejected when there is none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from chamberdesk.core.choices import ChamberKind, label_of
from chamberdesk.core.federation import get_federation
from chamberdesk.core.models import Chamber
from chamberdesk.core.records import id_of
from chamberdesk.core.validators import to_halfwidth
from chamberdesk.io import value_words as vocabulary

# What the clerk decided for a name that matches nothing (values of `decisions`; an int is a chamber id).
CREATE, SKIP, FEDERATION = "create", "skip", "federation"


class SkipRow(Exception):
    """The clerk chose to leave this row out; the message says why (the row counts as skipped)."""


def name_key(name: object) -> str:
    """Names compared after trimming, half-width and without inner spaces (str.split() splits at just
    the characters the regex \\s matches, faster: every imported row's name is keyed)."""
    return "".join(to_halfwidth(str(name or "")).split())


def _brackets_out(s: str) -> str:
    return re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", "", s)


def guess_kind(name: str) -> str:
    """A new chamber's kind from words in its name (the clerk can change it in the chamber editor)."""
    for word, kind in vocabulary.CHAMBER_KIND_BY_NAME:
        if word in name:
            return kind
    return ChamberKind.OTHER.value


@dataclass
class OwnerIndex:
    """The chambers on file and the federation's names, for matching owner cells."""

    chambers: dict[str, int] = field(default_factory=dict)  # name key → id
    names: dict[int, str] = field(default_factory=dict)
    prefixes: tuple[str, ...] = ()  # the county's own prefixes ("清河县"), removed before loose matching
    federation: set[str] = field(default_factory=set)
    default: str | None = None  # the sheet's owner for blank cells / a sheet without an owner column
    decisions: dict[str, str | int] = field(default_factory=dict)  # name key → CREATE | SKIP | FEDERATION | id
    create_all: bool = False  # `--create-chambers`
    planned: dict[int, str] = field(default_factory=dict)  # placeholder id (< 0) → name of a chamber to create
    unknown: dict[str, int] = field(default_factory=dict)  # names that matched nothing → rows naming them
    created: list[str] = field(default_factory=list)  # "name（kind）" of chambers this import created
    _stems: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, **kw) -> OwnerIndex:
        fed = get_federation(session)
        idx = cls(**kw)
        fed_name = name_key(fed.name) if fed else ""
        prefixes = set()
        if fed is not None and fed.region_name:
            prefixes.add(name_key(fed.region_name))
        if m := re.match(r"^(.{2,10}?(?:自治县|县|区|市|旗))", fed_name):
            prefixes.add(m[1])
        idx.prefixes = tuple(sorted(prefixes, key=len, reverse=True))
        idx.federation = {idx._fed_form(w) for w in vocabulary.FEDERATION_WORDS}
        if fed_name:
            idx.federation |= {idx._fed_form(fed_name), fed_name}
        for cid, name in session.exec(select(col(Chamber.id), Chamber.name).where(col(Chamber.deleted_at).is_(None))):
            if cid is not None:  # never: read from the table
                idx.add(name, cid)
        return idx

    def add(self, name: str, cid: int) -> None:
        k = name_key(name)
        self.chambers[k] = cid
        self.names[cid] = name
        self._stems.setdefault(self._stem(k), []).append(cid)

    def _unprefixed(self, k: str) -> str:
        for p in self.prefixes:
            if k.startswith(p) and len(k) > len(p) + 1:
                return k[len(p):]
        return k

    def _stem(self, k: str) -> str:
        """The distinctive part of a chamber's name: "清河县城关镇商会", "城关商会", "城关镇" → "城关"."""
        s = self._unprefixed(_brackets_out(k))
        for suf in vocabulary.CHAMBER_SUFFIXES:
            if s.endswith(suf) and len(s) > len(suf):
                s = s[: -len(suf)]
                break
        for place in ("街道", "镇", "乡"):
            if s.endswith(place) and len(s) > len(place) + 1:
                return s[: -len(place)]
        return s

    def _fed_form(self, k: str) -> str:
        s = name_key(k).replace("工商业联合会", "工商联")
        bare = _brackets_out(s) or s
        return self._unprefixed(bare)

    def match(self, text: str) -> tuple[str, int | None, str]:
        """(how, chamber id, note): how is 'chamber', 'federation', 'unknown' or 'ambiguous'."""
        k = name_key(text)
        if k in self.chambers:
            return "chamber", self.chambers[k], ""
        if k in self.federation or self._fed_form(k) in self.federation:
            return "federation", None, ""
        hits = sorted(set(self._stems.get(self._stem(k), [])))
        if len(hits) == 1:
            return "chamber", hits[0], ""
        if len(hits) > 1:
            return "ambiguous", None, "、".join(self.names[h] for h in hits)
        return "unknown", None, ""

    def resolve(self, text: object, fail: Callable[[str, str], None], fld: str = "chamber") -> int | None:
        """The owner of one row: a chamber id, or None for the federation (or after `fail`).

        Raises SkipRow when the clerk chose to leave out the rows naming this chamber."""
        typed = re.sub(r"\s+", " ", str(text or "")).strip()
        if not typed:
            if self.default is None:
                fail(fld, "所属单位为空：请填写商会名称或“本级”，或在导入时指定这些记录属于哪个单位（命令行 --owner）")
                return None
            typed = self.default
        how, cid, note = self.match(typed)
        if how == "chamber":
            return cid
        if how == "federation":
            return None
        k = name_key(typed)
        decided = self.decisions.get(k)
        if decided is None and self.create_all and how == "unknown":
            decided = CREATE
        if decided == SKIP:
            raise SkipRow(f"按选择不导入：所属单位“{typed}”")
        if decided == FEDERATION:
            return None
        if isinstance(decided, int):
            return decided
        if decided == CREATE:
            for pid, name in self.planned.items():
                if name_key(name) == k:
                    return pid
            pid = -(len(self.planned) + 1)
            self.planned[pid] = typed
            return pid
        self.unknown[typed] = self.unknown.get(typed, 0) + 1
        if how == "ambiguous":
            fail(fld, f"“{typed}”可能是几个商会中的任一个（{note}），请写出商会全称")
        else:
            fail(fld, f"找不到商会“{typed}”：请先导入或新建该商会（命令行可加 --create-chambers 自动新建），"
                      "或改为已有商会的名称")
        return None

    def describe(self, cid: int | None) -> str:
        if cid is None:
            return "本级工商联"
        if cid < 0:
            return f"{self.planned.get(cid, '')}（新建）"
        return self.names.get(cid, str(cid))

    def real_id(self, session: Session, cid: int | None) -> int | None:
        """A placeholder turned into a chamber created now (inside the import's transaction)."""
        if cid is None or cid >= 0:
            return cid
        name = self.planned[cid]
        k = name_key(name)
        if k not in self.chambers:
            from chamberdesk.core.chambers import create_chamber

            ch = create_chamber(session, {"name": name, "kind": guess_kind(name)})
            self.add(ch.name, id_of(ch))
            self.chambers[k] = id_of(ch)
            self.created.append(f"{ch.name}（{label_of(ChamberKind, ch.kind)}）")
        return self.chambers[k]
