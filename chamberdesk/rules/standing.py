"""A chamber's standing in one line, for the chamber page and the dashboard."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from chamberdesk.core.models import Assessment
from chamberdesk.rules.engine import evaluate
from chamberdesk.rules.loader import load_rubric

DEFAULT_RUBRIC = "wuyou-wuhao"


def chamber_standing(session: Session, chamber_id: int, year: int, *, rubric_id: str = DEFAULT_RUBRIC,
                     as_of: date | None = None) -> str | None:
    """The latest finalised grade still in force; otherwise the year's live check against `rubric_id`."""
    rows = session.exec(select(Assessment).where(Assessment.chamber_id == chamber_id, Assessment.finalised == True,  # noqa: E712
                                                 Assessment.year <= year)
                        .order_by(Assessment.year.desc(), Assessment.id.desc())).all()
    for a in rows:
        if a.grade:
            try:
                title = load_rubric(a.rubric_id).title
            except Exception:  # the rubric file may be gone: the stored grade still stands
                title = a.rubric_id
            return f"{a.year}年{title}：{a.grade}（已定稿）"
    try:
        rubric = load_rubric(rubric_id)
        res = evaluate(session, rubric, year, [chamber_id], as_of=as_of)[0]
    except Exception:
        return None
    c = res.counts
    return (f"{year}年{rubric.title}自动核对：达标{c['pass']}项、未达标{c['fail']}项、待填写{c['needs_input']}项"
            "（未定稿）")
