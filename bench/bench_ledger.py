"""Benchmark the member ledger at 100,000 members: page open to first rows, and filter latency vs raw SQLite.

Run:  QT_QPA_PLATFORM=offscreen python bench/bench_ledger.py [--members 100000] [--rebuild] [--quick]
The data file is built once (bulk insert through SQLAlchemy core, not the services) and cached in the
system temp folder; --quick uses 500 members in a throwaway file and opens the page once (the test
suite runs it so the bench cannot silently stop working). Prints figures; asserts nothing (targets: first rows < 300 ms, filter p95 < 100 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建国志华红梅海燕文斌春晓东德福宏"
BRANDS = "鑫隆昌盛宏源兴达恒通华泰瑞丰永信聚德金富嘉禾博远万福天辉成润"
TRADES = ["纺织", "建筑工程", "物流", "商贸", "餐饮", "家政服务", "房地产开发", "农业科技", "信息技术", "装饰工程",
          "汽车销售", "文化传媒", "医药", "机械制造", "食品"]
INDUSTRIES = "ABCDEFGHIJKLMNOPQRS"
POLITICAL = ["cpc", "masses", "nonpartisan", "cndca", "cyl", None]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _b31(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, r = divmod(n, 31)
        out.append(USCC_ALPHABET[r])
    return "".join(reversed(out))


def build(path: Path, n: int) -> None:
    from sqlalchemy import insert

    from chamberdesk.core.db import open_database
    from chamberdesk.core.models import Chamber, Member, Membership
    from chamberdesk.core.validators import credit_code_check_char, id_check_digit

    rnd = random.Random(7)
    db = open_database(path, create=True)
    t0 = time.perf_counter()
    today = date.today()
    with db.transaction() as s:
        s.execute(insert(Chamber), [{"name": f"第{i + 1}商会", "kind": "township" if i < 12 else "industry",
                                     "status": "active", "version": 1} for i in range(30)])
        chamber_ids = [r[0] for r in s.execute(Chamber.__table__.select().with_only_columns(Chamber.__table__.c.id))]
        rows, seats = [], []
        for i in range(n):
            body = "91130534MA" + _b31(i, 7)
            birth = date(1955, 1, 1) + timedelta(days=i % 15000)
            id17 = f"130534{birth:%Y%m%d}{i // 15000:03d}"
            join = today - timedelta(days=rnd.randint(30, 6000))
            left = join + timedelta(days=rnd.randint(10, 25)) if rnd.random() < 0.05 and join < today - timedelta(days=40) else None
            rows.append({
                "kind": "enterprise" if rnd.random() < 0.9 else "personal",
                "enterprise_name": f"清河县{rnd.choice(BRANDS)}{rnd.choice(BRANDS)}{rnd.choice(TRADES)}有限公司",
                "credit_code": body + credit_code_check_char(body),
                "legal_rep": rnd.choice(SURNAMES) + rnd.choice(GIVEN),
                "rep_name": rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if rnd.random() < 0.6 else ""),
                "rep_gender": rnd.choice("MF"), "rep_birth_date": birth,
                "rep_id_number": id17 + id_check_digit(id17),
                "rep_political_status": rnd.choice(POLITICAL),
                "rep_phone": f"1{rnd.choice('3578')}{rnd.randint(0, 999999999):09d}",
                "industry": rnd.choice(INDUSTRIES), "size_class": rnd.choice(["above", "sme", "individual"]),
                "tags": rnd.choice(["", "", "", "年轻一代", "先进制造业", "现代服务业,高新技术"]),
                "join_date": join, "leave_date": left, "leave_reason": "企业注销" if left else None,
                "version": 1,
            })
        s.execute(insert(Member), rows)
        member_ids = [r[0] for r in s.execute(Member.__table__.select().with_only_columns(Member.__table__.c.id))]
        for mid in member_ids:
            seats.append({"member_id": mid, "chamber_id": rnd.choice(chamber_ids), "position": "member"})
        s.execute(insert(Membership), seats)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"建立 {n} 家会员的数据文件用时 {time.perf_counter() - t0:.1f} 秒：{path}")


def queries(path: Path, k: int = 50) -> list[str]:
    """What clerks type: a person's name, part of a company name, a credit-code tail, a phone tail."""
    con = sqlite3.connect(path)
    sample = con.execute("SELECT enterprise_name, credit_code, rep_name, rep_phone FROM member "
                         "ORDER BY random() LIMIT 200").fetchall()
    con.close()
    rnd = random.Random(3)
    out = []
    for i in range(k):
        name, code, rep, phone = sample[i]
        kind = i % 5
        if kind == 0:
            out.append(rep[:2])
        elif kind == 1:
            out.append(name[3:5])
        elif kind == 2:
            out.append(code[-6:].lower())
        elif kind == 3:
            out.append(phone[-7:])
        else:
            out.append(rnd.choice(TRADES))
    return out


