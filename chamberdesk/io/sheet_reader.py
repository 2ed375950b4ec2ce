"""Opening a spreadsheet safely: refuse hostile or unreadable files with one Chinese line, then read cells fast.

Checks run on the raw bytes before any parser sees them: the file's kind by its signature, a
zip's declared sizes and compression ratio (zip bombs), XML document type declarations (entity
attacks), encrypted OLE containers (password-protected workbooks), and a row limit.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from chamberdesk.core.errors import ChamberDeskError

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024  # all parts of an .xlsx/.ods together
MAX_RATIO = 200  # a real sheet compresses 5–20×; bombs reach thousands
MAX_ZIP_ENTRIES = 10_000
MAX_ROWS = 200_000
MAX_COLUMNS = 500

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


class SpreadsheetError(ChamberDeskError):
    """The file cannot be read as a spreadsheet; the message says why and what to do."""


@dataclass
class Sheet:
    """One worksheet's cells (absolute positions: row 0 is the sheet's row 1) and merged ranges."""

    name: str
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def row_count(self) -> int:
        return len(self.rows)


def _refuse(path: Path, why: str) -> SpreadsheetError:
    return SpreadsheetError(f"“{path.name}”{why}")


CSV_SUFFIXES = (".csv",)
_WPS_SAVE_AS = "请在 WPS 中打开后“另存为” Excel 工作簿（.xlsx）再导入。"


def check_file(path: Path) -> str:
    """The file's kind ('xlsx', 'ods', 'xls', 'csv') after the safety checks; raises SpreadsheetError.

    The kind comes from the bytes, not the name: WPS's .et is usually an .xls or .xlsx inside."""
    if not path.exists():
        raise SpreadsheetError(f"找不到文件“{path}”。")
    if path.is_dir():
        raise _refuse(path, "是文件夹，不是表格文件。")
    size = path.stat().st_size
    if size == 0:
        raise _refuse(path, "是空文件，不是表格文件。")
    if size > MAX_FILE_BYTES:
        raise _refuse(path, f"太大（{size // 1024 // 1024} MB），超过 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限，请拆分后导入。")
    with path.open("rb") as fh:
        head = fh.read(8)
    et = path.suffix.lower() == ".et"
    if head.startswith(_ZIP):
        return _check_zip(path)
    if head == _OLE:
        try:
            return _check_ole(path)
        except SpreadsheetError:
            if et:
                raise _refuse(path, "是 WPS 专用格式，无法直接读取，" + _WPS_SAVE_AS) from None
            raise
    if path.suffix.lower() in CSV_SUFFIXES:
        return "csv"
    if et:
        raise _refuse(path, "是 WPS 专用格式，无法直接读取，" + _WPS_SAVE_AS)
    if head[:5].lower() in (b"<?xml", b"<html", b"<!doc", b"<tabl") or head[:3] == b"\xef\xbb\xbf":
        raise _refuse(path, "是网页或文本格式（常见于“导出为 Excel”的网页），请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。")
    raise _refuse(path, "不是 Excel/WPS 表格文件（支持 .xlsx、.xls、.ods、.et 和 .csv），请确认选择了正确的文件。")


def _check_zip(path: Path) -> str:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise _refuse(path, "已损坏或不完整（可能是复制或下载中断），请重新获取原文件。") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise _refuse(path, "包含的部件过多，不像正常的表格文件，已拒绝读取。")
        names = {i.filename for i in infos}
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > 10 * 1024 * 1024 and info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                raise _refuse(path, "的压缩比异常（疑似“压缩炸弹”），已拒绝读取。")
        if total > MAX_UNCOMPRESSED_BYTES:
            raise _refuse(path, "解压后过大（疑似“压缩炸弹”），已拒绝读取。")
        if "[Content_Types].xml" in names:
            kind = "xlsx"
            if not any(n.startswith("xl/worksheets/") for n in names):
                raise _refuse(path, "不是 Excel 工作簿（可能是 Word 或 PowerPoint 文件），请选择表格文件。")
        elif "content.xml" in names and "mimetype" in names:
            kind = "ods"
        else:
            raise _refuse(path, "是压缩包，不是表格文件。")
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                try:
                    with zf.open(info) as fh:
                        start = fh.read(4096)
                except (zipfile.BadZipFile, OSError, EOFError, Exception):  # noqa: BLE001  (zlib errors vary)
                    raise _refuse(path, "已损坏或不完整（可能是复制或下载中断），请重新获取原文件。") from None
                if b"<!DOCTYPE" in start.upper() or b"<!ENTITY" in start.upper():
                    raise _refuse(path, "含有 XML 实体声明（正常表格不会有，可能是恶意文件），已拒绝读取。")
        bad = zf.testzip() if total < 64 * 1024 * 1024 else None
        if bad is not None:
            raise _refuse(path, "已损坏或不完整（可能是复制或下载中断），请重新获取原文件。")
    return kind


def _check_ole(path: Path) -> str:
    data = path.read_bytes()
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        raise _refuse(path, "设有打开密码，请先在 Excel/WPS 中取消密码（文件→信息→保护工作簿）后再导入。")
    if "Workbook".encode("utf-16-le") not in data and "Book".encode("utf-16-le") not in data:
        raise _refuse(path, "不是 Excel 表格（可能是 Word 等其他 Office 文件），请选择表格文件。")
    return "xls"


