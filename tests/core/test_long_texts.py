"""Multi-line fields keep the clerk's line breaks through validation, saving and reloading."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from chamberdesk.core import activities, chambers, contacts, meetings, members
from chamberdesk.core.models import Meeting


def test_contact_notes_keep_their_lines() -> None:
    clean = contacts.validate_contact({"member_id": 1, "date": date(2024, 6, 1), "way": "实地走访",
                                       "by_whom": "王\n芳", "notes": "第一条\n第二条"})
    assert clean["notes"] == "第一条\n第二条"
    assert clean["by_whom"] == "王 芳"  # a one-line field still folds a stray break


def test_meeting_with_a_two_line_agenda_reloads_with_two_lines(db) -> None:
    agenda = "审议年度工作报告\r\n选举新一届理事会  \r\n"
    minutes = "一、开幕\n\n\n\n二、审议\t\n\u3000\u3000会议一致通过。"
    with db.transaction() as s:
        mid = meetings.create_meeting(s, {"body": "理事会", "date": date(2024, 3, 1), "agenda": agenda,
                                          "decisions": "通过报告\r决定换届", "minutes": minutes}).id
    with db.session() as s:
        m = s.exec(select(Meeting).where(Meeting.id == mid)).one()
    assert m.agenda.splitlines() == ["审议年度工作报告", "选举新一届理事会"]
    assert m.decisions == "通过报告\n决定换届"
    assert m.minutes == "一、开幕\n\n二、审议\n\u3000\u3000会议一致通过。"
    with db.transaction() as s:
        meetings.update_meeting(s, mid, {"agenda": "议题一\n议题二\n议题三"})
    with db.session() as s:
        assert s.get(Meeting, mid).agenda.count("\n") == 2


def test_every_long_text_field_keeps_lines() -> None:
    two = "第一行\n第二行"
    act = activities.validate_activity({"category": "培训", "date": date(2024, 1, 2), "title": "培训\n班", "notes": two})
    assert act["notes"] == two and act["title"] == "培训 班"
    ch = chambers.validate_chamber(None, {"name": "城关镇商会", "kind": "township", "notes": two})
    assert ch["notes"] == two
    mem = members.validate_member(None, {"kind": "enterprise", "enterprise_name": "甲公司", "notes": two,
                                         "leave_reason": "迁出\n本县"})
    assert mem["notes"] == two and mem["leave_reason"] == "迁出 本县"