RAW_SQL = ("SELECT id FROM member WHERE deleted_at IS NULL AND leave_date IS NULL AND instr(search_text, :u) > 0 "
           "ORDER BY id")  # what the ledger sends, as SQLite's own client would


def raw_query(con: sqlite3.Connection, q: str, page: int) -> int:
    ids = [r[0] for r in con.execute(RAW_SQL, {"u": q.upper()})]
    first = ids[:page]
    if first:
        marks = ",".join("?" * len(first))
        con.execute(f"SELECT * FROM member WHERE id IN ({marks})", first).fetchall()
        con.execute(f"SELECT m.member_id, c.name FROM membership m CROSS JOIN chamber c ON c.id = m.chamber_id "
                    f"WHERE m.member_id IN ({marks}) AND m.end_date IS NULL", first).fetchall()
    return len(ids)


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--quick", action="store_true", help="500 members, one opening: proves the bench still works")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cd-bench-") as tmp:  # holds the quick run's data file
        if args.quick:
            path = Path(tmp) / "ledger-quick.db"
            build(path, 500)
            return measure(path, opens=1)
        path = Path(tempfile.gettempdir()) / "chamberdesk-bench" / f"ledger-{args.members}.db"
        if args.rebuild and path.exists():
            path.unlink()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            build(path, args.members)
        return measure(path, opens=3)


def measure(path: Path, *, opens: int) -> int:
    """Open the ledger page `opens` times, then filter 50 times, beside the same queries in raw SQLite."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(path.parent / "settings"))
    from chamberdesk.core.db import open_database
    from chamberdesk.gui.app import make_app
    from chamberdesk.gui.context import AppContext
    from chamberdesk.gui.pages.members import Page
    from chamberdesk.gui.qtmodels.member_table import PAGE_SIZE

    app = make_app()
    db = open_database(path)
    ctx = AppContext(db)
    with db.session() as s:  # warm the connection pool and the OS file cache, as a running app would be
        from chamberdesk.core.members import MemberFilter, count_members

        total = count_members(s, MemberFilter(status=None))

    def painted(page: Page) -> None:
        QApplication.processEvents()
        if page.model.pages_loaded == 0:  # offscreen may defer painting: force the visible rows
            page.table.viewport().grab()

    times = []
    for _ in range(opens):
        t0 = time.perf_counter()
        page = Page(ctx)
        page.resize(1300, 800)
        page.show()
        painted(page)
        times.append((time.perf_counter() - t0) * 1000)
        assert page.model.pages_loaded >= 1
        rows = page.model.rowCount()
        page.close()
        page.deleteLater()
        QApplication.processEvents()
    con = sqlite3.connect(path)
    t0 = time.perf_counter()
    raw_query(con, "", PAGE_SIZE)
    raw_open = (time.perf_counter() - t0) * 1000

    page = Page(ctx)
    page.resize(1300, 800)
    page.show()
    painted(page)
    gui_ms, raw_ms, hits = [], [], []
    for q in queries(path):
        t0 = time.perf_counter()
        page.search.blockSignals(True)  # measure the query, not the 150 ms typing pause
        page.search.setText(q)
        page.search.blockSignals(False)
        loaded = page.model.pages_loaded
        page.apply_filters()
        painted(page)
        gui_ms.append((time.perf_counter() - t0) * 1000)
        assert page.model.rowCount() == 0 or page.model.pages_loaded > loaded
        t0 = time.perf_counter()
        n = raw_query(con, q, PAGE_SIZE)
        raw_ms.append((time.perf_counter() - t0) * 1000)
        hits.append(n)
        assert n == page.model.rowCount(), (q, n, page.model.rowCount())

    p50, p95 = statistics.median(gui_ms), pct(gui_ms, 95)
    r50, r95 = statistics.median(raw_ms), pct(raw_ms, 95)
    print(f"会员总数 {total}（在册 {rows}）")
    print(f"打开会员台账到显示首批行：中位 {statistics.median(times):.0f} ms"
          f"（{opens} 次：{', '.join(f'{x:.0f}' for x in times)}）；"
          f"直接 SQLite 同等查询 {raw_open:.0f} ms；目标 < 300 ms")
    print(f"输入筛选 50 次（命中 {min(hits)}–{max(hits)} 条）：p50 {p50:.1f} ms，p95 {p95:.1f} ms；"
          f"直接 SQLite p50 {r50:.1f} ms，p95 {r95:.1f} ms；比值 p50 {p50 / r50:.2f}×，p95 {p95 / r95:.2f}×；"
          "目标 p95 < 100 ms")
    page.close()
    con.close()
    db.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
