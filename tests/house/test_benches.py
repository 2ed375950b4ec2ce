"""Every bench in bench/ still runs: each one's --quick mode (small sizes, one run) finishes and prints
its figures. Only that is checked, never a time: speed is what the full benches report, not the tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHES = sorted((ROOT / "bench").glob("*.py"))


def test_benches_are_found() -> None:
    assert len(BENCHES) >= 6, BENCHES


@pytest.mark.parametrize("bench", BENCHES, ids=[b.stem for b in BENCHES])
def test_bench_quick_mode_runs(bench: Path, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), TMPDIR=str(tmp_path), PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, str(bench), "--quick"], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=600)
    assert proc.returncode == 0, f"{bench.name} --quick failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    assert "Traceback" not in proc.stderr, proc.stderr[-5000:]
    figures = [line for line in proc.stdout.splitlines() if re.search(r"\d", line)]
    assert figures, f"{bench.name} --quick printed no figures:\n{proc.stdout}"
