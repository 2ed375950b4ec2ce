"""会员台账: the member ledger — search and filters, a lazy table, bulk actions, history side panel."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from html import escape

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from chamberdesk.core import accounts, privacy, records
from chamberdesk.core import members as svc
from chamberdesk.core.backup import make_backup
from chamberdesk.core.chambers import list_chambers
from chamberdesk.core.choices import (
    MEMBER_TAGS,
    ActivityCategory,
    ContactWay,
    Industry,
    MemberKind,
    PoliticalStatus,
    label_of,
)
from chamberdesk.core.errors import ChamberDeskError, NotFound
from chamberdesk.core.models import Member
from chamberdesk.core.validators import mask_id_number, mask_phone
from chamberdesk.gui.context import AppContext
from chamberdesk.gui.dialogs.member_editor import MemberEditor
from chamberdesk.gui.dialogs.recycle_bin import RecycleBinDialog
from chamberdesk.gui.qtmodels.member_table import COLUMN_KEYS, COLUMNS, MemberTableModel
from chamberdesk.gui.settings import settings
from chamberdesk.gui.style import icon
from chamberdesk.gui.widgets.buttons import confirm, dialog_buttons
from chamberdesk.gui.widgets.date_edit import OptionalDateEdit
from chamberdesk.gui.widgets.forms import choice_combo, set_combo_value
from chamberdesk.gui.widgets.roles import can_edit, guard_edit, refusal_tip
from chamberdesk.gui.widgets.undo import UndoStack
from chamberdesk.gui.workers import run_task

SEARCH_DELAY_MS = 150
COLUMN_SIGNATURE = ",".join(COLUMN_KEYS)
FIRST_JOIN_YEAR = 1980


class LeaveDialog(QDialog):
    """标记退会 for the selected members: one date and reason for all."""

    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("标记退会")
        self.date_edit = OptionalDateEdit(allow_empty=False)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如：企业注销、本人申请")
        form = QFormLayout(self)
        form.addRow(QLabel(f"将选中的 {count} 家会员标记为已退会，其在各商会的职务同日结束。\n操作前会自动备份，做完可按 Ctrl+Z 整批撤销。"))
        form.addRow("退会日期：", self.date_edit)
        form.addRow("退会原因：", self.reason)
        form.addRow(dialog_buttons(self, ok_text="确定退会"))


REVEAL_TIP = "显示该会员代表人的完整身份证号和电话（按权限，并记入审计日志）"
REVEAL_REFUSED_TIP = "当前账户无权查看完整身份证号和电话"


class HistoryPanel(QWidget):
    """The selected member at a glance: facts, seats over time, contacts, activities attended."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.member_id: int | None = None
        self.member_name = ""
        self.title = QLabel("未选择会员")
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        self.body = QTextBrowser()  # scrolls by itself; a word-wrapped QLabel in a scroll area gets cut off
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setOpenLinks(False)
        pal = self.body.palette()  # a palette, not a stylesheet: a stylesheet here would restyle the scroll bar
        pal.setColor(QPalette.ColorRole.Base, pal.color(QPalette.ColorRole.Window))
        self.body.setPalette(pal)
        self.body.setPlainText("在左侧表格中点选一家会员，这里显示它的商会职务、走访联系和参加的活动。")
        self.edit_btn = QPushButton("编辑…")
        self.reveal_btn = QPushButton("查看完整号码")
        self.reveal_btn.setMinimumWidth(self.reveal_btn.sizeHint().width())  # never clipped in a narrow pane
        self.reveal_btn.setToolTip(REVEAL_TIP)
        self.contact_btn = QPushButton("记录走访")
        self.contact_btn.setObjectName("primary")
        self.contact_btn.setToolTip("记录一次走访或联系（日期默认今天，方式默认实地走访）")
        for b in (self.edit_btn, self.reveal_btn, self.contact_btn):
            b.setEnabled(False)
        top = QVBoxLayout()
        top.setContentsMargins(12, 10, 12, 0)
        top.addWidget(self.title)
        # the buttons wrap onto more rows when the pane is narrow (see _arrange_buttons)
        self.buttons = QGridLayout()
        self.buttons.setContentsMargins(12, 6, 12, 10)
        self.buttons.setColumnStretch(2, 1)
        self._button_rows = 0
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.body, 1)
        lay.addLayout(self.buttons)
        self.setMinimumWidth(260)
        self._arrange_buttons()

    def _arrange_buttons(self) -> None:
        """One row when 编辑…, 查看完整号码 and 记录走访 fit side by side, else two, else one button a row."""
        g = self.buttons
        gap = g.horizontalSpacing() if g.horizontalSpacing() >= 0 else 6
        m = g.contentsMargins()
        room = self.width() - m.left() - m.right()
        e, r, c = (b.sizeHint().width() for b in (self.edit_btn, self.reveal_btn, self.contact_btn))
        rows = 1 if e + r + c + 3 * gap <= room else 2 if e + r + gap <= room else 3
        if rows == self._button_rows:
            return
        self._button_rows = rows
        for b in (self.edit_btn, self.reveal_btn, self.contact_btn):
            g.removeWidget(b)
        left, right = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
        if rows == 1:
            g.addWidget(self.edit_btn, 0, 0)
            g.addWidget(self.reveal_btn, 0, 1)
            g.addWidget(self.contact_btn, 0, 3)
        elif rows == 2:
            g.addWidget(self.edit_btn, 0, 0)
            g.addWidget(self.reveal_btn, 0, 1)
            g.addWidget(self.contact_btn, 1, 0, 1, 4, right)
        else:  # spans, so no column is wider than the widest button
            g.addWidget(self.edit_btn, 0, 0, 1, 4, left)
            g.addWidget(self.reveal_btn, 1, 0, 1, 4, left)
            g.addWidget(self.contact_btn, 2, 0, 1, 4, right)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange_buttons()

    def show_member(self, member_id: int | None, selected: int = 0) -> None:
        self.member_id = member_id
        may_reveal = accounts.allowed(self.ctx.db, "reveal")  # a permission of its own, not 编辑
        self.reveal_btn.setEnabled(may_reveal and member_id is not None)
        self.reveal_btn.setToolTip(REVEAL_TIP if may_reveal else REVEAL_REFUSED_TIP)
        guard_edit(self.ctx.db, self.edit_btn, self.contact_btn, enabled=member_id is not None)
        if member_id is None:
            if selected > 1:
                self.title.setText(f"已选 {selected} 家会员")
                self.body.setPlainText("可用上方按钮批量分配到商会、加标签或标记退会。只选一家时，这里显示它的详细情况。")
            else:
                self.title.setText("未选择会员")
                self.body.setPlainText("在左侧表格中点选一家会员，这里显示它的商会职务、走访联系和参加的活动。")
            return
        try:
            with self.ctx.db.session() as s:
                m = svc.get_member(s, member_id)
                hist = svc.member_history(s, member_id)
        except ChamberDeskError as exc:
            self.body.setPlainText(str(exc))
            return
        if m is None:
            self.show_member(None)
            return
        self.member_name = m.enterprise_name
        self.title.setText(m.enterprise_name)
        facts = [label_of(MemberKind, m.kind), label_of(Industry, m.industry)]
        rep = " ".join(x for x in (m.rep_name, label_of(PoliticalStatus, m.rep_political_status),
                                   mask_phone(m.rep_phone)) if x)
        idn = f"<br>身份证号：{escape(mask_id_number(m.rep_id_number))}" if m.rep_id_number else ""
        status = f"已于 {m.leave_date} 退会" if m.leave_date else (f"{m.join_date} 入会" if m.join_date else "在册")
        parts = [f"<p style='color:#5f6b7a'>{escape(' · '.join(f for f in facts if f))}<br>"
                 f"代表人：{escape(rep or '未填写')}{idn}<br>{escape(status)}</p>"]
        parts.append("<h4 style='margin-bottom:2px'>商会与职务</h4>")
        if hist.seats:
            rows = []
            for cname, pos, start, end in hist.seats:
                span = f"{start or '—'} 至 {end or '今'}"
                style = " style='color:#8a96a3'" if end else ""
                rows.append(f"<li{style}>{escape(cname)} · {escape(pos)}<br><small>{span}</small></li>")
            parts.append("<ul style='margin-left:-20px'>" + "".join(rows) + "</ul>")
        else:
            parts.append("<p style='color:#8a96a3'>无</p>")
        parts.append(f"<h4 style='margin-bottom:2px'>走访联系（{len(hist.contacts)} 次）</h4>")
        if hist.contacts:
            rows = [f"<li>{c.date} · {escape(label_of(ContactWay, c.way))}"
                    f"{' · ' + escape(c.by_whom) if c.by_whom else ''}</li>" for c in hist.contacts[:6]]
            more = f"<p style='color:#8a96a3'>另有 {len(hist.contacts) - 6} 次</p>" if len(hist.contacts) > 6 else ""
            parts.append("<ul style='margin-left:-20px'>" + "".join(rows) + "</ul>" + more)
        else:
            parts.append("<p style='color:#8a96a3'>尚无记录</p>")
        parts.append(f"<h4 style='margin-bottom:2px'>参加活动（{len(hist.activities)} 次）</h4>")
        if hist.activities:
            rows = [f"<li>{a.date} · {escape(a.title)}<br><small>{escape(label_of(ActivityCategory, a.category))}"
                    "</small></li>" for a in hist.activities[:6]]
            more = f"<p style='color:#8a96a3'>另有 {len(hist.activities) - 6} 次</p>" if len(hist.activities) > 6 else ""
            parts.append("<ul style='margin-left:-20px'>" + "".join(rows) + "</ul>" + more)
        else:
            parts.append("<p style='color:#8a96a3'>尚无记录</p>")
        self.body.setHtml("".join(parts))


