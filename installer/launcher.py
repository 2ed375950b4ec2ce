"""Entry point of the frozen program: the same `chamberdesk` command (no arguments opens the window).

Windows starts us with a bare file path when a clerk double-clicks an associated file: a data file
(.db) opens as `--db`, an upward data package (.cdpkg) is handed to the window to show.
"""

import multiprocessing
import os
import sys
from pathlib import Path

from chamberdesk.cli import main

PACKAGE_SUFFIXES = (".cdpkg",)


def _file_argument(argv: list[str]) -> list[str]:
    if len(argv) != 1 or argv[0].startswith("-"):
        return argv
    path = Path(argv[0])
    if not path.is_file():
        return argv
    if path.suffix.lower() in PACKAGE_SUFFIXES:
        os.environ["CHAMBERDESK_OPEN_PACKAGE"] = str(path)
        return []
    if path.suffix.lower() == ".db":
        return ["--db", str(path)]
    return argv


if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen Windows program must say so before any child process
    sys.exit(main(_file_argument(sys.argv[1:])))
