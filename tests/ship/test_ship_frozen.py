"""The PyInstaller spec builds a complete one-folder program: the frozen `selfcheck` passes offscreen.

Slow (a full PyInstaller build, 1–3 minutes): runs only with CHAMBERDESK_FROZEN_TEST=1, as CI sets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.environ.get("CHAMBERDESK_FROZEN_TEST") != "1",
                                reason="frozen build test: set CHAMBERDESK_FROZEN_TEST=1 (needs PyInstaller)")


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.fail("CHAMBERDESK_FROZEN_TEST=1 but PyInstaller is not installed (pip install -e '.[test]')")
    work = tmp_path_factory.mktemp("frozen")
    proc = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                           "--workpath", str(work / "build"), "--distpath", str(work / "dist"),
                           str(ROOT / "installer" / "chamberdesk.spec")],
                          capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return work / "dist" / "ChamberDesk"


def _program(bundle: Path, name: str) -> str:
    return str(bundle / (f"{name}.exe" if sys.platform == "win32" else name))


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    return env


def test_frozen_selfcheck_passes_offscreen(bundle: Path, tmp_path: Path) -> None:
    proc = subprocess.run([_program(bundle, "chamberdesk-cli"), "selfcheck"], capture_output=True, encoding="utf-8",
                          timeout=180, env=_env(tmp_path), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "安装版" in out and "自检通过" in out
    for name in ("数据文件", "考评标准", "PDF（中文）", "Excel", "图形界面"):
        assert f"[通过] {name}" in out
    assert "Qt 中文翻译已载入" in out and "SVG 图标正常" in out and "主窗口正常" in out
    assert "打印预览正常" in out
    if sys.platform == "win32":  # the Credential Manager backend (pywin32-ctypes) travels in the bundle
        assert "keyring.backends.Windows.WinVaultKeyring" in out, out


def test_frozen_window_opens_a_data_file_and_a_package_in_a_chinese_folder(bundle: Path, tmp_path: Path) -> None:
    """The window program (no console) starts on a data file and an upward package whose paths have
    Chinese characters and spaces, as a double-click on a clerk's PC hands them over, shows the package
    summed up, and quits."""
    env = _env(tmp_path)
    folder = tmp_path / "张 三" / "台账 资料"
    folder.mkdir(parents=True)
    db, pkg, probe = folder / "演示 县.db", folder / "上报 数据包.zip", tmp_path / "probe.json"
    cli = _program(bundle, "chamberdesk-cli")
    for args in (["init", "--demo", "--db", str(db)],
                 ["package", "--db", str(db), "--year", str(date.today().year - 1), "--out", str(pkg)]):
        done = subprocess.run([cli, *args], capture_output=True, encoding="utf-8", timeout=300, env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
    started = time.monotonic()
    # No pipes: the window program has no console, and a process it starts (wine's desktop) would keep
    # a pipe open after it has quit. What it shows comes back in the probe file, written once the
    # package has been summed up (gui.app._probe_and_quit).
    window = subprocess.run([_program(bundle, "ChamberDesk"), "--db", str(db), "--open-package", str(pkg)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            timeout=300, env={**env, "CHAMBERDESK_STARTUP_PROBE": str(probe)}, cwd=tmp_path)
    seconds = time.monotonic() - started
    assert window.returncode == 0
    shown = json.loads(probe.read_text(encoding="utf-8"))
    assert shown["page"] == "reports" and not shown["page_failed"], shown
    assert shown["packages_shown"] == 1, shown
    assert "演示 县" in shown["title"], shown
    print(f"frozen window: started, showed the package and quit in {seconds:.1f} s")  # noqa: T201


def test_bundle_holds_only_what_the_program_uses(bundle: Path) -> None:
    files = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()]
    lowered = [f.lower() for f in files]
    for unwanted in ("webengine", "qt6quick", "qt6qml", "qt63d", "qt6multimedia", "qtwebengineprocess",
                     "virtualkeyboard", "pytest", "hypothesis", "tkinter"):
        assert not [f for f in lowered if unwanted in f], unwanted
    qms = [f.rsplit("/", 1)[-1] for f in files if f.endswith(".qm")]
    assert qms and all("zh_CN" in q for q in qms), qms
    for needed in ("resources/fonts/NotoSansSC-Regular.ttf", "resources/icons/app.svg",
                   "chamberdesk/core/migrations/env.py", "docs/manual.md", "docs/manual.pdf"):
        assert any(f.endswith(needed) for f in files), needed
    assert any(f.startswith("_internal/rubric_data/") and f.endswith(".toml") for f in files)
    size_mib = _size(bundle) / 2**20
    assert size_mib < 350, f"one-folder build grew to {size_mib:.0f} MiB"
