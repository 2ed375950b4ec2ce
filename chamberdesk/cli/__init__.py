"""The `chamberdesk` command. Thin: parses arguments and calls services.

Each command group lives in its own module here and exposes `register(subparsers)`; list the
module and its command names in COMMAND_MODULES. Only the module of the command being run is
imported (reportlab, openpyxl and the rest load only when a command needs them); `--help` loads all. A handler returns an exit code; a `ChamberDeskError` becomes one
Chinese line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import gc
import getpass
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from chamberdesk import __version__
from chamberdesk.core.errors import ChamberDeskError

COMMAND_MODULES = {
    "data": ("init", "info"),
    "excel": ("import", "export", "package", "consolidate"),
    "rubrics": ("rubrics", "check"),
    "printing": ("print",),
    "safety": ("backup", "restore", "check-db", "users"),
    "ship": ("selfcheck", "migrate-data"),
    "yearend": ("tally", "yearend"),
    "rollcall": ("rollcall",),
}


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
        # one line, as every other error: the usage text would bury it (--help shows it on request)
        self.exit(2, f"参数错误：{_chinese(message)}（用法见 {self.prog} --help）\n")


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


def _modules_for(argv: Sequence[str]) -> list[str]:
    """The module that defines the command in argv; none to open the GUI; all for help or a typo."""
    words, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a in ("--db", "--open-package"):  # options whose value is a path, not a command
            skip = True
        elif not a.startswith("-"):
            words.append(a)
    for module, commands in COMMAND_MODULES.items():
        if words and words[0] in commands:
            return [module]
    if not words and not {"-h", "--help"} & set(argv):
        return []
    return list(COMMAND_MODULES)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    p = _Parser(prog="chamberdesk", description="商会台账：县级工商联会员与商会台账、考评、打印与上报。"
                "不带子命令时打开图形界面。")
    p.add_argument("--version", action="version", version=f"chamberdesk {__version__}", help="显示版本号并退出")
    p.add_argument("--db", help="数据文件路径或数据库地址（默认：用户数据文件夹中的 chamberdesk.db）")
    p.add_argument("--open-package", metavar="数据包", help="打开窗口后在“报表与导出 → 上报数据包”中汇总查看这个数据包（.zip）")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for name in COMMAND_MODULES if argv is None else _modules_for(argv):
        importlib.import_module(f"chamberdesk.cli.{name}").register(sub)
    return p


def year_value(text: str) -> int:
    """argparse type for --year: a four-digit year; which years a data file can report on is checked later."""
    text = text.strip()
    if not (len(text) == 4 and text.isdigit()):
        raise argparse.ArgumentTypeError(f"年度应为四位数字的年份，如 2025，而不是“{text}”")
    return int(text)


def checked_year(db, year: int | None) -> int | None:  # type: ignore[no-untyped-def]
    """The year if this data file can report on it (core.periods.check_year), else one-line ChamberDeskError."""
    if year is None:
        return None
    from chamberdesk.core.periods import check_year

    with db.session() as s:
        return check_year(s, year)


PASSWORD_ENV = "CHAMBERDESK_PASSWORD"


def add_db_argument(p: argparse.ArgumentParser, required: bool = False) -> None:
    p.add_argument("--db", required=required, default=argparse.SUPPRESS,
                   help="数据文件路径，或 postgresql:// 开头的数据库地址")
    p.add_argument("--user", help=f"数据文件启用账户时：用户名（密码从提示输入或环境变量 {PASSWORD_ENV}）")


def ask_password(env: str, prompt: str) -> str:
    pw = os.environ.get(env)
    if pw is not None:
        return pw
    if not sys.stdin.isatty():
        raise ChamberDeskError(f"请在终端中运行以输入密码，或设置环境变量 {env}。")
    return getpass.getpass(prompt)


def login_if_needed(db, username: str | None) -> None:  # type: ignore[no-untyped-def]
    """With accounts on, every command acts as a logged-in user, as the GUI does."""
    from chamberdesk.core import accounts

    if not accounts.prepare(db):
        return
    if not username:
        raise ChamberDeskError("本数据文件已启用账户：请用 --user 用户名 登录（密码从提示输入或环境变量 "
                               f"{PASSWORD_ENV}）。")
    accounts.login(db, username, ask_password(PASSWORD_ENV, f"{username} 的密码："))


def open_db(args: argparse.Namespace, action: str = "view"):  # type: ignore[no-untyped-def]
    """Open the command's data file, log in when accounts are on, and check `action` is allowed."""
    from chamberdesk.cli.data import db_target
    from chamberdesk.core import accounts
    from chamberdesk.core.db import open_database

    db = open_database(db_target(args))
    try:
        login_if_needed(db, getattr(args, "user", None))
        accounts.require(db, action)
    except BaseException:
        db.close()
        raise
    return db


