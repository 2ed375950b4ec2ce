"""Estimate the Windows one-folder and installer sizes from a Linux build and the Windows wheels.

    pip download --platform win_amd64 --python-version 3.11 --only-binary=:all: --no-deps -d WHEELS \\
        PySide6-Essentials==X PySide6-Addons==X shiboken6==X lxml pillow python-calamine pydantic-core \\
        psycopg-binary sqlalchemy
    python installer/estimate_windows_size.py dist/ChamberDesk WHEELS      (needs pefile)

The Linux bundle gives everything that is the same on Windows (Python bytecode, resources, fonts,
rubrics, manual, Qt catalogues) and which extension modules and Qt plugins the spec kept; each is
swapped for its Windows file from the wheels, plus every DLL those import (PE import tables),
filtered by the same bundle_rules. CPython's own Windows DLLs are not on PyPI: they are counted as
a fixed allowance. The set is packed into one solid LZMA2 stream with a 64 MiB dictionary, as
Inno Setup's lzma2/ultra64 does.
"""

from __future__ import annotations

import argparse
import io
import lzma
import sys
import zipfile
from pathlib import Path

import pefile

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bundle_rules import keep  # noqa: E402

# python311.dll, the stdlib .pyd files, sqlite3.dll, libcrypto/libssl, libffi, vcruntime of the
# python.org 3.11 amd64 build: about 17 MB.
CPYTHON_DLLS_BYTES = 17 * 2**20
# Linux plugin → Windows plugin; Linux-only kinds (xcb, wayland, DBus themes) have no counterpart.
PLUGIN_KINDS_WINDOWS = {"platforms", "imageformats", "iconengines", "styles"}
LINUX_ONLY_PLATFORMS = ("xcb", "wayland", "eglfs", "linuxfb", "vnc")


def _is_elf(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"\x7fELF"


def _stem(name: str) -> str:
    return name.split(".", 1)[0].lower()


class Wheels:
    def __init__(self, folder: Path) -> None:
        self.members: dict[str, tuple[zipfile.ZipFile, zipfile.ZipInfo]] = {}
        for whl in sorted(folder.glob("*win_amd64.whl")):
            zf = zipfile.ZipFile(whl)
            for info in zf.infolist():
                if not info.is_dir():
                    self.members[info.filename] = (zf, info)
        self.dlls = {p.rsplit("/", 1)[-1].lower(): p for p in self.members if p.lower().endswith(".dll")}

    def read(self, member: str) -> bytes:
        zf, info = self.members[member]
        return zf.read(info)

    def pyd_for(self, linux_rel: str) -> str | None:
        """`lxml/etree.cpython-311-x86_64-linux-gnu.so` → `lxml/etree.cp311-win_amd64.pyd`."""
        folder, _, name = linux_rel.rpartition("/")
        prefix = f"{folder}/" if folder else ""
        for member in self.members:
            if member.startswith(prefix) and "/" not in member[len(prefix):] and member.endswith(".pyd") \
                    and _stem(member[len(prefix):]) == _stem(name):
                return member
        return None

    def imports(self, member: str) -> list[str]:
        pe = pefile.PE(data=self.read(member), fast_load=True)
        pe.parse_data_directories(directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"]])
        return [e.dll.decode().lower() for e in getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])]


