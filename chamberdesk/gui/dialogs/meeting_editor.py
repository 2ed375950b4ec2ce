"""The meeting quick-entry form, and the evidence box (drag and drop files) the record forms share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import attendance, evidence, meetings
from chamberdesk.core.choices import FEDERATION_BODIES, MeetingBody
from chamberdesk.core.errors import ChamberDeskError, Conflict, FieldError, InvalidInput, NotFound
from chamberdesk.gui.dialogs.chamber_editor import (
    FormErrors,
    set_combo_data,
    set_inputs_read_only,
    with_error,
)
from chamberdesk.gui.dialogs.contact_dialog import MemberPicker, owner_choices
from chamberdesk.gui.dialogs.rollcall_box import RollCallBox
from chamberdesk.gui.settings import settings
from chamberdesk.gui.widgets.buttons import ask_save
from chamberdesk.gui.widgets.roles import can_edit, guard_edit, refusal_tip

PATH_ROLE = Qt.ItemDataRole.UserRole + 10  # a local file waiting to be stored
EVIDENCE_ROLE = Qt.ItemDataRole.UserRole + 11  # a stored Evidence id


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024:
            return f"{n:.0f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


class EvidenceBox(QGroupBox):
    """凭证 of a record: the stored files, plus files dropped or chosen that are stored on 保存.

    Double-click opens a file with the system's viewer (stored copy, or the original before saving).
    """

    changed = Signal()

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__("凭证（照片、扫描件，可拖入此处）", parent)
        self.ctx = ctx
        self.list = QListWidget()
        self.list.setMinimumHeight(70)
        self.list.itemDoubleClicked.connect(self.open_item)
        self.add_button = QPushButton("添加凭证…")
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button = QPushButton("移除待保存的文件")
        self.remove_button.setToolTip("从列表中移除选中的、标着“待保存”的文件（不删除原文件）；已保存的凭证随记录保留")
        self.remove_button.clicked.connect(self.remove_pending)
        self.remove_button.setEnabled(False)
        self.list.itemSelectionChanged.connect(self._update_remove)
        self.read_only = False
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.list)
        lay.addLayout(buttons)
        self.setAcceptDrops(True)

    def load(self, record_type: str | None, record_id: int | None) -> None:
        self.list.clear()
        if record_type is None or record_id is None:
            return
        with self.ctx.db.session() as s:
            files = evidence.files_for(s, record_type, record_id)
        for ev in files:
            it = QListWidgetItem(f"{ev.filename}（{human_size(ev.size)}）")
            it.setData(EVIDENCE_ROLE, ev.id)
            it.setToolTip("双击打开")
            self.list.addItem(it)

    def add_paths(self, paths: list[Path]) -> int:
        added = 0
        have = set(map(str, self.pending_paths()))
        for p in paths:
            p = Path(p)
            if not p.is_file() or str(p) in have:
                continue
            it = QListWidgetItem(f"{p.name}（待保存）")
            it.setData(PATH_ROLE, str(p))
            it.setToolTip(str(p))
            self.list.addItem(it)
            added += 1
        if added:
            self.changed.emit()
        return added

    def pending_paths(self) -> list[Path]:
        out = []
        for i in range(self.list.count()):
            p = self.list.item(i).data(PATH_ROLE)
            if p:
                out.append(Path(p))
        return out

    def remove_pending(self) -> None:
        for it in self.list.selectedItems():
            if it.data(PATH_ROLE):
                self.list.takeItem(self.list.row(it))
        self.changed.emit()

    def _pending_selected(self) -> bool:
        return any(it.data(PATH_ROLE) for it in self.list.selectedItems())

    def _update_remove(self) -> None:
        """Only a selected file still waiting to be saved can be removed here."""
        self.remove_button.setEnabled(self._pending_selected() and not self.read_only)

    def store_pending(self, session, record_type: str, record_id: int) -> int:
        """Copy the waiting files into the evidence store inside the caller's transaction."""
        paths = self.pending_paths()
        for p in paths:
            evidence.add_file(self.ctx.db, session, p, record_type=record_type, record_id=record_id)
        return len(paths)

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "选择凭证文件", "",
                                                "凭证文件 (*.jpg *.jpeg *.png *.pdf *.doc *.docx *.xls *.xlsx *.wps);;所有文件 (*)")
        self.add_paths([Path(n) for n in names])

    def open_item(self, it: QListWidgetItem) -> None:
        try:
            if it.data(PATH_ROLE):
                path = Path(it.data(PATH_ROLE))
            else:
                with self.ctx.db.session() as s:
                    path = evidence.stored_path(self.ctx.db, s, it.data(EVIDENCE_ROLE))
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "无法打开凭证", str(exc))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def set_read_only(self, read_only: bool) -> None:
        """Stored files still open with a double-click; nothing can be added (the buttons say why)."""
        self.read_only = read_only
        guard_edit(self.ctx.db, self.add_button, enabled=not read_only)
        guard_edit(self.ctx.db, self.remove_button, enabled=not read_only and self._pending_selected())
        self.setAcceptDrops(not read_only)

    # drops land here or on the form that hosts the box
    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if self.read_only:
            e.ignore()
            return
        accept_file_drag(e)

    def dropEvent(self, e: QDropEvent) -> None:
        drop_files(e, self)


