"""Shared page layout for the printed forms: GB/T 9704-style margins and type, numbered pages, blocks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from chamberdesk.core.dates import chinese_date
from chamberdesk.io.pdf.fonts import FontSet, get_fonts

# GB/T 9704-2012: top 37 mm, bottom 35 mm, binding (left) 28 mm, right 26 mm. The footer sits in the bottom margin.
PORTRAIT_MARGINS = (37 * mm, 26 * mm, 35 * mm, 28 * mm)  # top, right, bottom, left
LANDSCAPE_MARGINS = (22 * mm, 15 * mm, 20 * mm, 18 * mm)
GRID = colors.black
HEAD_BG = colors.Color(0.92, 0.92, 0.92)


class Cancelled(Exception):
    """Raised inside a build when the clerk pressed 取消."""


# Chinese line-breaking rules (禁则): closing punctuation never starts a line, opening never ends one.
# reportlab's own CJK wrap knows only part of the list (not ，；：》) and lets a barred mark hang past the
# right edge of a cell, so table text is broken here instead.
CANNOT_START = frozenset("、，。；：？！）」』》〉】〕］｝”’…·％‰℃,.;:?!)]}%> \u3000")
CANNOT_END = frozenset("（「『《〈【〔［｛“‘([{<")


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "._-/")


def _bad_break(before: str, after: str, *, words: bool) -> bool:
    if after in CANNOT_START or before in CANNOT_END:
        return True
    # Figures, dates and file names such as 2025-05-31 or 30000 stay on one line where they can.
    return words and _ascii_word(before) and _ascii_word(after)


def _break_at(chars: list[str], start: int, i: int) -> int:
    """Where the next line should start, given that chars[i] no longer fits on the line begun at start.
    Steps back over barred pairs, keeping figures whole unless one fills the line; punctuation steps back
    at most half a line so a cell never gets a stub line."""
    for words, lowest in ((True, start + 1), (False, max(start + 1, i - max(2, (i - start) // 2)))):
        b = i
        while b > lowest and _bad_break(chars[b - 1], chars[b], words=words):
            b -= 1
        if not _bad_break(chars[b - 1], chars[b], words=words):
            return b
    return i


def kinsoku_split(frags: list[Any], max_widths: Sequence[float], calc_bounds: bool) -> Any:
    """reportlab's character-by-character CJK wrap (cjkFragSplit) with the 禁则 above; lines never overflow."""
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine  # type: ignore[attr-defined]  # reportlab internals
    from reportlab.rl_config import _FUZZ

    glyphs: list[Any] = []
    for f in frags:
        text = f.text.decode("utf8") if isinstance(f.text, bytes) else f.text
        if text:
            glyphs.extend(cjkU(t, f, "utf8") for t in text)
        else:  # a <br/> or an empty run still carries its frag
            glyphs.append(cjkU(text, f, "utf8"))
    lines: list[Any] = []
    n = len(glyphs)
    i = start = 0
    used = 0.0
    max_width = max_widths[0]

    def close(end: int, width: float, line_break: bool) -> None:
        nonlocal max_width
        lines.append(makeCJKParaLine(glyphs[start:end], max_width, width, max_width - width, line_break, calc_bounds))
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]

    while i < n:
        g = glyphs[i]
        if hasattr(g.frag, "lineBreak"):
            close(i + 1, used, True)
            i += 1
            start, used = i, 0.0
            continue
        if used + g.width > max_width + _FUZZ and i > start:
            b = _break_at(glyphs, start, i)
            moved = sum(glyphs[k].width for k in range(b, i))
            close(b, used - moved, False)
            start, used = b, moved
            continue
        used += g.width
        i += 1
    if start < n:
        close(n, used, False)
    return ParaLines(kind=1, lines=lines)


