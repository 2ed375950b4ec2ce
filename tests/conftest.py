"""Shared fixtures: a fresh data file per test, and the demo county built once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from chamberdesk.core.db import Database, open_database  # noqa: E402


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
