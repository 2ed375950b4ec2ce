"""`backup`, `restore`, `check-db` and `users`: keeping the data file safe from the command line."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session

from chamberdesk.cli import ask_password, login_if_needed, open_db
from chamberdesk.core import accounts, backup, integrity, lockfile
from chamberdesk.core.choices import Role
from chamberdesk.core.db import Database, open_database
from chamberdesk.core.errors import ChamberDeskError, DataFileError

NEW_PASSWORD_ENV = "CHAMBERDESK_NEW_PASSWORD"


def _target(args: argparse.Namespace) -> Path:
    from chamberdesk.cli.data import db_target

    t = db_target(args)
    if "://" in t:
        raise ChamberDeskError("服务器数据库请用数据库自身的工具备份和恢复（例如 pg_dump / pg_restore）。")
    return Path(t)


def register(sub: argparse._SubParsersAction) -> None:
    from chamberdesk.cli import add_db_argument

    p = sub.add_parser("backup", help="立即备份数据文件（在线备份，不影响正在使用的程序）")
    add_db_argument(p)
    p.add_argument("--out", help="备份到指定文件（默认：备份文件夹中按时间命名）")
    p.add_argument("--list", action="store_true", help="列出已有的备份，不新建")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="从备份恢复（先检查备份、保留当前文件的副本，再替换）")
    p.add_argument("file", help="备份文件；写 newest 表示最新的完好备份")
    add_db_argument(p)
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("check-db", help="全面检查数据文件是否完好（integrity_check）")
    add_db_argument(p)
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("users", help="用户与权限（默认不启用账户）")
    add_db_argument(p)
    us = p.add_subparsers(dest="users_command", metavar="操作")
    q = us.add_parser("list", help="列出用户")
    q.set_defaults(handler=cmd_users_list)
    q = us.add_parser("add", help="新增用户（密码从提示输入或环境变量 CHAMBERDESK_NEW_PASSWORD）")
    q.add_argument("username")
    q.add_argument("--role", default="录入员", help="管理员 / 录入员 / 只读")
    q.add_argument("--name", default="", help="显示名称")
    q.set_defaults(handler=cmd_users_add)
    q = us.add_parser("passwd", help="重设用户密码")
    q.add_argument("username")
    q.set_defaults(handler=cmd_users_passwd)
    q = us.add_parser("unlock", help="解除因密码错误造成的锁定")
    q.add_argument("username")
    q.set_defaults(handler=cmd_users_unlock)
    q = us.add_parser("enable", help="启用账户（需指定一名管理员）")
    q.add_argument("admin", help="管理员用户名（不存在则新建）")
    q.set_defaults(handler=cmd_users_enable)
    q = us.add_parser("disable", help="停用账户（恢复为单人使用）")
    q.set_defaults(handler=cmd_users_disable)
    p.set_defaults(handler=lambda a: (p.print_help(), 0)[1])


def cmd_backup(args: argparse.Namespace) -> int:
    path = _target(args)
    if not path.exists():
        raise DataFileError(f"找不到数据文件 {path}。")
    # a backup is a full copy, personal numbers included: with accounts on, only a user allowed to back up
    open_db(args, "view" if args.list else "backup").close()
    if args.list:
        items = backup.list_backups(path)
        if not items:
            print(f"还没有备份（备份文件夹：{backup.backup_dir(path)}）")
        for b in items:
            print(f"{backup.describe(b)}　{b.path}")
        return 0
    out = backup.make_backup(path, out=args.out, reason="manual")
    print(f"已备份到：{out}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    path = _target(args)
    if args.file == "newest":
        found = backup.newest_good_backup(path)
        if found is None:
            raise DataFileError(f"在 {backup.backup_dir(path)} 中没有找到完好的备份。")
        source = found.path
    else:
        source = Path(args.file)
        try:
            backup.verify_backup(source)
        except DataFileError as exc:
            raise DataFileError(f"{exc} 查看已有备份：chamberdesk backup --list --db \"{path}\"；"
                                f"恢复最近一份完好的备份：chamberdesk restore newest --db \"{path}\"。") from exc
    with lockfile.acquire(path):
        if path.exists() and integrity.quick_check(path).ok:
            # The current file reads: its accounts decide who may restore over it.
            try:
                db = open_database(path)
            except DataFileError:
                db = None
            if db is not None:
                try:
                    login_if_needed(db, args.user)
                    accounts.require(db, "restore")
                finally:
                    db.close()
        kept = backup.restore(source, path)
    print(f"已从 {source.name} 恢复。" + (f"原数据文件已保留为：{kept}" if kept else ""))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    path = _target(args)
    if not path.exists():
        raise DataFileError(f"找不到数据文件 {path}。")
    res = integrity.integrity_check(path)
    print(res.message(f"数据文件“{path.name}”"))
    warn = integrity.location_warning(path)
    if warn:
        print(f"注意：{warn}")
    if not res.ok:
        good = backup.newest_good_backup(path)
        if good:
            print(f"最新的完好备份：{good.path}（{backup.describe(good)}）")
            print(f"恢复命令：chamberdesk restore newest --db \"{path}\"")
        return 1
    return 0


def _admin_db(args: argparse.Namespace) -> Database:
    db = open_database(_target(args))
    try:
        login_if_needed(db, args.user)
        accounts.require(db, "manage_users")
    except BaseException:
        db.close()
        raise
    return db


def cmd_users_list(args: argparse.Namespace) -> int:
    db = _admin_db(args)
    try:
        with db.session() as s:
            on = accounts.accounts_enabled(s)
            users = accounts.list_users(s)
    finally:
        db.close()
    print("账户：" + ("已启用" if on else "未启用（单人使用，不需登录）"))
    for u in users:
        role = Role.parse(u.role)
        state = "" if u.active else "（已停用）"
        print(f"{u.username}\t{u.display_name}\t{role.label if role else u.role}{state}")
    return 0


def _write(args: argparse.Namespace, fn: Callable[[Session], object]) -> None:
    db = _admin_db(args)
    try:
        with db.transaction() as s:
            fn(s)
    finally:
        db.close()


def cmd_users_add(args: argparse.Namespace) -> int:
    pw = ask_password(NEW_PASSWORD_ENV, f"{args.username} 的新密码：")
    _write(args, lambda s: accounts.create_user(s, args.username, pw, args.role, args.name))
    print(f"已新增用户 {args.username}。")
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    pw = ask_password(NEW_PASSWORD_ENV, f"{args.username} 的新密码：")
    _write(args, lambda s: accounts.set_password(s, args.username, pw))
    print(f"已重设 {args.username} 的密码。")
    return 0


def cmd_users_unlock(args: argparse.Namespace) -> int:
    _write(args, lambda s: accounts.unlock_user(s, args.username))
    print(f"已解除 {args.username} 的锁定。")
    return 0


def cmd_users_enable(args: argparse.Namespace) -> int:
    db = open_database(_target(args))
    try:
        with db.session() as s:
            exists = accounts.find_user(s, args.admin) is not None
        pw = None if exists else ask_password(NEW_PASSWORD_ENV, f"管理员 {args.admin} 的密码：")
        if accounts.prepare(db):
            login_if_needed(db, args.user)
            accounts.require(db, "manage_users")
        with db.transaction() as s:
            accounts.enable_accounts(s, args.admin, pw)
    finally:
        db.close()
    print(f"已启用账户，管理员：{args.admin}。以后打开程序需要登录。")
    return 0


def cmd_users_disable(args: argparse.Namespace) -> int:
    _write(args, accounts.disable_accounts)
    print("已停用账户：打开程序不再需要登录。")
    return 0
