"""Workbooks that look like the forms offices print, written fast with openpyxl's write-only mode.

Layout of every sheet: a merged title row, the unit-and-date line, the (frozen, repeated on each
printed page) header, then bordered rows; A4 landscape, fit to width. A form with long texts wraps
them and sizes each row to its text (row heights are set as the rows are written, so Excel, WPS and
LibreOffice print the same); a table too wide for one page is split into column groups at 100 %,
each page repeating the header rows and the first columns. Speed: openpyxl's append
wants a new Cell object per styled value and pays an exception for each; each sheet here instead
feeds its rows through one reused, already styled cell per format, which costs no more than an
unstyled write.

Any text that Excel would run as a formula (= + - @, tab, CR first) is written as text with a
quote prefix, never as a formula.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

FONT_NAME = "宋体"  # present on every Chinese Windows; WPS and LibreOffice substitute cleanly
DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BODY_FONT = Font(name=FONT_NAME, size=10)
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
UNIT_FONT = Font(name=FONT_NAME, size=10)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
TOTAL_FONT = Font(name=FONT_NAME, size=10, bold=True)

FORMATS = {"int": "0", "float": "#,##0.00", "pct": "0.0%", "date": "yyyy-mm-dd", "text": "@", "amount": "#,##0.00"}
LINE_HEIGHT = 13.5  # points per line of 10 pt 宋体, as Excel and WPS space it
DEFAULT_ROW_HEIGHT = 14.25  # a row whose height is not set
A4 = (9, 210, 297)  # paperSize code, short and long side in mm
SIDE_MARGIN_IN = 0.4
# Printed width of one column width unit. Excel and WPS draw it about 1.9 mm wide, LibreOffice about
# 2.47 mm (measured on a converted sheet); pages are planned with the wider one so they fit in all three.
MM_PER_UNIT = 2.47


def column_pages(widths: Sequence[float], page_units: float, title_columns: int = 0,
                 preferred: Sequence[int] = ()) -> list[int]:
    """Where to break a table's columns so each printed page holds what fits at 100 % (the first
    `title_columns` repeat on every page): the columns each later page starts with. A break falls on
    a `preferred` column (a header group's first) when one is on the page, else where the page is full."""
    breaks: list[int] = []
    start = title_columns
    used = sum(widths[:title_columns])
    for c in range(title_columns, len(widths)):
        if used + widths[c] > page_units and c > start:
            candidates = [p for p in preferred if start < p <= c]
            cut = max(candidates) if candidates else c
            breaks.append(cut)
            start = cut
            used = sum(widths[:title_columns]) + sum(widths[cut:c])
        used += widths[c]
    return breaks


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_FIRST)


