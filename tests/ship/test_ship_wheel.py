"""The wheel works on its own: built from a clean copy of the source, installed (not editable) into a
fresh environment, it finds its rubrics, fonts and icons, and `selfcheck` passes.

The fresh environment reuses this test environment's installed dependencies through a .pth file
(nothing is downloaded) and sees none of the source tree: the package comes from the wheel alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.wine_limitation(
    "Windows 运行用的是嵌入式 CPython（没有 pip 和 venv 模块），不能构建 wheel 再装进新的虚拟环境；"
    "wheel 检查与平台无关，在 Linux 运行中进行")

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_RUBRICS = 8
# what a clean checkout needs to build the wheel
SOURCES = ["pyproject.toml", "setup.py", "README.md", "chamberdesk", "rubric_data", "resources"]


def _bin(env: Path, name: str) -> Path:
    return env / ("Scripts" if sys.platform == "win32" else "bin") / (name + (".exe" if sys.platform == "win32" else ""))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        p = ROOT / name
        if p.is_dir():
            shutil.copytree(p, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(p, src / name)
    out = tmp_path_factory.mktemp("wheel")
    # no build isolation: the test extras bring setuptools, so the build needs no network
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation",
                           "--no-index", "-q", "-w", str(out)], cwd=src, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (whl,) = out.glob("chamberdesk-*.whl")
    return whl


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    env = tmp_path_factory.mktemp("venv") / "env"
    import venv  # here, not at the top: the embeddable CPython of the Windows run has no venv module

    venv.EnvBuilder(with_pip=False).create(env)
    site = Path(subprocess.run([str(_bin(env, "python")), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # the dependencies already installed here; the wheel's own files come first on sys.path
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(_bin(env, "python")), "install", "--no-deps",
                           "--no-index", "-q", str(wheel)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return env


def _run(env: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    clean.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"),
                 XDG_CONFIG_HOME=str(tmp_path / "config"), PYTHONIOENCODING="utf-8")
    return subprocess.run([str(_bin(env, "chamberdesk")), *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=300, env=clean, cwd=tmp_path)


def test_wheel_holds_the_data_folders(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for name in (p.relative_to(ROOT).as_posix() for folder in ("rubric_data", "resources")
                 for p in (ROOT / folder).rglob("*") if p.is_file()):
        assert f"chamberdesk/{name}" in names, name
    assert "chamberdesk/core/migrations/versions/0001_first_schema.py" in names


def test_installed_wheel_lists_the_shipped_rubrics(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(_bin(installed, "python")), "-c", "from chamberdesk import paths; print(paths.bundle_root())"],
                           capture_output=True, text=True, check=True, cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(installed), where  # the wheel's copy, not the source tree
    proc = _run(installed, tmp_path, "rubrics", "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rubrics = json.loads(proc.stdout)
    assert len(rubrics) == SHIPPED_RUBRICS
    assert {r["id"] for r in rubrics} == {p.stem for p in (ROOT / "rubric_data").glob("*.toml")}


def test_installed_wheel_passes_selfcheck(installed: Path, tmp_path: Path) -> None:
    proc = _run(installed, tmp_path, "selfcheck")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "自检通过" in out
    for name in ("数据文件", "考评标准", "PDF（中文）", "Excel", "图形界面"):
        assert f"[通过] {name}" in out, out
    assert "SVG 图标正常" in out and "嵌入字体" in out
