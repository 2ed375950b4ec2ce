"""台账资料汇编: a chamber's year bound as the inspectors read it (000 附件1 三（一）2 "查看活动记录、台帐").

Cover, contents, basic information, the roster on 31 December, meetings and activities with the photos and
scans of their evidence files, visits, the rubric self-check and an index of every evidence file. Pages are
numbered per binder and every section is a PDF bookmark. Photos are turned upright by their EXIF orientation
and downscaled to the size they print at; scanned PDFs are rendered page by page (pypdfium2, already used
by the print preview) so a binder stays small enough to send by mail or messenger.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import CondPageBreak, Flowable, Image, PageBreak, Spacer, Table
from sqlmodel import Session, col, select

from chamberdesk.core.choices import ActivityCategory, ContactWay, MeetingBody, label_of
from chamberdesk.core.contacts import coverage, list_contacts
from chamberdesk.core.dates import chinese_date
from chamberdesk.core.db import Database
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.evidence import path_of
from chamberdesk.core.models import (
    Activity,
    Chamber,
    Evidence,
    EvidenceLink,
    Meeting,
    MeetingAttendee,
    Member,
)
from chamberdesk.io.pdf.fonts import FontSet, get_fonts
from chamberdesk.io.pdf.layout import (
    HEAD_BG,
    Cancelled,
    FormDoc,
    FormStart,
    Styles,
    fmt_num,
    grid_style,
    make_styles,
)

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp"}
PHOTO_DPI = 200  # photos print about 7 cm wide: 200 dpi is sharp on a laser printer
SCAN_DPI = 150  # a scanned page fills the page: 150 dpi keeps handwriting and seals legible
JPEG_QUALITY = 80
PHOTO_BOX = (74 * mm, 55 * mm)  # two to a row, three rows to a page
SECTIONS = ("基本情况", "会员名册", "会议记录", "活动记录", "走访联系", "考评自查", "凭证索引")
CN = "一二三四五六七八九十"

Progress = Callable[[int, int, str], None]


# --- evidence files -------------------------------------------------------------------------------------


@dataclass
class EvidenceEntry:
    """One evidence file as the binder accounts for it: embedded (photo or scan pages), or why not."""

    key: str  # anchor name: the index shows the page where it was embedded
    filename: str
    size: int
    owner: str  # 会议 / 活动 / 考评条目 it belongs to
    path: Path | None
    kind: str  # photo | scan | other
    problem: str = ""  # why it is not in the binder (missing, unreadable, not an image or PDF)
    pages: list[tuple[bytes, int, int]] = field(default_factory=list)  # (jpeg, width px, height px)

    @property
    def embedded(self) -> bool:
        return bool(self.pages)


def _kind(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return "photo" if suffix in IMAGE_SUFFIXES else "scan" if suffix == ".pdf" else "other"


def _jpeg(img: Any, quality: int = JPEG_QUALITY) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def _flatten(img: Any) -> Any:
    """RGB on white: JPEG has no transparency, and a PNG screenshot's alpha would print black."""
    from PIL import Image as PILImage

    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        back = PILImage.new("RGB", img.size, "white")
        back.paste(img, mask=img.getchannel("A"))
        return back
    return img.convert("L" if img.mode in ("1", "L", "I;16", "I") else "RGB")


def prepare_photo(path: Path, box: tuple[float, float] = PHOTO_BOX, dpi: int = PHOTO_DPI) -> tuple[bytes, int, int]:
    """The photo upright (EXIF orientation), no larger than `box` (points) needs at `dpi`, as JPEG bytes."""
    from PIL import Image as PILImage
    from PIL import ImageOps

    limit = (max(1, int(box[0] / 72 * dpi)), max(1, int(box[1] / 72 * dpi)))
    with PILImage.open(path) as src:
        src.draft("RGB", limit)  # a JPEG decodes at a half, quarter or eighth of its size: much faster
        img = _flatten(ImageOps.exif_transpose(src))
    img.thumbnail(limit, PILImage.Resampling.LANCZOS, reducing_gap=2.0)
    return _jpeg(img), img.width, img.height


# PDFium is not thread-safe: one rendering at a time in this process (the binder runs on a worker thread).
_PDFIUM_LOCK = threading.Lock()


