"""The frozen entry point maps a double-clicked file (data file, upward package) onto the command."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _launcher():
    spec = importlib.util.spec_from_file_location("cd_launcher", ROOT / "installer" / "launcher.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_double_clicked_files(tmp_path: Path, monkeypatch) -> None:
    launcher = _launcher()
    data = tmp_path / "清河县.db"
    data.write_bytes(b"")
    pkg = tmp_path / "清河县2025年上报数据包.zip"
    with zipfile.ZipFile(pkg, "w") as zf:
        zf.writestr("manifest.json", "{}")
    other = tmp_path / "照片.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("a.jpg", "x")
    broken = tmp_path / "坏的.zip"
    broken.write_bytes(b"PK not really")
    assert launcher._file_argument([str(data)]) == ["--db", str(data)]
    assert launcher._file_argument([str(other)]) == []
    assert launcher._file_argument([str(broken)]) == []
    assert launcher._file_argument([str(pkg)]) == ["--open-package", str(pkg)]
    assert launcher._file_argument(["selfcheck"]) == ["selfcheck"]
    assert launcher._file_argument(["--db", str(data)]) == ["--db", str(data)]
    assert launcher._file_argument([str(tmp_path / "missing.db")]) == [str(tmp_path / "missing.db")]


def test_opening_the_window_does_not_load_the_command_modules() -> None:
    """`chamberdesk --db X` skips registering every command (reportlab and openpyxl stay unloaded)."""
    import subprocess
    import sys

    code = ("import sys, chamberdesk.cli as c\n"
            "c._launch_gui = lambda a: print(a.db) or 0\n"
            "c.main(['--db', 'x.db'])\n"
            "print(sorted(m for m in ('reportlab', 'openpyxl', 'chamberdesk.cli.printing') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["x.db", "[]"]
