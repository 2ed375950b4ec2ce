"""Packaging that pyproject.toml cannot say: rubric_data/ and resources/ stay top-level folders of the
source tree and travel in the wheel as chamberdesk/rubric_data and chamberdesk/resources.

`chamberdesk.paths.bundle_root()` finds them in either place (and in the PyInstaller bundle).
"""

from pathlib import Path

from setuptools import find_packages, setup

# package name in the wheel -> folder of the source tree
DATA_FOLDERS = {"chamberdesk.rubric_data": "rubric_data", "chamberdesk.resources": "resources"}


def data_packages() -> dict[str, list[str]]:
    """Every folder under the data folders as a package of data files (setuptools warns of any left out)."""
    out = {}
    for name, folder in DATA_FOLDERS.items():
        root = Path(folder)
        for d in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
            out[".".join([name, *d.relative_to(root).parts])] = ["*"]
    return out


# Alembic reads the migration scripts as files (they are not imported as a package)
# the header vocabulary is read as a file too
DATA = {"chamberdesk.core.migrations": ["*.py", "*.mako"], "chamberdesk.core.migrations.versions": ["*.py"],
        "chamberdesk.io": ["*.toml"],
        **data_packages()}

setup(
    packages=find_packages(include=["chamberdesk", "chamberdesk.*"]) + list(DATA),
    package_dir=DATA_FOLDERS,
    package_data=DATA,
)
