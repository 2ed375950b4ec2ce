"""Benchmark: column recognition on the import corpus — how many columns land right, and how fast.

Run: python bench/bench_recognition.py [--quick] [--dev-only]. Prints, for the dev part and the holdout
part separately, the share of columns mapped right, the data columns silently dropped (a column holding
data that ends ignored, or a sheet whose header is not found) and the sheets whose kind was told
right; the holdout also per batch (tests/io/corpus/holdout_batches.toml: each batch by another author).
Misses are listed for dev only: the holdout part is for measuring, never for tuning, so only its totals
are printed, and whoever works on the recogniser runs --dev-only. Then the time per sheet of reading an
.xlsx and recognising it, beside a bare openpyxl read-only read of the same file (best of 5 runs each;
--quick: 1 run, dev only).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "io"))
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "io" / "corpus"

import openpyxl  # noqa: E402
from corpus.build import load_cases, write_case  # noqa: E402
from corpus_score import score_cases  # noqa: E402

from chamberdesk.io.mappings import detect_header  # noqa: E402
from chamberdesk.io.sheet_reader import read_sheet  # noqa: E402


def bare_read(path: Path) -> int:
    wb = openpyxl.load_workbook(path, read_only=True)
    n = sum(1 for _ in wb.active.iter_rows(values_only=True))
    wb.close()
    return n


def ours(path: Path, kind: str) -> int:
    sh = read_sheet(path)
    guess = detect_header(kind, sh.rows, sh.merged)
    return len(guess.mapping) if guess else 0


def best_of(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def holdout_batches(cases: list) -> list[tuple[str, list]]:
    """The holdout cases grouped by the batch they came in; a sheet in no batch is an error, not skipped."""
    listed = tomllib.loads((CORPUS / "holdout_batches.toml").read_text(encoding="utf-8"))["batch"]
    by_name = {c.name: c for c in cases}
    unlisted = set(by_name) - {n for b in listed for n in b["sheets"]}
    if unlisted:
        raise SystemExit(f"holdout sheets in no batch of holdout_batches.toml: {sorted(unlisted)}")
    return [(b["name"], [by_name[n] for n in b["sheets"]]) for b in listed]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one timing run, dev part only for timing")
    ap.add_argument("--dev-only", action="store_true", help="score and time the dev part only (for tuning)")
    args = ap.parse_args()
    sys.stdout.reconfigure(errors="replace")  # a GBK console cannot show every character of a sheet
    repeats = 1 if args.quick else 5
    parts = {part: load_cases(part) for part in (("dev",) if args.dev_only else ("dev", "holdout"))}
    for part, cases in parts.items():
        s = score_cases(cases)
        print(f"{part}: {s.right}/{s.columns} columns right ({s.share:.1%}), "
              f"{s.dropped} data columns silently dropped, kind told right on {s.kinds_right}/{s.sheets} sheets")
        if part == "dev":
            for miss in s.misses:
                print("   ", miss)
        else:
            for name, batch in holdout_batches(cases):
                b = score_cases(batch)
                print(f"  {name} ({b.sheets} sheets): {b.right}/{b.columns} columns right ({b.share:.1%}), "
                      f"{b.dropped} dropped")
    timed = [c for part in (("dev",) if args.quick or args.dev_only else ("dev", "holdout")) for c in parts[part]
             if c.format == "xlsx"]
    ours_total = bare_total = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for case in timed:
            path = write_case(case, Path(tmp) / case.path.parent.name)
            ours_total += best_of(lambda p=path, k=case.kind: ours(p, k), repeats)
            bare_total += best_of(lambda p=path: bare_read(p), repeats)
    n = len(timed)
    print(f"time per .xlsx sheet ({n} sheets): read + recognise {ours_total / n * 1000:.1f} ms, "
          f"bare openpyxl read {bare_total / n * 1000:.1f} ms, ratio {ours_total / bare_total:.2f}×")


if __name__ == "__main__":
    main()
