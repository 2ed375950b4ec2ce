"""The layers as a contract: `lint-imports` checks the import-linter contracts in pyproject.toml
(core <- rules <- io <- cli, gui; only the GUI imports Qt), so a back-arrow fails the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept() -> None:
    # the command's own function through this Python: a Windows test run has no lint-imports.exe beside it
    cmd = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    proc = subprocess.run([sys.executable, "-c", cmd, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert "Contracts: 2 kept, 0 broken." in proc.stdout, proc.stdout[-2000:]
