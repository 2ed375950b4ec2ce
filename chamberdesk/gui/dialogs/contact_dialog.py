"""Logging a contact (走访联系), and the member picker with search that the record forms share."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import chambers, contacts, members
from chamberdesk.core.choices import ContactWay
from chamberdesk.core.errors import ChamberDeskError, InvalidInput
from chamberdesk.core.members import MemberFilter
from chamberdesk.gui.dialogs.chamber_editor import FormErrors, set_combo_data, with_error
from chamberdesk.gui.settings import settings
from chamberdesk.gui.widgets.buttons import accept_button, dialog_buttons

MAX_RESULTS = 60


def member_label(m) -> str:
    person = m.rep_name or m.legal_rep
    # a personal member's name is already the person's: "徐静", not "徐静（徐静）"
    return f"{m.enterprise_name}（{person}）" if person and person != m.enterprise_name else m.enterprise_name


def owner_choices(ctx) -> list[tuple[str, int | None]]:
    """(label, chamber id) for 本级工商联 and every live, active chamber."""
    with ctx.db.session() as s:
        chs = chambers.list_chambers(s, include_dissolved=False)
    return [("本级工商联", None)] + [(c.name, c.id) for c in chs]


def _show_names_whole(view: QListWidget) -> None:
    """Names in a county mostly share their start (清河县…): wrap long ones onto a second line so each
    company reads in full, and elide only the end if still too long; the tooltip has the whole text."""
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setResizeMode(QListWidget.ResizeMode.Adjust)  # re-wrap when the pane is resized


class MemberPicker(QWidget):
    """Search the ledger (name, credit code, representative, phone) and pick one or many members.

    `chamber_id` narrows the list to one chamber's members while 仅本单位会员 is ticked.
    """

    selection_changed = Signal()

    def __init__(self, ctx, *, multi: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.multi = multi
        self.chamber_id: int | None = None
        self._selected: dict[int, str] = {}

        self.search = QLineEdit()
        self.search.setPlaceholderText("输入企业名称、代表人、信用代码或电话查找会员")
        self.search.setClearButtonEnabled(True)
        self.only_own = QCheckBox("仅本单位会员")
        self.only_own.setChecked(True)
        self.only_own.setVisible(False)
        self.results = QListWidget()
        self.results.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection if multi
                                      else QListWidget.SelectionMode.SingleSelection)
        self.hint = QLabel()
        self.hint.setObjectName("muted")
        self.results.setMinimumHeight(150)
        _show_names_whole(self.results)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.only_own)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        if multi:
            self.chosen = QListWidget()
            self.chosen.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
            self.chosen.setMinimumHeight(150)
            _show_names_whole(self.chosen)
            add = QPushButton("添加 →")
            remove = QPushButton("← 移除")
            add.clicked.connect(self.add_highlighted)
            remove.clicked.connect(self.remove_highlighted)
            mid = QVBoxLayout()
            mid.addStretch(1)
            mid.addWidget(add)
            mid.addWidget(remove)
            mid.addStretch(1)
            row = QHBoxLayout()
            left = QVBoxLayout()
            left.addWidget(self.results)
            right = QVBoxLayout()
            self.count_label = QLabel("已选 0 人")
            right.addWidget(self.count_label)
            right.addWidget(self.chosen)
            row.addLayout(left, 1)
            row.addLayout(mid)
            row.addLayout(right, 1)
            lay.addLayout(row)
            self.results.itemDoubleClicked.connect(lambda _i: self.add_highlighted())
            self.chosen.itemDoubleClicked.connect(lambda _i: self.remove_highlighted())
        else:
            lay.addWidget(self.results)
            self.results.currentItemChanged.connect(self._single_changed)
        lay.addWidget(self.hint)

        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._timer.start)
        self.only_own.toggled.connect(self.run_search)

    def set_chamber(self, chamber_id: int | None) -> None:
        self.chamber_id = chamber_id
        self.only_own.setVisible(chamber_id is not None)
        self.run_search()

    def run_search(self) -> None:
        """Up to MAX_RESULTS matches; the ledger filter runs in SQL, so this stays quick at 100,000."""
        self._timer.stop()
        text = self.search.text().strip()
        own = self.chamber_id if (self.chamber_id is not None and self.only_own.isChecked()) else None
        self.results.clear()
        if not text and own is None:
            self.hint.setText("输入关键字查找会员")
            return
        flt = MemberFilter(search=text, chamber_id=own, status="active", sort="enterprise_name")
        with self.ctx.db.session() as s:
            ids = members.member_ids(s, flt)
            shown = ids[:MAX_RESULTS]
            found = members.members_by_ids(s, shown)
        for mid in shown:
            m = found[mid]
            it = QListWidgetItem(member_label(m))
            it.setToolTip(it.text())
            it.setData(Qt.ItemDataRole.UserRole, mid)
            if mid in self._selected:
                it.setForeground(Qt.GlobalColor.gray)
            self.results.addItem(it)
        more = f"，只显示前 {MAX_RESULTS} 个，请输入更多文字缩小范围" if len(ids) > MAX_RESULTS else ""
        self.hint.setText(f"找到 {len(ids)} 个会员{more}" if ids else "没有找到符合条件的会员")

    # --- multi ---------------------------------------------------------------------------------
    def add_highlighted(self) -> None:
        items = self.results.selectedItems() or ([self.results.currentItem()] if self.results.currentItem() else [])
        for it in items:
            mid = it.data(Qt.ItemDataRole.UserRole)
            if mid not in self._selected:
                self._selected[mid] = it.text()
        self._show_selected()

    def add_all_results(self) -> None:
        for i in range(self.results.count()):
            it = self.results.item(i)
            self._selected.setdefault(it.data(Qt.ItemDataRole.UserRole), it.text())
        self._show_selected()

    def remove_highlighted(self) -> None:
        for it in self.chosen.selectedItems():
            self._selected.pop(it.data(Qt.ItemDataRole.UserRole), None)
        self._show_selected()

    def _show_selected(self) -> None:
        if self.multi:
            self.chosen.clear()
            for mid, text in self._selected.items():
                it = QListWidgetItem(text)
                it.setToolTip(text)
                it.setData(Qt.ItemDataRole.UserRole, mid)
                self.chosen.addItem(it)
            self.count_label.setText(f"已选 {len(self._selected)} 人")
        self.selection_changed.emit()

    def set_selected(self, ids: list[int]) -> None:
        with self.ctx.db.session() as s:
            found = members.members_by_ids(s, ids)
        self._selected = {mid: member_label(found[mid]) for mid in ids if mid in found}
        self._show_selected()

    def selected_ids(self) -> list[int]:
        return list(self._selected)

    # --- single --------------------------------------------------------------------------------
    def _single_changed(self, cur: QListWidgetItem | None, _prev=None) -> None:
        self._selected = {cur.data(Qt.ItemDataRole.UserRole): cur.text()} if cur else {}
        self.selection_changed.emit()

    def selected_id(self) -> int | None:
        return next(iter(self._selected), None)


class ContactDialog(QDialog):
    """登记走访联系: member (preset or searched), who reached out, date (today), way (实地走访), by whom."""

    def __init__(self, ctx, *, member_id: int | None = None, chamber_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved_id: int | None = None
        self.errors = FormErrors()
        self.setWindowTitle("登记走访联系")
        self.setMinimumWidth(560)

        self.member_label = QLabel()
        self.member_label.setWordWrap(True)
        self.picker = MemberPicker(ctx, multi=False)
        self.picker.setMinimumHeight(220)
        self.owner = QComboBox()
        for text, cid in owner_choices(ctx):
            self.owner.addItem(text, cid)
        self.when = QDateEdit(QDate.currentDate())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd")
        self.when.setMaximumDate(QDate.currentDate())
        self.way = QComboBox()
        for w in ContactWay:
            self.way.addItem(w.label, w.value)
        self.by_whom = QLineEdit(settings().str_value("contacts/last_by_whom"))
        self.by_whom.setPlaceholderText("走访或联系的工作人员")
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("了解到的情况、诉求、后续跟进")
        self.notes.setFixedHeight(80)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        if member_id is None:
            form.addRow("会员 *", with_error(self.picker, self.errors, "member_id"))
        else:
            self.picker.hide()
            form.addRow("会员", self.member_label)
        form.addRow("联系单位", self.owner)
        form.addRow("日期 *", with_error(self.when, self.errors, "date"))
        form.addRow("方式 *", with_error(self.way, self.errors, "way"))
        form.addRow("联系人", with_error(self.by_whom, self.errors, "by_whom"))
        form.addRow("备注", with_error(self.notes, self.errors, "notes"))
        self.buttons = dialog_buttons(self, save=True, on_accept=self.save)
        self.save_button = accept_button(self.buttons)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.buttons)

        self.fixed_member = member_id
        if member_id is not None:
            with ctx.db.session() as s:
                found = members.members_by_ids(s, [member_id])
                seats = members.member_history(s, member_id).seats
            m = found.get(member_id)
            self.member_label.setText(member_label(m) if m else f"会员 {member_id}")
            if chamber_id is None:
                # default to the chamber the member sits in now, when there is one
                names = [name for name, _pos, _s, end in seats if end is None and name != "本级工商联"]
                if names:
                    i = self.owner.findText(names[0])
                    if i >= 0:
                        self.owner.setCurrentIndex(i)
        if chamber_id is not None:
            set_combo_data(self.owner, chamber_id)
            self.picker.set_chamber(chamber_id)
        self.picker.selection_changed.connect(self.validate)
        self.validate()
        self.save_button.setDefault(True)

    def data(self) -> dict:
        return {"member_id": self.fixed_member if self.fixed_member is not None else self.picker.selected_id(),
                "chamber_id": self.owner.currentData(), "date": self.when.date().toPython(),
                "way": self.way.currentData(), "by_whom": self.by_whom.text(), "notes": self.notes.toPlainText()}

    def validate(self) -> bool:
        try:
            contacts.validate_contact(self.data())
            errs: dict[str, str] = {}
        except InvalidInput as exc:
            errs = exc.by_field()
        self.errors.show(errs)
        self.save_button.setEnabled(not errs)
        return not errs

    def save(self) -> None:
        if not self.validate():
            return
        data = self.data()
        try:
            with self.ctx.db.transaction() as s:
                ct = contacts.log_contact(s, data)
                s.flush()
                self.saved_id = ct.id
        except InvalidInput as exc:
            self.errors.show(exc.by_field())
            return
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "无法保存", str(exc))
            return
        settings().set_value("contacts/last_by_whom", data["by_whom"].strip())
        self.ctx.data_changed.emit("contact")
        self.ctx.status_message.emit("已登记走访联系")
        self.accept()


def log_contact_for_member(ctx, member_id: int, parent: QWidget | None = None) -> int | None:
    """For the member page: open the dialog with the member set; 保存 logs an on-site visit today."""
    dlg = ContactDialog(ctx, member_id=member_id, parent=parent)
    return dlg.saved_id if dlg.exec() == QDialog.DialogCode.Accepted else None


__all__ = ["ContactDialog", "MemberPicker", "log_contact_for_member", "member_label", "owner_choices"]
