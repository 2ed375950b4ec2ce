"""Printed forms use Windows' own 宋体/黑体/仿宋 from the Fonts folder when present, the bundled fonts when not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from chamberdesk.io.pdf import fonts


@pytest.fixture
def fresh_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Font discovery from scratch; what it registers is forgotten after the test."""
    monkeypatch.setattr(fonts, "_cache", {})
    monkeypatch.setattr(pdfmetrics, "_fonts", dict(pdfmetrics._fonts))
    monkeypatch.setattr(pdfmetrics, "_typefaces", dict(pdfmetrics._typefaces))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)


def test_system_fonts_from_the_windows_folder(tmp_path: Path, monkeypatch, fresh_fonts) -> None:
    windir = tmp_path / "张 三的 Windows"
    (windir / "Fonts").mkdir(parents=True)
    # Stand-ins under Windows' file names (any TrueType font registers the same way).
    for name in ("simhei.ttf", "simfang.ttf", "simsun.ttc", "simsunb.ttf"):
        shutil.copyfile(fonts.bundled_dir() / fonts.BUNDLED_REGULAR, windir / "Fonts" / name)
    monkeypatch.setenv("WINDIR", str(windir))
    fs = fonts.get_fonts(prefer_system=True)
    used = {role: fs.sources[getattr(fs, role)] for role in ("title", "heading", "body", "table")}
    assert used == {"title": str(windir / "Fonts" / "simhei.ttf"), "heading": str(windir / "Fonts" / "simhei.ttf"),
                    "body": str(windir / "Fonts" / "simfang.ttf"), "table": str(windir / "Fonts" / "simsun.ttc")}
    assert fs.fallbacks[0] == "CD-Sys-SimSunExtB"


def test_bundled_fonts_when_windows_has_none(tmp_path: Path, monkeypatch, fresh_fonts) -> None:
    (tmp_path / "Fonts").mkdir()
    monkeypatch.setenv("WINDIR", str(tmp_path))
    fs = fonts.get_fonts(prefer_system=True)
    for role in ("title", "heading", "body", "table"):
        assert Path(fs.sources[getattr(fs, role)]).parent == fonts.bundled_dir(), role
    assert "CD-Sys-SimSunExtB" not in fs.fallbacks