def prepare_scan(path: Path, box: tuple[float, float], dpi: int = SCAN_DPI,
                 check: Callable[[], None] | None = None) -> list[tuple[bytes, int, int]]:
    """Every page of a PDF rendered to fit `box` (points) at `dpi`, as JPEG bytes."""
    import pypdfium2

    out = []
    with _PDFIUM_LOCK:
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            for i in range(len(pdf)):
                if check:
                    check()
                page = pdf[i]
                try:
                    w, h = page.get_size()
                    scale = min(box[0] / w, box[1] / h) * dpi / 72
                    img = page.render(scale=scale).to_pil()
                finally:
                    page.close()
                img = _flatten(img)
                out.append((_jpeg(img, 75), img.width, img.height))
        finally:
            pdf.close()
    return out


def _locate(db: Database, entry: EvidenceEntry, ev: Evidence) -> None:
    try:
        entry.path = path_of(db, ev)
    except ChamberDeskError:
        entry.problem = "文件缺失（不在数据文件夹中）"
        return
    if entry.kind == "other":
        entry.problem = "未收入（不是照片或 PDF，请查看原件）"


def _prepare(entry: EvidenceEntry, scan_box: tuple[float, float], check: Callable[[], None]) -> None:
    """Fill the entry's pages; a damaged file is reported in the index, never fatal."""
    assert entry.path is not None
    try:
        entry.pages = [prepare_photo(entry.path)] if entry.kind == "photo" else prepare_scan(entry.path, scan_box,
                                                                                              check=check)
    except Cancelled:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow and PDFium raise many kinds for a broken file
        entry.problem = f"无法读取（{type(exc).__name__}），请查看原件"
        entry.pages = []
    if entry.kind == "scan" and not entry.pages and not entry.problem:
        entry.problem = "PDF 没有页面"


def _prepare_all(entries: list[EvidenceEntry], scan_box: tuple[float, float], ticker: Ticker, who: str) -> None:
    """Photos on a few threads (Pillow decodes without holding the GIL: most of a binder's time is decoding
    camera JPEGs), scans one by one (PDFium is not thread-safe)."""
    todo = [e for e in entries if e.path is not None and not e.problem]
    photos = [e for e in todo if e.kind == "photo"]
    ticker.begin(len(todo))
    with ThreadPoolExecutor(max_workers=max(1, min(4, (os.cpu_count() or 2)))) as pool:
        futures = {pool.submit(_prepare, e, scan_box, ticker.check): e for e in photos}
        try:
            for fut in as_completed(futures):
                fut.result()
                ticker.step(f"{who}：整理照片 {futures[fut].filename}")
        except BaseException:
            for f in futures:
                f.cancel()
            raise
    for e in todo:
        if e.kind == "scan":
            ticker.step(f"{who}：整理扫描件 {e.filename}")
            _prepare(e, scan_box, ticker.check)


# --- the canvas: page numbers per binder, contents/index page references, bookmarks ---------------------------