def _window_only(argv: list[str]) -> argparse.Namespace | None:
    """`chamberdesk` or `chamberdesk --db X` opens the window: skip loading every command's module
    (printing and export pull in reportlab and openpyxl, half a second of start-up)."""
    if not argv:
        return argparse.Namespace(command=None, db=None)
    if len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"):
        return argparse.Namespace(command=None, db=argv[1])
    return None


_OS_ERRORS = {
    errno.ENOENT: "找不到文件或文件夹", errno.EACCES: "没有权限，请检查文件是否被其他程序占用或设为只读",
    errno.EPERM: "没有权限", errno.ENOSPC: "磁盘空间不足", errno.EROFS: "磁盘为只读",
    errno.EISDIR: "这是文件夹，不是文件", errno.ENOTDIR: "路径中有一段不是文件夹",
}


def output_path(path: str) -> Path:
    """Where a command writes its file: the folder must exist, so a typo is one clear line, not a crash mid-write."""
    out = Path(path).expanduser()
    if not out.parent.is_dir():
        raise ChamberDeskError(f"文件夹“{out.parent}”不存在，请先建立该文件夹，或换一个保存位置。")
    if out.is_dir():
        raise ChamberDeskError(f"“{out}”是文件夹，请写出文件名，如 {out / '导出.xlsx'}")
    return out


def safe_streams() -> None:
    """Output never crashes on a character the code page lacks (a Chinese Windows' GBK has no ⇄, an
    English one's cp1252 no Chinese at all): into a pipe or file it is written as UTF-8; a console
    that cannot show a character shows a replacement mark. UTF-8 streams are left as they are."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None or not hasattr(stream, "reconfigure"):
            continue  # the window program (no console) has no streams
        if (stream.encoding or "").lower().replace("-", "") == "utf8":
            continue
        try:
            console = stream.isatty()
        except ValueError:  # closed
            continue
        if console:
            stream.reconfigure(errors="replace")
        else:
            stream.reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    safe_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    window = _window_only(argv)
    if window is not None:
        return _launch_gui(window)
    argv = list(argv) if argv is not None else sys.argv[1:]
    parser = build_parser(argv)
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
        why = _OS_ERRORS.get(exc.errno or 0, exc.strerror or str(exc))
        print(f"错误：文件操作失败（{why}）：{exc.filename or ''}", file=sys.stderr)
        return 2


def _launch_gui(args: argparse.Namespace) -> int:
    # Start-up allocates hundreds of thousands of long-lived objects (Qt bindings, SQLAlchemy, the
    # models); collecting them over and over finds nothing, so the collector waits until gui.app
    # has the data file open and then freezes what is there (see gui.app.run).
    gc.disable()
    try:
        gui = importlib.import_module("chamberdesk.gui.app")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("chamberdesk.gui"):
            print("图形界面尚未安装，请使用子命令（chamberdesk --help）。", file=sys.stderr)
            return 2
        raise
    return int(gui.run(db=args.db, package=getattr(args, "open_package", None)))
