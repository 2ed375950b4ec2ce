"""到会商会: the roll-call of the chambers in the meeting and activity forms, for the federation's own records.

One row per chamber on file on the record's date (and any chamber marked before and since gone): its status
(出席 / 请假 / 缺席, or blank = not called) and the reason of a leave. 全部出席 marks every blank row present, so
the clerk only changes the exceptions; 从签到表导入… reads a sign-in sheet (io.rollcall_sheet). The marks are
saved with the record, in its transaction (core.attendance.write_roll_call)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import attendance
from chamberdesk.core.attendance import LEAVE, Entry, Row
from chamberdesk.core.choices import AttendanceStatus
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.records import id_of
from chamberdesk.gui.widgets.roles import guard_edit

C_NAME, C_STATUS, C_REASON = range(3)
STATUSES = [("", "（未点名）"), *((s.value, s.label) for s in AttendanceStatus)]
ID_ROLE = Qt.ItemDataRole.UserRole + 20
ON_FILE_ROLE = Qt.ItemDataRole.UserRole + 21


class RollCallBox(QWidget):
    """The 到会商会 tab: rows of chambers with a status combo and a reason cell; `changed` on every edit."""

    changed = Signal()

    def __init__(self, ctx, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.day = date.today()
        self.stored = False  # marks are stored for the record shown
        self.read_only = False
        self.applies = True  # the record is the federation's own
        self.note = QLabel()
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["商会", "到会情况", "请假事由"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.table.setMinimumHeight(8 * (self.fontMetrics().height() + 12))  # eight chambers in sight; the form scrolls
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(C_NAME, QHeaderView.ResizeMode.Stretch)
        # sized to the widest status: the column's own sizing sees the header, not the combos in its cells
        sample = QComboBox()
        for _value, label in STATUSES:
            sample.addItem(label)
        head.setSectionResizeMode(C_STATUS, QHeaderView.ResizeMode.Fixed)
        head.resizeSection(C_STATUS, sample.sizeHint().width() + 8)
        sample.deleteLater()
        head.setSectionResizeMode(C_REASON, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)
        self.all_button = QPushButton("全部出席")
        self.all_button.setToolTip("把尚未点名的商会都记为出席，再改出请假、缺席的")
        self.all_button.clicked.connect(self.mark_all_present)
        self.import_button = QPushButton("从签到表导入…")
        self.import_button.setToolTip("读取签到表（商会名称、到会情况或签到/请假、事由），找不到的商会名称逐行说明，不会猜测")
        self.import_button.clicked.connect(self.choose_sheet)
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.note)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)

    # --- filling ------------------------------------------------------------------------------------

    def load(self, record_id: int | None, day: date, applies: bool) -> None:
        """Show the stored roll-call of a federation record (or the chambers on file that day for a new one)."""
        self.day, self.applies = day, applies
        rows: list[Row] = []
        self.stored = False
        if applies:
            with self.ctx.db.session() as s:
                if record_id is not None:
                    try:
                        rc = attendance.roll_call(s, self.kind, record_id)
                    except ChamberDeskError:  # stored as a chamber's record: nothing to call
                        rc = None
                    if rc is not None:
                        rows, self.stored = rc.rows, rc.taken
                if not rows:
                    rows = [Row(id_of(c), c.name) for c in attendance.expected_chambers(s, day)]
        self._fill(rows)

    def set_day(self, day: date) -> None:
        """The record's date changed: the chambers on file that day, keeping every mark already made."""
        if day == self.day or not self.applies:
            self.day = day
            return
        self.day = day
        kept = [r for r in self.rows() if r.status or not r.on_file]
        with self.ctx.db.session() as s:
            listed = [Row(id_of(c), c.name) for c in attendance.expected_chambers(s, day)]
        have = {r.chamber_id for r in kept}
        self._fill(kept + [r for r in listed if r.chamber_id not in have])
        self.changed.emit()

    def set_applies(self, applies: bool, record_id: int | None) -> None:
        """The owner changed: the federation's records take a roll-call, a chamber's do not."""
        if applies != self.applies:
            self.load(record_id if applies else None, self.day, applies)
            self.changed.emit()

    def _fill(self, rows: list[Row]) -> None:
        self.table.blockSignals(True)
        for i in range(self.table.rowCount()):
            old = self.table.cellWidget(i, C_STATUS)
            if old is not None:
                old.hide()  # Qt deletes replaced cell widgets later; hidden now, none lingers over the new rows
        self.table.setRowCount(0)
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            name = QTableWidgetItem(r.name)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            name.setData(ID_ROLE, r.chamber_id)
            name.setData(ON_FILE_ROLE, r.on_file)
            self.table.setItem(i, C_NAME, name)
            combo = QComboBox()
            for value, label in STATUSES:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(combo.findData(r.status), 0))
            combo.currentIndexChanged.connect(self._status_changed)
            combo.setEnabled(not self.read_only)
            self.table.setCellWidget(i, C_STATUS, combo)
            reason = QTableWidgetItem(r.reason)
            self.table.setItem(i, C_REASON, reason)
        self.table.blockSignals(False)
        self._apply_read_only()
        self._show_note()

    # --- reading ------------------------------------------------------------------------------------

    def rows(self) -> list[Row]:
        out = []
        for i in range(self.table.rowCount()):
            name = self.table.item(i, C_NAME)
            combo = self.table.cellWidget(i, C_STATUS)
            reason = self.table.item(i, C_REASON)
            out.append(Row(int(name.data(ID_ROLE)), name.text(), combo.currentData() or "",
                           (reason.text() if reason else "").strip(), bool(name.data(ON_FILE_ROLE))))
        return out

    def entries(self) -> list[Entry]:
        return [e for r in self.rows() if (e := r.entry()) is not None]

    def snapshot(self) -> tuple:
        return tuple((e.chamber_id, e.status, e.reason) for e in self.entries()) if self.applies else ()

    def has_marks(self) -> bool:
        return bool(self.entries())

    # --- actions ------------------------------------------------------------------------------------

    def mark_all_present(self) -> None:
        self._set_rows(attendance.all_present(self.rows()))

    def _set_rows(self, rows: list[Row]) -> None:
        self._fill(rows)
        self.changed.emit()

    def choose_sheet(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择签到表", "", "签到表 (*.xlsx *.xls *.et *.ods *.csv);;所有文件 (*)")
        if name:
            self.import_sheet(Path(name))

    def import_sheet(self, path: Path) -> str:
        """Take a sign-in sheet's marks into the rows (saved with the record); the report is shown and returned."""
        from chamberdesk.io.rollcall_sheet import read_sign_in_sheet

        ev = attendance.Event(self.kind, 0, self.day, "", False, 0)
        try:
            with self.ctx.db.session() as s:
                got = read_sign_in_sheet(s, ev, path)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "无法导入签到表", str(exc))
            return str(exc)
        rows = self.rows()
        for r in rows:
            e = got.entries.get(r.chamber_id)
            if e is not None:
                r.status, r.reason = e.status, e.reason
        self._set_rows(rows)
        left = [r.name for r in rows if not r.status]
        report = f"签到表“{path.name}”共{got.rows}行（{got.layout}）：导入{len(got.entries)}行，未导入{len(got.rejected)}行。"
        if got.rejected:
            report += "\n\n未导入：\n" + "\n".join(got.rejected)
        if left:
            report += f"\n\n签到表中没有的在册商会（仍未点名）：{'、'.join(left)}"
        report += "\n\n导入的点名在保存本记录时写入。"
        QMessageBox.information(self, "签到表导入结果", report)
        return report

    # --- state --------------------------------------------------------------------------------------

    def _status_changed(self) -> None:
        self._show_note()
        self.changed.emit()

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == C_REASON:
            self.changed.emit()

    def _show_note(self) -> None:
        if not self.applies:
            self.note.setText("只有区工商联本级的会议、活动记录各商会到会情况（用于考评中的无故缺席次数）。")
            return
        rows = self.rows()
        counts = {s: sum(1 for r in rows if r.status == s) for s, _ in STATUSES}
        left = counts[""]
        text = (f"应到{len(rows) - left}个商会：出席{counts['present']}、请假{counts[LEAVE]}、缺席{counts['absent']}"
                if len(rows) > left else "尚未点名：点“全部出席”，再改出请假、缺席的商会")
        if len(rows) > left and left:
            text += f"；另有{left}个商会未点名（不计入考评）"
        self.note.setText(text + "。请假须写事由；无故缺席3次以上的商会考评一票否决。")

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        editable = not self.read_only and self.applies
        for i in range(self.table.rowCount()):
            combo = self.table.cellWidget(i, C_STATUS)
            if combo is not None:
                combo.setEnabled(editable)
            reason = self.table.item(i, C_REASON)
            if reason is not None:
                flags = Qt.ItemFlag.ItemIsEnabled | (Qt.ItemFlag.ItemIsEditable if editable else Qt.ItemFlag.NoItemFlags)
                reason.setFlags(flags)
        guard_edit(self.ctx.db, self.all_button, self.import_button, enabled=self.applies and not self.read_only)
