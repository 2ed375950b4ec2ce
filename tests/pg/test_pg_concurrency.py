"""Two clerks (two processes) save the same 200 members at once: no update is lost, every conflict is told.

Runs on a SQLite file and on the PostgreSQL server; also checks that losing the server connection in
the middle of a save rolls everything back and tells the clerk in Chinese.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlmodel import select

from chamberdesk.core import members
from chamberdesk.core.db import open_database
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.models import AuditLog, Member
from chamberdesk.core.records import CONFLICT_MESSAGE

WORKER = Path(__file__).with_name("race_worker.py")
N = 200


@pytest.fixture(params=["sqlite", "postgresql"])
def race_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'race.db'}"
    return request.getfixturevalue("pg_url")


def _seed(url: str) -> list[int]:
    db = open_database(url, create=True)
    with db.transaction() as s:
        ids = [members.create_member(s, {"kind": "enterprise", "enterprise_name": f"竞争测试企业{i:03d}",
                                         "notes": "0"}).id for i in range(N)]
    db.close()
    return ids


def _race(url: str, mode: str, ids: list[int]) -> list[dict]:
    procs = [subprocess.Popen([sys.executable, str(WORKER), url, tag, mode, json.dumps(ids)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for tag in ("甲", "乙")]
    for p in procs:  # both have read what they need: start them together
        assert p.stdout.readline().strip() == "READY"
    for p in procs:
        p.stdin.write("GO\n")
        p.stdin.flush()
    results = []
    for p in procs:
        out, _ = p.communicate(timeout=240)
        assert p.returncode == 0
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _rows(url: str) -> dict[int, Member]:
    db = open_database(url)
    with db.session() as s:
        rows = {m.id: m for m in s.exec(select(Member))}
    db.close()
    return rows


def test_stale_saves_conflict_exactly_once_per_record(race_url) -> None:
    ids = _seed(race_url)
    a, b = _race(race_url, "stale", ids)
    # Both read version 1 of every record: exactly one save per record wins, the other is told.
    assert sorted(a["ok"] + b["ok"]) == sorted(ids)
    assert sorted(a["conflicts"] + b["conflicts"]) == sorted(ids)
    assert set(a["messages"]) | set(b["messages"]) == {CONFLICT_MESSAGE}
    rows = _rows(race_url)
    winner = {i: "甲" for i in a["ok"]} | {i: "乙" for i in b["ok"]}
    for i in ids:
        assert rows[i].version == 2
        assert rows[i].notes == winner[i]  # the saved value is the winner's, never a mix


def test_read_modify_write_race_loses_no_update(race_url) -> None:
    ids = _seed(race_url)
    a, b = _race(race_url, "increment", ids)
    assert sorted(a["ok"]) == sorted(ids) and sorted(b["ok"]) == sorted(ids)
    rows = _rows(race_url)
    # Each process added 1 to every counter: any lost update would leave a 1 behind.
    assert {rows[i].notes for i in ids} == {"2"}
    assert {rows[i].version for i in ids} == {3}
    db = open_database(race_url)
    with db.session() as s:
        updates = s.exec(select(func.count()).select_from(AuditLog).where(
            AuditLog.table_name == "member", AuditLog.action == "update")).one()
    db.close()
    assert updates == 2 * N


def test_connection_lost_mid_save_rolls_back_and_tells_the_clerk(pg_url) -> None:
    ids = _seed(pg_url)
    db = open_database(pg_url, user="甲")
    admin = open_database(pg_url)
    try:
        def save_while_the_server_drops_us() -> None:
            with db.transaction() as s:
                for i in ids[:50]:
                    members.update_member(s, i, {"notes": "写到一半"}, expected_version=1)
                s.flush()
                pid = s.connection().execute(text("SELECT pg_backend_pid()")).scalar()
                with admin.engine.begin() as conn:
                    assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
                members.update_member(s, ids[50], {"notes": "写到一半"}, expected_version=1)

        with pytest.raises(ChamberDeskError) as err:
            save_while_the_server_drops_us()
        assert "连接中断" in str(err.value) and "撤销" in str(err.value)
        rows = _rows(pg_url)
        assert {rows[i].notes for i in ids} == {"0"}
        assert {rows[i].version for i in ids} == {1}
        # The pool recovers: the clerk's next save goes through.
        with db.transaction() as s:
            members.update_member(s, ids[0], {"notes": "重新保存"}, expected_version=1)
        assert _rows(pg_url)[ids[0]].notes == "重新保存"
    finally:
        db.close()
        admin.close()
