"""A federation meeting's or activity's 签到表 (sign-in sheet) → its roll-call of the chambers.

Two layouts are read: one status column (到会情况: 出席/到/√/请假/缺席/未到 …), or a 签到 column (a signature or
a tick) beside a 请假 column; a 事由 column gives the reason of a leave. In the second layout a row with neither
a signature nor a leave mark is an absence: that is what an unsigned line of a 签到表 means. Chamber names are
matched as every import matches owners (io.owners: full name, without the county prefix, with or without
商会/协会/分会); a name that matches no chamber, or several, is never guessed: the row is rejected with the
reason. Every data row is accounted for: taken, or rejected with a line saying why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from chamberdesk.core import attendance
from chamberdesk.core.attendance import ABSENT, LEAVE, PRESENT, Entry, Event
from chamberdesk.core.choices import AttendanceStatus
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.io.owners import OwnerIndex
from chamberdesk.io.value_words import ATTENDANCE

NAME_HEADERS = ("商会名称", "单位名称", "商会", "单位", "名称", "参会单位", "应到单位")
STATUS_HEADERS = ("到会情况", "出席情况", "参会情况", "签到情况", "到会", "出席", "情况", "状态")
SIGN_HEADERS = ("签到", "签名", "签字", "参会人签字", "签到人", "到会人")
LEAVE_HEADERS = ("请假", "是否请假", "请假情况")
REASON_HEADERS = ("事由", "请假事由", "原因", "请假原因", "备注")
TOTAL_WORDS = ("合计", "总计", "小计")
NO_MARKS = ("", "否", "×", "无", "-", "—", "/")  # what a 请假 cell says when there was no leave


@dataclass
class SheetMarks:
    """What a sheet gave: the entries taken (chamber id → entry), and a line for every row not taken."""

    entries: dict[int, Entry] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)  # chamber id → name as typed
    rows: int = 0
    rejected: list[str] = field(default_factory=list)
    layout: str = ""  # how the status was read, in words


def _text(v: Any) -> str:
    return re.sub(r"\s+", "", str(v)) if v is not None else ""


def _column(head: list[str], words: tuple[str, ...], taken: set[int]) -> int | None:
    """The first column whose heading is one of `words` (in their order of preference), not already taken."""
    for w in words:
        for i, h in enumerate(head):
            if i not in taken and re.sub(r"[（(].*$", "", h) == w:
                return i
    return None


def read_sign_in_sheet(session: Session, ev: Event, path: Path, sheet: str | None = None) -> SheetMarks:
    """The sheet's marks for the event `ev`, names matched against the chambers on file that day."""
    from chamberdesk.io.sheet_reader import read_sheet

    ws = read_sheet(Path(path), sheet)
    head_at = next((i for i, r in enumerate(ws.rows[:20]) if any(_text(c) in NAME_HEADERS for c in r)), None)
    if head_at is None:
        raise ChamberDeskError(f"“{Path(path).name}”的前 20 行中没有“商会名称”列：请在表头写明“商会名称”（或“单位名称”）。")
    head = [_text(c) for c in ws.rows[head_at]]
    name_col = _column(head, NAME_HEADERS, set())
    assert name_col is not None  # the header row was found by this very heading
    used = {name_col}
    status_col = _column(head, STATUS_HEADERS, used)
    sign_col = leave_col = None
    if status_col is None:
        sign_col = _column(head, SIGN_HEADERS, used)
        leave_col = _column(head, LEAVE_HEADERS, used | ({sign_col} if sign_col is not None else set()))
        if sign_col is None and leave_col is None:
            raise ChamberDeskError("签到表中没有到会情况：应有一列“到会情况”（出席、请假、缺席），或“签到”列和“请假”列。")
    used |= {c for c in (status_col, sign_col, leave_col) if c is not None}
    reason_col = _column(head, REASON_HEADERS, used)
    out = SheetMarks(layout=f"按“{head[status_col]}”列" if status_col is not None else
                     "按" + "、".join(f"“{head[c]}”" for c in (sign_col, leave_col) if c is not None) + "列（都未填的为缺席）")
    owners = OwnerIndex.load(session)
    on_file = {c.id for c in attendance.expected_chambers(session, ev.date)}
    for r_no, row in enumerate(ws.rows[head_at + 1:], head_at + 2):
        cells = [_text(c) for c in row] + [""] * (len(head) - len(row))
        typed = str(row[name_col] or "").strip() if name_col < len(row) else ""
        if not typed and not any(cells):
            continue  # a blank line
        out.rows += 1
        where = f"第{r_no}行" + (f"（{typed}）" if typed else "")
        if not typed or _text(typed) in TOTAL_WORDS:
            out.rejected.append(f"{where}：没有商会名称（或为合计行），未导入")
            continue
        how, cid, note = owners.match(typed)
        if how == "federation":
            out.rejected.append(f"{where}：本级工商联不在商会点名之列，未导入")
            continue
        if how == "ambiguous":
            out.rejected.append(f"{where}：可能是几个商会中的任一个（{note}），请写出商会全称，未导入")
            continue
        if how != "chamber" or cid is None:
            out.rejected.append(f"{where}：找不到该商会，请改为台账中商会的名称（或先新建该商会），未导入")
            continue
        if cid not in on_file:
            out.rejected.append(f"{where}：该商会在{ev.date.year}年{ev.date.month}月{ev.date.day}日不在册"
                                "（未成立、已撤销或已删除），未导入")
            continue
        reason = cells[reason_col] if reason_col is not None else ""
        if status_col is not None:
            word = cells[status_col]
            parsed = AttendanceStatus.parse(word)
            status = ATTENDANCE.get(word) or (parsed.value if parsed else None)
            if status is None:
                what = f"“{word}”不是" if word else "到会情况为空，应填"
                out.rejected.append(f"{where}：{what}出席、请假或缺席，未导入")
                continue
        else:
            signed = sign_col is not None and cells[sign_col] not in NO_MARKS
            leave_mark = cells[leave_col] if leave_col is not None else ""
            on_leave = leave_mark not in NO_MARKS
            if signed and on_leave:
                out.rejected.append(f"{where}：既签到又请假，请核对后改正，未导入")
                continue
            status = PRESENT if signed else LEAVE if on_leave else ABSENT
            if on_leave and not reason and leave_mark not in ATTENDANCE:
                reason = leave_mark  # the 请假 cell holds the reason itself (“外出招商”)
        if status == LEAVE and not reason:
            out.rejected.append(f"{where}：请假未写事由，请补写事由（或记为缺席），未导入")
            continue
        if cid in out.entries:
            out.rejected.append(f"{where}：与前面的行是同一个商会（{owners.names.get(cid, typed)}），未导入")
            continue
        out.entries[cid] = Entry(cid, status, reason if status == LEAVE else "")
        out.names[cid] = owners.names.get(cid, typed)
    return out


def match_names(session: Session, names: list[str]) -> dict[str, int]:
    """Chamber names typed on the command line → ids; ChamberDeskError naming the first that matches none
    (or several): a typed name is never guessed."""
    owners = OwnerIndex.load(session)
    out: dict[str, int] = {}
    for typed in names:
        how, cid, note = owners.match(typed)
        if how == "chamber" and cid is not None:
            out[typed] = cid
        elif how == "ambiguous":
            raise ChamberDeskError(f"“{typed}”可能是几个商会中的任一个（{note}），请写出商会全称。")
        elif how == "federation":
            raise ChamberDeskError(f"“{typed}”是本级工商联，不在商会点名之列。")
        else:
            raise ChamberDeskError(f"找不到商会“{typed}”：请写台账中商会的名称（chamberdesk rollcall --list 列出应到商会）。")
    return out


__all__ = ["SheetMarks", "match_names", "read_sign_in_sheet"]
