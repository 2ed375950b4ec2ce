"""Where things live: the user's data folder and the bundled resources, resolved in one place."""

from __future__ import annotations

import sys
from pathlib import Path

from platformdirs import PlatformDirs

from chamberdesk import APP_NAME

_DIRS = PlatformDirs(appname=APP_NAME, appauthor=False, roaming=False)


def bundle_root() -> Path:
    """The folder holding `resources/` and `rubric_data/`, wherever the program runs from.

    The frozen bundle keeps them at its root; an installed wheel inside the package (setup.py maps
    them there); the source tree (and an editable install) beside the package, as top-level folders.
    """
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    package = Path(__file__).resolve().parent
    if (package / "rubric_data").is_dir():
        return package
    return package.parent


def resources_dir() -> Path:
    """Icons, fonts and styles."""
    return bundle_root() / "resources"


def rubric_data_dir() -> Path:
    """The shipped rubrics, one TOML file per standard."""
    return bundle_root() / "rubric_data"


def user_data_dir() -> Path:
    return Path(_DIRS.user_data_dir)


def default_db_path() -> Path:
    return user_data_dir() / "chamberdesk.db"


def user_rubric_dir() -> Path:
    return user_data_dir() / "rubrics"


def default_backup_dir() -> Path:
    return user_data_dir() / "backups"