class Page(QWidget):
    """The ledger page; filters and sorting run in SQL through MemberTableModel."""

    TITLE = "会员台账"
    ICON = "members.svg"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.undo_stack = UndoStack(parent=self)
        self.model = MemberTableModel(ctx.db)
        self._build()
        self._restore_layout()
        self._fill_chambers()
        self.apply_filters()

    # --- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel(self.TITLE)
        title.setObjectName("pageTitle")
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")
        self.new_btn = QPushButton("新增会员")
        self.new_btn.setObjectName("primary")
        self.new_btn.setToolTip("Ctrl+N")
        self.new_btn.clicked.connect(self.new_record)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(12)
        head.addWidget(self.count_label)
        head.addStretch(1)
        self.bin_btn = QPushButton("回收站…")
        self.bin_btn.setToolTip("查看已删除的会员、商会、会议、活动和走访记录，恢复或彻底删除")
        self.bin_btn.clicked.connect(self.open_recycle_bin)
        self.print_btn = QPushButton("打印台账…")
        self.print_btn.setToolTip("打印当前筛选出的会员（Ctrl+P），筛选条件印在表头")
        self.print_btn.clicked.connect(self.print_current)
        head.addWidget(self.print_btn)
        head.addWidget(self.bin_btn)
        head.addWidget(self.new_btn)

        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索企业名称、信用代码、代表人、电话（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        # the whole hint stays readable: its width plus the search icon and the clear button
        hint_width = self.search.fontMetrics().horizontalAdvance(self.search.placeholderText())
        self.search.setMinimumWidth(hint_width + 64)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._search_now)

        self.chamber_combo = QComboBox()
        self.chamber_combo.setMinimumContentsLength(8)
        self.chamber_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind_combo = choice_combo(MemberKind, empty="全部类型")
        self.industry_combo = choice_combo(Industry, empty="全部行业", show_value=True)
        self.industry_combo.setMinimumContentsLength(8)
        self.industry_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status_combo = QComboBox()
        for text, value in (("在册", "active"), ("已退会", "left"), ("全部", None)):
            self.status_combo.addItem(text, value)
        self.year_combo = QComboBox()
        self.year_combo.addItem("全部年份", None)
        for y in range(date.today().year, FIRST_JOIN_YEAR - 1, -1):
            self.year_combo.addItem(f"{y} 年入会", y)
        self.tag_combo = QComboBox()
        self.tag_combo.addItem("全部标签", None)
        for t in MEMBER_TAGS:
            self.tag_combo.addItem(t, t)
        for cb in (self.chamber_combo, self.kind_combo, self.industry_combo, self.status_combo, self.year_combo,
                   self.tag_combo):
            cb.currentIndexChanged.connect(self._filters_changed)
        reset = QPushButton("清除条件")
        reset.clicked.connect(self.reset_filters)
        # the search sits in the title row, whose buttons leave room for it: the six filters alone then fit
        # the page on a 1366 px laptop at 125 % (with all seven in one row the window outgrew the screen)
        head.insertSpacing(3, 12)
        head.insertWidget(4, self.search, 3)
        filters = QHBoxLayout()
        for cb in (self.chamber_combo, self.status_combo, self.kind_combo, self.industry_combo, self.year_combo,
                   self.tag_combo):
            filters.addWidget(cb, 1)
        filters.addWidget(reset)

        self.selection_label = QLabel()
        self.bulk_chamber = QPushButton("分配到商会…")
        self.bulk_tag = QPushButton("加标签…")
        self.bulk_leave = QPushButton("标记退会…")
        self.bulk_delete = QPushButton("删除")
        for b, what in ((self.bulk_chamber, "分配到商会"), (self.bulk_tag, "加标签"), (self.bulk_leave, "标记退会"),
                        (self.bulk_delete, "删除")):
            b.setToolTip(f"{what}：先自动备份，做完可按 Ctrl+Z 整批撤销")
        self.bulk_chamber.clicked.connect(self.bulk_assign_chamber)
        self.bulk_tag.clicked.connect(self.bulk_add_tag)
        self.bulk_leave.clicked.connect(self.bulk_mark_left)
        self.bulk_delete.clicked.connect(self.delete_selected)
        bulk = QHBoxLayout()
        bulk.addWidget(self.selection_label)
        bulk.addStretch(1)
        for b in (self.bulk_chamber, self.bulk_tag, self.bulk_leave, self.bulk_delete):
            bulk.addWidget(b)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # 清河县…有限公司: both ends tell firms apart
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setVisible(False)
        hh = self.table.horizontalHeader()
        hh.setSectionsMovable(True)
        hh.setSectionsClickable(True)
        hh.setSortIndicatorShown(True)
        hh.setHighlightSections(False)
        hh.setStretchLastSection(False)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(self._column_menu)
        hh.sectionClicked.connect(self._header_clicked)
        # sized from fixed defaults, never resizeColumnsToContents (seconds at 100,000 rows)
        for i, c in enumerate(COLUMNS):
            self.table.setColumnWidth(i, c.width)
            self.table.setColumnHidden(i, c.hidden_by_default)
        self.table.activated.connect(lambda idx: self.edit_member(self.model.member_id(idx.row())))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.history = HistoryPanel(self.ctx)
        self.history.edit_btn.clicked.connect(lambda: self.edit_member(self.history.member_id))
        self.history.contact_btn.clicked.connect(self.log_contact)
        self.history.reveal_btn.clicked.connect(self.reveal_selected)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.history)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([960, 280])
        self.splitter.setCollapsible(0, False)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 8)
        lay.addLayout(head)
        lay.addLayout(filters)
        lay.addLayout(bulk)
        lay.addWidget(self.splitter, 1)
        self._selection_changed()

    # --- filters -------------------------------------------------------------------------------
    def _fill_chambers(self) -> None:
        current = self.chamber_combo.currentData()
        self.chamber_combo.blockSignals(True)
        self.chamber_combo.clear()
        self.chamber_combo.addItem("全部商会", None)
        for scope, label in svc.CHAMBER_SCOPES.items():
            self.chamber_combo.addItem(label, scope)
        self.chamber_combo.setItemData(1, "本级工商联直接发展的会员（在本级工商联任职或入会）", Qt.ItemDataRole.ToolTipRole)
        self.chamber_combo.setItemData(2, "不在任何商会的会员", Qt.ItemDataRole.ToolTipRole)
        self.chamber_combo.insertSeparator(self.chamber_combo.count())
        with self.ctx.db.session() as s:
            self.chambers = [(ch.id, ch.name) for ch in list_chambers(s, include_dissolved=False)]
        for cid, name in self.chambers:
            self.chamber_combo.addItem(name, cid)
        set_combo_value(self.chamber_combo, current)
        self.chamber_combo.blockSignals(False)

    def current_filter(self) -> svc.MemberFilter:
        chamber = self.chamber_combo.currentData()
        return svc.MemberFilter(
            search=self.search.text().strip(), chamber_id=chamber if isinstance(chamber, int) else None,
            chamber_scope=chamber if isinstance(chamber, str) else None,
            kind=self.kind_combo.currentData(), industry=self.industry_combo.currentData(),
            status=self.status_combo.currentData(), join_year=self.year_combo.currentData(),
            tag=self.tag_combo.currentData(), sort=self.model.flt.sort, descending=self.model.flt.descending)

    def _search_now(self) -> None:
        self._search_timer.stop()
        self.apply_filters()

    def _filters_changed(self, _i: int = 0) -> None:
        self._search_timer.stop()
        self.apply_filters()

    def apply_filters(self) -> None:
        """Run the ledger query for the current search and filters; keep the current member selected."""
        keep = self.selected_ids()
        self.model.set_filter(self.current_filter())
        self._after_reset(keep)

    def reset_filters(self) -> None:
        for cb in (self.chamber_combo, self.kind_combo, self.industry_combo, self.year_combo, self.tag_combo):
            cb.blockSignals(True)
            cb.setCurrentIndex(0)
            cb.blockSignals(False)
        self.status_combo.blockSignals(True)
        self.status_combo.setCurrentIndex(0)
        self.status_combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_filters()

    def _after_reset(self, keep: list[int]) -> None:
        n = len(self.model.ids)
        self.count_label.setText(f"共 {n} 家" if n else "没有符合条件的会员")
        hh = self.table.horizontalHeader()
        col = self.model.sort_column()
        hh.blockSignals(True)
        if col >= 0:
            hh.setSortIndicator(col, Qt.SortOrder.DescendingOrder if self.model.flt.descending
                                else Qt.SortOrder.AscendingOrder)
        else:
            hh.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        hh.blockSignals(False)
        if keep:
            self.select_ids(keep)
        self._selection_changed()
        self._current_changed()

    def _header_clicked(self, section: int) -> None:
        c = COLUMNS[section]
        if not c.sortable:
            self.ctx.status_message.emit(f"“{c.label}”列不能排序")
            self._after_reset([])
            return
        desc = not self.model.flt.descending if self.model.flt.sort == c.key else False
        keep = self.selected_ids()
        self.model.set_filter(replace(self.current_filter(), sort=c.key, descending=desc))
        self._after_reset(keep)

    def show_target(self, arg: object) -> None:
        """From other pages: a member id (select it), a MemberFilter, or a dict of filter fields."""
        if isinstance(arg, int):
            if self.model.row_of(arg) < 0:
                self.reset_filters()
                self.status_combo.setCurrentIndex(2)
            self.select_ids([arg])
            return
        if isinstance(arg, svc.MemberFilter):
            arg = {k: getattr(arg, k) for k in ("search", "chamber_id", "chamber_scope", "kind", "industry", "status",
                                                "join_year", "tag")}
        if isinstance(arg, dict):
            if arg.get("chamber_scope"):  # one box shows both a chamber and 本级工商联 / 未加入任何商会
                arg = {**arg, "chamber_id": arg["chamber_scope"]}
            combos = {"chamber_id": self.chamber_combo, "kind": self.kind_combo, "industry": self.industry_combo,
                      "status": self.status_combo, "join_year": self.year_combo, "tag": self.tag_combo}
            for key, cb in combos.items():
                if key in arg:
                    cb.blockSignals(True)
                    set_combo_value(cb, arg[key])
                    cb.blockSignals(False)
            if "search" in arg:
                self.search.blockSignals(True)
                self.search.setText(str(arg["search"] or ""))
                self.search.blockSignals(False)
            self.apply_filters()

    # --- selection -----------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [mid for r in rows if (mid := self.model.member_id(r)) is not None]

    def select_ids(self, ids: list[int]) -> None:
        sm = self.table.selectionModel()
        sm.clearSelection()
        first = None
        for mid in ids:
            row = self.model.row_of(mid)
            if row < 0:
                continue
            idx = self.model.index(row, 0)
            flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            sm.select(idx, flags)
            if first is None:
                first = idx
        if first is not None:
            sm.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.table.scrollTo(first)

    def _selection_changed(self, *_args: object) -> None:
        n = len(self.table.selectionModel().selectedRows())
        self.selection_label.setText(f"已选 {n} 家" if n else "可按住 Ctrl 或 Shift 多选，再批量操作")
        self.selection_label.setObjectName("" if n else "muted")
        self.selection_label.style().unpolish(self.selection_label)
        self.selection_label.style().polish(self.selection_label)
        guard_edit(self.ctx.db, self.bulk_chamber, self.bulk_tag, self.bulk_leave, self.bulk_delete, enabled=n > 0)
        guard_edit(self.ctx.db, self.new_btn)
        self._current_changed()

    def _current_changed(self, *_args: object) -> None:
        ids = self.selected_ids()
        mid = ids[0] if len(ids) == 1 else None
        if mid != self.history.member_id or mid is None:
            self.history.show_member(mid, len(ids))

    # --- page contract -------------------------------------------------------------------------
    def refresh(self) -> None:
        self._fill_chambers()
        self.apply_filters()
        if self.history.member_id is not None:
            self.history.show_member(self.history.member_id)

    def find(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def print_current(self):
        """The ledger exactly as filtered and sorted here, in the print preview (returns the print task)."""
        from chamberdesk.gui.pages.print_panel import preview_ledger  # reportlab loads only when printing

        if not self.model.ids:
            QMessageBox.information(self, "打印台账", "当前筛选没有会员可打印，请先调整搜索或筛选条件。")
            return None
        return preview_ledger(self, self.ctx, self.current_filter())

    def _refuse_if_read_only(self, title: str) -> bool:
        """Shortcuts (Ctrl+N, Delete, double-click) bypass disabled buttons: say why instead."""
        if can_edit(self.ctx.db):
            return False
        QMessageBox.information(self, title, f"{refusal_tip(self.ctx.db)}。")
        return True

    def new_record(self) -> None:
        if self._refuse_if_read_only("新增会员"):
            return
        dlg = MemberEditor(self.ctx, None, self, chamber_id=self.chamber_combo.currentData())
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.member_id is not None:
            mid, name = dlg.member_id, dlg.values()["enterprise_name"]
            self.undo_stack.push(f"新增会员“{name}”", lambda: self._delete_ids([mid]))
            self.ctx.status_message.emit(f"已新增会员“{name}”")
            self.refresh()
            if self.model.row_of(mid) < 0:  # hidden by the filters: clear them so the clerk sees it
                self.reset_filters()
            self.select_ids([mid])

    def edit_member(self, member_id: int | None) -> None:
        if member_id is None or self._refuse_if_read_only("编辑会员"):
            return
        try:
            dlg = MemberEditor(self.ctx, member_id, self)
        except NotFound as exc:
            QMessageBox.warning(self, "找不到会员", str(exc))
            self.refresh()
            return
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.previous:
            prev, version = dict(dlg.previous), dlg.version
            name = dlg.values()["enterprise_name"]
            self.undo_stack.push(f"修改会员“{name}”", lambda: self._restore_fields(member_id, prev, version))
            self.ctx.status_message.emit(f"已保存“{name}”（Ctrl+Z 可撤销）")
            self.refresh()

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self.ctx.status_message.emit("请先在表格中选中要删除的会员")
            return
        if self._refuse_if_read_only("删除会员"):
            return
        name = self.model.text(self.model.row_of(ids[0]), "enterprise_name")
        what = f"“{name}”" if len(ids) == 1 else f"选中的 {len(ids)} 家会员"
        if not confirm(self, "删除会员", f"确定删除{what}吗？\n删除后可在回收站中恢复，也可以马上按 Ctrl+Z 撤销。",
                       yes="删除", destructive=True):
            return
        if len(ids) > 1 and not self._backup_first("批量删除"):
            return
        if self._delete_ids(ids):
            self.undo_stack.push(f"删除{what}", lambda: self._restore_ids(ids))
            self.ctx.status_message.emit(f"已删除{what}（Ctrl+Z 可撤销）")

    def undo(self) -> None:
        label = self.undo_stack.next_label()
        if label is None:
            self.ctx.status_message.emit("没有可以撤销的操作")
            return
        try:
            self.undo_stack.undo()
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "无法撤销", f"撤销“{label}”未成功：{exc}")
        else:
            self.ctx.status_message.emit(f"已撤销：{label}")
        self.refresh()

    def save_layout(self) -> None:
        st = settings()
        st.set_value("members/header", self.table.horizontalHeader().saveState())
        st.set_value("members/header_columns", COLUMN_SIGNATURE)
        st.set_value("members/splitter", self.splitter.saveState())

    def _restore_layout(self) -> None:
        st = settings()
        state = st.bytes_value("members/header")
        # a layout saved for other columns (or another order of them) would put widths on the wrong ones
        if state is not None and st.str_value("members/header_columns") == COLUMN_SIGNATURE:
            self.table.horizontalHeader().restoreState(state)
        sp = st.bytes_value("members/splitter")
        if sp is not None:
            self.splitter.restoreState(sp)

    # --- writes --------------------------------------------------------------------------------
    def _write(self, title: str, fn) -> object | None:
        """One clerk action = one transaction; errors become a message, data_changed announces success."""
        try:
            with self.ctx.db.transaction() as s:
                result = fn(s)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, title, str(exc))
            return None
        self.ctx.data_changed.emit("member")
        return result if result is not None else True

    def _delete_ids(self, ids: list[int]) -> bool:
        def run(s):
            for mid in ids:
                svc.delete_member(s, mid)
        ok = self._write("删除会员", run) is not None
        self.refresh()
        return ok

    def _restore_ids(self, ids: list[int]) -> None:
        with self.ctx.db.transaction() as s:
            for mid in ids:
                records.restore(s, Member, mid)
        self.ctx.data_changed.emit("member")
        self.refresh()
        self.select_ids(ids)

    def _restore_fields(self, member_id: int, previous: dict, version: int | None) -> None:
        """Put back the values before an edit, unless someone saved the member since (then: Conflict)."""
        with self.ctx.db.transaction() as s:
            svc.update_member(s, member_id, previous, expected_version=version)
        self.ctx.data_changed.emit("member")
        self.refresh()
        self.select_ids([member_id])

    # --- bulk actions: backed up first, undone as one step ------------------------------------------
    def _backup_first(self, title: str) -> bool:
        """An automatic backup before a bulk change (on a worker thread: a large file takes a moment).

        If it fails (e.g. the backup drive is unplugged) the clerk decides whether to go on without one.
        """
        if self.ctx.db.path is None:  # a database server keeps its own backups
            return True
        task = run_task(self, title, lambda _p: make_backup(self.ctx.db, reason="bulk"), label="正在自动备份数据…",
                        cancellable=False, on_error=lambda _e: None)
        task.wait(600_000)
        if task.done and task.error is None:  # a wait that timed out is not a backup
            return True
        return confirm(self, title, f"操作前的自动备份没有成功：{task.error}\n不备份仍要继续吗？",
                       yes="仍要继续", warning=True)

    def _bulk(self, title: str, ids: list[int], fn) -> object | None:
        """Back up, then run `fn(session) -> (count, undo)` in one transaction; push `undo` for Ctrl+Z."""
        if self._refuse_if_read_only(title) or not self._backup_first(title):
            return None
        result = self._write(title, fn)
        if result is None:
            return None
        n, undo = result
        if n:
            self.undo_stack.push(f"{title}（{n} 家）", lambda: self._undo_bulk(undo))
        self.refresh()
        self.select_ids(ids)
        return n

    def _undo_bulk(self, undo) -> None:
        with self.ctx.db.transaction() as s:
            undo(s)
        self.ctx.data_changed.emit("member")

    def bulk_assign_chamber(self) -> None:
        ids = self.selected_ids()
        if not ids or not self.chambers:
            return
        names = [n for _, n in self.chambers]
        name, ok = QInputDialog.getItem(self, "分配到商会", f"把选中的 {len(ids)} 家会员加入：", names, 0, False)
        if not ok:
            return
        cid = self.chambers[names.index(name)][0]

        def run(s: Session):
            before = set(svc.open_seat_ids(s, ids, chamber_id=cid))
            n = svc.assign_to_chamber(s, ids, cid)
            s.flush()
            added = sorted(set(svc.open_seat_ids(s, ids, chamber_id=cid)) - before)
            return n, lambda s2: svc.delete_seats(s2, added)

        n = self._bulk("分配到商会", ids, run)
        if n is not None:
            rest = f"，另 {len(ids) - n} 家原已在该商会" if n < len(ids) else ""
            self.ctx.status_message.emit(f"已将 {n} 家会员加入“{name}”{rest}（Ctrl+Z 可撤销）")

    def bulk_add_tag(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        tag, ok = QInputDialog.getItem(self, "加标签", f"给选中的 {len(ids)} 家会员加上标签：", list(MEMBER_TAGS), 0, False)
        if not ok:
            return

        def run(s: Session):
            tagged = [m.id for m in svc.live_members(s, ids) if tag not in m.tags.split(",")]
            n = svc.add_tag(s, ids, tag)
            return n, lambda s2: svc.remove_tag(s2, tagged, tag)

        n = self._bulk("加标签", ids, run)
        if n is not None:
            self.ctx.status_message.emit(f"已给 {n} 家会员加上标签“{tag}”（Ctrl+Z 可撤销）")

    def bulk_mark_left(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        dlg = LeaveDialog(len(ids), self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        when, reason = dlg.date_edit.value() or date.today(), dlg.reason.text().strip() or None

        def run(s: Session):
            leaving = [m.id for m in svc.live_members(s, ids) if m.leave_date is None]
            seats = svc.open_seat_ids(s, leaving)
            n = svc.mark_left(s, ids, when, reason)
            return n, lambda s2: svc.undo_mark_left(s2, leaving, seats, left_on=when)

        n = self._bulk("标记退会", ids, run)
        if n is not None:
            self.ctx.status_message.emit(f"已将 {n} 家会员标记为退会（Ctrl+Z 可撤销）")

    # --- recycle bin, full numbers -----------------------------------------------------------------
    def open_recycle_bin(self) -> None:
        dlg = RecycleBinDialog(self.ctx, self, kind="member")
        dlg.exec()
        if dlg.changed:
            self.refresh()

    def reveal_selected(self) -> None:
        """查看完整号码: the core checks the role and logs the look; the numbers are shown once, not kept."""
        mid = self.history.member_id
        if mid is None:
            return
        try:
            idn = privacy.reveal(self.ctx.db, mid, "rep_id_number")
            phone = privacy.reveal(self.ctx.db, mid, "rep_phone")
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "查看完整号码", f"不能查看完整号码：{exc}")
            return
        box = QMessageBox(QMessageBox.Icon.Information, "查看完整号码",
                          f"{self.history.member_name}\n\n身份证号：{idn or '未填写'}\n联系电话：{phone or '未填写'}"
                          "\n\n本次查看已记入审计日志。", QMessageBox.StandardButton.NoButton, self)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addButton("关闭", QMessageBox.ButtonRole.AcceptRole)
        box.exec()

    def log_contact(self) -> None:
        mid = self.history.member_id
        if mid is None:
            return
        if self._refuse_if_read_only("记录走访"):
            return
        from chamberdesk.gui.dialogs.contact_dialog import log_contact_for_member  # loaded on first use

        if log_contact_for_member(self.ctx, mid, self) is not None:
            self.ctx.status_message.emit(f"已记录对“{self.history.member_name}”的走访")
            self.history.show_member(mid)

    # --- column chooser ------------------------------------------------------------------------
    def _column_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addSection("显示的列")
        for i, c in enumerate(COLUMNS):
            act = QAction(c.label, menu, checkable=True)
            act.setChecked(not self.table.isColumnHidden(i))
            act.toggled.connect(lambda on, col=i: self.set_column_visible(col, on))
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction("恢复默认列").triggered.connect(self.reset_columns)
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def set_column_visible(self, col: int, visible: bool) -> None:
        shown = [i for i in range(len(COLUMNS)) if not self.table.isColumnHidden(i)]
        if not visible and shown == [col]:
            return  # keep at least one column
        self.table.setColumnHidden(col, not visible)
        if visible and self.table.columnWidth(col) < 20:
            self.table.setColumnWidth(col, COLUMNS[col].width)
        self.save_layout()

    def reset_columns(self) -> None:
        hh = self.table.horizontalHeader()
        for i, c in enumerate(COLUMNS):
            hh.moveSection(hh.visualIndex(i), i)
            self.table.setColumnHidden(i, c.hidden_by_default)
            self.table.setColumnWidth(i, c.width)
        self.save_layout()

