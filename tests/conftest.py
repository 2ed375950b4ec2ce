"""Shared fixtures: a fresh data file per test, and the demo county built once per session;
Windows rules that tests on Linux can enforce; the `wine_limitation` marker."""

from __future__ import annotations

import errno
import os
import shutil
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from chamberdesk.core.db import Database, open_database  # noqa: E402

# Windows CPython under wine (scripts/dev wintest): wine names itself in ntdll.
UNDER_WINE = sys.platform == "win32" and hasattr(__import__("ctypes").WinDLL("ntdll"), "wine_get_version")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "wine_limitation(reason): cannot run in the Windows run under wine for the named reason (a "
        "limitation of wine or of the embeddable Windows CPython it uses, not of Windows); runs everywhere else")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        mark = item.get_closest_marker("wine_limitation")
        if mark is None:
            continue
        if not mark.args:
            raise pytest.UsageError(f"{item.nodeid}: wine_limitation needs the reason")
        if UNDER_WINE:
            item.add_marker(pytest.mark.skip(reason=f"wine 测试环境的限制：{mark.args[0]}"))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    if UNDER_WINE:
        left = [r for r in terminalreporter.stats.get("skipped", []) if "wine 测试环境的限制" in str(r.longrepr)]
        terminalreporter.write_line(f"wine 下未运行（wine 测试环境的限制，逐条注明原因）：{len(left)} 个测试")


@pytest.fixture
def windows_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to flush a read-only handle (FlushFileBuffers needs write access): so does this."""
    if sys.platform == "win32":
        return
    import fcntl

    real = os.fsync

    def fsync(fd: int) -> None:
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
            raise OSError(errno.EBADF, "Bad file descriptor (Windows: fsync on a read-only handle)")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def _open_in_this_process(path: str) -> str | None:
    """A file under `path` (or `path` itself) that this process holds open, as Linux lists them."""
    root = os.path.realpath(path)
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target == root or target.startswith(root + os.sep):
            return target
    return None


@pytest.fixture
def windows_file_rules(monkeypatch: pytest.MonkeyPatch, windows_fsync: None) -> None:
    """As on Windows: a file this process still holds open cannot be deleted, renamed or replaced, nor
    can the folder holding it be removed (PermissionError, WinError 32); and fsync needs a writable handle."""
    if sys.platform == "win32" or not os.path.isdir("/proc/self/fd"):
        return

    def guard(real, *checked: int):  # type: ignore[no-untyped-def]
        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            if not kwargs.get("dir_fd") and not kwargs.get("src_dir_fd"):  # rmtree's relative names: checked whole
                for i in checked:
                    if i < len(args) and isinstance(args[i], str | bytes | os.PathLike):
                        held = _open_in_this_process(os.fsdecode(args[i]))
                        if held:
                            raise PermissionError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。", held)
            return real(*args, **kwargs)
        return call

    for name in ("remove", "unlink", "rmdir"):
        monkeypatch.setattr(os, name, guard(getattr(os, name), 0))
    for name in ("rename", "replace"):
        monkeypatch.setattr(os, name, guard(getattr(os, name), 0, 1))
    monkeypatch.setattr(shutil, "rmtree", guard(shutil.rmtree, 0))


@pytest.fixture
def db(tmp_path: Path) -> Database:
    """An empty, migrated data file on disk (real SQLite, WAL and all)."""
    d = open_database(tmp_path / "test.db", create=True, user="测试员")
    yield d
    d.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo county, built once: copy it with `demo_db` rather than changing it."""
    from chamberdesk.rules.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    d = open_database(path, create=True)
    build_demo(d)
    with d.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    d.close()
    return path


def copy_data_file(src: Path, dest: Path) -> Path:
    """A data file and its evidence folder beside it (the demo's photos and scans), copied as a clerk's backup is."""
    shutil.copyfile(src, dest)
    files = src.with_name(src.stem + "-files")
    if files.is_dir():
        shutil.copytree(files, dest.with_name(dest.stem + "-files"))
    return dest


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    return copy_data_file(demo_template, tmp_path / "demo.db")


@pytest.fixture
def demo_db(demo_path: Path) -> Database:
    d = open_database(demo_path, user="测试员")
    yield d
    d.close()
