"""The dashboard's list of chambers missing basic conditions (四有, 五有五好), from the rubrics."""

from __future__ import annotations

from datetime import date

from chamberdesk.core import activities, chambers, meetings, members
from chamberdesk.core.db import open_database
from chamberdesk.core.validators import credit_code_check_char
from chamberdesk.rules.standing import chamber_conditions, chamber_issues

TODAY = date(2026, 8, 15)


def _code(n: int) -> str:
    body = f"91130534MA{n:05d}X1"
    return body + credit_code_check_char(body)


FULL_RULES = "meeting,finance,dues,archive,activity"


def _complete_chamber(s, name: str, kind: str, *, rules: str = FULL_RULES, active: bool = True):
    """A chamber meeting every automatic 四有 / 五有五好 item for 2025, unless told otherwise."""
    ch = chambers.create_chamber(s, {
        "name": name, "kind": kind, "term_start": date(2024, 1, 1), "term_end": date(2029, 1, 1),
        "has_office": True, "office_area": 80.0, "secretary_fulltime": True, "fulltime_staff": 1,
        "annual_funds": 30000.0, "rules": rules, "secretary_general_name": "王秘书"})
    n = len(name) * 100 + (1 if kind == "township" else 2) * 10_000
    for i in range(12):  # 10 at the start of 2025, 2 new in it: 20 % growth
        joined = date(2024, 5, 1) if i < 10 else date(2025, 5, 1)
        members.create_member(s, {"kind": "enterprise", "enterprise_name": f"{name}会员{i}有限公司",
                                  "credit_code": _code(n + i + hash(name) % 5000), "join_date": joined},
                              seats=[(ch.id, "member")])
    if active:
        for q in range(4):
            for d, cat in ((date(2025, 3 * q + 1, 10), "legal"), (date(2025, 3 * q + 2, 10), "charity")):
                activities.create_activity(s, {"chamber_id": ch.id, "category": cat, "date": d, "title": "会员活动"})
        meetings.create_meeting(s, {"chamber_id": ch.id, "body": "council", "date": date(2025, 3, 1),
                                    "agenda": "议题", "decisions": "决议"})
    return ch


def test_chambers_missing_conditions_come_from_the_rubrics(tmp_path):
    """The list holds exactly the chambers failing 四有 or 五有五好, with the failed rubric named."""
    d = open_database(tmp_path / "cond.db", create=True)
    try:
        with d.transaction() as s:
            good = _complete_chamber(s, "甲镇商会", "township")
            no_rule = _complete_chamber(s, "乙镇商会", "township", rules="meeting,finance,dues,archive")
            idle = _complete_chamber(s, "丙业商会", "industry", active=False)
        with d.session() as s:
            found, errors = chamber_issues(s, 2025, TODAY)
            report = chamber_conditions(s, 2025, as_of=TODAY)
    finally:
        d.close()
    by_id = {i.chamber_id: i for i in found}
    assert set(by_id) == {no_rule.id, idle.id}
    assert good.id not in by_id
    # one missing rule (活动制度) fails both rubrics, on exactly that item
    assert by_id[no_rule.id].issues == ["siyou", "wuyou-wuhao"]
    assert by_id[no_rule.id].details == ["“四有”：建立会议、财务、档案、活动制度", "“五有五好”：有制度"]
    assert any("缺活动制度" in e for e in by_id[no_rule.id].explanations)
    # an industry chamber is outside 四有: only 五有五好 can fail it
    assert by_id[idle.id].issues == ["wuyou-wuhao"]
    assert "siyou" not in report.chambers[idle.id].results
    # the count is the number of chambers the rubrics fail, and the same as the engine's own list
    assert len(found) == 2 == len(report.failing())
    assert errors == []


def test_an_unfinished_year_flags_only_what_can_no_longer_be_met(tmp_path):
    d = open_database(tmp_path / "cond.db", create=True)
    try:
        with d.transaction() as s:
            no_rule = _complete_chamber(s, "乙镇商会", "township", rules="meeting,finance,dues,archive")
            quiet = _complete_chamber(s, "丙镇商会", "township", active=False)  # nothing yet in 2026
        with d.session() as s:
            found, _errors = chamber_issues(s, 2026, date(2026, 2, 15))  # no quarter over yet
    finally:
        d.close()
    by_id = {i.chamber_id: i for i in found}
    assert no_rule.id in by_id  # a missing rule is a fact today
    assert quiet.id not in by_id  # activities can still come before the year ends
