"""The 通州 absence veto and the 撤销 training warning computed from the roll-calls, by hand-counted figures;
the clerk's override with a reason; a year without any roll-call; `check --json` naming the dates."""

from __future__ import annotations

import json
from datetime import date

import pytest

from chamberdesk import rules
from chamberdesk.cli import main
from chamberdesk.core import attendance, yearend
from chamberdesk.core.attendance import ABSENT, LEAVE, PRESENT, Entry
from chamberdesk.core.errors import ChamberDeskError
from tests.rules.conftest import AS_OF, activity, chamber, meeting

YEAR = 2025
VETO = "本年度无故不参加区工商联组织的会议或活动3次以上且未请假"


@pytest.fixture
def tongzhou():
    return rules.load_rubric("tongzhou-kaoping")


@pytest.fixture
def year_of_roll_calls(db):
    """By hand: 甲 absent from the 执委会, a training and the 联谊会 (3, one of them a training) → vetoed;
    乙 on leave from the 执委会, absent from the three trainings (3, all trainings) → vetoed and warned;
    丙 absent once, on leave once → passes; 丁 founded in December, in no roll-call → 0."""
    with db.transaction() as s:
        ids = {n: chamber(s, f"{n}商会").id for n in "甲乙丙"}
        ids["丁"] = chamber(s, "丁商会", founded_on=date(YEAR, 12, 1)).id
        a, b, c = ids["甲"], ids["乙"], ids["丙"]
        m1 = meeting(s, None, "executive_committee", date(YEAR, 3, 8)).id
        t1 = activity(s, None, date(YEAR, 5, 12), "商会秘书长培训班").id
        t2 = activity(s, None, date(YEAR, 9, 3), "理想信念教育报告会", category="ideals").id
        t3 = activity(s, None, date(YEAR, 11, 15), "民营经济政策培训", category="training").id
        x1 = activity(s, None, date(YEAR, 10, 20), "商会交流联谊会", category="chamber_exchange").id
        marks = {
            ("meeting", m1): [Entry(a, ABSENT), Entry(b, LEAVE, "外出招商"), Entry(c, PRESENT)],
            ("activity", t1): [Entry(a, ABSENT), Entry(b, ABSENT), Entry(c, ABSENT)],
            ("activity", t2): [Entry(a, PRESENT), Entry(b, ABSENT), Entry(c, LEAVE, "会长住院")],
            ("activity", x1): [Entry(a, ABSENT), Entry(b, PRESENT), Entry(c, PRESENT)],
            ("activity", t3): [Entry(a, PRESENT), Entry(b, ABSENT), Entry(c, PRESENT)],
        }
        for (kind, eid), entries in marks.items():
            attendance.set_roll_call(s, kind, eid, entries, expected_version=None)
        for cid in ids.values():  # every statistics form in on time: only the absences decide the veto here
            yearend.set_statistics_received(db, s, cid, YEAR, date(YEAR + 1, 1, 10), today=AS_OF)
    return db, ids


def results(db, rubric, inputs=None, as_of=AS_OF, year=YEAR):
    with db.session() as s:
        return {r.target: r for r in rules.evaluate(s, rubric, year, inputs=inputs, as_of=as_of)}


def test_the_veto_and_the_warning_by_hand(year_of_roll_calls, tongzhou):
    db, _ids = year_of_roll_calls
    res = results(db, tongzhou)
    a, b, c, d = (res[f"{n}商会"] for n in "甲乙丙丁")
    assert [r.item("absences").value for r in (a, b, c, d)] == [3, 3, 1, 0]
    assert [r.item("absences").status for r in (a, b, c, d)] == ["fail", "fail", "pass", "pass"]
    assert a.vetoed and VETO in a.veto_reasons and a.passed is False
    assert b.vetoed and not c.vetoed and not d.vetoed
    assert a.item("absences").explanation == (
        "本年度无故不参加区工商联组织的会议或活动且未请假的次数少于3次：无故缺席3次：2025年3月8日 执委会；"
        "2025年5月12日 商会秘书长培训班；2025年10月20日 商会交流联谊会；出席2次（本年度点名5次，列本商会5次），未达标")
    assert "请假1次：2025年9月3日 理想信念教育报告会（会长住院）" in c.item("absences").explanation
    assert d.item("absences").explanation.endswith("本年度点名5次，均未列本商会，达标")
    # the 撤销 warning: 乙 missed the three trainings; 甲 missed one, and its 联谊会 is no training
    assert a.warnings == [] and c.warnings == []
    assert b.warnings == ["撤销警示：全年无故不参加工商联组织的教育培训活动3次（2025年5月12日 商会秘书长培训班；"
                          "2025年9月3日 理想信念教育报告会；2025年11月15日 民营经济政策培训），达到3次，"
                          "按规定应在工商联组织体系中予以撤销，请核实后提请研究"]
    assert b.warnings[0] in b.summary()
    # the evidence behind the figure: each absence and leave, dated
    assert [r["date"] for r in a.item("absences").records] == ["2025-03-08", "2025-05-12", "2025-10-20"]


