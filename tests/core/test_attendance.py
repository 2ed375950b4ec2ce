"""Roll-call at the federation's meetings and activities: who is expected, marks with their reasons, the
version and the audit, and a chamber's year of absences, leaves and training absences."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from chamberdesk.core import attendance, chambers, meetings
from chamberdesk.core.attendance import ABSENT, LEAVE, PRESENT, Entry
from chamberdesk.core.errors import ChamberDeskError, Conflict, InvalidInput
from chamberdesk.core.models import AuditLog, ChamberAttendance
from tests.rules.conftest import activity, chamber, meeting

TODAY = date(2026, 6, 1)


@pytest.fixture
def county(db):
    """Three chambers; 丙 founded in mid-2025, so not expected at a meeting in March 2025."""
    with db.transaction() as s:
        a = chamber(s, "甲商会").id
        b = chamber(s, "乙商会").id
        c = chamber(s, "丙商会", founded_on=date(2025, 6, 1)).id
        m1 = meeting(s, None, "executive_committee", date(2025, 3, 8)).id
        t1 = activity(s, None, date(2025, 5, 12), "商会秘书长培训班").id
        t2 = activity(s, None, date(2025, 9, 3), "理想信念教育报告会", category="ideals").id
        x1 = activity(s, None, date(2025, 10, 20), "商会交流联谊会", category="chamber_exchange").id
        own = meeting(s, a, "council", date(2025, 4, 1)).id
    return db, {"甲": a, "乙": b, "丙": c}, {"m1": m1, "t1": t1, "t2": t2, "x1": x1, "own": own}


def test_the_expected_chambers_are_those_on_file_that_day(county):
    db, ch, ev = county
    with db.session() as s:
        march = attendance.roll_call(s, "meeting", ev["m1"])
        september = attendance.roll_call(s, "activity", ev["t2"])
    assert {r.name for r in march.rows} == {"甲商会", "乙商会"}  # 丙 was founded in June
    assert {r.chamber_id for r in september.rows} == set(ch.values())
    assert not march.taken and all(r.status == "" for r in march.rows)
    assert march.event.title == "执委会" and march.event.label() == "2025年3月8日 执委会"
    assert not march.event.training and september.event.training


def test_all_present_then_exceptions_are_stored_and_bump_the_version(county):
    db, ch, ev = county
    with db.session() as s:
        rc = attendance.roll_call(s, "meeting", ev["m1"])
    rows = attendance.all_present(rc.rows)
    assert [r.status for r in rows] == [PRESENT, PRESENT]
    entries = [r.entry() if r.chamber_id == ch["甲"] else Entry(ch["乙"], "请假", "外出招商") for r in rows]  # a Chinese label is accepted as well as the value
    with db.transaction() as s:
        saved = attendance.set_roll_call(s, "meeting", ev["m1"], entries, expected_version=rc.event.version)
    assert saved.summary() == "应到2个商会：出席1、请假1、缺席0"
    assert saved.event.version == rc.event.version + 1
    with db.session() as s:
        stored = {a.chamber_id: (a.status, a.reason) for a in s.exec(select(ChamberAttendance))}
        audit = s.exec(select(AuditLog).where(AuditLog.table_name == "chamber_attendance")).all()
    assert stored == {ch["甲"]: (PRESENT, None), ch["乙"]: (LEAVE, "外出招商")}
    assert len(audit) == 2 and {a.action for a in audit} == {"create"} and audit[0].user == "测试员"

    # a stale version is refused, and nothing changes
    with pytest.raises(Conflict), db.transaction() as s:
        attendance.set_roll_call(s, "meeting", ev["m1"], [Entry(ch["甲"], ABSENT)], expected_version=rc.event.version)
    # an unchanged mark writes nothing; a changed one is one update; a dropped one is deleted
    with db.transaction() as s:
        attendance.set_roll_call(s, "meeting", ev["m1"], [Entry(ch["乙"], LEAVE, "外出招商")], expected_version=None)
    with db.session() as s:
        actions = [a.action for a in s.exec(select(AuditLog).where(AuditLog.table_name == "chamber_attendance"))]
        assert attendance.roll_call(s, "meeting", ev["m1"]).counts() == {PRESENT: 0, LEAVE: 1, ABSENT: 0, "": 1}
    assert actions == ["create", "create", "delete"]


def test_wrong_marks_are_refused_with_every_reason(county):
    db, ch, ev = county
    entries = [Entry(ch["甲"], LEAVE, "  "), Entry(ch["乙"], "迟到"), Entry(ch["丙"], PRESENT), Entry(ch["甲"], PRESENT)]
    with pytest.raises(InvalidInput) as err, db.transaction() as s:
        attendance.set_roll_call(s, "meeting", ev["m1"], entries, expected_version=None)
    msgs = err.value.by_field()
    assert "请假须填写事由" in str(err.value) and "重复列出" in msgs[f"chamber:{ch['甲']}"]
    assert "应为出席、请假或缺席" in msgs[f"chamber:{ch['乙']}"]
    assert "不在册" in msgs[f"chamber:{ch['丙']}"]
    assert "丙商会" in str(err.value)
    with db.session() as s:
        assert s.exec(select(ChamberAttendance)).all() == []
        assert meetings.get_meeting(s, ev["m1"]).version == 1


def test_a_chambers_own_meeting_takes_no_roll_call(county):
    db, ch, ev = county
    with pytest.raises(ChamberDeskError, match="属于“甲商会”，不是区工商联组织的"), db.session() as s:
        attendance.roll_call(s, "meeting", ev["own"])
    with pytest.raises(ChamberDeskError, match="不做商会到会点名"), db.transaction() as s:
        attendance.set_roll_call(s, "meeting", ev["own"], [Entry(ch["乙"], PRESENT)], expected_version=None)


def test_a_stored_mark_of_a_chamber_since_deleted_stays_in_view_and_saves_again(county):
    db, ch, ev = county
    with db.transaction() as s:
        attendance.set_roll_call(s, "meeting", ev["m1"], [Entry(ch["甲"], PRESENT), Entry(ch["乙"], ABSENT)],
                                 expected_version=None)
        chambers.delete_chamber(s, ch["乙"])
    with db.session() as s:
        rc = attendance.roll_call(s, "meeting", ev["m1"])
    gone = [r for r in rc.rows if not r.on_file]
    assert [(r.name, r.status) for r in gone] == [("乙商会（已不在册）", ABSENT)]
    assert attendance.all_present(rc.rows)[-1].status == ABSENT  # 全部出席 leaves it as it was
    with db.transaction() as s:
        attendance.set_roll_call(s, "meeting", ev["m1"], [r.entry() for r in rc.rows if r.entry()],
                                 expected_version=None)


def test_a_year_by_chamber_by_hand(county):
    db, ch, ev = county
    a, b, c = ch["甲"], ch["乙"], ch["丙"]
    marks = {
        ("meeting", ev["m1"]): [Entry(a, ABSENT), Entry(b, LEAVE, "外出招商")],
        ("activity", ev["t1"]): [Entry(a, ABSENT), Entry(b, PRESENT)],
        ("activity", ev["t2"]): [Entry(a, ABSENT), Entry(b, ABSENT), Entry(c, PRESENT)],
        # x1 (交流联谊) left without a roll-call
    }
    with db.transaction() as s:
        for (kind, eid), entries in marks.items():
            attendance.set_roll_call(s, kind, eid, entries, expected_version=None)
        year = attendance.year_roll_calls(s, 2025, today=TODAY)
    assert year.recorded and [e.id for e in year.events] == [ev["m1"], ev["t1"], ev["t2"]]
    assert [e.title for e in year.not_called] == ["商会交流联谊会"]
    ya, yb, yc = year.of(a), year.of(b), year.of(c)
    assert attendance.marks_text(ya.absences) == ("2025年3月8日 执委会；2025年5月12日 商会秘书长培训班；"
                                                  "2025年9月3日 理想信念教育报告会")
    assert [m.event.title for m in ya.training_absences] == ["商会秘书长培训班", "理想信念教育报告会"]
    assert attendance.marks_text(yb.leaves, reasons=True) == "2025年3月8日 执委会（外出招商）"
    assert len(yb.absences) == 1 and len(yb.present) == 1
    assert len(yc.present) == 1 and not yc.absences
    assert ya.absences[0].record() == {"table": "meeting", "id": ev["m1"], "date": "2025-03-08",
                                       "label": "2025年3月8日 执委会（无故缺席）", "status": "absent"}
    # up to a day: the September roll-call is not yet in
    assert len(attendance.year_roll_calls(s, 2025, until=date(2025, 8, 31), today=TODAY).of(a).absences) == 2


def test_a_year_outside_the_records_is_refused(county):
    db, _ch, _ev = county
    with pytest.raises(ChamberDeskError, match="早于本单位台账中最早的记录"), db.session() as s:
        attendance.year_roll_calls(s, 2019, today=TODAY)
    with db.session() as s:
        assert not attendance.year_roll_calls(s, 2026, today=TODAY).recorded
