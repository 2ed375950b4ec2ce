"""Hand-computed cases for the chamber rubrics, with the boundaries the standards turn on."""

from __future__ import annotations

from datetime import date

import pytest

from chamberdesk import rules
from chamberdesk.core.errors import ChamberDeskError
from tests.rules.conftest import AS_OF, activity, add_members, chamber, meeting, model_year, visit


def run(db, rid, year, targets=None, inputs=None, as_of=AS_OF):
    with db.session() as s:
        return rules.evaluate(s, rules.load_rubric(rid), year, targets, inputs, as_of=as_of)


@pytest.mark.parametrize(("new", "status", "ratio"), [(1, "fail", "5%"), (2, "fail", "10%"), (3, "pass", "15%")])
def test_wuyou_growth_must_exceed_ten_percent(db, new, status, ratio):
    with db.transaction() as s:
        ch = chamber(s, "城关镇商会")
        add_members(s, ch.id, 20, date(2020, 5, 1))
        add_members(s, ch.id, new, date(2024, 3, 1))
    it = run(db, "wuyou-wuhao", 2024)[0].item("member_growth")
    assert it.status == status
    assert it.value == pytest.approx(new / 20)
    assert f"本年度新发展{new}家÷年初会员20家＝{ratio}" in it.explanation


def test_quarterly_activities_two_vs_one_vs_none(db):
    with db.transaction() as s:
        a = chamber(s, "甲商会")
        b = chamber(s, "乙商会")
        c = chamber(s, "丙商会")
        for q_month in (1, 4, 7, 10):
            activity(s, a.id, date(2024, q_month, 5), "学习")
            activity(s, a.id, date(2024, q_month + 1, 5), "座谈")
        for q_month in (1, 4, 10):
            activity(s, b.id, date(2024, q_month, 5))
            activity(s, b.id, date(2024, q_month + 1, 5))
        activity(s, b.id, date(2024, 7, 12), "会员培训")
        for q_month in (1, 7, 10):
            activity(s, c.id, date(2024, q_month, 5))
            activity(s, c.id, date(2024, q_month + 1, 5))
    res = {r.target: r.item("quarterly_activities") for r in run(db, "wuyou-wuhao", 2024)}
    assert res["甲商会"].status == "pass" and res["甲商会"].value == 2
    assert res["甲商会"].explanation == "活动开展好：每季度会员活动不少于2次：各季度分别为2、2、2、2次会员活动，达标"
    assert res["甲商会"].value_words == "各季度均为2次"
    assert res["乙商会"].status == "fail" and res["乙商会"].value == 1
    assert res["乙商会"].explanation.startswith("活动开展好：每季度会员活动不少于2次：第三季度仅1次（7月12日 会员培训）")
    # the figure names the weakest quarter and every quarter's count, not a bare "1次"
    assert res["乙商会"].value_words == "最少：第三季度1次。各季度：一季度2次、二季度2次、三季度1次、四季度2次"
    assert res["乙商会"].records[0]["table"] == "activity"
    assert res["丙商会"].status == "fail" and res["丙商会"].value == 0
    assert "第二季度无会员活动" in res["丙商会"].explanation
    assert res["丙商会"].value_words.startswith("最少：第二季度0次。")


def test_unfinished_year_never_passes_without_the_figure(db):
    with db.transaction() as s:
        ch = chamber(s, "甲商会")
        for m in (1, 2, 4, 5):
            activity(s, ch.id, date(2026, m, 3))
    it = run(db, "wuyou-wuhao", 2026, as_of=date(2026, 7, 20))[0].item("quarterly_activities")
    assert it.status == "year_not_over" and "第三季度无会员活动（进行中）" in it.explanation
    with db.transaction() as s:
        activity(s, ch.id, date(2026, 7, 3))
    # a finished quarter below the line settles it even before the year ends
    with db.transaction() as s:
        activity(s, ch.id, date(2026, 8, 3))
        ch2 = chamber(s, "乙商会")
        activity(s, ch2.id, date(2026, 1, 3))
    res = {r.target: r.item("quarterly_activities") for r in run(db, "wuyou-wuhao", 2026, as_of=date(2026, 7, 20))}
    assert res["甲商会"].status == "year_not_over"  # Q4 has not begun, Q3 already at 2
    assert res["乙商会"].status == "fail"


