"""Faults and bad input: disk full, read-only file and folder, truncated, bit-flipped, newer and foreign
files, and awkward text and dates. Each gives a clear Chinese message and loses nothing.

Disk full uses a real 1 MiB tmpfs when the tests run as root with `mount` available, and otherwise an
injected SQLITE_FULL (PRAGMA max_page_count) or an injected failing backup; the test name says which.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, insert

from chamberdesk.core import backup, integrity
from chamberdesk.core.db import open_database
from chamberdesk.core.errors import DataFileError, InvalidInput
from chamberdesk.core.members import create_member
from chamberdesk.core.models import Member


def _can_mount() -> bool:
    if os.environ.get("CHAMBERDESK_NO_MOUNT"):  # exercise the injected-fault fallbacks
        return False
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount") is not None


@contextlib.contextmanager
def small_fs(where: Path, size: str = "1m"):
    """A size-limited file system, or None when this machine does not allow mounting one."""
    where.mkdir()
    if not _can_mount():
        yield None
        return
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if r.returncode != 0:
        yield None
        return
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _bulk(db, n: int, tag: str) -> None:
    now = datetime.now().replace(microsecond=0)
    rows = [{"kind": "enterprise", "enterprise_name": f"{tag}{i}号企业有限公司" * 2, "notes": tag, "tags": "",
             "created_at": now, "updated_at": now, "version": 1} for i in range(n)]
    with db.transaction() as s:
        s.execute(insert(Member), rows)


def _count(path: Path, where: str = "1=1") -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT count(*) FROM member WHERE {where}").fetchone()[0]
    finally:
        con.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def filled(tmp_path):
    """A data file with 6,000 members (about 1.5 MB), checkpointed and closed."""
    db = open_database(tmp_path / "台账.db", create=True)
    _bulk(db, 6000, "原有")
    with db.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return db.path


# --- disk full -----------------------------------------------------------------------------------

def test_disk_full_during_bulk_write(tmp_path):
    with small_fs(tmp_path / "small", "1m") as mnt:
        db = open_database((mnt or tmp_path) / "台账.db", create=True)
        _bulk(db, 200, "先存")
        if mnt is None:  # injected: the file may not grow past its current size plus a few pages
            db.engine.dispose()

            @event.listens_for(db.engine, "connect")
            def _limit(dbapi_conn, _rec):
                pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
                dbapi_conn.execute(f"PRAGMA max_page_count={pages + 20}")

        def fill() -> None:
            with integrity.translate_write_errors():
                for _ in range(100):
                    _bulk(db, 2000, "满了")

        with pytest.raises(integrity.WriteFailed, match="磁盘空间不足") as ei:
            fill()
        assert "之前保存的数据完好" in str(ei.value)
        db.close()
        path = db.path
        assert integrity.integrity_check(path).ok
        assert _count(path, "notes='先存'") == 200
        # A batch is whole or absent, never cut short.
        assert _count(path, "notes='满了'") % 2000 == 0
        open_database(path).close()


def test_disk_full_during_backup(tmp_path, filled, monkeypatch):
    before = _sha(filled)
    with small_fs(tmp_path / "usb", "1m") as mnt:
        if mnt is None:
            class _FullConn:
                def __init__(self, con):
                    self.con = con

                def backup(self, *a, **k):
                    raise sqlite3.OperationalError("database or disk is full")

                def __getattr__(self, name):
                    return getattr(self.con, name)

            real = sqlite3.connect

            def connect(target, *a, **k):
                con = real(target, *a, **k)
                return _FullConn(con) if "mode=ro" in str(target) else con

            monkeypatch.setattr(backup.sqlite3, "connect", connect)
        folder = mnt or tmp_path / "usb"
        with pytest.raises(DataFileError, match="磁盘空间不足") as ei:
            backup.make_backup(filled, policy=backup.BackupPolicy(folder=str(folder)))
        assert "原数据文件未受影响" in str(ei.value)
        assert list(folder.iterdir()) == [] or all(p.name == "lost+found" for p in folder.iterdir())
    assert _sha(filled) == before


# --- read-only -------------------------------------------------------------------------------------

def test_read_only_file_refused_unchanged(filled, monkeypatch):
    before = _sha(filled)
    filled.chmod(0o444)
    try:
        if os.access(filled, os.W_OK):  # root ignores the mode bits: emulate what a clerk would meet
            real = os.access
            monkeypatch.setattr(integrity.os, "access",
                                lambda p, m: False if Path(p) == filled and m & os.W_OK else real(p, m))
        with pytest.raises(DataFileError, match="只读") as ei:
            open_database(filled)
        assert "未作任何改动" in str(ei.value)
    finally:
        filled.chmod(0o644)
    assert _sha(filled) == before


def test_read_only_folder_refused(tmp_path, filled, monkeypatch):
    real = os.access
    monkeypatch.setattr(integrity.os, "access",
                        lambda p, m: False if Path(p) == filled.parent and m & os.W_OK else real(p, m))
    with pytest.raises(DataFileError, match="文件夹.*只读"):
        open_database(filled)


def test_read_only_file_system(tmp_path):
    if not _can_mount():
        pytest.skip("needs root to mount a read-only file system")
    with small_fs(tmp_path / "ro", "4m") as mnt:
        if mnt is None:
            pytest.skip("mount not permitted here")
        db = open_database(mnt / "a.db", create=True)
        _bulk(db, 10, "x")
        with db.engine.connect() as c:
            c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                (mnt / f"a.db{suffix}").unlink()
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        with pytest.raises(DataFileError, match="只读"):
            open_database(mnt / "a.db")
        # A backup only reads: it still works from a read-only medium.
        out = backup.make_backup(mnt / "a.db", out=tmp_path / "copy.db")
        assert _count(out) == 10


# --- damaged, newer, foreign ---------------------------------------------------------------------

def test_truncated_file_refused_then_restored_from_newest_good_backup(filled, windows_file_rules):
    good = backup.make_backup(filled)
    size = filled.stat().st_size
    with open(filled, "r+b") as f:
        f.truncate(size // 2)
    res = integrity.quick_check(filled)
    assert not res.ok
    with pytest.raises(DataFileError, match="损坏") as ei:
        open_database(filled)
    assert "从备份恢复" in str(ei.value)
    assert filled.stat().st_size == size // 2  # never replaced silently
    found = backup.newest_good_backup(filled)
    assert found is not None and found.path == good
    kept = backup.restore(found.path, filled)
    assert kept is not None and kept.name.endswith("-damaged.bin")  # the damaged bytes are kept too
    assert kept.stat().st_size == size // 2
    assert _count(filled) == 6000
    open_database(filled).close()


def test_bit_flipped_file_detected(filled):
    raw = bytearray(filled.read_bytes())
    page = 4096
    # Flip bits in the headers of b-tree pages in the middle of the file.
    for p in range(len(raw) // page // 2, len(raw) // page // 2 + 3):
        raw[p * page + 3] ^= 0xFF
        raw[p * page + 5] ^= 0x5A
    filled.write_bytes(bytes(raw))
    res = integrity.integrity_check(filled)
    assert not res.ok
    assert "已损坏" in res.message()
    with pytest.raises(DataFileError, match="损坏"):
        open_database(filled)
    with pytest.raises(DataFileError, match="损坏|不能用于恢复"):
        backup.verify_backup(filled)


def test_garbage_header(tmp_path):
    p = tmp_path / "坏.db"
    p.write_bytes(b"\x00\x01garbage" * 1000)
    with pytest.raises(DataFileError, match="不是有效的数据文件"):
        open_database(p)
    assert p.read_bytes() == b"\x00\x01garbage" * 1000


def test_newer_version_refused_untouched(filled):
    con = sqlite3.connect(filled)
    con.execute("PRAGMA user_version=42")
    con.commit()
    con.close()
    before = _sha(filled)
    with pytest.raises(DataFileError, match="更新版本.*升级本程序"):
        open_database(filled)
    assert _sha(filled) == before


def test_foreign_sqlite_file_refused_untouched(tmp_path):
    p = tmp_path / "wechat.sqlite"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE message(id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO message(body) VALUES ('你好')")
    con.commit()
    con.close()
    before = _sha(p)
    with pytest.raises(DataFileError, match="其他程序"):
        open_database(p)
    assert _sha(p) == before


# --- awkward input -----------------------------------------------------------------------------------

def test_long_strings_refused_with_field_name(db):
    with pytest.raises(InvalidInput) as ei, db.transaction() as s:
        create_member(s, {"kind": "enterprise", "enterprise_name": "长" * 201, "notes": "注" * 6000})
    msgs = ei.value.by_field()
    assert "200" in msgs["enterprise_name"] and "5000" in msgs["notes"]
    with db.transaction() as s:
        m = create_member(s, {"kind": "enterprise", "enterprise_name": "长" * 200, "notes": "注" * 5000})
    with db.session() as s:
        assert len(s.get(Member, m.id).enterprise_name) == 200


def test_control_characters_removed(db):
    with db.transaction() as s:
        m = create_member(s, {"kind": "enterprise", "enterprise_name": "\x00甲\x07公\x1b司\t有限\u3000 公司\x7f"})
    assert m.enterprise_name == "甲公司有限公司"  # and no space is left beside a Chinese character


@pytest.mark.parametrize("name", [
    "𠀀𠀁企业",  # CJK Extension B (GB 18030 four-byte)
    "䶮记商行",  # Extension A
    "𪚥𰻞𰻞面馆",  # Extension C and G
    "🏭绿色工厂🌱",  # emoji
    "喆𡒄堃",  # rare given-name characters
])
def test_rare_characters_and_emoji_round_trip(db, name):
    with db.transaction() as s:
        m = create_member(s, {"kind": "personal", "enterprise_name": name, "rep_name": name[:3]})
    db.engine.dispose()
    with db.session() as s:
        got = s.get(Member, m.id)
    assert got.enterprise_name == name and got.rep_name == name[:3]
    assert name.encode("gb18030").decode("gb18030") == name


@pytest.mark.parametrize(("text", "expect"), [
    ("2019-05-06", date(2019, 5, 6)), ("2019/5/6", date(2019, 5, 6)), ("2019.5.6", date(2019, 5, 6)),
    ("2019年5月6日", date(2019, 5, 6)), ("２０１９年５月６日", date(2019, 5, 6)), ("20190506", date(2019, 5, 6)),
    (20190506, date(2019, 5, 6)), (43591, date(2019, 5, 6)), ("2019年5月", date(2019, 5, 1)),
    (201905, date(2019, 5, 1)), (datetime(2019, 5, 6, 10, 0), date(2019, 5, 6)), ("", None),
])
def test_dates_in_every_form(text, expect):
    from chamberdesk.io.normalize import parse_date

    assert parse_date(text) == expect


@pytest.mark.parametrize("text", ["2019", 2019.1, "2019-02-30", "明年", "13/13/2019", "1800-01-01"])
def test_unreadable_dates_explained(text):
    from chamberdesk.io.normalize import parse_date

    with pytest.raises(ValueError) as ei:
        parse_date(text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(ei.value))  # a Chinese explanation


def test_service_refuses_future_and_non_dates(db):
    with pytest.raises(InvalidInput) as ei, db.transaction() as s:
        create_member(s, {"kind": "enterprise", "enterprise_name": "甲", "join_date": date(2999, 1, 1),
                          "rep_birth_date": "昨天"})
    f = ei.value.by_field()
    assert "join_date" in f and "rep_birth_date" in f
