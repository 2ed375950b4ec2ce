"""Entry point of the frozen program: the same `chamberdesk` command (no arguments opens the window).

Windows starts us with a bare file path when a clerk opens a file with the program: a data file
(.db) opens as `--db`, an upward data package (a .zip holding our manifest) is handed to the window.
"""

import multiprocessing
import sys
import zipfile
from pathlib import Path

from chamberdesk.cli import main


def _is_package(path: Path) -> bool:
    """An upward data package is an ordinary .zip (chamberdesk.io.package) with our manifest inside."""
    if path.suffix.lower() != ".zip":
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            return "manifest.json" in zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def _file_argument(argv: list[str]) -> list[str]:
    if len(argv) != 1 or argv[0].startswith("-"):
        return argv
    path = Path(argv[0])
    if not path.is_file():
        return argv
    if _is_package(path):
        return ["--open-package", str(path)]
    if path.suffix.lower() == ".db":
        return ["--db", str(path)]
    if path.suffix.lower() == ".zip":
        return []  # "open with" on some other zip: the window opens rather than a usage error nobody sees
    return argv


if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen Windows program must say so before any child process
    sys.exit(main(_file_argument(sys.argv[1:])))
