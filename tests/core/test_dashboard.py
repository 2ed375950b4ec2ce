"""The dashboard's figures against hand counts on a small hand-made county."""

from __future__ import annotations

from datetime import date

import pytest

from chamberdesk.core import activities, chambers, meetings, members
from chamberdesk.core.dashboard import compute_dashboard, elapsed_quarters
from chamberdesk.core.db import open_database
from chamberdesk.core.members import count_on_roll
from chamberdesk.core.validators import credit_code_check_char

TODAY = date(2026, 8, 15)  # Q1 and Q2 are over, Q3 is running


def _code(n: int) -> str:
    body = f"91130534MA{n:05d}X1"
    return body + credit_code_check_char(body)


@pytest.fixture
def db(tmp_path):
    d = open_database(tmp_path / "dash.db", create=True)
    yield d
    d.close()


@pytest.fixture
def county(db):
    """Two chambers: 甲 is in order, 乙 has an overdue term, no office, a part-time 秘书长 and an empty Q2."""
    with db.transaction() as s:
        good = chambers.create_chamber(s, {
            "name": "甲镇商会", "kind": "township", "term_start": date(2024, 1, 1), "term_end": date(2029, 1, 1),
            "has_office": True, "secretary_fulltime": True})
        bad = chambers.create_chamber(s, {
            "name": "乙业商会", "kind": "industry", "term_start": date(2020, 1, 1), "term_end": date(2025, 6, 30),
            "has_office": False, "secretary_fulltime": False})
        due = chambers.create_chamber(s, {
            "name": "丙异地商会", "kind": "nonlocal", "term_start": date(2021, 10, 1), "term_end": date(2026, 10, 1),
            "has_office": True, "secretary_fulltime": True})
        gone = chambers.create_chamber(s, {"name": "丁街道商会", "kind": "subdistrict"})
        chambers.delete_chamber(s, gone.id)
        joins = [date(2020, 5, 1), date(2024, 3, 1), date(2025, 2, 1), date(2025, 7, 1),
                 date(2026, 1, 10), date(2026, 3, 3), date(2026, 6, 6)]
        ids = []
        for i, j in enumerate(joins):
            m = members.create_member(s, {"kind": "enterprise", "enterprise_name": f"测试企业{i}有限公司", "credit_code": _code(i),
                                          "join_date": j}, seats=[(good.id, "member")])
            ids.append(m.id)
        # one left last year, one this year
        members.mark_left(s, [ids[1]], date(2025, 11, 1), "迁出")
        members.mark_left(s, [ids[2]], date(2026, 4, 1), "注销")
        # one deleted member never counts
        x = members.create_member(s, {"kind": "enterprise", "enterprise_name": "已删除企业", "join_date": date(2026, 2, 2)})
        members.delete_member(s, x.id)
        for d in (date(2026, 2, 1), date(2026, 3, 1), date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)):
            activities.create_activity(s, {"chamber_id": good.id, "category": "training", "date": d, "title": "培训"})
        activities.create_activity(s, {"chamber_id": bad.id, "category": "training", "date": date(2026, 1, 5),
                                       "title": "培训"})
        activities.create_activity(s, {"chamber_id": due.id, "category": "charity", "date": date(2026, 1, 5),
                                       "title": "公益"})
        activities.create_activity(s, {"chamber_id": due.id, "category": "charity", "date": date(2026, 2, 5),
                                       "title": "公益"})
        activities.create_activity(s, {"chamber_id": due.id, "category": "charity", "date": date(2026, 4, 5),
                                       "title": "公益"})
        activities.create_activity(s, {"category": "theory_study", "date": date(2026, 4, 20), "title": "理论学习"})
        activities.create_activity(s, {"category": "theory_study", "date": date(2025, 4, 20), "title": "去年"})
        old = activities.create_activity(s, {"category": "other", "date": date(2026, 4, 21), "title": "删掉的"})
        activities.delete_activity(s, old.id)
        meetings.create_meeting(s, {"chamber_id": good.id, "body": "council", "date": date(2026, 3, 1)})
        meetings.create_meeting(s, {"chamber_id": due.id, "body": "council", "date": date(2026, 3, 1)})
        meetings.create_meeting(s, {"body": "standing_committee", "date": date(2026, 1, 20)})
    return {"good": good.id, "bad": bad.id, "due": due.id, "member_ids": ids}


