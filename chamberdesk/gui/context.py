"""What every page is handed: the open data file, the signals that keep pages in step, and the
contract a navigation page follows.

A page lives in `chamberdesk/gui/pages/<name>.py` and exposes `class Page(QWidget)` with:
  - `TITLE: str` (the navigation entry, e.g. "会员台账") and `ICON: str` (a file name in resources/icons)
  - `__init__(self, ctx: AppContext, parent=None)`
  - `refresh(self) -> None`: reload from the services (F5, and after `ctx.data_changed`)
  - optional actions the main window's shortcuts call when the page is shown:
    `new_record()` (Ctrl+N), `find()` (Ctrl+F), `save()` (Ctrl+S), `print_current()` (Ctrl+P),
    `delete_selected()` (Delete), `undo()` (Ctrl+Z)
  - optional `may_leave() -> bool` (another page is about to be shown) and `may_close() -> bool` (the
    window or data file closes): a page with unsaved input asks 保存 / 不保存 / 取消; False keeps it shown
Pages call services through `ctx.db.transaction()` / `ctx.db.session()` and announce writes with
`ctx.data_changed.emit("<table name>")`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from chamberdesk.core.db import Database

NAV_PAGES = ["dashboard", "members", "chambers", "meetings", "activities", "assessment", "reports", "settings"]


class AppContext(QObject):
    """Shared by the main window and every page."""

    data_changed = Signal(str)  # table name, or "" for "anything"
    status_message = Signal(str)
    navigate = Signal(str, object)  # page name, optional argument (e.g. a chamber id or a filter)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
