"""Imported names lose the spaces a sheet put between Chinese characters, so the ledger search finds them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from sqlmodel import select

from chamberdesk.core import chambers, members
from chamberdesk.core.models import Chamber, Member
from chamberdesk.io import excel_import as imp


def _sheet(path: Path, *rows: list[object]) -> Path:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def test_imported_company_name_is_stored_without_spaces_and_found(db, tmp_path: Path) -> None:
    p = _sheet(tmp_path / "会员.xlsx", ["企业名称", "法人代表"],
               ["清河县 顺风 快递服务部", "张三"], ["ABC  Trading Co., Ltd.", "李四"])
    res = imp.import_file(db, p, "members")
    assert res.imported == 2, res.problems
    with db.session() as s:
        names = sorted(s.exec(select(Member.enterprise_name)))
        found = members.member_ids(s, members.MemberFilter(search="顺风快递"))
    assert names == ["ABC Trading Co., Ltd.", "清河县顺风快递服务部"]
    assert len(found) == 1
    # the same name with other spacing is the same member: a second import finds the duplicate
    again = imp.import_file(db, _sheet(tmp_path / "b.xlsx", ["企业名称", "法人代表"], ["清河县顺风　快递服务部", "张三"]), "members")
    assert (again.imported, again.duplicates) == (0, 1)


def test_imported_chamber_name_is_stored_without_spaces(db, tmp_path: Path) -> None:
    p = _sheet(tmp_path / "商会.xlsx", ["商会名称", "类型"], ["城关镇 商会", "乡镇"])
    assert imp.import_file(db, p, "chambers").imported == 1
    with db.session() as s:
        assert s.exec(select(Chamber.name)).one() == "城关镇商会"


def test_typed_names_are_normalised_for_every_caller(db) -> None:
    with db.transaction() as s:
        ch = chambers.create_chamber(s, {"name": " 建筑业 商会 ", "kind": "industry"})
        m = members.create_member(s, {"kind": "enterprise", "enterprise_name": "清河县 恒信 机械\u3000有限公司"})
    assert (ch.name, m.enterprise_name) == ("建筑业商会", "清河县恒信机械有限公司")