class Mark(Flowable):
    """Zero-size marker: names the spot (for page references), and optionally starts a binder, sets the
    running head or adds a bookmark."""

    def __init__(self, key: str, *, outline: tuple[str, int] | None = None, head: str | None = None,
                 binder: str | None = None, tick: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.key, self.outline, self.head, self.binder, self.tick = key, outline, head, binder, tick
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._bd_mark(self)  # type: ignore[attr-defined]
        if self.tick:
            self.tick()


class PageRef(Flowable):
    """Where the page number of the spot `key` is written once the whole binder is laid out."""

    def __init__(self, key: str, width: float = 14 * mm, height: float = 12) -> None:
        super().__init__()
        self.key, self.width, self.height = key, width, height

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(self.width, 2)
        self.canv._bd_refs.append((len(self.canv._bd_pages), x, y, self.key))  # type: ignore[attr-defined]


def binder_canvas(fonts: FontSet) -> type[rl_canvas.Canvas]:
    class BinderCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kw: Any) -> None:
            if not kw.get("initialFontName"):  # the document passes None: never the unembedded Helvetica
                kw["initialFontName"] = fonts.table
            super().__init__(*args, **kw)
            self._bd_pages: list[tuple[dict, str, str]] = []  # held back: (state, binder, running head)
            self._bd_binder, self._bd_head = "", ""
            self._bd_anchors: dict[str, tuple[int, float]] = {}
            self._bd_refs: list[tuple[int, float, float, str]] = []
            self._bd_outline: list[tuple[int, str, str, int, float]] = []

        def _bd_mark(self, m: Mark) -> None:
            page = len(self._bd_pages)
            _, y = self.absolutePosition(0, 0)
            self._bd_anchors[m.key] = (page, y)
            if m.binder is not None:
                self._bd_binder = m.binder
            if m.head is not None:
                self._bd_head = m.head
            if m.outline:
                self._bd_outline.append((page, m.key, m.outline[0], m.outline[1], y))

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._bd_pages.append((dict(self.__dict__), self._bd_binder, self._bd_head))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's Canvas internals, not in its stubs

        def save(self) -> None:
            first: dict[str, int] = {}
            totals: dict[str, int] = {}
            for i, (_, b, _) in enumerate(self._bd_pages):
                first.setdefault(b, i)
                totals[b] = totals.get(b, 0) + 1
            number = [i - first[b] + 1 for i, (_, b, _) in enumerate(self._bd_pages)]
            refs: dict[int, list[tuple[float, float, str]]] = {}
            for page, x, y, key in self._bd_refs:
                refs.setdefault(page, []).append((x, y, key))
            outline: dict[int, list[tuple[str, str, int, float]]] = {}
            for page, key, title, level, y in self._bd_outline:
                outline.setdefault(page, []).append((key, title, level, y))
            for i, (state, b, head) in enumerate(self._bd_pages):
                self.__dict__.update(state)
                for key, title, level, y in outline.get(i, []):
                    self.bookmarkPage(key, fit="XYZ", left=0, top=y + 30, zoom=0)
                    self.addOutlineEntry(title, key, level=level, closed=level > 0)
                self.saveState()
                self.setFont(fonts.table, 10.5)
                for x, y, key in refs.get(i, []):
                    at = self._bd_anchors.get(key)
                    if at is not None:
                        self.drawRightString(x, y, str(number[at[0]]))
                n = number[i]
                w, h = self._pagesize  # type: ignore[attr-defined]  # reportlab's Canvas internals, not in its stubs
                if n > 1:  # the cover carries no number
                    self.drawCentredString(w / 2, 16 * mm, f"第 {n} 页 共 {totals[b]} 页")
                if n > 2 and head:
                    x = 28 * mm
                    for f, run in fonts.runs(head, fonts.table):
                        self.setFont(f, 9)
                        self.drawString(x, h - 24 * mm, run)
                        x += self.stringWidth(run, f, 9)
                self.restoreState()
                super().showPage()
            self.showOutline()
            super().save()

    return BinderCanvas


# --- the story ------------------------------------------------------------------------------------------


@dataclass
class Binder:
    """What one chamber's binder is made of, gathered before layout."""

    chamber: Chamber
    year: int
    unit: str  # the federation that receives it
    meetings: list[Meeting]
    activities: list[Activity]
    evidence: list[EvidenceEntry]
    by_record: dict[tuple[str, int], list[EvidenceEntry]]
    rubrics: list[Any]


def _owner_label(kind: str, rec: Any, item_titles: dict[str, str]) -> str:
    if kind == "meeting":
        return f"会议：{rec.date.isoformat()} {label_of(MeetingBody, rec.body)}"
    if kind == "activity":
        return f"活动：{rec.date.isoformat()} {rec.title}"
    return f"考评条目：{item_titles.get(rec, rec or '未指定条目')}"


def _rubrics_for(session: Session, chamber_id: int, year: int, rubric_id: str | None) -> list[Any]:
    """The rubrics whose self-check goes in: the one asked for, else those assessed this year, else the
    year-end rubric (the one with a 民主评议 ballot)."""
    from chamberdesk import rules
    from chamberdesk.core.assessments import list_assessments

    if rubric_id:
        return [rules.load_rubric(rubric_id)]
    ids = list(dict.fromkeys(a.rubric_id for a in list_assessments(session, year=year, chamber_id=chamber_id)))
    got = []
    for rid in ids:
        try:
            r = rules.load_rubric(rid)
        except ChamberDeskError:
            continue  # a rubric removed since: its assessment is still in the 考评 page
        if r.target == "chamber":
            got.append(r)
    if got:
        return got
    from chamberdesk.rules.democratic import year_end_rubric

    fallback = year_end_rubric()
    return [fallback] if fallback is not None else []


