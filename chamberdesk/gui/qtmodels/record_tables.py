"""Small list models (chambers, meetings, activities, contacts, coverage) over rows the pages hand in.

These lists hold hundreds to a few thousand rows, so each model keeps its rows in Python and sorts
them itself; the 100,000-row ledger has its own lazy model. Models never touch the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from chamberdesk.core.contacts import Coverage

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the record id of a row
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the row object itself
BADGES_ROLE = Qt.ItemDataRole.UserRole + 3  # list[Badge] for the badge delegate
SORT_ROLE = Qt.ItemDataRole.UserRole + 4

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Badge:
    text: str
    level: str = "info"  # error | warn | info


BADGE_COLOURS = {  # (background, text)
    "error": ("#fdecea", "#b3261e"),
    "warn": ("#fff4e0", "#8a5300"),
    "info": ("#eef2f6", "#44505e"),
    "ok": ("#e8f5e9", "#2e7d32"),
}


@dataclass
class Col:
    """One column: header, how to show a row's value, and optionally how to sort and colour it."""

    key: str
    header: str
    value: Callable[[Any], Any]
    align: str = "left"  # left | right | center
    width: int | None = None
    colour: Callable[[Any], str | None] | None = None  # text colour for the cell
    tooltip: Callable[[Any], str | None] | None = None
    badges: Callable[[Any], list[Badge]] | None = None
    fit: int | None = None  # fit_widths sizes the column from its content, up to this many pixels


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float):
        return f"{v:,.1f}" if v != int(v) else f"{int(v):,}"
    if isinstance(v, list):
        return "、".join(b.text if isinstance(b, Badge) else str(b) for b in v)
    return str(v)


def _sort_key(v: Any) -> tuple[int, Any]:
    if v is None or v == "":
        return (1, "")
    if isinstance(v, bool):
        return (0, int(v))
    if isinstance(v, (int, float)):
        return (0, v)
    if isinstance(v, date):
        return (0, v.toordinal())
    if isinstance(v, list):
        return (0, len(v))
    return (0, str(v))


