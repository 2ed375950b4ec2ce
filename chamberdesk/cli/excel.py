"""`import`, `export`, `package` and `consolidate`: spreadsheets in and out, and the upward data package."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from chamberdesk.cli import checked_year, open_db, output_path
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.io.mappings import KIND_LABELS, KINDS

if TYPE_CHECKING:
    from chamberdesk.core.db import Database
    from chamberdesk.io.excel_import import ImportResult


def register(sub: argparse._SubParsersAction) -> None:
    from chamberdesk.cli import add_db_argument, year_value

    p = sub.add_parser("import", help="从 Excel/WPS/CSV 表格导入商会、会员、会议、活动、走访记录，或整个工作簿")
    p.add_argument("kind", choices=[*KINDS, "workbook"],
                   help="导入的内容；workbook：整个工作簿，逐表识别类型，按商会→会员→会议→活动→走访的顺序导入")
    p.add_argument("file", help="表格文件（.xlsx、.xls、.ods、.et，或 UTF-8/GB18030 编码的 .csv）")
    add_db_argument(p)
    p.add_argument("--sheet", help="工作表名称（默认第一个）")
    p.add_argument("--mapping", help="列映射文件（JSON：{\"表头文字\": \"字段或中文列名\"}，也可写“自定义信息”或“不导入”）")
    p.add_argument("--on-duplicate", choices=["skip", "update"], default="skip", help="重复记录：跳过（默认）或更新已有记录")
    p.add_argument("--owner", metavar="名称",
                   help="表中没有所属单位列或该列为空时，记录属于哪个单位（商会名称，或“本级”表示本级工商联）")
    p.add_argument("--create-chambers", action="store_true",
                   help="表中写到的商会不在台账中时自动新建（否则这些行被拒绝并说明原因）")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.add_argument("--errors", metavar="OUT.xlsx",
                   help="把未通过的行和各列的去向写入此工作簿（整个工作簿导入时每张来源表一页）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.set_defaults(handler=cmd_import)

    from chamberdesk.io.excel_export import EXPORT_KINDS

    p = sub.add_parser("export", help="导出台账或上报统计表为 Excel 工作簿")
    p.add_argument("kind", choices=[k for k in EXPORT_KINDS if k != "roster"], help="导出的内容")
    add_db_argument(p)
    p.add_argument("--out", required=True, help="输出文件 .xlsx")
    p.add_argument("--year", type=year_value,
                   help="年度：统计表、考评结果为该年度；会员台账、名册、商会名录为该年12月31日（本年度为今天）的情况")
    p.add_argument("--chamber", help="商会名称（会员台账时导出该商会名册）")
    p.add_argument("--rubric", help="考评标准编号（assessments）")
    p.add_argument("--unmasked", action="store_true", help="包含完整身份证号和电话（记入审计日志）")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("package", help="生成上报数据包（工作簿 + 数据 + 校验清单）")
    add_db_argument(p)
    p.add_argument("--year", type=year_value, required=True, help="年度（各表均为该年12月31日的情况）")
    p.add_argument("--out", required=True, help="输出文件（.zip）")
    p.set_defaults(handler=cmd_package)

    p = sub.add_parser("consolidate", help="汇总多个县区的上报数据包为一个工作簿")
    p.add_argument("packages", nargs="+", help="数据包文件")
    p.add_argument("--out", required=True, help="输出文件 .xlsx")
    p.add_argument("--json", action="store_true", help="以 JSON 输出汇总数字")
    p.set_defaults(handler=cmd_consolidate)


def _load_mapping(path: str | None) -> dict[str, str] | None:
    if not path:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ChamberDeskError(f"映射文件“{path}”无法读取：{exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ChamberDeskError("映射文件应为 JSON 对象：{\"表头文字\": \"字段名或中文列名\"}")
    return data


def _backup_before_import(db: Database) -> None:
    """A wrong import can be undone by restoring this copy (设置 → 数据文件, or `restore`)."""
    from chamberdesk.core.backup import make_backup

    print(f"导入前已备份：{make_backup(db, reason='import')}", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    from chamberdesk.io.excel_import import import_file, import_workbook, write_workbook_errors

    mapping = _load_mapping(args.mapping)
    errors_out = str(output_path(args.errors)) if args.errors else None
    if args.kind == "workbook" and (args.sheet or mapping):
        raise ChamberDeskError("导入整个工作簿时不能用 --sheet 或 --mapping；需要时请逐表导入。")
    db = open_db(args, "view" if args.dry_run else "edit")
    backup = (lambda: _backup_before_import(db)) if db.is_sqlite else None
    try:
        if args.kind == "workbook":
            wres = import_workbook(db, args.file, on_duplicate=args.on_duplicate, dry_run=args.dry_run,
                                   owner=args.owner, create_chambers=args.create_chambers, before_write=backup)
        else:
            res = import_file(db, args.file, args.kind, sheet=args.sheet, mapping=mapping,
                              on_duplicate=args.on_duplicate, dry_run=args.dry_run, errors_out=errors_out,
                              before_write=backup, owner=args.owner, create_chambers=args.create_chambers)
    finally:
        db.close()
    if errors_out and args.kind == "workbook":
        n = write_workbook_errors(args.file, wres, errors_out)
        _say(f"未通过的行（{len(wres.sheets)} 张表共 {n} 行，每张表一页）和各列的去向已写入：{errors_out}", sys.stderr)
    elif errors_out:  # on stderr: with --json, stdout is the JSON object alone
        _say(f"未通过的行（{res.rejected} 行）和各列的去向已写入：{errors_out}", sys.stderr)
    if args.json:
        # a character the console cannot show goes out as a JSON \u escape: still the same JSON
        _say(json.dumps(wres.as_dict() if args.kind == "workbook" else res.as_dict(), ensure_ascii=False),
             errors="backslashreplace")
        return 0
    verb = "检查" if args.dry_run else "导入"
    if args.kind == "workbook":
        for r in wres.sheets:
            _say(f"工作表“{r.sheet}”（{KIND_LABELS[r.kind]}）：")
            _print_result(r, verb, indent="  ")
        for p in wres.left_out:
            _say(f"工作表“{p.name}”未导入：{p.reason}")
    else:
        _print_result(res, verb)
    return 0


def _say(text: str, stream: TextIO | None = None, errors: str = "replace") -> None:
    """Print what a sheet brought in (any character) without failing on a GBK console."""
    stream = stream or sys.stdout
    enc = getattr(stream, "encoding", None) or "utf-8"
    print(text.encode(enc, errors).decode(enc), file=stream)


def _print_result(res: ImportResult, verb: str, indent: str = "") -> None:
    _say(f"{indent}{verb}完成：共 {res.rows} 行，新增 {res.imported}，更新 {res.updated}，重复 {res.duplicates}，"
         f"跳过 {res.skipped}，拒绝 {res.rejected}。")
    _say(f"{indent}各列：" + "；".join(f"{c.letter}“{c.title or '（无列名）'}”{c.describe()}" for c in res.columns))
    if res.new_chambers:
        _say(f"{indent}新建商会：{'、'.join(res.new_chambers)}（类型按名称推断，请在“商会”页核对）")
    for p in res.problems[:50]:
        _say(f"{indent}  第{p.row}行 {p.column}：{p.message}")
    if len(res.problems) > 50:
        _say(f"{indent}  ……另有 {len(res.problems) - 50} 条，请用 --errors 输出到工作簿查看。")


def cmd_export(args: argparse.Namespace) -> int:
    from chamberdesk.io import excel_export as ex

    out = output_path(args.out)
    kind = args.kind
    if kind in ("yearly-stats", "work-summary", "assessments") and not args.year:
        raise ChamberDeskError("该导出需要 --year 年度，如 --year 2025")
    if kind == "assessments" and not args.rubric:
        raise ChamberDeskError("导出考评结果需要 --rubric 考评标准编号（见 chamberdesk rubrics）")
    db = open_db(args, "export")
    try:
        checked_year(db, args.year)
        if kind == "members":
            if args.chamber:
                n = ex.export_roster(db, out, args.chamber, year=args.year, unmasked=args.unmasked)
            else:
                n = ex.export_members(db, out, year=args.year, unmasked=args.unmasked)
        elif kind == "chambers":
            n = ex.export_chambers(db, out, year=args.year)
        elif kind == "meetings":
            n = ex.export_meetings(db, out, year=args.year, chamber=args.chamber)
        elif kind == "activities":
            n = ex.export_activities(db, out, year=args.year, chamber=args.chamber)
        elif kind == "yearly-stats":
            info = ex.export_yearly_stats(db, out, args.year)
            n = info.rows
            if not info.standing_included:
                print("提示：未找到四有/五有考评标准，统计表未列达标情况。")
        elif kind == "work-summary":
            n = ex.export_work_summary(db, out, args.year)
        else:
            n = ex.export_assessments(db, out, args.rubric, args.year)
    finally:
        db.close()
    print(f"已导出 {n} 行：{out}")
    return 0


def cmd_package(args: argparse.Namespace) -> int:
    from chamberdesk.io.package import build_package

    out = output_path(args.out)
    db = open_db(args, "export")
    try:
        man = build_package(db, args.year, out)
    finally:
        db.close()
    print(f"已生成上报数据包：{args.out}（{man['federation']['name']}，{args.year}年，{len(man['files'])} 个文件）")
    return 0


def cmd_consolidate(args: argparse.Namespace) -> int:
    from chamberdesk.io.package import consolidate

    result = consolidate([Path(p) for p in args.packages], output_path(args.out))
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        print(f"已汇总 {len(result.counties)} 个数据包：{args.out}")
    return 0