def test_attested_and_evidence(db):
    with db.transaction() as s:
        chamber(s, "甲商会")
    item = run(db, "wuyou-wuhao", 2024)[0].item("finance_archived")
    assert item.status == "needs_input" and "待填写" in item.explanation
    item = run(db, "wuyou-wuhao", 2024, inputs={"甲商会": {"finance_archived": True}})[0].item("finance_archived")
    assert item.status == "needs_input" and "须附凭证" in item.explanation
    item = run(db, "wuyou-wuhao", 2024, inputs={"甲商会": {"finance_archived": {"value": "是", "evidence": ["账册.pdf"]}}})[0]
    assert item.item("finance_archived").status == "pass"
    assert "账册.pdf" in item.item("finance_archived").explanation
    item = run(db, "wuyou-wuhao", 2024, inputs={"甲商会": {"finance_archived": False}})[0].item("finance_archived")
    assert item.status == "fail"
    with pytest.raises(ChamberDeskError, match="填报值“也许”无效"):
        run(db, "wuyou-wuhao", 2024, inputs={"甲商会": {"finance_archived": "也许"}})


def test_missing_ledger_figure_is_needs_input_and_can_be_entered(db):
    with db.transaction() as s:
        chamber(s, "甲商会", annual_funds=None)
    it = run(db, "wuyou-wuhao", 2024)[0].item("funds")
    assert it.status == "needs_input" and "未填写年度经费" in it.explanation
    it = run(db, "wuyou-wuhao", 2024, inputs={"甲商会": {"funds": 20000}})[0].item("funds")
    assert it.status == "pass" and it.from_input and "采用填报值" in it.explanation


def test_siyou_all_four(db):
    with db.transaction() as s:
        good = chamber(s, "城关镇商会")
        chamber(s, "西湖街道商会", kind="subdistrict", has_office=False, office_area=None, fulltime_staff=0,
                secretary_fulltime=False, rules="meeting,finance")
        chamber(s, "建筑业商会", kind="industry")
        activity(s, good.id, date(2024, 5, 1))
    res = {r.target: r for r in run(db, "siyou", 2024)}
    assert set(res) == {"城关镇商会", "西湖街道商会"}  # 四有 is for township and sub-district chambers
    assert res["城关镇商会"].passed is True and res["城关镇商会"].grade == "达到“四有”"
    bad = res["西湖街道商会"]
    assert bad.passed is False
    assert {i.id for i in bad.items if i.status == "fail"} == {"staffed", "office", "rules", "activities"}
    assert "缺档案制度、活动制度" in bad.item("rules").explanation


def test_sihao_contact_coverage_boundaries(db):
    with db.transaction() as s:
        ch = chamber(s, "甲商会")
        ids = add_members(s, ch.id, 10, date(2020, 1, 1))
        for mid in ids[:2]:
            visit(s, mid, ch.id, date(2024, 3, 1))
        for mid in ids[2:6]:
            visit(s, mid, ch.id, date(2024, 3, 1), way="phone")
        ch2 = chamber(s, "乙商会")
        ids2 = add_members(s, ch2.id, 10, date(2020, 1, 1), phone=False)
        visit(s, ids2[0], ch2.id, date(2024, 3, 1))
        for mid in ids2[1:5]:
            visit(s, mid, ch2.id, date(2024, 3, 1), way="wechat")
        visit(s, ids2[5], ch2.id, date(2023, 3, 1))  # last year's visit does not count
    res = {r.target: r for r in run(db, "sihao", 2024)}
    a, b = res["甲商会"], res["乙商会"]
    assert (a.item("visited").status, a.item("visited").value) == ("pass", 0.2)
    assert (a.item("contacted").status, a.item("contacted").value) == ("pass", 0.6)
    assert a.item("reachable").status == "pass"
    assert (b.item("visited").status, b.item("visited").value) == ("fail", 0.1)
    assert (b.item("contacted").status, b.item("contacted").value) == ("fail", 0.5)
    assert (b.item("reachable").status, b.item("reachable").value) == ("fail", 0.5)
    assert "在册会员10家，本年度实地走访1家，占10%" in b.item("visited").explanation
    assert res["甲商会"].valid_until is None  # not complete: attested items are still open


