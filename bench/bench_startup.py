"""Cold start to a usable main window on the demo county, against the floor `import PySide6.QtWidgets, sqlmodel`.

    .venv/bin/python bench/bench_startup.py [--runs 5] [--db demo.db] [--importtime] [--quick]

Each run is a fresh interpreter (offscreen Qt, a throwaway settings folder). The app run is
`chamberdesk --db FILE` itself: the command entry point, the Qt application with translations and
style, opening the data file (lock, checks, daily backup), building and showing the main window,
then one pass of the event loop. Prints the median of each, and the ratio (target ≤ 1.5).
With --importtime, lists the heavy modules loaded at start and which ChamberDesk module pulled each in.
--quick: one run of each (the test suite runs it so the bench cannot silently stop working).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "import PySide6.QtWidgets, sqlmodel"
APP = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import chamberdesk.cli as cli
import chamberdesk.gui.app as gapp
shown = gapp.Launcher.show
def show_then_quit(self, database):
    shown(self, database)
    assert self.window.isVisible()
    QTimer.singleShot(0, QApplication.quit)  # quit on the event loop's first idle pass
gapp.Launcher.show = show_then_quit
sys.exit(cli.main(["--db", sys.argv[1]]))
"""
HEAVY = ("openpyxl", "reportlab", "alembic", "PIL", "pypdfium2", "python_calamine", "psycopg", "keyring",
         "lxml", "defusedxml", "stdnum", "pypdf", "PySide6.QtCharts", "PySide6.QtPrintSupport", "PySide6.QtPdf")


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp), XDG_CONFIG_HOME=str(tmp / "config"),
               XDG_DATA_HOME=str(tmp / "data"))
    # an installed app runs from compiled bytecode: let the warm-up runs write the .pyc files
    # (any value of PYTHONDONTWRITEBYTECODE, even "0", stops that)
    for var in ("PYTHONPROFILEIMPORTTIME", "PYTHONDONTWRITEBYTECODE"):
        env.pop(var, None)
    return env


def _time(args: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, cwd=ROOT)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return dt


def make_demo(folder: Path) -> Path:
    path = folder / "demo.db"
    subprocess.run([sys.executable, "-m", "chamberdesk", "init", "--demo", "--db", str(path)], check=True,
                   capture_output=True, cwd=ROOT)
    return path


def importtime_report(db: Path, env: dict[str, str]) -> list[tuple[str, float, str]]:
    """(heavy module, cumulative seconds, the ChamberDesk module that imported it) for one app start."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", APP, str(db)], env=env,
                          capture_output=True, text=True, cwd=ROOT)
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "cumulative" in line:
            continue
        _, cum, name = line[len("import time:"):].split("|", 2)
        depth = (len(name) - len(name.lstrip())) // 2
        rows.append((depth, int(cum.strip()) / 1e6, name.strip()))
    def package(name: str) -> str | None:
        for h in HEAVY:
            if name == h or name.startswith(h + "."):
                return h
        return None

    def parent(i: int) -> int | None:
        # importtime prints a module after its children: the importer is the next line less indented.
        for j in range(i + 1, len(rows)):
            if rows[j][0] < rows[i][0]:
                return j
        return None

    totals: dict[str, float] = {}
    importers: dict[str, list[str]] = {}
    for i, (_, cum, name) in enumerate(rows):
        pkg = package(name)
        if pkg is None:
            continue
        j = parent(i)
        if j is not None and package(rows[j][2]) == pkg:
            continue  # inside an outer import of the same package: counted there
        totals[pkg] = totals.get(pkg, 0.0) + cum
        by = ""
        while j is not None:
            if rows[j][2].startswith("chamberdesk"):
                by = rows[j][2]
                break
            j = parent(j)
        who = importers.setdefault(pkg, [])
        label = by or "(not from chamberdesk)"
        if label not in who:
            who.append(label)
    found = [(pkg, t, ", ".join(importers[pkg])) for pkg, t in sorted(totals.items(), key=lambda kv: -kv[1])]
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--db", type=Path, help="data file to open (default: build the demo county once)")
    ap.add_argument("--importtime", action="store_true", help="also show which modules load heavy packages")
    ap.add_argument("--quick", action="store_true", help="one run of each: proves the bench still works")
    args = ap.parse_args()
    if args.quick:
        args.runs = 1
    with tempfile.TemporaryDirectory(prefix="cd-bench-") as tmp_s:
        tmp = Path(tmp_s)
        env = _env(tmp)
        db = args.db or make_demo(tmp)
        _time(["-c", FLOOR], env)  # warm the OS file cache and .pyc files for both
        _time(["-c", APP, str(db)], env)
        floors, apps = [], []
        for _ in range(args.runs):  # interleaved so background load hits both alike
            floors.append(_time(["-c", FLOOR], env))
            apps.append(_time(["-c", APP, str(db)], env))
        f, a = statistics.median(floors), statistics.median(apps)
        print(f"floor  python -c '{FLOOR}': median {f:.3f} s  (runs: {', '.join(f'{x:.2f}' for x in floors)})")
        print(f"app    start to usable main window (demo county): median {a:.3f} s  "
              f"(runs: {', '.join(f'{x:.2f}' for x in apps)})")
        print(f"ratio  {a / f:.2f}x  (target <= 1.5x)")
        if args.importtime:
            print("heavy modules loaded at start (cumulative import time, imported by):")
            for name, cum, by in importtime_report(db, env):
                print(f"  {name:<24} {cum:6.3f} s  <- {by}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
