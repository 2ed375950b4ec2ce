"""The year still running: items only its end can settle are 年度未结束 with what they still need, never 待填写."""

from __future__ import annotations

from datetime import date

import pytest

from chamberdesk import rules
from chamberdesk.core import assessments
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.rules.metrics import still_needed
from tests.rules.conftest import activity, add_members, chamber, model_year
from tests.rules.test_scored_rubrics import tz_inputs

TODAY = date(2026, 12, 7)  # "today" for every evaluation here: 2026 is the year still running


def run(db, rid, year, inputs=None):
    with db.session() as s:
        return {r.target: r for r in rules.evaluate(s, rules.load_rubric(rid), year, None, inputs, as_of=TODAY)}


@pytest.fixture
def ledger(db):
    """甲 has met its count early, failed the first quarter and is short of new members; 乙 has done two
    activities in each finished quarter and one so far in the fourth."""
    with db.transaction() as s:
        a = chamber(s, "甲商会")
        add_members(s, a.id, 20, date(2020, 5, 1))
        add_members(s, a.id, 1, date(2026, 3, 1))
        activity(s, a.id, date(2026, 2, 3), "法律讲座", "legal")  # the first quarter's only activity
        for m in (4, 5, 7, 8, 10):
            activity(s, a.id, date(2026, m, 3))
        b = chamber(s, "乙商会")
        add_members(s, b.id, 10, date(2020, 5, 1))
        for m in (1, 2, 4, 5, 7, 8, 11):
            activity(s, b.id, date(2026, m, 3))
    return db


def test_met_early_failed_quarter_and_not_yet_reached(ledger):
    res = run(ledger, "wuyou-wuhao", 2026)
    a, b = res["甲商会"], res["乙商会"]
    # met before the year is out: decided
    assert a.item("rights").status == "pass"
    # a quarter that is over with one activity settles the per-quarter minimum now
    assert a.item("quarterly_activities").status == "fail"
    # 1 new of 20 at the start; "超过10%" needs more than 2, so 3: two still to come
    growth = a.item("member_growth")
    assert growth.status == "year_not_over" and growth.status_label == "年度未结束"
    assert growth.progress == "已发展1家，还需2家"
    assert "已发展1家，还需2家，待年度结束后判定" in growth.explanation
    # the fourth quarter is still running with one of two
    q = b.item("quarterly_activities")
    assert q.status == "year_not_over" and q.progress == "第四季度已有1次，还需1次"
    # 年度未结束 is not 待填写: the clerk has nothing to enter for it
    assert a.counts["year_not_over"] == 3 and "年度未结束3项" in a.summary()  # also 社会形象, 会议记录
    assert b.item("finance_archived").status == "needs_input"


def test_past_years_never_wait(ledger):
    with ledger.transaction() as s:
        add_members(s, 1, 1, date(2025, 6, 1))
    for r in run(ledger, "wuyou-wuhao", 2025).values():
        assert all(it.status != "year_not_over" and not it.progress for it in r.items)
        assert not r.year_open
    assert run(ledger, "wuyou-wuhao", 2025)["甲商会"].item("member_growth").status == "fail"


def test_still_needed_follows_the_rubrics_threshold():
    assert still_needed(3, ">", 0.10, base=53) == 3  # more than 5.3 → 6
    assert still_needed(3, ">=", 0.10, base=50) == 2  # at least 5
    assert still_needed(3, ">", 0.10, base=50) == 3  # more than 5 → 6
    assert still_needed(1, ">=", 2) == 1 and still_needed(4, ">=", 2) == 0
    # a share of the year-end roll: every new member adds to the roll as well
    assert still_needed(3, ">", 0.10, base=43, base_grows=True) == 2  # 5 of 45 is 11.1%, 4 of 44 is 9.1%
    assert still_needed(3, "<=", 5) is None and still_needed(0, "==", True) is None


def form_text(tmp_path, rubric_id, res) -> str:
    """The 考评表 of one result, as text without spaces or line breaks."""
    from pypdf import PdfReader

    from chamberdesk.io.pdf.assessment import assessment_story
    from chamberdesk.io.pdf.fonts import get_fonts
    from chamberdesk.io.pdf.layout import FormDoc, build, make_styles

    fonts = get_fonts()
    out = tmp_path / f"{rubric_id}.pdf"
    doc = FormDoc(str(out), title="考评表", author="")
    build(doc, assessment_story(make_styles(fonts), doc.body_width, rules.load_rubric(rubric_id), res, year=res.year),
          fonts)
    return "".join(p.extract_text() for p in PdfReader(out).pages).replace("\n", "").replace(" ", "")


