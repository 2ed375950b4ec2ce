"""Importing messy real-world sheets: header detection, normalising, validation, duplicates, row accounting."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import messy
import openpyxl
import pytest
from sqlmodel import select

from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.federation import get_setting
from chamberdesk.core.models import AuditLog, Chamber, Meeting, Member, Membership
from chamberdesk.io import excel_import as imp
from chamberdesk.io import mappings


def _members(db) -> list[Member]:
    with db.session() as s:
        return list(s.exec(select(Member).order_by(Member.id)))


def test_messy_ledger_row_accounting(db, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    messy.add_chamber(db)
    exp = messy.messy_members(path)
    pv = imp.preview_import(db, path, "members")
    assert pv.header.first_row == 2 and pv.header.last_row == 3  # two-level header found under title and unit line
    assert "联系方式/手机" in pv.header.titles
    res = imp.commit_import(db, pv)
    assert res.balanced()
    assert (res.rows, res.imported, res.duplicates, res.skipped, res.rejected) == (
        exp.rows, exp.imported, exp.duplicates, exp.skipped, exp.rejected)
    rejected = {o.sheet_row: o.reason for o in pv.outcomes if o.status == imp.REJECTED}
    assert set(rejected) == set(exp.rejected_rows)
    for row, word in exp.rejected_rows.items():
        assert word in rejected[row], (row, rejected[row])
    names = [m.enterprise_name for m in _members(db)]
    assert sorted(names) == sorted(exp.imported_names)


def test_messy_values_are_normalised(db, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    messy.add_chamber(db)
    messy.messy_members(path)
    imp.import_file(db, path, "members")
    by_name = {m.enterprise_name: m for m in _members(db)}
    m2 = by_name["清河县第2机械制造有限公司"]
    assert m2.credit_code == messy.credit_code(2)  # spaces and lower case removed
    assert m2.rep_phone == "13800138002"  # a number cell, without ".0"
    assert by_name["清河县第3机械制造有限公司"].credit_code == messy.credit_code(3)  # full-width
    assert by_name["清河县第8机械制造有限公司"].rep_phone == "13800138008"
    assert by_name["清河县第7机械制造有限公司"].rep_phone == "0319-7654321"
    assert by_name["清河县第9机械制造有限公司"].rep_phone == "0319-7654329"
    assert by_name["清河县第4机械制造有限公司"].rep_gender == "F"
    for i in range(1, 10):
        assert by_name[f"清河县第{i}机械制造有限公司"].join_date.isoformat() == "2019-05-01", i
    # the ID stored as a number never reaches the data file
    assert all(m.rep_id_number != "130534197803090101" for m in by_name.values())


def test_id_number_stored_as_number_is_rejected_with_reason(db, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["企业名称", "身份证号", "性别"])
    wb.active.append(["甲公司", 410102199001011234, "男"])
    wb.save(path)
    res = imp.import_file(db, path, "members")
    assert res.rejected == 1 and res.imported == 0
    assert res.problems[0].column == "身份证号" and "数字" in res.problems[0].message
    assert _members(db) == []


def test_duplicates_against_data_file_skip_and_update(db, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    messy.add_chamber(db)
    messy.messy_members(path)
    first = imp.import_file(db, path, "members")
    again = imp.import_file(db, path, "members")
    assert again.imported == 0 and again.duplicates == first.imported + first.duplicates
    assert again.balanced()
    # change a phone and update
    wb = openpyxl.Workbook()
    wb.active.append(["企业名称", "统一社会信用代码", "手机"])
    wb.active.append(["清河县第1机械制造有限公司（改名）", messy.credit_code(1), "13900000001"])
    wb.save(tmp_path / "b.xlsx")
    res = imp.import_file(db, tmp_path / "b.xlsx", "members", on_duplicate="update")
    assert (res.updated, res.imported) == (1, 0)
    m = next(m for m in _members(db) if m.credit_code == messy.credit_code(1))
    assert m.rep_phone == "13900000001" and m.enterprise_name.endswith("（改名）")
    assert m.legal_rep == "张1"  # an empty cell never blanks a field


def test_per_row_choices_keep_both_only_when_allowed(db, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["企业名称", "统一社会信用代码"])
    ws.append(["张记饭店", messy.credit_code(1)])
    ws.append(["张记饭店", None])  # same name only: two shops may share it
    ws.append(["另一家", messy.credit_code(1)])  # same code: cannot both be in the ledger
    wb.save(path)
    pv = imp.preview_import(db, path, "members")
    st = [(o.status, o.keep_allowed) for o in pv.outcomes]
    assert st == [(imp.NEW, False), (imp.DUPLICATE, True), (imp.DUPLICATE, False)]
    assert "第2行" in pv.outcomes[1].dup_reason
    for o in pv.outcomes[1:]:
        o.choice = "keep"
    res = imp.commit_import(db, pv)
    assert (res.imported, res.duplicates) == (2, 1)
    assert len(_members(db)) == 2


def test_dry_run_writes_nothing_and_counts(db, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    messy.add_chamber(db)
    exp = messy.messy_members(path)
    res = imp.import_file(db, path, "members", dry_run=True)
    assert res.balanced() and res.imported == exp.imported
    assert _members(db) == []


def test_commit_is_one_transaction_with_one_audit_entry_and_saved_mapping(db, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    messy.add_chamber(db)
    messy.messy_members(path)
    res = imp.import_file(db, path, "members")
    with db.session() as s:
        entries = list(s.exec(select(AuditLog).where(AuditLog.table_name == "member")))
        saved = get_setting(s, imp.mapping_key("members"))
    assert len(entries) == 1 and json.loads(entries[0].after)["新增"] == res.imported
    assert saved["联系方式/手机"] == "rep_phone" and saved["会员单位"] == "enterprise_name"


def test_clerk_mapping_and_missing_column(db, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    # short titles in no list are still read: "单位" names the enterprise, "代码" has valid codes below it
    wb = openpyxl.Workbook()
    wb.active.append(["单位", "代码", "入会"])
    wb.active.append(["甲公司", messy.credit_code(5), "2020-01-01"])
    wb.save(path)
    pv = imp.preview_import(db, path, "members")
    assert pv.header.mapping == {0: "enterprise_name", 1: "credit_code", 2: "join_date"}
    # a header that names nothing is not guessed at: the clerk names the columns
    wb = openpyxl.Workbook()
    wb.active.append(["甲", "乙", "丙"])
    wb.active.append(["甲公司", messy.credit_code(5), "2020-01-01"])
    wb.save(path)
    with pytest.raises(ChamberDeskError, match="表头"):
        imp.preview_import(db, path, "members")
    # the clerk's mapping wins over the guess
    wb = openpyxl.Workbook()
    wb.active.append(["企业名称", "性别", "代码", "入会"])
    wb.active.append(["甲公司", "男", messy.credit_code(5), "2020-01-01"])
    wb.save(path)
    res = imp.import_file(db, path, "members", mapping={"代码": "统一社会信用代码", "入会": "_ignore"})
    assert res.imported == 1
    m = _members(db)[0]
    assert m.credit_code == messy.credit_code(5) and m.join_date is None


def test_members_name_their_chamber_and_position(demo_db, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["企业名称", "统一社会信用代码", "所属商会", "职务"])
    ws.append(["新会员甲", messy.credit_code(90001 % 99999, "130599"), "城关镇商会", "常务副会长"])
    ws.append(["新会员乙", None, "城关镇商会（理事）、不存在的商会", None])
    ws.append(["新会员丙", None, "城关镇商会", "大王"])
    ws.append(["新会员丁", None, "城关镇", "会员单位"])  # the chamber's name without 商会
    wb.save(path)
    res = imp.import_file(demo_db, path, "members")
    assert (res.imported, res.rejected) == (3, 1)
    # an unknown chamber is never dropped silently nor filed elsewhere: the row is refused, saying what to do
    why = next(p for p in res.problems if p.row == 3)
    assert "不存在的商会" in why.message and "--create-chambers" in why.message and not why.note
    # a position word that fits no position seats the member as 会员, the word kept and reported
    odd = next(p for p in res.problems if p.row == 4)
    assert odd.note and "大王" in odd.message and "会员" in odd.message
    with demo_db.session() as s:
        ch = s.exec(select(Chamber).where(Chamber.name == "城关镇商会")).one()
        seats = {m.enterprise_name: st.position for st, m in s.exec(
            select(Membership, Member).join(Member, Member.id == Membership.member_id)
            .where(Membership.chamber_id == ch.id, Member.enterprise_name.in_(["新会员甲", "新会员丁"])))}
    assert seats == {"新会员甲": "vice_president", "新会员丁": "member"}
    with demo_db.session() as s:
        kept = s.exec(select(Member.custom).where(Member.enterprise_name == "新会员丙")).one()
    assert json.loads(kept) == {"职务（原文）": "大王"}
    # with --create-chambers the unknown chamber is created and the seat goes to it
    res = imp.import_file(demo_db, path, "members", create_chambers=True)
    assert res.imported == 1 and res.new_chambers == ["不存在的商会（其他）"]
    with demo_db.session() as s:
        created = s.exec(select(Chamber).where(Chamber.name == "不存在的商会")).one()
        held = s.exec(select(Membership.position).where(Membership.chamber_id == created.id)).all()
    assert held == ["member"]


def test_a_member_imported_as_left_holds_no_open_seat(demo_db, tmp_path: Path) -> None:
    path = tmp_path / "left.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["企业名称", "入会日期", "退会日期", "所属商会"])
    wb.active.append(["已退会甲", "2015年3月", "2021.6.1", "城关镇商会"])
    wb.save(path)
    assert imp.import_file(demo_db, path, "members").imported == 1
    with demo_db.session() as s:
        mid = s.exec(select(Member.id).where(Member.enterprise_name == "已退会甲")).one()
        ends = s.exec(select(Membership.end_date).where(Membership.member_id == mid)).all()
    assert [str(e) for e in ends] == ["2021-06-01"]


def test_chambers_meetings_activities_contacts(db, tmp_path: Path) -> None:
    p = tmp_path / "ch.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["商会名称", "类型", "成立时间", "有办公场所", "专职人员", "党组织"])
    ws.append(["城关镇商会", "乡镇", "2010年3月", "是", 2, "独立"])
    ws.append(["建筑业商会", "行业商会", "2012/5/6", "否", "1人", "无"])
    ws.append(["坏商会", "宇宙商会", "2012/5/6", "否", None, None])
    wb.save(p)
    res = imp.import_file(db, p, "chambers")
    assert (res.imported, res.rejected) == (3, 0) and res.balanced()
    # a kind nobody has ("宇宙商会") is never a refused row: inferred from the name, the word kept, both said
    said = [p.message for p in res.problems if p.row == 4]
    assert any("宇宙商会" in m for m in said) and any("按名称推断" in m for m in said)
    p = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["商会", "会议名称", "召开时间", "地点", "应到", "实到"])
    ws.append(["城关镇商会", "理事会", "2023.3", "会议室", 20, 18])
    ws.append(["城关镇商会", "理事会", "2023.3", "会议室", 20, 18])
    ws.append(["", "常委会议", "2023-06-01", None, 30, 31])
    ws.append(["没有这个商会", "理事会", "2023-06-01", None, None, None])
    wb.save(p)
    res = imp.import_file(db, p, "meetings")
    assert (res.imported, res.duplicates, res.rejected) == (1, 1, 2) and res.balanced()
    with db.session() as s:
        mt = s.exec(select(Meeting)).one()
    assert mt.body == "council" and mt.date.isoformat() == "2023-03-01"
    p = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["所属单位", "活动类别", "活动日期", "活动名称", "金额（万元）"])
    ws.append(["建筑业商会", "光彩事业", "2023-05-01", "助学捐款", "12.5"])
    ws.append(["", "培训", 45000, "企业家培训班", None])
    wb.save(p)
    res = imp.import_file(db, p, "activities")
    assert (res.imported, res.rejected) == (1, 1)  # a blank owner is never taken for the federation
    assert "所属单位为空" in res.problems[0].message and "--owner" in res.problems[0].message
    res = imp.import_file(db, p, "activities", owner="本级")
    assert (res.imported, res.duplicates) == (1, 1), res.problems
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["企业名称", "统一社会信用代码"])
    ws.append(["甲公司", messy.credit_code(7)])
    wb.save(tmp_path / "mem.xlsx")
    imp.import_file(db, tmp_path / "mem.xlsx", "members")
    p = tmp_path / "c.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["走访对象", "走访日期", "走访方式", "走访人"])
    ws.append(["甲公司", "2023-04-01", "实地走访", "王芳"])
    ws.append(["乙公司", "2023-04-01", "电话", "王芳"])
    wb.save(p)
    with pytest.raises(ChamberDeskError, match="--owner"):  # no owner column: whose visits are these?
        imp.import_file(db, p, "contacts")
    res = imp.import_file(db, p, "contacts", owner="县工商联")
    assert (res.imported, res.rejected) == (1, 1)
    assert "找不到会员" in res.problems[0].message


@pytest.mark.parametrize(("kind", "text", "field"), [
    ("members", "企业名称（全称）", "enterprise_name"), ("members", "法人代表", "legal_rep"),
    ("members", "社会信用代码", "credit_code"), ("members", "入会日期", "join_date"), ("members", "手 机", "rep_phone"),
    ("members", "序号", mappings.IGNORE), ("members", "*企业名称", "enterprise_name"),
    ("chambers", "商会名称", "name"), ("meetings", "会议类型", "body"), ("contacts", "走访对象", "member"),
])
def test_synonyms(kind: str, text: str, field: str) -> None:
    assert mappings.match_header(kind, text) == field


def test_error_workbook_repeats_rejected_rows(db, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    messy.add_chamber(db)
    exp = messy.messy_members(path)
    out = tmp_path / "errors.xlsx"
    imp.import_file(db, path, "members", errors_out=out)
    book = openpyxl.load_workbook(out)
    ws = book["未通过的行"]
    assert ws["A3"].value == "工作表行号" and ws["B3"].value == "原因"
    # the second sheet says what became of every column of the source sheet
    fates = {r[1]: r[2] for r in book["各列的去向"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert fates["序号"].startswith("不导入") and fates["会员单位"] == "导入为“企业名称”"
    assert fates["联系方式/手机"] == "导入为“联系电话”" and len(fates) >= 10
    rows = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value}
    assert {int(k) for k in rows} == set(exp.rejected_rows)
    # the original cells follow, so the clerk can fix and re-import them
    row13 = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == min(exp.rejected_rows))
    assert ws.cell(row13, 4).value == "清河县第10机械制造有限公司"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: cannot write an .xls")
def test_xls_from_old_wps_imports_the_same(db, tmp_path: Path) -> None:
    src = tmp_path / "台账.xlsx"
    messy.add_chamber(db)
    exp = messy.messy_members(src)
    subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    xls = tmp_path / "台账.xls"
    assert xls.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    res = imp.import_file(db, xls, "members")
    assert res.balanced()
    assert (res.imported, res.duplicates, res.skipped) == (exp.imported, exp.duplicates, exp.skipped)
