"""The federation rubrics (一个设立五个确保, 河南五好) and saved assessments that stay as they were."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert

from chamberdesk import rules
from chamberdesk.core import assessments, federation
from chamberdesk.core.errors import ChamberDeskError, Conflict
from chamberdesk.core.models import Member
from tests.rules.conftest import AS_OF, activity, chamber, fed, meeting


def run(db, rid, year, inputs=None):
    with db.session() as s:
        return rules.evaluate(s, rules.load_rubric(rid), year, inputs=inputs, as_of=AS_OF)[0]


def full_federation_year(s, year):
    for body, n in (("standing_committee", 2), ("executive_committee", 1)):
        for k in range(n):
            meeting(s, None, body, date(year, 3 + 4 * k, 1))
    plan = {"theory_study": 2, "publicity": 2, "training": 1, "research": 1, "policy_advice": 2, "charity": 1,
            "chamber_exchange": 1, "investment": 1, "villages": 1}
    for cat, n in plan.items():
        for k in range(n):
            activity(s, None, date(year, 2 + k, 10), f"县工商联{cat}", cat)
    federation.set_budget(s, year, working_funds=60000, investment_funds=200000)


@pytest.mark.parametrize(("area", "status"), [(59.9, "fail"), (60, "pass")])
def test_wuge_office_area(db, area, status):
    with db.transaction() as s:
        fed(s, office_area=area)
        full_federation_year(s, 2024)
    r = run(db, "wuge-quebao", 2024)
    assert r.target == "测试县工商业联合会"
    it = r.item("office_area")
    assert it.status == status
    assert it.explanation.startswith(f"办公用房面积不少于60平方米：基本情况记载办公用房面积{area:g}㎡")
    assert r.passed is (status == "pass")


def test_wuge_counts_staffing_and_budget(db):
    with db.transaction() as s:
        fed(s, staff_quota=2, staff_count=4, phone_count=1)
        full_federation_year(s, 2024)
        federation.set_budget(s, 2024, working_funds=59999, investment_funds=200000)
    r = run(db, "wuge-quebao", 2024)
    fails = {i.id for i in r.items if i.status == "fail"}
    assert fails == {"staffing", "phones", "working_funds"}
    assert "编制数2个、工作人员4人" in r.item("staffing").explanation
    r = run(db, "wuge-quebao", 2023)  # no budget and no activities recorded for 2023
    assert r.item("working_funds").status == "needs_input"
    assert r.item("standing_committee").status == "fail"


def _bulk_members(s, n, joined):
    s.execute(insert(Member), [{"kind": "enterprise", "enterprise_name": f"批量企业{joined.year}-{i}",
                                "join_date": joined, "tags": ""} for i in range(n)])


@pytest.mark.parametrize(("total_2024", "status"), [(117, "fail"), (118, "pass")])
def test_henan_three_year_growth(db, total_2024, status):
    # 100 members at the end of 2021; 5.5% a year for three years is 117.42
    with db.transaction() as s:
        fed(s)
        _bulk_members(s, 100, date(2020, 1, 1))
        _bulk_members(s, total_2024 - 100, date(2023, 6, 1))
    it = run(db, "henan-county-wuhao", 2024).item("art5_growth")
    assert it.status == status
    assert f"2021年末100家、2022年末100家、2023年末{total_2024}家、2024年末{total_2024}家" in it.explanation


def test_henan_growth_just_under_and_enterprise_share(db):
    with db.transaction() as s:
        fed(s, private_enterprises=500)
        _bulk_members(s, 1000, date(2020, 1, 1))
        _bulk_members(s, 174, date(2024, 6, 1))  # (1174/1000)^(1/3) - 1 = 5.477%: just under
    it = run(db, "henan-county-wuhao", 2024).item("art5_growth")
    assert it.status == "fail" and it.value < 0.055
    share = run(db, "henan-county-wuhao", 2024).item("art5_share")
    assert share.status == "pass" and "企业会员1174家，本地民营企业500户" in share.explanation


def test_henan_formation_rate_needs_township_count(db):
    with db.transaction() as s:
        fed(s)
        chamber(s, "城关镇商会")
        chamber(s, "柳河镇商会")
        chamber(s, "东关街道商会", kind="subdistrict")
        chamber(s, "建筑业商会", kind="industry")
    r = run(db, "henan-county-wuhao", 2024)
    assert r.item("art9_formation").status == "needs_input"
    assert "须先填报本地乡镇（街道）总数" in r.item("art9_formation").explanation
    r = run(db, "henan-county-wuhao", 2024, {"本级工商联": {"township_count": 3}})
    assert r.item("art9_formation").status == "pass" and r.item("art9_formation").value == 1.0
    r = run(db, "henan-county-wuhao", 2024, {"本级工商联": {"township_count": 4}})
    assert r.item("art9_formation").status == "fail"
    assert "本地乡镇（街道）4个，已组建商会3个，组建率75%" in r.item("art9_formation").explanation


def test_rubric_years_are_enforced(db, user_rubrics):
    rules.copy_rubric("siyou", "siyou-old", "四有（旧）")
    path = user_rubrics / "siyou-old.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("applies_years = [2013, 0]",
                                                             "applies_years = [2013, 2019]"), encoding="utf-8")
    with db.session() as s, pytest.raises(ChamberDeskError, match="适用于2013—2019，不适用于2024年"):
        rules.evaluate(s, rules.load_rubric("siyou-old"), 2024)


def test_assessment_is_locked_and_reproducible_after_the_file_changes(db, user_rubrics):
    rubric = rules.copy_rubric("wuyou-wuhao", "ours", "本县五有五好")
    with db.transaction() as s:
        ch = chamber(s, "城关镇商会")
        for m in (1, 2, 4, 5, 7, 10, 11):
            activity(s, ch.id, date(2024, m, 3))
        activity(s, ch.id, date(2024, 8, 3))
    inputs = {"finance_archived": {"value": True, "evidence": ["账.pdf"]}, "archive_central": True}
    with db.transaction() as s:
        res, a = rules.assess(s, rubric, 2024, "城关镇商会", inputs, as_of=AS_OF)
    assert res.item("quarterly_activities").status == "pass"
    with db.transaction() as s:
        with pytest.raises(ChamberDeskError, match="待填写"):
            # member growth has no figure (no members at the start of the year)
            assessments.finalise_assessment(s, a.id)
        res, a = rules.assess(s, rubric, 2024, "城关镇商会", {**inputs, "member_growth": 0.2}, as_of=AS_OF)
        assessments.finalise_assessment(s, a.id)
    before = res.to_dict()

    # the office tightens its rubric afterwards
    path = user_rubrics / "ours.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("threshold = 2\n", "threshold = 3\n")
                    .replace('version = "2013.1"', 'version = "2025.1"'), encoding="utf-8")
    edited = rules.load_rubric("ours")
    assert edited.item("quarterly_activities").threshold == 3
    with db.session() as s:
        now = rules.evaluate(s, edited, 2024, ["城关镇商会"], {"*": inputs}, as_of=AS_OF)[0]
        assert now.item("quarterly_activities").status == "fail"
        stored = assessments.get_assessment(s, "ours", 2024, ch.id)
        assert stored.finalised and stored.rubric_version == "2013.1"
        assert rules.stored_result(stored).to_dict() == before
        old = rules.rubric_of(stored)
        assert old.version == "2013.1" and old.item("quarterly_activities").threshold == 2
        again = rules.evaluate(s, old, 2024, ["城关镇商会"], {"*": assessments.stored_inputs(stored)}, as_of=AS_OF)[0]
        assert [(i.id, i.status, i.explanation) for i in again.items] == \
            [(i.id, i.status, i.explanation) for i in rules.stored_result(stored).items]
    with db.transaction() as s, pytest.raises(Conflict, match="已定稿"):
        assessments.save_assessment(s, edited, now, inputs)


def test_figures_at_the_threshold_compare_exactly():
    from chamberdesk.rules.engine import compare

    assert 1055 / 1000 - 1 < 0.055  # the float lands a hair below
    assert compare(1055 / 1000 - 1, ">=", 0.055)
    assert not compare(1055 / 1000 - 1, ">", 0.055)
    assert compare(0.1, ">", 0.1) is False


def test_chamber_standing_prefers_a_finalised_grade(db):
    with db.transaction() as s:
        ch = chamber(s, "城关镇商会")
        cats = ["legal", "charity", "training", "training"]
        for k, m in enumerate((1, 2, 4, 5, 7, 8, 10, 11)):
            activity(s, ch.id, date(2024, m, 3), category=cats[k % 4])
        meeting(s, ch.id, "council", date(2024, 3, 1))
    with db.session() as s:
        line = rules.chamber_standing(s, ch.id, 2024, as_of=AS_OF)
    assert line == "2024年“五有五好”商会自动核对：达标9项、未达标0项、待填写3项（未定稿）"  # no members yet
    inputs = {"finance_archived": {"value": True, "evidence": ["账.pdf"]}, "archive_central": True,
              "member_growth": 0.2}
    with db.transaction() as s:
        res, a = rules.assess(s, rules.load_rubric("wuyou-wuhao"), 2024, ch.id, inputs, as_of=AS_OF)
        assert res.passed is True
        assessments.finalise_assessment(s, a.id)
    with db.session() as s:
        assert rules.chamber_standing(s, ch.id, 2025, as_of=AS_OF) == "2024年“五有五好”商会：五有五好商会（已定稿）"
