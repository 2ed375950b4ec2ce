"""The printed 考评表 and 自查表 leave 自评 and 考评 to the people who sign them; the ledgers' figures
stand beside them as 系统核算."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reportlab.platypus import Table

from chamberdesk import rules
from chamberdesk.core.chambers import find_chamber
from chamberdesk.core.models import Assessment
from chamberdesk.io.pdf.assessment import EndsWithTail, assessment_story, reference_text
from chamberdesk.io.pdf.jobs import PrintRequest, run
from chamberdesk.io.pdf.layout import FormDoc, make_styles

RUBRIC_FILE = Path(__file__).with_name("pdf_rubric.toml")


@pytest.fixture
def rubric(monkeypatch):
    r = rules.parse_rubric(RUBRIC_FILE.read_text(encoding="utf-8"), RUBRIC_FILE.name)
    monkeypatch.setattr(rules, "load_rubric", lambda rid: r)
    return r


def cell_text(c) -> str:
    if isinstance(c, str):
        return c
    return "".join(getattr(f, "text", "") for f in getattr(c, "frags", [])) or getattr(c, "text", "")


def tables(story) -> list[list[list[str]]]:
    flat = []
    for f in story:
        # the items table closes with the conclusion; other blocks may sit inside a KeepTogether
        flat += [f.table, *f.tail] if isinstance(f, EndsWithTail) else getattr(f, "_content", [f])
    return [[[cell_text(c) for c in row] for row in t._cellvalues] for t in flat if isinstance(t, Table)]


def item_table(story) -> tuple[list[str], list[list[str]]]:
    for rows in tables(story):
        if rows and "系统核算" in rows[0] and "序号" in rows[0]:
            return rows[0], rows[1:]
    raise AssertionError("no item table")


def story_for(demo_db, rubric, *, selfcheck=False, blank=False, inputs=None):
    with demo_db.session() as s:
        ch = find_chamber(s, "城关镇商会")
        res = rules.evaluate(s, rubric, 2025, [ch.id], {ch.id: inputs or {}})[0]
    st = make_styles()
    width = FormDoc(None).body_width
    return res, assessment_story(st, width, rubric, res, year=2025, selfcheck=selfcheck, blank=blank)


@pytest.mark.parametrize("selfcheck", [False, True])
def test_hand_columns_are_empty_and_the_computed_figures_are_a_reference(demo_db, rubric, selfcheck):
    res, story = story_for(demo_db, rubric, selfcheck=selfcheck, inputs={"appraisal": 92})
    head, rows = item_table(story)
    ref, own, assessor = head.index("系统核算"), head.index("自评得分"), head.index("考评得分")
    assert own == ref + 1 and assessor == ref + 2
    assert all(r[own] == "" and r[assessor] == "" for r in rows)
    by_no = {r[0]: r for r in rows if r[0]}
    for n, it in enumerate(res.items, 1):
        assert by_no[str(n)][ref].replace("\n", "") == reference_text(it, True).replace("\n", "")
    activities = res.item("activities")
    assert f"{activities.points:g}分" in reference_text(activities, True)
    assert reference_text(res.item("appraisal"), True) == "92\n（已录入）"
    assert reference_text(res.item("service"), True) == "待填写"
    # the totals: 系统核算 filled, the hand column and 评定等次 left to the assessor
    totals = [t for t in tables(story) if t and "系统核算得分" in t[0]][0]
    hand = totals[0].index("自评得分" if selfcheck else "考评得分")
    assert all(r[hand] == "" for r in totals[1:])
    grade_row = next(r for r in totals if r[0] in ("评定等次", "自查等次"))
    assert all(c == "" for c in grade_row[1:])


def test_blank_selfcheck_has_no_reference_column(demo_db, rubric):
    _res, story = story_for(demo_db, rubric, selfcheck=True, blank=True)
    for rows in tables(story):
        assert "系统核算" not in rows[0] and not any("系统核算" in c for r in rows for c in r)


def test_a_finalised_assessment_still_prints_blank_hand_columns(demo_db, tmp_path, rubric):
    """What the record stores is the clerk's inputs and the computed result (no self-assessment score):
    its figures go to 系统核算, never into 自评 or 考评得分."""
    from pypdf import PdfReader

    with demo_db.transaction() as s:
        ch = find_chamber(s, "城关镇商会")
        s.add(Assessment(rubric_id="print-test", rubric_version="测试1", chamber_id=ch.id, year=2025,
                         inputs=json.dumps({"service": 45, "appraisal": 92}), assessor="李明", finalised=True))
    out = run(demo_db, PrintRequest(form="assessment", rubric_id="print-test", year=2025, targets=[ch.id]),
              tmp_path / "a.pdf")[0]
    lines = [ln.strip() for p in PdfReader(out).pages for ln in (p.extract_text() or "").splitlines() if ln.strip()]
    i = lines.index("民主评议小计")
    assert lines[i + 1:i + 3] == ["100", "92"] and lines[i + 3] != "92"
    assert "92（已录入）" in "".join(lines)
