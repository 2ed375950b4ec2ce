"""The `chamberdesk` command. Thin: parses arguments and calls services.

Each command group lives in its own module here and exposes `register(subparsers)`; add the
module's name to COMMAND_MODULES. A handler returns an exit code; a `ChamberDeskError` becomes one
Chinese line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from chamberdesk import __version__
from chamberdesk.core.errors import ChamberDeskError

COMMAND_MODULES = ["data", "printing", "ship", "excel", "rubrics", "safety"]


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse speaking Chinese (headings, -h, usage errors), exit code 2 on bad arguments."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误：{_chinese(message)}\n")


# argparse's own messages, in the words a clerk reads
_ARGPARSE_WORDS = [
    ("unrecognized arguments: ", "无法识别的参数："),
    ("the following arguments are required: ", "缺少必需的参数："),
    ("invalid choice: ", "取值无效："),
    (" (choose from ", "（可选："),
    ("expected one argument", "需要一个值"),
    ("invalid int value:", "应为整数："),
    ("invalid float value:", "应为数字："),
    ("not allowed with argument", "不能与以下参数同时使用："),
    ("argument ", "参数 "),
]


def _chinese(message: str) -> str:
    for en, zh in _ARGPARSE_WORDS:
        message = message.replace(en, zh)
    return message


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="chamberdesk", description="商会台账：县级工商联会员与商会台账、考评、打印与上报。"
                "不带子命令时打开图形界面。")
    p.add_argument("--version", action="version", version=f"chamberdesk {__version__}", help="显示版本号并退出")
    p.add_argument("--db", help="数据文件路径或数据库地址（默认：用户数据文件夹中的 chamberdesk.db）")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"chamberdesk.cli.{name}").register(sub)
    return p


def add_db_argument(p: argparse.ArgumentParser, required: bool = False) -> None:
    p.add_argument("--db", required=required, default=argparse.SUPPRESS,
                   help="数据文件路径，或 postgresql:// 开头的数据库地址")


def _window_only(argv: list[str]) -> argparse.Namespace | None:
    """`chamberdesk` or `chamberdesk --db X` opens the window: skip loading every command's module
    (printing and export pull in reportlab and openpyxl, half a second of start-up)."""
    if not argv:
        return argparse.Namespace(command=None, db=None)
    if len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"):
        return argparse.Namespace(command=None, db=argv[1])
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    window = _window_only(argv)
    if window is not None:
        return _launch_gui(window)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return _launch_gui(args)
    try:
        return int(args.handler(args) or 0)
    except ChamberDeskError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"错误：文件操作失败（{exc.strerror or exc}）：{exc.filename or ''}", file=sys.stderr)
        return 2


def _launch_gui(args: argparse.Namespace) -> int:
    try:
        gui = importlib.import_module("chamberdesk.gui.app")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("chamberdesk.gui"):
            print("图形界面尚未安装，请使用子命令（chamberdesk --help）。", file=sys.stderr)
            return 2
        raise
    return int(gui.run(db=args.db))
