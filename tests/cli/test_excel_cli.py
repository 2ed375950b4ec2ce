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
