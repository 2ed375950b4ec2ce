"""Reading the audit log: filters by user (the system's own entries too), table and days; paging; counts."""

from __future__ import annotations

from datetime import date, datetime

from chamberdesk.core import audit, chambers
from chamberdesk.core.models import AuditLog


def entry(s, at: datetime, user: str | None, table: str = "member", rid: int = 1) -> None:
    s.add(AuditLog(at=at, user=user, action="update", table_name=table, record_id=rid))


def test_filters_paging_and_count(db) -> None:
    with db.transaction() as s:
        entry(s, datetime(2024, 3, 1, 9), "张三")
        entry(s, datetime(2024, 3, 1, 23, 59), "李四", "chamber", 2)
        entry(s, datetime(2024, 3, 2, 8), None)
        entry(s, datetime(2024, 3, 3, 8), "", "meeting", 3)
        entry(s, datetime(2024, 3, 5, 8), "张三", "chamber", 4)
    with db.session() as s:
        everything = audit.audit_page(s, limit=None)
        assert [(e.at.day, e.record_id) for e in everything] == [(5, 4), (3, 3), (2, 1), (1, 2), (1, 1)]
        assert audit.audit_count(s) == 5
        assert [e.record_id for e in audit.audit_page(s, user="张三")] == [4, 1]
        assert sorted(e.at.day for e in audit.audit_page(s, user=None)) == [2, 3]  # NULL and "" are the system
        assert audit.audit_count(s, user=None) == 2
        assert [e.record_id for e in audit.audit_page(s, table="chamber")] == [4, 2]
        # until is inclusive of its whole day
        assert audit.audit_count(s, since=date(2024, 3, 1), until=date(2024, 3, 1)) == 2
        assert audit.audit_count(s, since=date(2024, 3, 2), until=date(2024, 3, 3)) == 2
        page1 = audit.audit_page(s, limit=2)
        page2 = audit.audit_page(s, limit=2, offset=2)
        assert [e.id for e in page1 + page2] == [e.id for e in everything[:4]]
        assert audit.audit_users(s) == ["", "张三", "李四"]


def test_users_and_chamber_names_include_the_deleted(db) -> None:
    db.user = "管理员"
    with db.transaction() as s:
        ch = chambers.create_chamber(s, {"name": "城关镇商会", "kind": "township"})
        s.flush()
        cid = ch.id
    with db.transaction() as s:
        chambers.delete_chamber(s, cid)
    with db.session() as s:
        assert "管理员" in audit.audit_users(s)
        assert audit.chamber_names(s) == {cid: "城关镇商会"}
        assert audit.audit_count(s, user="管理员", table="chamber") >= 1
