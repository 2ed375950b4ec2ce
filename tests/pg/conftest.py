"""PostgreSQL fixtures: a temp cluster for the session, a fresh database per test.

Runs wherever Debian's postgresql package is installed (or CHAMBERDESK_PG_URL names a server);
otherwise the PG tests skip with the reason. With CHAMBERDESK_PG_TESTS=1 (CI) a missing server fails.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from pgserver import ExternalServer, TempCluster, admin_execute, find_bindir  # noqa: E402

_REQUIRED = os.environ.get("CHAMBERDESK_PG_TESTS") == "1"
_names = itertools.count(1)


def _unavailable(reason: str):
    if _REQUIRED:
        pytest.fail(f"CHAMBERDESK_PG_TESTS=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server():
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[pg]')")
    if os.environ.get("CHAMBERDESK_PG_URL"):
        yield ExternalServer(os.environ["CHAMBERDESK_PG_URL"])
        return
    if sys.platform == "win32":
        _unavailable("on Windows the tests need a server named by CHAMBERDESK_PG_URL (postgresql://user:pw@host/db)")
    bindir = find_bindir()
    if bindir is None:
        _unavailable("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin "
                     "(apt-get install postgresql)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        _unavailable("running as root without runuser: cannot start postgres as another user")
    cluster = TempCluster(bindir)
    try:
        cluster.start()
    except (RuntimeError, subprocess.SubprocessError, OSError, KeyError) as exc:
        cluster.stop()
        _unavailable(f"could not start a temporary PostgreSQL cluster: {exc}")
    yield cluster
    cluster.stop()


def _new_database(server, template: str = "template0") -> tuple[str, str]:
    name = f"cd_test_{os.getpid()}_{next(_names)}"
    admin_execute(server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name, server.url(name)


@pytest.fixture
def pg_url(pg_server):
    """URL of a new, empty database (no tables) on the test server, dropped afterwards."""
    name, url = _new_database(pg_server)
    yield url
    admin_execute(pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_migrated_template(pg_server) -> str:
    """A database migrated to head once; tests clone it (CREATE DATABASE … TEMPLATE) in milliseconds."""
    from chamberdesk.core.db import open_database

    name, url = _new_database(pg_server)
    open_database(url).close()
    return name


@pytest.fixture
def pg_migrated_url(pg_server, pg_migrated_template):
    name, url = _new_database(pg_server, pg_migrated_template)
    yield url
    admin_execute(pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def db(pg_migrated_url):
    """Overrides the SQLite `db` fixture: the shared service tests run here against PostgreSQL."""
    from chamberdesk.core.db import open_database

    d = open_database(pg_migrated_url, user="测试员")
    yield d
    d.close()


