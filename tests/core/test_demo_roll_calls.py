"""The demo county's past year of roll-calls: one chamber vetoed for three absences from meetings and
activities, one warned of 撤销 for three missed trainings (and vetoed by the same absences), leaves with reasons."""

from __future__ import annotations

from datetime import date

from chamberdesk import rules
from chamberdesk.core import attendance


def test_the_demo_years_roll_calls_give_the_veto_and_the_warning(demo_db):
    year = date.today().year - 1
    with demo_db.session() as s:
        calls = attendance.year_roll_calls(s, year)
        results = {r.target: r for r in rules.evaluate(s, rules.load_rubric("tongzhou-kaoping"), year)}
    assert calls.recorded and len(calls.events) == 9
    absent = {res.target: res.item("absences").value for res in results.values()}
    assert absent == {**dict.fromkeys(absent, 0), "餐饮业商会": 3, "桃源乡商会": 3, "西湖街道商会": 1}
    vetoed = {t for t, r in results.items() if any("无故不参加" in v for v in r.veto_reasons)}
    assert vetoed == {"餐饮业商会", "桃源乡商会"}
    assert {t for t, r in results.items() if r.warnings} == {"桃源乡商会"}
    assert results["餐饮业商会"].warnings == []  # its absences were at meetings and an exchange, no training
    leaves = [m.reason for cy in calls.chambers.values() for m in cy.leaves]
    assert sorted(leaves) == sorted(["会长外出考察", "外出招商", "参加省电子商务峰会", "会长住院"])
