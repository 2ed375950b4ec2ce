"""The upward data package: contents and checksums, refusal of tampered or foreign packages, consolidation."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from chamberdesk.core.db import SCHEMA_VERSION
from chamberdesk.io.package import PackageError, build_package, consolidate, read_package

YEAR = date.today().year - 1


@pytest.fixture
def pkg(demo_db, tmp_path: Path) -> Path:
    out = tmp_path / "清河县.zip"
    build_package(demo_db, YEAR, out)
    return out


def test_package_contents_and_manifest(pkg: Path) -> None:
    with zipfile.ZipFile(pkg) as zf:
        names = set(zf.namelist())
        man = json.loads(zf.read("manifest.json"))
        for name, meta in man["files"].items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == meta["sha256"]
        data = json.loads(zf.read("data.json"))
    assert {"manifest.json", "data.json", "年度基层商会工作情况统计表.xlsx", "工作基本情况资料.xlsx"} <= names
    assert man["period"]["year"] == YEAR and man["schema_version"] == SCHEMA_VERSION and man["app_version"]
    assert man["federation"]["region_code"] == "130534"
    assert len(data["chambers"]) == 12 and len(data["work_summary"]) == 17
    # no full personal numbers leave the county
    blob = json.dumps(data, ensure_ascii=False)
    assert "rep_id_number" not in blob
    p = read_package(pkg)
    assert p.data["year"] == YEAR


def _rewrite(src: Path, dest: Path, change) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)


def test_tampered_data_refused(pkg: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    _rewrite(pkg, bad, lambda n, d: d.replace(b'"members": 4', b'"members": 9') if n == "data.json" else d)
    with pytest.raises(PackageError, match="SHA-256"):
        read_package(bad)


def test_tampered_manifest_refused(pkg: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"

    def change(n: str, d: bytes) -> bytes:
        if n != "manifest.json":
            return d
        m = json.loads(d)
        m["federation"]["name"] = "别的县"
        return json.dumps(m, ensure_ascii=False).encode()

    _rewrite(pkg, bad, change)
    with pytest.raises(PackageError, match="清单已被改动"):
        read_package(bad)


def test_extra_file_and_foreign_zip_refused(pkg: Path, tmp_path: Path) -> None:
    bad = tmp_path / "extra.zip"
    _rewrite(pkg, bad, lambda n, d: d)
    with zipfile.ZipFile(bad, "a") as zf:
        zf.writestr("readme.txt", "hi")
    with pytest.raises(PackageError, match="清单外"):
        read_package(bad)
    foreign = tmp_path / "foreign.zip"
    with zipfile.ZipFile(foreign, "w") as zf:
        zf.writestr("photo.jpg", b"x")
    with pytest.raises(PackageError, match="不是商会台账的上报数据包"):
        read_package(foreign)
    notzip = tmp_path / "n.zip"
    notzip.write_bytes(b"hello")
    with pytest.raises(PackageError, match="不是上报数据包"):
        read_package(notzip)


def test_zip_slip_and_bomb_refused(tmp_path: Path) -> None:
    slip = tmp_path / "slip.zip"
    with zipfile.ZipFile(slip, "w") as zf:
        zf.writestr("manifest.json", "{}")
        zf.writestr("../../evil.txt", "x")
    with pytest.raises(PackageError, match="不安全的文件路径"):
        read_package(slip)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", "{}")
        zf.writestr("data.json", b" " * (20 * 1024 * 1024))
    with pytest.raises(PackageError, match="压缩炸弹"):
        read_package(bomb)


def test_consolidate_two_counties(demo_db, demo_path: Path, pkg: Path, tmp_path: Path) -> None:
    other_db = tmp_path / "other.db"
    demo_db.close()
    src = sqlite3.connect(demo_path)
    dst = sqlite3.connect(other_db)
    src.backup(dst)
    dst.execute("UPDATE federation SET name='柳林县工商业联合会', region_code='130535'")
    dst.commit()
    dst.close()
    src.close()
    from chamberdesk.core.db import open_database

    odb = open_database(other_db)
    pkg2 = tmp_path / "柳林县.zip"
    build_package(odb, YEAR, pkg2)
    odb.close()
    out = tmp_path / "汇总.xlsx"
    res = consolidate([pkg, pkg2], out)
    assert [c.region_code for c in res.counties] == ["130534", "130535"]
    assert sum(k["chambers"] for k in res.by_kind.values()) == 24
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["按县区汇总", "按商会类型汇总", "商会明细", "工作基本情况汇总"]
    ws = wb["按县区汇总"]
    assert ws["B4"].value.startswith("清河县") and ws["B5"].value == "柳林县工商业联合会"
    assert ws["A6"].value == "合计" and ws["F6"].value == 24
    assert any(str(c.value or "").startswith("汇总单位（盖章）") for row in ws.iter_rows(min_row=7) for c in row)
    # the 17 items: item 2 adds both counties' new and year-end members, item 1 (entered by hand) is not invented
    new, total = res.counties[0].new_members + res.counties[1].new_members, sum(c.members for c in res.counties)
    item2 = next(i for i in res.work_summary if i.no == 2)
    assert item2.total == f"新发展 {new} 个，总数 {total} 个"
    assert len(res.work_summary) == 17 and next(i for i in res.work_summary if i.no == 1).total == ""
    ws4 = wb["工作基本情况汇总"]
    assert [ws4.cell(3, c).value for c in range(1, 8)] == ["类别", "序号", "项目", "合计", "清河县工商业联合会（总商会）",
                                                          "柳林县工商业联合会", "说明"]
    assert ws4["D5"].value == item2.total
    assert any(str(c.value or "").startswith("汇总单位（盖章）") for row in ws4.iter_rows(min_row=20) for c in row)
    with pytest.raises(PackageError, match="同一单位"):
        consolidate([pkg, pkg], None)


def test_consolidation_uses_year_end_members_not_todays_count(pkg: Path, tmp_path: Path) -> None:
    data = read_package(pkg).data
    year_end = data["members"]["total_at_year_end"]
    res = consolidate([pkg], tmp_path / "x.xlsx")
    assert res.counties[0].members == year_end
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx")["按县区汇总"]
    assert ws["D4"].value == year_end


def test_consolidation_ignores_counts_of_the_day() -> None:
    from chamberdesk.io.package import Package, consolidate_packages

    def fake(code: str, today: int, year_end: int) -> Package:
        man = {"federation": {"name": code, "region_code": code}, "period": {"year": 2025}}
        data = {"counts": {"active_members": today}, "members": {"new": 3, "total_at_year_end": year_end},
                "chambers": []}
        return Package(Path(f"{code}.zip"), man, data)

    res = consolidate_packages([fake("1", 700, 519), fake("2", 50, 40)])
    assert [c.members for c in res.counties] == [519, 40]
    broken = fake("3", 10, 0)
    del broken.data["members"]["total_at_year_end"]
    with pytest.raises(PackageError, match="年末在册会员数"):
        consolidate_packages([broken])


def test_industries_covered_are_a_union_across_counties_not_a_sum() -> None:
    """Two counties both covering 制造业 cover one industry between them; a package without the list is not added."""
    from chamberdesk.io.package import Package, consolidate_packages

    def fake(code: str, sectors: list[str] | None) -> Package:
        figure = f"行业商会 2 个，异地商会 1 个；涉及行业 {len(sectors or ['x', 'y'])} 个；覆盖率 20.0%"
        data: dict = {"members": {"new": 1, "total_at_year_end": 10}, "chambers": [],
                      "work_summary": [{"group": "二、组织建设方面", "no": 3, "item": "涉及行业", "figure": figure}]}
        if sectors is not None:
            data["distinct"] = {"涉及行业": sectors}
        return Package(Path(f"{code}.zip"), {"federation": {"name": code, "region_code": code},
                                             "period": {"year": 2025}}, data)

    res = consolidate_packages([fake("1", ["制造业", "建筑业"]), fake("2", ["制造业", "批发和零售业", "餐饮业"])])
    item3 = res.work_summary[0]
    assert item3.total == "行业商会 4 个，异地商会 2 个，涉及行业 4 个"  # 制造业 once: 2 + 3 − 1
    assert "去重" in item3.note and "比例不相加" in item3.note
    old = consolidate_packages([fake("1", ["制造业", "建筑业"]), fake("2", None)]).work_summary[0]
    assert old.total == "行业商会 4 个，异地商会 2 个" and "未附名单" in old.note


def test_package_carries_the_industries_it_counts(pkg: Path) -> None:
    data = read_package(pkg).data
    item3 = next(i for i in data["work_summary"] if i["no"] == 3)
    sectors = data["distinct"]["涉及行业"]
    assert sectors == sorted(set(sectors)) and f"涉及行业 {len(sectors)} 个" in item3["figure"]
