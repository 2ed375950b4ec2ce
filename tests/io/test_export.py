"""Exports: form layout, formula neutralisation, masking with audit, the round trip, the upward workbooks."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from sqlmodel import select

from chamberdesk.core import members as msvc
from chamberdesk.core.models import AuditLog, Member
from chamberdesk.core.validators import mask_id_number
from chamberdesk.io import excel_export as ex
from chamberdesk.io.excel_import import import_file
from chamberdesk.io.workbook_style import FormWriter

FIELDS = ["enterprise_name", "credit_code", "kind", "legal_rep", "rep_name", "rep_gender", "rep_birth_date",
          "rep_id_number", "rep_political_status", "rep_phone", "industry", "size_class", "tags", "join_date",
          "leave_date", "leave_reason", "notes"]


def test_form_layout_and_formula_neutralisation(tmp_path: Path) -> None:
    w = FormWriter("测试表", ["名称", "数量", "日期"], unit_line="填报单位：某县工商联", formats=[None, "int", None])
    w.row(["=HYPERLINK(\"http://x\")", 3, date(2024, 5, 1)])
    w.row(["+86 138", -5, None])
    w.text_row(["-1+2", "@SUM(A1)", "\tx"])
    w.text_row(["\r=1", "普通", None])
    out = tmp_path / "f.xlsx"
    w.save(out)
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == "测试表" and ws["A1"].font.b
    assert "A1:C1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws["A3"].value == "名称" and ws["A3"].font.b and ws["A3"].border.left.style == "thin"
    for ref in ("A4", "A5", "A6", "B6", "C6", "A7"):
        c = ws[ref]
        assert c.data_type == "s", ref  # text, never a formula
        assert c.quotePrefix, ref
    assert ws["A4"].value.startswith("=HYPERLINK")
    assert ws["B4"].value == 3 and ws["B4"].data_type == "n" and ws["B5"].value == -5
    assert ws["C4"].number_format == "yyyy-mm-dd" and ws["C4"].border.left.style == "thin"
    assert ws["C5"].border.left.style == "thin"  # empty cells inside the table keep their borders
    assert ws["B7"].quotePrefix is False


def test_member_export_masks_by_default(demo_db, tmp_path: Path) -> None:
    out = tmp_path / "m.xlsx"
    n = ex.export_members(demo_db, out)
    ws = openpyxl.load_workbook(out, read_only=True).active
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    with demo_db.session() as s:
        real = {m.enterprise_name: m for m in s.exec(select(Member))}
    checked = 0
    for r in rows[:n]:
        m = real[r[1]]
        if m.rep_id_number:
            assert r[8] == mask_id_number(m.rep_id_number) and "*" in r[8]
            checked += 1
        if m.rep_phone:
            assert r[10] != m.rep_phone and "*" in r[10]
        if m.rep_birth_date:
            assert r[7] == f"{m.rep_birth_date.year}年**月**日"  # the year only, no day of birth
    assert checked > 10
    with demo_db.session() as s:
        assert not list(s.exec(select(AuditLog).where(AuditLog.action == "export")))


def test_unmasked_export_is_audited(demo_db, tmp_path: Path) -> None:
    out = tmp_path / "m.xlsx"
    ex.export_members(demo_db, out, msvc.MemberFilter(search="机械"), unmasked=True)
    with demo_db.session() as s:
        entries = list(s.exec(select(AuditLog).where(AuditLog.action == "export")))
    assert len(entries) == 1 and json.loads(entries[0].after)["含完整身份证号和电话"] is True


def test_round_trip_into_empty_data_file(demo_db, db, tmp_path: Path) -> None:
    out = tmp_path / "m.xlsx"
    flt = msvc.MemberFilter(status=None)
    n = ex.export_members(demo_db, out, flt, unmasked=True)
    res = import_file(db, out, "members", create_chambers=True)  # the chambers the ledger names come along
    assert res.balanced() and res.imported == n and res.rejected == 0, res.problems[:3]
    with demo_db.session() as s:
        before = sorted((tuple(getattr(m, f) for f in FIELDS) for m in msvc.iter_members(s, flt)), key=str)
    with db.session() as s:
        after = sorted((tuple(getattr(m, f) for f in FIELDS) for m in s.exec(select(Member))), key=str)
    assert before == after


def test_masked_round_trip_keeps_members_but_not_personal_numbers(demo_db, db, tmp_path: Path) -> None:
    out = tmp_path / "m.xlsx"
    n = ex.export_members(demo_db, out)
    res = import_file(db, out, "members", create_chambers=True)  # the chambers the ledger names come along
    assert res.imported == n and res.rejected == 0
    assert any("已打码" in p.message for p in res.problems)
    with db.session() as s:
        assert all(m.rep_id_number is None and m.rep_phone is None and m.rep_birth_date is None
                   for m in s.exec(select(Member)))
    assert any("出生日期已打码" in p.message for p in res.problems)


def test_roster_chambers_meetings_activities(demo_db, tmp_path: Path) -> None:
    assert ex.export_roster(demo_db, tmp_path / "r.xlsx", "城关镇商会") > 5
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert ws["A1"].value == "城关镇商会会员名册" and ws["D4"].value == "会长"
    assert ex.export_chambers(demo_db, tmp_path / "c.xlsx") == 12
    year = date.today().year - 1
    assert ex.export_meetings(demo_db, tmp_path / "mt.xlsx", year=year) > 0
    assert ex.export_activities(demo_db, tmp_path / "a.xlsx", year=year, chamber="城关镇商会") > 0
    with pytest.raises(Exception, match="找不到商会"):
        ex.export_roster(demo_db, tmp_path / "x.xlsx", "没有的商会")


def test_yearly_stats_one_row_per_chamber_with_totals(demo_db, tmp_path: Path) -> None:
    year = date.today().year - 1
    out = tmp_path / "ys.xlsx"
    info = ex.export_yearly_stats(demo_db, out, year)
    assert info.rows == 12
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == f"{year}年度基层商会工作情况统计表"
    assert ws.freeze_panes == "C5" and ws.print_title_rows == "$3:$4"
    heads = [c.value for c in ws[4]]
    top = [c.value for c in ws[3]]
    assert "会议（次）" in top and "活动（次）" in top and "理事会" in heads and "换届状态" in top
    data = [r for r in ws.iter_rows(min_row=5, max_row=16, values_only=True)]
    assert len({r[1] for r in data}) == 12
    total = [c.value for c in ws[17]]
    assert total[0] == "合计" and total[3] == sum(r[3] for r in data)
    # the standing columns say what the dashboard and the 商会 page say
    assert info.standing_included and "达标情况" in top
    from chamberdesk import rules

    with demo_db.session() as s:
        report = rules.chamber_conditions(s, year)
    col = heads.index("五有五好")
    word = {True: "达标", False: "未达标", None: "待填写"}
    by_name = {c.name: word[c.results["wuyou-wuhao"].passed] for c in report.chambers.values()}
    assert {r[1]: r[col] for r in data} == by_name


def test_work_summary_has_17_figures_in_5_groups(demo_db, tmp_path: Path) -> None:
    year = date.today().year - 1
    with demo_db.session() as s:
        figs = ex.work_summary_figures(s, year)
    assert [f[1] for f in figs] == list(range(1, 18))
    assert len({f[0] for f in figs}) == 5
    assert "新发展" in figs[1][3]
    ex.export_work_summary(demo_db, tmp_path / "w.xlsx", year)
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx").active
    assert ws["C4"].value.startswith("单位所获")


def test_work_summary_prints_as_a_signed_a4_form(demo_db, tmp_path: Path) -> None:
    year = date.today().year - 1
    with demo_db.session() as s:
        figs = ex.work_summary_figures(s, year)
    ex.export_work_summary(demo_db, tmp_path / "w.xlsx", year)
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx").active
    assert ws["A2"].value.endswith(f"统计期间：{year}年1月1日至12月31日")
    assert ws.page_setup.orientation == "portrait" and str(ws.page_setup.paperSize) == "9"
    # each group's name once, merged beside its items
    merged = {str(r) for r in ws.merged_cells.ranges}
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(figs):
        groups.setdefault(f[0], []).append(4 + i)
    for g, rows in groups.items():
        assert ws.cell(rows[0], 1).value == g
        if len(rows) > 1:
            assert f"A{rows[0]}:A{rows[-1]}" in merged
    # long texts wrap, and their rows are tall enough for the wrapped lines
    item7 = ws.cell(4 + 6, 3)
    assert item7.alignment.wrap_text and ws.row_dimensions[4 + 6].height >= 30
    texts = [c.value for row in ws.iter_rows(min_row=4 + len(figs)) for c in row if isinstance(c.value, str)]
    assert {"填报单位（盖章）：", "日期：　　年　　月　　日"} <= set(texts)
    assert any("负责人" in t and "填表人" in t for t in texts)
    # the demo county never enters 件数 for research, proposals or articles: the note says they are counted
    for n in (14, 15, 17):
        assert "数，按活动次数计" in figs[n - 1][4], n


def test_assessment_headers_are_the_full_rules(demo_db, tmp_path: Path) -> None:
    from chamberdesk import rules

    year = date.today().year - 1
    for rid in ("siyou", "wuge-quebao", "henan-county-wuhao"):
        ex.export_assessments(demo_db, tmp_path / f"{rid}.xlsx", rid, year)
        ws = openpyxl.load_workbook(tmp_path / f"{rid}.xlsx").active
        items = rules.load_rubric(rid).items
        heads = [c.value for c in ws[3]][7:]
        assert heads == [it.rule_text() for it in items]
        assert not any("{" in h for h in heads) and max(len(h) for h in heads) > 16
        assert all(ws.cell(3, 8 + i).alignment.wrap_text for i in range(len(items)))
        # the item columns go over pages at 100 %, each page repeating 序号 and 考评对象
        assert ws.print_title_cols == "$A:$B" and ws.page_setup.scale == 100
        widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, 8 + len(items))]
        bounds = [0, *(b.id for b in ws.col_breaks.brk), len(widths)]
        assert len(bounds) > 3 or len(items) < 10  # many items: several pages, not one squeezed page
        for first, last in zip(bounds, bounds[1:], strict=False):
            # A4 landscape less the side margins, in column units as LibreOffice (the widest) prints them
            on_page = sum(widths[first:last]) + (sum(widths[:2]) if first else 0)
            assert on_page <= (297 - 2 * 0.4 * 25.4) / 2.47, (rid, first, last)


def test_assessments_also_listed_item_by_item(demo_db, tmp_path: Path) -> None:
    from chamberdesk import rules

    year = date.today().year - 1
    ex.export_assessments(demo_db, tmp_path / "a.xlsx", "wuge-quebao", year)
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    items = rules.load_rubric("wuge-quebao").items
    ws = wb["逐项结果"]
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    assert [r[2] for r in rows] == [it.rule_text() for it in items]  # one target: each item once, in order
    from chamberdesk.rules.engine import STATUS_LABELS

    assert all(r[3] in STATUS_LABELS.values() for r in rows)
    assert all(r[4] and not r[4].startswith(r[2]) for r in rows)  # the finding, without the rule again


def test_wide_statistics_split_into_readable_pages(demo_db, tmp_path: Path) -> None:
    year = date.today().year - 1
    ex.export_yearly_stats(demo_db, tmp_path / "y.xlsx", year)
    ws = openpyxl.load_workbook(tmp_path / "y.xlsx").active
    top = [c.value for c in ws[3]]
    # pages start at header groups (活动, 走访联系), at 100 %, repeating the header rows and 序号 + 商会名称
    starts = [b.id for b in ws.col_breaks.brk]
    assert [top[i] for i in starts] == ["活动（次）", "走访联系"]
    assert ws.print_title_cols == "$A:$B" and ws.print_title_rows == "$3:$4" and ws.page_setup.scale == 100
    assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    assert f"{year}年度基层商会工作情况统计表" in ws.oddHeader.center.text


def test_serial_numbers_are_numbers_and_text_stays_neutralised(demo_db, tmp_path: Path) -> None:
    # 序号 stored as text gets WPS's green "number stored as text" triangle on every row.
    ex.export_members(demo_db, tmp_path / "m.xlsx")
    ex.export_roster(demo_db, tmp_path / "r.xlsx", "城关镇商会")
    for name in ("m.xlsx", "r.xlsx"):
        ws = openpyxl.load_workbook(tmp_path / name).active
        assert ws["A3"].value == "序号"
        serials = [ws.cell(row=r, column=1) for r in range(4, 9)]
        assert [c.value for c in serials] == [1, 2, 3, 4, 5], name
        assert all(c.data_type == "n" for c in serials), name
        assert ws.cell(row=4, column=2).data_type == "s"  # names stay text
    w = FormWriter("测试表", ["序号", "名称"])
    w.text_row([1, "=1+1"])
    w.save(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert ws["A4"].value == 1 and ws["A4"].data_type == "n"
    assert ws["B4"].data_type == "s" and ws["B4"].quotePrefix


def test_a_failed_save_leaves_the_earlier_file_intact(db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import Workbook

    from chamberdesk.io.excel_export import export_members

    out = tmp_path / "台账.xlsx"
    assert export_members(db, out) == 0
    before = out.read_bytes()

    def disk_full(self, filename):  # half a file, then the disk is full
        Path(filename).write_bytes(b"PK\x03\x04 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", disk_full)
    with pytest.raises(OSError):
        export_members(db, out)
    assert out.read_bytes() == before
    assert not list(tmp_path.glob("*.part"))
