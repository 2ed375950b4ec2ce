"""Backup, restore and checks on a data file with 100,000 members: prints seconds for each step.

Run: python bench/bench_backup.py [members] [--quick]   (--quick: 1,000 members, for the test suite)
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert

from chamberdesk.core import backup, integrity
from chamberdesk.core.db import open_database
from chamberdesk.core.models import Member


def main(n: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.db", create=True)
        now = datetime.now().replace(microsecond=0)
        rows = [{"kind": "enterprise", "enterprise_name": f"某某县第{i}号商贸有限公司", "rep_name": "张三",
                 "rep_phone": "13800138000", "notes": "备注" * 10, "tags": "", "created_at": now,
                 "updated_at": now, "version": 1} for i in range(n)]
        with db.transaction() as s:
            s.execute(insert(Member), rows)
        print(f"{n} members, {os.path.getsize(db.path) / 1e6:.1f} MB")
        steps = (("quick_check", lambda: integrity.quick_check(db.path)),
                 ("integrity_check", lambda: integrity.integrity_check(db.path)),
                 ("backup (online API)", lambda: backup.make_backup(db)),
                 ("newest_good_backup", lambda: backup.newest_good_backup(db.path)))
        for name, fn in steps:
            t = time.perf_counter()
            fn()
            print(f"{name}: {time.perf_counter() - t:.2f} s")
        newest = backup.list_backups(db.path)[0].path
        db.close()
        t = time.perf_counter()
        backup.restore(newest, db.path)
        print(f"restore (check, keep current, replace): {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        open_database(db.path).close()
        print(f"open with quick_check: {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("members", nargs="?", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true", help="1,000 members: proves the bench still works")
    args = ap.parse_args()
    main(1_000 if args.quick else args.members)