def _units(line: str) -> int:
    """Width of a line in column units: a Chinese character is about two Latin ones."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in line)


def text_width(value: Any) -> float:
    """Column width units a value needs on one line."""
    s = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    longest = max((_units(line) for line in s.split("\n")), default=0)
    return longest * 1.1 + 2


def wrapped_lines(value: Any, width: float) -> int:
    """Lines a text takes when wrapped in a column `width` units wide, as Excel and WPS wrap it."""
    if value is None or isinstance(value, (int, float, date, datetime)):
        return 1
    # Excel draws a width-w column 7w+5 pixels wide and a 10 pt Chinese character 13.3 pixels: about w/2
    # characters, less the cell's padding, fit on a line
    room = max(width - 0.5, 2)
    # ceiling division; `room` is a float, so the quotient is one too: counted as a whole number of lines
    return sum(max(1, int(-(-_units(line) // room))) for line in str(value).split("\n"))


def lines_height(lines: int) -> float:
    return lines * LINE_HEIGHT + 4


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


class FormWriter:
    """One sheet laid out as a form. Call `row()` per data row, `total()` for a totals line, then `save()`.

    `columns`: header titles; `formats`: per column one of FORMATS' keys (None = general).
    `header_groups`: optional upper header level as (title, first column, last column) spans.
    `wrap`: text cells wrap, and each row is as tall as its longest text (for forms with sentences in cells).
    `split`: print at 100 %, breaking the columns into pages (at header groups where possible) and
    repeating the first `title_columns` columns on every page — for a table too wide to fit one page
    legibly; without it the sheet is fitted to the page width. Paper: A4.
    """

    def __init__(self, title: str, columns: Sequence[str], *, unit_line: str = "", widths: Sequence[float] | None = None,
                 formats: Sequence[str | None] | None = None, sheet_name: str | None = None, wb: Workbook | None = None,
                 header_groups: Sequence[tuple[str, int, int]] | None = None, landscape: bool = True,
                 wrap: bool = False, split: bool = False, title_columns: int = 0) -> None:
        self.wb = wb or new_workbook()
        self.ws = self.wb.create_sheet(title=_sheet_title(sheet_name or title))
        self.ncols = len(columns)
        self.formats = list(formats or [None] * self.ncols) + [None] * self.ncols
        self.wrap = wrap
        ws = self.ws
        widths = [min(max(w, 4), 60) for w in (widths or [max(text_width(c), 8) for c in columns])][: self.ncols]
        self.widths = widths
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        code, short, long = A4
        page_units = ((long if landscape else short) - 2 * SIDE_MARGIN_IN * 25.4) / MM_PER_UNIT * 0.95
        self.page_breaks = column_pages(widths, page_units, title_columns,
                                        [c0 for _t, c0, _c1 in header_groups or ()]) if split else []
        # notes and signatures stay on the first printed page; when the columns are split they also start
        # after the repeated columns, which would otherwise print a clipped piece of them on every page
        span = self.span = self.page_breaks[0] if self.page_breaks else self.ncols
        self.note_start = title_columns if self.page_breaks else 0
        last = get_column_letter(max(span, 1))
        header_rows = 2 if header_groups else 1
        first_header = 3
        self.next_row = 1
        ws.freeze_panes = f"{get_column_letter(title_columns + 1)}{first_header + header_rows}"
        ws.print_title_rows = f"{first_header}:{first_header + header_rows - 1}"
        ps = ws.page_setup
        ps.paperSize = code
        ps.orientation = "landscape" if landscape else "portrait"
        if split:
            ps.scale = 100
            for c in self.page_breaks:
                ws.col_breaks.append(Break(id=c))
            if title_columns:
                ws.print_title_cols = f"A:{get_column_letter(title_columns)}"
            # The title prints as the page header of every page (each page of a split table says what it is);
            # row 1 stays on screen but out of the print area (see save()). No line break in the header:
            # LibreOffice prints openpyxl's escaped one as "_x000a_".
            ws.oddHeader.center.text = _header_text(title)
            ws.oddHeader.center.font = f"{FONT_NAME},Bold"
            ws.oddHeader.center.size = 14
        else:
            ps.fitToWidth = 1
            ps.fitToHeight = 0
            ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
            ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN_IN
        ws.page_margins.top = 1.0 if self.page_breaks else 0.6
        ws.page_margins.bottom = 0.6
        # printable height at 100 % (Excel and WPS print these rows unscaled), less a little for rounding
        self._page_height = ((short if landscape else long) / 25.4 - ws.page_margins.top - ws.page_margins.bottom) * 72 - 12
        self._page_used = 0.0
        self._header_height = 0.0
        self._last_header_row = first_header + header_rows - 1
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        self._body = self._cell("", wrap=wrap)
        self._body_date = self._cell("", fmt="yyyy-mm-dd")
        ws._values_to_row = self._values_to_row  # see the module docstring
        ws.merged_cells.add(f"A1:{last}1")
        ws.merged_cells.add(f"{get_column_letter(self.note_start + 1)}2:{last}2")
        # heights must be set before a row is written: write-only rows cannot be changed afterwards
        ws.row_dimensions[1].height = 30
        title_width = sum(widths[self.note_start:span])
        ws.row_dimensions[2].height = lines_height(wrapped_lines(unit_line, title_width))
        self._title_heights = [ws.row_dimensions[1].height, ws.row_dimensions[2].height]
        covered = {c for _t, c0, c1 in header_groups or () for c in range(c0, c1 + 1)}
        # a title spanning both header rows has both rows' height; a grouped title only the lower one
        need = [lines_height(wrapped_lines(columns[c], widths[c])) for c in range(self.ncols)]
        if header_groups:
            top = max([LINE_HEIGHT + 8] + [lines_height(wrapped_lines(t, sum(widths[c0:c1 + 1])))
                                            for t, c0, c1 in header_groups])
            lower = max([LINE_HEIGHT + 8] + [need[c] for c in covered]
                        + [need[c] - top for c in range(self.ncols) if c not in covered])
            ws.row_dimensions[first_header].height = top
            ws.row_dimensions[first_header + 1].height = lower
        else:
            ws.row_dimensions[first_header].height = max([30.0, *need])
        self._append([self._cell(title, font=TITLE_FONT, align="center", border=False)])
        unit = unit_line or ""
        self._append([*(self._blank() for _ in range(self.note_start)),
                      self._cell(unit, font=UNIT_FONT, align="left", border=False, wrap=True)])
        if header_groups:
            top_cells: list[Any] = [None] * self.ncols
            for text, c0, c1 in header_groups:
                for c in range(c0, c1 + 1):
                    top_cells[c] = self._header_cell(text if c == c0 else "")
                if c1 > c0:
                    ws.merged_cells.add(f"{get_column_letter(c0 + 1)}{first_header}:{get_column_letter(c1 + 1)}{first_header}")
            for c in range(self.ncols):
                if c not in covered:
                    top_cells[c] = self._header_cell(columns[c])
                    ws.merged_cells.add(f"{get_column_letter(c + 1)}{first_header}:{get_column_letter(c + 1)}{first_header + 1}")
            self._append(top_cells)
            self._append([self._header_cell(columns[c] if c in covered else "") for c in range(self.ncols)])
        else:
            self._append([self._header_cell(c) for c in columns])
        self.rows_written = 0

    # --- cells ---------------------------------------------------------------------------------
    def _cell(self, value: Any, *, font: Font | None = None, align: str | None = None, border: bool = True,
              fmt: str | None = None, fill: PatternFill | None = None, wrap: bool = False) -> Cell:
        c = WriteOnlyCell(self.ws, value)
        if isinstance(value, str) and is_dangerous(value):
            c.data_type = "s"
            c.quotePrefix = True
        if border:
            c.border = BORDER
        c.font = font or BODY_FONT
        if align or wrap:
            c.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
        if fmt:
            c.number_format = fmt
        if fill is not None:
            c.fill = fill
        return c

    def _header_cell(self, text: str) -> Cell:
        return self._cell(text, font=HEADER_FONT, align="center", fill=HEADER_FILL, wrap=True)

    def _append(self, cells: list[Any]) -> int:
        """Write the next row; returns its number."""
        self.ws.append(cells)
        height = self.ws.row_dimensions[self.next_row].height if self.next_row in self.ws.row_dimensions else None
        self._page_used += height or DEFAULT_ROW_HEIGHT
        if self.next_row == self._last_header_row:
            self._header_height = self._page_used - sum(self._title_heights)
        self.next_row += 1
        return self.next_row - 1

    def row_height(self, values: Sequence[Any]) -> float:
        """The height row() gives these values."""
        if self.wrap:
            lines = max((wrapped_lines(v, w) for v, w in zip(values, self.widths, strict=False)), default=1)
            if lines > 1:
                return lines_height(lines)
        return DEFAULT_ROW_HEIGHT

    def _fit_height(self, values: Sequence[Any]) -> None:
        """Give the row about to be written the height of its longest wrapped text (write-only rows are
        sized before they are written)."""
        height = self.row_height(values)
        if height != DEFAULT_ROW_HEIGHT:
            self.ws.row_dimensions[self.next_row].height = height

    def keep_together(self, height: float) -> None:
        """Start a new printed page here unless `height` points still fit on this one (a group of rows, or
        the last rows with the signatures, never split from each other); the header rows repeat there."""
        if self._page_used + height > self._page_height and self._page_used > self._header_height + 1:
            self.ws.row_breaks.append(Break(id=self.next_row - 1))
            self._page_used = self._header_height

    def _values_to_row(self, values: list[Any], row_idx: int):
        """Replaces the worksheet's own: plain values go out through the reused body cells."""
        body, body_date = self._body, self._body_date
        for col_idx, v in enumerate(values, 1):
            if isinstance(v, Cell):
                cell = v
            elif isinstance(v, date):
                cell = body_date
                cell._value = v  # type: ignore[attr-defined]  # a date needs none of the setter's checks
                cell.data_type = "d"
            else:
                cell = body
                cell.value = v  # strings are checked for illegal characters here
            cell.column = col_idx
            cell.row = row_idx
            yield cell

    def row(self, values: Iterable[Any]) -> int:
        """A data row: plain values take the bordered default format; numbers and risky text get their own cells.
        Returns the row's number (for merging cells later)."""
        values = list(values)
        self._fit_height(values)
        out: list[Any] = []
        for i, v in enumerate(values):
            fmt = self.formats[i]
            if v is None:
                out.append(None)
            elif isinstance(v, str):
                out.append(self._cell(v, wrap=self.wrap) if v and is_dangerous(v) else v)
            elif isinstance(v, bool):
                out.append("是" if v else "否")
            elif isinstance(v, (int, float)):
                out.append(self._cell(v, fmt=FORMATS.get(fmt or "") or ("0" if isinstance(v, int) else "0.00"),
                                      align="center" if self.wrap else None))
            elif isinstance(v, datetime):
                out.append(self._cell(v, fmt="yyyy-mm-dd hh:mm"))
            elif isinstance(v, date):
                out.append(v)
            else:
                out.append(str(v))
        out += [None] * (self.ncols - len(out))
        self.rows_written += 1
        return self._append(out)

    def merge_down(self, column: int, first_row: int, last_row: int) -> None:
        """Merge one column's cells over rows first_row..last_row (a category written once beside its items)."""
        if last_row > first_row:
            letter = get_column_letter(column + 1)
            self.ws.merged_cells.add(f"{letter}{first_row}:{letter}{last_row}")

    def text_row(self, values: Iterable[Any]) -> None:
        """The fast path for big ledgers: every value is text, a date, a whole number (序号) or empty.
        A 序号 goes out as a number: WPS and Excel flag digits stored as text with a warning triangle."""
        self._append([self._cell(v) if isinstance(v, str) and v and v[0] in "=+-@\t\r" else v for v in values])
        self.rows_written += 1

    def total(self, values: Iterable[Any]) -> None:
        out = []
        for i, v in enumerate(values):
            fmt = FORMATS.get(self.formats[i] or "")
            if isinstance(v, float) and fmt is None:
                fmt = "0.00"
            out.append(self._cell("" if v is None else v, font=TOTAL_FONT, fmt=fmt))
        self._append(out)
        self.rows_written += 1

    def note(self, text: str) -> None:
        """A line under the table (signatures, notes) without borders, wrapped over the (first page's) width."""
        start = self.note_start
        lines = wrapped_lines(text, sum(self.widths[start: self.span]))
        lead = [self._blank() for _ in range(start)]
        if lines > 1 or self.wrap or start:
            self.ws.row_dimensions[self.next_row].height = lines_height(lines)
            self.ws.merged_cells.add(f"{get_column_letter(start + 1)}{self.next_row}:"
                                     f"{get_column_letter(self.span)}{self.next_row}")
            self._append([*lead, self._cell(text, border=False, wrap=True, align="left")])
        else:
            self._append([self._cell(text, border=False)])

    def _blank(self) -> Cell:
        return self._cell(None, border=False)

    def spread(self, labels: Sequence[str]) -> list[tuple[str, int, int]]:
        """(label, first column, last column) laying the labels along the first printed page, each given
        room for its words and a signature; the last one takes what is left."""
        widths = self.widths[: self.span]
        parts: list[tuple[str, int, int]] = []
        c0 = self.note_start
        for i, label in enumerate(labels):
            later = len(labels) - i - 1  # labels still to place, a column each at least
            need = text_width(label) + 8
            c1, used = c0, widths[c0]
            while used < need and c1 + 1 < len(widths) - later:
                c1 += 1
                used += widths[c1]
            if not later:
                c1 = len(widths) - 1
            parts.append((label, c0, c1))
            c0 = c1 + 1
        return parts

    def signatures(self, parts: Sequence[tuple[str, int, int]], *, space: float = 30) -> None:
        """The signing line under a form: (label, first column, last column) per part, e.g. 填报单位（盖章）,
        负责人, 填表人, 日期; a blank row above leaves room for the seal."""
        self.ws.row_dimensions[self.next_row].height = space
        self._append([self._blank()])
        self.ws.row_dimensions[self.next_row].height = 24
        cells: list[Any] = [self._blank() for _ in range(self.ncols)]
        for text, c0, c1 in parts:
            cells[c0] = self._cell(text, border=False, align="left")
            if c1 > c0:
                self.ws.merged_cells.add(f"{get_column_letter(c0 + 1)}{self.next_row}:"
                                         f"{get_column_letter(c1 + 1)}{self.next_row}")
        self._append(cells)

    def save(self, path: Path | str) -> None:
        """Write beside the target, then rename: a failed save (disk full, USB pulled) never leaves
        the clerk's earlier file at that name broken."""
        path = Path(path)
        if self.page_breaks:
            self.ws.print_area = f"A2:{get_column_letter(self.ncols)}{self.next_row - 1}"
        part = path.with_name(path.name + ".part")
        try:
            self.wb.save(str(part))
            os.replace(part, path)
        except BaseException:
            close_sheets(self.wb)
            raise
        finally:
            part.unlink(missing_ok=True)


def _header_text(text: str) -> str:
    """Text for a page header: & starts a header code, so a literal one is doubled."""
    return text.replace("&", "&&")
def close_sheets(wb: Workbook) -> None:
    """After a failed save: write-only sheets still stream into open temporary files. Close them, or the
    handles stay open (Windows cannot delete the files) and their writers raise when collected."""
    for ws in wb.worksheets:
        if getattr(ws, "closed", True):  # an ordinary sheet has nothing open
            continue
        with contextlib.suppress(Exception):  # the save already failed: that error is the one to report
            ws.close()


def _sheet_title(name: str) -> str:
    bad = '[]:*?/\\'
    clean = "".join("_" if ch in bad else ch for ch in name)
    return clean[:31] or "Sheet"
