"""The demo county: realistic sizes, every record passes the validators, and some chambers fail."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import col, select

from chamberdesk.core import chambers, members
from chamberdesk.core.models import Activity, Chamber, Contact, Meeting, Member


def test_demo_sizes_and_kinds(demo_db) -> None:
    with demo_db.session() as s:
        chs = chambers.list_chambers(s)
        assert len(chs) == 12
        assert {c.kind for c in chs} >= {"township", "subdistrict", "industry", "nonlocal", "building"}
        assert 550 <= s.exec(select(func.count()).select_from(Member)).one() <= 650
        years = {d.year for d in s.exec(select(Meeting.date))}
        assert len(years) == 3
        assert s.exec(select(func.count()).select_from(Activity)).one() > 200
        assert s.exec(select(func.count()).select_from(Contact)).one() > 500


def test_every_demo_record_passes_the_validators(demo_db) -> None:
    from chamberdesk.core.activities import validate_activity
    from chamberdesk.core.meetings import validate_meeting

    with demo_db.session() as s:
        for m in s.exec(select(Member)):
            clean = members.validate_member(s, m.model_dump(), exclude_id=m.id)
            assert clean["credit_code"] == m.credit_code
            assert clean["rep_id_number"] == m.rep_id_number
        for c in s.exec(select(Chamber)):
            chambers.validate_chamber(s, c.model_dump(), exclude_id=c.id)
        for mt in s.exec(select(Meeting)):
            validate_meeting(mt.model_dump())
        for a in s.exec(select(Activity)):
            validate_activity(a.model_dump())


def test_demo_has_chambers_that_clearly_fail(demo_db) -> None:
    today = date.today()
    with demo_db.session() as s:
        by_name = {c.name: c for c in chambers.list_chambers(s)}
        assert chambers.term_status(by_name["桃源乡商会"], today) == "overdue"
        assert chambers.term_status(by_name["福州清河商会"], today) == "due"
        weak = by_name["桃源乡商会"].id
        q3 = s.exec(select(func.count()).select_from(Activity).where(
            Activity.chamber_id == weak, Activity.date >= date(today.year - 1, 7, 1),
            Activity.date < date(today.year - 1, 10, 1), col(Activity.deleted_at).is_(None))).one()
        assert q3 == 0
        assert not by_name["西湖街道商会"].has_office
