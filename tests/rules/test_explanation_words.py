"""Explanations a clerk reads without thinking twice, on every rubric over the demo county."""

from __future__ import annotations

from datetime import date

from chamberdesk import rules
from chamberdesk.rules import assessments

AWKWARD = ("标准：为是", "填报是", "填报否", "（标准：超过0", "（标准：不少于100%）")


def test_no_awkward_words_and_every_yes_no_reads_plainly(demo_db):
    seen = 0
    with demo_db.session() as s:
        for rubric in rules.list_rubrics():
            year = date.today().year - 1
            if not rubric.applies_to_year(year):
                continue
            yes_no = {it.id: True for it in rubric.items if it.kind == "attested" and it.value_type == "bool"}
            keys = [t.key for t in rules.resolve_targets(s, rubric)]
            for current in assessments.current_results(s, rubric, year, unsaved={k: yes_no for k in keys}):
                for it in current.result.items:
                    seen += 1
                    words = f"{it.explanation} 本年：{it.value_words or it.value_text()} 标准：{it.threshold_text()}"
                    assert not any(a in words for a in AWKWARD), (rubric.id, it.id, words)
                    if it.id in yes_no and it.status == "pass" and not it.evidence_required:
                        assert "填报为“是”，达标" in it.explanation
    assert seen > 500


def test_headings_of_the_matrix_are_the_items_short_names():
    for rubric in rules.list_rubrics():
        shorts = [it.short for it in rubric.items]
        assert all(shorts), f"{rubric.id}: every item has a short name for 各商会一览"
        assert len(set(shorts)) == len(shorts), rubric.id
        assert all(len(x) <= 10 for x in shorts), rubric.id


def test_items_of_a_headed_group_all_start_with_their_heading():
    rubric = rules.load_rubric("wuyou-wuhao")
    for group in rubric.groups:
        heads = {it.title.partition("：")[0] for it in group.items}
        assert all("：" in it.title for it in group.items), group.title
        assert all(h.startswith("有") or h.endswith("好") for h in heads), group.title
