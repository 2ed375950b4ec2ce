"""`init` and `info`: create a data file (optionally with the demo county) and count its records."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from chamberdesk.core.db import open_database
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.records import record_counts
from chamberdesk.paths import default_db_path


def db_target(args: argparse.Namespace) -> str:
    return getattr(args, "db", None) or str(default_db_path())


def register(sub: argparse._SubParsersAction) -> None:
    from chamberdesk.cli import add_db_argument

    p = sub.add_parser("init", help="新建数据文件（--demo 填入演示数据）")
    add_db_argument(p)
    p.add_argument("--demo", action="store_true", help="填入演示县的数据（同时给出 --name 和 --region-code 则生成另一个演示县，可用于试汇总）")
    p.add_argument("--name", help="本级工商联名称")
    p.add_argument("--region-code", help="行政区划代码（6位）")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("info", help="显示数据文件中各类记录的数量")
    add_db_argument(p)
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(handler=cmd_info)


def cmd_init(args: argparse.Namespace) -> int:
    target = db_target(args)
    if not args.demo and not args.name:
        raise ChamberDeskError("请用 --name 填写本级工商联名称（如 --name 清河县工商业联合会），或用 --demo 生成演示数据。")
    if args.demo and bool(args.name) != bool(args.region_code):
        raise ChamberDeskError("另建一个演示县时请同时给出 --name 和 --region-code（如 --name 故城县工商业联合会 --region-code 130523），"
                               "或两者都不给（清河县）。")
    if args.name:
        from chamberdesk.core.federation import validate_federation

        validate_federation({"name": args.name, "region_code": args.region_code or ""})
    if "://" not in target and Path(target).exists() and Path(target).stat().st_size > 0:
        raise ChamberDeskError(f"数据文件 {target} 已存在，未作改动。如需重建，请先备份并移走该文件。")
    db = open_database(target, create=True)
    try:
        if args.demo:
            from chamberdesk.rules.demo import build_demo

            build_demo(db, name=args.name, region_code=args.region_code)
        elif args.name:
            from chamberdesk.core.federation import save_federation

            with db.transaction() as s:
                save_federation(s, {"name": args.name, "region_code": args.region_code or ""})
        counts = record_counts(db)
    finally:
        db.close()
    print(f"已创建数据文件：{target}（会员 {counts['members']}，商会 {counts['chambers']}）")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from chamberdesk.cli import open_db

    db = open_db(args, "view")
    try:
        counts = record_counts(db)
    finally:
        db.close()
    if args.json:
        print(json.dumps(counts, ensure_ascii=False))
    else:
        labels = {"members": "会员", "active_members": "在册会员", "chambers": "商会", "meetings": "会议",
                  "activities": "活动", "contacts": "走访联系"}
        for k, v in counts.items():
            print(f"{labels[k]}：{v}")
    return 0
