"""The import as a county office meets it: every corpus sheet accounted row by row and column by column,
owners never guessed, values as offices write them, custom fields kept and found, CSV, WPS .et and whole
workbooks."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import messy
import openpyxl
import pytest
from corpus.build import load_cases, write_case, write_workbook
from sqlalchemy import text
from sqlmodel import select

from chamberdesk.core import members
from chamberdesk.core.chambers import create_chamber
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.models import Activity, Chamber, Contact, Meeting, Member, Membership
from chamberdesk.core.validators import credit_code_check_char
from chamberdesk.io import excel_export as ex
from chamberdesk.io import excel_import as imp
from chamberdesk.io.owners import OwnerIndex
from chamberdesk.io.sheet_reader import SpreadsheetError

ALL_CASES = load_cases("dev") + load_cases("holdout")
CHAMBER_CODE = "51130534MJ0000001" + credit_code_check_char("51130534MJ0000001")


def _sheet(path: Path, *rows: list[object]) -> Path:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def _import_any_owner(db, path: Path, kind: str) -> imp.ImportResult:
    """Import as a clerk would from the command line: chambers named in the sheet created, and rows that
    name no owner given to the federation explicitly (--owner 本级) only when the sheet has no owner column."""
    try:
        return imp.import_file(db, path, kind, create_chambers=True)
    except ChamberDeskError as exc:
        if "--owner" not in str(exc):
            raise
        return imp.import_file(db, path, kind, create_chambers=True, owner="本级")


@pytest.mark.parametrize("case", ALL_CASES, ids=[f"{c.path.parent.name}-{c.name}" for c in ALL_CASES])
def test_every_corpus_sheet_accounts_for_every_row_and_column(db, tmp_path: Path, case) -> None:
    path = write_case(case, tmp_path)
    refused: ChamberDeskError | None = None
    try:
        res = _import_any_owner(db, path, case.kind)
    except ChamberDeskError as exc:
        refused = exc
    if refused is not None:
        # a sheet the import cannot read at all is refused as a whole, with a reason, never half-imported
        assert "找不到" in str(refused) or "表头" in str(refused), str(refused)
        with db.session() as s:
            assert s.exec(select(imp.HANDLERS[case.kind].model)).first() is None
        return
    assert res.balanced(), res.as_dict()
    assert res.rows >= case.data_rows  # no data row missing from the count
    fates = {c.index: c for c in res.columns}
    for c, expected in enumerate(case.expected):
        if "_ignore" in (expected if isinstance(expected, list) else [expected]):
            continue  # a row number (or a column either ignored or kept, as the corpus allows)
        # a data column is a field or kept as a custom field, never dropped without the clerk saying so
        assert c in fates and fates[c].fate != imp.IGNORED, (c, expected, fates.get(c))
    assert all(p.message for p in res.problems if not p.note)
    for p in res.problems:
        if not p.note:
            assert p.column, p  # a rejected row names its column


def test_custom_columns_are_stored_found_and_exported_under_their_titles(db, tmp_path: Path) -> None:
    p = _sheet(tmp_path / "会员.xlsx", ["序号", "企业名称", "企业地址", "注册资本（万元）", "从业人员数", "主营产品", "会费缴纳情况"],
               [1, "清河县恒顺五金有限公司", "清河县城关镇建设路18号", "500", "35人", "紧固件", "2024年已缴"],
               [2, "清河县瑞达物流有限公司", None, "80万", 12, "冷链运输", None])
    res = imp.import_file(db, p, "members")
    assert res.imported == 2
    fate = {c.title: (c.fate, c.field) for c in res.columns}
    assert fate["序号"] == (imp.IGNORED, None)
    assert fate["企业地址"] == (imp.FIELD, "address") and fate["从业人员数"] == (imp.FIELD, "employee_count")
    assert fate["主营产品"] == (imp.KEPT, None) and fate["会费缴纳情况"] == (imp.KEPT, None)
    with db.session() as s:
        m = s.exec(select(Member).where(Member.enterprise_name == "清河县恒顺五金有限公司")).one()
        found = members.member_ids(s, members.MemberFilter(search="紧固件"))
        by_address = members.member_ids(s, members.MemberFilter(search="建设路"))
        other = s.exec(select(Member).where(Member.enterprise_name == "清河县瑞达物流有限公司")).one()
    assert (m.address, m.registered_capital, m.employee_count) == ("清河县城关镇建设路18号", 500.0, 35)
    assert json.loads(m.custom) == {"主营产品": "紧固件", "会费缴纳情况": "2024年已缴"}
    assert other.registered_capital == 80.0 and json.loads(other.custom) == {"主营产品": "冷链运输"}
    assert found == [m.id] and by_address == [m.id]
    out = tmp_path / "导出.xlsx"
    ex.export_members(db, out)
    ws = openpyxl.load_workbook(out).active
    head = [c.value for c in ws[3]]
    for title in ("企业地址", "注册资本（万元）", "从业人员数", "主营产品", "会费缴纳情况"):
        assert title in head
    row = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[1] == "清河县恒顺五金有限公司")
    assert row[head.index("主营产品")] == "紧固件" and row[head.index("企业地址")] == "清河县城关镇建设路18号"
    # the export imports back: the custom titles land in the custom fields again, nothing new
    again = imp.import_file(db, out, "members", on_duplicate="update")
    assert again.updated == 2 and again.imported == 0
    assert {c.title for c in again.columns if c.fate == imp.KEPT} >= {"主营产品", "会费缴纳情况"}


def test_clerk_may_ignore_a_column_and_the_result_says_so(db, tmp_path: Path) -> None:
    p = _sheet(tmp_path / "会员.xlsx", ["企业名称", "统一社会信用代码", "内部编码"], ["甲公司", messy.credit_code(3), "X-01"])
    res = imp.import_file(db, p, "members", mapping={"内部编码": "不导入"})
    fate = {c.title: c for c in res.columns}
    assert fate["内部编码"].fate == imp.IGNORED and "映射文件" in fate["内部编码"].reason
    with db.session() as s:
        assert s.exec(select(Member.custom)).one() is None


def test_owner_names_match_loosely_and_the_federation_by_its_words(demo_db, tmp_path: Path) -> None:
    with demo_db.session() as s:
        idx = OwnerIndex.load(s)
        fed = idx.prefixes
        cg = s.exec(select(Chamber.id).where(Chamber.name == "城关镇商会")).one()
    county = fed[0] if fed else ""
    for written in ("城关镇商会", "城关镇", "城关商会", "城关镇分会", f"{county}城关镇商会", " 城关镇 商会 "):
        assert idx.match(written)[:2] == ("chamber", cg), written
    for written in ("本级", "县工商联", "总商会", f"{county}工商联", f"{county}工商业联合会", f"{county}总商会"):
        assert idx.match(written)[0] == "federation", written
    assert idx.match("火星商会")[0] == "unknown"


def test_meetings_and_activities_follow_one_owner_rule(demo_db, tmp_path: Path) -> None:
    rows = [["所属商会", "名称", "日期", "类别"],
            ["城关商会", "第三届理事会第二次会议", "2015-04-01", "理论学习"],
            ["火星商会", "会长办公会议", "2015-04-02", "慈善捐助"],
            ["本级", "2024年度会员大会", "2015-04-03", "技能培训"],
            [None, "监事会", "2015-04-04", "政企座谈"]]
    meetings = _sheet(tmp_path / "会议.xlsx", ["所属商会", "会议名称", "会议日期"], *[r[:3] for r in rows[1:]])
    activities = _sheet(tmp_path / "活动.xlsx", ["所属商会", "活动名称", "活动日期", "活动类别"], *rows[1:])
    for path, kind in ((meetings, "meetings"), (activities, "activities")):
        res = imp.import_file(demo_db, path, kind)
        assert (res.imported, res.rejected) == (2, 2) and res.balanced(), (kind, res.problems)
        why = {p.row: p.message for p in res.problems if not p.note}
        assert "火星商会" in why[3] and "--create-chambers" in why[3]
        assert "所属单位为空" in why[5] and "--owner" in why[5]
    with demo_db.session() as s:
        names = {c.id: c.name for c in s.exec(select(Chamber))}
        mt = {str(m.date): (names.get(m.chamber_id), m.body, m.custom) for m in s.exec(
            select(Meeting).where(Meeting.date >= date(2015, 4, 1), Meeting.date <= date(2015, 4, 4)))}
        act = {str(a.date): (names.get(a.chamber_id), a.category) for a in s.exec(
            select(Activity).where(Activity.date >= date(2015, 4, 1), Activity.date <= date(2015, 4, 4)))}
    assert mt["2015-04-01"][:2] == ("城关镇商会", "council") and "第三届理事会第二次会议" in mt["2015-04-01"][2]
    assert mt["2015-04-03"][:2] == (None, "general_assembly")  # 本级: the federation, as the sheet says
    assert act == {"2015-04-01": ("城关镇商会", "theory_study"), "2015-04-03": (None, "training")}
    # with --owner the blank cell is the named chamber's; with --create-chambers the unknown one is created
    res = imp.import_file(demo_db, activities, "activities", owner="城关镇商会", create_chambers=True)
    assert (res.imported, res.duplicates, res.rejected) == (2, 2, 0)
    assert res.new_chambers and res.new_chambers[0].startswith("火星商会")
    with demo_db.session() as s:
        mars = s.exec(select(Chamber.id).where(Chamber.name == "火星商会")).one()
        cats = dict(s.exec(select(Activity.chamber_id, Activity.category).where(Activity.date == date(2015, 4, 2))).all())
        blank = s.exec(select(Activity.chamber_id).where(Activity.date == date(2015, 4, 4))).one()
    assert cats == {mars: "charity"} and blank == names_id(demo_db, "城关镇商会")


def names_id(db, name: str) -> int:
    with db.session() as s:
        return s.exec(select(Chamber.id).where(Chamber.name == name)).one()


def test_visits_follow_the_same_rule(demo_db, tmp_path: Path) -> None:
    with demo_db.session() as s:
        m = s.exec(select(Member).where(Member.leave_date.is_(None))).first()
    p = _sheet(tmp_path / "走访.xlsx", ["走访企业", "走访日期", "走访形式", "联系单位"],
               [m.enterprise_name, "2015-05-06", "上门走访", "城关镇"],
               [m.enterprise_name, "2015-05-07", "电话沟通", "不存在的商会"],
               [m.enterprise_name, "2015-05-08", "喝茶", "县工商联"])
    res = imp.import_file(demo_db, p, "contacts")
    assert (res.imported, res.rejected) == (2, 1), res.problems
    with demo_db.session() as s:
        got = {str(c.date): (c.chamber_id, c.way) for c in s.exec(select(Contact).where(Contact.member_id == m.id,
                                                                                      Contact.date >= date(2015, 5, 6),
                                                                                      Contact.date <= date(2015, 5, 8)))}
    assert got == {"2015-05-06": (names_id(demo_db, "城关镇商会"), "visit"), "2015-05-08": (None, "other")}


def test_values_as_offices_write_them(db, tmp_path: Path) -> None:
    p = _sheet(tmp_path / "商会.xlsx",
               ["商会名称", "商会类型", "办公场所面积（平方米）", "年度经费（万元）", "专职人员", "民政登记", "统一社会信用代码",
                "年检", "党组织情况", "秘书长专职"],
               ["城关镇商会", "乡镇", 80, 5, "2人", "√", CHAMBER_CODE, "已年检", "联合党支部", "是"],
               ["建筑业商会", "行业协会", "60㎡", "3.5万元", "1", "×", None, "未", "无", "否"],
               ["河南商会", "异地", None, "20000元", None, "否", None, None, "党建指导员", "兼职"])
    res = imp.import_file(db, p, "chambers")
    assert res.imported == 3 and res.rejected == 0, res.problems
    with db.session() as s:
        ch = {c.name: c for c in s.exec(select(Chamber))}
    a, b, c = ch["城关镇商会"], ch["建筑业商会"], ch["河南商会"]
    assert (a.has_office, a.office_area, a.annual_funds, a.fulltime_staff) == (True, 80.0, 50000.0, 2)
    assert (b.has_office, b.office_area, b.annual_funds, b.registered) == (True, 60.0, 35000.0, False)
    assert (c.has_office, c.annual_funds, c.party_org) == (False, 20000.0, "liaison")
    assert (a.party_org, b.party_org, a.inspection_passed, b.inspection_passed) == ("joint", "none", True, False)
    # an explicit 无 beside an area is what the sheet says
    q = _sheet(tmp_path / "商会2.xlsx", ["商会名称", "商会类型", "有无办公场所", "办公面积"], ["街道商会甲", "街道", "无", 30])
    imp.import_file(db, q, "chambers")
    with db.session() as s:
        assert s.exec(select(Chamber.has_office).where(Chamber.name == "街道商会甲")).one() is False


def test_a_date_written_with_its_place_imports_the_day_and_keeps_the_cell(db, tmp_path: Path) -> None:
    p = _sheet(tmp_path / "活动.xlsx", ["活动名称", "活动类别", "时间地点"],
               ["助学捐款", "光彩公益", "2025年3月8日 县会堂"],
               ["迎新春联欢", "文艺汇演", "2025.1.20（商会会议室）"],
               ["企业家培训", "技能培训", "2025年4月2日上午9:30"],
               ["座谈会", "政企座谈", "3月8日"])
    res = imp.import_file(db, p, "activities", owner="本级")
    assert (res.imported, res.rejected) == (3, 1) and res.balanced(), res.problems
    assert next(c for c in res.columns if c.title == "时间地点").field == "date"
    with db.session() as s:
        got = {a.title: (a.date, json.loads(a.custom or "{}").get("时间地点（原文）")) for a in s.exec(select(Activity))}
    assert got["助学捐款"] == (date(2025, 3, 8), "2025年3月8日 县会堂")
    assert got["迎新春联欢"] == (date(2025, 1, 20), "2025.1.20（商会会议室）")
    assert got["企业家培训"] == (date(2025, 4, 2), None)  # a time of day is no place: nothing to keep
    said = {x.row: x.message for x in res.problems}
    assert "县会堂" in said[2] and "时间地点（原文）" in said[2]
    assert "没有年份" in said[5]  # the clerk is told to add the year


def test_day_first_dates_read_by_their_column(db, tmp_path: Path) -> None:
    """8/3/2025 alone could be two days; a column whose title or other cells say day-first reads it as 8 March,
    and a column that says nothing still refuses it with what to write."""
    p = _sheet(tmp_path / "活动.xlsx", ["活动名称", "活动类别", "活动日期", "登记日期"],
               ["助学捐款", "光彩公益", "8/3/2025", "8/3/2025"],
               ["迎新春联欢", "文艺汇演", "25/1/2025", "2025-01-26"])
    res = imp.import_file(db, p, "activities", owner="本级")
    assert (res.imported, res.rejected) == (2, 0) and res.balanced(), res.problems
    with db.session() as s:
        assert {a.title: a.date for a in s.exec(select(Activity))} == {"助学捐款": date(2025, 3, 8),
                                                                       "迎新春联欢": date(2025, 1, 25)}
    q = _sheet(tmp_path / "会议.xlsx", ["会议名称", "开会日期（日/月/年）"], ["理事会", "8/3/2025"])
    res = imp.import_file(db, q, "meetings", owner="本级")
    assert (res.imported, res.rejected) == (1, 0), res.problems
    b = _sheet(tmp_path / "会员.xlsx", ["企业名称", "代表人姓名", "出生日期（日/月/年）"], ["清河县宏达机械有限公司", "张建国", "8/3/1975"])
    res = imp.import_file(db, b, "members")
    with db.session() as s:
        assert (res.imported, s.exec(select(Member.rep_birth_date)).one()) == (1, date(1975, 3, 8)), res.problems
    r = _sheet(tmp_path / "会议2.xlsx", ["会议名称", "开会日期"], ["会长办公会", "8/4/2025"], ["监事会", "9/4/2025"])
    res = imp.import_file(db, r, "meetings", owner="本级")
    assert res.rejected == 2 and all("分不清" in x.message for x in res.problems), res.problems


def test_codes_read_by_a_note_in_other_words_or_by_the_national_standard(db, tmp_path: Path) -> None:
    """A note explaining "活动类型代码" explains the column "活动种类代码" (both name the activity's category);
    "性别代码" with no note reads by GB/T 2261.1 (1 男, 2 女)."""
    p = _sheet(tmp_path / "活动.xlsx", ["活动名称", "活动种类代码", "活动日期"],
               ["学习会", 1, "2025-03-08"], ["招商推介会", 2, "2025-04-02"],
               ["活动类型代码：1=学习教育 2=招商引资"])
    res = imp.import_file(db, p, "activities", owner="本级")
    assert (res.imported, res.rejected) == (2, 0), res.problems
    assert next(c for c in res.columns if c.title == "活动种类代码").field == "category"
    with db.session() as s:
        assert {a.title: a.category for a in s.exec(select(Activity))} == {"学习会": "theory_study", "招商推介会": "investment"}
    q = _sheet(tmp_path / "会员.xlsx", ["企业名称", "代表人姓名", "性别代码", "政治面貌（代码）"],
               ["清河县宏达机械有限公司", "张建国", "1", "01"], ["清河县富康建材厂", "李红", "2", 13])
    res = imp.import_file(db, q, "members")
    assert (res.imported, res.rejected) == (2, 0), res.problems
    with db.session() as s:
        got = {m.rep_name: (m.rep_gender, m.rep_political_status) for m in s.exec(select(Member))}
    assert got == {"张建国": ("M", "cpc"), "李红": ("F", "masses")}  # GB/T 4762: 01 中共党员, 13 群众


def test_a_long_form_s_codes_are_read_by_the_note_under_it(db, tmp_path: Path) -> None:
    """A sheet longer than the first rows the header is looked for in: the note explaining its codes, under
    the table, still decodes every row (the import streams the sheet, and looks at its last lines for it)."""
    data = [[i + 1, f"清河县第{i + 1}商会", 1 + i % 3, "2020.5"] for i in range(60)]
    p = _sheet(tmp_path / "商会统计.xlsx", ["行次", "商会名称", "组织类别代码", "成立年月"], *data,
               ["填表人：张三"], ["说明：组织类别代码：1=乡镇商会 2=街道商会 3=行业商会"])
    res = imp.import_file(db, p, "chambers")
    assert (res.imported, res.rejected) == (60, 0) and res.balanced(), res.problems[:3]
    assert next(c for c in res.columns if c.title == "组织类别代码").field == "kind"
    with db.session() as s:
        kinds = Counter(c.kind for c in s.exec(select(Chamber)) if c.name.startswith("清河县第"))
    assert kinds == {"township": 20, "subdistrict": 20, "industry": 20}


def test_rows_grouped_under_their_chamber_s_name_belong_to_it(db, tmp_path: Path) -> None:
    """A county sheet pasting each township's return under the township chamber's name: no owner column, the
    group rows say whose the rows under them are; never the federation's by default, never a refused sheet."""
    p = _sheet(tmp_path / "会议.xlsx", ["乡镇商会会议汇总"], ["序号", "会议名称", "会议日期"],
               ["秀谷镇商会"], [1, "理事会", "2025-03-08"], [2, "会长办公会", "2025-04-02"],
               ["二、琅琚镇商会"], [1, "会员大会", "2025-05-01"])
    res = imp.import_file(db, p, "meetings")  # unknown chambers: refused, saying what to do
    assert (res.imported, res.rejected, res.skipped) == (0, 3, 2) and res.balanced(), res.problems
    assert all("--create-chambers" in x.message for x in res.problems if not x.note and x.row not in (3, 6))
    res = imp.import_file(db, p, "meetings", create_chambers=True)
    assert (res.imported, res.skipped) == (3, 2) and res.balanced(), res.problems
    assert "分组行" in next(x.message for x in res.problems if x.row == 3)
    with db.session() as s:
        names = {c.id: c.name for c in s.exec(select(Chamber))}
        got = sorted((m.body, names.get(m.chamber_id)) for m in s.exec(select(Meeting)))
    assert got == [("council", "秀谷镇商会"), ("general_assembly", "琅琚镇商会"), ("president_office", "秀谷镇商会")]


def test_what_only_looks_like_a_group_label_or_a_note_stays_a_record(db, tmp_path: Path) -> None:
    """A member typed with its name alone is a member, not a group heading; a kind of chamber alone ("二、行业商会")
    or a labelled line names no group; a meeting whose agenda starts "1、" is no legend line; a units line with one
    unit still gives its column the unit."""
    p = _sheet(tmp_path / "会员.xlsx", ["企业名称", "联系电话", "入会日期"],
               ["清河县宏达机械有限公司", "13800138000", "2021-03-01"], ["县餐饮协会"],
               ["二、行业商会"], ["清河县富康建材厂", "13912345678", "2022-05-06"])
    res = imp.import_file(db, p, "members", owner="本级")
    assert res.imported == 4 and res.balanced(), res.problems  # lone cells in the name column are names
    assert not any("分组行" in x.message for x in res.problems)
    with db.session() as s:
        assert {m.enterprise_name for m in s.exec(select(Member))} >= {"县餐饮协会", "清河县富康建材厂"}
        assert not s.exec(select(Chamber).where(Chamber.name == "县餐饮协会")).first()
    q = _sheet(tmp_path / "会议.xlsx", ["会议名称", "会议日期", "议题"],
               ["理事会", "2025-03-08", "会议议程：1、学习传达文件精神"], ["会长办公会", "2025-04-02", "换届筹备"],
               ["组织类别代码 1=乡镇商会 2=街道商会"])
    res = imp.import_file(db, q, "meetings", owner="本级")
    assert (res.imported, res.skipped) == (2, 1), res.problems
    r = _sheet(tmp_path / "商会.xlsx", ["商会名称", "商会类型", "年度经费"], [None, None, "（万元）"],
               ["清河县城关镇商会", "乡镇", 5])
    res = imp.import_file(db, r, "chambers")
    assert res.imported == 1, res.problems
    with db.session() as s:
        assert s.exec(select(Chamber.annual_funds).where(Chamber.name == "清河县城关镇商会")).one() == 50000


def test_activity_money_and_counts_in_the_units_of_the_title(db, tmp_path: Path) -> None:
    p = _sheet(tmp_path / "活动.xlsx", ["活动名称", "活动形式", "活动日期", "参加人数", "捐款金额（元）"],
               ["助学捐款", "光彩公益", "2024-06-01", "25人", 150000],
               ["端午慰问", "走访慰问困难会员", "2024-06-10", "8", None],
               ["迎新春联欢", "文艺汇演", "2024-02-01", None, None])
    res = imp.import_file(db, p, "activities", owner="本级")
    assert res.imported == 3 and res.rejected == 0, res.problems
    notes = [x for x in res.problems if x.note]
    assert len(notes) == 1 and "文艺汇演" in notes[0].message and "其他" in notes[0].message
    with db.session() as s:
        got = {a.title: (a.category, a.participant_count, a.amount, a.custom) for a in s.exec(select(Activity))}
    assert got["助学捐款"][:3] == ("charity", 25, 15.0)  # 150,000 元 stored as 15 万元
    assert got["端午慰问"][0] == "charity"
    assert got["迎新春联欢"][0] == "other" and json.loads(got["迎新春联欢"][3]) == {"活动形式（原文）": "文艺汇演"}


def test_csv_in_every_encoding_reads_like_a_sheet(db, tmp_path: Path) -> None:
    text = "企业名称,统一社会信用代码,联系电话,企业地址\n清河县甲商贸有限公司,{},13800001111,清河县人民路1号\n"
    for i, enc in enumerate(("utf-8", "utf-8-sig", "gb18030")):
        p = tmp_path / f"会员{i}.csv"
        p.write_bytes(text.format(messy.credit_code(10 + i)).replace("甲", "甲乙丙"[i]).encode(enc))
        res = imp.import_file(db, p, "members")
        assert res.imported == 1, (enc, res.problems)
    with db.session() as s:
        got = sorted(s.exec(select(Member.enterprise_name, Member.rep_phone, Member.address)))
    assert got[0] == ("清河县丙商贸有限公司", "13800001111", "清河县人民路1号") and len(got) == 3
    bad = tmp_path / "乱码.csv"
    bad.write_bytes(b"\xff\xfe\x00\xd8\x00\xdc" * 10)
    with pytest.raises(SpreadsheetError, match="编码|另存为"):
        imp.import_file(db, bad, "members")


def test_wps_et_is_read_by_its_bytes_or_refused_with_what_to_do(db, tmp_path: Path) -> None:
    src = _sheet(tmp_path / "a.xlsx", ["企业名称", "统一社会信用代码"], ["甲公司", messy.credit_code(21)])
    et = tmp_path / "台账.et"
    et.write_bytes(src.read_bytes())
    assert imp.import_file(db, et, "members").imported == 1
    junk = tmp_path / "旧版.et"
    junk.write_bytes(b"WPS-ET\x00\x01" + b"\x00" * 200)
    with pytest.raises(SpreadsheetError, match=r"另存为.*\.xlsx"):
        imp.import_file(db, junk, "members")


def test_a_county_workbook_in_one_transaction_in_dependency_order(db, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "活动"
    ws.append(["所属商会", "活动名称", "活动日期", "活动类别"])
    ws.append(["城关镇商会", "政策宣讲会", "2024-03-05", "宣传"])
    ws = wb.create_sheet("会员名册")
    ws.append(["序号", "企业名称", "统一社会信用代码", "所属商会", "企业地址"])
    ws.append([1, "清河县甲有限公司", messy.credit_code(31), "城关镇商会（副会长）", "城关镇和平路2号"])
    ws = wb.create_sheet("商会情况")
    ws.append(["商会名称", "商会类型", "成立时间"])
    ws.append(["城关镇商会", "乡镇商会", "2010-03-01"])
    ws = wb.create_sheet("说明")
    ws.append(["本工作簿由各商会秘书处填报"])
    chambers = tmp_path / "全县台账.xlsx"
    wb.save(chambers)
    dry = imp.import_workbook(db, chambers, dry_run=True)
    assert [r.kind for r in dry.sheets] == ["chambers", "members", "activities"] and dry.balanced()
    assert [r.imported for r in dry.sheets] == [1, 1, 1]  # later sheets see the chamber of the first
    assert [p.name for p in dry.left_out] == ["说明"] and dry.left_out[0].reason
    with db.session() as s:
        assert s.exec(select(Chamber)).first() is None  # the dry run wrote nothing
    res = imp.import_workbook(db, chambers)
    assert res.as_dict()["imported"] == 3 and [s["sheet"] for s in res.as_dict()["sheets"]] == ["商会情况", "会员名册", "活动"]
    with db.session() as s:
        cid = s.exec(select(Chamber.id)).one()
        seat = s.exec(select(Membership.chamber_id, Membership.position)).one()
        act = s.exec(select(Activity.chamber_id)).one()
    assert seat == (cid, "vice_president") and act == cid


def test_a_workbook_that_fails_writes_nothing(db, tmp_path: Path) -> None:
    path = tmp_path / "全县.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "商会"
    wb.active.append(["商会名称", "商会类型"])
    wb.active.append(["城关镇商会", "乡镇"])
    ws = wb.create_sheet("会议")
    ws.append(["会议名称", "会议日期", "地点"])  # no owner column and no --owner: refused
    ws.append(["理事会", "2024-01-05", "会议室"])
    wb.save(path)
    with pytest.raises(ChamberDeskError, match="会议.*--owner"):
        imp.import_workbook(db, path)
    with db.session() as s:
        assert s.exec(select(Chamber)).first() is None  # the chamber sheet went back too
    res = imp.import_workbook(db, path, owner="城关镇商会")
    assert [r.imported for r in res.sheets] == [1, 1]


@pytest.mark.parametrize("part", ["dev", "holdout"])
def test_corpus_workbook_every_sheet_accounted(db, tmp_path: Path, part: str) -> None:
    # the first sheet of each kind by name, from each part of the corpus: a fixed choice, whatever authors add
    by_kind = {c.kind: c for c in sorted(load_cases(part), key=lambda c: c.name, reverse=True)}
    path = write_workbook(list(by_kind.values()), tmp_path / "全县.xlsx")
    res = imp.import_workbook(db, path, owner="本级", create_chambers=True)
    assert sorted(r.kind for r in res.sheets) == sorted(by_kind) and res.balanced()
    for r in res.sheets:
        assert r.rows >= by_kind[r.kind].data_rows
        assert all(c.fate != imp.IGNORED for c in r.columns if by_kind[r.kind].expected[c.index] != "_ignore")


def test_no_row_goes_to_a_chamber_deleted_meanwhile(db, tmp_path: Path) -> None:
    with db.transaction() as s:
        create_chamber(s, {"name": "城关镇商会", "kind": "township"})
    p = _sheet(tmp_path / "会议.xlsx", ["所属商会", "会议名称", "会议日期"], ["城关镇商会", "理事会", "2024-01-05"])
    pv = imp.preview_import(db, p, "meetings")
    from chamberdesk.core.chambers import delete_chamber

    with db.transaction() as s:
        delete_chamber(s, s.exec(select(Chamber.id)).one())
    res = imp.commit_import(db, pv)
    assert (res.imported, res.rejected) == (0, 1) and "已被删除" in res.problems[0].message
    with db.session() as s:
        assert s.exec(select(Meeting)).first() is None


def test_imported_members_carry_the_search_text_the_triggers_would_write(db, tmp_path: Path) -> None:
    p = _sheet(tmp_path / "会员.xlsx", ["企业名称", "法人代表", "企业地址", "经营范围"],
               ["清河县abc贸易有限公司", "Zhang San", "ｆｕｌｌ-width 路1号", "Ça va ß"],
               ["清河县乙有限公司", None, None, None])
    assert imp.import_file(db, p, "members").imported == 2
    with db.session() as s:
        filled = dict(s.exec(text("SELECT id, search_text FROM member")).all())
    with db.transaction() as s:  # the update trigger recomputes it from the row
        s.exec(text("UPDATE member SET enterprise_name = enterprise_name"))
    with db.session() as s:
        again = dict(s.exec(text("SELECT id, search_text FROM member")).all())
    assert filled == again and all(filled.values())
    with db.session() as s:
        assert members.member_ids(s, members.MemberFilter(search="zhang"))
        assert members.member_ids(s, members.MemberFilter(search="ça va"))


def test_a_coded_column_keeps_each_row_s_own_wording_however_often_a_word_repeats(db, tmp_path: Path) -> None:
    # plain words (a code's label) are looked up per column once seen; other words still keep their text
    path = _sheet(tmp_path / "coded.xlsx", ["企业名称", "政治面貌"], ["清河县甲公司", "群众"], ["清河县乙公司", "党员"],
                  ["清河县丙公司", "群众"], ["清河县丁公司", "党员"], ["清河县戊公司", "群众"])
    res = imp.import_file(db, path, "members")
    assert res.imported == 5 and res.balanced()
    with db.session() as s:
        got = {m.enterprise_name: (m.rep_political_status, json.loads(m.custom) if m.custom else {})
               for m in s.exec(select(Member))}
    plain, worded = got["清河县甲公司"][0], got["清河县乙公司"][0]
    assert plain != worded
    assert got["清河县甲公司"] == got["清河县丙公司"] == got["清河县戊公司"] == (plain, {})
    assert got["清河县乙公司"] == got["清河县丁公司"] == (worded, {"政治面貌（原文）": "党员"})


def test_a_statistics_form_answered_in_codes_imports_the_words_its_legend_gives(db, tmp_path: Path) -> None:
    """An upward form: column numbers under the titles, codes explained in a title, in the line of units
    and in a note under the table; the codes become the words they stand for."""
    p = _sheet(tmp_path / "商会年报.xlsx",
               ["基层商会组织建设情况统计表"],
               ["行次", "商会组织名称（全称）", "商会类别（1乡镇 2街道 3行业 4异地）", "是否在民政部门登记（是=1 否=0）",
                "党组织设置方式代码", "会长姓名", "统一社会信用代码"],
               ["甲", "乙", 1, 2, 3, 4, 5],
               [1, "清河县城关镇商会", 1, 1, 1, "张建国", "51130534MJ0000012P"],
               [2, "清河县建筑业商会", 3, 0, 4, "李红", None],
               ["说明：党组织设置方式代码：1=单独组建 2=联合组建 3=党建指导员 4=尚未建立。"])
    res = imp.import_file(db, p, "chambers")
    assert (res.imported, res.rejected) == (2, 0) and res.balanced(), res.problems
    fate = {c.title: c for c in res.columns}
    assert fate["商会类别（1乡镇 2街道 3行业 4异地）"].field == "kind"
    assert "代码按表中的说明换成文字" in fate["党组织设置方式代码"].reason
    with db.session() as s:
        got = {c.name: (c.kind, c.registered, c.party_org) for c in s.exec(select(Chamber))
               if c.name in ("清河县城关镇商会", "清河县建筑业商会")}
    assert got == {"清河县城关镇商会": ("township", True, "own"), "清河县建筑业商会": ("industry", False, "none")}
