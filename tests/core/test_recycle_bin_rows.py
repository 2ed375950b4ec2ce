"""The recycle bin listing: each kind's deleted records named in words, newest deletion first."""

from __future__ import annotations

from datetime import date

from chamberdesk.core import chambers, contacts, members, records
from chamberdesk.core.models import Activity, Meeting


def test_rows_for_every_kind(db) -> None:
    with db.transaction() as s:
        ch = chambers.create_chamber(s, {"name": "城关镇商会", "kind": "township", "founded_on": date(2015, 5, 1)})
        m1 = members.create_member(s, {"kind": "personal", "enterprise_name": "甲商行", "rep_name": "张三",
                                       "join_date": date(2021, 2, 3)})
        m2 = members.create_member(s, {"kind": "personal", "enterprise_name": "乙商行", "rep_name": "李四"})
        s.flush()
        c = contacts.log_contact(s, {"member_id": m2.id, "date": date(2024, 4, 1), "way": "visit"})
        s.flush()
        ids = (ch.id, m1.id, m2.id, c.id)
    with db.transaction() as s:
        members.delete_member(s, ids[1])
        contacts.delete_contact(s, ids[3])
    with db.transaction() as s:
        members.delete_member(s, ids[2])
    with db.session() as s:
        rows = records.recycle_bin_rows(s, "member")
        assert sorted(r[:3] for r in rows) == [(ids[1], "甲商行", "2021-02-03"), (ids[2], "乙商行", "")]
        assert all(len(r[3]) == 16 for r in rows)  # deleted at, to the minute
        assert records.recycle_bin_rows(s, "contact")[0][:3] == (ids[3], "乙商行 · 实地走访", "2024-04-01")
        assert records.recycle_bin_rows(s, "chamber") == []
    with db.transaction() as s:
        chambers.delete_chamber(s, ids[0])
    with db.session() as s:
        assert records.recycle_bin_rows(s, "chamber")[0][:3] == (ids[0], "城关镇商会", "2015-05-01")


def test_meetings_name_their_owner_and_activities_their_title(db) -> None:
    with db.transaction() as s:
        ch = chambers.create_chamber(s, {"name": "城关镇商会", "kind": "township"})
        s.flush()
        own = Meeting(chamber_id=ch.id, body="council", date=date(2024, 1, 5))
        fed = Meeting(chamber_id=None, body="general_assembly", date=date(2024, 2, 6))
        act = Activity(title="光彩助学", category="charity", date=date(2024, 3, 7))
        s.add_all([own, fed, act])
        s.flush()
        for o in (own, fed, act):
            records.soft_delete(s, o)
        ids = own.id, fed.id, act.id
    with db.session() as s:
        assert sorted(r[:3] for r in records.recycle_bin_rows(s, "meeting")) == [
            (ids[0], "城关镇商会 · 理事会", "2024-01-05"), (ids[1], "工商联 · 会员大会（会员代表大会）", "2024-02-06")]
        assert [r[:3] for r in records.recycle_bin_rows(s, "activity")] == [(ids[2], "光彩助学", "2024-03-07")]
