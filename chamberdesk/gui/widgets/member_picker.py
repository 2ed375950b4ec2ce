"""Pick members from the ledger by typing part of a name, credit code, representative or phone.

    picker = MemberPicker(ctx.db)
    picker.picked.connect(lambda member_id, name: ...)

Searches through core.members (SQL LIKE, at most `limit` hits, in-register members by default), so it
stays quick with 100,000 members. Enter or double-click picks the highlighted hit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from chamberdesk.core.db import Database
from chamberdesk.core.members import MemberFilter, member_ids, members_by_ids


class MemberPicker(QWidget):
    picked = Signal(int, str)  # member id, enterprise name

    def __init__(self, db: Database, parent: QWidget | None = None, *, limit: int = 50,
                 status: str | None = "active") -> None:
        super().__init__(parent)
        self.db = db
        self.limit = limit
        self.status = status
        self.search = QLineEdit()
        self.search.setPlaceholderText("输入企业名称、信用代码、代表人或电话查找会员")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        # county names share their start (清河县…): wrap rather than elide the middle, tooltip in full
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setWordWrap(True)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.results.itemActivated.connect(self._pick_item)
        self.search.returnPressed.connect(self._pick_current)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.search)
        lay.addWidget(self.results, 1)

    def run_search(self) -> None:
        text = self.search.text().strip()
        self.results.clear()
        if not text:
            return
        with self.db.session() as s:
            ids = member_ids(s, MemberFilter(search=text, status=self.status, sort="enterprise_name"))[: self.limit]
            found = members_by_ids(s, ids)
        for mid in ids:
            m = found[mid]
            extra = " · ".join(x for x in (m.rep_name, m.credit_code) if x)
            item = QListWidgetItem(f"{m.enterprise_name}    {extra}" if extra else m.enterprise_name)
            item.setToolTip(item.text())
            item.setData(Qt.ItemDataRole.UserRole, mid)
            item.setData(Qt.ItemDataRole.UserRole + 1, m.enterprise_name)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _pick_current(self) -> None:
        self._timer.stop()
        if not self.results.count():
            self.run_search()
        item = self.results.currentItem()
        if item is not None:
            self._pick_item(item)

    def _pick_item(self, item: QListWidgetItem) -> None:
        self.picked.emit(int(item.data(Qt.ItemDataRole.UserRole)), str(item.data(Qt.ItemDataRole.UserRole + 1)))