def test_sihao_growth_year_on_year_and_validity(db):
    with db.transaction() as s:
        ch = chamber(s, "甲商会")
        add_members(s, ch.id, 10, date(2021, 1, 1))
        model_year(s, ch.id, 2023, new_members=1)
        ids = model_year(s, ch.id, 2024, new_members=1)
        for mid in ids:
            visit(s, mid, ch.id, date(2024, 6, 1))
        flat = chamber(s, "乙商会")
        add_members(s, flat.id, 10, date(2021, 1, 1))
        model_year(s, flat.id, 2024, new_members=1)
    att = {k: {"value": True, "evidence": ["材料.pdf"]} for k in
           ("young_generation", "no_penalty", "plan_summary", "disclosure", "credit")}
    res = {r.target: r for r in run(db, "sihao", 2024, inputs={"*": att})}
    assert res["甲商会"].item("growth").status == "pass"
    assert "2022年末10家、2023年末11家、2024年末12家，逐年增长" in res["甲商会"].item("growth").explanation
    assert res["乙商会"].item("growth").status == "fail"
    assert res["甲商会"].item("visited").status == "fail"  # 2 of 12 visited
    assert res["乙商会"].passed is False


def test_shanghai_sector_share_and_database(db):
    with db.transaction() as s:
        a = chamber(s, "甲商会")
        add_members(s, a.id, 3, date(2020, 1, 1), tags="高新技术")
        add_members(s, a.id, 7, date(2020, 1, 1))
        b = chamber(s, "乙商会")
        add_members(s, b.id, 2, date(2020, 1, 1), tags="四新,年轻一代")
        add_members(s, b.id, 1, date(2020, 1, 1), tags="年轻一代")
        add_members(s, b.id, 7, date(2020, 1, 1))
        add_members(s, a.id, 9, date(2024, 1, 1))
        add_members(s, a.id, 1, date(2024, 1, 1), complete=False)
        add_members(s, b.id, 8, date(2024, 1, 1))
        add_members(s, b.id, 2, date(2024, 1, 1), complete=False)
    res = {r.target: r for r in run(db, "sihao-shanghai-2017", 2024)}
    # at year end each has 20 members: 甲 3 tagged, 乙 2 in the listed sectors (年轻一代 is not one)
    assert res["甲商会"].item("sector_share").value == pytest.approx(3 / 20)
    assert res["甲商会"].item("new_in_database").value == pytest.approx(0.9)
    assert res["甲商会"].item("new_in_database").status == "pass"
    assert res["乙商会"].item("new_in_database").status == "fail"


def test_shanghai_sector_share_thirty_percent(db):
    with db.transaction() as s:
        a = chamber(s, "甲商会")
        add_members(s, a.id, 3, date(2020, 1, 1), tags="先进制造业")
        add_members(s, a.id, 7, date(2020, 1, 1))
        b = chamber(s, "乙商会")
        add_members(s, b.id, 2, date(2020, 1, 1), tags="创新创业")
        add_members(s, b.id, 1, date(2020, 1, 1), tags="年轻一代")
        add_members(s, b.id, 7, date(2020, 1, 1))
    res = {r.target: r.item("sector_share") for r in run(db, "sihao-shanghai-2017", 2024)}
    assert (res["甲商会"].status, res["甲商会"].value) == ("pass", 0.3)
    assert (res["乙商会"].status, res["乙商会"].value) == ("fail", 0.2)
    assert "会员10家中带“现代服务业、先进制造业、高新技术、四新、创新创业”标签的2家，占20%" in res["乙商会"].explanation


def test_not_applicable_input(db):
    with db.transaction() as s:
        chamber(s, "甲商会", registered=False)
    r = run(db, "sihao-shanghai-2017", 2024, inputs={"甲商会": {"supervisory": {"not_applicable": True, "note": "未注册"}}})[0]
    it = r.item("supervisory")
    assert it.status == "not_applicable" and "未注册" in it.explanation


def test_meeting_records_need_agenda_and_decisions(db):
    with db.transaction() as s:
        ch = chamber(s, "甲商会")
        meeting(s, ch.id, "council", date(2024, 3, 1))
        meeting(s, ch.id, "council", date(2024, 6, 1), decisions="")
    it = run(db, "wuyou-wuhao", 2024)[0].item("meeting_records")
    assert it.status == "fail" and it.value == 0.5
    assert "本年度2次会议中1次议题和决议齐全（50%）" in it.explanation


def test_growth_share_one_rule_and_its_other_reading() -> None:
    from chamberdesk.rules.metrics import new_member_share

    assert new_member_share(5, 48, 52) == (pytest.approx(5 / 48), "本年度新发展5家÷年初会员48家＝10.42%")
    assert new_member_share(5, 48, 50, "end") == (pytest.approx(0.1), "本年度新发展5家÷年末会员50家＝10%")
    assert new_member_share(3, 0, 3)[0] is None
    with pytest.raises(ValueError, match="start=年初"):
        new_member_share(1, 1, 1, "middle")
