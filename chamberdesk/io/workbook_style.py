"""Workbooks that look like the forms offices print, written fast with openpyxl's write-only mode.

Layout of every sheet: a merged title row, the unit-and-date line, the (frozen, repeated on each
printed page) header, then bordered rows; A4 landscape, fit to width. Speed: openpyxl's append
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


def is_dangerous(text: str) -> bool:
    return text.startswith(DANGEROUS_FIRST)


def text_width(value: Any) -> float:
    """Column width units a value needs: a Chinese character is about two Latin ones."""
    s = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    longest = max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) for line in s.split("\n")), default=0)
    return longest * 1.1 + 2


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


class FormWriter:
    """One sheet laid out as a form. Call `row()` per data row, `total()` for a totals line, then `save()`.

    `columns`: header titles; `formats`: per column one of FORMATS' keys (None = general).
    `header_groups`: optional upper header level as (title, first column, last column) spans.
    """

    def __init__(self, title: str, columns: Sequence[str], *, unit_line: str = "", widths: Sequence[float] | None = None,
                 formats: Sequence[str | None] | None = None, sheet_name: str | None = None, wb: Workbook | None = None,
                 header_groups: Sequence[tuple[str, int, int]] | None = None, landscape: bool = True) -> None:
        self.wb = wb or new_workbook()
        self.ws = self.wb.create_sheet(title=_sheet_title(sheet_name or title))
        self.ncols = len(columns)
        self.formats = list(formats or [None] * self.ncols) + [None] * self.ncols
        ws = self.ws
        widths = list(widths or [max(text_width(c), 8) for c in columns])
        for i, w in enumerate(widths[: self.ncols], start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(max(w, 4), 60)
        last = get_column_letter(max(self.ncols, 1))
        header_rows = 2 if header_groups else 1
        first_header = 3
        ws.freeze_panes = f"A{first_header + header_rows}"
        ws.print_title_rows = f"{first_header}:{first_header + header_rows - 1}"
        ps = ws.page_setup
        ps.paperSize = 9  # A4
        ps.orientation = "landscape" if landscape else "portrait"
        ps.fitToWidth = 1
        ps.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        self._body = self._cell("", )
        self._body_date = self._cell("", fmt="yyyy-mm-dd")
        ws._values_to_row = self._values_to_row  # see the module docstring
        ws.merged_cells.add(f"A1:{last}1")
        ws.merged_cells.add(f"A2:{last}2")
        # heights must be set before a row is written: write-only rows cannot be changed afterwards
        ws.row_dimensions[1].height = 30
        ws.row_dimensions[first_header].height = 22 if header_groups else 30
        if header_groups:
            ws.row_dimensions[first_header + 1].height = 48
        self._append([self._cell(title, font=TITLE_FONT, align="center", border=False)])
        unit = unit_line or ""
        self._append([self._cell(unit, font=UNIT_FONT, align="left", border=False)])
        if header_groups:
            top: list[Any] = [None] * self.ncols
            covered: set[int] = set()
            for text, c0, c1 in header_groups:
                for c in range(c0, c1 + 1):
                    covered.add(c)
                    top[c] = self._header_cell(text if c == c0 else "")
                if c1 > c0:
                    ws.merged_cells.add(f"{get_column_letter(c0 + 1)}{first_header}:{get_column_letter(c1 + 1)}{first_header}")
            for c in range(self.ncols):
                if c not in covered:
                    top[c] = self._header_cell(columns[c])
                    ws.merged_cells.add(f"{get_column_letter(c + 1)}{first_header}:{get_column_letter(c + 1)}{first_header + 1}")
            self._append(top)
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

    def _append(self, cells: list[Any]) -> None:
        self.ws.append(cells)

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

    def row(self, values: Iterable[Any]) -> None:
        """A data row: plain values take the bordered default format; numbers and risky text get their own cells."""
        out: list[Any] = []
        for i, v in enumerate(values):
            fmt = self.formats[i]
            if v is None:
                out.append(None)
            elif isinstance(v, str):
                out.append(self._cell(v) if v and is_dangerous(v) else v)
            elif isinstance(v, bool):
                out.append("是" if v else "否")
            elif isinstance(v, (int, float)):
                out.append(self._cell(v, fmt=FORMATS.get(fmt or "") or ("0" if isinstance(v, int) else "0.00")))
            elif isinstance(v, datetime):
                out.append(self._cell(v, fmt="yyyy-mm-dd hh:mm"))
            elif isinstance(v, date):
                out.append(v)
            else:
                out.append(str(v))
        out += [None] * (self.ncols - len(out))
        self._append(out)
        self.rows_written += 1

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
        """A line under the table (signatures, notes) without borders."""
        self._append([self._cell(text, border=False)])

    def save(self, path: Path | str) -> None:
        """Write beside the target, then rename: a failed save (disk full, USB pulled) never leaves
        the clerk's earlier file at that name broken."""
        path = Path(path)
        part = path.with_name(path.name + ".part")
        try:
            self.wb.save(str(part))
            os.replace(part, path)
        except BaseException:
            close_sheets(self.wb)
            raise
        finally:
            part.unlink(missing_ok=True)


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