def accept_file_drag(e) -> None:
    if e.mimeData().hasUrls() and any(u.isLocalFile() for u in e.mimeData().urls()):
        e.acceptProposedAction()
    else:
        e.ignore()


def drop_files(e, box: EvidenceBox) -> None:
    if box.read_only:
        e.ignore()
        return
    paths = [Path(u.toLocalFile()) for u in e.mimeData().urls() if u.isLocalFile()]
    if box.add_paths(paths):
        e.acceptProposedAction()


def picker_read_only(picker: MemberPicker, read_only: bool) -> None:
    """The chosen members stay readable and scrollable; searching, adding and removing are off."""
    for w in (picker.search, picker.results, picker.only_own, *picker.findChildren(QPushButton)):
        w.setEnabled(not read_only)
    if picker.multi:
        # with nothing selectable, a double-click (which removes the selected) has nothing to remove
        picker.chosen.setSelectionMode(QListWidget.SelectionMode.NoSelection if read_only
                                       else QListWidget.SelectionMode.ExtendedSelection)


def count_spin() -> QSpinBox:
    """A head count that may be left empty (the special value −1 shows 未填写)."""
    sp = QSpinBox()
    sp.setRange(-1, 100000)
    sp.setSpecialValueText("未填写")
    sp.setValue(-1)
    return sp


def spin_value(sp: QSpinBox) -> int | None:
    return None if sp.value() < 0 else sp.value()


def bodies_for(owner: int | None) -> list[MeetingBody]:
    fed = list(FEDERATION_BODIES)
    if owner is None:
        return [*fed, MeetingBody.OTHER]
    return [b for b in MeetingBody if b not in fed]


