"""The import/export/package/consolidate commands: exact JSON shape, exit codes, one-line refusals."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io"))
import messy  # noqa: E402

from chamberdesk.cli import main  # noqa: E402


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_import_json_shape(db, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "台账.xlsx"
    messy.add_chamber(db)
    exp = messy.messy_members(path)
    errs = tmp_path / "errors.xlsx"
    rc, out, err = _run(capsys, "import", "members", str(path), "--db", str(db.path), "--json", "--errors", str(errs))
    assert rc == 0 and str(errs) in err
    res = json.loads(out)
    assert list(res) == ["rows", "imported", "updated", "duplicates", "skipped", "rejected", "problems", "columns",
                         "new_chambers"]
    assert res["rows"] == res["imported"] + res["updated"] + res["duplicates"] + res["skipped"] + res["rejected"]
    assert res["rows"] == exp.rows and res["rejected"] == exp.rejected
    p = next(p for p in res["problems"] if "校验位" in p["message"])
    assert set(p) == {"row", "column", "message", "note"} and p["column"] == "统一社会信用代码" and not p["note"]
    assert errs.exists()
    rc, out, _ = _run(capsys, "import", "members", str(path), "--db", str(db.path), "--json", "--on-duplicate", "update")
    again = json.loads(out)
    assert again["imported"] == 0 and again["updated"] == exp.imported + exp.duplicates


def test_import_dry_run_and_mapping_file(db, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["企业名称", "性别", "代码"])
    wb.active.append(["甲公司", "女", messy.credit_code(3)])
    wb.save(path)
    mp = tmp_path / "map.json"
    mp.write_text(json.dumps({"代码": "统一社会信用代码"}, ensure_ascii=False), encoding="utf-8")
    rc, out, _ = _run(capsys, "import", "members", str(path), "--db", str(db.path), "--json", "--dry-run",
                      "--mapping", str(mp))
    assert rc == 0 and json.loads(out)["imported"] == 1
    rc, out, _ = _run(capsys, "info", "--db", str(db.path), "--json")
    assert json.loads(out)["members"] == 0


def test_not_a_spreadsheet_exits_nonzero_with_one_line(db, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "x.xlsx"
    p.write_text("not a sheet", encoding="utf-8")
    rc, out, err = _run(capsys, "import", "members", str(p), "--db", str(db.path), "--json")
    assert rc != 0 and out == "" and err.count("\n") == 1 and "表格" in err


def test_export_package_consolidate(demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    year = str(date.today().year - 1)
    for kind in ("members", "chambers", "meetings", "activities", "yearly-stats", "work-summary"):
        out = tmp_path / f"{kind}.xlsx"
        rc, text, err = _run(capsys, "export", kind, "--db", str(demo_path), "--out", str(out), "--year", year)
        assert rc == 0, err
        assert openpyxl.load_workbook(out).active["A1"].value
    rc, _, _ = _run(capsys, "export", "members", "--db", str(demo_path), "--out", str(tmp_path / "r.xlsx"),
                    "--chamber", "城关镇商会", "--unmasked")
    assert rc == 0
    rc, _, err = _run(capsys, "export", "yearly-stats", "--db", str(demo_path), "--out", str(tmp_path / "y.xlsx"))
    assert rc == 2 and "--year" in err
    pkg = tmp_path / "p.zip"
    rc, text, _ = _run(capsys, "package", "--db", str(demo_path), "--year", year, "--out", str(pkg))
    assert rc == 0 and pkg.exists()
    rc, text, _ = _run(capsys, "consolidate", str(pkg), "--out", str(tmp_path / "c.xlsx"), "--json")
    assert rc == 0 and json.loads(text)["counties"][0]["chambers"] == 12
    bad = tmp_path / "bad.zip"
    bad.write_bytes(pkg.read_bytes()[:-200])
    rc, _, err = _run(capsys, "consolidate", str(bad), "--out", str(tmp_path / "d.xlsx"))
    assert rc == 2 and err.count("\n") == 1


def test_import_backs_up_first_but_a_dry_run_does_not(db, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from chamberdesk.core.backup import list_backups

    path = tmp_path / "台账.xlsx"
    messy.add_chamber(db)
    messy.messy_members(path)
    rc, _out, err = _run(capsys, "import", "members", str(path), "--db", str(db.path), "--json", "--dry-run")
    assert rc == 0 and list_backups(db.path) == []
    rc, _out, err = _run(capsys, "import", "members", str(path), "--db", str(db.path), "--json")
    assert rc == 0 and "导入前已备份" in err
    backups = list_backups(db.path)
    assert len(backups) == 1 and "import" in backups[0].path.name


@pytest.mark.parametrize("where", ["missing-folder/x.xlsx", "."])
def test_export_to_a_bad_place_is_one_clear_line(db, tmp_path: Path, capsys: pytest.CaptureFixture[str], where) -> None:
    target = tmp_path / where
    rc, out, err = _run(capsys, "export", "members", "--db", str(db.path), "--out", str(target))
    assert rc == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and ("不存在" in err or "是文件夹" in err)


@pytest.mark.parametrize("command", [
    ["export", "yearly-stats", "--out", "y.xlsx"], ["export", "members", "--out", "m.xlsx"],
    ["package", "--out", "p.zip"], ["print", "roster", "--out", "r.pdf"],
    ["check", "--rubric", "siyou"],
])
def test_years_outside_the_records_are_refused_in_one_line(demo_path: Path, tmp_path: Path, command: list[str],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    args = [a if not a.endswith((".xlsx", ".zip", ".pdf")) else str(out_dir / a) for a in command]
    this_year = date.today().year
    # the demo county's first record is a member who joined in 2012
    for year, why in (("1800", "早于本单位台账中最早的记录（2012年）"), (str(this_year + 1), "尚未到来")):
        rc, out, err = _run(capsys, *args, "--db", str(demo_path), "--year", year)
        assert rc == 2 and out == "" and err.count("\n") == 1, err
        assert why in err and f"可选 2012—{this_year} 年" in err
    assert not list(out_dir.iterdir())  # nothing written


def test_a_bad_year_argument_is_one_line_not_the_usage(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["export", "members", "--db", str(demo_path), "--out", "x.xlsx", "--year", "abc"])
    out, err = capsys.readouterr()
    assert stop.value.code == 2 and out == "" and err.count("\n") == 1
    assert "年度应为四位数字的年份" in err and "“abc”" in err and "用法：" not in err
    assert "chamberdesk export --help" in err
# --- the office-sheet corpus and whole workbooks through the command line ------------------------------

from corpus.build import load_cases, write_case, write_workbook  # noqa: E402

# the first sheet of each kind by name, from the part the import was built with and from the part kept out
# of its development: a fixed choice, whatever later authors add
PARTS = {part: {c.kind: c for c in sorted(load_cases(part), key=lambda c: c.name, reverse=True)}
         for part in ("dev", "holdout")}


@pytest.mark.parametrize(("part", "kind"), [(p, k) for p in PARTS for k in sorted(PARTS[p])])
def test_corpus_sheet_of_each_kind(db, tmp_path: Path, capsys: pytest.CaptureFixture[str], part: str, kind: str) -> None:
    case = PARTS[part][kind]
    path = write_case(case, tmp_path)
    argv = ["import", kind, str(path), "--db", str(db.path), "--json", "--create-chambers"]
    rc, out, err = _run(capsys, *argv)
    if rc != 0:  # a sheet with no owner column: the command says which option it needs
        assert "--owner" in err and err.count("\n") == 1
        rc, out, err = _run(capsys, *argv, "--owner", "本级")
    assert rc == 0, err
    res = json.loads(out)
    assert res["rows"] == res["imported"] + res["updated"] + res["duplicates"] + res["skipped"] + res["rejected"]
    cols = {c["column"]: c for c in res["columns"]}
    assert all(set(c) == {"column", "title", "fate", "field", "label", "reason"} for c in res["columns"])
    assert all(c["fate"] in ("field", "custom", "ignored") for c in res["columns"])
    for i, expected in enumerate(case.expected):
        if expected != "_ignore":
            letter = openpyxl.utils.get_column_letter(i + 1)
            assert cols[letter]["fate"] != "ignored", (letter, expected)


def test_owner_and_create_chambers_options(db, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "活动.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["活动名称", "活动形式", "活动日期"])
    wb.active.append(["政策宣讲", "宣讲", "2024-03-01"])
    wb.save(path)
    rc, out, err = _run(capsys, "import", "activities", str(path), "--db", str(db.path), "--json")
    assert rc == 2 and out == "" and "--owner" in err and err.count("\n") == 1
    rc, out, err = _run(capsys, "import", "activities", str(path), "--db", str(db.path), "--json", "--owner", "新华商会")
    assert rc == 2 and "--create-chambers" in err
    rc, out, err = _run(capsys, "import", "activities", str(path), "--db", str(db.path), "--json", "--owner", "新华商会",
                        "--create-chambers")
    assert rc == 0, err
    res = json.loads(out)
    assert res["imported"] == 1 and res["new_chambers"] == ["新华商会（其他）"]
    rc, text, _ = _run(capsys, "import", "activities", str(path), "--db", str(db.path), "--owner", "新华商会")
    assert rc == 0 and "各列：" in text and "活动形式" in text and "重复 1" in text


@pytest.mark.parametrize("part", sorted(PARTS))
def test_import_workbook_command(db, tmp_path: Path, capsys: pytest.CaptureFixture[str], part: str) -> None:
    path = write_workbook(list(PARTS[part].values()), tmp_path / "全县台账.xlsx")
    rc, out, err = _run(capsys, "import", "workbook", str(path), "--db", str(db.path), "--json", "--dry-run",
                        "--owner", "本级", "--create-chambers")
    assert rc == 0, err
    dry = json.loads(out)
    assert [s["kind"] for s in dry["sheets"]] == ["chambers", "members", "meetings", "activities", "contacts"]
    for s in dry["sheets"]:
        assert s["rows"] == s["imported"] + s["updated"] + s["duplicates"] + s["skipped"] + s["rejected"]
        assert s["columns"]
    rc, out, _ = _run(capsys, "info", "--db", str(db.path), "--json")
    assert json.loads(out)["chambers"] == 0  # a dry run writes nothing
    rc, out, err = _run(capsys, "import", "workbook", str(path), "--db", str(db.path), "--json", "--owner", "本级",
                        "--create-chambers")
    assert rc == 0 and "导入前已备份" in err
    done = json.loads(out)
    assert [s["imported"] for s in done["sheets"]] == [s["imported"] for s in dry["sheets"]]
    assert done["imported"] == sum(s["imported"] for s in done["sheets"])
    rc, text, _ = _run(capsys, "import", "workbook", str(path), "--db", str(db.path), "--dry-run", "--owner", "本级")
    assert rc == 0 and "工作表“" in text and "（商会）" in text


def test_csv_through_the_command(db, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "系统导出.csv"
    p.write_bytes(f"企业名称,统一社会信用代码,会费缴纳情况\n清河县甲有限公司,{messy.credit_code(8)},2024年已缴\n".encode("gb18030"))
    rc, out, err = _run(capsys, "import", "members", str(p), "--db", str(db.path), "--json")
    assert rc == 0, err
    res = json.loads(out)
    assert res["imported"] == 1 and [c["fate"] for c in res["columns"]] == ["field", "field", "custom"]


def test_import_output_survives_a_gbk_console(db, tmp_path: Path) -> None:
    """A sheet's own characters (✓ is not in GBK) never crash the report on a Chinese Windows console."""
    import io

    from chamberdesk.cli import excel as cli_excel

    raw = io.BytesIO()
    console = io.TextIOWrapper(raw, encoding="gbk")
    cli_excel._say("达标✓情况", console)
    cli_excel._say(json.dumps({"title": "达标✓情况"}, ensure_ascii=False), console, errors="backslashreplace")
    console.flush()
    lines = raw.getvalue().decode("gbk").splitlines()
    assert lines[0] == "达标?情况" and json.loads(lines[1]) == {"title": "达标✓情况"}