def gather(db: Database, session: Session, chamber: Chamber, year: int, rubric_id: str | None, unit: str,
           scan_box: tuple[float, float], ticker: Ticker) -> Binder:
    """Records and evidence files of the chamber's year, photos and scans prepared for printing."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    cid = chamber.id or 0
    meetings = list(session.exec(select(Meeting).where(Meeting.chamber_id == cid, col(Meeting.deleted_at).is_(None),
                                                       Meeting.date >= start, Meeting.date <= end)
                                 .order_by(col(Meeting.date), col(Meeting.id))))
    acts = list(session.exec(select(Activity).where(Activity.chamber_id == cid, col(Activity.deleted_at).is_(None),
                                                    Activity.date >= start, Activity.date <= end)
                             .order_by(col(Activity.date), col(Activity.id))))
    rubrics = _rubrics_for(session, cid, year, rubric_id)
    titles = {f"{r.id}:{it.id}": f"{r.title}—{it.rule_text()}" for r in rubrics for it in r.items}
    owners: list[tuple[str, int, Any]] = [("meeting", m.id or 0, m) for m in meetings]
    owners += [("activity", a.id or 0, a) for a in acts]
    links = []
    for kind, rid, rec in owners:
        q = (select(EvidenceLink, Evidence).join(Evidence, col(Evidence.id) == col(EvidenceLink.evidence_id))
             .where(EvidenceLink.record_type == kind, EvidenceLink.record_id == rid).order_by(col(EvidenceLink.id)))
        links += [(kind, rid, _owner_label(kind, rec, titles), ev) for _, ev in session.exec(q)]
    q = (select(EvidenceLink, Evidence).join(Evidence, col(Evidence.id) == col(EvidenceLink.evidence_id))
         .where(EvidenceLink.record_type == "chamber", EvidenceLink.record_id == cid).order_by(col(EvidenceLink.id)))
    links += [("chamber", cid, _owner_label("chamber", link.rubric_item, titles), ev) for link, ev in session.exec(q)]
    # the year's statistics form as the federation received it (年终考评进度)
    from chamberdesk.core import yearend

    ye = yearend.find(session, cid, year)
    if ye is not None and ye.id is not None:
        got = f"（{chinese_date(ye.statistics_received_on)}收到）" if ye.statistics_received_on else ""
        links += [(yearend.RECORD_TYPE, ye.id, f"年度基层商会工作情况统计表{got}", ev)
                  for ev in yearend.statistics_files(session, ye)]
    entries: list[EvidenceEntry] = []
    by_record: dict[tuple[str, int], list[EvidenceEntry]] = {}
    for n, (kind, rid, owner, ev) in enumerate(links, 1):
        e = EvidenceEntry(key=f"ev-{cid}-{n}", filename=ev.filename, size=ev.size, owner=owner, path=None,
                          kind=_kind(ev.filename))
        _locate(db, e, ev)
        entries.append(e)
        by_record.setdefault((kind, rid), []).append(e)
    _prepare_all(entries, scan_box, ticker, chamber.name)
    return Binder(chamber, year, unit, meetings, acts, entries, by_record, rubrics)


def _caption(n: int, e: EvidenceEntry) -> str:
    return f"图{n}　{e.owner}　{e.filename}"


class _Numbers:
    """Figure numbers run through the binder."""

    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def photo_grid(st: Styles, width: float, entries: list[EvidenceEntry], figs: _Numbers) -> list[Flowable]:
    """Photos two to a row, each scaled into its box with its caption; a row never splits."""
    photos = [e for e in entries if e.kind == "photo" and e.embedded]
    if not photos:
        return []
    cell_w = width / 2
    cells = []
    for e in photos:
        data, pw, ph = e.pages[0]
        scale = min(PHOTO_BOX[0] / pw, PHOTO_BOX[1] / ph)
        img = Image(io.BytesIO(data), width=pw * scale, height=ph * scale)
        cells.append([Mark(e.key), img, Spacer(1, 1.5 * mm), st.p(_caption(figs.next(), e), st.small)])
    rows = [cells[i:i + 2] + [""] * (2 - len(cells[i:i + 2])) for i in range(0, len(cells), 2)]
    t = Table(rows, colWidths=[cell_w, cell_w],
              style=grid_style(st, ("GRID", (0, 0), (-1, -1), 0, (1, 1, 1)), ("BOX", (0, 0), (-1, -1), 0, (1, 1, 1)),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm), head_rows=0))
    return [Spacer(1, 2 * mm), t]


def scan_pages(st: Styles, width: float, entries: list[EvidenceEntry], figs: _Numbers,
               box: tuple[float, float]) -> list[Flowable]:
    """Each page of a scanned PDF on a page of its own, captioned."""
    out: list[Flowable] = []
    for e in entries:
        if e.kind != "scan" or not e.embedded:
            continue
        n = figs.next()
        for i, (data, pw, ph) in enumerate(e.pages, 1):
            scale = min(box[0] / pw, box[1] / ph)
            cap = _caption(n, e) + (f"（第{i}页，共{len(e.pages)}页）" if len(e.pages) > 1 else "")
            out += [PageBreak(), *([Mark(e.key)] if i == 1 else []), st.p(cap, st.small), Spacer(1, 2 * mm),
                    Image(io.BytesIO(data), width=pw * scale, height=ph * scale)]
    return out  # a page image fills its page: what follows starts on the next one


def _record_table(st: Styles, width: float, pairs: list[tuple[str, Any]]) -> Table:
    lw = 24 * mm
    rows = [[st.p(k, st.head), st.ps(v, st.cell)] for k, v in pairs]
    return Table(rows, colWidths=[lw, width - lw],
                 style=grid_style(st, ("BACKGROUND", (0, 0), (0, -1), HEAD_BG), ("VALIGN", (1, 0), (1, -1), "TOP"),
                                  head_rows=0))


def _attendees(session: Session, meeting_id: int) -> str:
    names = session.exec(select(Member.rep_name, Member.enterprise_name)
                         .join(MeetingAttendee, col(MeetingAttendee.member_id) == col(Member.id))
                         .where(MeetingAttendee.meeting_id == meeting_id).order_by(col(Member.id))).all()
    return "、".join(n or e for n, e in names)


def _section(n: int, b: Binder, ticker: Ticker, level: int) -> list[Flowable]:
    title = f"{CN[n - 1]}、{SECTIONS[n - 1]}"
    key = f"sec-{b.chamber.id}-{n}"
    head = f"{b.chamber.name} {b.year}年度台账资料汇编 · {title}"
    return [PageBreak(), Mark(key, outline=(title, level), head=head,
                              tick=lambda: ticker.step(f"{b.chamber.name}：排版 {title}"))]


def binder_story(session: Session, st: Styles, width: float, b: Binder, ticker: Ticker, *,
                 top_level: int, today: date, scan_box: tuple[float, float]) -> list[Flowable]:
    from chamberdesk.io.pdf.assessment import assessment_story
    from chamberdesk.io.pdf.ledger import ROSTER_COLUMNS, _table_chunks, roster_rows
    from chamberdesk.io.pdf.records import _effect, chamber_year_story

    ch, year = b.chamber, b.year
    cid = ch.id or 0
    lv = top_level
    figs = _Numbers()
    end = date(year, 12, 31)
    cover_title = st.title.clone("cover", fontSize=26, leading=40)
    steps = len(SECTIONS) + len(b.meetings) + len(b.activities)
    story: list[Flowable] = [
        Mark(f"binder-{cid}", binder=f"binder-{cid}", head="", tick=lambda: ticker.begin(steps),
             outline=(f"{ch.name}{year}年度台账资料汇编", lv - 1) if lv > 0 else None),
        Spacer(1, 45 * mm), st.p(ch.name, cover_title), Spacer(1, 6 * mm),
        st.p("台账资料汇编", cover_title), Spacer(1, 4 * mm),
        st.p(f"（{year}年度）", st.subtitle), Spacer(1, 70 * mm),
        st.p(f"汇编范围：{chinese_date(date(year, 1, 1))}至{chinese_date(end)}", st.subtitle),
        st.p(f"报送单位：{b.unit}", st.subtitle) if b.unit else Spacer(1, 1),
        st.p(f"汇编日期：{chinese_date(today)}", st.subtitle),
        PageBreak(),
        Mark(f"toc-{cid}", outline=("目录", lv)), st.p("目　录", st.title), Spacer(1, 4 * mm),
    ]
    toc: list[list[Any]] = []
    for n, name in enumerate(SECTIONS, 1):
        toc.append([st.p(f"{CN[n - 1]}、{name}", st.body), PageRef(f"sec-{cid}-{n}")])
        if n == 3:
            toc += [[st.p(f"　　{m.date.isoformat()}　{label_of(MeetingBody, m.body)}", st.cell),
                     PageRef(f"mt-{m.id}")] for m in b.meetings]
        if n == 4:
            toc += [[st.p(f"　　{a.date.isoformat()}　{a.title}", st.cell), PageRef(f"act-{a.id}")]
                    for a in b.activities]
    story.append(Table(toc, colWidths=[width - 16 * mm, 16 * mm],
                       style=grid_style(st, ("GRID", (0, 0), (-1, -1), 0, (1, 1, 1)),
                                        ("BOX", (0, 0), (-1, -1), 0, (1, 1, 1)),
                                        ("LINEBELOW", (0, 0), (-1, -1), 0.3, (0.6, 0.6, 0.6)), head_rows=0)))

    # 一、基本情况: the 年度工作情况 form as printed on its own
    story += _section(1, b, ticker, lv)
    story += [f for f in chamber_year_story(session, st, width, ch, year) if not isinstance(f, FormStart)]

    # 二、会员名册 on 31 December
    story += _section(2, b, ticker, lv)
    rows = roster_rows(session, cid, unmasked=False, on=end)
    story += [st.p(f"{ch.name}会员名册", st.title),
              st.p(f"截至{chinese_date(end)}　在册会员 {len(rows)} 名", st.subtitle), Spacer(1, 4 * mm)]
    fixed = [9 * mm, 16 * mm, 15 * mm, 0, 9 * mm, 20 * mm, 24 * mm, 21 * mm]
    story += list(_table_chunks(st, ROSTER_COLUMNS, iter(rows), [w or width - sum(fixed) for w in fixed],
                                {0, 1, 2, 4, 5, 6, 7}))
    if not rows:
        story.append(st.p("该日无在册会员。", st.body))

    def record(kind: str, rid: int, day: date, no: int, heading: str, pairs: list[tuple[str, Any]]) -> list[Any]:
        """One meeting or activity: its heading kept with its table, a bookmark, then its photos and scans."""
        ev = b.by_record.get((kind, rid), [])
        what = "会议" if kind == "meeting" else "活动"
        return [CondPageBreak(50 * mm),
                Mark(f"{'mt' if kind == 'meeting' else 'act'}-{rid}", outline=(f"{day.isoformat()} {heading}", lv + 1),
                     tick=partial(ticker.step, f"{ch.name}：排版 {what} {day.isoformat()}")),
                st.p(f"（{no}）{chinese_date(day)}　{heading}", st.section),
                _record_table(st, width, [*pairs, ("凭证", "、".join(e.filename for e in ev) or "无")]),
                *photo_grid(st, width, ev, figs), *scan_pages(st, width, ev, figs, scan_box)]

    # 三、会议记录
    story += _section(3, b, ticker, lv)
    story.append(st.p(f"{year}年度会议记录（共 {len(b.meetings)} 次）", st.title))
    for i, m in enumerate(b.meetings, 1):
        body = label_of(MeetingBody, m.body)
        count = f"应到 {fmt_num(m.expected_count)} 人，实到 {fmt_num(m.present_count)} 人" \
            if m.expected_count is not None or m.present_count is not None else "未记录"
        story += record("meeting", m.id or 0, m.date, i, body, [
            ("会议类型", body), ("会议时间", chinese_date(m.date)), ("会议地点", m.place or ""), ("出席情况", count),
            ("参会人员", _attendees(session, m.id or 0) or "未记录"), ("会议议题", m.agenda or "未记录"),
            ("会议决议", m.decisions or "未记录"), ("会议纪要", m.minutes or "未记录")])
    if not b.meetings:
        story.append(st.p("本年度无会议记录。", st.body))

    # 四、活动记录
    story += _section(4, b, ticker, lv)
    story.append(st.p(f"{year}年度活动记录（共 {len(b.activities)} 次）", st.title))
    for i, a in enumerate(b.activities, 1):
        people = f"{fmt_num(a.participant_count)} 人" if a.participant_count is not None else "未记录"
        if a.member_participants is not None:
            people += f"（会员 {a.member_participants} 人）"
        story += record("activity", a.id or 0, a.date, i, a.title, [
            ("活动名称", a.title), ("活动类别", label_of(ActivityCategory, a.category)), ("活动日期", chinese_date(a.date)),
            ("参加人数", people), ("成效", _effect(a) or "—"), ("情况说明", a.notes or "—")])
    if not b.activities:
        story.append(st.p("本年度无活动记录。", st.body))

    # 五、走访联系
    story += _section(5, b, ticker, lv)
    contacts = sorted(list_contacts(session, chamber_id=cid, year=year), key=lambda c: (c.date, c.id or 0))
    cov = coverage(session, cid, year)
    names = dict(session.exec(select(Member.id, Member.enterprise_name)
                              .where(col(Member.id).in_({c.member_id for c in contacts}))).all()) if contacts else {}

    def pct(r: float | None) -> str:
        return "—" if r is None else f"{r * 100:.1f}%"

    story += [st.p(f"{year}年度走访联系记录（共 {len(contacts)} 次）", st.title),
              st.p(f"年末会员 {cov.members} 名：实地走访 {cov.visited} 家（{pct(cov.visited_ratio)}），"
                   f"有联系记录 {cov.contacted} 家（{pct(cov.contacted_ratio)}）。", st.body), Spacer(1, 3 * mm)]
    crows = ([str(i), c.date.isoformat(), names.get(c.member_id, ""), label_of(ContactWay, c.way), c.by_whom or "",
              (c.notes or "").replace("\n", "；")] for i, c in enumerate(contacts, 1))
    cw = [11 * mm, 22 * mm, 0, 18 * mm, 16 * mm, 30 * mm]
    # plain strings where they fit on a line: a year of visits is hundreds of rows
    story += list(_table_chunks(st, ["序号", "日期", "会员企业", "方式", "联系人", "情况"], crows,
                                [w or width - sum(cw) for w in cw], {0, 1, 3, 4}))
    if not contacts:
        story.append(st.p("本年度无走访联系记录。", st.body))

    # 六、考评自查: the 自查表 as printed on its own, then the files attached to rubric items
    story += _section(6, b, ticker, lv)
    if not b.rubrics:
        story.append(st.p("没有可用的考评细则，未附自查表。", st.body))
    if b.rubrics:
        from chamberdesk.rules.assessments import current_results

        for k, r in enumerate(b.rubrics):
            if k:
                story.append(PageBreak())
            try:
                cur = current_results(session, r, year, [cid], as_of=today)[0]
            except ChamberDeskError as exc:  # a standard for other kinds of chamber: say so, bind the rest
                story.append(st.p(f"未附“{r.title}”自查表：{exc}。", st.body))
                continue
            story += [f for f in assessment_story(st, width, cur.rubric, cur.result, year=year, selfcheck=True,
                                                  saved=cur.saved) if not isinstance(f, FormStart)]
    rubric_ev = [*b.by_record.get(("chamber", cid), []),
                 *(e for (kind, _rid), es in b.by_record.items() if kind == "chamber_year_end" for e in es)]
    if rubric_ev:
        story += [CondPageBreak(60 * mm), st.p("考评条目凭证", st.section)]
        story += photo_grid(st, width, rubric_ev, figs) + scan_pages(st, width, rubric_ev, figs, scan_box)

    # 七、凭证索引: every file, where it is in the binder or why it is not
    story += _section(7, b, ticker, lv)
    shown = sum(1 for e in b.evidence if e.embedded)
    story += [st.p("凭证索引", st.title),
              st.p(f"共 {len(b.evidence)} 个凭证文件，收入本汇编 {shown} 个，未收入 {len(b.evidence) - shown} 个"
                   "（原因见“位置”栏）。", st.subtitle), Spacer(1, 3 * mm)]
    irow: list[list[Any]] = [[st.p(h, st.head) for h in ("序号", "文件名", "大小", "所属记录或考评条目", "位置")]]
    for i, e in enumerate(b.evidence, 1):
        where: Any = PageRef(e.key, width=20 * mm) if e.embedded else st.p(e.problem, st.small)
        irow.append([str(i), st.p(e.filename, st.cell), _human(e.size), st.p(e.owner, st.small), where])
    if not b.evidence:
        irow.append(["", st.p("本年度记录未附凭证文件", st.cell), "", "", ""])
    iw = [11 * mm, 45 * mm, 16 * mm, 0, 26 * mm]
    story.append(Table(irow, colWidths=[w or width - sum(iw) for w in iw], repeatRows=1,
                       style=grid_style(st, ("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (2, 1), (2, -1), "CENTER"))))
    story.append(st.p("注：“位置”栏为该文件在本汇编中的页码。", st.small))
    return story


def _human(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / 1024 / 1024:.1f} MB"


# --- the print job ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """reportlab writes streams in ASCII85 by default, a third larger: photos and scans go in as plain JPEG."""
    was = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = was


class Ticker:
    """Progress in units (gathering, then laying out, each chamber's binder), each unit split into the steps
    it announces with `begin`; `check` and every step raise Cancelled once the clerk pressed 取消."""

    SCALE = 100

    def __init__(self, units: int, progress: Progress | None, cancel: Any) -> None:
        self.units, self.progress, self.cancel = max(1, units), progress, cancel
        self.unit, self.steps, self.done = -1, 1, 0

    def check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled()

    def begin(self, steps: int) -> None:
        self.check()
        self.unit, self.steps, self.done = min(self.unit + 1, self.units - 1), max(1, steps), 0

    def step(self, what: str) -> None:
        self.check()
        self.done = min(self.done + 1, self.steps)
        if self.progress:
            at = int((max(self.unit, 0) + self.done / self.steps) * self.SCALE)
            self.progress(min(at, self.units * self.SCALE - 1), self.units * self.SCALE, what)

    def finish(self) -> None:
        if self.progress:
            self.progress(self.units * self.SCALE, self.units * self.SCALE, "完成")



def run_binder(db: Database, req: Any, out: Path, *, progress: Progress | None = None,
               cancel: Any = None) -> list[Path]:
    """Write the binders of `req.targets` (None = every live chamber) for `req.year` and return the files.

    `out` ending in .pdf gets every binder in one file (each its own page numbers and bookmark); a folder
    gets one file per chamber, as does `req.per_file`. Files that could not be embedded are listed in
    each binder's index and in `req.extra["warnings"]`.
    """
    from chamberdesk.core.federation import get_federation
    from chamberdesk.io.pdf.jobs import _chambers, _need, safe_filename

    _need(req, "year")
    year = int(req.year)
    today = req.today or date.today()
    fonts = get_fonts()
    st = make_styles(fonts)
    out = Path(out)
    warnings: list[str] = req.extra.setdefault("warnings", [])
    written: list[Path] = []
    with db.session() as session:
        chambers = _chambers(session, req)
        if not chambers:
            raise ChamberDeskError("没有可汇编的商会")
        fed = get_federation(session)
        unit = fed.name if fed and fed.name else ""
        per_file = req.per_file or out.suffix.lower() != ".pdf"
        probe = FormDoc(io.BytesIO())
        scan_box = (probe.body_width, probe.height - 12 * mm)
        ticker = Ticker(2 * len(chambers), progress, cancel)

        def write(path: Path, group: list[Chamber]) -> None:
            binders = []
            for ch in group:
                b = gather(db, session, ch, year, req.rubric_id, unit, scan_box, ticker)
                warnings.extend(f"{ch.name}：{e.filename} {e.problem}" for e in b.evidence
                                if e.problem and e.kind != "other")
                binders.append(b)
            title = f"{group[0].name}{year}年度台账资料汇编" if len(group) == 1 else f"{year}年度台账资料汇编"
            doc = FormDoc(str(path), title=title)
            story: list[Flowable] = []
            for b in binders:
                if story:
                    story.append(PageBreak())
                story += binder_story(session, st, doc.body_width, b, ticker, top_level=0 if len(group) == 1 else 1,
                                      today=today, scan_box=scan_box)
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with _binary_streams():
                    doc.build(story, canvasmaker=binder_canvas(fonts))
            except BaseException:
                path.unlink(missing_ok=True)
                raise
            written.append(path)

        if per_file:
            if out.suffix.lower() == ".pdf":
                out = out.with_suffix("")
            for ch in chambers:
                write(out / f"{safe_filename(f'{ch.name}{year}年度台账资料汇编')}.pdf", [ch])
        else:
            write(out, chambers)
        ticker.finish()
    return written
