"""Member services behind the ledger's Ctrl+Z: open seats, deleting seats, removing a tag, undoing 退会."""

from __future__ import annotations

from datetime import date

from chamberdesk.core import chambers, members, records
from chamberdesk.core.models import Member, Membership


def make(db, n: int) -> list[int]:
    with db.transaction() as s:
        ms = [members.create_member(s, {"kind": "personal", "enterprise_name": f"第{i}号商行", "rep_name": "李四",
                                        "join_date": date(2020, 1, 1)}) for i in range(n)]
        s.flush()
        return [m.id for m in ms]


def chamber(db, name: str = "城关镇商会") -> int:
    with db.transaction() as s:
        ch = chambers.create_chamber(s, {"name": name, "kind": "township"})
        s.flush()
        return ch.id


def test_live_members_skips_deleted_and_spans_chunks(db) -> None:
    ids = make(db, members.CHUNK + 3)
    with db.transaction() as s:
        members.delete_member(s, ids[0])
    with db.session() as s:
        live = members.live_members(s, ids)
        assert sorted(m.id for m in live) == ids[1:]
        assert members.get_member(s, ids[0]).deleted_at is not None  # still readable from the recycle bin
        assert members.get_member(s, 10**9) is None


def test_assign_undone_by_deleting_only_the_new_seats(db) -> None:
    ids = make(db, 3)
    a, b = chamber(db), chamber(db, "工业园区商会")
    with db.transaction() as s:
        members.assign_to_chamber(s, [ids[0]], a)
        members.assign_to_chamber(s, ids, b)
    with db.transaction() as s:
        before = set(members.open_seat_ids(s, ids, chamber_id=a))
        assert len(before) == 1 and len(members.open_seat_ids(s, ids)) == 4
        members.assign_to_chamber(s, ids, a)
        s.flush()
        added = sorted(set(members.open_seat_ids(s, ids, chamber_id=a)) - before)
    assert len(added) == 2
    with db.transaction() as s:
        members.delete_seats(s, [*added, 10**9])
    with db.session() as s:
        assert set(members.open_seat_ids(s, ids, chamber_id=a)) == before
        assert len(members.open_seat_ids(s, ids, chamber_id=b)) == 3


def test_remove_tag_keeps_other_tags(db) -> None:
    ids = make(db, 2)
    with db.transaction() as s:
        members.add_tag(s, ids, "高新技术")
        members.add_tag(s, ids, "四新")
    with db.transaction() as s:
        members.remove_tag(s, ids, "高新技术")
    with db.session() as s:
        assert [s.get(Member, i).tags for i in ids] == ["四新", "四新"]


def test_undo_mark_left_reopens_only_that_days_seats(db) -> None:
    ids = make(db, 2)
    cid = chamber(db)
    when = date(2024, 6, 30)
    with db.transaction() as s:
        members.assign_to_chamber(s, ids, cid)
    with db.transaction() as s:
        leaving = [m.id for m in members.live_members(s, ids) if m.leave_date is None]
        seats = members.open_seat_ids(s, leaving)
        assert members.mark_left(s, ids, when, "迁出本县") == 2
    with db.transaction() as s:  # one seat's end date was corrected since: that one stays closed
        moved = s.get(Membership, seats[1])
        moved.end_date = date(2024, 7, 1)
        s.add(moved)
    with db.transaction() as s:
        members.undo_mark_left(s, leaving, seats, left_on=when)
    with db.session() as s:
        ms = [records.get_live(s, Member, i) for i in ids]
        assert [(m.leave_date, m.leave_reason) for m in ms] == [(None, None), (None, None)]
        assert s.get(Membership, seats[0]).end_date is None
        assert s.get(Membership, seats[1]).end_date == date(2024, 7, 1)
