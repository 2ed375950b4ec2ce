"""Every output for a past year shows the roll on 31 December of that year, checked against plain SQL.

Two members are added to 城关镇商会 in the demo county: one who joined on 1 January of this year (after
last year's end: absent from last year's outputs) and one who joined long ago and left on that same
1 January (still a member on last year's 31 December: present, without a leave date).
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from chamberdesk.core import members as msvc
from chamberdesk.core.chambers import find_chamber
from chamberdesk.io import excel_export as ex
from chamberdesk.io.package import build_package
from chamberdesk.io.pdf.jobs import PrintRequest, run

THIS_YEAR = date.today().year
YEAR = THIS_YEAR - 1
YEAR_END = date(YEAR, 12, 31).isoformat()
NEW_1_JAN = date(THIS_YEAR, 1, 1)
JOINER, LEAVER = "清河县元旦新入会科技有限公司", "清河县年初退会贸易有限公司"
CHAMBER = "城关镇商会"


@pytest.fixture
def county(demo_db, demo_path: Path):
    with demo_db.transaction() as s:
        cid = find_chamber(s, CHAMBER).id
        msvc.create_member(s, {"kind": "enterprise", "enterprise_name": JOINER, "join_date": NEW_1_JAN},
                           seats=[(cid, "member")])
        left = msvc.create_member(s, {"kind": "enterprise", "enterprise_name": LEAVER, "join_date": date(2015, 3, 1)},
                                  seats=[(cid, "member")])
        s.flush()
        msvc.mark_left(s, [left.id], NEW_1_JAN, "迁出")
    return demo_db, demo_path


def sql(path: Path, query: str, **params) -> list[tuple]:
    """Independent figures: plain SQL on the data file, not the code under test."""
    con = sqlite3.connect(path)
    try:
        return con.execute(query, params).fetchall()
    finally:
        con.close()


ON_ROLL = ("m.deleted_at IS NULL AND (m.join_date IS NULL OR m.join_date <= :d) "
           "AND (m.leave_date IS NULL OR m.leave_date > :d)")


def roll_names(path: Path) -> set[str]:
    return {r[0] for r in sql(path, f"SELECT enterprise_name FROM member m WHERE {ON_ROLL}", d=YEAR_END)}


def chamber_roll(path: Path) -> dict[str, int]:
    return dict(sql(path, f"""SELECT c.name, COUNT(DISTINCT m.id) FROM membership s JOIN member m ON m.id = s.member_id
        JOIN chamber c ON c.id = s.chamber_id WHERE {ON_ROLL} AND (s.start_date IS NULL OR s.start_date <= :d)
        AND (s.end_date IS NULL OR s.end_date > :d) GROUP BY c.name""", d=YEAR_END))


def pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(path).pages)


def sheet_rows(data: bytes | Path) -> list[tuple]:
    wb = openpyxl.load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data, read_only=True)
    try:
        return list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()


def test_the_two_members_sit_either_side_of_the_year_end(county) -> None:
    _db, path = county
    names = roll_names(path)
    assert LEAVER in names and JOINER not in names
    today_roll = {r[0] for r in sql(path, "SELECT enterprise_name FROM member WHERE leave_date IS NULL")}
    assert JOINER in today_roll and LEAVER not in today_roll


def test_member_ledger_for_a_past_year_is_the_roll_at_its_end(county, tmp_path: Path) -> None:
    db, path = county
    n = ex.export_members(db, tmp_path / "m.xlsx", year=YEAR)
    rows = sheet_rows(tmp_path / "m.xlsx")
    data = [r for r in rows[3:] if isinstance(r[0], int)]
    assert n == len(data) == len(roll_names(path))
    assert {r[1] for r in data} == roll_names(path)
    leaver = next(r for r in data if r[1] == LEAVER)
    assert leaver[15] is None and leaver[16] is None  # had not left on 31 December
    assert leaver[17] == CHAMBER  # and still sat in the chamber
    assert f"截至{YEAR}年12月31日" in rows[1][0]
    # without a year: the ledger as it is today
    ex.export_members(db, tmp_path / "now.xlsx")
    now = {r[1] for r in sheet_rows(tmp_path / "now.xlsx")[3:] if isinstance(r[0], int)}
    assert JOINER in now and LEAVER not in now


def test_rosters_and_chamber_list_count_the_year_end_roll(county, tmp_path: Path) -> None:
    db, path = county
    expected = chamber_roll(path)
    n = ex.export_roster(db, tmp_path / "r.xlsx", CHAMBER, year=YEAR)
    names = {r[1] for r in sheet_rows(tmp_path / "r.xlsx")[3:] if isinstance(r[0], int)}
    assert n == len(names) == expected[CHAMBER] and LEAVER in names and JOINER not in names

    ex.export_chambers(db, tmp_path / "c.xlsx", year=YEAR)
    rows = sheet_rows(tmp_path / "c.xlsx")
    col = rows[2].index("会员数")
    assert {r[1]: r[col] for r in rows[3:] if isinstance(r[0], int)} == expected


def test_printed_roster_and_ledger_for_a_past_year(county, tmp_path: Path) -> None:
    db, path = county
    with db.session() as s:
        cid = find_chamber(s, CHAMBER).id
    out = run(db, PrintRequest(form="roster", year=YEAR, targets=[cid]), tmp_path / "r.pdf")[0]
    text = pdf_text(out)
    assert f"截至{YEAR}年12月31日 在册会员 {chamber_roll(path)[CHAMBER]} 名" in text  # the extractor turns 　 into a space
    assert f"截至{THIS_YEAR}" not in text
    assert f"{CHAMBER}（盖章）" in text and "制表人（签字）" in text  # signed and sealed like the other forms
    out = run(db, PrintRequest(form="ledger", year=YEAR), tmp_path / "l.pdf")[0]
    assert f"共 {len(roll_names(path))} 条" in pdf_text(out)


def test_statistics_and_17_items_use_the_year_end_roll(county, tmp_path: Path) -> None:
    db, path = county
    expected = chamber_roll(path)
    with db.session() as s:
        _t, rows, _e = ex.yearly_stats(s, YEAR, with_standing=False)
        figs = ex.work_summary_figures(s, YEAR)
    assert {r.name: r.members for r in rows} == expected
    joined = sql(path, "SELECT COUNT(*) FROM member WHERE deleted_at IS NULL AND join_date BETWEEN :a AND :b",
                 a=f"{YEAR}-01-01", b=YEAR_END)[0][0]
    assert figs[1][3] == f"新发展 {joined} 个，总数 {len(roll_names(path))} 个"
    # item 3: above-scale members seated in industry chambers on 31 December ÷ the county's above-scale firms
    above = sql(path, f"""SELECT COUNT(DISTINCT m.id) FROM member m JOIN membership s ON s.member_id = m.id
        JOIN chamber c ON c.id = s.chamber_id WHERE {ON_ROLL} AND c.kind = 'industry' AND m.size_class = 'above'
        AND (s.start_date IS NULL OR s.start_date <= :d) AND (s.end_date IS NULL OR s.end_date > :d)""", d=YEAR_END)[0][0]
    fed_above = sql(path, "SELECT above_scale_enterprises FROM federation")[0][0]
    assert f"覆盖率 {above / fed_above:.1%}" in figs[2][3]


def test_package_ledger_and_chamber_list_agree_with_its_statistics(county, tmp_path: Path) -> None:
    db, path = county
    out = tmp_path / "p.zip"
    build_package(db, YEAR, out)
    with zipfile.ZipFile(out) as zf:
        data = json.loads(zf.read("data.json"))
        ledger = sheet_rows(zf.read("会员台账（已隐去个人信息）.xlsx"))
        chambers = sheet_rows(zf.read("商会名录.xlsx"))
    names = {r[1] for r in ledger[3:] if isinstance(r[0], int)}
    assert names == roll_names(path) and data["members"]["total_at_year_end"] == len(names)
    col = chambers[2].index("会员数")
    listed = {r[1]: r[col] for r in chambers[3:] if isinstance(r[0], int)}
    assert listed == chamber_roll(path) == {c["name"]: c["members"] for c in data["chambers"]}
