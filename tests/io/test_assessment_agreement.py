"""One rule for a saved 考评 everywhere: `check`, the export and the 考评表 read a draft's saved inputs
and a finalised assessment's stored result, as the 考评 page does."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from chamberdesk import rules
from chamberdesk.cli import main
from chamberdesk.core import assessments
from chamberdesk.core.models import Assessment

YEAR = date.today().year - 1  # a finished year: an assessment of it can be finalised


@pytest.fixture(autouse=True)
def _no_user_rubrics(tmp_path, monkeypatch):
    monkeypatch.setattr("chamberdesk.paths.user_rubric_dir", lambda: tmp_path / "rubrics")


@pytest.fixture
def saved(demo_db):
    """餐饮业商会: a draft with 档案统一集中管理 = 是. 城关镇商会: finalised, and its stored 有制度 then differs
    from what the ledgers say now (as after a later edit of the ledger)."""
    rubric = rules.load_rubric("wuyou-wuhao")
    with demo_db.transaction() as s:
        draft_res, _ = rules.assess(s, rubric, YEAR, "餐饮业商会", {"archive_central": True})
        assert draft_res.item("archive_central").status == "pass"
        res, a = rules.assess(s, rubric, YEAR, "城关镇商会",
                                    {"archive_central": True, "finance_archived": {"value": True, "evidence": ["账册.pdf"]}})
        assert res.complete and res.item("rules").status == "fail"
        a = assessments.finalise_assessment(s, a.id)
        stored = json.loads(a.results)
        for it in stored["items"]:
            if it["id"] == "rules":
                it["status"] = "pass"
        stored["passed"] = True
        a.results = json.dumps(stored, ensure_ascii=False)
        s.add(a)
    return rubric


def check_json(capsys, demo_path, target):
    assert main(["check", "--db", str(demo_path), "--rubric", "wuyou-wuhao", "--year", str(YEAR),
                 "--target", target, "--json"]) == 0
    return json.loads(capsys.readouterr().out)["results"][0]


def page_result(demo_db, rubric, target):
    """What the 考评 page computes on opening the target (its saved inputs, nothing typed since)."""
    with demo_db.session() as s:
        cid = rules.resolve_targets(s, rubric, [target])[0].key
        a = assessments.get_assessment(s, rubric.id, YEAR, cid)
        unsaved = {cid: assessments.stored_inputs(a)}
        return rules.current_results(s, rubric, YEAR, [cid], unsaved=unsaved)[0]


def test_check_reads_the_draft_and_the_finalised_result(capsys, demo_path, demo_db, saved):
    draft = check_json(capsys, demo_path, "餐饮业商会")
    assert not draft["finalised"]
    statuses = {it["id"]: it["status"] for it in draft["items"]}
    assert statuses["archive_central"] == "pass"  # the saved draft's input, not 待填写
    page = page_result(demo_db, saved, "餐饮业商会").result
    assert statuses == {it.id: it.status for it in page.items} and draft["passed"] == page.passed

    final = check_json(capsys, demo_path, "城关镇商会")
    assert final["finalised"] and final["passed"] is True
    assert {it["id"]: it["status"] for it in final["items"]}["rules"] == "pass"  # stored, not recomputed
    shown = page_result(demo_db, saved, "城关镇商会")
    assert shown.finalised and shown.result.passed is True

    assert main(["check", "--db", str(demo_path), "--rubric", "wuyou-wuhao", "--year", str(YEAR),
                 "--target", "城关镇商会"]) == 0
    text = capsys.readouterr().out
    assert "城关镇商会：通过" in text and "（已定稿）" in text


def test_export_agrees_with_the_page(demo_db, saved, tmp_path):
    from chamberdesk.io.excel_export import export_assessments

    out = tmp_path / "考评结果.xlsx"
    export_assessments(demo_db, out, "wuyou-wuhao", YEAR)
    rows = list(load_workbook(out, read_only=True).active.iter_rows(values_only=True))
    head_at = next(i for i, r in enumerate(rows) if r and r[0] == "序号")
    head = rows[head_at]
    by_name = {r[1]: dict(zip(head, r, strict=False)) for r in rows[head_at + 1:] if r and r[1]}
    central = saved.item("archive_central").rule_text()  # the full rule heads its column
    rules_col = saved.item("rules").rule_text()

    draft = by_name["餐饮业商会"]
    page = page_result(demo_db, saved, "餐饮业商会").result
    assert draft[central] == "达标" and draft["考评状态"] == "草稿"
    assert draft["是否通过"] == assessments.verdict_label(page.passed)

    final = by_name["城关镇商会"]
    assert final["考评状态"] == "已定稿" and final["是否通过"] == "通过" and final[rules_col] == "达标"
    assert by_name["桃源乡商会"]["考评状态"] == "未保存"


def test_the_form_prints_the_finalised_result(demo_db, saved, tmp_path):
    from chamberdesk.io.pdf import jobs

    with demo_db.session() as s:
        cid = rules.resolve_targets(s, saved, ["城关镇商会"])[0].key
        assert s.get(Assessment, assessments.get_assessment(s, saved.id, YEAR, cid).id).finalised
    out = tmp_path / "kp.pdf"
    jobs.run(demo_db, jobs.PrintRequest(form="assessment", rubric_id="wuyou-wuhao", year=YEAR, targets=[cid]), out)
    last = PdfReader(out).pages[-1].extract_text()
    assert "通过" in last and "未通过" not in last.split("说明")[0]
    assert "考评结论" in last and "考评人" in last  # the signatures stay with the conclusion
