"""The year-end steps (000 附件1 三（一）): statistics received and inspection per chamber, the 统计表 veto computed
from the received date (hand-worked dates, the due day, an override with its reason), the 自查表 print date,
the checklist of the demo's past year, its workbook and `chamberdesk yearend`."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from chamberdesk import rules
from chamberdesk.cli import main
from chamberdesk.core import yearend
from chamberdesk.core.errors import ChamberDeskError, InvalidInput
from chamberdesk.core.models import ChamberYearEnd, EvidenceLink
from chamberdesk.io.pdf.jobs import PrintRequest, run
from chamberdesk.io.year_end_sheet import COLUMNS, export_checklist
from chamberdesk.rules.year_end import build_checklist, checklist_rubric
from tests.rules.conftest import add_members, chamber, fed

YEAR = 2025


@pytest.fixture
def two(db):
    with db.transaction() as s:
        fed(s)
        a = chamber(s, "甲商会")
        b = chamber(s, "乙商会")
        add_members(s, a.id, 5, date(2024, 3, 1))
        add_members(s, b.id, 5, date(2024, 3, 1))
    return db, a.id, b.id


def veto(db, as_of, **inputs):
    with db.session() as s:
        res = rules.evaluate(s, rules.load_rubric("tongzhou-kaoping"), YEAR, ["甲商会"],
                             {"甲商会": inputs} if inputs else None, as_of=as_of)[0]
    return res.item("statistics_filed"), res


def test_services_keep_one_row_per_chamber_and_year(two, tmp_path):
    db, a, _b = two
    form = tmp_path / "甲商会统计表.xlsx"
    form.write_bytes(b"PK fake workbook")
    with db.transaction() as s:
        yearend.set_statistics_received(db, s, a, YEAR, date(2026, 1, 10), form, today=date(2026, 3, 1))
        yearend.set_inspection(s, a, YEAR, date(2025, 12, 20), " 王主席 ", "查看了会议记录", today=date(2026, 3, 1))
    with db.session() as s:
        rows = list(s.exec(select(ChamberYearEnd)))
        assert len(rows) == 1
        row = rows[0]
        assert (row.statistics_received_on, row.inspected_on, row.inspected_by) == (date(2026, 1, 10), date(2025, 12, 20), "王主席")
        assert [e.filename for e in yearend.statistics_files(s, row)] == ["甲商会统计表.xlsx"]
        link = s.exec(select(EvidenceLink)).one()
        assert (link.record_type, link.record_id) == ("chamber_year_end", row.id)
    # a date ahead of today, before the year, an inspection without who did it: refused, nothing written
    with db.transaction() as s:
        with pytest.raises(InvalidInput, match="尚未到来"):
            yearend.set_statistics_received(db, s, a, YEAR, date(2026, 5, 1), today=date(2026, 3, 1))
        with pytest.raises(InvalidInput, match="早于2025年"):
            yearend.set_inspection(s, a, YEAR, date(2024, 12, 31), "王主席", today=date(2026, 3, 1))
        with pytest.raises(InvalidInput, match="考评人"):
            yearend.set_inspection(s, a, YEAR, date(2025, 12, 1), "  ", today=date(2026, 3, 1))
    with db.session() as s, pytest.raises(ChamberDeskError, match="2030年尚未到来"):
        yearend.get_or_create(s, a, 2030, today=date(2026, 3, 1))


def test_statistics_veto_from_the_received_date(two):
    db, _a, _b = two
    a = two[1]
    # nothing recorded: before the due day (31 Jan 2026) it waits, after it the form is missing and vetoes
    it, res = veto(db, date(2026, 1, 20))
    assert it.status == "needs_input" and "尚未到期" in it.explanation
    it, res = veto(db, date(2026, 2, 1))
    assert it.status == "fail" and "未收到统计表（报送期限2026年1月31日）" in it.explanation
    assert "未按要求填写上报年度基层商会工作情况统计表" in res.veto_reasons
    # received on the due day itself: on time; the day after: late, vetoed
    with db.transaction() as s:
        yearend.set_statistics_received(db, s, a, YEAR, date(2026, 1, 31), today=date(2026, 6, 1))
    it, res = veto(db, date(2026, 6, 1))
    assert it.status == "pass" and "2026年1月31日收到" in it.explanation and not res.vetoed
    assert it.records == [{"table": "chamber_year_end", "id": it.records[0]["id"], "label": "统计表2026年1月31日收到",
                           "date": "2026-01-31"}]
    with db.transaction() as s:
        yearend.set_statistics_received(db, s, a, YEAR, date(2026, 2, 1), today=date(2026, 6, 1))
    it, res = veto(db, date(2026, 6, 1))
    assert it.status == "fail" and "2026年2月1日收到，晚于报送期限2026年1月31日" in it.explanation
    assert res.vetoed
    # overruled with a reason (the form came by hand before the due day and was logged late): passes,
    # the ledger's date still named; an override without a reason is refused
    it, res = veto(db, date(2026, 6, 1), statistics_filed={"value": True, "override": True,
                                                           "note": "1月30日已当面报送"})
    assert it.status == "pass" and not res.vetoed and it.from_input
    assert "台账：2026年2月1日收到" in it.explanation and "经认定改为“是”（理由：1月30日已当面报送）" in it.explanation
    with pytest.raises(ChamberDeskError, match="理由"):
        veto(db, date(2026, 6, 1), statistics_filed={"value": True, "override": True})
    # a plain value no longer decides a computed item
    it, _ = veto(db, date(2026, 6, 1), statistics_filed=True)
    assert it.status == "fail"


def test_check_json_names_the_received_date(two, capsys):
    db, a, _b = two
    with db.transaction() as s:
        yearend.set_statistics_received(db, s, a, YEAR, date(2026, 1, 10))
    path = str(db.path)
    assert main(["check", "--db", path, "--rubric", "tongzhou-kaoping", "--year", str(YEAR), "--target", "甲商会",
                 "--as-of", "2026-03-01", "--json"]) == 0
    item = next(i for i in json.loads(capsys.readouterr().out)["results"][0]["items"] if i["id"] == "statistics_filed")
    assert item["status"] == "pass" and item["explanation"].endswith("2026年1月10日收到（报送期限2026年1月31日），达标")
    assert [r["date"] for r in item["records"]] == ["2026-01-10"]


def test_printing_the_selfcheck_dates_the_step_once(two, tmp_path):
    db, a, b = two
    req = PrintRequest(form="selfcheck", rubric_id="tongzhou-kaoping", year=YEAR, targets=[a], today=date(2025, 12, 3))
    run(db, req, tmp_path / "自查表.pdf")
    later = PrintRequest(form="assessment", rubric_id="tongzhou-kaoping", year=YEAR, today=date(2025, 12, 9))
    run(db, later, tmp_path / "考评表.pdf")  # every chamber: 甲 keeps its first date, 乙 gets this one
    preview = PrintRequest(form="selfcheck", rubric_id="tongzhou-kaoping", year=2024, targets=[a],
                           extra={"preview": True})
    run(db, preview, tmp_path / "预览.pdf")  # a preview only counts when printed or saved from it
    other = PrintRequest(form="assessment", rubric_id="wuyou-wuhao", year=2024, targets=[a])
    run(db, other, tmp_path / "五有五好.pdf")  # not the year-end rubric: not the year-end self-check
    with db.session() as s:
        assert yearend.find(s, a, YEAR).selfcheck_printed_on == date(2025, 12, 3)
        assert yearend.find(s, b, YEAR).selfcheck_printed_on == date(2025, 12, 9)
        assert yearend.find(s, a, 2024) is None


def test_checklist_of_the_demo_year(demo_db):
    year = date.today().year - 1
    with demo_db.session() as s:
        cl = build_checklist(s, year)
    rows = {r.chamber: r for r in cl.rows}
    assert len(rows) == 12 and cl.rubric.id == "tongzhou-kaoping"
    assert rows["桃源乡商会"].statistics_on is None
    assert f"统计表逾期未收到（报送期限{year + 1}年1月31日）" in rows["桃源乡商会"].missing
    late = rows["餐饮业商会"]
    assert late.statistics_on == date(year + 1, 2, 20) and late.statistics_late and late.vetoed
    assert late.step_text("statistics") == f"{year + 1}年2月20日收到（逾期）"
    assert rows["万达广场楼宇商会"].inspected_on is None and "未实地考评" in rows["万达广场楼宇商会"].missing
    assert rows["青年企业家创业商圈商会"].selfcheck_on is None
    assert rows["电子商务协会"].democratic is None and "民主评议未录入" in rows["电子商务协会"].missing
    done = rows["城关镇商会"]
    assert done.state == "已定稿" and done.democratic is not None and done.missing == [] and done.missing_text == "已完成"
    assert done.tally.startswith("民主评议有效票15张") and done.inspected_by in ("王建国", "李文华")
    assert cl.done("final") == 3 and cl.done("statistics") == 11 and cl.done("democratic") == 11
    assert cl.summary() == ("共12个商会：自查表已打印11个，统计表已收到11个，实地考评已完成11个，民主评议已录入11个，"
                            "已定稿3个")


def test_checklist_workbook(demo_db, tmp_path):
    year = date.today().year - 1
    out = tmp_path / "进度.xlsx"
    cl = export_checklist(demo_db, out, year, today=date(year + 1, 3, 1))
    wb = load_workbook(out)
    ws = wb["年终考评进度"]
    assert ws["A1"].value == f"{year}年度基层商会年终考评进度（通州区商会工作目标管理考评）"
    assert f"统计截至{year + 1}年3月1日" in ws["A2"].value and "清河县工商业联合会（总商会）" in ws["A2"].value
    assert [c.value for c in ws[3]] == COLUMNS
    body = {r[1]: r for r in ws.iter_rows(min_row=4, max_row=3 + len(cl.rows), values_only=True)}
    assert len(body) == 12
    assert body["桃源乡商会"][3] == "未收到" and "统计表逾期未收到" in body["桃源乡商会"][9]
    assert body["餐饮业商会"][3].endswith("收到（逾期）") and "一票否决" in body["餐饮业商会"][8]
    done = next(r for r in cl.rows if r.chamber == "城关镇商会")
    assert done.democratic is not None
    assert body["城关镇商会"][9] == "已完成" and body["城关镇商会"][6] == done.democratic
    assert body["城关镇商会"][7] == pytest.approx(round(done.score, 2))
    assert body["万达广场楼宇商会"][4] == "未考评" and body["万达广场楼宇商会"][5] in (None, "")
    texts = [c for row in ws.iter_rows(min_row=4 + len(cl.rows), values_only=True) for c in row if c]
    assert any("填表人" in t for t in texts) and any("日期" in t for t in texts)
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$3:$3"  # the header repeats on every printed page


def test_yearend_command(two, tmp_path, capsys):
    db, _a, _b = two
    path = str(db.path)
    form = tmp_path / "统计表.pdf"
    form.write_bytes(b"%PDF-1.4 form")
    assert main(["yearend", "--db", path, "--year", str(YEAR), "--received", "甲商会", "--on", "2026-01-10",
                 "--evidence", str(form)]) == 0
    assert "甲商会2025年度统计表2026年1月10日收到，已保存统计表文件" in capsys.readouterr().out
    assert main(["yearend", "--db", path, "--year", str(YEAR), "--inspected", "乙商会", "--on", "2025-12-18",
                 "--by", "王主席", "--notes", "查看台账"]) == 0
    assert "考评人王主席" in capsys.readouterr().out
    out = tmp_path / "进度.xlsx"
    assert main(["yearend", "--db", path, "--year", str(YEAR), "--checklist", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "统计表已收到1个" in said and "实地考评已完成1个" in said
    rows = {r[1]: r for r in load_workbook(out).active.iter_rows(min_row=4, max_row=5, values_only=True)}
    assert rows["甲商会"][3] == "2026年1月10日收到" and rows["乙商会"][4] == "2025年12月18日" and rows["乙商会"][5] == "王主席"
    # mistakes are one line each, nothing written
    for argv, words in ((["--received", "丙商会", "--on", "2026-01-10"], "找不到商会“丙商会”"),
                        (["--received", "甲商会"], "请用 --on"),
                        (["--received", "甲商会", "--on", "2026/1/10"], "日期格式"),
                        (["--inspected", "甲商会", "--on", "2026-01-10"], "--by"),
                        (["--checklist"], "--out"),
                        (["--received", "甲商会", "--on", "2099-01-10"], "尚未到来")):
        assert main(["yearend", "--db", path, "--year", str(YEAR), *argv]) == 2
        err = capsys.readouterr().err
        assert words in err and err.count("\n") == 1


def test_checklist_rubric_must_be_a_chamber_rubric_in_force():
    with pytest.raises(ChamberDeskError, match="本级工商联"):
        checklist_rubric(YEAR, "wuge-quebao")
    assert checklist_rubric(YEAR).id == "tongzhou-kaoping"


def test_the_binder_holds_the_statistics_form_received(demo_db, tmp_path):
    from pypdf import PdfReader

    year = date.today().year - 1
    with demo_db.session() as s:
        cid = next(r.chamber_id for r in build_checklist(s, year).rows if r.chamber == "城关镇商会")
        row = yearend.find(s, cid, year)
        assert [e.filename for e in yearend.statistics_files(s, row)] == [f"城关镇商会{year}年度统计表.jpg"]
        got = row.statistics_received_on
    files = run(demo_db, PrintRequest(form="binder", year=year, targets=[cid]), tmp_path / "汇编.pdf")
    text = "".join(p.extract_text() for p in PdfReader(files[0]).pages).replace("\n", "")
    assert f"年度基层商会工作情况统计表（{got.year}年{got.month}月{got.day}日收到）" in text


def test_demo_photos_are_real_jpegs_made_the_same_every_time(demo_db, tmp_path):
    from PIL import Image

    from chamberdesk.core import evidence
    from chamberdesk.core.demo import demo_image
    from chamberdesk.core.models import Evidence

    year = date.today().year - 1
    with demo_db.session() as s:
        links = list(s.exec(select(EvidenceLink).where(EvidenceLink.record_type.in_(["activity", "meeting"]))))
        assert {lk.record_type for lk in links} == {"activity", "meeting"}
        photo = s.get(Evidence, links[0].evidence_id)
        with Image.open(evidence.path_of(demo_db, photo)) as img:
            assert img.format == "JPEG" and img.size == (640, 480)
        assert photo.filename.startswith(str(year)) and photo.size < 60_000
    demo_image(tmp_path / "a.jpg", "7")
    demo_image(tmp_path / "b.jpg", "7")
    assert (tmp_path / "a.jpg").read_bytes() == (tmp_path / "b.jpg").read_bytes()
