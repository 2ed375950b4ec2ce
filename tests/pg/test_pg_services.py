"""The core service tests (validation, partial unique indexes, audit, versions) re-run on PostgreSQL.

The `db` fixture of this folder's conftest is a fresh migrated PostgreSQL database, so every test
below is the same test the SQLite suite runs, against the server.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "core"))

from test_services import *  # noqa: E402, F403