def test_import_workbook_writes_an_error_workbook(db, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = messy.county_workbook(tmp_path / "县台账.xlsx")
    out_path = tmp_path / "未通过.xlsx"
    rc, out, err = _run(capsys, "import", "workbook", str(path), "--db", str(db.path), "--json",
                        "--errors", str(out_path))
    assert rc == 0, err
    assert "2 张表共 2 行" in err and str(out_path) in err
    res = json.loads(out)
    by_sheet = {s["sheet"]: s for s in res["sheets"]}
    for s in res["sheets"]:
        assert s["rows"] == s["imported"] + s["updated"] + s["duplicates"] + s["skipped"] + s["rejected"]
    assert (by_sheet["会员名单"]["rows"], by_sheet["会员名单"]["imported"], by_sheet["会员名单"]["skipped"],
            by_sheet["会员名单"]["rejected"]) == (4, 2, 1, 1)
    assert (by_sheet["活动记录"]["imported"], by_sheet["活动记录"]["rejected"]) == (1, 1)
    book = openpyxl.load_workbook(out_path, read_only=True)
    try:
        assert book.sheetnames == ["会员名单", "活动记录", "各列的去向"]
        members = [r for r in book["会员名单"].iter_rows(min_row=4, values_only=True) if r[0] is not None]
        activities = [r for r in book["活动记录"].iter_rows(min_row=4, values_only=True) if r[0] is not None]
        columns = [r for r in book["各列的去向"].iter_rows(min_row=4, values_only=True) if r[0] is not None]
        heads = next(book["会员名单"].iter_rows(min_row=3, max_row=3, values_only=True))
    finally:
        book.close()
    assert heads[:3] == ("工作表行号", "原因", "序号")
    assert len(members) == 1 and members[0][0] == 4 and members[0][1].startswith("统一社会信用代码：")
    assert members[0][3] == "清河县乙有限公司"  # the row's own cells, under the sheet's titles
    assert len(activities) == 1 and activities[0][0] == 3 and activities[0][1].startswith("活动日期：")
    assert {(r[0], r[2]) for r in columns} >= {("会员名单", "企业地址"), ("活动记录", "活动形式")}
    assert len(columns) == 10  # every column of both sheets
    # a dry run (the clerk checking first) gives the error workbook too
    rc, _out, err = _run(capsys, "import", "workbook", str(path), "--db", str(db.path), "--dry-run",
                         "--errors", str(tmp_path / "again.xlsx"))
    assert rc == 0 and (tmp_path / "again.xlsx").exists() and "2 张表共 2 行" in err


def test_import_workbook_still_refuses_sheet_and_mapping(db, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = messy.county_workbook(tmp_path / "县台账.xlsx")
    rc, out, err = _run(capsys, "import", "workbook", str(path), "--db", str(db.path), "--sheet", "会员名单")
    assert rc == 2 and out == "" and "--sheet" in err
