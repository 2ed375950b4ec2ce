"""`rollcall`: the chambers' roll-call at one of the federation's meetings or activities (list, mark, import a
签到表), and a year's summary per chamber (unexcused absences, leaves, training absences)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from chamberdesk.core.errors import ChamberDeskError


def register(sub: argparse._SubParsersAction) -> None:
    from chamberdesk.cli import add_db_argument, year_value

    p = sub.add_parser("rollcall", help="区工商联会议、活动的商会到会点名（出席、请假、缺席），导入签到表，按年度汇总缺席",
                       description="记录各商会出席区工商联组织的会议、活动的情况，用于通州考评“无故不参加会议或活动3次以上"
                       "且未请假”的一票否决和“全年3次无故不参加培训”的撤销警示。例：--meeting 12 --all-present "
                       "--leave \"城关镇商会:外出招商\" --absent 桃源乡商会；--activity 5 --sheet 签到表.xlsx；"
                       "--year 2025 --summary。")
    add_db_argument(p)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--meeting", type=int, metavar="编号", help="区工商联的会议（编号见 export meetings 或界面）")
    which.add_argument("--activity", type=int, metavar="编号", help="区工商联的活动")
    p.add_argument("--list", action="store_true", help="列出该会议或活动的应到商会和点名情况")
    p.add_argument("--sheet", metavar="签到表.xlsx", help="导入签到表：“商会名称”列和“到会情况”列（出席/请假/缺席），"
                   "或“签到”“请假”列；“事由”列写请假事由")
    p.add_argument("--sheet-name", help="签到表的工作表名（默认第一个）")
    p.add_argument("--all-present", action="store_true", help="尚未点名的在册商会全部记为出席（再用下列选项标出例外）")
    p.add_argument("--present", metavar="商会,商会", help="记为出席的商会，逗号分隔")
    p.add_argument("--leave", action="append", metavar="商会:事由", help="记为请假的商会及事由（可重复）")
    p.add_argument("--absent", metavar="商会,商会", help="记为缺席（未请假）的商会，逗号分隔")
    p.add_argument("--year", type=year_value, help="与 --summary 一起：汇总这一年")
    p.add_argument("--summary", action="store_true", help="按商会汇总该年度的无故缺席、请假和缺席培训（含日期）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(handler=cmd_rollcall)


def _split(text: str | None) -> list[str]:
    return [t.strip() for t in re.split(r"[,，、;；]", text or "") if t.strip()]


def cmd_rollcall(args: argparse.Namespace) -> int:
    if args.summary or args.year is not None:
        if args.meeting is not None or args.activity is not None or not (args.summary and args.year is not None):
            raise ChamberDeskError("按年度汇总请写 --year 年度 --summary（不与 --meeting、--activity 同用）。")
        return _summary(args)
    if args.meeting is None and args.activity is None:
        raise ChamberDeskError("请用 --meeting 编号 或 --activity 编号 指定区工商联的会议或活动，或用 --year 年度 --summary 汇总。")
    kind, eid = ("meeting", args.meeting) if args.meeting is not None else ("activity", args.activity)
    marks = bool(args.all_present or args.present or args.leave or args.absent)
    if args.list and (marks or args.sheet):
        raise ChamberDeskError("--list 只列出点名情况，不与 --sheet、--present 等同用。")
    if args.sheet and marks:
        raise ChamberDeskError("导入签到表时不与 --present、--leave、--absent、--all-present 同用：导入后再单独改正。")
    if not (args.list or args.sheet or marks):
        args.list = True
    return _list(args, kind, eid) if args.list else _mark(args, kind, eid)


def _rows_json(rc: Any) -> list[dict[str, Any]]:
    from chamberdesk.core.choices import AttendanceStatus, label_of

    return [{"chamber": r.name, "status": r.status or None, "status_label": label_of(AttendanceStatus, r.status) or "未点名",
             "reason": r.reason or None} for r in rc.rows]


def _event_json(ev: Any) -> dict[str, Any]:
    return {"kind": ev.kind, "id": ev.id, "date": ev.date.isoformat(), "title": ev.title, "training": ev.training}


def _print_roll(rc: Any) -> None:
    from chamberdesk.core.choices import AttendanceStatus, label_of

    print(f"{rc.event.label()}（{'会议' if rc.event.kind == 'meeting' else '活动'}编号 {rc.event.id}）：{rc.summary()}")
    for r in rc.rows:
        words = label_of(AttendanceStatus, r.status) or "未点名"
        print(f"  {r.name}\t{words}" + (f"（{r.reason}）" if r.reason else ""))


def _list(args: argparse.Namespace, kind: str, eid: int) -> int:
    from chamberdesk.cli import open_db
    from chamberdesk.core import attendance

    db = open_db(args, "view")
    try:
        with db.session() as s:
            rc = attendance.roll_call(s, kind, eid)
    finally:
        db.close()
    if args.json:
        print(json.dumps({"event": _event_json(rc.event), "summary": rc.summary(), "rows": _rows_json(rc)},
                         ensure_ascii=False))
    else:
        _print_roll(rc)
    return 0


def _mark(args: argparse.Namespace, kind: str, eid: int) -> int:
    from chamberdesk.cli import open_db
    from chamberdesk.core import attendance
    from chamberdesk.core.attendance import ABSENT, LEAVE, PRESENT, Entry
    from chamberdesk.io.rollcall_sheet import match_names, read_sign_in_sheet

    db = open_db(args, "edit")
    rejected: list[str] = []
    sheet_rows = 0
    try:
        with db.transaction() as s:
            rc = attendance.roll_call(s, kind, eid)
            rows = attendance.all_present(rc.rows) if args.all_present else rc.rows
            marks = {r.chamber_id: e for r in rows if (e := r.entry()) is not None}
            if args.sheet:
                if not Path(args.sheet).is_file():
                    raise ChamberDeskError(f"找不到签到表：{args.sheet}")
                got = read_sign_in_sheet(s, rc.event, Path(args.sheet), args.sheet_name)
                rejected, sheet_rows = got.rejected, got.rows
                if not got.entries:
                    raise ChamberDeskError("签到表中没有可导入的行：" + ("；".join(rejected[:5]) or "表中没有数据行"))
                marks.update(got.entries)
            leaves = []
            for text in args.leave or []:
                name, sep, reason = text.replace("：", ":").partition(":")
                if not sep or not reason.strip():
                    raise ChamberDeskError(f"--leave “{text}”应写成 商会:事由，如 \"城关镇商会:外出招商\"。")
                leaves.append((name.strip(), reason.strip()))
            typed = _split(args.present) + _split(args.absent) + [n for n, _ in leaves]
            ids = match_names(s, typed)
            for name in _split(args.present):
                marks[ids[name]] = Entry(ids[name], PRESENT)
            for name in _split(args.absent):
                marks[ids[name]] = Entry(ids[name], ABSENT)
            for name, reason in leaves:
                marks[ids[name]] = Entry(ids[name], LEAVE, reason)
            after = attendance.set_roll_call(s, kind, eid, list(marks.values()), expected_version=rc.event.version)
    finally:
        db.close()
    left = [r.name for r in after.rows if not r.status]
    if args.json:
        print(json.dumps({"event": _event_json(after.event), "summary": after.summary(), "rows": _rows_json(after),
                          "sheet_rows": sheet_rows, "rejected": rejected, "not_called": left}, ensure_ascii=False))
        return 0
    _print_roll(after)
    if args.sheet:
        print(f"签到表共 {sheet_rows} 行：导入 {sheet_rows - len(rejected)} 行，未导入 {len(rejected)} 行。")
    for line in rejected:
        print(f"未导入：{line}", file=sys.stderr)
    if left:
        print(f"尚未点名的在册商会：{'、'.join(left)}（未到会的请用 --absent 记为缺席）", file=sys.stderr)
    return 0


def _summary(args: argparse.Namespace) -> int:
    from chamberdesk.cli import open_db
    from chamberdesk.core import attendance
    from chamberdesk.core.chambers import chambers_between
    from chamberdesk.core.records import id_of

    db = open_db(args, "view")
    try:
        with db.session() as s:
            year = attendance.year_roll_calls(s, args.year)
            listed = {id_of(c): c.name for c in chambers_between(s, year.until.replace(month=1, day=1), year.until)}
            names = {**listed, **{cid: attendance.chamber_name(s, cid) for cid in year.chambers if cid not in listed}}
    finally:
        db.close()

    def marks(ms: list[Any], reasons: bool = False) -> list[dict[str, Any]]:
        return [{"date": m.event.date.isoformat(), "event": m.event.title, "kind": m.event.kind, "id": m.event.id,
                 **({"reason": m.reason} if reasons else {})} for m in ms]

    rows = []
    for cid, name in names.items():
        cy = year.of(cid)
        rows.append({"chamber": name, "called": len(cy.marks), "present": len(cy.present),
                     "leaves": marks(cy.leaves, True), "absences": marks(cy.absences),
                     "training_absences": marks(cy.training_absences)})
    if args.json:
        print(json.dumps({"year": args.year, "until": year.until.isoformat(), "recorded": year.recorded,
                          "events": [_event_json(e) for e in year.events],
                          "not_called": [_event_json(e) for e in year.not_called], "chambers": rows},
                         ensure_ascii=False))
        return 0
    if not year.recorded:
        print(f"{args.year}年没有记录区工商联会议、活动的到会点名（共有{len(year.not_called)}次会议、活动未点名）。")
        return 0
    print(f"{args.year}年区工商联会议、活动点名{len(year.events)}次"
          + (f"，另有{len(year.not_called)}次未点名" if year.not_called else "") + "：")
    for cid, name in names.items():
        cy = year.of(cid)
        bits = [f"点名{len(cy.marks)}次，出席{len(cy.present)}次"]
        if cy.leaves:
            bits.append(f"请假{len(cy.leaves)}次：{attendance.marks_text(cy.leaves, reasons=True)}")
        bits.append(f"无故缺席{len(cy.absences)}次" + (f"：{attendance.marks_text(cy.absences)}" if cy.absences else ""))
        if cy.training_absences:
            bits.append(f"其中缺席教育培训{len(cy.training_absences)}次")
        print(f"  {name}：" + "；".join(bits))
    return 0
