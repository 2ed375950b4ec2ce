"""活动与走访: activities (list + quick-entry form) and member contacts with each chamber's coverage."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import activities, chambers, contacts, members, records
from chamberdesk.core.choices import ActivityCategory, ContactWay
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.models import Activity, Contact
from chamberdesk.gui.dialogs.activity_editor import ActivityForm
from chamberdesk.gui.dialogs.chamber_editor import set_combo_data
from chamberdesk.gui.dialogs.contact_dialog import ContactDialog
from chamberdesk.gui.pages.meetings import (
    FEDERATION,
    YEARS_BACK,
    PeriodFilter,
    follow_row,
    make_table,
    page_header,
    select_id,
)
from chamberdesk.gui.qtmodels.record_tables import (
    CONTACT_TARGET,
    ID_ROLE,
    VISIT_TARGET,
    ActivityRow,
    ContactRow,
    CoverageRow,
    PercentAwareModel,
    RecordTableModel,
    activity_columns,
    apply_widths,
    contact_columns,
    coverage_columns,
    fit_widths_once,
    percent,
)
from chamberdesk.gui.style import icon
from chamberdesk.gui.widgets.buttons import YES_NO
from chamberdesk.gui.widgets.layout import remembered_splitter, vertical_scroll
from chamberdesk.gui.widgets.roles import can_edit, guard_edit, refusal_tip


class ActivitiesTab(QWidget):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self._undo: list[int] = []
        self.filters = PeriodFilter("活动类别", [(c.label, c.value) for c in ActivityCategory])
        self.filters.text.setPlaceholderText("搜索活动名称、备注")
        self.model = RecordTableModel(activity_columns(), self)
        self.table = make_table()
        self.table.setModel(self.model)
        apply_widths(self.table, self.model.columns)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.form = ActivityForm(self.ctx)
        self.form.saved.connect(self._saved)
        self.splitter = remembered_splitter("activities", self.table, vertical_scroll(self.form, fit_width=True),
                                            sizes=(700, 460), stretch=(3, 2))
        self.totals = QLabel()
        self.totals.setObjectName("muted")
        lay = QVBoxLayout(self)
        lay.addWidget(self.filters)
        lay.addWidget(self.splitter, 1)
        lay.addWidget(self.totals)
        self.filters.connect(self.reload_list)

    def reload_list(self) -> None:
        q = self.filters.query()
        with self.ctx.db.session() as s:
            rows = activities.list_activities(s, category=self.filters.kind.currentData(), **q)
        text = self.filters.text.text().strip()
        if text:
            rows = [a for a in rows if text in a.title or text in (a.notes or "")]
        names = self.page.chamber_names
        self.model.set_rows([ActivityRow(
            a.id, a.date, "本级工商联" if a.chamber_id is None else names.get(a.chamber_id, "（已删除商会）"),
            ActivityCategory.parse(a.category).label if ActivityCategory.parse(a.category) else a.category,
            a.title, a.participant_count, a.member_participants, a.amount, a.people_count, a.item_count) for a in rows])
        fit_widths_once(self.table, self.model.columns)
        hdr = self.table.horizontalHeader()
        self.model.sort(hdr.sortIndicatorSection(), hdr.sortIndicatorOrder())
        amount = sum(a.amount or 0 for a in rows)
        people = sum(a.people_count or 0 for a in rows)
        items = sum(a.item_count or 0 for a in rows)
        self.totals.setText(f"共 {len(rows)} 项活动　合计：金额 {amount:,.1f} 万元　人数 {people:,}　件数 {items:,}")
        self.page.count_label.setText(f"共 {len(rows)} 项活动")
        if self.form.record_id is not None:
            select_id(self.table, self.model, self.form.record_id)

    def _row_changed(self, cur, _prev) -> None:
        follow_row(self.table, self.model, self.form, cur)

    def print_request(self):
        """The activities the list shows (oldest first, as a record book reads), with the filter stated;
        None when the list is empty."""
        from chamberdesk.io.pdf.jobs import PrintRequest

        rows = [self.model.row_object(r) for r in range(self.model.rowCount())]
        if not rows:
            return None
        rows.sort(key=lambda r: (r.date, r.id))
        f = self.filters
        owner = f.owner.currentData()
        year = f.year.currentData()
        quarter = f.quarter.currentData() if year is not None else None
        period = (f"{year}年" + (f"{f.quarter.currentText()}" if quarter else "度")) if year is not None else ""
        who = "" if owner is None else f.owner.currentText()
        parts = [f"单位={f.owner.currentText()}", f"年度={f.year.currentText()}"]
        if quarter:
            parts.append(f"季度={f.quarter.currentText()}")
        parts.append(f"类别={f.kind.currentText() if f.kind.currentData() else '全部'}")
        if f.text.text().strip():
            parts.append(f"查找={f.text.text().strip()}")
        title = f"{who}{period}活动记录"
        return PrintRequest(form="activities", activity_ids=[r.id for r in rows],
                            extra={"title": title, "filter": "筛选：" + "；".join(parts)}), title

    def _saved(self, rid: int) -> None:
        self.ctx.status_message.emit("活动已保存")
        self.reload_list()
        select_id(self.table, self.model, rid)

    def selected_id(self) -> int | None:
        idx = self.table.currentIndex()
        return idx.data(ID_ROLE) if idx.isValid() and self.table.selectionModel().hasSelection() else None

    def delete_selected(self) -> None:
        aid = self.selected_id()
        if aid is None:
            return
        row = self.model.row_object(self.model.row_of_id(aid))
        if QMessageBox.question(self, "删除活动", f"确定删除活动“{row.title}”吗？\n删除后可在回收站恢复，或立即“撤销删除”。",
                                YES_NO, QMessageBox.StandardButton.No) \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.ctx.db.transaction() as s:
                activities.delete_activity(s, aid)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "无法删除", str(exc))
            return
        self._undo.append(aid)
        self.ctx.data_changed.emit("activity")
        self.form.new_record()
        self.reload_list()

    def undo(self) -> None:
        if self._undo:
            aid = self._undo.pop()
            try:
                with self.ctx.db.transaction() as s:
                    records.restore(s, Activity, aid)
            except ChamberDeskError as exc:
                QMessageBox.warning(self, "无法撤销", str(exc))
            self.ctx.data_changed.emit("activity")
            self.reload_list()


class ContactsTab(QWidget):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self._undo: list[int] = []
        self.owner = QComboBox()
        self.year = QComboBox()
        this = date.today().year
        for y in range(this, this - YEARS_BACK, -1):
            self.year.addItem(f"{y}年", y)
        self.way = QComboBox()
        self.way.addItem("全部方式", None)
        for w in ContactWay:
            self.way.addItem(w.label, w.value)
        self.text = QLineEdit()
        self.text.setPlaceholderText("搜索会员企业、代表人、联系人")
        self.text.setClearButtonEnabled(True)
        self.log_button = QPushButton(icon("visit"), "登记走访联系")
        self.log_button.setObjectName("primary")
        self.log_button.clicked.connect(self.log_contact)
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(self.delete_selected)
        bar = QHBoxLayout()
        for w in (self.owner, self.year, self.way):
            bar.addWidget(w)
        bar.addWidget(self.text, 1)
        bar.addWidget(self.log_button)  # 删除 and 撤销删除 sit in the page header for both tabs

        self.model = RecordTableModel(contact_columns(), self)
        self.table = make_table()
        self.table.setModel(self.model)
        apply_widths(self.table, self.model.columns)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.cov_model = PercentAwareModel(coverage_columns(), self)
        self.cov_table = make_table()
        self.cov_table.setModel(self.cov_model)
        apply_widths(self.cov_table, self.cov_model.columns)
        self.cov_table.sortByColumn(3, Qt.SortOrder.AscendingOrder)  # weakest visiting first
        self.cov_table.doubleClicked.connect(self._coverage_double_clicked)
        self.cov_title = QLabel()
        self.cov_title.setStyleSheet("font-weight:600;")
        cov_hint = QLabel(f"目标（四好商会标准）：每年实地走访不少于会员的 {VISIT_TARGET:.0%}，"
                          f"保持有效联系不少于 {CONTACT_TARGET:.0%}。红色为未达到。双击一行只看该商会的记录。")
        cov_hint.setObjectName("muted")
        cov_hint.setWordWrap(True)
        cov_box = QWidget()
        cl = QVBoxLayout(cov_box)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.cov_title)
        cl.addWidget(self.cov_table, 1)
        cl.addWidget(cov_hint)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(cov_box)
        self.splitter.setSizes([640, 500])
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.splitter, 1)
        lay.addWidget(self.summary)
        for c in (self.owner, self.year, self.way):
            c.currentIndexChanged.connect(self.reload)
        self.text.textChanged.connect(self.reload_list)

    def set_owners(self) -> None:
        cur = self.owner.currentData() if self.owner.count() else None
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem("全部单位", None)
        self.owner.addItem("本级工商联", FEDERATION)
        for cid, name in self.page.chamber_names.items():
            self.owner.addItem(name, cid)
        set_combo_data(self.owner, cur)
        self.owner.blockSignals(False)

    def reload(self) -> None:
        self.reload_list()
        self.reload_coverage()

    def reload_list(self) -> None:
        owner = self.owner.currentData()
        year = self.year.currentData()
        with self.ctx.db.session() as s:
            rows = contacts.list_contacts(s, chamber_id=owner if owner not in (None, FEDERATION) else None, year=year)
            if owner == FEDERATION:
                rows = [c for c in rows if c.chamber_id is None]
            way = self.way.currentData()
            if way:
                rows = [c for c in rows if c.way == way]
            found = members.members_by_ids(s, list({c.member_id for c in rows}))
        names = self.page.chamber_names
        out = []
        for c in rows:
            m = found.get(c.member_id)
            w = ContactWay.parse(c.way)
            out.append(ContactRow(c.id, c.date, m.enterprise_name if m else "（已删除会员）",
                                  (m.rep_name or m.legal_rep or "") if m else "", w.label if w else c.way,
                                  c.by_whom or "", "本级工商联" if c.chamber_id is None else names.get(c.chamber_id, ""),
                                  (c.notes or "").replace("\n", " ")))
        text = self.text.text().strip()
        if text:
            out = [r for r in out if text in r.member or text in r.person or text in r.by_whom]
        self.model.set_rows(out)
        fit_widths_once(self.table, self.model.columns)
        hdr = self.table.horizontalHeader()
        self.model.sort(hdr.sortIndicatorSection(), hdr.sortIndicatorOrder())
        visits = sum(1 for r in out if r.way == ContactWay.VISIT.label)
        self.summary.setText(f"共 {len(out)} 次走访联系，其中实地走访 {visits} 次")

    def reload_coverage(self) -> None:
        year = self.year.currentData()
        rows = []
        with self.ctx.db.session() as s:
            for cid, name in self.page.active_chambers.items():
                cov = contacts.coverage(s, cid, year)
                rows.append(CoverageRow(cid, name, cov.members, cov.visited, cov.contacted))
        self.cov_model.set_rows(rows)
        hdr = self.cov_table.horizontalHeader()
        self.cov_model.sort(hdr.sortIndicatorSection(), hdr.sortIndicatorOrder())
        total = sum(r.members for r in rows)
        visited = sum(r.visited for r in rows)
        contacted = sum(r.contacted for r in rows)
        self.cov_title.setText(f"{year}年各商会走访覆盖　合计：实地走访 {percent(visited / total if total else None)}，"
                               f"联系 {percent(contacted / total if total else None)}")

    def coverage_of(self, chamber_id: int) -> CoverageRow | None:
        r = self.cov_model.row_of_id(chamber_id)
        return self.cov_model.row_object(r)

    def _coverage_double_clicked(self, idx) -> None:
        set_combo_data(self.owner, idx.data(ID_ROLE))

    def log_contact(self) -> None:
        owner = self.owner.currentData()
        dlg = ContactDialog(self.ctx, chamber_id=owner if owner not in (None, FEDERATION) else None, parent=self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.reload()
            select_id(self.table, self.model, dlg.saved_id)

    def delete_selected(self) -> None:
        idx = self.table.currentIndex()
        if not idx.isValid() or not self.table.selectionModel().hasSelection():
            return
        cid = idx.data(ID_ROLE)
        row = self.model.row_object(self.model.row_of_id(cid))
        if QMessageBox.question(self, "删除走访联系", f"确定删除 {row.date:%Y-%m-%d} 对“{row.member}”的{row.way}记录吗？",
                                YES_NO, QMessageBox.StandardButton.No) \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.ctx.db.transaction() as s:
                contacts.delete_contact(s, cid)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "无法删除", str(exc))
            return
        self._undo.append(cid)
        self.ctx.data_changed.emit("contact")
        self.reload()

    def undo(self) -> None:
        if self._undo:
            cid = self._undo.pop()
            try:
                with self.ctx.db.transaction() as s:
                    records.restore(s, Contact, cid)
            except ChamberDeskError as exc:
                QMessageBox.warning(self, "无法撤销", str(exc))
            self.ctx.data_changed.emit("contact")
            self.reload()


class Page(QWidget):
    TITLE = "活动与走访"
    ICON = "activities"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.chamber_names: dict[int, str] = {}
        self.active_chambers: dict[int, str] = {}
        header, self.count_label = page_header("活动与走访")
        self.new_button = QPushButton(icon("add"), "新建活动")
        self.new_button.clicked.connect(self.new_record)
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button = QPushButton("撤销删除")
        self.undo_button.clicked.connect(self.undo)
        self.print_button = QPushButton("打印列表…")
        self.print_button.setToolTip("按当前筛选（单位、年度、季度、类别）打印活动记录表（Ctrl+P）")
        self.print_button.clicked.connect(self.print_current)
        for b in (self.new_button, self.delete_button, self.undo_button, self.print_button):
            header.addWidget(b)
        self.tabs = QTabWidget()
        self.activities = ActivitiesTab(self)
        self.contacts = ContactsTab(self)
        self.tabs.addTab(self.activities, icon("activities"), "活动")
        self.tabs.addTab(self.contacts, icon("visit"), "走访联系")
        self.tabs.currentChanged.connect(self._tab_changed)
        lay = QVBoxLayout(self)
        lay.addLayout(header)
        lay.addWidget(self.tabs, 1)
        for t in (self.activities, self.contacts):
            t.table.selectionModel().selectionChanged.connect(lambda *_: self._guard())
        self.refresh()

    def current(self):
        return self.tabs.currentWidget()

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            chs = chambers.list_chambers(s)
        self.chamber_names = {c.id: c.name for c in chs}
        self.active_chambers = {c.id: c.name for c in chs if c.status == "active"}
        self.activities.filters.set_owners([(n, i) for i, n in self.chamber_names.items()])
        self.activities.form.reload_owners()
        self.contacts.set_owners()
        self.activities.reload_list()
        self.contacts.reload()
        self._tab_changed()

    def _guard(self) -> None:
        """Write buttons for users who may edit (只读 users see why not); 删除 needs a selected row."""
        tab = self.current()
        selected = tab.table.selectionModel().hasSelection() and tab.table.currentIndex().isValid()
        guard_edit(self.ctx.db, self.new_button, self.contacts.log_button)
        guard_edit(self.ctx.db, self.delete_button, enabled=selected)
        guard_edit(self.ctx.db, self.undo_button, enabled=bool(tab._undo))

    def print_current(self) -> None:
        """Ctrl+P: the activity list as filtered, in the print preview."""
        from chamberdesk.gui.pages.print_panel import preview_form

        if self.current() is not self.activities:
            QMessageBox.information(self, "打印", "走访联系记录暂不提供打印。请切换到“活动”标签，按筛选打印活动记录表。")
            return
        got = self.activities.print_request()
        if got is None:
            QMessageBox.information(self, "打印活动记录", "当前筛选条件下没有活动记录，请调整单位、年度或季度后再打印。")
            return
        req, title = got
        preview_form(self, self.ctx, req, title)

    def _tab_changed(self, *_a) -> None:
        on_acts = self.current() is self.activities
        # the contacts tab has its own 登记走访联系 button beside its filters
        self.new_button.setVisible(on_acts)
        self.print_button.setVisible(on_acts)
        self._guard()
        if on_acts:
            self.count_label.setText(f"共 {self.activities.model.rowCount()} 项活动")
        else:
            self.count_label.setText(f"共 {self.contacts.model.rowCount()} 次走访联系")

    def may_leave(self) -> bool:
        return self.activities.form.offer_save()

    def may_close(self) -> bool:
        return self.activities.form.offer_save()

    def new_record(self) -> None:
        if not can_edit(self.ctx.db):
            self.ctx.status_message.emit(refusal_tip(self.ctx.db))
            return
        if self.current() is self.activities:
            if not self.activities.form.offer_save():
                return
            self.activities.table.clearSelection()
            self.activities.form.new_record()
            self.activities.form.category.setFocus()
        else:
            self.contacts.log_contact()

    def save(self) -> None:
        if self.current() is not self.activities:
            return
        if not can_edit(self.ctx.db):  # Ctrl+S reaches here with 保存 greyed: say why, as the ledger does
            QMessageBox.information(self, "保存活动", f"{refusal_tip(self.ctx.db)}。")
            return
        self.activities.form.save()

    def find(self) -> None:
        box = self.activities.filters.text if self.current() is self.activities else self.contacts.text
        box.setFocus()
        box.selectAll()

    def delete_selected(self) -> None:
        if self.delete_button.isEnabled():
            self.current().delete_selected()
            self._guard()

    def undo(self) -> None:
        if self.undo_button.isEnabled():
            self.current().undo()
            self._guard()

    def show_target(self, arg) -> None:
        """{"tab": "contacts", "chamber_id": …, "year": …} or activity filters; an int opens that activity."""
        if isinstance(arg, int):
            self.tabs.setCurrentWidget(self.activities)
            if not self.activities.form.offer_save():
                return
            self.activities.form.load(arg)
            self.activities.reload_list()
            select_id(self.activities.table, self.activities.model, arg)
            return
        if not isinstance(arg, dict):
            return
        if arg.get("tab") == "contacts":
            self.tabs.setCurrentWidget(self.contacts)
            if "chamber_id" in arg:
                set_combo_data(self.contacts.owner, FEDERATION if arg["chamber_id"] is None else arg["chamber_id"])
            if "year" in arg:
                set_combo_data(self.contacts.year, arg["year"])
            return
        self.tabs.setCurrentWidget(self.activities)
        self.activities.filters.apply_target(arg)
        self.activities.reload_list()
