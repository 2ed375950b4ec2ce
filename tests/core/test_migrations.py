"""Migrations past the first: a 0001 data file opens, upgrades with its rows, and searches as before."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from alembic import command
from alembic.config import Config
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine, insert, text
from sqlmodel import select

from chamberdesk.core import db as dbmod
from chamberdesk.core import members
from chamberdesk.core.db import SCHEMA_VERSION, open_database
from chamberdesk.core.members import MemberFilter
from chamberdesk.core.models import Member
from chamberdesk.core.validators import credit_code_check_char

CODE = "91130534MA0000003" + credit_code_check_char("91130534MA0000003")


def _alembic(url: str, action, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(dbmod._MIGRATIONS))
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        action(cfg, revision)
    engine.dispose()


def _found(db, query: str) -> list[int]:
    with db.session() as s:
        return members.member_ids(s, MemberFilter(search=query, status=None))


def test_a_first_version_file_upgrades_with_its_members_searchable(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _alembic(f"sqlite:///{path}", command.upgrade, "0001")
    con = sqlite3.connect(path)
    con.execute("INSERT INTO member (kind, enterprise_name, credit_code, rep_name, rep_phone, tags, join_date, "
                "version, created_at, updated_at) VALUES ('enterprise', '清河县鑫隆纺织有限公司', ?, '王秀英', "
                "'13912345678', '', '2020-03-01', 1, '2020-03-01', '2020-03-01')", (CODE,))
    con.execute(f"PRAGMA application_id={dbmod.APPLICATION_ID}")
    con.execute("PRAGMA user_version=1")
    con.commit()
    con.close()
    backed_up = []
    db = open_database(path, before_migrate=backed_up.append)
    try:
        assert backed_up, "an existing file is backed up before it is migrated"
        assert len(_found(db, "鑫隆")) == 1
        assert len(_found(db, CODE[-6:].lower())) == 1
        assert len(_found(db, "5678")) == 1
    finally:
        db.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.close()


def test_search_text_follows_every_kind_of_write(db) -> None:
    with db.transaction() as s:
        m = members.create_member(s, {"kind": "enterprise", "enterprise_name": "清河县恒通物流有限公司",
                                      "rep_name": "李强", "join_date": date(2024, 1, 2)})
        mid = m.id
    assert _found(db, "恒通") == [mid]
    with db.transaction() as s:
        members.update_member(s, mid, {"enterprise_name": "清河县瑞丰物流有限公司", "rep_phone": "13800001111"})
    assert _found(db, "恒通") == []
    assert _found(db, "瑞丰") == [mid]
    assert _found(db, "0001111") == [mid]
    with db.transaction() as s:  # a bulk insert, as imports do, bypasses the ORM but not the triggers
        s.execute(insert(Member), [{"kind": "personal", "enterprise_name": f"个体户{i}", "rep_name": "赵敏",
                                    "tags": "", "version": 1} for i in range(3)])
    assert len(_found(db, "赵敏")) == 3


@given(st.lists(st.text(max_size=12) | st.none(), min_size=len(members.SEARCH_FIELDS),
                max_size=len(members.SEARCH_FIELDS)))
def test_search_text_upper_cases_as_sqlite_does(values: list[str | None]) -> None:
    # bulk imports fill search_text themselves: it must be what the triggers' upper() gives (a-z only;
    # ß, é, ａ and Greek keep their case)
    con = sqlite3.connect(":memory:")
    try:
        joined = "|".join(v or "" for v in values)
        expected = con.execute("SELECT upper(?)", (joined,)).fetchone()[0]
    finally:
        con.close()
    assert members.search_text(dict(zip(members.SEARCH_FIELDS, values, strict=True))) == expected


def test_search_treats_percent_and_underscore_as_text(db) -> None:
    with db.transaction() as s:
        members.create_member(s, {"kind": "enterprise", "enterprise_name": "清河县百分_百商贸有限公司",
                                  "join_date": date(2024, 1, 2)})
        members.create_member(s, {"kind": "enterprise", "enterprise_name": "清河县万福商贸有限公司",
                                  "join_date": date(2024, 1, 2)})
    assert len(_found(db, "_")) == 1
    assert _found(db, "%") == []


def test_search_finds_codes_typed_full_width_and_names_as_stored(db) -> None:
    with db.transaction() as s:
        m = members.create_member(s, {"kind": "enterprise", "enterprise_name": "清河县（第１）商贸有限公司",
                                      "credit_code": CODE, "join_date": date(2024, 1, 2)})
        mid = m.id
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in CODE[-6:])  # what a Chinese IME may type
    assert _found(db, full_width) == [mid]
    assert _found(db, "（第１）") == [mid]  # names are searched as they were typed


def test_the_ledger_query_is_answered_from_the_search_index_alone(db) -> None:
    """What makes search-as-you-type fast at 100,000 members: SQLite never reads the wide rows."""
    if not db.is_sqlite:
        return
    with db.session() as s:
        stmt = select(Member.id).where(*MemberFilter(search="王").where()).order_by(
            *MemberFilter().order())
        sql = str(stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r[-1]) for r in s.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert "COVERING INDEX ix_member_live_search" in plan, plan


def test_downgrade_and_upgrade_again_keep_the_search(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    db = open_database(path, create=True)
    with db.transaction() as s:
        members.create_member(s, {"kind": "enterprise", "enterprise_name": "清河县嘉禾食品有限公司",
                                  "join_date": date(2024, 1, 2)})
    db.close()
    _alembic(f"sqlite:///{path}", command.downgrade, "0001")
    con = sqlite3.connect(path)
    assert con.execute("SELECT search_text FROM member").fetchone()[0] == "清河县嘉禾食品有限公司||||"
    con.close()
    _alembic(f"sqlite:///{path}", command.upgrade, "head")
    db = open_database(path)
    try:
        assert len(_found(db, "嘉禾")) == 1
    finally:
        db.close()


def test_address_and_custom_fields_are_searched(db) -> None:
    with db.transaction() as s:
        m = members.create_member(s, {"kind": "enterprise", "enterprise_name": "清河县恒达物流有限公司",
                                      "address": "清河县城关镇建设路18号", "registered_capital": 500,
                                      "employee_count": 35, "custom": {"经营范围": "冷链运输"},
                                      "join_date": date(2024, 1, 2)})
        mid = m.id
    assert _found(db, "建设路") == [mid]
    assert _found(db, "冷链") == [mid]
    with db.transaction() as s:
        members.update_member(s, mid, {"custom": {"经营范围": "普通货运"}})
    assert _found(db, "冷链") == []
    assert _found(db, "普通货运") == [mid]
