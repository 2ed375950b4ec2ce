"""Load the office-sheet corpus and write its cases as real .xlsx/.csv files.

Each JSON file in ``dev/`` or ``holdout/`` is one sheet as an office keeps it (see README.md for the
format and where the wording comes from). Only openpyxl and the standard library are used, so the
bench and the tests can build the files anywhere.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
PARTS = ("dev", "holdout")
FORMATS = {"xlsx": None, "csv-utf8": "utf-8", "csv-utf8-bom": "utf-8-sig", "csv-gb18030": "gb18030"}

Cell = str | int | float | None
Expected = str | list[str]


@dataclass(frozen=True)
class Case:
    path: Path  # the JSON file the case was read from
    kind: str  # members | chambers | meetings | activities | contacts
    rows: list[list[Cell]]
    merged: list[str]  # A1-style ranges, e.g. "A3:A4"
    header_rows: list[int]  # 0-based
    data_rows: int
    expected: list[Expected]  # one entry per header column
    format: str  # a key of FORMATS
    sheet_name: str
    style: str

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def width(self) -> int:
        """Columns of the header: the widest header row."""
        return max(len(self.rows[i]) for i in self.header_rows)

    @property
    def suffix(self) -> str:
        return ".xlsx" if self.format == "xlsx" else ".csv"


def load_case(path: Path) -> Case:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Case(
        path=path,
        kind=data["kind"],
        rows=data["rows"],
        merged=data.get("merged", []),
        header_rows=data["header_rows"],
        data_rows=data["data_rows"],
        expected=data["expected"],
        format=data["format"],
        sheet_name=data.get("sheet_name", "Sheet1"),
        style=data["style"],
    )


def load_cases(part: str) -> list[Case]:
    """All cases of one part (``dev`` or ``holdout``), sorted by file name."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    return [load_case(p) for p in sorted((HERE / part).glob("*.json"))]


def _fill_sheet(ws: Worksheet, case: Case) -> None:
    for row in case.rows:
        ws.append(row)
    for rng in case.merged:
        ws.merge_cells(rng)
    # Widths and centred, wrapped headers as an office leaves them; values are untouched.
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i in case.header_rows:
        for cell in ws[i + 1]:
            cell.alignment = centre
    for j in range(case.width):
        texts = [str(r[j]) for r in case.rows[case.header_rows[0] :] if j < len(r) and r[j] is not None]
        longest = max((max(len(t) for t in s.split("\n")) for s in texts), default=2)
        ws.column_dimensions[get_column_letter(j + 1)].width = min(3 + 1.6 * longest, 30)


def write_case(case: Case, folder: Path) -> Path:
    """Write the case as the file an office would hand over: .xlsx (merged ranges kept) or .csv."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{case.name}{case.suffix}"
    if case.format == "xlsx":
        wb = Workbook()
        ws = wb.active
        ws.title = case.sheet_name
        _fill_sheet(ws, case)
        wb.save(target)
        wb.close()
        return target
    encoding = FORMATS[case.format]
    with open(target, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        for row in case.rows:
            writer.writerow(["" if v is None else v for v in row])
    return target


def write_workbook(cases: list[Case], path: Path) -> Path:
    """Several cases as the sheets of one .xlsx (a county's whole workbook), in the given order.

    Sheet names are the cases' own, made unique with a number when two cases share one (Excel
    compares names case-insensitively and allows 31 characters).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for case in cases:
        base = case.sheet_name[:28]
        title, n = base, 1
        while title.lower() in used:
            n += 1
            title = f"{base}({n})"
        used.add(title.lower())
        _fill_sheet(wb.create_sheet(title), case)
    wb.save(path)
    wb.close()
    return path
