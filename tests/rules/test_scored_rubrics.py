"""Weighted scores, vetoes, grade bands and star prerequisites (通州 考评, 南京 星级)."""

from __future__ import annotations

from datetime import date

import pytest

from chamberdesk import rules
from chamberdesk.core import assessments, yearend
from tests.rules.conftest import AS_OF, add_members, chamber, model_year

EVIDENCE = {"value": True, "evidence": ["扫描件.pdf"]}


@pytest.fixture
def tz_chamber(db):
    """A chamber whose ledger earns the 30 automatic and attested target points of 通州 in 2024."""
    with db.transaction() as s:
        ch = chamber(s, "城关镇商会")
        add_members(s, ch.id, 10, date(2020, 1, 1))
        model_year(s, ch.id, 2024, new_members=2)  # 20% new members, 2 activities a quarter
        yearend.set_statistics_received(db, s, ch.id, 2024, date(2025, 1, 10))  # in by the due day
    return ch.id


def tz_inputs(scored: float, democratic: float, **extra):
    """Spread `scored` (0..70) over the five assessor items of the target part."""
    caps = [("member_work", 10), ("activity_work", 10), ("rights_work", 20), ("rules_work", 10), ("image_work", 20)]
    left, out = scored, {}
    for iid, cap in caps:
        out[iid] = min(cap, round(left, 4))
        left = round(left - out[iid], 4)
    out.update({"democratic": democratic, "finance_archived": EVIDENCE, "absences": 0})
    out.update(extra)
    return {"城关镇商会": out}


def tz(db, inputs):
    with db.session() as s:
        return rules.evaluate(s, rules.load_rubric("tongzhou-kaoping"), 2024, inputs=inputs, as_of=AS_OF)[0]


@pytest.mark.usefixtures("tz_chamber")
@pytest.mark.parametrize(("target", "democratic", "combined", "vetoed", "grade"), [
    (74.99, 100, 79.992, True, None),
    (75, 100, 80, False, None),
    (90, 89.95, 89.99, False, None),
    (90, 90, 90, False, "五好商会"),
])
def test_tongzhou_combined_score_boundaries(db, target, democratic, combined, vetoed, grade):
    r = tz(db, tz_inputs(target - 30, democratic))
    assert r.complete
    assert r.parts["target"] == pytest.approx(target)
    assert r.score == pytest.approx(combined)
    assert r.vetoed is vetoed and r.grade == grade
    assert r.passed is (grade is not None)
    if vetoed:
        assert r.veto_reasons == ["本年度工作目标考评结果得分低于75分（工作目标考评74.99分）"]


@pytest.mark.usefixtures("tz_chamber")
def test_tongzhou_veto_overrides_ninety_five(db):
    r = tz(db, tz_inputs(65, 95))
    assert r.score == pytest.approx(95) and r.grade == "五好商会" and not r.vetoed
    # the form came in, but the federation sent it back as filled in wrongly: overruled, with the reason
    r = tz(db, tz_inputs(65, 95, statistics_filed={"value": False, "override": True, "note": "数据不实，退回重报"}))
    assert r.score == pytest.approx(95)
    assert r.vetoed and r.grade is None and r.passed is False
    assert r.veto_reasons == ["未按要求填写上报年度基层商会工作情况统计表"]
    assert tz(db, tz_inputs(65, 95, absences=2)).vetoed is False
    r = tz(db, tz_inputs(65, 95, absences=3))
    assert r.vetoed and "3次以上" in r.veto_reasons[0]


def test_tongzhou_term_overdue_vetoes(db):
    with db.transaction() as s:
        ch = chamber(s, "桃源乡商会", term_start=date(2019, 4, 1), term_end=date(2024, 3, 31))
        add_members(s, ch.id, 10, date(2020, 1, 1))
        model_year(s, ch.id, 2024)
    with db.session() as s:
        r = rules.evaluate(s, rules.load_rubric("tongzhou-kaoping"), 2024,
                           inputs={"桃源乡商会": tz_inputs(65, 95)["城关镇商会"]}, as_of=AS_OF)[0]
    assert r.item("term_renewed").status == "fail"
    assert "本届2019年4月1日至2024年3月31日，届满后未换届" in r.item("term_renewed").explanation
    assert r.vetoed and r.grade is None


