"""`tally`: enter the 民主评议 ballots counted after the presidents' 述职 (per chamber, or a whole 计票表),
and list each chamber's democratic score and combined total. `yearend`: the year-end steps per chamber
(statistics received, inspection) and the checklist of where each chamber stands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from chamberdesk.core.errors import ChamberDeskError


def register(sub: argparse._SubParsersAction) -> None:
    from chamberdesk.cli import add_db_argument, year_value

    p = sub.add_parser("tally", help="录入民主评议计票结果（各等次票数或各票评分），计算民主评议得分并计入综合得分",
                       description="按考评细则的民主评议规则（通州：有效票评分的平均分，按20%计入综合得分）"
                       "把计票结果记入该商会本年度考评的草稿。已定稿的考评不能修改。")
    add_db_argument(p)
    p.add_argument("--year", type=int, required=True, help="考评年度，如 2025")
    p.add_argument("--rubric", help="考评细则编号（默认：带民主评议票的细则，如 tongzhou-kaoping）")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--target", metavar="名称", help="录入这一个商会的计票结果（配合 --counts 或 --scores）")
    what.add_argument("--sheet", metavar="计票表.xlsx",
                      help="导入计票表：每行一个商会，“商会名称”列，各等次票数列或每张选票一列评分，可有“废票”列")
    what.add_argument("--list", action="store_true", help="列出各商会的民主评议得分与综合得分")
    p.add_argument("--counts", help="各等次票数，如 好=12,较好=5,一般=1,差=0（评定等次的细则）")
    p.add_argument("--scores", help="各张有效票的评分，逗号分隔，如 95,88,90.5（打分的细则）")
    p.add_argument("--invalid", type=int, default=0, help="该商会一栏的废票数（只记录，不计入）")
    p.add_argument("--sheet-name", help="计票表的工作表名（默认第一个）")
    p.add_argument("--evidence", action="append", metavar="文件",
                   help="评议票扫描件等凭证（可重复），附在所录商会的民主评议条目上；导入的计票表本身也作为凭证附上")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(handler=cmd_tally)

    y = sub.add_parser("yearend", help="年终考评进度：登记统计表收到、实地考评，导出各商会年终考评进度表",
                       description="按考评意见三（一）的步骤记录各商会的年终考评：统计表收到日期（可附统计表文件）、"
                       "实地考评日期和考评人；--checklist 导出各商会自查表、统计表、实地考评、民主评议、定稿的进度表"
                       "（A4 横向，供主席、会长会研究）。")
    add_db_argument(y)
    y.add_argument("--year", type=year_value, required=True, help="考评年度，如 2025")
    y.add_argument("--rubric", help="考评细则编号（默认：带民主评议的细则，如 tongzhou-kaoping）")
    act = y.add_mutually_exclusive_group(required=True)
    act.add_argument("--checklist", action="store_true", help="导出年终考评进度表（配合 --out）")
    act.add_argument("--received", metavar="名称", help="登记该商会的年度基层商会工作情况统计表已收到（配合 --on）")
    act.add_argument("--inspected", metavar="名称", help="登记对该商会的实地考评（配合 --on、--by）")
    y.add_argument("--on", metavar="日期", help="收到或考评的日期，如 2026-01-10")
    y.add_argument("--evidence", metavar="文件", help="统计表文件（扫描件或电子表），作为凭证保存")
    y.add_argument("--by", metavar="考评人", help="实地考评的考评人（驻会领导、包片领导）")
    y.add_argument("--notes", metavar="记录", help="实地考评记录（看了哪些台账、发现的问题）")
    y.add_argument("--out", metavar="文件.xlsx", help="进度表保存位置")
    y.set_defaults(handler=cmd_yearend)


def _rubric(args: argparse.Namespace) -> tuple[Any, Any]:
    """The rubric asked for (default: the year's rubric with a ballot) and its 民主评议 item."""
    from chamberdesk import rules
    from chamberdesk.rules.democratic import democratic_item, year_end_rubric

    rubric = rules.load_rubric(args.rubric) if args.rubric else year_end_rubric(args.year)
    item = democratic_item(rubric) if rubric is not None else None
    if item is None:
        raise ChamberDeskError("该考评细则没有民主评议条目：请用 --rubric 指定带民主评议的细则（如 tongzhou-kaoping）。")
    return rubric, item


def _parse_tally(args: argparse.Namespace, ballot: Any) -> Any:
    from chamberdesk.rules.democratic import Tally

    t = Tally(invalid=args.invalid)
    if ballot.scale == "rating":
        if not args.counts or args.scores:
            names = "、".join(lv.label for lv in ballot.levels)
            raise ChamberDeskError(f"该细则按等次评议：请用 --counts 写各等次票数，如 {ballot.levels[0].label}=12（等次：{names}）。")
        for part in args.counts.replace("，", ",").split(","):
            if not part.strip():
                continue
            label, sep, n = part.replace("＝", "=").partition("=")
            if not sep:
                raise ChamberDeskError(f"“{part}”应写成 等次=票数，如 好=12。")
            try:
                t.counts[label.strip()] = int(n.strip())
            except ValueError:
                raise ChamberDeskError(f"“{part}”中的票数应为整数。") from None
    else:
        if not args.scores or args.counts:
            raise ChamberDeskError("该细则按打分评议：请用 --scores 写各张有效票的评分，如 95,88,90.5。")
        try:
            t.scores = [float(x) for x in args.scores.replace("，", ",").replace("、", ",").split(",") if x.strip()]
        except ValueError:
            raise ChamberDeskError("--scores 中的评分应为数字，用逗号分隔。") from None
    return t


def cmd_tally(args: argparse.Namespace) -> int:
    from chamberdesk.cli import open_db
    from chamberdesk.rules.democratic import enter_tallies

    rubric, item = _rubric(args)
    ballot = item.ballot
    if args.list:
        return _list(args, rubric, item)
    db = open_db(args, "edit")
    problems: list[str] = []
    try:
        if args.sheet:
            from chamberdesk.io.tally_sheet import read_tally_sheet

            got = read_tally_sheet(Path(args.sheet), ballot, args.sheet_name)
            problems += got.rejected
            wanted = list(got.tallies.items())
        else:
            wanted = [(args.target, _parse_tally(args, ballot))]
        files = [Path(f) for f in (args.evidence or [])] + ([Path(args.sheet)] if args.sheet else [])
        with db.transaction() as s:
            entered, not_taken = enter_tallies(db, s, rubric, args.year, wanted, files, from_sheet=bool(args.sheet))
        problems += not_taken
        out = [{"chamber": e.chamber, "democratic": e.democratic, "note": e.note,
                "total": e.result.score if e.result.complete else None, "grade": e.result.grade_text(),
                "year_open": e.result.year_open, "vetoed": e.result.vetoed} for e in entered]
    finally:
        db.close()
    if args.json:
        print(json.dumps({"rubric": rubric.id, "year": args.year, "entered": out, "not_entered": problems},
                         ensure_ascii=False))
    else:
        for r in out:
            total = "待其他条目评分后得出" if r["total"] is None else f"{r['total']:.2f}" + ("（暂定）" if r["year_open"] else "")
            print(f"{r['chamber']}：{r['note']}；综合得分 {total}")
        for p in problems:
            print(f"未录入：{p}", file=sys.stderr)
        if args.sheet:
            print(f"计票表共 {len(out) + len(problems)} 个商会：已录入 {len(out)}，未录入 {len(problems)}。")
    return 1 if problems and not out else 0


def _list(args: argparse.Namespace, rubric: Any, item: Any) -> int:
    from chamberdesk.cli import open_db
    from chamberdesk.core.assessments import stored_inputs
    from chamberdesk.rules.assessments import current_results
    from chamberdesk.rules.democratic import describe, stored_tally

    db = open_db(args, "view")
    rows = []
    try:
        with db.session() as s:
            for c in current_results(s, rubric, args.year):
                res = c.result
                dem = next((it for it in res.items if it.id == item.id), None)
                tally = stored_tally(stored_inputs(c.saved).get(item.id)) if c.saved is not None else None
                rows.append({"chamber": res.target, "democratic": dem.value if dem else None,
                             "tally": describe(item.ballot, tally) if tally else "",
                             "total": res.score if res.complete else None, "grade": res.grade_text(),
                             "year_open": res.year_open, "vetoed": res.vetoed, "finalised": c.finalised})
    finally:
        db.close()
    if args.json:
        print(json.dumps({"rubric": rubric.id, "year": args.year, "results": rows}, ensure_ascii=False))
        return 0
    for r in rows:
        score = "未录入" if r["democratic"] is None else f"{r['democratic']:g}分"
        total = "—" if r["total"] is None else f"{r['total']:.2f}" + ("（暂定）" if r["year_open"] else "")
        flags = "（一票否决）" if r["vetoed"] else (f"（{r['grade']}）" if r["grade"] else "")
        print(f"{r['chamber']}\t民主评议 {score}\t综合得分 {total}{flags}{'（已定稿）' if r['finalised'] else ''}"
              + (f"\t{r['tally']}" if r["tally"] else ""))
    return 0


def _day(text: str | None, what: str) -> Any:
    from datetime import date

    if not text:
        raise ChamberDeskError(f"请用 --on 写明{what}，如 --on 2026-01-10。")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ChamberDeskError(f"--on 日期格式应为 2026-01-10，而不是“{text}”。") from None


def cmd_yearend(args: argparse.Namespace) -> int:
    from chamberdesk.cli import checked_year, open_db, output_path
    from chamberdesk.core import yearend
    from chamberdesk.core.chambers import find_chamber
    from chamberdesk.core.dates import chinese_date
    from chamberdesk.core.errors import NotFound
    from chamberdesk.core.records import id_of

    if args.checklist:
        from chamberdesk.io.year_end_sheet import export_checklist

        if not args.out:
            raise ChamberDeskError("请用 --out 指定进度表的保存位置，如 --out 年终考评进度.xlsx。")
        out = output_path(args.out)
        db = open_db(args, "export")
        try:
            checked_year(db, args.year)
            cl = export_checklist(db, out, args.year, args.rubric)
        finally:
            db.close()
        print(f"已导出：{out}（{cl.summary()}）")
        return 0
    name = args.received or args.inspected
    if args.received and (args.by or args.notes):
        raise ChamberDeskError("--by、--notes 用于实地考评（--inspected），登记统计表时不用。")
    if args.inspected and args.evidence:
        raise ChamberDeskError("--evidence 用于统计表文件（--received），实地考评记录请写在 --notes 中。")
    if args.inspected and not args.by:
        raise ChamberDeskError("请用 --by 写明考评人，如 --by 王主席。")
    day = _day(args.on, "收到日期" if args.received else "考评日期")
    db = open_db(args, "edit")
    try:
        checked_year(db, args.year)
        with db.transaction() as s:
            ch = find_chamber(s, name)
            if ch is None:
                raise NotFound(f"找不到商会“{name}”")
            if args.received:
                yearend.set_statistics_received(db, s, id_of(ch), args.year, day, args.evidence)
                said = f"{ch.name}{args.year}年度统计表{chinese_date(day)}收到" + ("，已保存统计表文件" if args.evidence else "")
            else:
                yearend.set_inspection(s, id_of(ch), args.year, day, args.by, args.notes)
                said = f"{ch.name}{args.year}年度实地考评：{chinese_date(day)}，考评人{args.by.strip()}"
    finally:
        db.close()
    print(f"已登记：{said}。")
    return 0