def test_member_figures_match_hand_counts(db, county):
    with db.session() as s:
        f = compute_dashboard(s, 2026, today=TODAY)
    # end of 2025: joined 2020, 2024 (left 2025-11 → out), 2025-02, 2025-07 → 3
    assert f.members_last_year == 3
    # today: 2020, 2025-07 and the three 2026 joins; 2025-02 left in April → 5
    assert f.members_now == 5
    assert f.new_members == 3
    assert f.left_members == 1
    assert f.growth == pytest.approx(2 / 3)
    assert f.member_trend == [(2024, 2), (2025, 3), (2026, 5)]
    with db.session() as s:
        assert count_on_roll(s, date(2026, 1, 9)) == 3


def test_chambers_activities_and_meetings(db, county):
    with db.session() as s:
        f = compute_dashboard(s, 2026, today=TODAY)
    assert f.chambers_by_kind["township"] == 1
    assert f.chambers_by_kind["industry"] == 1
    assert f.chambers_by_kind["nonlocal"] == 1
    assert f.chambers_by_kind["subdistrict"] == 0  # the deleted one is not counted
    assert f.chambers_total == 3
    # quarter → (federation, chambers)
    assert f.activities_by_quarter == {1: (0, 5), 2: (1, 3), 3: (0, 1), 4: (0, 0)}
    assert f.activities_total == 10
    assert f.meetings_this_year == 3
    assert f.elapsed_quarters == [1, 2]


def test_terms(db, county):
    with db.session() as s:
        f = compute_dashboard(s, 2026, today=TODAY)
    assert [(t.name, t.overdue) for t in f.terms] == [("乙业商会", True), ("丙异地商会", False)]
    assert f.terms[1].days == (date(2026, 10, 1) - TODAY).days


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
    from chamberdesk import rules

    d = open_database(tmp_path / "cond.db", create=True)
    try:
        with d.transaction() as s:
            good = _complete_chamber(s, "甲镇商会", "township")
            no_rule = _complete_chamber(s, "乙镇商会", "township", rules="meeting,finance,dues,archive")
            idle = _complete_chamber(s, "丙业商会", "industry", active=False)
        with d.session() as s:
            f = compute_dashboard(s, 2025, today=TODAY)
            report = rules.chamber_conditions(s, 2025, as_of=TODAY)
    finally:
        d.close()
    by_id = {i.chamber_id: i for i in f.chamber_issues}
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
    assert len(f.chamber_issues) == 2 == len(report.failing())
    assert f.condition_errors == []


def test_an_unfinished_year_flags_only_what_can_no_longer_be_met(tmp_path):
    d = open_database(tmp_path / "cond.db", create=True)
    try:
        with d.transaction() as s:
            no_rule = _complete_chamber(s, "乙镇商会", "township", rules="meeting,finance,dues,archive")
            quiet = _complete_chamber(s, "丙镇商会", "township", active=False)  # nothing yet in 2026
        with d.session() as s:
            f = compute_dashboard(s, 2026, today=date(2026, 2, 15))  # no quarter over yet
    finally:
        d.close()
    by_id = {i.chamber_id: i for i in f.chamber_issues}
    assert no_rule.id in by_id  # a missing rule is a fact today
    assert quiet.id not in by_id  # activities can still come before the year ends


def test_past_year_refers_to_its_last_day(db, county):
    with db.session() as s:
        f = compute_dashboard(s, 2025, today=TODAY)
    assert f.ref_date == date(2025, 12, 31)
    assert f.members_now == 3
    assert f.members_last_year == 2
    assert f.new_members == 2
    assert f.elapsed_quarters == [1, 2, 3, 4]
    assert f.activities_total == 1


def test_elapsed_quarters():
    assert elapsed_quarters(2026, date(2026, 3, 31)) == []
    assert elapsed_quarters(2026, date(2026, 4, 1)) == [1]
    assert elapsed_quarters(2025, date(2026, 1, 1)) == [1, 2, 3, 4]
