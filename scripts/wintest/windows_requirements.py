"""Requirements of the packages installed in a site folder that Windows needs and the folder lacks.

pip, asked for win_amd64 wheels on Linux, still evaluates environment markers for Linux and so leaves
out what is needed on Windows only (pywin32-ctypes for keyring's Credential Manager backend and for
PyInstaller, pefile, colorama …). This reads every installed package's requirements again with
Windows' markers and prints the missing ones, one per line.
"""

import sys
from email.parser import Parser
from pathlib import Path

from pip._vendor.packaging.requirements import Requirement
from pip._vendor.packaging.utils import canonicalize_name

WINDOWS = {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64",
           "python_version": "3.11", "python_full_version": "3.11.9", "implementation_name": "cpython",
           "platform_python_implementation": "CPython", "extra": ""}

metas = [Parser().parsestr(m.read_text(encoding="utf-8")) for m in Path(sys.argv[1]).glob("*.dist-info/METADATA")]
have = {canonicalize_name(m.get("Name", "")) for m in metas}
missing = set()
for meta in metas:
    for line in meta.get_all("Requires-Dist") or []:
        req = Requirement(line)
        if (req.marker is None or req.marker.evaluate(WINDOWS)) and canonicalize_name(req.name) not in have:
            missing.add(f"{req.name}{req.specifier}")
print("\n".join(sorted(missing)))
