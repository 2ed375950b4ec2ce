"""The printed forms: text extracts back, fonts are embedded subsets, masking, rare characters, batches."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from chamberdesk import rules
from chamberdesk.cli import main
from chamberdesk.core.chambers import create_chamber, find_chamber
from chamberdesk.core.members import MemberFilter, create_member
from chamberdesk.core.models import Assessment, AuditLog, Meeting, Member, Membership
from chamberdesk.io.pdf.assessment import _group_sum, finding_text, requirement_text
from chamberdesk.io.pdf.fonts import get_fonts
from chamberdesk.io.pdf.jobs import PrintRequest, run
from chamberdesk.io.pdf.layout import Cancelled, KinsokuParagraph, make_styles

RUBRIC_FILE = Path(__file__).with_name("pdf_rubric.toml")


def pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(path).pages)


def pdf_fonts(path: Path) -> dict[str, bool]:
    """BaseFont → embedded as a subset (a FontFile2 stream and the `ABCDEF+` prefix)."""
    out: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            f = ref.get_object()
            name = str(f["/BaseFont"])
            desc = f.get("/FontDescriptor")
            embedded = desc is not None and "/FontFile2" in desc.get_object()
            out[name] = embedded and len(name) > 8 and name[7] == "+"
    return out


def assert_all_embedded(path: Path) -> None:
    fonts = pdf_fonts(path)
    assert fonts, "no fonts at all"
    assert all(fonts.values()), fonts


@pytest.fixture
def test_rubric(monkeypatch):
    r = rules.parse_rubric(RUBRIC_FILE.read_text(encoding="utf-8"), RUBRIC_FILE.name)
    monkeypatch.setattr(rules, "load_rubric", lambda rid: r)
    return r


def test_ledger_masks_by_default_and_repeats_header(demo_db, tmp_path):
    out = tmp_path / "ledger.pdf"
    cols = ["enterprise_name", "rep_name", "rep_id_number", "rep_phone", "chambers"]
    run(demo_db, PrintRequest(form="ledger", member_filter=MemberFilter(), columns=cols), out)
    with demo_db.session() as s:
        m = s.exec(select(Member).where(Member.rep_phone.is_not(None), Member.rep_id_number.is_not(None),
                                        Member.leave_date.is_(None)).order_by(Member.id)).first()
    reader = PdfReader(out)
    assert len(reader.pages) > 5
    text = "\n".join(p.extract_text() for p in reader.pages[:3])
    assert "会员台账" in text and m.enterprise_name in text.replace("\n", "")
    assert m.rep_phone not in text and m.rep_id_number not in text
    assert m.rep_phone[:3] + "****" + m.rep_phone[-4:] in text
    # the column header is on every page, the footer counts the pages
    pages = list(enumerate(reader.pages, 1))
    for i, page in pages[:2] + pages[-1:]:
        t = page.extract_text()
        assert "身份证号" in t and "所属商会" in t
        assert f"第 {i} 页 共 {len(reader.pages)} 页" in t
    w, h = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert w > h  # landscape
    assert_all_embedded(out)


def test_ledger_unmasked_is_audited(demo_db, tmp_path):
    out = tmp_path / "ledger.pdf"
    with demo_db.session() as s:
        ch = find_chamber(s, "城关镇商会")
    flt = MemberFilter(chamber_id=ch.id)
    run(demo_db, PrintRequest(form="ledger", member_filter=flt, columns=["enterprise_name", "rep_phone"],
                              unmasked=True), out)
    with demo_db.session() as s:
        m = s.exec(select(Member).where(Member.rep_phone.is_not(None), Member.leave_date.is_(None))
                   .join(Membership, Membership.member_id == Member.id).where(Membership.chamber_id == ch.id)).first()
        logs = s.exec(select(AuditLog).where(AuditLog.action == "export")).all()
    text = pdf_text(out)
    assert m.rep_phone in text
    assert "城关镇商会的在册会员" in text and "筛选" not in text
    assert logs and "会员台账" in logs[-1].after and logs[-1].user == "测试员"


def test_roster_minutes_and_year_summary(demo_db, tmp_path):
    with demo_db.session() as s:
        ch = find_chamber(s, "城关镇商会")
        meeting = s.exec(select(Meeting).where(Meeting.chamber_id == ch.id, Meeting.minutes.is_not(None))).first()
    roster = run(demo_db, PrintRequest(form="roster", targets=[ch.id]), tmp_path / "r.pdf")[0]
    text = pdf_text(roster)
    assert "城关镇商会会员名册" in text and "会长" in text and ch.president_name in text
    minutes = run(demo_db, PrintRequest(form="minutes", meeting_ids=[meeting.id]), tmp_path / "m.pdf")[0]
    text = pdf_text(minutes)
    assert "会议纪要" in text and "会议决议" in text and "（盖章）" in text
    assert meeting.minutes.splitlines()[0][:10] in text
    year = meeting.date.year
    summary = run(demo_db, PrintRequest(form="chamber-year", targets=[ch.id], year=year), tmp_path / "y.pdf")[0]
    text = pdf_text(summary)
    assert f"城关镇商会{year}年度工作情况" in text
    for label in ("一、基本情况", "年末会员", "三、会议召开情况", "四、活动开展情况", "填报人（签字）"):
        assert label in text
    for f in (roster, minutes, summary):
        assert_all_embedded(f)


def test_assessment_form_scores_and_grade(demo_db, tmp_path, test_rubric):
    with demo_db.transaction() as s:
        ch = find_chamber(s, "城关镇商会")
        s.add(Assessment(rubric_id="print-test", rubric_version="测试1", chamber_id=ch.id, year=2025,
                         inputs=json.dumps({"service": 45, "appraisal": 92}), assessor="李明"))
    with demo_db.session() as s:
        res = rules.evaluate(s, test_rubric, 2025, [ch.id], {ch.id: {"service": 45, "appraisal": 92}})[0]
    out = run(demo_db, PrintRequest(form="assessment", rubric_id="print-test", year=2025, targets=[ch.id]),
              tmp_path / "a.pdf")[0]
    text = pdf_text(out)
    assert "2025年度 城关镇商会 五有五好商会考评表" in text
    for label in ("序号", "考评项目", "考评内容与标准", "分值", "系统核算", "自评\n得分", "考评\n得分", "说明／台账依据",
                  "有活动小计", "一票否决", "民主评议", "综合得分", "系统核算等次", "评定等次", "考评人（签字）",
                  "审核人（签字）", "（盖章）"):
        assert label in text, label
    score = round(res.score, 2)
    shown = str(int(score)) if float(score).is_integer() else f"{score:.2f}".rstrip("0").rstrip(".")
    assert shown in text
    if res.grade:
        assert res.grade in text
    assert "92" in text and "45" in text
    assert_all_embedded(out)


def test_selfcheck_prefilled_and_blank(demo_db, tmp_path, test_rubric):
    with demo_db.session() as s:
        ch = find_chamber(s, "城关镇商会")
    filled = run(demo_db, PrintRequest(form="selfcheck", rubric_id="print-test", year=2025, targets=[ch.id]),
                 tmp_path / "s.pdf")[0]
    blank = run(demo_db, PrintRequest(form="selfcheck", rubric_id="print-test", year=2025, targets=[ch.id],
                                      blank=True), tmp_path / "b.pdf")[0]
    ft, bt = pdf_text(filled).replace("\n", ""), pdf_text(blank).replace("\n", "")
    assert "五有五好商会自查表" in ft and "填报人（签字）" in ft
    assert "达标" in ft.replace("达标情况", "")
    assert "全年开展会员活动不少于8次" in bt
    assert "达标" not in bt
    assert "本年度" not in bt  # no computed explanations on the blank sheet
    assert "自评得分 考评得分" in ft and "自评得分 说明／凭证" in bt  # no column for the assessor's column is not the chamber's


def test_extension_b_name_prints_and_extracts(db, tmp_path):
    rare = "𠀀𪚥"  # U+20000, U+2A6A5: CJK extension B, outside every common font
    with db.transaction() as s:
        ch = create_chamber(s, {"name": "测试商会", "kind": "township"})
        create_member(s, {"kind": "enterprise", "enterprise_name": f"清河县{rare}贸易有限公司", "rep_name": f"王{rare}",
                          "join_date": date(2020, 1, 1)}, seats=[(ch.id, "president")])
    out = run(db, PrintRequest(form="roster", targets=[ch.id]), tmp_path / "rare.pdf")[0]
    text = pdf_text(out)
    assert f"王{rare}" in text
    assert f"清河县{rare}贸易有限公司" in text.replace("\n", "")
    fonts = pdf_fonts(out)
    assert any("HanaMinB" in f or "SimSun-ExtB" in f for f in fonts), fonts
    assert_all_embedded(out)


def test_font_runs_split_by_coverage():
    fs = get_fonts()
    runs = fs.runs("王𠀀明", fs.body)
    assert [r for _, r in runs] == ["王", "𠀀", "明"]
    assert runs[1][0] != fs.body
    assert fs.markup("a<b", fs.body) == "a&lt;b"


def test_batch_per_file_and_cancel(demo_db, tmp_path):
    files = run(demo_db, PrintRequest(form="roster", per_file=True), tmp_path / "out")
    assert len(files) >= 10 and all(f.parent == tmp_path / "out" for f in files)
    assert any(f.name == "城关镇商会会员名册.pdf" for f in files)
    stop = threading.Event()
    seen = []

    def progress(done, total, what):
        seen.append(done)
        if done >= 3:
            stop.set()

    with pytest.raises(Cancelled):
        run(demo_db, PrintRequest(form="roster"), tmp_path / "all.pdf", progress=progress, cancel=stop)
    assert not (tmp_path / "all.pdf").exists()
    assert seen[:3] == [1, 2, 3]


def test_cli_print(demo_path, tmp_path, capsys):
    out = tmp_path / "r.pdf"
    code = main(["print", "roster", "--db", str(demo_path), "--target", "城关镇商会", "--out", str(out), "--quiet"])
    assert code == 0 and out.exists()
    assert "已生成" in capsys.readouterr().out
    code = main(["print", "ledger", "--db", str(demo_path), "--columns", "企业名称,联系电话", "--status", "all",
                 "--out", str(tmp_path / "l.pdf"), "--quiet"])
    assert code == 0
    code = main(["print", "chamber-year", "--db", str(demo_path), "--out", str(tmp_path / "x.pdf")])
    assert code == 2
    assert "年度" in capsys.readouterr().err
    code = main(["print", "roster", "--db", str(demo_path), "--target", "不存在商会", "--out", str(out)])
    assert code == 2


def _bulk_chambers(db, n: int) -> list[int]:
    """n chambers with a few members and activities each, inserted in bulk (the ORM is too slow here)."""
    from sqlalchemy import insert

    from chamberdesk.core.models import Activity, Chamber

    now = datetime(2025, 1, 1)
    track = {"created_at": now, "updated_at": now, "version": 1}
    with db.transaction() as s:
        s.execute(insert(Chamber), [{"name": f"第{i:03d}商会", "kind": "township", "has_office": i % 2 == 0,
                                     "fulltime_staff": i % 3, "president_name": f"会长{i}", **track}
                                    for i in range(n)])
        ids = [c.id for c in s.exec(select(Chamber).order_by(Chamber.id))]
        s.execute(insert(Member), [{"kind": "enterprise", "enterprise_name": f"企业{c}-{k}", "rep_name": f"代表{k}",
                                    "tags": "", "join_date": date(2020, 1, 1), **track}
                                   for c in ids for k in range(5)])
        mids = [m for m in s.exec(select(Member.id).order_by(Member.id))]
        s.execute(insert(Membership), [{"member_id": mids[j * 5 + k], "chamber_id": c, "position": "member",
                                        "start_date": date(2020, 1, 1)} for j, c in enumerate(ids) for k in range(5)])
        s.execute(insert(Activity), [{"chamber_id": c, "category": "training", "date": date(2025, q * 3 + 1, 10),
                                      "title": f"培训{q}", "participant_count": 20, **track}
                                     for c in ids for q in range(4)])
    return ids


@pytest.mark.slow
def test_300_chamber_batch(db, tmp_path, test_rubric):
    ids = _bulk_chambers(db, 300)
    ticks = []
    out = run(db, PrintRequest(form="assessment", rubric_id="print-test", year=2025),
              tmp_path / "batch.pdf", progress=lambda d, t, w: ticks.append((d, t)))[0]
    reader = PdfReader(out)
    assert len(reader.pages) >= 300
    first = reader.pages[0].extract_text()
    assert "2025年度 第000商会 五有五好商会考评表" in first
    last = reader.pages[-1].extract_text()
    assert "第299商会" in last or "第299商会" in reader.pages[-2].extract_text()
    assert ticks[-1][0] == ticks[-1][1] == 2 * len(ids)


def _lines(path: Path) -> list[str]:
    return [ln.strip() for ln in pdf_text(path).splitlines() if ln.strip()]


def _item(**kw):
    base = {"id": "x", "title": "测试项目", "group": "g", "group_title": "组", "kind": "automatic", "status": "pass",
            "value": None, "threshold": None, "op": ">=", "points": 0.0, "max_points": 10.0, "explanation": "",
            "source": ""}
    return rules.ItemResult(**{**base, **kw})


def test_requirement_reads_as_a_standard():
    assert requirement_text(_item(title="有专人：有专职工作人员", threshold=True, op="==")) == "有"
    assert requirement_text(_item(title="已在民政部门登记", threshold=True, op="==")) == "是"
    assert requirement_text(_item(threshold=2, unit="次")) == "≥ 2次"
    assert requirement_text(_item(threshold=0.1, op=">", ratio=True)) == "> 10%"
    assert requirement_text(_item(threshold="2025-03-31", op="<=")) == "3月31日前"


def test_pass_fail_form_shows_standards_and_findings_only(demo_db, tmp_path):
    out = run(demo_db, PrintRequest(form="assessment", rubric_id="wuyou-wuhao", year=2025, targets=["城关镇商会"]),
              tmp_path / "w.pdf")[0]
    lines = _lines(out)
    flat = "".join(lines)
    assert "为是" not in flat and "不少于1次" not in "".join(lines[:12])
    for cap in ("有", "≥ 1次", "≥ 2次", "> 10%", "> 0元"):
        assert cap in lines, cap
    with demo_db.session() as s:
        ch = find_chamber(s, "城关镇商会")
        res = rules.evaluate(s, rules.load_rubric("wuyou-wuhao"), 2025, [ch.id], as_of=date.today())[0]
    for it in res.items:
        # the rule sentence is printed once, in 考评内容与标准, not again in 说明
        assert flat.count(it.title) == 1, it.title
        finding = finding_text(it)
        assert not finding.startswith(it.title)
        assert finding.split("\n")[0][:12] in flat, it.id


def test_group_subtotals_sum_self_and_assessor_scores(demo_db, tmp_path, test_rubric):
    with demo_db.session() as s:
        ch = find_chamber(s, "城关镇商会")
        res = rules.evaluate(s, test_rubric, 2025, [ch.id], {ch.id: {"appraisal": 92}})[0]
    with demo_db.transaction() as s:
        s.add(Assessment(rubric_id="print-test", rubric_version="测试1", chamber_id=ch.id, year=2025,
                         inputs=json.dumps({"appraisal": 92})))
    out = run(demo_db, PrintRequest(form="assessment", rubric_id="print-test", year=2025, targets=[ch.id]),
              tmp_path / "a.pdf")[0]
    lines = _lines(out)

    def after(label: str) -> list[str]:
        i = lines.index(label)
        return lines[i + 1:i + 4]

    got = sum(res.item(i).points for i in ("activities", "meetings"))
    got_text = str(int(got)) if float(got).is_integer() else str(got)
    # 分值 and 系统核算; 自评 and 考评得分 stay empty for hand entry, so the next row's 序号 follows
    assert after("有活动小计") == ["40", got_text, "4"]
    assert after("民主评议小计")[:2] == ["100", "92"] and after("民主评议小计")[2] != "92"
    nxt = after("维权服务好小计")  # the 评分 is still to come: no subtotal; the next row, or the page ends there
    assert nxt[0] == "50" and (nxt[1] == "5" or nxt[1].startswith("第 1 页")), nxt
    assert _group_sum([res.item("service")]) == ""
    assert _group_sum([res.item("service"), res.item("appraisal")]) == "92\n另有待评"
    sc = run(demo_db, PrintRequest(form="selfcheck", rubric_id="print-test", year=2025, targets=[ch.id]),
             tmp_path / "s.pdf")[0]
    sl = _lines(sc)
    i = sl.index("民主评议小计")
    assert sl[i + 1:i + 3] == ["100", "92"] and sl[i + 3] != "92"  # nothing in 自评 or 考评得分 on a 自查表


LONG = ("本年度组织会员企业开展法律服务、融资对接、政策宣讲、人才招聘、技术交流、品牌推广、"
        "市场开拓、安全生产培训、劳动关系协调、社会公益、光彩事业、乡村振兴（万企兴万村）、"
        "“五好”创建等活动，形成记录（纪要、照片、签到表）；并按时报送。")


def test_cell_text_obeys_chinese_line_breaking():
    from reportlab.platypus import Paragraph

    st = make_styles()
    bad_start, bad_end = set("、，。；：）」》”"), set("（「《“")
    naive_bad = 0
    for width in range(40, 200, 3):
        p = KinsokuParagraph(st.fonts.markup(LONG, st.cell.fontName), st.cell)
        p.wrap(width, 10_000)
        lines = ["".join(w.text for w in ln.words) for ln in p.blPara.lines]
        assert "".join(lines) == LONG
        for ln in p.blPara.lines:
            text = "".join(w.text for w in ln.words)
            assert text[0] not in bad_start and text[-1] not in bad_end, (width, text)
            assert ln.currentWidth <= width + 0.01  # nothing hangs out of the cell
        q = Paragraph(LONG, st.small.clone("plain", wordWrap=None, fontName=st.cell.fontName))
        q.wrap(width, 10_000)
        naive_bad += any(words[0][0] in bad_start for _, words in q.blPara.lines)  # one font: (space, words)
    assert naive_bad  # the plain wrap does break before 、，： at some of these widths


def test_printed_form_lines_never_start_with_closing_punctuation(demo_db, tmp_path, monkeypatch):
    text = RUBRIC_FILE.read_text(encoding="utf-8").replace("有专人负责商会日常工作", LONG)
    r = rules.parse_rubric(text, RUBRIC_FILE.name)
    monkeypatch.setattr(rules, "load_rubric", lambda rid: r)
    with demo_db.session() as s:
        ch = find_chamber(s, "城关镇商会")
    out = run(demo_db, PrintRequest(form="assessment", rubric_id="print-test", year=2025, targets=[ch.id]),
              tmp_path / "k.pdf")[0]
    lines = _lines(out)
    assert LONG in "".join(lines)
    assert len([ln for ln in lines if ln and ln in LONG]) > 3  # the item text did wrap
    for ln in lines:
        assert ln[0] not in "、，。；：）」》", ln
        assert ln[-1] not in "（「《", ln


def test_activity_record_totals_each_outcome_on_its_own_and_names_the_unit(demo_db, tmp_path):
    from chamberdesk.core.federation import get_federation
    from chamberdesk.core.models import Activity
    from chamberdesk.io.pdf.layout import fmt_num

    year = date.today().year - 1
    out = run(demo_db, PrintRequest(form="activities", year=year), tmp_path / "a.pdf")[0]
    text = pdf_text(out).replace("\n", "")
    with demo_db.session() as s:
        fed = get_federation(s).name
        acts = [a for a in s.exec(select(Activity).where(Activity.deleted_at.is_(None))) if a.date.year == year]
    invest = sum(a.amount or 0 for a in acts if a.category == "investment")
    donated = sum(a.amount or 0 for a in acts if a.category in ("charity", "villages"))
    assert invest and donated
    assert f"招商引资 {fmt_num(invest, 2)} 万元" in text and f"捐资 {fmt_num(donated, 2)} 万元" in text
    assert fmt_num(invest + donated, 2) not in text  # never added together
    assert text.startswith(f"{fed} {year}年度活动记录") and "单位（盖章）" not in text  # unit on its own line
    assert f"{fed} （盖章）" in text  # the seal line, its two lines run together by the extractor


def test_ledger_heading_in_the_clerks_words(demo_db) -> None:
    from chamberdesk.io.pdf.ledger import describe_filter

    with demo_db.session() as s:
        ch = find_chamber(s, "城关镇商会")
        assert describe_filter(s, MemberFilter()) == "在册会员"
        assert describe_filter(s, MemberFilter(chamber_id=ch.id, kind="enterprise")) == "城关镇商会的在册企业会员"
        assert describe_filter(s, MemberFilter(status=None, join_year=2025)) == "2025年入会的全部会员（含已退会）"
        assert describe_filter(s, MemberFilter(status="left", industry="E", search=" 建 ")) == \
            "已退会的会员（行业：建筑业；查找“建”）"
        assert describe_filter(s, MemberFilter(as_of=date(2025, 12, 31))) == "截至2025年12月31日　在册会员"


@pytest.mark.parametrize("keys", [
    ["enterprise_name", "rep_gender", "join_date"],
    ["enterprise_name", "credit_code", "kind", "legal_rep", "rep_name", "rep_gender", "rep_birth_date",
     "rep_id_number", "rep_political_status", "rep_phone", "industry", "size_class", "tags", "join_date",
     "chambers", "notes"],
])
def test_ledger_short_headings_stay_on_one_line(keys) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from chamberdesk.io.pdf.ledger import _column_widths

    st = make_styles(get_fonts())
    widths = _column_widths(st, keys, 780)
    assert abs(sum(widths) - 780) < 0.01
    one_line = {0: "序号", 1 + keys.index("rep_gender"): "性别"}
    for i, head in one_line.items():  # the heading and the grid's padding of 3 pt a side
        assert widths[i] >= stringWidth(head, st.head.fontName, st.head.fontSize) + 6


def test_every_shipped_source_reads_as_a_document_title() -> None:
    from chamberdesk.rules.sources import source_text

    shown = 0
    for rub in rules.list_rubrics():
        for src in [rub.source, *(it.source for it in rub.items)]:
            text = source_text(src)
            assert ".txt" not in text and not any(c.isascii() and c.isdigit() for c in text[:4]), (rub.id, src, text)
            shown += bool(text)
    assert shown > 100
    assert source_text("000_02884ba88268a9b7.txt 三（三）") == "《通州区工商联关于加强基层商会规范化建设的指导意见》三（三）"
    assert source_text("002_12fb609d4e43a457.txt 11号 附件 第十九条；10号 二") == (
        "豫联(组)〔2013〕11号附件《河南省县级工商联建设示范点“五好标准”》第十九条；"
        "豫联(组)〔2013〕10号《河南省县级工商联“一个设立、五个确保”标准》二")


def test_assessment_form_names_the_document_and_repeats_the_group(demo_db, tmp_path) -> None:
    with demo_db.session() as s:
        ch = find_chamber(s, "城关镇商会")
    out = run(demo_db, PrintRequest(form="assessment", rubric_id="wuyou-wuhao", year=2025, targets=[ch.id]),
              tmp_path / "a.pdf")[0]
    pages = [p.extract_text().replace("\n", "") for p in PdfReader(out).pages]
    assert len(pages) == 2  # 12 items, the conclusion and the signatures on two A4 pages
    assert "《通州区工商联关于加强基层商会规范化建设的指导意见》" in pages[0] and ".txt" not in "".join(pages)
    assert "一、考评项目" in pages[0] and "二、考评结论" in pages[1] and "考评人（签字）" in pages[1]
    assert "五好（续）" in pages[1]  # the group a continued page starts inside is named again


def test_pending_automatic_item_says_why_in_the_system_column() -> None:
    from chamberdesk.io.pdf.assessment import reference_text
    from chamberdesk.rules.engine import ItemResult

    def item(**kw: object) -> ItemResult:
        base: dict = {"id": "x", "title": "会员发展好", "group": "g", "group_title": "五好", "kind": "check",
                      "status": "needs_input", "value": 3, "threshold": 5, "op": ">=", "points": 0.0,
                      "max_points": 0.0, "explanation": "", "source": "", "unit": "家"}
        return ItemResult(**{**base, **kw})

    # the year still running: the figure so far, what the threshold still needs, and the state
    assert reference_text(item(status="year_not_over", progress="已发展3家，还需2家"), False) == "3家\n还需2家\n年度未结束"
    assert reference_text(item(status="year_not_over", value=1, unit="次",
                               progress="第三季度还需1次；第四季度还需2次"), False) == "1次\n年度未结束"  # two quarters: in 说明
    assert reference_text(item(value=True, unit="", explanation="有场所：有；须附凭证后方可认定达标"), False) \
        .endswith("\n待凭证")
    assert reference_text(item(value=None), False) == "待填写"  # nothing from the ledgers: the clerk's to enter
    assert reference_text(item(status="pass", value=30000.0, unit="元"), False).startswith("30,000元")


def test_chamber_year_form_prints_the_rubrics_growth_figure(demo_db, tmp_path) -> None:
    """新会员占比 on the chamber's year form is the 会员发展 figure the rubric judges, formula and all."""
    with demo_db.session() as s:
        ch = find_chamber(s, "东关街道商会")
        res = rules.evaluate(s, rules.load_rubric("wuyou-wuhao"), 2025, [ch.id], None, as_of=date(2026, 3, 1))
    import re

    formula = re.search(r"本年度新发展\d+家÷年初会员\d+家＝[\d.]+%", res[0].item("member_growth").explanation)
    assert formula is not None
    out = run(demo_db, PrintRequest(form="chamber-year", year=2025, targets=[ch.id]), tmp_path / "y.pdf")[0]
    assert formula.group(0) in pdf_text(out).replace("\n", "")


