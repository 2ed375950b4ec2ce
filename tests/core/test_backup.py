"""Backups: online snapshot under a temporary name, rotation, checked restore, newest good backup."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from chamberdesk.core import backup
from chamberdesk.core.db import open_database
from chamberdesk.core.errors import DataFileError
from chamberdesk.core.federation import get_setting, set_setting
from chamberdesk.core.integrity import integrity_check
from chamberdesk.core.members import create_member


def _count(path: Path, table: str = "member") -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def _add(db, n: int, prefix: str = "企业") -> None:
    with db.transaction() as s:
        for i in range(n):
            create_member(s, {"kind": "enterprise", "enterprise_name": f"{prefix}{i}"})


def test_backup_of_open_file_includes_uncheckpointed_wal(db):
    _add(db, 5)
    # The rows live in the WAL file until a checkpoint; a plain file copy would miss them.
    out = backup.make_backup(db, reason="manual")
    assert out.parent == db.path.with_name("test-backups")
    assert _count(out) == 5
    assert integrity_check(out).ok
    con = sqlite3.connect(out)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    con.close()
    assert not list(out.parent.glob("*.part"))


def test_backup_flushes_a_writable_handle_as_windows_requires(db, windows_fsync):
    _add(db, 3)
    out = backup.make_backup(db, reason="manual")
    assert _count(out) == 3
    _add(db, 2, "后加")
    db.close()
    kept = backup.restore(out, db.path, now=datetime.now() + timedelta(seconds=1))
    assert _count(db.path) == 3 and kept is not None and _count(kept) == 5


def test_backup_to_named_file_and_configured_folder(db, tmp_path):
    _add(db, 2)
    out = backup.make_backup(db, out=tmp_path / "copy" / "手工备份.db")
    assert _count(out) == 2
    usb = tmp_path / "U盘"
    with db.transaction() as s:
        backup.save_policy(s, backup.BackupPolicy(folder=str(usb), keep_last=3))
    pol = backup.read_policy(db.path)
    assert pol.folder == str(usb) and pol.keep_last == 3 and pol.keep_daily == 7
    made = backup.make_backup(db)
    assert made.parent == usb
    assert [b.path for b in backup.list_backups(db.path)] == [made]


def test_policy_rejects_nonsense(db):
    with pytest.raises(DataFileError), db.transaction() as s:
        backup.save_policy(s, backup.BackupPolicy(keep_last=0))


def test_daily_backup_only_once_a_day(db):
    day = datetime(2025, 3, 3, 9, 0, 0)
    first = backup.daily_backup_if_due(db, now=day)
    assert first is not None and first.name.endswith("-daily.db")
    assert backup.daily_backup_if_due(db, now=day + timedelta(hours=3)) is None
    assert backup.daily_backup_if_due(db, now=day + timedelta(days=1)) is not None


def test_backup_before_migration_hook(db):
    backup.backup_before_migrate(db)
    [b] = backup.list_backups(db.path)
    assert b.reason == "migrate" and b.reason_label == "升级前"


def _fake_backups(folder: Path, stem: str, stamps: list[datetime]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for t in stamps:
        (folder / f"{stem}-{t:%Y%m%d-%H%M%S}-daily.db").write_bytes(b"x")


def test_rotation_keeps_last_daily_weekly_monthly(tmp_path):
    data = tmp_path / "台账.db"
    data.write_bytes(b"")
    folder = tmp_path / "台账-backups"
    start = datetime(2024, 1, 1, 8, 0, 0)
    # Two backups a day for 400 days.
    stamps = [start + timedelta(days=d, hours=h) for d in range(400) for h in (0, 6)]
    _fake_backups(folder, "台账", stamps)
    (folder / "unrelated.db").write_bytes(b"x")  # not ours: never touched
    pol = backup.BackupPolicy(keep_last=3, keep_daily=7, keep_weekly=4, keep_monthly=12)
    removed = backup.rotate(data, pol, now=stamps[-1])
    left = backup.list_backups(data, pol)
    days = {b.taken_at.date() for b in left}
    months = {(b.taken_at.year, b.taken_at.month) for b in left}
    assert len(left) == len(stamps) - len(removed)
    assert (folder / "unrelated.db").exists()
    assert left[0].taken_at == stamps[-1]  # newest kept
    assert len(days) >= 7 and len(months) == 12
    # keep_last 3 + 7 days + 4 weeks + 12 months, overlapping: never more than their sum
    assert len(left) <= 3 + 7 + 4 + 12
    last7 = {(stamps[-1] - timedelta(days=i)).date() for i in range(7)}
    assert last7 <= days


def test_rotation_never_deletes_future_backups(tmp_path):
    data = tmp_path / "a.db"
    data.write_bytes(b"")
    now = datetime(2025, 1, 10, 12)
    _fake_backups(tmp_path / "a-backups", "a", [now + timedelta(days=30), *[now - timedelta(days=d) for d in range(30)]])
    backup.rotate(data, backup.BackupPolicy(keep_last=1, keep_daily=1, keep_weekly=0, keep_monthly=0), now=now)
    names = [b.taken_at for b in backup.list_backups(data)]
    assert now + timedelta(days=30) in names


def test_restore_checks_keeps_current_and_replaces(db):
    _add(db, 4)
    good = backup.make_backup(db)
    _add(db, 6, "后加")
    db.close()
    assert _count(db.path) == 10
    kept = backup.restore(good, db.path, now=datetime.now() + timedelta(seconds=1))
    assert _count(db.path) == 4
    assert kept is not None and _count(kept) == 10  # the replaced file is kept
    assert not Path(str(db.path) + "-wal").exists() or Path(str(db.path) + "-wal").stat().st_size == 0
    d = open_database(db.path)
    d.close()


def test_restore_refuses_damaged_backup_and_leaves_file(db, tmp_path):
    _add(db, 3)
    b = backup.make_backup(db)
    raw = bytearray(b.read_bytes())
    raw[len(raw) // 2: len(raw) // 2 + 4096] = b"\xff" * 4096
    bad = tmp_path / "bad.db"
    bad.write_bytes(bytes(raw[: len(raw) // 2 + 4096]))
    db.close()
    before = db.path.read_bytes()
    with pytest.raises(DataFileError, match="损坏|不是有效"):
        backup.restore(bad, db.path)
    assert db.path.read_bytes() == before


def test_restore_refuses_foreign_and_newer_files(db, tmp_path):
    foreign = tmp_path / "other.sqlite"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    with pytest.raises(DataFileError, match="其他程序"):
        backup.verify_backup(foreign)
    newer = backup.make_backup(db, out=tmp_path / "newer.db")
    con = sqlite3.connect(newer)
    con.execute("PRAGMA user_version=999")
    con.commit()
    con.close()
    with pytest.raises(DataFileError, match="更新版本"):
        backup.restore(newer, db.path)


def test_newest_good_backup_skips_damaged(db):
    _add(db, 1)
    older = backup.make_backup(db, now=datetime(2025, 1, 1, 8))
    newer = backup.make_backup(db, now=datetime(2025, 1, 2, 8))
    newer.write_bytes(newer.read_bytes()[:3000])  # truncated
    found = backup.newest_good_backup(db.path)
    assert found is not None and found.path == older


def test_settings_kept_in_data_file(db):
    with db.transaction() as s:
        set_setting(s, "backup.keep_daily", 3)
    with db.session() as s:
        assert get_setting(s, "backup.keep_daily") == 3
    assert backup.read_policy(db.path).keep_daily == 3


def test_verify_backup_on_a_foreign_file_speaks_chinese(tmp_path):
    bad = tmp_path / "表格.db"
    bad.write_bytes(b"PK\x03\x04 not sqlite" * 64)
    with pytest.raises(DataFileError) as info:
        backup.verify_backup(bad)
    msg = str(info.value)
    assert "not a database" not in msg and "不是商会台账的数据文件或备份" in msg and ".db" in msg
