"""回收站: soft-deleted members, chambers, meetings, activities and contacts, to restore or purge for good."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from chamberdesk.core import records
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.models import Activity, Chamber, Contact, Meeting, Member
from chamberdesk.gui.context import AppContext
from chamberdesk.gui.widgets.buttons import confirm
from chamberdesk.gui.widgets.roles import can_edit, is_admin, refusal_tip


@dataclass(frozen=True)
class Kind:
    key: str  # table name, also what data_changed announces
    label: str
    model: type
    columns: tuple[str, str]  # name/title, date


KINDS = [
    Kind("member", "会员", Member, ("企业名称", "入会日期")),
    Kind("chamber", "商会", Chamber, ("商会名称", "成立日期")),
    Kind("meeting", "会议", Meeting, ("会议", "会议日期")),
    Kind("activity", "活动", Activity, ("活动名称", "活动日期")),
    Kind("contact", "走访联系", Contact, ("会员 · 方式", "日期")),
]


class RecycleBinDialog(QDialog):
    """One tab per record kind; 恢复 and 彻底删除 act on the selected rows of the current tab."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, kind: str = "member") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.changed = False  # whether anything was restored or purged, for the opener to refresh
        self.setWindowTitle("回收站")
        self.tabs = QTabWidget()
        self.tables: dict[str, QTableWidget] = {}
        for k in KINDS:
            t = QTableWidget(0, 3)
            t.setHorizontalHeaderLabels([k.columns[0], k.columns[1], "删除时间"])
            t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            t.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
            t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            t.setAlternatingRowColors(True)
            t.verticalHeader().setVisible(False)
            t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            t.setColumnWidth(1, 110)
            t.setColumnWidth(2, 140)
            t.itemSelectionChanged.connect(self._update_buttons)
            self.tables[k.key] = t
            self.tabs.addTab(t, k.label)
        self.tabs.currentChanged.connect(lambda _i: self._update_buttons())
        hint = QLabel("删除的记录先放在回收站里，可以恢复；彻底删除后无法找回。")
        hint.setObjectName("muted")
        self.restore_btn = QPushButton("恢复")
        self.restore_btn.setObjectName("primary")
        self.restore_btn.clicked.connect(self.restore_selected)
        self.purge_btn = QPushButton("彻底删除")
        self.purge_btn.clicked.connect(self.purge_selected)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        for b in (self.purge_btn, self.restore_btn, close):
            b.setAutoDefault(False)  # Enter must never start a purge
        buttons = QHBoxLayout()
        buttons.addWidget(self.purge_btn)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_btn)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(buttons)
        self.resize(720, 460)
        self.reload()
        self.show_kind(kind)

    # --- contents ------------------------------------------------------------------------------
    def show_kind(self, key: str) -> None:
        keys = [k.key for k in KINDS]
        if key in keys:
            self.tabs.setCurrentIndex(keys.index(key))

    def current_kind(self) -> Kind:
        return KINDS[self.tabs.currentIndex()]

    def reload(self) -> None:
        with self.ctx.db.session() as s:
            for i, k in enumerate(KINDS):
                rows = records.recycle_bin_rows(s, k.key)
                t = self.tables[k.key]
                t.setRowCount(len(rows))
                for r, (rid, name, when, deleted) in enumerate(rows):
                    for c, text in enumerate((name, when, deleted)):
                        item = QTableWidgetItem(text)
                        item.setData(Qt.ItemDataRole.UserRole, rid)
                        t.setItem(r, c, item)
                self.tabs.setTabText(i, f"{k.label}（{len(rows)}）" if rows else k.label)
        self._update_buttons()

    def ids(self, key: str | None = None) -> list[int]:
        """Record ids listed on a tab (the current one by default), top to bottom."""
        t = self.tables[key or self.current_kind().key]
        return [t.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(t.rowCount())]

    def selected_ids(self) -> list[int]:
        t = self.tables[self.current_kind().key]
        rows = sorted({i.row() for i in t.selectionModel().selectedRows()})
        return [t.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in rows]

    def select_ids(self, key: str, ids: list[int]) -> None:
        self.show_kind(key)
        t = self.tables[key]
        t.clearSelection()
        t.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for r in range(t.rowCount()):
            if t.item(r, 0).data(Qt.ItemDataRole.UserRole) in ids:
                t.selectRow(r)
        t.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def _update_buttons(self) -> None:
        any_selected = bool(self.selected_ids())
        edit = can_edit(self.ctx.db)
        self.restore_btn.setEnabled(any_selected and edit)
        self.restore_btn.setToolTip("" if edit else refusal_tip(self.ctx.db))
        admin = is_admin(self.ctx.db)
        self.purge_btn.setEnabled(any_selected and admin)
        self.purge_btn.setToolTip("永久删除，无法恢复" if admin else "只有管理员可以彻底删除")

    # --- actions -------------------------------------------------------------------------------
    def _run(self, title: str, fn: Callable[[Session], Any]) -> bool:
        try:
            with self.ctx.db.transaction() as s:
                fn(s)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, title, str(exc))
            return False
        except IntegrityError:
            QMessageBox.warning(self, title, INTEGRITY_MESSAGES[title])
            return False
        self.changed = True
        self.ctx.data_changed.emit(self.current_kind().key)
        self.reload()
        return True

    def restore_selected(self) -> bool:
        ids, kind = self.selected_ids(), self.current_kind()
        if not ids:
            return False

        def run(s: Session) -> None:
            for rid in ids:
                records.restore(s, kind.model, rid)

        if not self._run("恢复", run):
            return False
        self.ctx.status_message.emit(f"已从回收站恢复 {len(ids)} 条{kind.label}记录")
        return True

    def purge_selected(self) -> bool:
        ids, kind = self.selected_ids(), self.current_kind()
        if not ids:
            return False
        if not is_admin(self.ctx.db):
            QMessageBox.warning(self, "彻底删除", "只有管理员可以彻底删除回收站中的记录。")
            return False
        t = self.tables[kind.key]
        first = t.item(t.selectionModel().selectedRows()[0].row(), 0).text()
        what = f"“{first}”" if len(ids) == 1 else f"选中的 {len(ids)} 条{kind.label}记录"
        if not confirm(self, "彻底删除", f"确定彻底删除{what}吗？\n彻底删除后不能撤销，也无法从回收站恢复。",
                       yes="彻底删除", warning=True, destructive=True):
            return False

        def run(s: Session) -> None:
            for rid in ids:
                records.purge(s, kind.model, rid)

        if not self._run("彻底删除", run):
            return False
        self.ctx.status_message.emit(f"已彻底删除 {len(ids)} 条{kind.label}记录")
        return True


# The database refuses: purging a record others still point to, or restoring one whose name or code is now
# taken by a live record. Nothing was changed (the transaction rolled back).
INTEGRITY_MESSAGES = {
    "彻底删除": "所选记录仍有关联的历史记录（如商会职务、走访、会议或活动），为保留历史不能彻底删除，"
                "可以继续留在回收站中。未做任何修改。",
    "恢复": "不能恢复：已有一条在用的记录使用了相同的名称、信用代码或身份证号。请先修改那条记录，再恢复。未做任何修改。",
}
