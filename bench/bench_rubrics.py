"""Benchmark: every shipped rubric for 100, 200 and 300 chambers over one year (100,000 members, 30,000 activities).

Run: python bench/bench_rubrics.py [--rebuild]. The data file is built once with core inserts and cached
in the system's temporary folder. Prints seconds; the target is under 2 s for 300 chambers, growing
linearly with the number of chambers.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chamberdesk import rules  # noqa: E402
from chamberdesk.core.db import open_database  # noqa: E402
from chamberdesk.core.models import (  # noqa: E402
    Activity,
    Chamber,
    Contact,
    Federation,
    FederationBudget,
    Meeting,
    Member,
    Membership,
)

YEAR = 2025
CHAMBERS, MEMBERS, ACTIVITIES = 300, 100_000, 30_000
CACHE = Path(tempfile.gettempdir()) / "chamberdesk-bench-rubrics-v1.db"
KINDS = ["township", "subdistrict", "industry", "nonlocal", "building", "other"]
CATS = ["theory_study", "training", "charity", "gov_dialogue", "chamber_exchange", "legal", "villages",
        "investment", "trade", "mediation", "research", "publicity", "policy_advice"]
BODIES = ["general_assembly", "council", "president_office", "supervisory_board"]


def build(path: Path) -> None:
    r = random.Random(7)
    if path.exists():
        path.unlink()
    db = open_database(path, create=True)
    t0 = time.perf_counter()
    with db.transaction() as s:
        s.add(Federation(name="基准测试县工商联", staff_quota=4, staff_count=6, party_group=True, own_account=True,
                         office_area=80, fax_count=1, phone_count=2, copier_count=1, computer_count=3,
                         printer_count=2, car_count=1, private_enterprises=300_000))
        s.add(FederationBudget(year=YEAR, working_funds=80000, investment_funds=200000))
        s.execute(insert(Chamber), [{
            "name": f"第{i + 1:03d}商会", "kind": KINDS[i % len(KINDS)], "registered": i % 5 != 0,
            "has_office": i % 7 != 0, "office_area": None if i % 7 == 0 else 30.0 + i % 50,
            "fulltime_staff": i % 3, "parttime_staff": 2, "annual_funds": 30000.0 + i * 100,
            "party_org": ["own", "joint", "liaison", "none"][i % 4],
            "rules": "meeting,finance,dues,archive" + (",membership,activity" if i % 2 else ""),
            "secretary_general_name": "秘书长", "secretary_fulltime": i % 3 != 0, "status": "active",
            "inspection_passed": i % 9 != 0, "term_start": date(2022, 1, 1), "term_end": date(2027, 1, 1),
        } for i in range(CHAMBERS)])
        start = date(2015, 1, 1)
        span = (date(YEAR, 12, 31) - start).days
        members = []
        for i in range(MEMBERS):
            join = start + timedelta(days=r.randrange(span))
            members.append({"kind": "enterprise", "enterprise_name": f"基准企业{i}", "join_date": join,
                            "rep_phone": f"139{i:08d}" if i % 10 else None, "industry": "C",
                            "credit_code": None, "rep_name": f"代表{i}",
                            "tags": "高新技术" if i % 4 == 0 else ""})
        s.execute(insert(Member), members)
        s.execute(insert(Membership), [{"member_id": i + 1, "chamber_id": i % CHAMBERS + 1, "position": "member",
                                        "start_date": m["join_date"]} for i, m in enumerate(members)])
        s.execute(insert(Activity), [{
            "chamber_id": i % CHAMBERS + 1, "category": CATS[i % len(CATS)],
            "date": date(YEAR, 1, 1) + timedelta(days=r.randrange(365)), "title": f"活动{i}",
        } for i in range(ACTIVITIES)])
        s.execute(insert(Meeting), [{
            "chamber_id": c + 1, "body": BODIES[k % 4], "date": date(YEAR, 1 + k, 10),
            "agenda": "议题", "decisions": "决议" if k % 5 else "",
        } for c in range(CHAMBERS) for k in range(8)])
        s.execute(insert(Contact), [{
            "member_id": r.randrange(1, MEMBERS + 1), "date": date(YEAR, 1, 1) + timedelta(days=r.randrange(365)),
            "way": "visit" if i % 3 == 0 else "phone",
        } for i in range(50_000)])
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"built {path.name} in {time.perf_counter() - t0:.1f} s")


def run(n: int, db, shipped: list) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): CPU time is steadier on a shared machine."""
    t0, c0 = time.perf_counter(), time.process_time()
    with db.session() as s:
        rules.evaluate_many(s, shipped, YEAR, list(range(1, n + 1)), as_of=date(YEAR + 1, 3, 1))
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    if args.rebuild or not CACHE.exists():
        build(CACHE)
    db = open_database(CACHE)
    shipped = [r for r in rules.list_rubrics() if not r.user]
    run(10, db, shipped)  # warm the caches and imports
    times = {n: min(run(n, db, shipped) for _ in range(3)) for n in (100, 200, 300)}
    db.close()
    print(f"{len(shipped)} rubrics, {MEMBERS:,} members, {ACTIVITIES:,} activities, year {YEAR}")
    for n, (wall, cpu) in times.items():
        print(f"  {n:3d} chambers: {wall:.3f} s wall, {cpu:.3f} s CPU  ({wall / n * 1000:.2f} ms per chamber)")
    wall300, cpu300 = times[300]
    print(f"300 chambers: {wall300:.3f} s wall / {cpu300:.3f} s CPU (target < 2 s); "
          f"300/100 ratio {wall300 / times[100][0]:.2f}")


if __name__ == "__main__":
    main()