def test_a_scored_rubric_gives_a_provisional_grade_and_cannot_be_finalised(db, tmp_path):
    with db.transaction() as s:
        ch = chamber(s, "城关镇商会")
        add_members(s, ch.id, 10, date(2020, 1, 1))
        model_year(s, ch.id, 2026, new_members=1)  # 10%, and the rubric asks for more than 10%
    inputs = tz_inputs(70, 100)
    r = run(db, "tongzhou-kaoping", 2026, inputs)["城关镇商会"]
    growth = r.item("member_growth")
    assert growth.status == "year_not_over" and growth.progress == "已发展1家，还需1家"
    # the year's statistics form cannot have come in yet: waiting for the year's end, not the clerk's to fill
    stats = r.item("statistics_filed")
    assert stats.status == "year_not_over" and stats.progress == "年度结束后报送，报送期限2027年1月31日"
    assert r.complete and r.year_open
    assert r.grade is None and r.passed is None  # never a final grade while the year runs
    assert r.provisional_grade == "五好商会" and r.grade_text() == "五好商会（暂定）"
    assert r.verdict() == "年度未结束"
    public = r.to_public()
    assert public["year_open"] is True and public["grade"] is None and public["provisional_grade"] == "五好商会"
    with db.transaction() as s:
        res, a = rules.assess(s, rules.load_rubric("tongzhou-kaoping"), 2026, "城关镇商会", inputs["城关镇商会"],
                              as_of=TODAY)
        assert a.grade is None  # the draft does not store the provisional grade as the grade
        with pytest.raises(ChamberDeskError, match="2026年尚未结束，2项须到年底才能判定.*2027年1月1日后定稿"):
            assessments.finalise_assessment(s, a.id)
    # the workbook takes the saved draft: the verdict and the grade so far, marked
    import openpyxl

    from chamberdesk.io.excel_export import export_assessments

    export_assessments(db, tmp_path / "t.xlsx", "tongzhou-kaoping", 2026, as_of=TODAY)
    row = next(r for r in openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0].iter_rows(values_only=True)
               if "城关镇商会" in r)
    assert row[2:7] == (92, "五好商会（暂定）", "年度未结束", "否", "草稿")
    # the printed form says so too, and marks only the part that waits
    text = form_text(tmp_path, "tongzhou-kaoping", r)
    assert "五好商会（暂定），年度未结束，2项待年度结束后判定" in text
    assert "本年度工作目标考评结果得分低于75分年度未结束" in text  # the veto on the waiting part is not settled
    assert "综合得分92（暂定）" in text and "工作目标考评80%90（暂定）72（暂定）" in text and "民主评议20%10020" in text
    # the same ledger judged after the year, its statistics form in: the shortfall is final
    from chamberdesk.core import yearend

    with db.transaction() as s:
        yearend.set_statistics_received(db, s, ch.id, 2026, date(2027, 1, 3), today=date(2027, 1, 5))
    with db.session() as s:
        after = rules.evaluate(s, rules.load_rubric("tongzhou-kaoping"), 2026, None, inputs, as_of=date(2027, 1, 5))[0]
    assert after.item("member_growth").status == "fail" and not after.year_open and after.grade is not None


def test_workbook_and_form_say_year_not_over_with_what_is_needed(ledger, tmp_path):
    import openpyxl

    from chamberdesk.io.excel_export import export_assessments

    export_assessments(ledger, tmp_path / "a.xlsx", "wuyou-wuhao", 2026, as_of=TODAY)
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx").worksheets[0]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "年度未结束\n已发展1家，还需2家" in cells
    assert "年度未结束\n第四季度已有1次，还需1次" in cells

    text = form_text(tmp_path, "wuyou-wuhao", run(ledger, "wuyou-wuhao", 2026)["乙商会"])
    assert "还需1次年度未结束" in text  # 系统核算: the figure so far, what it still needs, the state
    assert "第四季度已有1次，还需1次，待年度结束后判定" in text  # the 说明 in full
