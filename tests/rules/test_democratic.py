"""民主评议: the ballot scale in the rubric, the tally → score rule, and the combined 通州 total, by hand-computed
figures; the ballots as printed; the `tally` command and a 计票表."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import Workbook
from pypdf import PdfReader

from chamberdesk import rules
from chamberdesk.cli import main
from chamberdesk.core import yearend
from chamberdesk.core.assessments import finalise_assessment, get_assessment, stored_inputs
from chamberdesk.core.errors import ChamberDeskError, Conflict
from chamberdesk.io.pdf.jobs import PrintRequest, run
from chamberdesk.rules.democratic import Tally, democratic_item, record_tally, score_of
from tests.io.test_pdf_forms import assert_all_embedded
from tests.rules.conftest import AS_OF, add_members, chamber, fed, meeting

YEAR = 2025
RATING = '''scale = "rating"
levels = [{ label = "好", points = 100 }, { label = "较好", points = 85 }, { label = "一般", points = 70 }, { label = "差", points = 50 }]
'''


@pytest.fixture
def tongzhou():
    return rules.load_rubric("tongzhou-kaoping")


@pytest.fixture
def rating_rubric(tongzhou):
    """通州 with a 好／较好／一般／差 ballot, as an office that rates by level would set it."""
    text = tongzhou.text.replace('scale = "score"\n', RATING)
    assert text != tongzhou.text
    return rules.parse_rubric(text, "tongzhou-rating.toml")


# the 工作目标 part, by hand: new members 2 of 10 at the start of the year (20% > 10%) 10 + 会员发展工作 8
# + no activities (0 in the weakest quarter) 0 + 服务活动质量 7 + 维权 18 + every meeting has agenda and
# decisions 5 + 会费账册 not attested 0 + 制度执行 9 + 社会形象 20 = 77
TARGET_INPUTS = {"member_work": 8, "activity_work": 7, "rights_work": 18, "finance_archived": False,
                 "rules_work": 9, "image_work": 20, "absences": 0}
TARGET = 77


@pytest.fixture
def ledger(db):
    with db.transaction() as s:
        fed(s, staff_count=3)
        ch = chamber(s, "甲商会", "industry", president_name="张会长")
        add_members(s, ch.id, 10, date(2024, 3, 1))
        add_members(s, ch.id, 2, date(YEAR, 2, 1))
        meeting(s, ch.id, "council", date(YEAR, 3, 15))
        other = chamber(s, "乙商会", "industry", president_name="李会长")
        for cid in (ch.id, other.id):  # both statistics forms in by the due day: no veto from them
            yearend.set_statistics_received(db, s, cid, YEAR, date(YEAR + 1, 1, 10), today=AS_OF)
    return db, ch.id, other.id


def test_the_shipped_ballot_is_a_score_out_of_100(tongzhou):
    item = democratic_item(tongzhou)
    assert item.id == "democratic" and item.ballot.scale == "score" and item.ballot.max_points == 100
    assert rules.load_rubric("wuyou-wuhao") and democratic_item(rules.load_rubric("wuyou-wuhao")) is None


def test_score_rules_by_hand(tongzhou, rating_rubric):
    scores = democratic_item(tongzhou).ballot
    # (90 + 85.5 + 78 + 92) ÷ 4 = 86.375 → 86.38
    assert score_of(scores, Tally(scores=[90, 85.5, 78, 92], invalid=3)) == 86.38
    levels = democratic_item(rating_rubric).ballot
    # (10×100 + 5×85 + 3×70 + 2×50) ÷ 20 = 1735 ÷ 20 = 86.75; spoilt ballots are not counted
    assert score_of(levels, Tally(counts={"好": 10, "较好": 5, "一般": 3, "差": 2}, invalid=1)) == 86.75
    with pytest.raises(ChamberDeskError, match="超出"):
        score_of(scores, Tally(scores=[90, 101]))
    with pytest.raises(ChamberDeskError, match="不在细则中"):
        score_of(levels, Tally(counts={"优秀": 3}))
    with pytest.raises(ChamberDeskError, match="有效票为 0"):
        score_of(levels, Tally(counts={"好": 0}))


def test_tally_feeds_the_80_20_total(ledger, rating_rubric):
    db, cid, _ = ledger
    with db.transaction() as s:
        record_tally(s, rating_rubric, YEAR, cid, Tally(counts={"好": 1}), as_of=AS_OF)  # a first, wrong entry
        from chamberdesk.rules.assessments import assess

        saved = stored_inputs(get_assessment(s, rating_rubric.id, YEAR, cid))
        assess(s, rating_rubric, YEAR, cid, {**saved, **TARGET_INPUTS}, as_of=AS_OF)
        res = record_tally(s, rating_rubric, YEAR, cid, Tally(counts={"好": 10, "较好": 5, "一般": 3, "差": 2}),
                           as_of=AS_OF)
    assert res.parts == {"target": TARGET, "democratic": 86.75}
    # 77 × 80% + 86.75 × 20% = 61.6 + 17.35 = 78.95: not vetoed (target ≥ 75), below 90 so no 五好商会
    assert res.score == pytest.approx(78.95) and res.complete and not res.vetoed and res.grade is None
    with db.session() as s:
        a = get_assessment(s, rating_rubric.id, YEAR, cid)
        assert a.democratic_score == 86.75 and a.total == pytest.approx(78.95)
        kept = stored_inputs(a)
    assert kept["member_work"] == 8  # the other inputs are kept
    assert kept["democratic"]["tally"] == {"scale": "rating", "invalid": 0,
                                           "counts": {"好": 10, "较好": 5, "一般": 3, "差": 2}}
    item = next(i for i in res.items if i.id == "democratic")
    assert "有效票20张（好10票，较好5票，一般3票，差2票）" in item.explanation
    # once 定稿, a tally can no longer change it
    with db.transaction() as s:
        finalise_assessment(s, a.id)
    with db.transaction() as s, pytest.raises(Conflict):
        record_tally(s, rating_rubric, YEAR, cid, Tally(counts={"差": 20}), as_of=AS_OF)


def test_low_target_is_vetoed_whatever_the_ballots(ledger, tongzhou):
    db, cid, _ = ledger
    with db.transaction() as s:
        from chamberdesk.rules.assessments import assess

        assess(s, tongzhou, YEAR, cid, {**TARGET_INPUTS, "rights_work": 10}, as_of=AS_OF)  # target 69
        res = record_tally(s, tongzhou, YEAR, cid, Tally(scores=[100, 100, 98]), as_of=AS_OF)
    # 69 × 80% + 99.33 × 20% = 55.2 + 19.866 = 75.066, vetoed for the target below 75
    assert res.parts["target"] == 69 and res.parts["democratic"] == 99.33
    assert res.score == pytest.approx(75.066) and res.vetoed and res.passed is False


def test_schema_checks_the_ballot(tongzhou):
    bad = tongzhou.text.replace('scale = "score"\n', 'scale = "rating"\n')
    with pytest.raises(rules.RubricError, match="levels"):
        rules.parse_rubric(bad, "t.toml")
    # a ballot on the attested 会费账册 item
    moved = tongzhou.text.replace('kind = "attested"\nevidence_required = true\n',
                                  'kind = "attested"\nevidence_required = true\nballot = { scale = "score" }\n')
    assert moved != tongzhou.text
    with pytest.raises(rules.RubricError, match="只有评分"):
        rules.parse_rubric(moved, "t.toml")


def test_ballots_list_every_chamber_with_the_scale_and_the_rule(ledger, tmp_path):
    db, _, _ = ledger
    out = tmp_path / "评议票.pdf"
    run(db, PrintRequest(form="ballots", year=YEAR, extra={"copies": 3}), out)
    reader = PdfReader(out)
    assert len(reader.pages) == 3  # one sheet per voter
    for n, page in enumerate(reader.pages, 1):
        t = page.extract_text().replace("\n", "")
        assert "2025年度商会工作民主评议票" in t and f"编号：{n:03d}／003" in t
        assert "甲商会" in t and "张会长" in t and "乙商会" in t and "李会长" in t
        assert "评分（0～100分）" in t
        assert "民主评议得分＝有效票评分之和÷有效票数" in t
        assert "民主评议得分按20%计入综合得分（综合得分＝工作目标考评得分×80%＋民主评议得分×20%）" in t
    assert_all_embedded(out)


def test_rating_ballots_and_default_copies(ledger, rating_rubric, tmp_path, monkeypatch):
    db, _, _ = ledger
    monkeypatch.setattr(rules, "load_rubric", lambda rid: rating_rubric)
    out = tmp_path / "等次票.pdf"
    run(db, PrintRequest(form="ballots", year=YEAR, rubric_id=rating_rubric.id), out)
    reader = PdfReader(out)
    assert len(reader.pages) == 2 + 3  # the two presidents and the federation's 3 staff
    t = reader.pages[0].extract_text().replace("\n", "").replace(" ", "")
    for mark in ("好100分", "较好85分", "一般70分", "差50分", "打“√”"):
        assert mark in t
    assert "各等次票数×该等次分值之和÷有效票数" in t


def test_ballots_need_a_rubric_with_a_ballot(ledger, tmp_path):
    db, _, _ = ledger
    with pytest.raises(ChamberDeskError, match="没有民主评议条目"):
        run(db, PrintRequest(form="ballots", year=YEAR, rubric_id="wuyou-wuhao"), tmp_path / "x.pdf")


def test_tally_command_and_a_tally_sheet(ledger, tmp_path, capsys):
    db, cid, other = ledger
    db.close()
    path = str(db.path)
    scanned = tmp_path / "评议票扫描.pdf"
    scanned.write_bytes(b"%PDF-1.4 ballots")
    assert main(["tally", "--db", path, "--year", "2025", "--target", "甲商会", "--scores", "90，85.5, 78,92",
                 "--evidence", str(scanned)]) == 0
    assert "平均86.38分" in capsys.readouterr().out
    assert main(["tally", "--db", path, "--year", "2025", "--target", "甲商会", "--counts", "好=3"]) == 2
    assert "--scores" in capsys.readouterr().err
    # a 计票表 as a clerk keeps it: one column per ballot, a row for a chamber that does not exist, a total row
    wb = Workbook()
    ws = wb.active
    ws.append(["2025年度民主评议计票表"])
    ws.append(["序号", "商会名称", "票1", "票2", "票3", "废票", "平均分"])
    ws.append([1, "甲商会", 80, 90, None, 1, 85])
    ws.append([2, "乙商会", 70, "七十", 75, 0, None])
    ws.append([3, "丙商会", 60, 60, 60, 0, 60])
    ws.append([None, "合计", None, None, None, None, None])
    sheet = tmp_path / "计票表.xlsx"
    wb.save(sheet)
    assert main(["tally", "--db", path, "--year", "2025", "--sheet", str(sheet), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert [(r["chamber"], r["democratic"]) for r in got["entered"]] == [("甲商会", 85.0)]
    assert len(got["not_entered"]) == 3
    assert any("乙商会" in p and "不是数字" in p for p in got["not_entered"])
    assert any("丙商会" in p and "找不到" in p for p in got["not_entered"])
    assert any("合计" in p for p in got["not_entered"])
    assert main(["tally", "--db", path, "--year", "2025", "--list", "--json"]) == 0
    rows = {r["chamber"]: r for r in json.loads(capsys.readouterr().out)["results"]}
    assert rows["甲商会"]["democratic"] == 85.0 and "废票1张" in rows["甲商会"]["tally"]
    assert rows["乙商会"]["democratic"] is None
    # the scanned ballots and the tally sheet are the item's evidence, for the chamber whose tally was taken
    from chamberdesk.core.db import open_database
    from chamberdesk.core.evidence import files_for

    again = open_database(db.path)
    try:
        with again.session() as s:
            item = "tongzhou-kaoping:democratic"
            assert [e.filename for e in files_for(s, "chamber", cid, item)] == ["评议票扫描.pdf", "计票表.xlsx"]
            assert files_for(s, "chamber", other, item) == []
    finally:
        again.close()
