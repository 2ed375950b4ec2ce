"""会议: the list of meetings filtered by owner, body, year and quarter, beside the quick-entry form."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import chambers, meetings, records
from chamberdesk.core.choices import MeetingBody
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.models import Meeting
from chamberdesk.gui.dialogs.chamber_editor import set_combo_data
from chamberdesk.gui.dialogs.meeting_editor import MeetingForm
from chamberdesk.gui.qtmodels.record_tables import (
    ID_ROLE,
    MeetingRow,
    RecordTableModel,
    apply_widths,
    fit_widths_once,
    meeting_columns,
)
from chamberdesk.gui.style import icon
from chamberdesk.gui.widgets.buttons import YES_NO
from chamberdesk.gui.widgets.layout import remembered_splitter, vertical_scroll
from chamberdesk.gui.widgets.roles import can_edit, guard_edit, refusal_tip

FEDERATION = -1  # owner filter value for 本级工商联 (None means every owner)
YEARS_BACK = 6


class PeriodFilter(QWidget):
    """Owner · type · year · quarter · text: the filter row the meeting and activity lists share."""

    def __init__(self, type_label: str, types: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.owner = QComboBox()
        self.owner.setMinimumContentsLength(10)
        self.kind = QComboBox()
        self.kind.addItem(f"全部{type_label}", None)
        for label, value in types:
            self.kind.addItem(label, value)
        self.year = QComboBox()
        this = date.today().year
        for y in range(this, this - YEARS_BACK, -1):
            self.year.addItem(f"{y}年", y)
        self.year.addItem("全部年份", None)
        self.quarter = QComboBox()
        self.quarter.addItem("全年", None)
        for q in range(1, 5):
            self.quarter.addItem(f"第{'一二三四'[q - 1]}季度", q)
        self.text = QLineEdit()
        self.text.setPlaceholderText("搜索")
        self.text.setClearButtonEnabled(True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for w in (self.owner, self.kind, self.year, self.quarter):
            lay.addWidget(w)
        lay.addWidget(self.text, 1)
        self.year.currentIndexChanged.connect(lambda: self.quarter.setEnabled(self.year.currentData() is not None))

    def set_owners(self, chamber_list: list[tuple[str, int]]) -> None:
        cur = self.owner.currentData() if self.owner.count() else None
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem("全部单位", None)
        self.owner.addItem("本级工商联", FEDERATION)
        for name, cid in chamber_list:
            self.owner.addItem(name, cid)
        set_combo_data(self.owner, cur)
        self.owner.blockSignals(False)

    def connect(self, slot) -> None:
        for c in (self.owner, self.kind, self.year, self.quarter):
            c.currentIndexChanged.connect(slot)
        self.text.textChanged.connect(slot)

    def query(self) -> dict:
        """Keyword arguments for list_meetings / list_activities."""
        owner = self.owner.currentData()
        year = self.year.currentData()
        return {"federation": owner == FEDERATION, "chamber_id": owner if owner not in (None, FEDERATION) else None,
                "year": year, "quarter": self.quarter.currentData() if year is not None else None}

    def apply_target(self, arg: dict) -> None:
        """Set filters from a navigation target such as {"chamber_id": 3, "year": 2026, "quarter": 2}."""
        widgets = [self.owner, self.kind, self.year, self.quarter]
        for w in widgets:
            w.blockSignals(True)
        # a target states the whole filter: what it leaves out means "all"
        if "chamber_id" in arg:
            set_combo_data(self.owner, FEDERATION if arg["chamber_id"] is None else arg["chamber_id"])
        else:
            self.owner.setCurrentIndex(0)
        if "year" in arg:
            set_combo_data(self.year, arg["year"])
        set_combo_data(self.quarter, arg.get("quarter"))
        set_combo_data(self.kind, arg.get("kind"))
        self.text.blockSignals(True)
        self.text.clear()
        self.text.blockSignals(False)
        for w in widgets:
            w.blockSignals(False)
        self.quarter.setEnabled(self.year.currentData() is not None)


def page_header(title: str) -> tuple[QHBoxLayout, QLabel]:
    lay = QHBoxLayout()
    t = QLabel(title)
    t.setObjectName("pageTitle")
    count = QLabel()
    count.setObjectName("muted")
    lay.addWidget(t)
    lay.addSpacing(12)
    lay.addWidget(count)
    lay.addStretch(1)
    return lay, count


def make_table() -> QTableView:
    v = QTableView()
    v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    v.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    v.setAlternatingRowColors(True)
    v.setSortingEnabled(True)
    v.verticalHeader().hide()
    v.verticalHeader().setDefaultSectionSize(28)
    v.horizontalHeader().setStretchLastSection(True)
    v.setWordWrap(False)
    return v


def select_id(view: QTableView, model: RecordTableModel, record_id: int) -> bool:
    row = model.row_of_id(record_id)
    if row < 0:
        return False
    idx = model.index(row, 0)
    view.selectionModel().setCurrentIndex(
        idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    view.scrollTo(idx)
    return True


def follow_row(view: QTableView, model: RecordTableModel, form, cur) -> None:
    """The clerk picked another row: show it in the form, after asking 保存 / 不保存 / 取消 if the form has
    unsaved input. While asking, and after 取消, the list shows the row the input belongs to."""
    if not cur.isValid() or cur.data(ID_ROLE) == form.record_id:
        return
    wanted = cur.data(ID_ROLE)
    if form.has_unsaved():
        if form.record_id is None or not select_id(view, model, form.record_id):
            view.selectionModel().clear()  # a new record being typed: no row is its own
        if form.offer_save():
            select_id(view, model, wanted)  # comes back here with nothing left unsaved
        return
    form.load(wanted)


class Page(QWidget):
    TITLE = "会议"
    ICON = "meetings"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._undo: list[int] = []  # soft-deleted meeting ids, latest last

        header, self.count_label = page_header("会议")
        self.new_button = QPushButton(icon("add"), "新建会议")
        self.new_button.clicked.connect(self.new_record)
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button = QPushButton("撤销删除")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo)
        self.print_button = QPushButton("打印纪要…")
        self.print_button.setToolTip("打印所选会议的会议纪要单（含参会人员），可签字存档（Ctrl+P）")
        self.print_button.clicked.connect(self.print_current)
        for b in (self.new_button, self.delete_button, self.undo_button, self.print_button):
            header.addWidget(b)

        self.filters = PeriodFilter("会议类型", [(b.label, b.value) for b in MeetingBody])
        self.filters.text.setPlaceholderText("搜索议题、地点、决议")
        self.model = RecordTableModel(meeting_columns(), self)
        self.table = make_table()
        self.table.setModel(self.model)
        apply_widths(self.table, self.model.columns)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

        self.form = MeetingForm(ctx)
        self.form.saved.connect(self._saved)
        self.splitter = remembered_splitter("meetings", self.table, vertical_scroll(self.form, fit_width=True),
                                            sizes=(640, 480), stretch=(3, 2))

        lay = QVBoxLayout(self)
        lay.addLayout(header)
        lay.addWidget(self.filters)
        lay.addWidget(self.splitter, 1)

        self.filters.connect(self.reload_list)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._guard())
        self.refresh()

    # --- contract ------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._guard()
        with self.ctx.db.session() as s:
            self._chambers = {c.id: c.name for c in chambers.list_chambers(s)}
        self.filters.set_owners([(n, i) for i, n in self._chambers.items()])
        self.form.reload_owners()
        self.reload_list()

    def reload_list(self) -> None:
        q = self.filters.query()
        body = self.filters.kind.currentData()
        with self.ctx.db.session() as s:
            rows = meetings.list_meetings(s, body=body, **q)
        text = self.filters.text.text().strip()
        if text:
            rows = [m for m in rows if any(text in (v or "") for v in (m.agenda, m.place, m.decisions, m.minutes))]
        self.model.set_rows([self._row(m) for m in rows])
        fit_widths_once(self.table, self.model.columns)
        hdr = self.table.horizontalHeader()
        self.model.sort(hdr.sortIndicatorSection(), hdr.sortIndicatorOrder())
        self.count_label.setText(f"共 {len(rows)} 次会议")
        if self.form.record_id is not None:
            select_id(self.table, self.model, self.form.record_id)

    def _row(self, m: Meeting) -> MeetingRow:
        body = MeetingBody.parse(m.body)
        owner = "本级工商联" if m.chamber_id is None else self._chambers.get(m.chamber_id, "（已删除商会）")
        return MeetingRow(m.id, m.date, owner, body.label if body else m.body, m.place or "", m.expected_count,
                          m.present_count, (m.agenda or "").replace("\n", " "))

    def new_record(self) -> None:
        if not can_edit(self.ctx.db):
            self.ctx.status_message.emit(refusal_tip(self.ctx.db))
            return
        if not self.form.offer_save():
            return
        self.table.clearSelection()
        self.form.new_record()
        self.form.body.setFocus()

    def save(self) -> None:
        if not can_edit(self.ctx.db):  # Ctrl+S reaches here with 保存 greyed: say why, as the ledger does
            QMessageBox.information(self, "保存会议", f"{refusal_tip(self.ctx.db)}。")
            return
        self.form.save()

    def find(self) -> None:
        self.filters.text.setFocus()
        self.filters.text.selectAll()

    def selected_id(self) -> int | None:
        idx = self.table.currentIndex()
        return idx.data(ID_ROLE) if idx.isValid() and self.table.selectionModel().hasSelection() else None

    def _guard(self) -> None:
        """Write buttons for users who may edit (只读 users see why not); 删除 needs a selected meeting."""
        guard_edit(self.ctx.db, self.new_button)
        guard_edit(self.ctx.db, self.delete_button, enabled=self.selected_id() is not None)
        guard_edit(self.ctx.db, self.undo_button, enabled=bool(self._undo))

    def print_current(self) -> None:
        """Ctrl+P: the selected meeting's 会议纪要 in the print preview."""
        from chamberdesk.gui.pages.print_panel import preview_form
        from chamberdesk.io.pdf.jobs import PrintRequest

        mid = self.selected_id()
        if mid is None:
            QMessageBox.information(self, "打印会议纪要", "请先在列表中选择要打印纪要的会议。")
            return
        row = self.model.row_object(self.model.row_of_id(mid))
        preview_form(self, self.ctx, PrintRequest(form="minutes", meeting_ids=[mid]),
                     f"{row.owner}{row.date:%Y-%m-%d}{row.body}会议纪要")

    def delete_selected(self) -> None:
        mid = self.selected_id()
        if mid is None or not self.delete_button.isEnabled():
            return
        row = self.model.row_object(self.model.row_of_id(mid))
        ok = QMessageBox.question(self, "删除会议", f"确定删除 {row.date:%Y-%m-%d} 的{row.body}吗？\n删除后可在回收站恢复，或立即“撤销删除”。",
                                  YES_NO, QMessageBox.StandardButton.No)
        if ok != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.ctx.db.transaction() as s:
                meetings.delete_meeting(s, mid)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "无法删除", str(exc))
            return
        self._undo.append(mid)
        self.ctx.data_changed.emit("meeting")
        self.ctx.status_message.emit("已删除会议（可撤销）")
        self.form.new_record()
        self.reload_list()
        self._guard()

    def undo(self) -> None:
        if not self._undo:
            return
        mid = self._undo.pop()
        try:
            with self.ctx.db.transaction() as s:
                records.restore(s, Meeting, mid)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "无法撤销", str(exc))
        self.ctx.data_changed.emit("meeting")
        self.reload_list()
        select_id(self.table, self.model, mid)
        self._guard()

    def show_target(self, arg) -> None:
        """An int opens that meeting; a dict sets the filters (chamber_id, year, quarter, kind)."""
        if isinstance(arg, int):
            if not self.form.offer_save():
                return
            self.form.load(arg)
            self.reload_list()
            select_id(self.table, self.model, arg)
        elif isinstance(arg, dict):
            self.filters.apply_target(arg)
            self.reload_list()

    # --- internals -----------------------------------------------------------------------------
    def _row_changed(self, cur, _prev) -> None:
        follow_row(self.table, self.model, self.form, cur)

    def may_leave(self) -> bool:
        return self.form.offer_save()

    def may_close(self) -> bool:
        return self.form.offer_save()

    def _saved(self, rid: int) -> None:
        self.ctx.status_message.emit("会议已保存")
        self.reload_list()
        select_id(self.table, self.model, rid)
