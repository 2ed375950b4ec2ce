"""Screenshots of every page and the main dialogs on the demo county, at one screen size.

    python scripts/screenshots.py OUTDIR --size 1366x768 [--scale 1.25]

Offscreen, on a fresh demo county in a temporary folder, with settings in that folder too (the
clerk's own window layout is never read or written). `scripts/dev screenshots OUTDIR` runs it at the
three sizes clerks' laptops have: 1366×768 at 100 %, 1920×1080 at 125 % and at 150 %. The window
gets what a maximised window gets on Windows: the screen in logical pixels less the taskbar.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

TASKBAR = 48  # logical pixels Windows keeps for the taskbar


def main() -> int:
    ap = argparse.ArgumentParser(description="每个页面和主要对话框的截图")
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--size", default="1366x768", help="屏幕分辨率，如 1920x1080")
    ap.add_argument("--scale", type=float, default=1.0, help="显示缩放，如 1.25")
    args = ap.parse_args()
    w, h = (int(x) for x in args.size.lower().split("x"))
    tag = f"{w}x{h}@{int(args.scale * 100)}"
    args.outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # set before Qt starts: a screen of this size less the taskbar (dialogs size themselves to it), and the scale
        screen = Path(tmp) / "screen.json"
        screen.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": w,
                                                   "height": h - int(TASKBAR * args.scale), "logicalDpi": 96,
                                                   "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
        return shoot(args.outdir, tag, int(w / args.scale), int(h / args.scale) - TASKBAR, Path(tmp))


def shoot(outdir: Path, tag: str, width: int, height: int, tmp: Path) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDialog, QWidget

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    from chamberdesk.core.db import open_database
    from chamberdesk.gui.app import make_app
    from chamberdesk.gui.context import NAV_PAGES
    from chamberdesk.gui.main_window import MainWindow
    from chamberdesk.rules.demo import build_demo

    app = make_app()
    db = open_database(tmp / "演示县.db", create=True)
    build_demo(db)
    win = MainWindow(db)
    win.resize(width, height)
    win.show()
    written: list[Path] = []

    def save(widget: QWidget, name: str) -> None:
        for _ in range(3):
            app.processEvents()
        path = outdir / f"{tag}-{len(written) + 1:02d}-{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    for name in NAV_PAGES:
        win.navigate(name)
        save(win, name)
        page = win.pages[name]
        if name == "members":
            page.table.selectRow(0)
            save(win, "members-selected")
        if name == "reports":
            for i in range(1, page.tabs.count()):
                page.tabs.setCurrentIndex(i)
                save(win, f"reports-{i + 1}")
            page.tabs.setCurrentIndex(0)
        if name == "activities":
            page.tabs.setCurrentIndex(1)
            save(win, "activities-contacts")
            page.tabs.setCurrentIndex(0)
        if name == "assessment":
            page.tabs.setCurrentIndex(1)
            save(win, "assessment-matrix")
            # the year-end checklist of the demo's past year, which has every step in some state
            page.year_box.setCurrentIndex(page.year_box.findData(date.today().year - 1))
            page.tabs.setCurrentWidget(page.year_end)
            save(win, "assessment-year-end")
            page.tabs.setCurrentIndex(0)

    def dialog(name: str, make: Callable[[], QDialog]) -> None:
        dlg = make()
        dlg.show()
        save(dlg, name)
        dlg.reject()
        dlg.deleteLater()

    from chamberdesk.core.members import MemberFilter, member_ids
    from chamberdesk.gui.dialogs.chamber_editor import ChamberEditor
    from chamberdesk.gui.dialogs.contact_dialog import ContactDialog
    from chamberdesk.gui.dialogs.member_editor import MemberEditor
    from chamberdesk.gui.dialogs.welcome import WelcomeDialog

    with db.session() as s:
        first = member_ids(s, MemberFilter())[0]
    dialog("dialog-member-new", lambda: MemberEditor(win.ctx, None, win))
    dialog("dialog-member-edit", lambda: MemberEditor(win.ctx, first, win))
    dialog("dialog-chamber", lambda: ChamberEditor(win.ctx, win.pages["chambers"].current_id(), win)
           if hasattr(win.pages["chambers"], "current_id") else ChamberEditor(win.ctx, None, win))
    dialog("dialog-contact", lambda: ContactDialog(win.ctx, member_id=first, parent=win))
    dialog("dialog-welcome", lambda: WelcomeDialog(tmp / "新建.db", win))
    from chamberdesk.gui.dialogs.import_wizard import ImportWizard
    from chamberdesk.gui.dialogs.print_preview import PrintPreviewDialog
    from chamberdesk.gui.dialogs.recycle_bin import RecycleBinDialog
    from chamberdesk.gui.pages.assessment import RubricEditor
    from chamberdesk.gui.pages.year_end import StepsDialog, TallyDialog
    from chamberdesk.gui.widgets.files import FileNotice
    from chamberdesk.io.pdf.jobs import PrintRequest, run

    checklist = win.pages["assessment"].year_end.checklist
    if checklist is not None:
        last = checklist.rows[-1]
        dialog("dialog-year-end-steps", lambda: StepsDialog(win.ctx, last.chamber_id, last.chamber, checklist.year, win))
        dialog("dialog-tally", lambda: TallyDialog(win.ctx, checklist.rubric, checklist.year, last.chamber_id, win))
    dialog("dialog-import-wizard", lambda: ImportWizard(win.ctx, win))
    dialog("dialog-recycle-bin", lambda: RecycleBinDialog(win.ctx, win))
    dialog("dialog-rubric-editor", lambda: RubricEditor(win.pages["assessment"].rubric, win))
    roster = run(db, PrintRequest(form="roster", targets=None), tmp / "名册.pdf")[0]
    dialog("dialog-print-preview", lambda: PrintPreviewDialog(roster, "打印预览 — 商会会员名册", win))

    sample = tmp / "2026年度会员台账.xlsx"
    sample.write_bytes(b"")
    dialog("dialog-file-notice", lambda: FileNotice(win, "导出完成", sample))

    win.close()
    db.close()
    app.processEvents()
    print(f"{tag}：已写出 {len(written)} 张截图到 {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
