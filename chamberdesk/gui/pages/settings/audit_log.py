"""设置 → 审计日志: the audit log in words, filtered, paged and exported."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import audit, models
from chamberdesk.core import choices as ch
from chamberdesk.core.choices import AuditAction
from chamberdesk.core.models import AUDITED_TABLES
from chamberdesk.gui.pages.settings.common import run_in_background

if TYPE_CHECKING:
    from chamberdesk.gui.pages.settings import Page


AUDIT_PAGE = 300  # rows fetched at a time; scrolling down (or 加载更多) fetches the next page

# Column labels of every table, for showing before/after values in words.
_FIELD_LABELS: dict[str, str] = {}
for _name in dir(models):
    if _name.endswith("_LABELS") and isinstance(getattr(models, _name), dict) and _name != "AUDITED_TABLES":
        for _k, _v in getattr(models, _name).items():
            _FIELD_LABELS.setdefault(_k, _v)
_FIELD_LABELS.update({
    "username": "用户名", "display_name": "显示名称", "role": "角色", "failed_count": "密码连续错误次数",
    "locked_until": "锁定至", "active": "启用", "key": "设置项", "value": "值", "created_at": "创建时间",
    "deleted_at": "删除时间", "field": "字段", "label": "内容",
})



_FIELD_LABELS.update({
    "id": "记录号", "version": "版本", "updated_at": "修改时间", "chamber_id": "所属单位", "member_id": "会员",
    "meeting_id": "会议", "activity_id": "活动", "evidence_id": "凭证", "record_id": "记录号",
    "table_name": "对象",
})
# Per table first: the same field name means different things in different tables ("kind").
_TABLE_LABELS: dict[str, dict[str, str]] = {
    "federation": models.FEDERATION_LABELS, "chamber": models.CHAMBER_LABELS, "member": models.MEMBER_LABELS,
    "meeting": models.MEETING_LABELS, "activity": models.ACTIVITY_LABELS, "contact": models.CONTACT_LABELS,
}
# Coded fields (table, field) → their enum, so the log shows 万企兴万村, not villages.
_CODED: dict[tuple[str, str], type[ch.Choice]] = {
    ("chamber", "kind"): ch.ChamberKind, ("chamber", "status"): ch.ChamberStatus,
    ("chamber", "party_org"): ch.PartyOrg, ("chamber", "rules"): ch.ChamberRule,
    ("member", "kind"): ch.MemberKind, ("member", "rep_gender"): ch.Gender, ("member", "size_class"): ch.SizeClass,
    ("member", "rep_political_status"): ch.PoliticalStatus, ("member", "industry"): ch.Industry,
    ("membership", "position"): ch.Position, ("politicalseat", "kind"): ch.SeatKind,
    ("politicalseat", "level"): ch.SeatLevel, ("meeting", "body"): ch.MeetingBody,
    ("activity", "category"): ch.ActivityCategory, ("contact", "way"): ch.ContactWay, ("app_user", "role"): ch.Role,
}
# Tables where an empty chamber means the federation's own record.
_FEDERATION_LEVEL = {"meeting", "activity", "contact", "membership", "evidence"}
SYSTEM_USER = "（系统）"


def _label_value(table: str, key: str, v: Any, chambers: dict[int, str]) -> str:
    if key == "chamber_id":
        if v in (None, ""):
            return "本级工商联" if table in _FEDERATION_LEVEL else ""
        return chambers.get(v, f"商会（记录号 {v}）")
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    enum = _CODED.get((table, key))
    if enum is not None and isinstance(v, str):
        parts = [p for p in v.split(",") if p] if "," in v else [v]
        return "、".join(ch.label_of(enum, p) or p for p in parts)
    return str(v)


def format_change(raw: str | None, table: str = "", chambers: dict[int, str] | None = None) -> str:
    """A before/after JSON record in words: Chinese field names and labels for coded values."""
    if not raw:
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(data, dict):
        return str(data)
    names = _TABLE_LABELS.get(table, {})
    return "；".join(f"{names.get(k) or _FIELD_LABELS.get(k, k)}：{_label_value(table, k, v, chambers or {})}"
                    for k, v in data.items())



AUDIT_COLUMNS = ["时间", "用户", "操作", "对象", "记录号", "修改前", "修改后"]


class AuditModel(QAbstractTableModel):
    """Rows handed in by the tab (plain tuples); read-only."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple] = []
        self.total = 0  # rows that match the filters
        self.loader = None  # (offset) -> next page of rows

    def set_rows(self, rows: list[tuple], total: int | None = None, loader=None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.total = len(rows) if total is None else total
        self.loader = loader
        self.endResetModel()

    # Qt asks for more when the view is scrolled to the bottom.
    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.loader is not None and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        more = self.loader(len(self.rows))
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AUDIT_COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        v = self.rows[index.row()][index.column()]
        return "" if v is None else str(v)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return AUDIT_COLUMNS[section]
        return None


def _core_user(user: str) -> str | None:
    return None if user == SYSTEM_USER else user


def audit_count(session, *, user: str = "", table: str = "", start: date | None = None,
                end: date | None = None) -> int:
    return audit.audit_count(session, user=_core_user(user), table=table, since=start, until=end)


def audit_rows(session, *, user: str = "", table: str = "", start: date | None = None, end: date | None = None,
               limit: int | None = AUDIT_PAGE, offset: int = 0) -> list[tuple]:
    """One page of the log, newest first, in words."""
    entries = audit.audit_page(session, user=_core_user(user), table=table, since=start, until=end,
                               offset=offset, limit=limit)
    chambers = audit.chamber_names(session)
    out = []
    for e in entries:
        act = AuditAction.parse(e.action)
        out.append((e.at.strftime("%Y-%m-%d %H:%M:%S"), e.user or SYSTEM_USER, act.label if act else e.action,
                    AUDITED_TABLES.get(e.table_name, e.table_name), e.record_id,
                    format_change(e.before, e.table_name, chambers), format_change(e.after, e.table_name, chambers)))
    return out


def export_audit_xlsx(rows: list[tuple], path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志")
    ws.append(AUDIT_COLUMNS)
    for r in rows:
        ws.append(list(r))
    tmp = path.with_name(path.name + ".part")
    wb.save(tmp)
    tmp.replace(path)
    return path


class AuditTab(QWidget):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.user = QComboBox()
        self.user.setObjectName("auditUser")
        self.user.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.table = QComboBox()
        self.table.setObjectName("auditTable")
        self.table.addItem("全部对象", "")
        for key, label in AUDITED_TABLES.items():
            self.table.addItem(label, key)
        self.start = QDateEdit()
        self.end = QDateEdit()
        for w in (self.start, self.end):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        self.start.setDate(QDate.currentDate().addYears(-1))
        self.end.setDate(QDate.currentDate())
        apply_btn = QPushButton("筛选")
        apply_btn.clicked.connect(self.refresh)
        self.export_btn = QPushButton("导出 Excel…")
        self.export_btn.setObjectName("exportAudit")
        self.export_btn.clicked.connect(self.export)
        self.count = QLabel()
        self.model = AuditModel()
        self.view = QTableView()
        self.view.setObjectName("auditView")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        for i, w in enumerate((150, 80, 80, 90, 60, 320)):
            self.view.setColumnWidth(i, w)
        row = QHBoxLayout()
        for label, w in (("用户", self.user), ("对象", self.table), ("从", self.start), ("到", self.end)):
            row.addWidget(QLabel(label))
            row.addWidget(w)
        row.addWidget(apply_btn)
        row.addStretch(1)
        row.addWidget(self.count)
        self.more_btn = QPushButton("加载更多")
        self.more_btn.setObjectName("auditMore")
        self.more_btn.clicked.connect(lambda: self.model.fetchMore())
        self.model.rowsInserted.connect(lambda *_: self._show_count())
        row.addWidget(self.more_btn)
        row.addWidget(self.export_btn)
        note = QLabel("审计日志只能查看和导出，不能修改；至少保留 3 年。")
        note.setObjectName("muted")
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.view, 1)
        lay.addWidget(note)

    def filters(self) -> dict[str, Any]:
        return {"user": self.user.currentData() or "", "table": self.table.currentData() or "",
                "start": self.start.date().toPython(), "end": self.end.date().toPython()}

    def _fill_users(self, session) -> None:
        current = self.user.currentData()
        found = audit.audit_users(session)
        names = [u for u in found if u]
        self.user.blockSignals(True)
        self.user.clear()
        self.user.addItem("全部用户", "")
        for n in names:
            self.user.addItem(n, n)
        if len(names) < len(found):
            self.user.addItem(SYSTEM_USER, SYSTEM_USER)
        idx = self.user.findData(current) if current else 0
        self.user.setCurrentIndex(max(idx, 0))
        self.user.blockSignals(False)

    def refresh(self) -> None:
        flt = self.filters()
        db = self.page.ctx.db
        with db.session() as s:
            self._fill_users(s)
            rows = audit_rows(s, **flt)
            total = audit_count(s, **flt) if len(rows) >= AUDIT_PAGE else len(rows)

        def load(offset: int) -> list[tuple]:
            with db.session() as s2:
                return audit_rows(s2, **flt, offset=offset)

        self.model.set_rows(rows, total, load)
        self._show_count()

    def _show_count(self) -> None:
        shown, total = len(self.model.rows), self.model.total
        self.more_btn.setVisible(shown < total)
        self.count.setText(f"共 {total} 条" if shown >= total else f"已显示最新 {shown} 条，共 {total} 条（向下滚动加载更多）")

    def export(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "导出审计日志", f"审计日志-{date.today():%Y%m%d}.xlsx",
                                                  "Excel 工作簿 (*.xlsx)")
            if not path:
                return
        target = Path(path)
        flt = self.filters()
        db = self.page.ctx.db

        def work() -> Path:
            with db.session() as s:
                rows = audit_rows(s, **flt, limit=None)
            return export_audit_xlsx(rows, target)

        run_in_background(self, "导出审计日志", work, lambda p: self.page.ctx.status_message.emit(f"审计日志已导出到 {p}"),
             "正在导出……")