class RecordForm(QWidget):
    """What the meeting and activity forms share: owner memory, validation timer, drop target, save."""

    saved = Signal(int)
    RECORD_TYPE = ""
    SETTINGS_KEY = ""

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record_id: int | None = None
        self.version: int | None = None
        self.errors = FormErrors()
        self.setAcceptDrops(True)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.validate)
        self.owner = QComboBox()
        self.reload_owners()
        self.owner.currentIndexChanged.connect(self._owner_changed)
        self.evidence = EvidenceBox(ctx)
        self.rollcall = RollCallBox(ctx, self.RECORD_TYPE)
        self.rollcall.changed.connect(self._timer.start)
        self.title_label = QLabel()
        self.title_label.setObjectName("formTitle")
        self.title_label.setStyleSheet("font-weight:600; font-size:12pt;")
        self.summary = QLabel()
        self.summary.setObjectName("fieldError")
        self.summary.setWordWrap(True)
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("primary")  # highlighted while there is something to save
        # the shared sheet's #primary rule outranks :disabled, so a disabled 保存 would still look live
        self.save_button.setStyleSheet("QPushButton#primary:disabled { background: #e5e9ee; color: #98a2ae;"
                                       " border-color: #d5dbe2; }")
        self.save_button.clicked.connect(self.save)
        self.clear_button = QPushButton("新建")
        self.clear_button.setToolTip("清空表单，录入一条新记录")
        self.clear_button.clicked.connect(self._clear_clicked)
        self.read_only = False
        self.inputs: list[QWidget] = [self.owner]  # what 只读 users may look at but not change
        self.role_note = QLabel()
        self.role_note.setObjectName("muted")
        self.role_note.setWordWrap(True)
        self.role_note.hide()

    def header_row(self) -> QVBoxLayout:
        """Title with 新建/保存 on the same line, so they stay in sight above a long form; then why they are off."""
        row = QHBoxLayout()
        row.addWidget(self.title_label, 1)
        row.addWidget(self.clear_button)
        row.addWidget(self.save_button)
        col = QVBoxLayout()
        col.addLayout(row)
        col.addWidget(self.role_note)
        return col

    def watch(self, *widgets: QWidget) -> None:
        for w in widgets:
            # the member picker's and the evidence box's own signals too: they make 保存 worth pressing
            for sig in ("textChanged", "currentIndexChanged", "dateChanged", "valueChanged", "selection_changed",
                        "changed"):
                if hasattr(w, sig):
                    getattr(w, sig).connect(self._timer.start)

    def reload_owners(self) -> None:
        cur = self.owner.currentData() if self.owner.count() else self.last_owner()
        self.owner.blockSignals(True)
        self.owner.clear()
        for text, cid in owner_choices(self.ctx):
            self.owner.addItem(text, cid)
        set_combo_data(self.owner, cur)
        self.owner.blockSignals(False)
        if hasattr(self, "inputs"):  # not while the base class is still being built
            self.apply_role()

    def last_owner(self) -> int | None:
        v = settings().int_value(f"{self.SETTINGS_KEY}/last_owner", -1)
        return None if v < 0 else v

    def remember_owner(self) -> None:
        cid = self.owner.currentData()
        settings().set_value(f"{self.SETTINGS_KEY}/last_owner", -1 if cid is None else int(cid))

    def _owner_changed(self) -> None:
        self._timer.start()

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if self.read_only:
            e.ignore()
            return
        accept_file_drag(e)

    def dropEvent(self, e: QDropEvent) -> None:
        drop_files(e, self.evidence)

    def apply_role(self) -> None:
        """只读 users (or a file opened read-only) see the record with every writing control greyed.

        Runs from reload_owners, i.e. on every fill and on the page's refresh after a login as someone else.
        """
        self.read_only = not can_edit(self.ctx.db)
        set_inputs_read_only(self.inputs, self.read_only)
        picker_read_only(self.picker_widget(), self.read_only)
        self.evidence.set_read_only(self.read_only)
        self.rollcall.set_read_only(self.read_only)
        guard_edit(self.ctx.db, self.clear_button)
        self.role_note.setText(f"{refusal_tip(self.ctx.db)}，只能查看；双击凭证可打开。")
        self.role_note.setVisible(self.read_only)
        self._timer.start()  # 保存 follows too, once the fields are checked again

    def picker_widget(self) -> MemberPicker:
        raise NotImplementedError

    ROLL_TAB = 1

    def people_tabs(self, members_box: QWidget, when: QDateEdit) -> QTabWidget:
        """参会会员 and 到会商会 (the chambers' roll-call, for the federation's own records) as two tabs."""
        self.tabs = QTabWidget()
        self.tabs.addTab(members_box, "参会会员")
        self.tabs.addTab(self.rollcall, "到会商会")
        when.dateChanged.connect(lambda d: self.rollcall.set_day(d.toPython()))
        return self.tabs

    def roll_owner_changed(self) -> None:
        """Only the federation's own meetings and activities call the chambers' roll."""
        fed = self.owner.currentData() is None
        self.rollcall.set_applies(fed, self.record_id)
        self.tabs.setTabEnabled(self.ROLL_TAB, fed)
        self.tabs.setTabToolTip(self.ROLL_TAB, "" if fed else "只有区工商联本级的会议、活动记录商会到会情况")

    def check_roll_call(self, data: dict[str, Any]) -> None:
        if data.get("chamber_id") is not None and self.rollcall.stored:
            raise InvalidInput([FieldError("chamber_id", "所属单位", "已记录商会到会点名的区工商联记录不能改为商会的；"
                                           "如确需更改，请先改回本级并在“到会商会”中清除点名后保存")])
        if data.get("chamber_id") is None:
            # said while typing, as the service would say it on 保存
            missing = [r.name for r in self.rollcall.rows() if r.status == attendance.LEAVE and not r.reason]
            if missing:
                raise InvalidInput([FieldError("rollcall", "到会商会", f"{'、'.join(missing)}请假须填写事由"
                                               "（没有事由请记为缺席）")])

    def write_roll_call(self, session, record_id: int, data: dict[str, Any]) -> None:
        """The marks go with the record, in its transaction (the record's version was claimed by its save)."""
        if data.get("chamber_id") is None and (self.rollcall.stored or self.rollcall.has_marks()):
            attendance.write_roll_call(session, self.RECORD_TYPE, record_id, self.rollcall.entries())

    def show_errors(self, errs: dict[str, str]) -> None:
        self.errors.show(errs)
        self.summary.setText("；".join(self.errors.unplaced(errs)))
        guard_edit(self.ctx.db, self.save_button, enabled=not errs)
        self._highlight_save(not errs and self._snapshot() != getattr(self, "_clean", None))

    def _snapshot(self) -> tuple:
        return (self.data(), self.picker_widget().selected_ids(), self.evidence.pending_paths(),
                self.rollcall.snapshot())

    def has_unsaved(self) -> bool:
        """Something typed, chosen or attached since the record was shown (or the form was cleared)."""
        return not self.read_only and getattr(self, "_clean", None) is not None and self._snapshot() != self._clean

    def offer_save(self) -> bool:
        """Before the form shows something else: 保存 / 不保存 / 取消 when it has unsaved input. False when the
        clerk cancels or the save fails (the form keeps its input)."""
        if not self.has_unsaved():
            return True
        what = self.title_label.text().split("：", 1)[-1] if self.record_id is not None else "新录入的内容"
        answer = ask_save(self, "尚未保存", f"“{what}”的修改尚未保存。\n保存吗？选“取消”继续编辑。")
        if answer == "cancel":
            return False
        if answer == "save":
            return self.save()
        if self.record_id is not None:  # 不保存: back to the record as stored, or a blank form
            self.load(self.record_id)
        else:
            self.new_record()
        return True

    def _clear_clicked(self) -> None:
        if self.offer_save():
            self.new_record()

    def mark_clean(self) -> None:
        """The form shows a record as stored (or a fresh one): 保存 stays plain until something is changed."""
        self._clean = self._snapshot()
        self._highlight_save(False)

    def _highlight_save(self, on: bool) -> None:
        name = "primary" if on else ""
        if self.save_button.objectName() != name:
            self.save_button.setObjectName(name)
            self.save_button.style().unpolish(self.save_button)
            self.save_button.style().polish(self.save_button)

    def validate(self) -> bool:
        self._timer.stop()
        try:
            self.check(self.data())
            self.check_roll_call(self.data())
            errs: dict[str, str] = {}
        except InvalidInput as exc:
            errs = exc.by_field()
        self.show_errors(errs)
        return not errs

    # subclasses: data(), check(data), write(session, data) -> id, load(id), new_record()
    def data(self) -> dict[str, Any]:
        raise NotImplementedError

    def check(self, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def write(self, session, data: dict[str, Any]) -> int:
        raise NotImplementedError

    def new_record(self) -> None:
        raise NotImplementedError

    def save(self) -> bool:
        """Write through the service in one transaction (files included); False when nothing was saved."""
        if self.read_only:  # Ctrl+S reaches here even with 保存 greyed
            return False
        self.errors.reveal_all = True
        if not self.validate():
            return False
        data = self.data()
        try:
            with self.ctx.db.transaction() as s:
                rid = self.write(s, data)
                self.write_roll_call(s, rid, data)
                self.evidence.store_pending(s, self.RECORD_TYPE, rid)
        except InvalidInput as exc:
            self.show_errors(exc.by_field())
            return False
        except Conflict as exc:
            QMessageBox.warning(self, "保存冲突", str(exc))
            return False
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "无法保存", str(exc))
            return False
        self.remember_owner()
        self.ctx.data_changed.emit(self.RECORD_TYPE)
        self.load(rid)
        self.saved.emit(rid)
        return True

    def load(self, record_id: int) -> None:
        raise NotImplementedError


