"""One entry point for every print: a PrintRequest goes in, PDF files come out (CLI and GUI share it)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.platypus import Flowable, PageBreak
from sqlmodel import Session, col, select

from chamberdesk.core import accounts, audit
from chamberdesk.core.chambers import list_chambers
from chamberdesk.core.db import Database
from chamberdesk.core.errors import ChamberDeskError, FieldError, InvalidInput, NotFound
from chamberdesk.core.members import MemberFilter
from chamberdesk.core.models import Activity, Chamber, Meeting
from chamberdesk.core.periods import as_of
from chamberdesk.io.pdf.fonts import get_fonts
from chamberdesk.io.pdf.layout import Cancelled, FormDoc, build, make_styles

FORMS = {
    "assessment": "考评表",
    "selfcheck": "自查表",
    "ledger": "会员台账",
    "roster": "会员名册",
    "minutes": "会议纪要",
    "chamber-year": "年度工作情况",
    "activities": "活动记录",
    "binder": "台账资料汇编",
    "ballots": "民主评议票",
}
PER_CHAMBER = {"assessment", "selfcheck", "roster", "chamber-year", "minutes", "binder"}

Progress = Callable[[int, int, str], None]  # done, total, what


@dataclass
class PrintRequest:
    form: str
    year: int | None = None
    rubric_id: str | None = None
    targets: list[int] | None = None  # chamber ids; None = every live chamber
    federation: bool = False  # assessment of the federation itself
    meeting_ids: list[int] | None = None
    activity_ids: list[int] | None = None  # exactly these activities, in this order (the list a page shows)
    member_filter: MemberFilter | None = None
    columns: list[str] | None = None
    unmasked: bool = False
    blank: bool = False  # 自查表 with nothing filled in
    per_file: bool = False
    today: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def safe_filename(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_") or "未命名"


def _chambers(session: Session, req: PrintRequest) -> list[Chamber]:
    if req.targets is None:
        return list_chambers(session, include_dissolved=False)
    out = []
    for cid in req.targets:
        ch = session.get(Chamber, cid)
        if ch is None or ch.deleted_at is not None:
            raise NotFound(f"找不到编号为 {cid} 的商会")
        out.append(ch)
    return out


def _meetings(session: Session, req: PrintRequest) -> list[Meeting]:
    if req.meeting_ids:
        got = []
        for mid in req.meeting_ids:
            m = session.get(Meeting, mid)
            if m is None or m.deleted_at is not None:
                raise NotFound(f"找不到编号为 {mid} 的会议")
            got.append(m)
        return got
    q = select(Meeting).where(col(Meeting.deleted_at).is_(None))
    if req.targets is not None:
        q = q.where(col(Meeting.chamber_id).in_(req.targets))
    if req.year:
        q = q.where(Meeting.date >= date(req.year, 1, 1), Meeting.date <= date(req.year, 12, 31))
    return list(session.exec(q.order_by(col(Meeting.chamber_id), col(Meeting.date))))


def _activities(session: Session, req: PrintRequest) -> tuple[list[Activity], str, str]:
    """The activities to list, the form's heading and the line that says which ones they are.

    A page passes the ids it shows (its own filter, described in `extra["filter"]`); the CLI and the
    打印 panel pass a year and chambers.
    """
    from chamberdesk.core.activities import list_activities
    from chamberdesk.io.pdf import records

    if req.activity_ids is not None:
        found = {a.id: a for a in session.exec(select(Activity).where(col(Activity.id).in_(req.activity_ids),
                                                                      col(Activity.deleted_at).is_(None)))}
        acts = [found[i] for i in req.activity_ids if i in found]
        return acts, str(req.extra.get("title") or "活动记录"), str(req.extra.get("filter") or "")
    _need(req, "year")
    if req.targets is None:
        acts = list_activities(session, year=req.year)
        who = "全部单位"
    else:
        chs = _chambers(session, req)
        acts = [a for ch in chs for a in list_activities(session, chamber_id=ch.id, year=req.year)]
        who = "、".join(ch.name for ch in chs)
    acts.sort(key=lambda a: (a.date, a.id or 0))
    # the heading names the unit: the one chamber chosen, else the federation that compiles the list
    owner = records.owner_name(session, req.targets[0] if req.targets and len(req.targets) == 1 else None)
    return acts, f"{owner}{req.year}年度活动记录", f"筛选：单位={who}；年度={req.year}"


def _need(req: PrintRequest, what: str) -> None:
    labels = {"year": "年度", "rubric_id": "考评标准"}
    if getattr(req, what) in (None, ""):
        raise InvalidInput([FieldError(what, labels[what], f"打印{FORMS[req.form]}需要指定{labels[what]}")])


def _units(session: Session, req: PrintRequest) -> list[tuple[str, Callable[..., list[Flowable]]]]:
    """(file stem, story maker) per form instance; story makers take (styles, width, on_form)."""
    from chamberdesk.io.pdf import ledger, records

    today = req.today or date.today()
    if req.form == "ledger":
        flt = req.member_filter or MemberFilter()
        if req.year is not None:  # the roll as it stood at that year's end
            flt = replace(flt, as_of=as_of(req.year, today))
        return [("会员台账", lambda st, w, on: ledger.ledger_story(session, st, w, flt, req.columns,
                                                                 unmasked=req.unmasked, today=today))]
    if req.form == "roster":
        return [(f"{ch.name}会员名册", lambda st, w, on, ch=ch: ledger.roster_story(
            session, st, w, ch, unmasked=req.unmasked, today=today, year=req.year, on_form=on))
            for ch in _chambers(session, req)]
    if req.form == "chamber-year":
        _need(req, "year")
        year = int(req.year or 0)  # _need above: a year is given
        return [(f"{ch.name}{year}年度工作情况", lambda st, w, on, ch=ch: records.chamber_year_story(
            session, st, w, ch, year, on)) for ch in _chambers(session, req)]
    if req.form == "minutes":
        out = []
        for m in _meetings(session, req):
            owner = records.owner_name(session, m.chamber_id)
            out.append((f"{owner}{m.date.isoformat()}会议纪要",
                        lambda st, w, on, m=m: records.minutes_story(session, st, w, m, on)))
        return out
    if req.form == "activities":
        acts, heading, described = _activities(session, req)
        if not acts:
            return []
        return [(heading, lambda st, w, on: records.activities_story(session, st, w, acts, heading, described,
                                                                     today=today, on_form=on))]
    if req.form in ("assessment", "selfcheck"):
        from chamberdesk.io.pdf import assessment

        _need(req, "year")
        _need(req, "rubric_id")
        return assessment.units(session, req, today)
    if req.form == "ballots":
        from chamberdesk.io.pdf import ballots

        _need(req, "year")
        return ballots.units(session, req, today)
    raise ChamberDeskError(f"未知的表格：{req.form}")


def run(db: Database, req: PrintRequest, out: Path | str, *, progress: Progress | None = None,
        cancel: threading.Event | None = None) -> list[Path]:
    """Write the requested forms to `out` (one PDF, or a folder of PDFs when per_file) and return the files.

    Raises Cancelled if `cancel` is set; a half-written file is removed.
    """
    if req.unmasked and req.form in ("ledger", "roster"):
        accounts.require(db, "export_unmasked")  # only 管理员 prints full ID numbers and phones
    if req.form == "binder":  # its own document: page numbers per binder, bookmarks, photos and scans
        from chamberdesk.io.pdf.binder import run_binder

        return run_binder(db, req, Path(out), progress=progress, cancel=cancel)
    out = Path(out)
    fonts = get_fonts()
    st = make_styles(fonts, cell_size={"ledger": 9.5, "roster": 10}.get(req.form, 10.5))
    landscape_page = req.form == "ledger"
    written: list[Path] = []
    with db.session() as session:
        units = _units(session, req)
        if not units:
            raise ChamberDeskError("没有可打印的内容（所选范围内没有记录）")
        total = len(units) * 2
        done = 0

        def tick(what: str) -> None:
            nonlocal done
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            done += 1
            if progress:
                progress(min(done, total), total, what)

        def one_doc(path: Path, chosen: list[tuple[str, Callable[..., list[Flowable]]]], title: str) -> None:
            doc = FormDoc(str(path), landscape_page=landscape_page, title=title, author="")
            story: list[Flowable] = []
            for i, (stem, make) in enumerate(chosen):
                if i:
                    story.append(PageBreak())
                story += make(st, doc.body_width, lambda stem=stem: tick(f"排版：{stem}"))
                tick(f"整理数据：{stem}")
            try:
                build(doc, story, fonts)
            except BaseException:
                path.unlink(missing_ok=True)
                raise
            written.append(path)

        if req.per_file:
            out.mkdir(parents=True, exist_ok=True)
            for stem, make in units:
                one_doc(out / f"{safe_filename(stem)}.pdf", [(stem, make)], stem)
        else:
            if out.suffix.lower() != ".pdf":
                out = out / f"{safe_filename(units[0][0] if len(units) == 1 else FORMS[req.form])}.pdf"
            out.parent.mkdir(parents=True, exist_ok=True)
            one_doc(out, units, units[0][0] if len(units) == 1 else FORMS[req.form])
        if progress:
            progress(total, total, "完成")
    if req.unmasked and req.form in ("ledger", "roster"):
        with db.transaction() as s:
            audit.record(s, "export", "member", None,
                         after={"打印": FORMS[req.form], "未脱敏": True, "文件": [p.name for p in written]})
    if not req.extra.get("preview"):  # a preview counts once the clerk prints or saves it (note_printed)
        note_printed(db, req)
    return written


def note_printed(db: Database, req: PrintRequest) -> int:
    """A chamber's 自查表 or 考评表 for a year went out on paper (or as the PDF sent to it): the year-end
    checklist's first step is done. Only the year-end rubric's forms count (the one with a 民主评议 ballot,
    which the checklist follows): a 五有五好 考评表 printed in between is not the year-end self-check.
    Returns how many chambers got their date now."""
    if req.form not in ("assessment", "selfcheck") or not req.year or not req.rubric_id:
        return 0
    from chamberdesk import rules
    from chamberdesk.core.yearend import note_selfcheck_printed
    from chamberdesk.rules.democratic import democratic_item

    try:
        rubric = rules.load_rubric(req.rubric_id)
    except ChamberDeskError:
        return 0  # the print itself said what was wrong with the rubric
    if rubric.target != "chamber" or req.federation or democratic_item(rubric) is None:
        return 0
    with db.transaction() as s:
        # the chambers printed: those asked for, else every chamber the rubric assesses (as the form lists them)
        ids = req.targets if req.targets is not None else [t.key for t in rules.resolve_targets(s, rubric)]
        return note_selfcheck_printed(s, req.year, [i for i in ids if i is not None], today=req.today)
