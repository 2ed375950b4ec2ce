"""Every sheet of the import corpus is well-formed: what it expects fits its header, its codes are
valid, its declared data rows are there, and the files written from it read back cell for cell."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from corpus.build import FORMATS, PARTS, Case, load_cases, write_case, write_workbook
from openpyxl.utils.cell import range_boundaries

from chamberdesk.core.validators import normalize_credit_code
from chamberdesk.io.mappings import KINDS

# Added to the member kind this session (see the corpus README).
NEW_MEMBER_FIELDS = {"address", "registered_capital", "employee_count"}
SPECIAL = {"_ignore", "_custom"}
# Rows under the data that are not records: totals, signatures, notes.
FOOTER = re.compile(
    r"^\s*(合\s*计|小计|总计|共计|填表|填報|填报|审核|審核|制表|製表|单位负责人|單位負責人|注|註|说明|說明|记录人|記錄人|秘书长签字|秘書長簽字)"
)

ALL = [(part, case) for part in PARTS for case in load_cases(part)]
IDS = [f"{part}/{case.name}" for part, case in ALL]


def fields_of(kind: str) -> set[str]:
    names = {f.name for f in KINDS[kind]}
    return names | NEW_MEMBER_FIELDS if kind == "members" else names


def answers(entry) -> list[str]:
    return entry if isinstance(entry, list) else [entry]


def data_like_rows(case: Case) -> int:
    """Rows after the header with two or more filled cells that are not a total or a footer line."""
    n = 0
    for row in case.rows[max(case.header_rows) + 1 :]:
        filled = [v for v in row if v not in (None, "")]
        if len(filled) < 2:
            continue
        if isinstance(filled[0], str) and FOOTER.match(filled[0]):
            continue
        n += 1
    return n


def test_corpus_size_and_split():
    dev, holdout = load_cases("dev"), load_cases("holdout")
    assert len(dev) + len(holdout) >= 50
    for part in (dev, holdout):
        assert {c.kind for c in part} == set(KINDS), "every kind is in both parts"
        assert {c.format for c in part} >= {"xlsx", "csv-gb18030"}
    # The first split was about 60 / 40; holdout batches and dev sheets by later authors (see README) moved
    # it both ways. The holdout is scored batch by batch (each batch whole, see below): four batches of 20 sheets
    # and at least 12 % of all sheets (dev grew with each new author's batch, scored once before tuning, as a
    # fresh measure of its own); dev at least 30 %.
    share = len(dev) / (len(dev) + len(holdout))
    assert share >= 0.3 and 1 - share >= 0.12 and len(holdout) >= 80


def header_texts(cases: list[Case]) -> set[str]:
    """Header cells without white space, full-width forms folded (（万元） and (万元) are one wording)."""
    out = set()
    for c in cases:
        for i in c.header_rows:
            out |= {unicodedata.normalize("NFKC", re.sub(r"\s+", "", str(v))) for v in c.rows[i] if v not in (None, "")}
    return out


def test_holdout_wording_not_in_dev():
    # 序号 is on nearly every sheet; every other header text of the holdout is new to dev.
    shared = header_texts(load_cases("dev")) & header_texts(load_cases("holdout"))
    assert shared <= {"序号"}, sorted(shared)


@pytest.mark.parametrize(("part", "case"), ALL, ids=IDS)
def test_case_is_well_formed(part, case: Case):
    assert case.kind in KINDS
    assert case.format in FORMATS
    assert case.style.strip()
    assert case.header_rows == sorted(case.header_rows) and len(case.header_rows) in (1, 2)
    assert all(0 <= i < len(case.rows) for i in case.header_rows)
    assert len(case.expected) == case.width, "one expected entry per header column"
    valid = fields_of(case.kind) | SPECIAL
    for entry in case.expected:
        assert answers(entry), "an empty list of answers"
        assert set(answers(entry)) <= valid, f"unknown field in {entry!r}"
    # A header column with a title somewhere in its header rows, or a deliberately blank spacer.
    for j, entry in enumerate(case.expected):
        titled = any(j < len(case.rows[i]) and case.rows[i][j] not in (None, "") for i in case.header_rows)
        assert titled or entry == "_ignore", f"column {j + 1} has no title but expects {entry!r}"
    # Required fields the sheet carries are each expected in one column at most.
    firm = [e for e in case.expected if isinstance(e, str) and e not in SPECIAL]
    assert len(firm) == len(set(firm)), "two columns expect the same field"
    assert 5 <= case.data_rows <= 30
    assert data_like_rows(case) == case.data_rows
    if case.format != "xlsx":
        assert case.merged == [], "a CSV has no merged cells"
    for rng in case.merged:
        min_col, min_row, max_col, max_row = range_boundaries(rng)
        assert max_row <= len(case.rows)


def code_columns(case: Case) -> list[int]:
    return [j for j, e in enumerate(case.expected) if "credit_code" in answers(e)]


WITH_CODES = [(part, case) for part, case in ALL if code_columns(case)]


@pytest.mark.parametrize(("part", "case"), WITH_CODES, ids=[f"{p}/{c.name}" for p, c in WITH_CODES])
def test_credit_codes_are_valid(part, case: Case):
    columns = code_columns(case)
    first = max(case.header_rows) + 1
    seen = 0
    for row in case.rows[first:]:
        for j in columns:
            v = row[j] if j < len(row) else None
            if isinstance(v, str) and re.fullmatch(r"[0-9A-Z]{18}", v):
                assert normalize_credit_code(v) == v
                seen += 1
    assert seen >= case.data_rows // 2


def as_read(value):
    """A cell as a CSV gives it back: text, empty for nothing."""
    return "" if value is None else str(value)


@pytest.mark.parametrize(("part", "case"), ALL, ids=IDS)
def test_written_file_reads_back(part, case: Case, tmp_path):
    path = write_case(case, tmp_path)
    assert path.suffix == case.suffix
    if case.format == "xlsx":
        wb = openpyxl.load_workbook(path)
        try:
            ws = wb[case.sheet_name]
            assert sorted(str(r) for r in ws.merged_cells.ranges) == sorted(case.merged)
            for r, row in enumerate(case.rows, start=1):
                got = [ws.cell(r, c).value for c in range(1, len(row) + 1)]
                assert got == row, f"row {r}"
        finally:
            wb.close()
    else:
        encoding = FORMATS[case.format]
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") == (case.format == "csv-utf8-bom")
        with open(path, encoding=encoding, newline="") as fh:
            got = list(csv.reader(fh))
        assert got == [[as_read(v) for v in row] for row in case.rows]


def test_workbook_of_several_cases(tmp_path):
    kinds = {}
    for case in load_cases("dev"):
        if case.format == "xlsx":
            kinds.setdefault(case.kind, case)
    cases = list(kinds.values()) + [kinds["members"]]  # the same sheet twice: names made unique
    path = write_workbook(cases, tmp_path / "县工商联台账.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        assert len(wb.sheetnames) == len(cases) == len({n.lower() for n in wb.sheetnames})
        for name, case in zip(wb.sheetnames, cases, strict=True):
            got = [list(r) for r in wb[name].iter_rows(values_only=True)]
            assert [v for v in got[max(case.header_rows)] if v is not None] == [
                v for v in case.rows[max(case.header_rows)] if v is not None
            ]
    finally:
        wb.close()


def test_every_holdout_sheet_is_in_exactly_one_batch() -> None:
    """The bench scores the holdout per batch (each by another author): a sheet in no batch would go unscored."""
    import tomllib

    corpus = Path(__file__).parent / "corpus"
    batches = tomllib.loads((corpus / "holdout_batches.toml").read_text(encoding="utf-8"))["batch"]
    listed = [n for b in batches for n in b["sheets"]]
    assert len(listed) == len(set(listed))
    assert set(listed) == {p.stem for p in (corpus / "holdout").glob("*.json")}
    # each batch is a whole measurement on its own: every kind, and enough sheets to mean something
    by_name = {c.name: c for c in load_cases("holdout")}
    for b in batches:
        assert len(b["sheets"]) >= 20 and {by_name[n].kind for n in b["sheets"]} == set(KINDS), b["name"]
