"""Helpers for rulebook tests: small hand-made ledgers built through the core services."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest

from chamberdesk.core import activities, chambers, contacts, federation, meetings, members
from chamberdesk.core.validators import credit_code_check_char

AS_OF = date(2026, 6, 1)  # every test year before 2026 is over
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def user_rubrics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the office's rubric folder inside the test's temporary folder."""
    folder = tmp_path / "user-rubrics"
    monkeypatch.setattr("chamberdesk.paths.user_rubric_dir", lambda: folder)
    return folder


def credit_code() -> str:
    body = f"91130534MA{next(_seq):07d}"
    return body + credit_code_check_char(body)


def chamber(s, name: str, kind: str = "township", **kw):
    data = {"name": name, "kind": kind, "has_office": True, "office_area": 80.0, "fulltime_staff": 1,
            "parttime_staff": 1, "annual_funds": 50000.0, "party_org": "own",
            "rules": "meeting,finance,dues,archive,membership,study,activity", "secretary_general_name": "王秘书",
            "secretary_fulltime": True, "registered": True, "inspection_passed": True,
            "term_start": date(2022, 6, 1), "term_end": date(2027, 5, 31)}
    data.update(kw)
    if data["registered"] and "credit_code" not in kw:  # registered with 民政: a 社会团体 code
        body = f"51130534MJ{next(_seq):07d}"
        data["credit_code"] = body + credit_code_check_char(body)
    return chambers.create_chamber(s, data)


def add_members(s, chamber_id: int | None, n: int, joined: date, *, complete: bool = True,
                tags: str = "", phone: bool = True) -> list[int]:
    ids = []
    for _ in range(n):
        k = next(_seq)
        data = {"kind": "enterprise", "enterprise_name": f"测试企业{k}有限公司", "join_date": joined, "tags": tags}
        if complete:
            data.update({"credit_code": credit_code(), "rep_name": f"代表{k}", "industry": "C"})
        if phone:
            data["rep_phone"] = f"138{k:08d}"
        seats = [(chamber_id, "member")] if chamber_id is not None else []
        ids.append(members.create_member(s, data, seats=seats).id)
    return ids


def activity(s, chamber_id: int | None, d: date, title: str = "会员活动", category: str = "training"):
    return activities.create_activity(s, {"chamber_id": chamber_id, "category": category, "date": d, "title": title})


def meeting(s, chamber_id: int | None, body: str, d: date, *, agenda: str = "议题", decisions: str = "决议"):
    return meetings.create_meeting(s, {"chamber_id": chamber_id, "body": body, "date": d, "agenda": agenda,
                                       "decisions": decisions})


def visit(s, member_id: int, chamber_id: int | None, d: date, way: str = "visit"):
    return contacts.log_contact(s, {"member_id": member_id, "chamber_id": chamber_id, "date": d, "way": way})


def model_year(s, chamber_id: int, year: int, *, new_members: int = 2) -> list[int]:
    """A year in which a chamber does everything the shipped chamber rubrics count."""
    ids = add_members(s, chamber_id, new_members, date(year, 2, 1))
    for body, times in (("general_assembly", 1), ("council", 2), ("president_office", 4), ("supervisory_board", 1)):
        for t in range(times):
            meeting(s, chamber_id, body, date(year, 1 + 3 * t, 15))
    cats = ["training", "legal", "charity", "theory_study", "gov_dialogue", "trade", "villages", "mediation"]
    for q in range(4):
        for k in range(2):
            activity(s, chamber_id, date(year, 3 * q + 1 + k, 10), f"活动{q}{k}", cats[2 * q + k])
    return ids


def fed(s, **kw):
    data = {"name": "测试县工商业联合会", "staff_quota": 3, "staff_count": 5, "party_group": True, "own_account": True,
            "office_area": 60.0, "fax_count": 1, "phone_count": 2, "copier_count": 1, "computer_count": 3,
            "printer_count": 1, "car_count": 1, "private_enterprises": 100}
    data.update(kw)
    return federation.save_federation(s, data)
