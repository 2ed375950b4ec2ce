"""`print`: the paper forms (考评表, 自查表, 会员台账, 名册, 会议纪要, 年度工作情况) as PDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chamberdesk.core.errors import ChamberDeskError, NotFound


def register(sub: argparse._SubParsersAction) -> None:
    from chamberdesk.cli import add_db_argument, year_value
    from chamberdesk.io.pdf.jobs import FORMS

    p = sub.add_parser("print", help="打印表格为 PDF（考评表、自查表、会员台账、名册、会议纪要、年度工作情况、"
                                     "台账资料汇编、民主评议票）",
                       description="生成可签字盖章的 PDF 表格。身份证号、电话默认脱敏。")
    p.add_argument("form", choices=list(FORMS), metavar="表格",
                   help="、".join(f"{k}={v}" for k, v in FORMS.items()))
    add_db_argument(p)
    p.add_argument("--rubric", help="考评标准编号（考评表、自查表）")
    p.add_argument("--year", type=year_value,
                   help="年度，如 2025；会员台账、名册为该年12月31日（本年度为今天）在册的会员")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--target", action="append", metavar="名称",
                     help="商会名称（可重复）；考评本级工商联时写“本级工商联”")
    who.add_argument("--all", action="store_true", help="全部商会（默认）")
    p.add_argument("--meeting", type=int, action="append", metavar="编号", help="会议编号（会议纪要，可重复）")
    p.add_argument("--per-file", action="store_true", help="每个商会单独一个 PDF（--out 为文件夹）")
    p.add_argument("--blank", action="store_true", help="自查表留空，供手工填写")
    p.add_argument("--unmasked", action="store_true", help="显示完整身份证号和电话（记入审计日志）")
    p.add_argument("--columns", help="会员台账的列，逗号分隔（字段名或中文列名）")
    flt = p.add_argument_group("会员台账筛选（与界面相同）")
    flt.add_argument("--chamber", help="所属商会名称")
    flt.add_argument("--status", choices=["active", "left", "all"], default="active",
                     help="active=在册（默认），left=已退会，all=全部")
    flt.add_argument("--kind", help="会员类型")
    flt.add_argument("--industry", help="行业门类")
    flt.add_argument("--tag", help="标签")
    flt.add_argument("--join-year", type=int, help="入会年度")
    flt.add_argument("--search", default="", help="查找（名称、代码、姓名、电话）")
    p.add_argument("--copies", type=int, metavar="份数",
                   help="民主评议票份数（ballots）：默认为被评议商会数（各商会会长）加本级工商联工作人员数（未填写时加 5）")
    p.add_argument("--out", required=True, help="输出的 PDF 文件，或 --per-file 时的文件夹"
                   "（台账资料汇编写文件夹时每个商会一个文件）")
    p.add_argument("--quiet", action="store_true", help="不显示进度")
    p.set_defaults(handler=cmd_print)


def _columns(text: str | None) -> list[str] | None:
    from chamberdesk.io.pdf.ledger import LEDGER_COLUMNS

    if not text:
        return None
    by_label = {v: k for k, v in LEDGER_COLUMNS.items()}
    out = []
    for raw in text.replace("，", ",").split(","):
        name = raw.strip()
        if not name:
            continue
        key = name if name in LEDGER_COLUMNS else by_label.get(name)
        if key is None:
            raise ChamberDeskError(f"未知的列：{name}。可用：{'、'.join(LEDGER_COLUMNS.values())}")
        out.append(key)
    return out


def cmd_print(args: argparse.Namespace) -> int:
    from chamberdesk.cli import checked_year, open_db
    from chamberdesk.core.chambers import find_chamber
    from chamberdesk.core.choices import Industry, MemberKind
    from chamberdesk.core.members import MemberFilter
    from chamberdesk.io.pdf.jobs import PrintRequest, run

    db = open_db(args, "export")
    try:
        checked_year(db, args.year)
        targets: list[int] | None = None
        federation = False
        with db.session() as s:
            if args.target:
                targets = []
                for name in args.target:
                    if name.strip() in ("本级工商联", "本级", "工商联"):
                        federation = True
                        continue
                    ch = find_chamber(s, name)
                    if ch is None:
                        raise NotFound(f"找不到商会“{name}”")
                    assert ch.id is not None
                    targets.append(ch.id)
            flt = None
            if args.form == "ledger":
                chamber_id = None
                if args.chamber:
                    ch = find_chamber(s, args.chamber)
                    if ch is None:
                        raise NotFound(f"找不到商会“{args.chamber}”")
                    chamber_id = ch.id
                kind = MemberKind.parse(args.kind) if args.kind else None
                industry = Industry.parse(args.industry) if args.industry else None
                if args.kind and kind is None:
                    raise ChamberDeskError(f"未知的会员类型：{args.kind}")
                if args.industry and industry is None:
                    raise ChamberDeskError(f"未知的行业：{args.industry}")
                flt = MemberFilter(search=args.search, chamber_id=chamber_id, kind=kind.value if kind else None,
                                   industry=industry.value if industry else None,
                                   status=None if args.status == "all" else args.status, join_year=args.join_year,
                                   tag=args.tag)
        req = PrintRequest(form=args.form, year=args.year, rubric_id=args.rubric,
                           targets=targets if (targets or not federation) else [], federation=federation,
                           meeting_ids=args.meeting, member_filter=flt, columns=_columns(args.columns),
                           unmasked=args.unmasked, blank=args.blank, per_file=args.per_file)

        if args.copies is not None:
            req.extra["copies"] = args.copies

        def progress(done: int, total: int, what: str) -> None:
            if not args.quiet:
                print(f"\r[{done}/{total}] {what[:40]:<40}", end="", file=sys.stderr, flush=True)

        try:
            files = run(db, req, Path(args.out), progress=progress)
        finally:
            if not args.quiet:
                print(file=sys.stderr)  # end the progress line, so an error starts on its own
    finally:
        db.close()
    pages = _count_pages(files)
    if args.form == "binder":  # a binder is sent by mail or messenger: say how big each file is
        for f in files:
            print(f"{f.name}：{_count_pages([f])} 页，{f.stat().st_size / 1024 / 1024:.1f} MB")
        for w in req.extra.get("warnings", []):
            print(f"提示：{w}", file=sys.stderr)
    if len(files) == 1:
        print(f"已生成：{files[0]}（{pages} 页）")
    else:
        print(f"已生成 {len(files)} 个文件（共 {pages} 页），位于：{files[0].parent}")
    return 0


def _count_pages(files: list[Path]) -> int:
    import re

    n = 0
    for f in files:
        # reportlab writes one `/Type /Page` object per page; no PDF reader needed for a count.
        n += len(re.findall(rb"/Type /Page\b(?!s)", f.read_bytes()))
    return n
