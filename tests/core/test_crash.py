"""Crash safety, proven: a writer process is killed (SIGKILL; TerminateProcess on Windows) at random moments, and every time the file opens,
passes integrity_check, and each transaction is there entirely or not at all.

The worker runs what an import and a clerk do through the core services: bulk inserts of 300 members
(one transaction each, with an audit summary and a counter in the settings table) and edits of two
members at once (one transaction each, with a counter). Its stale lock is cleared by the next start.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chamberdesk.core import lockfile
from chamberdesk.core.db import open_database
from chamberdesk.core.integrity import integrity_check

BATCH = 300
KILLS = int(os.environ.get("CHAMBERDESK_CRASH_KILLS", "30"))

WORKER = r'''
import sys
from datetime import datetime
from sqlalchemy import insert
from chamberdesk.core import audit, lockfile
from chamberdesk.core.db import open_database
from chamberdesk.core.federation import get_setting, set_setting
from chamberdesk.core.members import create_member, update_member
from chamberdesk.core.models import Member

path = sys.argv[1]
BATCH = int(sys.argv[2])
lock = lockfile.acquire(path)
db = open_database(path, create=True)
with db.session() as s:
    k = get_setting(s, "crash.batches", 0)
    e = get_setting(s, "crash.edit", 0)
    pair = get_setting(s, "crash.pair", None)
if pair is None:
    with db.transaction() as s:
        a = create_member(s, {"kind": "enterprise", "enterprise_name": "甲"})
        b = create_member(s, {"kind": "enterprise", "enterprise_name": "乙"})
        pair = [a.id, b.id]
        set_setting(s, "crash.pair", pair)
print("go", lock.cleared_stale is not None, flush=True)
while True:
    k += 1
    now = datetime.now().replace(microsecond=0)
    rows = [{"kind": "enterprise", "enterprise_name": f"批{k}-{i}", "notes": f"batch:{k}", "tags": "",
             "created_at": now, "updated_at": now, "version": 1} for i in range(BATCH)]
    with db.transaction() as s:
        s.execute(insert(Member), rows)
        audit.record(s, "create", "member", None, after={"batch": k, "rows": BATCH})
        set_setting(s, "crash.batches", k)
    for _ in range(4):
        e += 1
        with db.transaction() as s:
            update_member(s, pair[0], {"legal_rep": f"E{e}"})
            update_member(s, pair[1], {"legal_rep": f"E{e}"})
            set_setting(s, "crash.edit", e)
'''


def _setting(con: sqlite3.Connection, key: str, default):
    row = con.execute("SELECT value FROM setting WHERE key=?", (key,)).fetchone()
    return default if row is None else json.loads(row[0])


def check_consistent(path: Path) -> tuple[int, int]:
    """Every committed transaction whole, none partial; returns (batches, edits) committed."""
    d = open_database(path)  # quick_check at open, stamp check
    d.close()
    res = integrity_check(path)
    assert res.ok, res.problems
    con = sqlite3.connect(path)
    try:
        k = _setting(con, "crash.batches", 0)
        e = _setting(con, "crash.edit", 0)
        pair = _setting(con, "crash.pair", None)
        per_batch = dict(con.execute(
            "SELECT notes, count(*) FROM member WHERE notes LIKE 'batch:%' GROUP BY notes").fetchall())
        assert per_batch == {f"batch:{j}": BATCH for j in range(1, k + 1)}
        summaries = con.execute("SELECT count(*) FROM audit_log WHERE after LIKE '%\"batch\"%'").fetchone()[0]
        assert summaries == k
        if pair is not None:
            reps = [con.execute("SELECT legal_rep FROM member WHERE id=?", (i,)).fetchone()[0] for i in pair]
            assert reps == [f"E{e}" if e else None] * 2
            logged = con.execute("SELECT count(*) FROM audit_log WHERE table_name='member' AND record_id=? "
                                 "AND action='update'", (pair[0],)).fetchone()[0]
            assert logged == e  # the audit entry commits with the change it records
    finally:
        con.close()
    return k, e


def test_sigkill_at_random_moments_loses_no_transaction_and_no_integrity(tmp_path):
    path = tmp_path / "台账.db"
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    seed = int(os.environ.get("CHAMBERDESK_CRASH_SEED", str(random.randrange(1 << 30))))
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    history = []
    started = time.monotonic()
    for i in range(KILLS):
        proc = subprocess.Popen([sys.executable, str(script), str(path), str(BATCH)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, text=True)
        line = proc.stdout.readline()
        if not line.startswith("go"):
            proc.kill()
            pytest.fail(f"worker did not start (seed {seed}): {line}{proc.stderr.read()}")
        if i > 0:
            assert line.split()[1] == "True", "the previous worker's stale lock was not cleared"
        time.sleep(rng.uniform(0.0, 0.3))
        proc.kill()  # SIGKILL; on Windows TerminateProcess: no clean-up runs either way
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        holder = lockfile.read_lock(path)
        assert holder is not None and lockfile.is_stale(holder)
        history.append(check_consistent(path))
    elapsed = time.monotonic() - started
    batches, edits = history[-1]
    # The kills landed while work was under way, not only at start-up.
    assert batches >= KILLS // 2 and edits >= KILLS, (seed, history)
    assert all(b2 >= b1 and e2 >= e1 for (b1, e1), (b2, e2) in zip(history, history[1:], strict=False))
    print(f"{KILLS} kills in {elapsed:.1f} s, {batches} batches, {edits} edits, seed {seed}")  # noqa: T201
