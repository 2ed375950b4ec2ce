"""The member ledger's table model: ordered ids from the ledger query, rows fetched lazily in pages.

Contract (Anki's browser table model): `set_filter(flt)` asks core.members.member_ids for the ids in
display order (filtering and sorting happen in SQL) and resets the model; `data()` fills a row cache
on demand, one page of PAGE_SIZE rows at a time, through ledger_rows + chamber_names_for, so
only the rows the clerk scrolls to are ever read. ID numbers and phones are masked here. The model
never writes; after a write call `refresh()` (same filter) or `invalidate(ids)`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from chamberdesk.core.choices import Industry, MemberKind, PoliticalStatus, SizeClass
from chamberdesk.core.db import Database
from chamberdesk.core.members import GENDER_LABEL, MemberFilter, chamber_names_for, ledger_rows, member_ids
from chamberdesk.core.validators import mask_id_number, mask_phone

PAGE_SIZE = 100  # rows read per fetch: three screens of a tall monitor; each filter pays for the first
MAX_CACHED_ROWS = 20000  # past this the cache is dropped and refilled on demand

ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class Column(NamedTuple):
    key: str
    label: str
    sortable: bool
    hidden_by_default: bool = False
    width: int = 100


# What a clerk looks for first comes first, narrow enough that these six fit a 1366-pixel laptop beside
# the side panel (names are elided in the middle and shown whole on hover); the rest follow.
COLUMNS: list[Column] = [
    Column("enterprise_name", "企业名称", True, width=200),
    Column("credit_code", "统一社会信用代码", True, width=158),
    Column("rep_name", "代表人", True, width=62),
    Column("rep_phone", "联系电话", True, width=100),
    Column("chambers", "所属商会", False, width=140),
    Column("join_date", "入会日期", True, width=88),
    Column("kind", "会员类型", True, width=76),
    Column("rep_political_status", "政治面貌", True, width=84),
    Column("industry", "所属行业", True, width=150),
    Column("rep_gender", "性别", False, True, 50),
    Column("rep_id_number", "身份证号", False, True, 150),
    Column("size_class", "企业规模", True, True, 90),
    Column("tags", "标签", False, True, 130),
    Column("leave_date", "退会日期", True, True, 88),
    Column("id", "编号", True, True, 60),
]
COLUMN_KEYS = [c.key for c in COLUMNS]


# value → label, looked up once per cell rather than parsed (the paint path runs this for every visible cell)
_KIND = {m.value: m.label for m in MemberKind}
_POLITICAL = {m.value: m.label for m in PoliticalStatus}
_INDUSTRY = {m.value: m.label for m in Industry}
_SIZE = {m.value: m.label for m in SizeClass}


_LEFT_COLOR = QColor("#8a96a3")  # members who have left are shown greyed


def _fmt_date(d: date | None) -> str:
    return d.isoformat() if d else ""


class MemberTableModel(QAbstractTableModel):
    """Rows are members in the order of the current MemberFilter; see the module docstring."""

    def __init__(self, db: Database, flt: MemberFilter | None = None, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.flt = flt or MemberFilter()
        self.ids: list[int] = []
        self._row_of: dict[int, int] | None = None
        self._cache: dict[int, tuple[tuple[str, ...], bool]] = {}  # id → (display texts, has left)
        self.pages_loaded = 0  # for tests and the benchmark: how many page fetches happened

    # --- loading -------------------------------------------------------------------------------
    def set_filter(self, flt: MemberFilter) -> None:
        self.flt = flt
        self.refresh()

    def refresh(self) -> None:
        """Run the ledger query again with the current filter and reset the view."""
        with self.db.session() as s:
            ids = member_ids(s, self.flt)
        self.beginResetModel()
        self.ids = ids
        self._row_of = None
        self._cache.clear()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or not COLUMNS[column].sortable:
            return
        self.set_filter(replace(self.flt, sort=COLUMNS[column].key,
                                descending=order == Qt.SortOrder.DescendingOrder))

    def sort_column(self) -> int:
        return COLUMN_KEYS.index(self.flt.sort) if self.flt.sort in COLUMN_KEYS else -1

    def invalidate(self, ids: list[int] | None = None) -> None:
        """Forget cached rows (all, or these ids) so they are read again when shown."""
        if ids is None:
            self._cache.clear()
        else:
            for i in ids:
                self._cache.pop(i, None)
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(COLUMNS) - 1))

    def _load_page_for(self, row: int) -> None:
        if len(self._cache) > MAX_CACHED_ROWS:
            self._cache.clear()
        start = (row // PAGE_SIZE) * PAGE_SIZE
        chunk = [i for i in self.ids[start:start + PAGE_SIZE] if i not in self._cache]
        if not chunk:
            return
        with self.db.session() as s:
            members = ledger_rows(s, chunk)
            chambers = chamber_names_for(s, chunk)
        self.pages_loaded += 1
        for mid in chunk:
            m = members.get(mid)
            if m is None:  # deleted meanwhile: show an empty, greyed row until the next refresh
                self._cache[mid] = (tuple("" for _ in COLUMNS), True)
                continue
            values = {
                "enterprise_name": m.enterprise_name,
                "credit_code": m.credit_code or "",
                "kind": _KIND.get(m.kind, m.kind or ""),
                "rep_name": m.rep_name or "",
                "rep_gender": GENDER_LABEL.get(m.rep_gender or "", ""),
                "rep_phone": mask_phone(m.rep_phone),
                "rep_id_number": mask_id_number(m.rep_id_number),
                "rep_political_status": _POLITICAL.get(m.rep_political_status or "", m.rep_political_status or ""),
                "industry": _INDUSTRY.get(m.industry or "", m.industry or ""),
                "size_class": _SIZE.get(m.size_class or "", m.size_class or ""),
                "chambers": chambers.get(mid, ""),
                "tags": m.tags.replace(",", "、"),
                "join_date": _fmt_date(m.join_date),
                "leave_date": _fmt_date(m.leave_date),
                "id": str(m.id),
            }
            self._cache[mid] = (tuple(values[k] for k in COLUMN_KEYS), m.leave_date is not None)

    def row_cached(self, row: int) -> tuple[tuple[str, ...], bool]:
        mid = self.ids[row]
        hit = self._cache.get(mid)
        if hit is None:
            self._load_page_for(row)
            hit = self._cache[mid]
        return hit

    # --- lookups -------------------------------------------------------------------------------
    def member_id(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def row_of(self, member_id: int) -> int:
        if self._row_of is None:
            self._row_of = {mid: r for r, mid in enumerate(self.ids)}
        return self._row_of.get(member_id, -1)

    def text(self, row: int, key: str) -> str:
        return self.row_cached(row)[0][COLUMN_KEYS.index(key)]

    # --- Qt model interface ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks every visible cell for about eight roles on each paint: answer the common
        # ones with as little Python as possible (plain ints, one cache lookup).
        role = int(role)
        if role == _DISPLAY:
            row = index.row()
            return self.row_cached(row)[0][index.column()] if 0 <= row < len(self.ids) else None
        if role == _FOREGROUND:
            row = index.row()
            return _LEFT_COLOR if 0 <= row < len(self.ids) and self.row_cached(row)[1] else None
        if role == _TOOLTIP:
            row, column = index.row(), index.column()
            if not 0 <= row < len(self.ids) or COLUMNS[column].key not in ("enterprise_name", "chambers", "industry"):
                return None
            return self.row_cached(row)[0][column] or None
        if role == ID_ROLE:
            return self.ids[index.row()] if 0 <= index.row() < len(self.ids) else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section].label
            if role == Qt.ItemDataRole.ToolTipRole:
                return "点击按此列排序" if COLUMNS[section].sortable else "此列不能排序"
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags
