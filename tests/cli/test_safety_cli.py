"""`chamberdesk backup / restore / check-db / users` end to end through main()."""

from __future__ import annotations

import sqlite3

from chamberdesk.cli import main
from chamberdesk.core import backup
from chamberdesk.core.members import create_member


def _members(path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM member").fetchone()[0]
    finally:
        con.close()


def test_backup_check_restore(db, tmp_path, capsys):
    with db.transaction() as s:
        create_member(s, {"kind": "enterprise", "enterprise_name": "甲"})
    out = tmp_path / "手工.db"
    assert main(["backup", "--db", str(db.path), "--out", str(out)]) == 0
    assert _members(out) == 1
    assert main(["backup", "--db", str(db.path)]) == 0
    assert main(["backup", "--db", str(db.path), "--list"]) == 0
    assert "手动" in capsys.readouterr().out
    assert main(["check-db", "--db", str(db.path)]) == 0
    assert "检查通过" in capsys.readouterr().out
    with db.transaction() as s:
        create_member(s, {"kind": "enterprise", "enterprise_name": "乙"})
    db.close()
    assert main(["restore", str(out), "--db", str(db.path)]) == 0
    assert "原数据文件已保留为" in capsys.readouterr().out
    assert _members(db.path) == 1


def test_check_db_on_damaged_file_points_to_backup(db, capsys):
    backup.make_backup(db)
    db.close()
    raw = bytearray(db.path.read_bytes())
    db.path.write_bytes(bytes(raw[: len(raw) // 2]))
    assert main(["check-db", "--db", str(db.path)]) == 1
    text = capsys.readouterr().out
    assert "已损坏" in text and "restore newest" in text
    assert main(["restore", "newest", "--db", str(db.path)]) == 0


def test_users_and_restore_needs_admin(db, monkeypatch, capsys):
    db.close()
    target = str(db.path)
    monkeypatch.setenv("CHAMBERDESK_NEW_PASSWORD", "Xinxi2024a")
    assert main(["users", "--db", target, "enable", "guanli"]) == 0
    assert main(["users", "--db", target, "list"]) == 2  # now a login is needed
    assert "--user" in capsys.readouterr().err
    monkeypatch.setenv("CHAMBERDESK_PASSWORD", "Xinxi2024a")
    monkeypatch.setenv("CHAMBERDESK_NEW_PASSWORD", "Tianbao2025")
    assert main(["users", "--db", target, "--user", "guanli", "add", "luru", "--role", "录入员"]) == 0
    out = backup.make_backup(target)
    monkeypatch.setenv("CHAMBERDESK_PASSWORD", "Tianbao2025")
    assert main(["restore", str(out), "--db", target, "--user", "luru"]) == 2
    assert "无权从备份恢复" in capsys.readouterr().err
    monkeypatch.setenv("CHAMBERDESK_PASSWORD", "wrong")
    assert main(["users", "--db", target, "--user", "guanli", "list"]) == 2
    assert "再错 4 次" in capsys.readouterr().err


def test_restore_from_a_file_that_is_not_a_database_says_what_to_do(db, tmp_path, capsys):
    bad = tmp_path / "照片.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    db.close()
    assert main(["restore", str(bad), "--db", str(db.path)]) != 0
    err = capsys.readouterr().err
    assert "file is not a database" not in err
    assert "不是商会台账的数据文件或备份" in err and "restore newest" in err and "backup --list" in err