@pytest.mark.usefixtures("tz_chamber")
def test_tongzhou_score_out_of_range_is_refused(db):
    from chamberdesk.core.errors import ChamberDeskError

    with pytest.raises(ChamberDeskError, match="超出范围 0～100"):
        tz(db, tz_inputs(65, 101))


@pytest.mark.usefixtures("tz_chamber")
def test_tongzhou_incomplete_is_undecided(db):
    inputs = tz_inputs(65, 95)
    del inputs["城关镇商会"]["democratic"]
    r = tz(db, inputs)
    assert r.passed is None and r.grade is None and not r.complete
    assert r.item("democratic").status == "needs_input"


# --- 南京 星级: bands and prerequisites over three years ------------------------------------------------


def star_inputs(extra: float, equipment: bool = True):
    """All automatic items pass in a model year (71 points); plan 4 + equipment 5; scores make the rest."""
    caps = ["jj_investment", "jj_tax", "jj_jobs", "jj_charity"]
    out: dict = {"hw_plan": EVIDENCE, "yj_equipment": {"value": equipment, "evidence": ["照片.jpg"]}}
    left = extra
    for iid in caps:
        v = min(5, left)
        out[iid] = {"value": v, "evidence": ["证明.pdf"]}
        left -= v
    return out


def star_year(db, cid, year, inputs, finalise=True):
    with db.transaction() as s:
        r, a = rules.assess(s, rules.load_rubric("nanjing-star"), year, cid, inputs, as_of=AS_OF)
        if finalise:
            assessments.finalise_assessment(s, a.id)
    return r


def test_star_bands_and_prerequisites_over_three_years(db):
    with db.transaction() as s:
        a = chamber(s, "甲商会")
        b = chamber(s, "乙商会")
        for cid in (a.id, b.id):
            ids = add_members(s, cid, 10, date(2020, 1, 1))
            for y in (2022, 2023, 2024):
                ids += model_year(s, cid, y, new_members=2)
                from tests.rules.conftest import visit

                for mid in ids:
                    visit(s, mid, cid, date(y, 11, 1))
    r = star_year(db, a.id, 2022, star_inputs(0, equipment=False))
    assert r.score == pytest.approx(75) and r.grade == "三星级" and r.valid_until == 2024
    failing = [i.explanation for i in r.items if i.status != "pass"]
    assert len(failing) == 1 and "配备电话、电脑" in failing[0]
    r = star_year(db, a.id, 2023, star_inputs(15))
    assert r.score == pytest.approx(95)
    assert r.grade == "四星级"  # 95 points, but five stars need four stars held a year
    assert any("申报五星级须已获四星级满1年" in n for n in r.notes)
    r = star_year(db, a.id, 2024, star_inputs(15))
    assert r.grade == "五星级"
    assert any("已于2023年获四星级" in n for n in r.notes)

    # without a three-star year, 85 points give only three stars
    r = star_year(db, b.id, 2023, star_inputs(5), finalise=False)
    assert r.score == pytest.approx(85) and r.grade == "三星级"
    # drafts do not count as held titles
    r = star_year(db, b.id, 2024, star_inputs(5), finalise=False)
    assert r.grade == "三星级"
    r = star_year(db, b.id, 2024, star_inputs(0))
    assert r.score == pytest.approx(80)


def test_star_first_year_has_no_prerequisite(db):
    rubric = rules.load_rubric("nanjing-star")
    with db.transaction() as s:
        ch = chamber(s, "甲商会")
        add_members(s, ch.id, 10, date(2004, 1, 1))
        model_year(s, ch.id, 2006, new_members=2)
    with db.session() as s:
        r = rules.evaluate(s, rubric, 2006, inputs={"*": star_inputs(20)}, as_of=AS_OF)[0]
    # no visits logged: the visit item fails (3 points)
    assert r.score == pytest.approx(97) and r.grade == "五星级"
    assert "2006年为首年" in "".join(r.notes)