def windows_binaries(bundle: Path, wheels: Wheels) -> tuple[list[str], list[str]]:
    internal = bundle / "_internal"
    roots, missing = [], []
    for path in sorted(internal.rglob("*")):
        rel = path.relative_to(internal).as_posix()
        if path.is_symlink() or not path.is_file() or rel.startswith("python3."):
            continue
        if "/plugins/" in rel:
            kind = rel.split("/plugins/", 1)[1].split("/", 1)[0]
            if kind not in PLUGIN_KINDS_WINDOWS or any(x in rel for x in LINUX_ONLY_PLATFORMS):
                continue
            win = f"PySide6/plugins/{kind}/{path.name.removeprefix('lib').replace('.so', '.dll')}"
            (roots if win in wheels.members else missing).append(win)
        elif ".so" in path.name and "/" in rel and not path.name.startswith("lib") \
                and not rel.split("/", 1)[0].endswith(".libs") and "/Qt/lib/" not in rel and _is_elf(path):
            win = wheels.pyd_for(rel)
            if win:
                roots.append(win)
            else:
                missing.append(rel)
    # Windows' own platform plugin and native style have no Linux counterpart to map from.
    roots += [m for m in wheels.members if m.startswith("PySide6/plugins/styles/")
              or m == "PySide6/plugins/platforms/qwindows.dll"]
    seen, todo = set(roots), list(roots)
    while todo:
        for dll in wheels.imports(todo.pop()):
            member = wheels.dlls.get(dll)
            if member and member not in seen and keep(member):
                seen.add(member)
                todo.append(member)
    return sorted(m for m in seen if keep(m)), missing


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundle", type=Path, help="the Linux one-folder build (dist/ChamberDesk)")
    ap.add_argument("wheels", type=Path, help="folder of win_amd64 wheels")
    args = ap.parse_args(argv)
    wheels = Wheels(args.wheels)
    binaries, missing = windows_binaries(args.bundle, wheels)

    blobs: list[tuple[str, bytes]] = []
    for path in sorted(args.bundle.rglob("*"), key=lambda p: p.as_posix().lower()):
        if path.is_symlink() or not path.is_file():
            continue
        if path.parent == args.bundle:  # the two programs: bootloader + the same archive of Python code
            blobs.append((path.name, path.read_bytes()))
        elif not _is_elf(path):
            blobs.append((path.relative_to(args.bundle).as_posix(), path.read_bytes()))
    same = sum(len(b) for _, b in blobs)
    blobs += [(f"_internal/{m}", wheels.read(m)) for m in binaries]
    win_bin = sum(len(b) for _, b in blobs) - same
    blobs.sort(key=lambda x: x[0].lower())

    comp = lzma.LZMACompressor(format=lzma.FORMAT_XZ, filters=[
        {"id": lzma.FILTER_LZMA2, "preset": 9 | lzma.PRESET_EXTREME, "dict_size": 64 * 2**20}])
    packed = io.BytesIO()
    for _name, data in blobs:
        packed.write(comp.compress(data))
    packed.write(comp.flush())
    # The CPython DLLs compress like the other DLLs here.
    dll_ratio = len(lzma.compress(b"".join(wheels.read(m) for m in binaries[:40]), preset=6)) / max(
        1, sum(len(wheels.read(m)) for m in binaries[:40]))
    py_packed = int(CPYTHON_DLLS_BYTES * dll_ratio)
    mib = 2**20
    fonts = sum(len(b) for n, b in blobs if n.startswith("_internal/resources/fonts/"))
    installed = same + win_bin + CPYTHON_DLLS_BYTES
    setup = len(packed.getvalue()) + py_packed + 2 * mib  # + the Setup program itself
    lines = [f"Windows binaries from the wheels: {len(binaries)} files, {win_bin / mib:.1f} MiB"]
    lines += [f"    {len(wheels.read(m)) / mib:6.2f}  {m}" for m in binaries]
    if missing:
        lines.append("no Windows counterpart found for: " + ", ".join(missing))
    lines += [
        f"Same on both systems (programs, Python code, resources; fonts {fonts / mib:.1f} MiB): {same / mib:.1f} MiB",
        f"CPython DLL allowance: {CPYTHON_DLLS_BYTES / mib:.1f} MiB",
        f"Estimated installed size: {installed / mib:.1f} MiB",
        f"Estimated installer (LZMA2, 64 MiB dictionary): {setup / mib:.1f} MiB ({setup / 1e6:.1f} MB)",
    ]
    print("\n".join(lines))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