class RecordTableModel(QAbstractTableModel):
    """Rows (any objects with an `id`) shown through a list of `Col`; `set_rows` replaces them all."""

    def __init__(self, columns: Sequence[Col], parent=None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    # --- data in -----------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_of_id(self, record_id: int) -> int:
        for i, r in enumerate(self.rows):
            if getattr(r, "id", None) == record_id:
                return i
        return -1

    def row_object(self, row: int) -> Any:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    # --- Qt interface --------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if col.badges is not None:
                return _text(col.badges(row))
            return _text(col.value(row))
        if role == ID_ROLE:
            return getattr(row, "id", None)
        if role == ROW_ROLE:
            return row
        if role == BADGES_ROLE and col.badges is not None:
            return col.badges(row)
        if role == SORT_ROLE:
            return _sort_key(col.value(row))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            h = {"left": Qt.AlignmentFlag.AlignLeft, "right": Qt.AlignmentFlag.AlignRight,
                 "center": Qt.AlignmentFlag.AlignHCenter}[col.align]
            return int(h | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col.colour is not None:
            c = col.colour(row)
            return QColor(c) if c else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col.tooltip is not None:
                return col.tooltip(row)
            v = col.value(row)
            t = _text(v)
            # names and titles may be cut off in a narrow column: hovering shows them whole
            return t if isinstance(v, str) and len(t) > 6 else None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < len(self.columns)):
            return
        col = self.columns[column]
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=lambda r: _sort_key(col.value(r)), reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


class BadgeDelegate(QStyledItemDelegate):
    """Paints a cell's BADGES_ROLE as small rounded labels (red overdue, amber due, grey facts)."""

    PAD_X, GAP, RADIUS = 6, 4, 8

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        badges = index.data(BADGES_ROLE)
        if not badges:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(opt.font)
        h = fm.height() + 4
        x = opt.rect.x() + 4
        y = opt.rect.y() + (opt.rect.height() - h) // 2
        for b in badges:
            w = fm.horizontalAdvance(b.text) + 2 * self.PAD_X
            if x + w > opt.rect.right():
                break
            bg, fg = BADGE_COLOURS.get(b.level, BADGE_COLOURS["info"])
            r = QRect(x, y, w, h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(bg))
            painter.drawRoundedRect(r, self.RADIUS, self.RADIUS)
            painter.setPen(QColor(fg))
            painter.drawText(r, int(Qt.AlignmentFlag.AlignCenter), b.text)
            x += w + self.GAP
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        base = super().sizeHint(option, index)
        badges = index.data(BADGES_ROLE)
        if not badges:
            return base
        fm = QFontMetrics(option.font)
        w = sum(fm.horizontalAdvance(b.text) + 2 * self.PAD_X + self.GAP for b in badges) + 8
        return QSize(max(base.width(), w), max(base.height(), fm.height() + 10))


# --- rows the pages build from the services ------------------------------------------------------


@dataclass
class ChamberRow:
    id: int
    name: str
    kind: str  # label
    members: int
    term_end: date | None
    term_status: str  # overdue | due | ok | unknown
    president: str
    secretary: str
    badges: list[Badge] = field(default_factory=list)
    dissolved: bool = False


@dataclass
class MeetingRow:
    id: int
    date: date
    owner: str
    body: str
    place: str
    expected: int | None
    present: int | None
    agenda: str


@dataclass
class ActivityRow:
    id: int
    date: date
    owner: str
    category: str
    title: str
    participants: int | None
    member_participants: int | None
    amount: float | None
    people: int | None
    items: int | None


@dataclass
class ContactRow:
    id: int
    date: date
    member: str
    person: str
    way: str
    by_whom: str
    chamber: str
    notes: str


@dataclass
class CoverageRow:
    """One chamber's line in 走访覆盖; the ratios are the contacts service's own (Coverage)."""

    id: int  # chamber id
    chamber: str
    members: int
    visited: int
    contacted: int

    @classmethod
    def of(cls, chamber_id: int, chamber: str, cov: Coverage) -> CoverageRow:
        return cls(chamber_id, chamber, cov.members, cov.visited, cov.contacted)

    @property
    def coverage(self) -> Coverage:
        return Coverage(self.members, self.visited, self.contacted)

    @property
    def visited_ratio(self) -> float | None:
        return self.coverage.visited_ratio

    @property
    def contacted_ratio(self) -> float | None:
        return self.coverage.contacted_ratio


def percent(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.0f}%"


# Targets from the national 四好商会 criteria: visit ≥ 20 % on site, keep contact with ≥ 60 %.
VISIT_TARGET = 0.20
CONTACT_TARGET = 0.60


def chamber_columns() -> list[Col]:
    term_colour = {"overdue": "#b3261e", "due": "#8a5300"}
    return [
        Col("name", "商会名称", lambda r: r.name, width=160,
            colour=lambda r: "#98a2ae" if r.dissolved else None),
        Col("kind", "类型", lambda r: r.kind, width=90),
        Col("members", "会员", lambda r: r.members, align="right", width=50),
        Col("term_end", "本届届满", lambda r: r.term_end, width=92, colour=lambda r: term_colour.get(r.term_status)),
        Col("badges", "提示", lambda r: r.badges, badges=lambda r: r.badges, width=230,
            tooltip=lambda r: "、".join(b.text for b in r.badges) or None),
    ]


def meeting_columns() -> list[Col]:
    def attendance_colour(r: MeetingRow) -> str | None:
        if r.expected and r.present is not None and r.present * 3 < r.expected * 2:
            return "#8a5300"  # fewer than two thirds present: worth a look
        return None

    return [
        Col("date", "日期", lambda r: r.date, width=92),
        Col("owner", "所属单位", lambda r: r.owner, width=100, fit=200),
        Col("body", "会议类型", lambda r: r.body, width=80, fit=200),
        Col("attendance", "应到/实到", lambda r: "" if r.expected is None and r.present is None else
            f"{r.expected if r.expected is not None else '—'}/{r.present if r.present is not None else '—'}",
            align="center", width=76, colour=attendance_colour),
        Col("agenda", "议题", lambda r: r.agenda, width=200, tooltip=lambda r: r.agenda or None),
    ]


def activity_columns() -> list[Col]:
    return [
        Col("date", "日期", lambda r: r.date, width=92),
        Col("owner", "所属单位", lambda r: r.owner, width=100, fit=200),
        Col("category", "类别", lambda r: r.category, width=80, fit=180),
        Col("title", "活动名称", lambda r: r.title, width=200, tooltip=lambda r: r.title, fit=340),
        Col("participants", "参加人数", lambda r: r.participants, align="right", width=70),
        Col("amount", "金额（万元）", lambda r: r.amount, align="right", width=90),
        Col("people", "人数", lambda r: r.people, align="right", width=60),
        Col("items", "件数", lambda r: r.items, align="right", width=60),
    ]


def contact_columns() -> list[Col]:
    return [
        Col("date", "日期", lambda r: r.date, width=96),
        Col("member", "会员企业", lambda r: r.member, width=160, fit=280),
        Col("person", "代表人", lambda r: r.person, width=80),
        Col("way", "方式", lambda r: r.way, width=80,
            colour=lambda r: "#2e7d32" if r.way == "实地走访" else None),
        Col("by_whom", "联系人", lambda r: r.by_whom, width=80),
        Col("chamber", "联系单位", lambda r: r.chamber, width=100, fit=200),
        Col("notes", "备注", lambda r: r.notes, width=200),
    ]


def coverage_columns() -> list[Col]:
    def below(target: float, attr: str) -> Callable[[CoverageRow], str | None]:
        def f(r: CoverageRow) -> str | None:
            v = getattr(r, attr)
            return "#b3261e" if v is not None and v < target else ("#2e7d32" if v is not None else None)
        return f

    return [
        Col("chamber", "商会", lambda r: r.chamber, width=160),
        Col("members", "会员", lambda r: r.members, align="right", width=52),
        Col("visited", "走访", lambda r: r.visited, align="right", width=52),
        Col("visited_ratio", "走访率", lambda r: r.visited_ratio, align="right", width=62,
            colour=below(VISIT_TARGET, "visited_ratio")),
        Col("contacted", "联系", lambda r: r.contacted, align="right", width=52),
        Col("contacted_ratio", "联系率", lambda r: r.contacted_ratio, align="right", width=62,
            colour=below(CONTACT_TARGET, "contacted_ratio")),
    ]


class PercentAwareModel(RecordTableModel):
    """Shows the *_ratio columns as percentages while sorting on the number."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and self.columns[index.column()].key.endswith("_ratio"):
            return percent(self.columns[index.column()].value(self.rows[index.row()]))
        return super().data(index, role)


def apply_widths(view, columns: Sequence[Col]) -> None:
    """Size columns from their declared widths (resizeColumnsToContents is slow and jumpy)."""
    for i, c in enumerate(columns):
        if c.width:
            view.setColumnWidth(i, c.width)


FIT_SAMPLE = 200  # rows measured by fit_widths


def fit_widths(view, columns: Sequence[Col]) -> None:
    """Columns marked `fit` as wide as their header and the widest text among the first FIT_SAMPLE rows, at
    least their declared width and at most `fit`: a sample, so a long list costs no more than a short one."""
    model = view.model()
    cells, heads = view.fontMetrics(), view.horizontalHeader().fontMetrics()
    rows = min(model.rowCount(), FIT_SAMPLE)
    for c, col in enumerate(columns):
        if col.fit is None:
            continue
        texts = (str(model.index(r, c).data() or "") for r in range(rows))
        widest = max((cells.horizontalAdvance(t) for t in texts), default=0) + 14  # the cell's padding
        wanted = max(widest, heads.horizontalAdvance(col.header) + 30, col.width or 0)  # + the sort arrow
        view.setColumnWidth(c, min(wanted, col.fit))


def fit_widths_once(view, columns: Sequence[Col]) -> None:
    """fit_widths the first time the view has rows; later reloads keep the widths (and the clerk's own)."""
    if view.property("widthsFitted") or view.model().rowCount() == 0:
        return
    fit_widths(view, columns)
    view.setProperty("widthsFitted", True)
