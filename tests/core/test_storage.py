"""Storage: migrations from empty to head, the file stamp, refusal of newer and foreign files, pragmas."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from chamberdesk.core import db as dbmod
from chamberdesk.core.db import APPLICATION_ID, SCHEMA_VERSION, open_database
from chamberdesk.core.errors import DataFileError


def test_new_file_is_migrated_stamped_and_in_wal(tmp_path: Path) -> None:
    d = open_database(tmp_path / "a.db", create=True)
    with d.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == dbmod.HEAD_REVISION
    d.close()
    con = sqlite3.connect(tmp_path / "a.db")
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.close()


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    """The migration chain builds exactly the tables and columns the models declare."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    d = open_database(tmp_path / "a.db", create=True)
    with d.engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c), SQLModel.metadata)
    d.close()
    assert diff == []


def test_head_revision_constant_matches_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(dbmod._MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == dbmod.HEAD_REVISION


def test_reopen_does_not_migrate_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_database(tmp_path / "a.db", create=True).close()
    monkeypatch.setattr(dbmod, "run_migrations", lambda engine: pytest.fail("migrated an up-to-date file"))
    open_database(tmp_path / "a.db").close()


def test_newer_file_is_refused_and_untouched(tmp_path: Path) -> None:
    p = tmp_path / "new.db"
    open_database(p, create=True).close()
    con = sqlite3.connect(p)
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    before = p.read_bytes()
    with pytest.raises(DataFileError, match="更新版本"):
        open_database(p)
    assert p.read_bytes() == before


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "other.db"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    with pytest.raises(DataFileError, match="其他程序"):
        open_database(p)
    assert [r[0] for r in sqlite3.connect(p).execute("SELECT name FROM sqlite_master")] == ["t"]


def test_not_a_database_and_missing_file(tmp_path: Path) -> None:
    p = tmp_path / "x.db"
    p.write_bytes(b"this is a spreadsheet, honest" * 100)
    with pytest.raises(DataFileError, match="不是有效的数据文件"):
        open_database(p)
    with pytest.raises(DataFileError, match="找不到数据文件"):
        open_database(tmp_path / "missing.db")


def test_migration_hook_runs_before_an_upgrade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file at an older schema version gets the before_migrate hook (the backup) before migrating."""
    p = tmp_path / "old.db"
    open_database(p, create=True).close()
    order: list[str] = []
    real = dbmod.run_migrations
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(dbmod, "run_migrations", lambda engine: (order.append("migrate"), real(engine)))
    open_database(p, before_migrate=lambda d: order.append(f"backup {d.path.name}")).close()
    assert order == ["backup old.db", "migrate"]
    assert sqlite3.connect(p).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
