"""`rollcall`: marking a federation meeting from the command line, a 签到表 in either layout (unknown names
rejected with the reason, every row accounted for), the refusals, and the year's summary."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import Workbook

from chamberdesk.cli import main
from chamberdesk.core import attendance
from tests.rules.conftest import activity, chamber, meeting


@pytest.fixture
def county(db):
    with db.transaction() as s:
        for n in ("城关镇商会", "柳河镇商会", "建筑业商会", "桃源乡商会"):
            chamber(s, n)
        m = meeting(s, None, "executive_committee", date(2025, 3, 8)).id
        t = activity(s, None, date(2025, 5, 12), "商会秘书长培训班").id
        own = meeting(s, 1, "council", date(2025, 4, 1)).id
    return str(db.engine.url.database), db, m, t, own


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_all_present_then_exceptions_then_the_list(capsys, county):
    path, db, m, _t, _own = county
    code, out, err = run(capsys, "rollcall", "--db", path, "--meeting", str(m), "--all-present",
                         "--leave", "城关镇商会：外出招商", "--absent", "桃源乡")
    assert code == 0, err
    assert "应到4个商会：出席2、请假1、缺席1" in out and err == ""
    code, out, _ = run(capsys, "rollcall", "--db", path, "--meeting", str(m), "--json")
    data = json.loads(out)
    rows = {r["chamber"]: (r["status"], r["reason"]) for r in data["rows"]}
    assert rows == {"城关镇商会": ("leave", "外出招商"), "柳河镇商会": ("present", None),
                    "建筑业商会": ("present", None), "桃源乡商会": ("absent", None)}
    assert data["event"] == {"kind": "meeting", "id": m, "date": "2025-03-08", "title": "执委会", "training": False}


@pytest.mark.parametrize("layout", ["status", "sign"])
def test_a_sign_in_sheet_with_an_unknown_name(capsys, county, tmp_path, layout):
    path, db, _m, t, _own = county
    wb = Workbook()
    ws = wb.active
    ws.append(["商会秘书长培训班签到表"])
    if layout == "status":
        ws.append(["序号", "商会名称", "到会情况", "事由"])
        ws.append([1, "城关镇商会", "√", None])
        ws.append([2, "柳河镇", "请假", "外出招商"])
        ws.append([3, "建筑业商会", "未到", None])
        ws.append([4, "光明街道商会", "出席", None])  # no such chamber on file
        ws.append([5, "县工商联", "出席", None])
    else:
        ws.append(["序号", "商会名称", "签到", "请假", "事由"])
        ws.append([1, "城关镇商会", "王强", None, None])
        ws.append([2, "柳河镇", None, "√", "外出招商"])
        ws.append([3, "建筑业商会", None, None, None])  # neither signed nor on leave: absent
        ws.append([4, "光明街道商会", "李明", None, None])
        ws.append([5, "县工商联", "张三", None, None])
    sheet = tmp_path / "签到表.xlsx"
    wb.save(sheet)
    code, out, err = run(capsys, "rollcall", "--db", path, "--activity", str(t), "--sheet", str(sheet), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["sheet_rows"] == 5 and len(data["rejected"]) == 2
    assert data["rejected"][0].startswith("第6行（光明街道商会）：找不到该商会")
    assert "本级工商联不在商会点名之列" in data["rejected"][1]
    assert data["not_called"] == ["桃源乡商会"]  # not on the sheet: left for the clerk, never guessed
    with db.session() as s:
        got = {r.name: (r.status, r.reason) for r in attendance.roll_call(s, "activity", t).rows}
    assert got == {"城关镇商会": ("present", ""), "柳河镇商会": ("leave", "外出招商"),
                   "建筑业商会": ("absent", ""), "桃源乡商会": ("", "")}


def test_refusals_are_one_line(capsys, county, tmp_path):
    path, _db, m, _t, own = county
    code, _out, err = run(capsys, "rollcall", "--db", path, "--meeting", str(own), "--list")
    assert code == 2 and err.count("\n") == 1 and "不是区工商联组织的" in err
    code, _out, err = run(capsys, "rollcall", "--db", path, "--meeting", str(m), "--absent", "光明街道商会")
    assert code == 2 and "找不到商会“光明街道商会”" in err
    code, _out, err = run(capsys, "rollcall", "--db", path, "--meeting", str(m), "--leave", "城关镇商会")
    assert code == 2 and "应写成 商会:事由" in err
    empty = tmp_path / "空表.csv"
    empty.write_text("商会名称,到会情况\n光明街道商会,出席\n", encoding="utf-8")
    code, _out, err = run(capsys, "rollcall", "--db", path, "--meeting", str(m), "--sheet", str(empty))
    assert code == 2 and "没有可导入的行" in err and "找不到该商会" in err
    code, _out, err = run(capsys, "rollcall", "--db", path, "--year", "2025")
    assert code == 2 and "--summary" in err


def test_the_years_summary(capsys, county):
    path, _db, m, t, _own = county
    run(capsys, "rollcall", "--db", path, "--meeting", str(m), "--all-present", "--absent", "桃源乡商会")
    run(capsys, "rollcall", "--db", path, "--activity", str(t), "--all-present", "--absent", "桃源乡商会",
        "--leave", "建筑业商会:会长住院")
    code, out, err = run(capsys, "rollcall", "--db", path, "--year", "2025", "--summary")
    assert code == 0, err
    assert "2025年区工商联会议、活动点名2次：" in out
    assert ("桃源乡商会：点名2次，出席0次；无故缺席2次：2025年3月8日 执委会；2025年5月12日 商会秘书长培训班；"
            "其中缺席教育培训1次") in out
    assert "建筑业商会：点名2次，出席1次；请假1次：2025年5月12日 商会秘书长培训班（会长住院）；无故缺席0次" in out
    code, out, _ = run(capsys, "rollcall", "--db", path, "--year", "2025", "--summary", "--json")
    data = json.loads(out)
    row = next(r for r in data["chambers"] if r["chamber"] == "桃源乡商会")
    assert [a["date"] for a in row["absences"]] == ["2025-03-08", "2025-05-12"]
    assert [a["event"] for a in row["training_absences"]] == ["商会秘书长培训班"]
    code, _out, err = run(capsys, "rollcall", "--db", path, "--year", "2019", "--summary")
    assert code == 2 and "早于本单位台账中最早的记录" in err
