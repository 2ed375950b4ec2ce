"""Benchmark: importing a 20,000-row ledger and exporting 20,000 members, beside bare openpyxl read and write.

Run: python bench/bench_excel.py [rows]. Prints seconds and ratios (import ÷ openpyxl read-only read,
export ÷ openpyxl write-only write of the same rows), and tracemalloc peaks at 5,000 and the full size.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "io"))

import messy  # noqa: E402
import openpyxl  # noqa: E402

from chamberdesk.core.db import open_database  # noqa: E402
from chamberdesk.io.excel_export import export_members  # noqa: E402
from chamberdesk.io.excel_import import import_file  # noqa: E402


def bare_read(path: Path) -> int:
    wb = openpyxl.load_workbook(path, read_only=True)
    n = sum(1 for _ in wb.active.iter_rows(values_only=True))
    wb.close()
    return n


def bare_write(src: Path, out: Path) -> None:
    rows = list(openpyxl.load_workbook(src, read_only=True).active.iter_rows(values_only=True))
    t = time.perf_counter()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    for r in rows:
        ws.append(r)
    wb.save(out)
    return time.perf_counter() - t


def run(n: int, tmp: Path, *, measure_memory: bool = False) -> dict[str, float]:
    src = tmp / f"ledger{n}.xlsx"
    messy.big_ledger(src, n)
    db = open_database(tmp / f"bench{n}-{time.monotonic_ns()}.db", create=True)
    out: dict[str, float] = {}
    t = time.perf_counter()
    bare_read(src)
    out["bare_read"] = time.perf_counter() - t
    if measure_memory:
        tracemalloc.start()
    t = time.perf_counter()
    res = import_file(db, src, "members")
    out["import"] = time.perf_counter() - t
    if measure_memory:
        out["import_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    assert res.imported == n and res.balanced(), res.as_dict()
    exported = tmp / f"export{n}.xlsx"
    if measure_memory:
        tracemalloc.start()
    t = time.perf_counter()
    export_members(db, exported)
    out["export"] = time.perf_counter() - t
    if measure_memory:
        out["export_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    out["bare_write"] = bare_write(exported, tmp / f"bare{n}.xlsx")
    db.close()
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        r = run(n, tmp)
        print(f"{n} 行：")
        print(f"  导入（读取+校验+查重+写入）{r['import']:.2f} s；openpyxl 只读模式读取 {r['bare_read']:.2f} s；"
              f"比值 {r['import'] / r['bare_read']:.2f}×（目标 ≤ 1.0×）")
        print(f"  导出 {r['export']:.2f} s；openpyxl 只写模式写出同样的行 {r['bare_write']:.2f} s；"
              f"比值 {r['export'] / r['bare_write']:.2f}×（目标 ≤ 1.5×）")
        small = run(5_000, tmp, measure_memory=True)
        big = run(n, tmp, measure_memory=True) if n != 5_000 else small
        print("  内存峰值（tracemalloc）：")
        print(f"    导入 5000 行 {small['import_peak_mb']:.1f} MB，{n} 行 {big['import_peak_mb']:.1f} MB")
        print(f"    导出 5000 行 {small['export_peak_mb']:.1f} MB，{n} 行 {big['export_peak_mb']:.1f} MB")


if __name__ == "__main__":
    main()