class KinsokuParagraph(Paragraph):
    """A Paragraph whose CJK wrap (wordWrap="CJK") follows the Chinese line-breaking rules."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802, N803 - reportlab API
        widths = maxWidths if isinstance(maxWidths, list | tuple) else [maxWidths]
        if getattr(self, "_splitpara", 0) and hasattr(self, "blPara"):
            return self.blPara  # the second half of a paragraph split across pages keeps its lines
        if (self.bulletText or self.style.endDots or not self.frags
                or any(hasattr(f, "cbDefn") for f in self.frags)):
            return super().breakLinesCJK(maxWidths)
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return kinsoku_split(self.frags, widths, auto not in ("", "off"))


class FormParagraph(KinsokuParagraph):
    """A Paragraph that reuses markup parsing and line breaking for text already laid out in the same
    style and width: a batch prints the same rubric wording for every chamber, and a table wraps each
    cell again when it draws or splits, so most Paragraph time went to repeating identical work."""

    _parsed: dict[tuple[str, int], tuple[Any, ...]] = {}
    _wrapped: dict[tuple[str, int, float], tuple[Any, ...]] = {}
    _styles: dict[int, ParagraphStyle] = {}  # keeps cached styles alive so their ids stay unique
    LIMIT = 20_000

    def __init__(self, text: Any, style: ParagraphStyle | None = None, bulletText: Any = None,  # noqa: N803
                 frags: Any = None, caseSensitive: int = 1, encoding: str = "utf8") -> None:  # noqa: N803
        if frags is not None or bulletText is not None or style is None or not isinstance(text, str):
            super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
            self._cd_key = None
            return
        key = (text, id(style))
        got = self._parsed.get(key)
        if got is None:
            super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
            if len(self._parsed) > self.LIMIT:
                self._parsed.clear()
                self._wrapped.clear()
                self._styles.clear()
            self._styles[id(style)] = style
            self._parsed[key] = (self.text, self.frags, self.style, self.bulletText)
        else:
            self.caseSensitive, self.encoding, self.debug = caseSensitive, encoding, 0
            self.text, self.frags, self.style, self.bulletText = got
        self._cd_key = key

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._cd_key is None:
            return super().wrap(availWidth, availHeight)
        key = (*self._cd_key, availWidth)
        got = self._wrapped.get(key)
        if got is None:
            w, h = super().wrap(availWidth, availHeight)
            self._wrapped[key] = (w, h, self.blPara, self._wrapWidths)  # type: ignore[has-type]  # set by Paragraph.wrap
            return w, h
        self.width, self.height, self.blPara, self._wrapWidths = got
        return self.width, self.height


@dataclass
class Styles:
    fonts: FontSet
    title: ParagraphStyle
    subtitle: ParagraphStyle
    section: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_c: ParagraphStyle
    head: ParagraphStyle
    small: ParagraphStyle
    right: ParagraphStyle

    def p(self, text: object, style: ParagraphStyle | None = None) -> Paragraph:
        st = style or self.body
        return FormParagraph(self.fonts.markup(text, st.fontName), st)

    def ps(self, text: object, style: ParagraphStyle | None = None) -> Paragraph:
        """Paragraph whose newlines become line breaks (minutes, agendas)."""
        st = style or self.body
        return FormParagraph("<br/>".join(self.fonts.markup(line, st.fontName)
                                          for line in str(text or "").splitlines()), st)


def make_styles(fonts: FontSet | None = None, *, cell_size: float = 10.5) -> Styles:
    f = fonts or get_fonts()
    return Styles(
        fonts=f,
        # 2号 (22 pt) 小标宋 title; 3号 (16 pt) 仿宋 body as GB/T 9704 asks; tables in 五号 (10.5 pt) 宋体.
        title=ParagraphStyle("title", fontName=f.title, fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=6),
        subtitle=ParagraphStyle("subtitle", fontName=f.body, fontSize=12, leading=18, alignment=TA_CENTER),
        section=ParagraphStyle("section", fontName=f.heading, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4),
        body=ParagraphStyle("body", fontName=f.body, fontSize=12, leading=20, alignment=TA_LEFT),
        # Table text breaks between any two characters, under the Chinese line-breaking rules (kinsoku_split).
        cell=ParagraphStyle("cell", fontName=f.table, fontSize=cell_size, leading=cell_size * 1.35, wordWrap="CJK"),
        cell_c=ParagraphStyle("cell_c", fontName=f.table, fontSize=cell_size, leading=cell_size * 1.35,
                              alignment=TA_CENTER, wordWrap="CJK"),
        head=ParagraphStyle("head", fontName=f.heading, fontSize=cell_size, leading=cell_size * 1.35,
                            alignment=TA_CENTER, wordWrap="CJK"),
        small=ParagraphStyle("small", fontName=f.table, fontSize=9, leading=13, wordWrap="CJK"),
        right=ParagraphStyle("right", fontName=f.body, fontSize=12, leading=20, alignment=TA_RIGHT),
    )


def grid_style(st: Styles, *extra: tuple, head_rows: int = 1) -> TableStyle:
    cmds: list[tuple] = [
        # Every cell names our font: an empty cell would otherwise pull in the unembedded Helvetica.
        ("FONT", (0, 0), (-1, -1), st.cell.fontName, st.cell.fontSize),
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("BOX", (0, 0), (-1, -1), 1.2, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if head_rows:
        cmds.append(("BACKGROUND", (0, 0), (-1, head_rows - 1), HEAD_BG))
    cmds.extend(extra)
    return TableStyle(cmds)


class FormStart(Flowable):
    """Zero-size marker at the top of each form: gives the pages that follow their own numbering
    and running head, reports progress and lets a batch be cancelled between forms."""

    def __init__(self, key: str, running_head: str, on_form: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.key, self.running_head, self.on_form = key, running_head, on_form
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        c = self.canv
        c._cd_form = (self.key, self.running_head)  # type: ignore[attr-defined]
        if self.on_form:
            self.on_form()


def numbered_canvas(fonts: FontSet) -> type[rl_canvas.Canvas]:
    """A canvas that holds pages back until the end so each form's footer can say `第 x 页 共 y 页`."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kw: Any) -> None:
            if not kw.get("initialFontName"):  # never pull in the unembedded Helvetica
                kw["initialFontName"] = fonts.table
            super().__init__(*args, **kw)
            self._cd_pages: list[tuple[dict, tuple[str, str]]] = []
            self._cd_form = ("", "")

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._cd_pages.append((dict(self.__dict__), self._cd_form))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's Canvas internals

        def save(self) -> None:
            totals: dict[str, int] = {}
            for _, (key, _) in self._cd_pages:
                totals[key] = totals.get(key, 0) + 1
            seen: dict[str, int] = {}
            for state, (key, head) in self._cd_pages:
                self.__dict__.update(state)
                seen[key] = seen.get(key, 0) + 1
                self._cd_decorate(seen[key], totals[key], head)
                super().showPage()
            super().save()

        def _cd_decorate(self, n: int, total: int, head: str) -> None:
            w, h = self._pagesize  # type: ignore[attr-defined]  # reportlab's Canvas internals
            self.saveState()
            self.setFont(fonts.table, 10.5)
            self.drawCentredString(w / 2, 16 * mm, f"第 {n} 页 共 {total} 页")
            if n > 1 and head:
                self.setFont(fonts.table, 9)
                self.setFillColor(colors.Color(0.3, 0.3, 0.3))
                x = 18 * mm if w > h else 28 * mm
                y = h - (14 * mm if w > h else 24 * mm)
                for f, run in fonts.runs(f"{head}（续）", fonts.table):
                    self.setFont(f, 9)
                    self.drawString(x, y, run)
                    x += self.stringWidth(run, f, 9)
            self.restoreState()

    return NumberedCanvas


