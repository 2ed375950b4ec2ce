"""`chamberdesk rubrics` and `chamberdesk check` on the demo county, JSON shape and inputs files."""

from __future__ import annotations

import json

import pytest

from chamberdesk.cli import main

IDS = {"siyou", "wuyou-wuhao", "tongzhou-kaoping", "wuge-quebao", "henan-county-wuhao", "sihao",
       "sihao-shanghai-2017", "nanjing-star"}


@pytest.fixture(autouse=True)
def _no_user_rubrics(tmp_path, monkeypatch):
    monkeypatch.setattr("chamberdesk.paths.user_rubric_dir", lambda: tmp_path / "rubrics")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_rubrics_json(capsys):
    code, out, _ = run(capsys, "rubrics", "--json")
    assert code == 0
    data = json.loads(out)
    assert {r["id"] for r in data} == IDS
    star = next(r for r in data if r["id"] == "nanjing-star")
    assert star["title"] and star["version"] and star["target"] == "chamber"
    assert next(r for r in data if r["id"] == "wuge-quebao")["target"] == "federation"


def test_check_round_trip_on_demo(capsys, demo_path, tmp_path):
    code, out, _ = run(capsys, "check", "--db", str(demo_path), "--rubric", "wuyou-wuhao", "--year", "2025",
                       "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"rubric", "version", "year", "results"}
    assert (data["rubric"], data["year"]) == ("wuyou-wuhao", 2025)
    assert len(data["results"]) == 12
    for r in data["results"]:
        assert set(r) == {"target", "passed", "score", "grade", "vetoed", "veto_reasons", "warnings", "year_open",
                          "provisional_grade", "items", "finalised"}
        assert r["year_open"] is False and r["provisional_grade"] is None  # a past year waits for nothing
        for it in r["items"]:
            assert set(it) == {"id", "title", "status", "value", "threshold", "explanation", "from_input", "progress",
                               "records", "evidence"}
            assert all({"table", "id", "label"} <= set(rec) for rec in it["records"])
            assert it["status"] in {"pass", "fail", "needs_input", "not_applicable"}
            assert it["explanation"].startswith(it["title"])
    weak = next(r for r in data["results"] if r["target"] == "桃源乡商会")
    q = next(i for i in weak["items"] if i["id"] == "quarterly_activities")
    assert q["status"] == "fail" and "第三季度无会员活动" in q["explanation"]
    # filling the attested items in a file decides the chambers that were waiting
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps({"*": {"finance_archived": {"value": True, "evidence": ["账册.pdf"]},
                                        "archive_central": True}}, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "check", "--db", str(demo_path), "--rubric", "wuyou-wuhao", "--year", "2025",
                       "--target", "城关镇商会", "--inputs", str(inputs), "--json")
    r = json.loads(out)["results"]
    assert len(r) == 1 and r[0]["target"] == "城关镇商会"
    assert all(i["status"] != "needs_input" for i in r[0]["items"])
    assert r[0]["passed"] is not None


def test_check_federation_with_toml_inputs(capsys, demo_path, tmp_path):
    inputs = tmp_path / "inputs.toml"
    inputs.write_text('["本级工商联"]\ntownship_count = 6\n', encoding="utf-8")
    code, out, _ = run(capsys, "check", "--db", str(demo_path), "--rubric", "henan-county-wuhao", "--year", "2025",
                       "--inputs", str(inputs), "--json")
    assert code == 0
    res = json.loads(out)["results"]
    assert len(res) == 1
    item = next(i for i in res[0]["items"] if i["id"] == "art9_formation")
    assert item["status"] == "fail" and item["value"] == pytest.approx(5 / 6)
    code, out, _ = run(capsys, "check", "--db", str(demo_path), "--rubric", "wuge-quebao", "--year", "2025")
    assert code == 0 and "达标" in out


def test_check_errors_are_one_chinese_line(capsys, demo_path):
    code, _, err = run(capsys, "check", "--db", str(demo_path), "--rubric", "nope", "--year", "2025")
    assert code == 2 and "没有编号为“nope”的考评细则" in err
    code, _, err = run(capsys, "check", "--db", str(demo_path), "--rubric", "siyou", "--year", "2025",
                       "--target", "不存在商会")
    assert code == 2 and "找不到商会“不存在商会”" in err
    code, _, err = run(capsys, "check", "--db", str(demo_path), "--rubric", "sihao", "--year", "2014")
    assert code == 2 and "不适用于2014年" in err
    # a year before the ledger's first record (2012 in the demo county) or still to come is refused
    for year, why in (("2010", "早于本单位台账中最早的记录（2012年）"), ("3000", "3000年尚未到来")):
        code, out, err = run(capsys, "check", "--db", str(demo_path), "--rubric", "siyou", "--year", year)
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and why in err


def test_a_named_chamber_outside_the_rubric_is_an_error_not_a_pass(capsys, demo_path):
    # 四有 covers only 乡镇/街道 chambers: a 楼宇 chamber has no 四有 verdict at all
    code, out, err = run(capsys, "check", "--db", str(demo_path), "--rubric", "siyou", "--year", "2026",
                         "--target", "万达广场楼宇商会", "--json")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "只适用于乡镇商会、街道商会" in err and "万达广场楼宇商会" in err
    # a covered chamber still gets its verdict
    code, out, _ = run(capsys, "check", "--db", str(demo_path), "--rubric", "siyou", "--year", "2026",
                       "--target", "东关街道商会", "--json")
    assert code == 0 and json.loads(out)["results"][0]["passed"] is False


def test_check_json_says_year_not_over_for_the_year_still_running(capsys, tmp_path):
    from datetime import date

    from chamberdesk.core.db import open_database
    from tests.rules.conftest import activity, add_members, chamber

    path = tmp_path / "running.db"
    db = open_database(path, create=True, user="测试员")
    try:
        with db.transaction() as s:
            ch = chamber(s, "甲商会")
            add_members(s, ch.id, 20, date(2020, 5, 1))
            add_members(s, ch.id, 1, date(2026, 3, 1))
            activity(s, ch.id, date(2026, 2, 3))
    finally:
        db.close()
    code, out, _ = run(capsys, "check", "--db", str(path), "--rubric", "wuyou-wuhao", "--year", "2026",
                       "--as-of", "2026-12-07", "--json")
    assert code == 0
    r = json.loads(out)["results"][0]
    growth = next(i for i in r["items"] if i["id"] == "member_growth")
    assert growth["status"] == "year_not_over" and growth["progress"] == "已发展1家，还需2家"
    assert next(i for i in r["items"] if i["id"] == "has_activity")["status"] == "pass"  # met early
    assert next(i for i in r["items"] if i["id"] == "finance_archived")["status"] == "needs_input"
    code, out, _ = run(capsys, "check", "--db", str(path), "--rubric", "wuyou-wuhao", "--year", "2026",
                       "--as-of", "2026-12-07")
    assert "[年度未结束] 会员发展好" in out and "已发展1家，还需2家" in out