def test_chamber_year_form_writes_dates_in_chinese(demo_db, tmp_path) -> None:
    """Meetings and activities on the 年度工作情况 are dated 2025年3月8日 (the year on a line of its own), never ISO."""
    import re

    with demo_db.session() as s:
        ch = find_chamber(s, "城关镇商会")
        days = sorted(m.date for m in s.exec(select(Meeting).where(Meeting.chamber_id == ch.id)) if m.date.year == 2025)
    assert days
    out = run(demo_db, PrintRequest(form="chamber-year", year=2025, targets=[ch.id]), tmp_path / "y.pdf")[0]
    text = pdf_text(out)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    flat = text.replace("\n", "")
    for d in days:
        assert f"{d.year}年{d.month}月{d.day}日" in flat, d


@pytest.mark.parametrize("rubric_id", ["wuyou-wuhao", "tongzhou-kaoping", "henan-county-wuhao", "wuge-quebao"])
def test_conclusion_and_signatures_never_stand_alone(demo_db, tmp_path, rubric_id) -> None:
    """The page that is signed carries the last rows of the items table: 12 items (五有五好) to 30 (五个确保)."""
    with demo_db.session() as s:
        ch = find_chamber(s, "城关镇商会")
    rubric = rules.load_rubric(rubric_id)
    out = run(demo_db, PrintRequest(form="assessment", rubric_id=rubric_id, year=2025, targets=[ch.id]),
              tmp_path / "a.pdf")[0]
    pages = [p.extract_text().replace("\n", "").replace(" ", "") for p in PdfReader(out).pages]
    signed = [i for i, p in enumerate(pages) if "考评人（签字）" in p]
    assert signed == [len(pages) - 1]
    last_item = rubric.items[-1].rule_text().replace(" ", "")
    assert last_item[:10] in pages[-1]  # the table's last item is on the signed page
    assert "序号" in pages[-1]  # ...under the table's repeated header, not as a stray line


def test_continued_group_label_gets_the_room_it_needs() -> None:
    """On a continuation page the group's name (制度落实好（20分）（续）) is written into a row measured without
    it: the row grows to hold it rather than the label running up into the header."""
    from reportlab.lib.units import mm

    from chamberdesk.io.pdf.assessment import GroupedTable

    st = make_styles()
    label = st.p("制度落实好（20分）（续）", st.cell_c)
    rows = [["序号", "考评项目", "内容"]] + [[str(i), "", "一行"] for i in range(1, 21)]
    table = GroupedTable(rows, colWidths=[10 * mm, 14 * mm, 100 * mm], repeatRows=1)
    table.groups = {r: label for r in range(2, 21)}
    table.wrap(124 * mm, 1000)
    first, rest = table.split(124 * mm, sum(table._rowHeights[:8]) + 1)
    rest.wrap(124 * mm, 1000)
    cell = rest._cellvalues[1][1]
    assert label in (cell if isinstance(cell, tuple | list) else [cell])
    assert rest._rowHeights[1] >= label.wrap(14 * mm - 12, 1000)[1]
    assert rest._rowHeights[1] > table._rowHeights[8]  # taller than the one-line row it was
