"""`rubrics` and `check`: list the standards, and check chambers or the federation against one."""

from __future__ import annotations

import argparse
import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from chamberdesk.core.errors import ChamberDeskError


def register(sub: argparse._SubParsersAction) -> None:
    from chamberdesk.cli import add_db_argument, year_value

    p = sub.add_parser("rubrics", help="列出考评细则（内置的和本单位的）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(handler=cmd_rubrics)

    p = sub.add_parser("check", help="按考评细则检查商会或本级工商联")
    add_db_argument(p)
    p.add_argument("--rubric", required=True, help="考评细则编号，如 wuyou-wuhao（见 chamberdesk rubrics）")
    p.add_argument("--year", required=True, type=year_value, help="考评年度，如 2024")
    p.add_argument("--target", help="只检查这一个商会（名称）；不填则检查全部")
    p.add_argument("--inputs", help="填报值与评分文件（JSON 或 TOML），按商会名称、条目编号填写")
    p.add_argument("--as-of", help="按此日期判断年度是否结束（默认今天，格式 2024-12-31）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(handler=cmd_check)


def cmd_rubrics(args: argparse.Namespace) -> int:
    from chamberdesk import rules

    errors: list[rules.RubricError] = []
    items = rules.list_rubrics(errors=errors)
    if args.json:
        print(json.dumps([{"id": r.id, "title": r.title, "version": r.version, "target": r.target,
                           "years": [r.year_from, r.year_to], "user": r.user, "template": r.template}
                          for r in items], ensure_ascii=False))
    else:
        for r in items:
            mark = "（本单位）" if r.user else ("（模板）" if r.template else "")
            print(f"{r.id}\t{r.title}{mark}\t版本 {r.version}\t{rules.TARGET_LABELS[r.target]}\t{r.years_label}")
    for e in errors:
        print(f"警告：{e}", file=__import__("sys").stderr)
    return 0


def read_inputs(path: str) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        raise ChamberDeskError(f"找不到填报文件：{path}")
    text = p.read_text(encoding="utf-8-sig")
    if p.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ChamberDeskError(f"填报文件 {p.name} 不是有效的 TOML：{exc}") from exc
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ChamberDeskError(f"填报文件 {p.name} 不是有效的 JSON（第{exc.lineno}行）") from exc
    if not isinstance(data, dict):
        raise ChamberDeskError(f"填报文件 {p.name} 应为按商会名称分组的表")
    return data


def cmd_check(args: argparse.Namespace) -> int:
    from chamberdesk import rules
    from chamberdesk.cli import open_db
    from chamberdesk.core import periods

    rubric = rules.load_rubric(args.rubric)
    inputs = read_inputs(args.inputs) if args.inputs else None
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        raise ChamberDeskError(f"--as-of 日期格式应为 2024-12-31：{args.as_of}") from None
    db = open_db(args, "view")
    try:
        with db.session() as s:
            periods.check_year(s, args.year, today=as_of)
            targets = [args.target] if args.target and rubric.target == "chamber" else None
            # as the 考评 page shows them: 定稿 results as stored, drafts with their saved inputs
            current = rules.current_results(s, rubric, args.year, targets, inputs, as_of=as_of)
    finally:
        db.close()
    if args.json:
        print(json.dumps({"rubric": rubric.id, "version": rubric.version, "year": args.year,
                          "results": [{**c.result.to_public(), "finalised": c.finalised} for c in current]},
                         ensure_ascii=False))
        return 0
    print(f"{rubric.title}（{rubric.id}，版本 {rubric.version}）{args.year}年")
    for c in current:
        r = c.result
        state = "（已定稿）" if c.finalised else ("（草稿）" if c.saved is not None else "")
        print(r.summary() + state)
        for it in r.items:
            print(f"  [{it.status_label}] {it.explanation}")
    return 0