class MeetingForm(RecordForm):
    """Quick entry of a meeting: owner (last used), body, date (today), head counts, texts, attendees, files."""

    RECORD_TYPE = "meeting"
    SETTINGS_KEY = "meetings"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.body = QComboBox()
        self.when = QDateEdit(QDate.currentDate())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd")
        self.place = QLineEdit()
        self.place.setPlaceholderText("如：县工商联会议室")
        self.expected = count_spin()
        self.present = count_spin()
        self.agenda = QPlainTextEdit()
        self.agenda.setPlaceholderText("会前确定的议题，每行一项")
        self.decisions = QPlainTextEdit()
        self.decisions.setPlaceholderText("会议形成的决议")
        self.minutes = QPlainTextEdit()
        self.minutes.setPlaceholderText("重要事项的会议纪要")
        for t in (self.agenda, self.decisions, self.minutes):
            t.setFixedHeight(52)
        self.attendees = MemberPicker(ctx, multi=True)
        use_count = QPushButton("按已选")
        use_count.setToolTip("把“实到”填为下方已选参会会员的人数")
        use_count.clicked.connect(lambda: self.present.setValue(len(self.attendees.selected_ids())))
        self.inputs += [self.body, self.when, self.place, self.expected, self.present, self.agenda, self.decisions,
                        self.minutes, use_count]

        counts = QHBoxLayout()
        counts.addWidget(QLabel("应到"))
        counts.addWidget(with_error(self.expected, self.errors, "expected_count"))
        counts.addWidget(QLabel("实到"))
        counts.addWidget(with_error(self.present, self.errors, "present_count"))
        counts.addWidget(use_count)
        counts.addStretch(1)
        counts_w = QWidget()
        counts_w.setLayout(counts)
        counts.setContentsMargins(0, 0, 0, 0)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("所属单位", with_error(self.owner, self.errors, "chamber_id"))
        form.addRow("会议类型 *", with_error(self.body, self.errors, "body"))
        form.addRow("会议日期 *", with_error(self.when, self.errors, "date"))
        form.addRow("地点", with_error(self.place, self.errors, "place"))
        form.addRow("人数", counts_w)
        form.addRow("议题", with_error(self.agenda, self.errors, "agenda"))
        form.addRow("决议", with_error(self.decisions, self.errors, "decisions"))
        form.addRow("纪要", with_error(self.minutes, self.errors, "minutes"))
        att = QGroupBox("参会会员（从会员台账中查找选择）")
        al = QVBoxLayout(att)
        al.addWidget(self.attendees)

        lay = QVBoxLayout(self)
        lay.addLayout(self.header_row())
        lay.addWidget(self.summary)
        lay.addLayout(form)
        lay.addWidget(self.people_tabs(att, self.when), 1)
        lay.addWidget(self.evidence)

        self.watch(self.body, self.when, self.place, self.expected, self.present, self.agenda, self.decisions,
                   self.minutes, self.attendees, self.evidence)
        self.new_record()

    def picker_widget(self) -> MemberPicker:
        return self.attendees

    def _owner_changed(self) -> None:
        cur = self.body.currentData()
        owner = self.owner.currentData()
        self.body.blockSignals(True)
        self.body.clear()
        for b in bodies_for(owner):
            self.body.addItem(b.label, b.value)
        i = self.body.findData(cur)
        self.body.setCurrentIndex(max(i, 0))
        self.body.blockSignals(False)
        self.attendees.set_chamber(owner)
        self.roll_owner_changed()
        self._timer.start()

    def new_record(self) -> None:
        self.record_id = None
        self.version = None
        self.title_label.setText("录入新会议")
        self.reload_owners()
        set_combo_data(self.owner, self.last_owner())
        self._owner_changed()
        self.when.setMaximumDate(QDate.currentDate())
        self.when.setDate(QDate.currentDate())
        self.place.clear()
        self.expected.setValue(-1)
        self.present.setValue(-1)
        for t in (self.agenda, self.decisions, self.minutes):
            t.clear()
        self.attendees.set_selected([])
        self.attendees.search.clear()
        self.evidence.load(None, None)
        self.rollcall.load(None, self.when.date().toPython(), self.owner.currentData() is None)
        self.errors.reset()
        self.validate()
        self.mark_clean()

    def load(self, record_id: int) -> None:
        try:
            with self.ctx.db.session() as s:
                m = meetings.get_meeting(s, record_id)
        except NotFound:  # deleted meanwhile: the list drops it at its next reload
            return
        self.record_id = record_id
        self.version = m.version
        self.reload_owners()  # also settles whether this user may edit
        body = MeetingBody.parse(m.body)
        self.title_label.setText(f"{'查看' if self.read_only else '编辑'}会议：{m.date:%Y-%m-%d} {body.label if body else m.body}")
        set_combo_data(self.owner, m.chamber_id)
        self._owner_changed()
        set_combo_data(self.body, m.body)
        self.when.setDate(QDate(m.date))
        self.place.setText(m.place or "")
        self.expected.setValue(-1 if m.expected_count is None else m.expected_count)
        self.present.setValue(-1 if m.present_count is None else m.present_count)
        self.agenda.setPlainText(m.agenda or "")
        self.decisions.setPlainText(m.decisions or "")
        self.minutes.setPlainText(m.minutes or "")
        self.attendees.set_selected(m.attendee_ids)
        self.evidence.load("meeting", record_id)
        self.rollcall.load(record_id, m.date, m.chamber_id is None)
        self.errors.reveal_all = True
        self.validate()
        self.mark_clean()

    def data(self) -> dict[str, Any]:
        return {"chamber_id": self.owner.currentData(), "body": self.body.currentData(),
                "date": self.when.date().toPython(), "place": self.place.text(),
                "expected_count": spin_value(self.expected), "present_count": spin_value(self.present),
                "agenda": self.agenda.toPlainText(), "decisions": self.decisions.toPlainText(),
                "minutes": self.minutes.toPlainText()}

    def check(self, data: dict[str, Any]) -> None:
        # Old ledgers may lack 议题 (imports accept that), but a meeting entered here needs one:
        # otherwise one stray 保存 on the pre-filled form would count as a meeting in assessments.
        errors = [] if data["agenda"].strip() else [FieldError("agenda", "议题", "请填写会议议题")]
        try:
            meetings.validate_meeting(data)
        except InvalidInput as exc:
            errors = exc.errors + errors
        if errors:
            raise InvalidInput(errors)

    def write(self, session, data: dict[str, Any]) -> int:
        ids = self.attendees.selected_ids()
        if self.record_id is None:
            m = meetings.create_meeting(session, data, ids)
        else:
            m = meetings.update_meeting(session, self.record_id, data, expected_version=self.version)
            meetings.set_attendees(session, self.record_id, ids)
        session.flush()
        return m.id
