"""The demo county with its past year's assessment carried through: core.demo builds the ledger and the
year-end steps; this adds what needs the rubric — the 民主评议 tallies after the 述职 meeting, the assessors'
scores, and a few assessments 定稿 — so that every column of the 年终考评进度 shows something."""

from __future__ import annotations

import random
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from chamberdesk.core import demo as core_demo
from chamberdesk.core import evidence
from chamberdesk.core.assessments import finalise_assessment, get_assessment, stored_inputs
from chamberdesk.core.db import Database
from chamberdesk.rules.assessments import assess
from chamberdesk.rules.democratic import Tally, record_tally, year_end_rubric
from chamberdesk.rules.engine import resolve_targets

NO_TALLY = "电子商务协会"  # its president missed the 述职 meeting: no tally yet
FINALISED = ("城关镇商会", "柳河镇商会", "东关街道商会")
VOTERS = 16


def build_demo(db: Database, **kw: Any) -> None:
    """core.demo.build_demo, then the past year's tallies, scores and 定稿 (see the module docstring)."""
    core_demo.build_demo(db, **kw)
    today = kw.get("today") or date.today()
    demo_assessments(db, today.year - 1, today)


def demo_assessments(db: Database, year: int, today: date) -> None:
    rubric = year_end_rubric(year)
    if rubric is None:
        return
    r = random.Random(f"tally {year}")
    with db.transaction() as s, tempfile.TemporaryDirectory() as tmp:
        s.info["user"] = "演示数据"
        for t in resolve_targets(s, rubric):
            assert t.key is not None
            if t.name == NO_TALLY:
                continue
            base = r.randrange(78, 95)
            scores = [float(min(100, max(60, base + r.randrange(-6, 7)))) for _ in range(VOTERS - 1)]
            record_tally(s, rubric, year, t.key, Tally(scores=scores, invalid=1), as_of=today)
            if t.name not in FINALISED:
                continue
            # the assessors' scores and the 会费账册 seen with its scan: the assessment is complete
            scan = Path(tmp) / f"{t.name}{year}年度财务账册.jpg"
            core_demo.demo_image(scan, f"账册 {t.name}", form=True)
            evidence.add_file(db, s, scan, record_type="chamber", record_id=t.key,
                              rubric_item=f"{rubric.id}:finance_archived")
            saved = get_assessment(s, rubric.id, year, t.key)
            inputs = stored_inputs(saved) if saved is not None else {}
            inputs.update({"member_work": 8, "activity_work": 9, "rights_work": 17, "rules_work": 9,
                           "image_work": 18, "finance_archived": True, "absences": 0})
            res, a = assess(s, rubric, year, t.key, inputs, as_of=today)
            if res.complete and a is not None:
                finalise_assessment(s, a.id or 0, assessor="演示数据")


__all__ = ["build_demo", "demo_assessments"]