def test_an_override_needs_its_reason_and_a_bare_value_does_not_replace_the_ledger(year_of_roll_calls, tongzhou):
    db, _ids = year_of_roll_calls
    why = "10月20日联谊会事前电话请假，经主席办公会认定"
    res = results(db, tongzhou, {"甲商会": {"absences": {"value": 2, "override": True, "note": why}},
                                 "乙商会": {"absences": 0}})
    a, b = res["甲商会"], res["乙商会"]
    it = a.item("absences")
    assert it.value == 2 and it.from_input and it.status == "pass" and not a.vetoed
    assert it.explanation.startswith("本年度无故不参加区工商联组织的会议或活动且未请假的次数少于3次：台账：无故缺席3次：")
    assert it.explanation.endswith(f"经认定改为“2次”（理由：{why}），达标")
    assert b.item("absences").value == 3 and not b.item("absences").from_input and b.vetoed
    with pytest.raises(ChamberDeskError, match="改判须写明改判后的值（value）和理由（note）"):
        results(db, tongzhou, {"甲商会": {"absences": {"value": 2, "override": True, "note": ""}}})


def test_a_year_without_any_roll_call_is_not_zero_absences(year_of_roll_calls, tongzhou):
    db, _ids = year_of_roll_calls
    with db.transaction() as s:
        meeting(s, None, "standing_committee", date(2024, 6, 1))  # a meeting, but nobody called the roll
        yearend.set_statistics_received(db, s, _ids["甲"], 2024, date(2025, 1, 10), today=AS_OF)
    res = results(db, tongzhou, year=2024)["甲商会"]
    it = res.item("absences")
    assert it.status == "needs_input" and it.value is None and not res.vetoed and res.passed is None
    assert "本年度没有记录区工商联会议、活动的到会点名" in it.explanation
    typed = results(db, tongzhou, {"甲商会": {"absences": 1}}, year=2024)["甲商会"].item("absences")
    assert typed.status == "pass" and typed.from_input and "采用填报值1次" in typed.explanation


def test_while_the_year_runs_fewer_than_three_is_not_yet_a_pass(year_of_roll_calls, tongzhou):
    db, _ids = year_of_roll_calls
    res = results(db, tongzhou, as_of=date(YEAR, 10, 1))
    a, b = res["甲商会"], res["乙商会"]
    # fewer than three so far is no pass yet: a third absence may still come before 31 December
    assert a.item("absences").value == 2 and a.item("absences").status == "year_not_over"
    assert "待年度结束后判定" in a.item("absences").explanation
    assert b.item("absences").value == 2 and b.warnings == []


def test_check_json_names_the_dates_of_a_computed_veto(year_of_roll_calls, capsys):
    db, _ids = year_of_roll_calls
    code = main(["check", "--db", str(db.engine.url.database), "--rubric", "tongzhou-kaoping", "--year", str(YEAR),
                 "--target", "甲商会", "--as-of", AS_OF.isoformat(), "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)["results"][0]
    assert out["vetoed"] and VETO in out["veto_reasons"] and out["warnings"] == []
    item = next(i for i in out["items"] if i["id"] == "absences")
    assert item["value"] == 3 and item["status"] == "fail" and not item["from_input"]
    assert [(r["table"], r["date"]) for r in item["records"]] == [
        ("meeting", "2025-03-08"), ("activity", "2025-05-12"), ("activity", "2025-10-20")]
    assert {r["status"] for r in item["records"]} == {"absent"}
    assert item["records"][0]["label"] == "2025年3月8日 执委会（无故缺席）"
    assert "2025年3月8日 执委会" in item["explanation"]
