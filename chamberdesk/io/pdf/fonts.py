"""Chinese fonts for the printed forms: discovery (Windows system fonts, else bundled), registration, run splitting."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from chamberdesk.paths import resources_dir

BUNDLED_REGULAR = "NotoSansSC-Regular.ttf"
BUNDLED_BOLD = "NotoSansSC-Bold.ttf"
BUNDLED_EXTB = "HanaMinB-ExtB.ttf"

# Role → Windows font files tried in order: (file name, subfont index for .ttc).
# 小标宋 (FZXBSJW) is not shipped with Windows but offices that install it get the proper title face.
_WINDOWS_CANDIDATES: dict[str, list[tuple[str, int]]] = {
    "title": [("FZXBSJW.TTF", 0), ("simhei.ttf", 0)],
    "heading": [("simhei.ttf", 0)],
    "body": [("simfang.ttf", 0), ("simsun.ttc", 0)],
    "table": [("simsun.ttc", 0), ("simsun.ttf", 0)],
}
_WINDOWS_FALLBACKS = [("simsunb.ttf", 0)]  # SimSun-ExtB: CJK extension B


def _utf16_hex(cp: int) -> str:
    if cp < 0x10000:
        return f"{cp:04X}"
    cp -= 0x10000
    return f"{0xD800 + (cp >> 10):04X}{0xDC00 + (cp & 0x3FF):04X}"


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab writes supplementary-plane code points as bare hex (`<20000>`), which readers
    reject, so extension-B names would not copy or search; write them as UTF-16 surrogate pairs."""
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar",
    ]
    lines += [f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@dataclass
class FontSet:
    """The registered font names per role, and the fallback chain for characters a face lacks."""

    title: str
    heading: str
    body: str
    table: str
    fallbacks: list[str]
    sources: dict[str, str] = field(default_factory=dict)  # registered name → file it came from
    _covered: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def covered(self, font: str) -> frozenset[str]:
        got = self._covered.get(font)
        if got is None:
            face = pdfmetrics.getFont(font).face  # type: ignore[attr-defined]  # a TTFont's face, which the stubs do not declare
            got = frozenset(map(chr, face.charToGlyph))
            self._covered[font] = got
        return got

    def covers(self, font: str, text: str) -> bool:
        return self.covered(font).issuperset(text)

    def runs(self, text: str, font: str) -> list[tuple[str, str]]:
        """Split text into (font, run) pieces: each character in the first face that has it."""
        if self.covers(font, text):
            return [(font, text)]
        chain = [font, *self.fallbacks]
        out: list[tuple[str, str]] = []
        for ch in text:
            use = font
            for f in chain:
                if ch in self.covered(f):
                    use = f
                    break
            if out and out[-1][0] == use:
                out[-1] = (use, out[-1][1] + ch)
            else:
                out.append((use, ch))
        return out

    def markup(self, text: object, font: str) -> str:
        """Paragraph markup for text in `font`, with characters the face lacks switched to a fallback."""
        s = "" if text is None else str(text)
        if self.covers(font, s):
            return escape(s)
        return "".join(escape(run) if f == font else f'<font name="{f}">{escape(run)}</font>'
                       for f, run in self.runs(s, font))


_lock = threading.Lock()
_cache: dict[bool, FontSet] = {}


def windows_font_dirs() -> list[Path]:
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _find(dirs: Iterable[Path], candidates: list[tuple[str, int]]) -> tuple[Path, int] | None:
    for name, index in candidates:
        for d in dirs:
            p = d / name
            if p.is_file():
                return p, index
    return None


def _register(name: str, path: Path, index: int = 0) -> str:
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
    return name


def bundled_dir() -> Path:
    return resources_dir() / "fonts"


def get_fonts(prefer_system: bool | None = None) -> FontSet:
    """Register the fonts once per process and return the role names.

    On Windows the system's 宋体/黑体/仿宋 are used when present (they print as offices expect);
    elsewhere, or when missing, the bundled Noto Sans SC. Every face is embedded as a subset.
    """
    if prefer_system is None:
        prefer_system = sys.platform == "win32" and os.environ.get("CHAMBERDESK_BUNDLED_FONTS") != "1"
    with _lock:
        if prefer_system in _cache:
            return _cache[prefer_system]
        fdir = bundled_dir()
        regular, bold, extb = fdir / BUNDLED_REGULAR, fdir / BUNDLED_BOLD, fdir / BUNDLED_EXTB
        sources: dict[str, str] = {}
        sys_dirs = windows_font_dirs() if prefer_system else []
        roles: dict[str, str] = {}
        for role in ("title", "heading", "body", "table"):
            found = _find(sys_dirs, _WINDOWS_CANDIDATES[role]) if sys_dirs else None
            if found:
                name = f"CD-Sys-{found[0].stem}-{found[1]}"
                roles[role] = _register(name, *found)
                sources[name] = str(found[0])
            else:
                path = bold if role in ("title", "heading") else regular
                name = "CD-NotoSansSC-Bold" if path is bold else "CD-NotoSansSC"
                roles[role] = _register(name, path)
                sources[name] = str(path)
        fallbacks: list[str] = []
        found = _find(sys_dirs, _WINDOWS_FALLBACKS) if sys_dirs else None
        if found:
            fallbacks.append(_register("CD-Sys-SimSunExtB", *found))
            sources["CD-Sys-SimSunExtB"] = str(found[0])
        # Noto Sans SC holds the rarer characters of the 通用规范汉字表 that 宋体 lacks; HanaMin B the rest.
        fallbacks.append(_register("CD-NotoSansSC", regular))
        sources["CD-NotoSansSC"] = str(regular)
        if extb.is_file():
            fallbacks.append(_register("CD-HanaMinB", extb))
            sources["CD-HanaMinB"] = str(extb)
        fallbacks = [f for f in dict.fromkeys(fallbacks) if f not in roles.values() or f == "CD-NotoSansSC"]
        fs = FontSet(title=roles["title"], heading=roles["heading"], body=roles["body"], table=roles["table"],
                     fallbacks=fallbacks, sources=sources)
        _cache[prefer_system] = fs
        return fs