class FormDoc(BaseDocTemplate):
    """A4 document for one or many forms; landscape for wide ledgers."""

    def __init__(self, out: Any, *, landscape_page: bool = False, title: str = "", author: str = "") -> None:
        size = landscape(A4) if landscape_page else A4
        top, right, bottom, left = LANDSCAPE_MARGINS if landscape_page else PORTRAIT_MARGINS
        super().__init__(out, pagesize=size, topMargin=top, rightMargin=right, bottomMargin=bottom,
                         leftMargin=left, title=title, author=author, creator="ChamberDesk 商会台账")
        frame = Frame(left, bottom, size[0] - left - right, size[1] - top - bottom, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    @property
    def body_width(self) -> float:
        return self.width


def build(doc: FormDoc, story: list[Flowable], fonts: FontSet) -> None:
    doc.build(story, canvasmaker=numbered_canvas(fonts))




def blank_date() -> str:
    return "　　　　年　　月　　日"


def signature_block(st: Styles, width: float, labels: Sequence[str], *, seal: str = "单位（盖章）",
                    when: date | None = None) -> Table:
    """Signature lines (考评人 / 审核人 …) on the left and the seal and date block on the right."""
    sign = [[st.p(f"{lab}（签字）：", st.body), ""] for lab in labels]
    left: Flowable = Spacer(1, 1) if not sign else Table(sign, colWidths=[36 * mm, width * 0.5 - 36 * mm], rowHeights=[12 * mm] * len(sign),
                 style=TableStyle([("FONT", (0, 0), (-1, -1), st.cell.fontName), ("LINEBELOW", (1, 0), (1, -1), 0.6, GRID), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    right = Table([[st.p(seal, st.right)], [Spacer(1, 8 * mm)], [st.p(chinese_date(when) if when else blank_date(), st.right)]],
                  colWidths=[width * 0.45], style=TableStyle([("FONT", (0, 0), (-1, -1), st.cell.fontName), ("RIGHTPADDING", (0, 0), (-1, -1), 6 * mm)]))
    return Table([[left, right]], colWidths=[width * 0.52, width * 0.48],
                 style=TableStyle([("FONT", (0, 0), (-1, -1), st.cell.fontName), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))


def kv_table(st: Styles, width: float, pairs: Sequence[tuple[str, object]], *, per_row: int = 2) -> Table:
    """A bordered label/value grid (基本情况), `per_row` pairs to a row."""
    rows: list[list[Any]] = []
    for i in range(0, len(pairs), per_row):
        row: list[Any] = []
        for lab, val in pairs[i:i + per_row]:
            row += [st.p(lab, st.head), st.p("" if val is None else val, st.cell)]
        while len(row) < per_row * 2:
            row += ["", ""]
        rows.append(row)
    lw = 28 * mm
    vw = (width - per_row * lw) / per_row
    style = grid_style(st, head_rows=0)
    for k in range(per_row):
        style.add("BACKGROUND", (2 * k, 0), (2 * k, -1), HEAD_BG)
    return Table(rows, colWidths=[lw, vw] * per_row, style=style)


def fmt_num(v: object, digits: int = 1) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return f"{v:.{digits}f}".rstrip("0").rstrip(".")
    return str(v)
