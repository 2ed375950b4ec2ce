"""Benchmark: every shipped rubric for 100, 200 and 300 chambers over one year (100,000 members, 30,000 activities).

Run: python bench/bench_rubrics.py [--rebuild] [--quick]. The data file is built once with core inserts and
cached in the system's temporary folder. Prints seconds; the target is under 2 s for 300 chambers, growing
linearly with the number of chambers. Each rubric is evaluated on the chambers it applies to (四有 only on
乡镇/街道 chambers) and the federation rubrics on the federation. --quick: 12 chambers, 2,000 members,
one run each, in a throwaway file (the test suite runs it so the bench cannot silently stop working).
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
from sqlmodel import select

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
FULL = {"chambers": 300, "members": 100_000, "activities": 30_000, "contacts": 50_000}
QUICK = {"chambers": 12, "members": 2_000, "activities": 600, "contacts": 1_000}
CACHE = Path(tempfile.gettempdir()) / "chamberdesk-bench-rubrics-v1.db"
KINDS = ["township", "subdistrict", "industry", "nonlocal", "building", "other"]
CATS = ["theory_study", "training", "charity", "gov_dialogue", "chamber_exchange", "legal", "villages",
        "investment", "trade", "mediation", "research", "publicity", "policy_advice"]
BODIES = ["general_assembly", "council", "president_office", "supervisory_board"]


def build(path: Path, size: dict[str, int]) -> None:
    chambers, members_n, activities = size["chambers"], size["members"], size["activities"]
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
        } for i in range(chambers)])
        start = date(2015, 1, 1)
        span = (date(YEAR, 12, 31) - start).days
        members = []
        for i in range(members_n):
            join = start + timedelta(days=r.randrange(span))
            members.append({"kind": "enterprise", "enterprise_name": f"基准企业{i}", "join_date": join,
                            "rep_phone": f"139{i:08d}" if i % 10 else None, "industry": "C",
                            "credit_code": None, "rep_name": f"代表{i}",
                            "tags": "高新技术" if i % 4 == 0 else ""})
        s.execute(insert(Member), members)
        s.execute(insert(Membership), [{"member_id": i + 1, "chamber_id": i % chambers + 1, "position": "member",
                                        "start_date": m["join_date"]} for i, m in enumerate(members)])
        s.execute(insert(Activity), [{
            "chamber_id": i % chambers + 1, "category": CATS[i % len(CATS)],
            "date": date(YEAR, 1, 1) + timedelta(days=r.randrange(365)), "title": f"活动{i}",
        } for i in range(activities)])
        s.execute(insert(Meeting), [{
            "chamber_id": c + 1, "body": BODIES[k % 4], "date": date(YEAR, 1 + k, 10),
            "agenda": "议题", "decisions": "决议" if k % 5 else "",
        } for c in range(chambers) for k in range(8)])
        s.execute(insert(Contact), [{
            "member_id": r.randrange(1, members_n + 1), "date": date(YEAR, 1, 1) + timedelta(days=r.randrange(365)),
            "way": "visit" if i % 3 == 0 else "phone",
        } for i in range(size["contacts"])])
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"built {path.name} in {time.perf_counter() - t0:.1f} s")


def batches(db, rubrics: list, n: int) -> list[tuple[list, list[int] | None]]:
    """(rubrics, targets) groups: each chamber rubric on those of the first n chambers of its kinds (a
    rubric refuses a chamber it does not cover), the federation rubrics on the federation; rubrics with
    the same targets share one evaluate_many, which reads each table once for them all."""
    with db.session() as s:
        kinds = dict(s.exec(select(Chamber.id, Chamber.kind).where(Chamber.id <= n)).all())
    groups: dict[tuple[int, ...] | None, list] = {}
    for r in rubrics:
        key = None if r.target == "federation" else tuple(
            sorted(i for i, k in kinds.items() if not r.chamber_kinds or k in r.chamber_kinds))
        groups.setdefault(key, []).append(r)
    return [(rs, None if key is None else list(key)) for key, rs in groups.items() if key is None or key]


def run(n: int, db, rubrics: list) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, results): CPU time is steadier on a shared machine."""
    plan = batches(db, rubrics, n)
    t0, c0 = time.perf_counter(), time.process_time()
    results = 0
    with db.session() as s:
        for rs, targets in plan:
            got = rules.evaluate_many(s, rs, YEAR, targets, as_of=date(YEAR + 1, 3, 1))
            results += sum(len(v) for v in got.values())
    return time.perf_counter() - t0, time.process_time() - c0, results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rebuild", action="store_true", help="build the cached data file again")
    ap.add_argument("--quick", action="store_true", help="small sizes, one run, a throwaway data file")
    args = ap.parse_args()
    size = QUICK if args.quick else FULL
    counts = (size["chambers"] // 3, 2 * size["chambers"] // 3, size["chambers"])
    with tempfile.TemporaryDirectory(prefix="cd-bench-") as tmp:  # holds the quick run's data file
        path = Path(tmp) / "quick.db" if args.quick else CACHE
        if args.quick or args.rebuild or not path.exists():
            build(path, size)
        db = open_database(path)
        shipped = [r for r in rules.list_rubrics() if not r.user]
        skipped = [r.id for r in shipped if not r.applies_to_year(YEAR)]
        shipped = [r for r in shipped if r.applies_to_year(YEAR)]
        run(min(10, counts[0]), db, shipped)  # warm the caches and imports
        times = {n: min(run(n, db, shipped) for _ in range(1 if args.quick else 3)) for n in counts}
        db.close()
    print(f"{len(shipped)} rubrics, {size['members']:,} members, {size['activities']:,} activities, year {YEAR}"
          + (f" (not for {YEAR}: {', '.join(skipped)})" if skipped else ""))
    for n, (wall, cpu, results) in times.items():
        print(f"  {n:3d} chambers: {results} results, {wall:.3f} s wall, {cpu:.3f} s CPU  "
              f"({wall / n * 1000:.2f} ms per chamber)")
    top, first = counts[-1], counts[0]
    print(f"{top} chambers: {times[top][0]:.3f} s wall / {times[top][1]:.3f} s CPU (target < 2 s for 300); "
          f"{top}/{first} ratio {times[top][0] / times[first][0]:.2f}")


if __name__ == "__main__":
    main()
