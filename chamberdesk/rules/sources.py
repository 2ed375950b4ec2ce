"""The 依据 of a rubric in readers' words: the cited file's document title and clause, never its file name.

Rubric files cite their sources as "<file> <clause>" (000_02884ba88268a9b7.txt 三（三）), several joined by
；; a part without a file name cites the file named before it. The titles live beside the rubrics, in
rubric_data/sources/documents.toml."""

from __future__ import annotations

import re
import tomllib
from functools import cache

from chamberdesk import paths

_FILE = re.compile(r"^\s*(\d{3}_[0-9a-f]{16}\.txt)\s*")


@cache
def _documents() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """file name -> [(title, the ways the rubrics cite it after the file name)], in the file's order."""
    path = paths.rubric_data_dir() / "sources" / "documents.toml"
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for d in data.get("document", []):
        cited = tuple(sorted(d.get("cited", []), key=len, reverse=True))  # the longest way first
        out.setdefault(d["file"], []).append((d["title"], cited))
    return out


def _titled(file: str, clause: str) -> tuple[str, str]:
    """(document title, the clause within it)."""
    docs = _documents().get(file, [])
    for title, cited in docs:
        for c in cited:
            if clause.startswith(c):
                return title, clause[len(c):].strip()
    if docs:
        return docs[0][0], clause
    return "", clause  # a file not listed: its clause alone rather than a file name


def source_text(source: str) -> str:
    """豫联(组)〔2013〕11号附件《河南省县级工商联建设示范点“五好标准”》第一条 for
    "002_12fb609d4e43a457.txt 11号 附件 第一条"; text without a file name is returned as it is."""
    parts = []
    file = last = ""
    for part in source.split("；"):
        m = _FILE.match(part)
        if m:
            file, part = m.group(1), part[m.end():]
        if not file:
            parts.append(part.strip())
            continue
        title, clause = _titled(file, part.strip())
        # a further clause of the document just named is not preceded by its title again
        parts.append(clause if title == last and not m else title + clause)
        last = title
    return "；".join(p for p in parts if p)


__all__ = ["source_text"]
