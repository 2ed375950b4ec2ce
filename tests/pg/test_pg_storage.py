"""Storage on PostgreSQL: migrations to head, reopen, partial unique indexes, ids after explicit inserts."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from chamberdesk.core import chambers, members
from chamberdesk.core.db import HEAD_REVISION, open_database
from chamberdesk.core.errors import ChamberDeskError, InvalidInput
from chamberdesk.core.models import Chamber, Member
from chamberdesk.core.validators import credit_code_check_char

CODE = "91130534MA0000002" + credit_code_check_char("91130534MA0000002")


def test_migrations_reach_head_on_an_empty_server_database(pg_url) -> None:
    db = open_database(pg_url)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
        names = set(inspect(db.engine).get_table_names())
        assert {t.name for t in SQLModel.metadata.sorted_tables} <= names
        indexes = {ix["name"]: ix for ix in inspect(db.engine).get_indexes("member")}
        assert indexes["uq_member_credit_code_active"]["unique"]
        assert db.path is None and not db.is_sqlite
    finally:
        db.close()


def test_reopen_does_not_migrate_again(pg_migrated_url, monkeypatch) -> None:
    import chamberdesk.core.db as dbmod

    def boom(_engine):
        raise AssertionError("migrated twice")

    monkeypatch.setattr(dbmod, "run_migrations", boom)
    open_database(pg_migrated_url).close()


def test_newer_server_schema_is_refused(pg_migrated_url) -> None:
    db = open_database(pg_migrated_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.close()
    with pytest.raises(ChamberDeskError, match="更新版本"):
        open_database(pg_migrated_url)


def test_partial_unique_index_only_binds_active_members(db) -> None:
    with db.transaction() as s:
        a = members.create_member(s, {"kind": "enterprise", "enterprise_name": "甲公司", "credit_code": CODE, "join_date": date(2020, 1, 1)})
    # Past the service check, the database itself refuses a second active holder of the code.
    def insert_past_the_service() -> None:
        with db.transaction() as s:
            s.add(Member(enterprise_name="乙公司", credit_code=CODE))

    with pytest.raises(IntegrityError):
        insert_past_the_service()
    with db.transaction() as s:
        members.mark_left(s, [a.id], date(2021, 1, 1), "注销")
    with db.transaction() as s:
        b = members.create_member(s, {"kind": "enterprise", "enterprise_name": "乙公司", "credit_code": CODE})
    assert b.id != a.id


def test_chamber_names_unique_among_live_ones(db) -> None:
    with db.transaction() as s:
        ch = chambers.create_chamber(s, {"name": "县温州商会", "kind": "nonlocal"})
    with pytest.raises(InvalidInput, match="商会名称"), db.transaction() as s:
        chambers.create_chamber(s, {"name": "县温州商会", "kind": "nonlocal"})
    with db.transaction() as s:
        chambers.delete_chamber(s, ch.id)
    with db.transaction() as s:
        again = chambers.create_chamber(s, {"name": "县温州商会", "kind": "nonlocal"})
    with db.session() as s:
        assert s.get(Chamber, again.id).deleted_at is None
        assert s.get(Chamber, ch.id).deleted_at is not None


def test_a_first_version_database_upgrades_and_searches(pg_url) -> None:
    """Revision 0002 turns the generated search column into a trigger-kept one, rows and all."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    import chamberdesk.core.db as dbmod
    from chamberdesk.core.members import MemberFilter, member_ids
    from chamberdesk.core.server import normalise_url

    cfg = Config()
    cfg.set_main_option("script_location", str(dbmod._MIGRATIONS))
    engine = create_engine(normalise_url(pg_url))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO member (kind, enterprise_name, credit_code, rep_name, tags, version, "
                          "created_at, updated_at) VALUES ('enterprise', '清河县鑫隆纺织有限公司', :c, '王秀英', '', 1, "
                          "now(), now())"), {"c": CODE})
    engine.dispose()
    db = open_database(pg_url)
    try:
        with db.session() as s:
            assert len(member_ids(s, MemberFilter(search=CODE[-6:].lower()))) == 1
        with db.transaction() as s:
            mid = member_ids(s, MemberFilter(search="鑫隆"))[0]
            members.update_member(s, mid, {"enterprise_name": "清河县永信纺织有限公司"})
        with db.session() as s:
            assert member_ids(s, MemberFilter(search="鑫隆")) == []
            assert member_ids(s, MemberFilter(search="永信")) == [mid]
    finally:
        db.close()
