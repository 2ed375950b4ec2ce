"""The spreadsheet import and rulebook tests re-run on PostgreSQL (this folder's `db` is a server database).

Same tests as tests/io/test_import.py and tests/rules/, against the server: imports are one
transaction there too, and every rubric metric's SQL gives the same figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parent.parent
for sub in ("io", "rules"):
    sys.path.insert(0, str(_TESTS / sub))


@pytest.fixture(autouse=True)
def user_rubrics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """As tests/rules/conftest.py: the office's rubric folder stays inside the test's folder."""
    folder = tmp_path / "user-rubrics"
    monkeypatch.setattr("chamberdesk.paths.user_rubric_dir", lambda: folder)
    return folder


from test_chamber_rubrics import *  # noqa: E402, F403
from test_federation_and_assessments import *  # noqa: E402, F403
from test_import import *  # noqa: E402, F403
from test_scored_rubrics import *  # noqa: E402, F403


def test_these_tests_run_on_the_server(db) -> None:
    assert not db.is_sqlite and db.engine.dialect.name == "postgresql"