def _open(path: Path):
    import python_calamine as pc

    try:
        return pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise _refuse(path, "设有打开密码，请先在 Excel/WPS 中取消密码后再导入。") from None
    except Exception as exc:  # noqa: BLE001  calamine raises several unrelated types for damaged files
        raise _refuse(path, f"无法读取，文件可能已损坏（{type(exc).__name__}）。请用 Excel/WPS 打开后另存为 .xlsx 再导入。") from None


def _decode(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise _refuse(path, "的文字编码无法识别（应为 UTF-8 或 GB18030/GBK），请用 Excel/WPS 打开后另存为 .xlsx 再导入。")


_NUMBER = re.compile(r"-?(?:0|[1-9]\d{0,14})(?:\.\d+)?")


def _csv_cell(text: str) -> object:
    # numbers as a spreadsheet would read them; codes with leading zeros or more than 15 digits stay text
    t = text.strip()
    if not t:
        return None
    if _NUMBER.fullmatch(t):
        return float(t) if "." in t else int(t)
    return t


def _csv_rows(path: Path, max_rows: int) -> list[list[object]]:
    """A CSV file as one sheet: UTF-8 (with or without BOM) or GB18030, comma, tab or semicolon separated."""
    text = _decode(path)
    if "\x00" in text:
        raise _refuse(path, "不是文本表格（含有二进制内容），请确认选择了正确的文件。")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for i, r in enumerate(csv.reader(io.StringIO(text, newline=""), dialect)):
        if i >= max_rows + 50:
            raise _refuse(path, f"超过单次导入 {max_rows} 行的上限，请拆分后导入。")
        if len(r) > MAX_COLUMNS:
            raise _refuse(path, f"有 {len(r)} 列，超过 {MAX_COLUMNS} 列的上限。")
        rows.append([_csv_cell(v) for v in r])
    return rows


def sheet_names(path: Path) -> list[str]:
    """Visible worksheets, in workbook order (a CSV file is one sheet named after the file)."""
    if check_file(path) == "csv":
        return [path.stem]
    wb = _open(path)
    try:
        return [m.name for m in wb.sheets_metadata if str(m.visible).endswith("Visible") and "Work" in str(m.typ)] \
            or list(wb.sheet_names)
    finally:
        wb.close()


def read_sheet(path: Path, sheet: str | None = None, *, max_rows: int | None = None) -> Sheet:
    """One worksheet (the first visible one by default), every cell at its absolute position."""
    with stream_sheet(path, sheet, max_rows=max_rows, head_rows=None) as (sh, _rest):
        return sh


HEAD_ROWS = 40  # the header is looked for in the first 30 rows; the rest are its first data rows


@contextmanager
def stream_sheet(path: Path, sheet: str | None = None, *, max_rows: int | None = None,
                 head_rows: int | None = HEAD_ROWS) -> Iterator[tuple[Sheet, Iterator[list[object]]]]:
    """The sheet's first `head_rows` rows (for header detection) and an iterator over all its rows from
    row 0, read as they are consumed so a large import never holds the whole sheet as Python lists.
    With head_rows None the Sheet holds every row and the iterator is empty."""
    max_rows = MAX_ROWS if max_rows is None else max_rows
    if check_file(path) == "csv":
        if sheet not in (None, path.stem):
            raise _refuse(path, f"是 CSV 文件，只有一张表“{path.stem}”。")
        rows = _csv_rows(path, max_rows)
        if head_rows is None:
            yield Sheet(name=path.stem, rows=rows), iter(())
        else:
            yield Sheet(name=path.stem, rows=rows[:head_rows]), iter(rows)
        return
    wb = _open(path)
    try:
        names = list(wb.sheet_names)
        if sheet is None:
            visible = [m.name for m in wb.sheets_metadata if str(m.visible).endswith("Visible")]
            sheet = (visible or names or [None])[0]
        if sheet is None:
            raise _refuse(path, "中没有工作表。")
        if sheet not in names:
            raise _refuse(path, f"中没有名为“{sheet}”的工作表（现有：{'、'.join(names)}）。")
        try:
            ws = wb.get_sheet_by_name(sheet)
            if ws.total_height > max_rows + 50:
                raise _refuse(path, f"的工作表“{sheet}”有 {ws.total_height} 行，超过单次导入 {max_rows} 行的上限，请拆分后导入。")
            if ws.total_width > MAX_COLUMNS:
                raise _refuse(path, f"的工作表“{sheet}”有 {ws.total_width} 列，超过 {MAX_COLUMNS} 列的上限。")
            it = _rows(ws)
            head = list(it if head_rows is None else islice(it, head_rows))
            merged = list(ws.merged_cell_ranges or [])
        except SpreadsheetError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise _refuse(path, f"的工作表“{sheet}”无法读取，文件可能已损坏（{type(exc).__name__}）。") from None
        rest: Iterator[list[object]] = iter(()) if head_rows is None else _guarded(path, sheet, chain(head, it))
        yield Sheet(name=sheet, rows=head, merged=merged), rest
    finally:
        wb.close()


def _guarded(path: Path, sheet: str, rows: Iterator[list[object]]) -> Iterator[list[object]]:
    try:
        yield from rows
    except Exception as exc:  # noqa: BLE001
        raise _refuse(path, f"的工作表“{sheet}”无法读取，文件可能已损坏（{type(exc).__name__}）。") from None


def _rows(ws) -> Iterator[list[object]]:
    # iter_rows yields every row from the sheet's first, but columns from its first used column
    pad = [""] * ws.start[1] if ws.height else []
    for row in ws.iter_rows():
        if pad:
            yield pad + list(row)
        else:  # python-calamine gives each row as a new list: no copy needed
            yield row if isinstance(row, list) else list(row)
