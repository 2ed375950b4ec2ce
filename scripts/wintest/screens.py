"""Screenshots of every page at a Windows display scale, to look for clipped or overlapping text.

    scripts/dev wintest --python scripts/wintest/screens.py OUT_DIR DATA_FILE SCALE WIDTH HEIGHT
    e.g. SCALE 1.25 with 1093 × 614 (a 1366 × 768 laptop at 125 %), 1.5 with 1280 × 720 (1920 × 1080 at 150 %)

Uses Qt's real Windows platform under wine (wine's fonts, not Windows' own). Wine does not hand QT_*
variables on to Windows programs, so the scale is set here. Prints each page's window size: a window
wider or taller than asked is one whose layout does not fit that screen.
"""

import os
import sys
import time
from pathlib import Path

out, data, scale, width, height = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
os.environ["QT_SCALE_FACTOR"] = scale

from chamberdesk.core.db import open_database  # noqa: E402
from chamberdesk.gui.app import make_app  # noqa: E402
from chamberdesk.gui.context import NAV_PAGES  # noqa: E402
from chamberdesk.gui.main_window import MainWindow  # noqa: E402

app = make_app()
db = open_database(data)
win = MainWindow(db)
win.resize(width, height)
win.show()
out.mkdir(parents=True, exist_ok=True)
for name in NAV_PAGES:
    win.navigate(name)
    for _ in range(30):  # let the page load and lay out
        app.processEvents()
        time.sleep(0.01)
    win.grab().save(str(out / f"{name}-{scale}.png"))
    size = win.size()
    print(f"{name}: {size.width()} × {size.height()}" + ("（超出）" if size.width() > width or size.height() > height else ""))
win.close()
db.close()
