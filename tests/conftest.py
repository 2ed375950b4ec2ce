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
        "markers", "wine_limitation(reason): cannot run under wine for the named reason (a wine limitation, "
        "not a Windows one); runs everywhere else")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        mark = item.get_closest_marker("wine_limitation")
        if mark is None:
            continue
        if not mark.args:
            raise pytest.UsageError(f"{item.nodeid}: wine_limitation needs the reason")
        if UNDER_WINE:
            item.add_marker(pytest.mark.skip(reason=f"wine 的限制：{mark.args[0]}"))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    if UNDER_WINE:
        left = [r for r in terminalreporter.stats.get("skipped", []) if "wine 的限制" in str(r.longrepr)]
        terminalreporter.write_line(f"wine 下未运行（wine 的限制，逐条注明原因）：{len(left)} 个测试")


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


@pytest.fixture
def db(tmp_path: Path) -> Database:
    """An empty, migrated data file on disk (real SQLite, WAL and all)."""
    d = open_database(tmp_path / "test.db", create=True, user="测试员")
    yield d
    d.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo county, built once: copy it with `demo_db` rather than changing it."""
    from chamberdesk.core.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    d = open_database(path, create=True)
    build_demo(d)
    with d.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    d.close()
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "demo.db"
    shutil.copyfile(demo_template, dest)
    return dest


@pytest.fixture
def demo_db(demo_path: Path) -> Database:
    d = open_database(demo_path, user="测试员")
    yield d
    d.close()
