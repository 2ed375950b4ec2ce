"""Render resources/icons/app.svg into installer/chamberdesk.ico (16–256 px) for the .exe and the installer."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QBuffer, QIODevice, QSize  # noqa: E402
from PySide6.QtGui import QGuiApplication, QIcon  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from chamberdesk.paths import resources_dir  # noqa: E402

SIZES = [16, 24, 32, 48, 64, 128, 256]


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    svg = resources_dir() / "icons" / "app.svg"
    pm = QIcon(str(svg)).pixmap(QSize(256, 256))
    if pm.isNull():
        raise SystemExit(f"cannot render {svg}")
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    pm.save(buf, "PNG")
    img = Image.open(io.BytesIO(bytes(buf.data()))).convert("RGBA")
    out = ROOT / "installer" / "chamberdesk.ico"
    img.save(out, format="ICO", sizes=[(s, s) for s in SIZES])
    print(f"wrote {out.name}: {out.stat().st_size} bytes")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
