"""`selfcheck` (is this installation complete?) and `migrate-data` (SQLite file ⇄ PostgreSQL server)."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from chamberdesk.core.errors import ChamberDeskError

if TYPE_CHECKING:
    from chamberdesk.core.db import Database


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("selfcheck", help="检查本机安装是否完整（数据文件、考评标准、PDF、Excel、界面）")
    p.add_argument("--no-gui", action="store_true", help="不检查图形界面部分")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.set_defaults(handler=cmd_selfcheck)

    p = sub.add_parser("migrate-data", help="把全部数据从一个数据库复制到另一个（数据文件 ⇄ 数据库服务器）")
    p.add_argument("--from", dest="src", required=True, metavar="源",
                   help="源：数据文件路径，或 postgresql://用户@服务器/数据库")
    p.add_argument("--to", dest="dst", required=True, metavar="目标",
                   help="目标：新的数据文件路径，或空的 postgresql:// 数据库")
    p.add_argument("--no-files", action="store_true", help="不复制凭证文件")
    p.set_defaults(handler=cmd_migrate_data)


# --- selfcheck ------------------------------------------------------------------------------------


class _Checks:
    def __init__(self) -> None:
        self.results: list[dict[str, object]] = []

    def run(self, name: str, fn: Callable[[], str]) -> None:
        t0 = time.perf_counter()
        try:
            detail, ok = fn(), True
        except Exception as exc:  # a self-check reports every failure, it never stops at the first
            detail, ok = f"{type(exc).__name__}: {exc}", False
        self.results.append({"name": name, "ok": ok, "detail": detail,
                             "seconds": round(time.perf_counter() - t0, 3)})

    @property
    def ok(self) -> bool:
        return all(r["ok"] for r in self.results)


def _check_data_file(folder: Path) -> str:
    from chamberdesk.core import members
    from chamberdesk.core.db import open_database
    from chamberdesk.core.models import Member

    db = open_database(folder / "selfcheck.db", create=True, user="selfcheck")
    try:
        with db.transaction() as s:
            m = members.create_member(s, {"kind": "enterprise", "enterprise_name": "自检测试企业有限公司"})
        with db.transaction() as s:
            assert m.id is not None
            members.update_member(s, m.id, {"notes": "自检"}, expected_version=m.version)
        with db.session() as s:
            back = s.get(Member, m.id)
            assert back is not None and back.notes == "自检" and back.version == 2, "写入后读回不一致"
    finally:
        db.close()
    return "新建、迁移、写入、读回正常"


def _check_rubrics() -> str:
    from chamberdesk.paths import rubric_data_dir

    folder = rubric_data_dir()
    if not folder.is_dir():
        raise ChamberDeskError(f"缺少考评标准文件夹 {folder.name}")
    try:
        from chamberdesk.rules.loader import list_rubrics, rubric_files
    except ImportError:  # the rules package predates this build: parse the files directly
        import tomllib

        files = sorted(folder.glob("*.toml"))
        for f in files:
            tomllib.loads(f.read_text(encoding="utf-8"))
        return f"{len(files)} 个考评标准文件可读取"
    errors: list = []
    rubrics = list_rubrics(errors=errors)
    shipped = [p for p, user in rubric_files().values() if not user]
    if errors:
        raise ChamberDeskError("；".join(str(e) for e in errors))
    if shipped and not rubrics:
        raise ChamberDeskError("考评标准一个也没有载入")
    return f"{len(rubrics)} 个考评标准已载入（随程序 {len(shipped)} 个）：" + "、".join(
        getattr(r, "title", "") or getattr(r, "id", "") for r in rubrics)


def _font_file() -> Path:
    from chamberdesk.paths import resources_dir

    for name in ("NotoSansSC-Regular.ttf", "wqy-zenhei.ttc"):
        p = resources_dir() / "fonts" / name
        if p.is_file():
            return p
    for p in (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), Path("C:/Windows/Fonts/simhei.ttf")):
        if p.is_file():
            return p
    raise ChamberDeskError("找不到可嵌入的中文字体（resources/fonts 中应有 NotoSansSC-Regular.ttf）")


def _check_pdf(folder: Path) -> str:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = _font_file()
    pdfmetrics.registerFont(TTFont("SelfCheckCJK", str(font)))
    out = folder / "selfcheck.pdf"
    c = canvas.Canvas(str(out), pagesize=A4)
    c.setFont("SelfCheckCJK", 16)
    c.drawString(72, 760, "商会台账 自检：会员台账、会议活动、考评、打印、上报")
    c.setFont("SelfCheckCJK", 11)
    c.drawString(72, 730, "清河县工商联 · 县温州商会 · 统一社会信用代码 91130534MA0000001X")
    c.showPage()
    c.save()
    data = out.read_bytes()
    if not data.startswith(b"%PDF") or b"/FontFile2" not in data:
        raise ChamberDeskError("PDF 未嵌入中文字体")
    return f"一页 PDF，{len(data) // 1024} KB，嵌入字体 {font.name}"


def _check_xlsx(folder: Path) -> str:
    from openpyxl import Workbook, load_workbook

    out = folder / "selfcheck.xlsx"
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = "会员台账"
    rows = [("企业名称", "代表人", "入会日期"), ("清河县恒信机械制造有限公司", "王伟", "2020-03-01")]
    for row in rows:
        ws.append(row)
    wb.save(out)
    book = load_workbook(out, read_only=True)
    try:
        back = [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()  # a read-only workbook keeps its file open (Windows could not delete the folder)
    if back != rows:
        raise ChamberDeskError(f"Excel 读回内容不一致：{back}")
    readers = ["openpyxl"]
    try:
        from python_calamine import CalamineWorkbook

        with CalamineWorkbook.from_path(str(out)) as calamine_book:
            sheet = calamine_book.get_sheet_by_name("会员台账").to_python()
        if [tuple(r) for r in sheet] != rows:
            raise ChamberDeskError("Excel（calamine）读回内容不一致")
        readers.append("calamine")
    except ImportError:
        pass
    return f"写入并读回 {len(rows)} 行（{'、'.join(readers)}）"


def _check_server_driver() -> str:
    try:
        import psycopg
    except ImportError:
        return "未安装 PostgreSQL 驱动：只能使用本机数据文件"
    return f"PostgreSQL 驱动 psycopg {psycopg.__version__}（{psycopg.pq.__impl__}），{_password_store()}"


def _password_store() -> str:
    """Where a server password would be kept (on Windows: the Credential Manager, via pywin32-ctypes)."""
    try:
        import keyring
        from keyring.backends.fail import Keyring as FailKeyring

        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001  any failure means: no keyring here
        backend = None
    if backend is None or isinstance(backend, FailKeyring):
        return "系统钥匙串不可用（连接服务器时每次输入密码）"
    names = [f"{type(b).__module__}.{type(b).__name__}" for b in getattr(backend, "backends", [backend])]
    return f"密码保存于系统钥匙串（{'、'.join(names)}）"


def _check_gui(folder: Path) -> str:
    # the window's half of the check belongs to the gui package; like the window itself it is reached
    # at run time, so the command line never imports Qt (the layer contract in pyproject.toml)
    return str(importlib.import_module("chamberdesk.gui.selfcheck").check_gui(folder))


def cmd_selfcheck(args: argparse.Namespace) -> int:
    from chamberdesk import __version__

    checks = _Checks()
    with tempfile.TemporaryDirectory(prefix="chamberdesk-selfcheck-") as tmp:
        folder = Path(tmp)
        checks.run("数据文件", lambda: _check_data_file(folder))
        checks.run("考评标准", _check_rubrics)
        checks.run("PDF（中文）", lambda: _check_pdf(folder))
        checks.run("Excel", lambda: _check_xlsx(folder))
        checks.run("数据库服务器驱动", _check_server_driver)
        if not args.no_gui:
            checks.run("图形界面", lambda: _check_gui(folder))
    frozen = bool(getattr(sys, "frozen", False))
    if args.json:
        print(json.dumps({"version": __version__, "frozen": frozen, "ok": checks.ok, "checks": checks.results},
                         ensure_ascii=False))
    else:
        print(f"商会台账 {__version__} 自检（{'安装版' if frozen else '源代码'}）")
        for r in checks.results:
            print(f"  [{'通过' if r['ok'] else '失败'}] {r['name']}：{r['detail']}（{r['seconds']} 秒）")
        print("自检通过。" if checks.ok else "自检未通过：请把以上内容发给技术支持。")
    return 0 if checks.ok else 1


# --- migrate-data ---------------------------------------------------------------------------------


def _open(target: str, *, create: bool) -> Database:
    from chamberdesk.core.db import open_database
    from chamberdesk.core.server import ServerAddress, is_server_url, load_password

    if is_server_url(target):
        from sqlalchemy.engine import make_url

        from chamberdesk.core.server import normalise_url

        url = make_url(normalise_url(target))
        if url.password is None and not os.environ.get("PGPASSWORD"):
            pw = load_password(ServerAddress.from_url(target))
            if pw:
                url = url.set(password=pw)
        return open_database(url.render_as_string(hide_password=False), create=create)
    p = Path(target).expanduser()
    if not create and not p.exists():
        raise ChamberDeskError(f"找不到源数据文件 {p}")
    return open_database(p, create=create)


def _label(table: str) -> str:
    from chamberdesk.core.models import AUDITED_TABLES

    return {"audit_log": "审计日志"}.get(table) or AUDITED_TABLES.get(table) or table


def cmd_migrate_data(args: argparse.Namespace) -> int:
    from chamberdesk.core.server import is_server_url, redact
    from chamberdesk.core.transfer import copy_database, verify_counts

    if args.src == args.dst:
        raise ChamberDeskError("源和目标是同一个数据库。")
    if not is_server_url(args.dst):
        dst_path = Path(args.dst).expanduser()
        if dst_path.exists() and dst_path.stat().st_size > 0:
            raise ChamberDeskError(f"目标数据文件 {dst_path} 已存在，为防止覆盖，未作任何改动。请指定一个新文件名。")
    src = _open(args.src, create=False)
    try:
        dst = _open(args.dst, create=True)
        try:
            print(f"正在复制：{redact(args.src)} → {redact(args.dst)}", file=sys.stderr)
            report = copy_database(src, dst, copy_files=not args.no_files)
            mismatched = verify_counts(src, dst)
        finally:
            dst.close()
    finally:
        src.close()
    if mismatched:
        detail = "、".join(f"{_label(k)}（源 {a}，目标 {b}）" for k, (a, b) in mismatched.items())
        raise ChamberDeskError(f"复制后核对条数不符：{detail}")
    for table, n in report.counts.items():
        if n:
            print(f"  {_label(table)}：{n}")
    print(f"已复制 {report.total} 条记录，各表条数核对一致。")
    if report.files_copied:
        print(f"凭证文件：复制 {report.files_copied} 个。")
    if report.files_missing:
        print(f"注意：有 {len(report.files_missing)} 个凭证文件在源文件夹中找不到，未复制。")
    return 0
