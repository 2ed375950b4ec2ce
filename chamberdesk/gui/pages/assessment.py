"""考评: check a chamber (or the federation) against a rubric, fill in what the ledger lacks, 定稿; the matrix."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from chamberdesk import rules
from chamberdesk.core import assessments, evidence
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.gui.style import ACCENT, ERROR, MUTED, OK, WARN
from chamberdesk.gui.widgets.buttons import ask_save, dialog_buttons
from chamberdesk.gui.widgets.files import ask_save_path, notify_saved
from chamberdesk.gui.widgets.layout import resize_to_fit
from chamberdesk.gui.widgets.roles import guard_edit
from chamberdesk.rules.sources import source_text

STATUS_COLOURS = {"pass": OK, "fail": ERROR, "needs_input": WARN, assessments.YEAR_OPEN: ACCENT, "not_applicable": MUTED}
STATUS_MARKS = {"pass": "✓", "fail": "✗", "needs_input": "？", assessments.YEAR_OPEN: "…", "not_applicable": "—"}


def verdict_colour(res: rules.TargetResult) -> str:
    """The verdict's colour: decided green or red; open for the clerk amber; waiting for the year's end blue."""
    if res.passed is None and res.year_open and res.complete:
        return ACCENT
    return {True: OK, False: ERROR, None: WARN}[res.passed]
YEARS_BACK = 6
COLS = ["分组", "条目", "类别", "结果", "上年", "填报 / 评分", "说明"]
C_GROUP, C_TITLE, C_KIND, C_STATUS, C_LAST, C_INPUT, C_EXPLAIN = range(7)


class Page(QWidget):
    TITLE = "考评"
    ICON = "assessment"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rubric: rules.Rubric | None = None
        self.result: rules.TargetResult | None = None
        self.last_year: rules.TargetResult | None = None
        self.inputs: dict[str, Any] = {}
        self._dirty = False  # inputs edited since they were loaded or saved
        self._shown: tuple[str, int, int | None] | None = None  # (rubric id, year, target key) of self.inputs
        self.assessment = None  # the stored Assessment row for the current choice, if any
        self.matrix_results: list[rules.TargetResult] = []
        self._loading = False
        self._recalc = QTimer(self, singleShot=True, interval=250)
        self._recalc.timeout.connect(self.recompute)

        title = QLabel("考评")
        title.setStyleSheet("font-size:16pt; font-weight:600;")
        self.rubric_box = QComboBox()
        self.rubric_box.setMinimumContentsLength(18)
        self.rubric_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.rubric_box.currentTextChanged.connect(self.rubric_box.setToolTip)
        self.year_box = QComboBox()
        this = date.today().year
        for y in range(this, this - YEARS_BACK, -1):
            self.year_box.addItem(f"{y}年", y)
        # this year, like every other page: the engine leaves what can still be met as 年度未结束, not 未达标
        self.year_box.setCurrentIndex(0)
        self.target_box = QComboBox()
        self.target_box.setMinimumContentsLength(10)
        # the longest name (清河县工商业联合会（总商会）) shows whole; the tooltip repeats it anyway
        self.target_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.target_box.currentTextChanged.connect(self.target_box.setToolTip)
        self.copy_button = QPushButton("复制为本单位细则…")
        self.copy_button.setToolTip("复制当前细则，修改标题、标准、分值和凭证要求后另存为本单位细则")
        self.copy_button.clicked.connect(self.copy_rubric)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        for label, w in (("细则", self.rubric_box), ("年度", self.year_box), ("对象", self.target_box)):
            top.addWidget(QLabel(label))
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.copy_button)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_checklist(), "逐项核对")
        self.tabs.addTab(self._build_matrix(), "各商会一览")
        from chamberdesk.gui.pages.year_end import YearEndTab

        self.year_end = YearEndTab(self)
        self.tabs.addTab(self.year_end, "年终考评进度")
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.tabs, 1)

        self.rubric_box.currentIndexChanged.connect(lambda _i: self._rubric_changed())
        self.year_box.currentIndexChanged.connect(lambda _i: self.load_target())
        self.target_box.currentIndexChanged.connect(lambda _i: self.load_target())
        self.ctx.data_changed.connect(self._data_changed)
        self.refresh()

    # --- building ------------------------------------------------------------------------------------

    def _build_checklist(self) -> QWidget:
        w = QWidget()
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.state_label = QLabel()
        self.state_label.setObjectName("muted")
        # as wide as its longest text from the start, so the summary beside it does not re-wrap (jump)
        # when "有未保存的修改" appears
        self.state_label.setMinimumWidth(self.state_label.fontMetrics().horizontalAdvance("草稿（2026-12-31） · 有未保存的修改") + 4)
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.save_button = QPushButton("保存草稿")
        self.save_button.clicked.connect(self.save)
        self.final_button = QPushButton("定稿")
        self.final_button.setToolTip("定稿后考评结果锁定，不再随台账或细则变化")
        self.final_button.clicked.connect(self.finalise)
        self.evidence_button = QPushButton("添加凭证…")
        self.evidence_button.clicked.connect(self.add_evidence)
        self.print_button = QPushButton("打印考评表…")
        self.print_button.setToolTip("打印当前细则、年度和对象的考评表（Ctrl+P）")
        self.print_button.clicked.connect(self.print_current)
        self.tally_button = QPushButton("民主评议计票…")
        self.tally_button.setToolTip("录入本商会民主评议的各票评分（或各等次票数）和废票，按细则算出民主评议得分")
        self.tally_button.clicked.connect(lambda: self.enter_tally())
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.state_label)
        for b in (self.tally_button, self.evidence_button, self.save_button, self.final_button, self.print_button):
            bar.addWidget(b)

        self.table = QTableWidget(0, len(COLS))
        self.table.setHorizontalHeaderLabels(COLS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        hh = self.table.horizontalHeader()
        bold = QFont(self.table.font())
        bold.setBold(True)
        # 结果 holds its longest word (年度未结束, in bold) on one line at any font size
        status_w = max(60, QFontMetrics(bold).horizontalAdvance(rules.STATUS_LABELS["year_not_over"]) + 16)
        for c, width in ((C_GROUP, 96), (C_TITLE, 250), (C_KIND, 70), (C_STATUS, status_w), (C_LAST, 52), (C_INPUT, 150)):
            self.table.setColumnWidth(c, width)
        hh.setSectionResizeMode(C_EXPLAIN, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_detail)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._item_menu)
        # wrapped text needs new heights when the columns change width (the window was resized)
        self._rows_timer = QTimer(self, singleShot=True, interval=60)
        self._rows_timer.timeout.connect(self._compact_rows)
        hh.sectionResized.connect(lambda *_: self._rows_timer.start())

        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._open_link)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([460, 100])
        lay = QVBoxLayout(w)
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        return w

    def _build_matrix(self) -> QWidget:
        w = QWidget()
        self.only_failures = QCheckBox("只看未达标")
        self.only_failures.toggled.connect(lambda _on: self._fill_matrix())
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.clicked.connect(self.export_matrix)
        self.matrix_note = QLabel()
        self.matrix_note.setObjectName("muted")
        bar = QHBoxLayout()
        bar.addWidget(self.only_failures)
        bar.addWidget(self.matrix_note, 1)
        bar.addWidget(self.export_button)
        self.matrix = QTableWidget(0, 0)
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.matrix.cellDoubleClicked.connect(self._matrix_open)
        lay = QVBoxLayout(w)
        lay.addLayout(bar)
        lay.addWidget(self.matrix, 1)
        return w

    # --- page contract ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.rubric_box.currentData()
        errors: list[rules.RubricError] = []
        found = rules.list_rubrics(errors=errors)
        self._loading = True
        self.rubric_box.clear()
        for r in found:
            mark = "（本单位）" if r.user else ("（模板）" if r.template else "")
            self.rubric_box.addItem(f"{r.title}{mark} · {r.version}", r.id)
            self.rubric_box.setItemData(self.rubric_box.count() - 1, r.description or r.title,
                                        Qt.ItemDataRole.ToolTipRole)
        ids = [r.id for r in found]
        self.rubric_box.setCurrentIndex(ids.index(current) if current in ids else
                                        (ids.index("wuyou-wuhao") if "wuyou-wuhao" in ids else 0))
        self._loading = False
        for e in errors:
            self.ctx.status_message.emit(str(e))
        self._rubric_changed()

    def save(self) -> bool:
        if self.result is None or self.rubric is None:
            return False
        self._flush_recalc()
        try:
            with self.ctx.db.transaction() as s:
                self.assessment = assessments.save_assessment(s, self.rubric, self.result, self.inputs)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "保存考评", str(exc))
            return False
        self._dirty = False
        self.ctx.data_changed.emit("assessment")
        self.ctx.status_message.emit(f"已保存“{self.result.target}”{self.result.year}年考评草稿")
        self._show_state()
        return True

    def print_current(self) -> None:
        """Ctrl+P: the 考评表 of the rubric, year and target chosen, in the print preview."""
        from chamberdesk.gui.pages.print_panel import preview_form
        from chamberdesk.io.pdf.assessment import form_title
        from chamberdesk.io.pdf.jobs import PrintRequest

        if self.rubric is None or self.target_box.count() == 0:
            return
        year = self.year_box.currentData()
        if not self.rubric.applies_to_year(year):
            QMessageBox.information(self, "打印考评表", f"“{self.rubric.title}”不适用于{year}年。")
            return
        if self._dirty and not self.locked:
            # the form is made from what is stored, as every other view reads it
            answer = ask_save(self, "打印考评表", "考评表按已保存的内容生成，当前的填报和评分尚未保存。\n"
                              "“保存并打印”先把它们存为草稿；“按已保存的打印”不含这些修改，修改仍留在本页。",
                              save="保存并打印", discard="按已保存的打印")
            if answer == "cancel" or (answer == "save" and not self.save()):
                return
        key = self._key()
        req = PrintRequest(form="assessment", rubric_id=self.rubric.id, year=year,
                           targets=None if key is None else [key], federation=key is None)
        preview_form(self, self.ctx, req, f"{year}年度{self.target_box.currentText()}{form_title(self.rubric.title, False)}")

    def _flush_recalc(self) -> None:
        """An input changed moments ago: bring the result up to date before it is saved or printed."""
        if self._recalc.isActive():
            self._recalc.stop()
            self.recompute()

    def _offer_save(self) -> bool:
        """Before another choice replaces the unsaved 填报/评分 (or the clerk leaves the page): 保存 them as
        the draft, 不保存 (drop them) or 取消; False when the clerk cancels or the save fails."""
        if not self._dirty or self.locked or self.result is None:
            self._dirty = False
            return True
        self._flush_recalc()
        res = self.result
        answer = ask_save(self, "考评", f"“{res.target}”{res.year}年考评的填报和评分尚未保存。\n"
                          "保存为草稿吗？选“取消”留在当前对象继续填写。")
        if answer == "cancel" or (answer == "save" and not self.save()):
            return False
        self._dirty = False
        return True

    def may_close(self) -> bool:
        return self._offer_save()

    def may_leave(self) -> bool:
        """The sidebar is about to show another page."""
        return self._offer_save()

    def _confirm_switch(self) -> bool:
        """The boxes already show a new rubric, year or target while the unsaved inputs belong to the one
        shown so far: put that one back in the boxes while asking; on 取消 it stays, with the inputs."""
        if not self._dirty or self.locked or self._shown is None:
            return True
        boxes = (self.rubric_box, self.year_box, self.target_box)
        wanted = [b.currentIndex() for b in boxes]
        self._set_boxes(self._shown)
        if not self._offer_save():
            return False
        for b, i in zip(boxes, wanted, strict=True):
            with QSignalBlocker(b):
                b.setCurrentIndex(i)
        return True

    def _set_boxes(self, choice: tuple[str, int, int | None]) -> None:
        rid, year, key = choice
        for box, data in ((self.rubric_box, rid), (self.year_box, year),
                          (self.target_box, -1 if key is None else key)):
            i = box.findData(data)
            if i >= 0:
                with QSignalBlocker(box):
                    box.setCurrentIndex(i)

    def _data_changed(self, table: str) -> None:
        # evidence or ledger records changed elsewhere: the results follow, the clerk's unsaved inputs stay
        if table != "assessment" and self.isVisible():
            self.load_target()

    # --- choosing -----------------------------------------------------------------------------------------

    def _rubric_changed(self) -> None:
        if self._loading:
            return
        rid = self.rubric_box.currentData()
        if not rid:
            return
        if self.rubric is not None and rid != self.rubric.id and not self._confirm_switch():
            return
        try:
            self.rubric = rules.load_rubric(rid)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "考评细则", str(exc))
            return
        self._loading = True
        keep = self.target_box.currentText()
        self.target_box.clear()
        with self.ctx.db.session() as s:
            targets = rules.resolve_targets(s, self.rubric)
        for t in targets:
            self.target_box.addItem(t.name, t.key if t.key is not None else -1)
        i = self.target_box.findText(keep)
        self.target_box.setCurrentIndex(max(i, 0))
        self._loading = False
        self.load_target()

    def _key(self) -> int | None:
        k = self.target_box.currentData()
        return None if k in (None, -1) else int(k)

    def load_target(self) -> None:
        """Read the stored assessment (if any) for the choice and show it: stored if 定稿, live otherwise."""
        if self._loading or self.rubric is None or self.target_box.count() == 0:
            return
        year = self.year_box.currentData()
        key = self._key()
        choice = (self.rubric.id, year, key)
        if choice != self._shown and not self._confirm_switch():
            return  # 取消: the edits stay with the target and year shown so far
        if not self.rubric.applies_to_year(year):
            self._shown, self._dirty, self.inputs = None, False, {}
            self.result = None
            self.table.setRowCount(0)
            self.summary.setText(f"<span style='color:{WARN}'>“{html.escape(self.rubric.title)}”适用于"
                                 f"{self.rubric.years_label}，不适用于{year}年。</span>")
            self._show_state()
            return
        with self.ctx.db.session() as s:
            self.assessment = assessments.get_assessment(s, self.rubric.id, year, key)
            keep = self._dirty and choice == self._shown and not self.locked
            if self._dirty and not keep:
                self.ctx.status_message.emit("该考评已在别处定稿，未保存的填报未能保留")
            if not keep:
                # a refresh of the same choice (evidence added, records changed) keeps what the clerk typed
                self.inputs = assessments.stored_inputs(self.assessment) if self.assessment else {}
                self._dirty = False
            self._shown = choice
            self.last_year = self._last_year(s, year - 1, key)
        self.recompute()
        if self.tabs.currentIndex() == 1:
            self.compute_matrix()
        elif self.tabs.currentWidget() is self.year_end:
            self.year_end.refresh()

    def _last_year(self, s, year: int, key: int | None) -> rules.TargetResult | None:
        if self.rubric is None or not self.rubric.applies_to_year(year):
            return None
        try:
            return rules.current_results(s, self.rubric, year, None if key is None else [key])[0].result
        except ChamberDeskError:
            return None

    def recompute(self) -> None:
        # the choice the inputs belong to, not the boxes: they may already show the next one
        if self.rubric is None or self._shown is None or self._shown[0] != self.rubric.id:
            return
        _rid, year, key = self._shown
        try:
            with self.ctx.db.session() as s:
                # the same rule as the 考评表, `check` and the export: 定稿 as stored, else these inputs
                self.result = rules.current_results(s, self.rubric, year, None if key is None else [key],
                                                          unsaved={key: self.inputs})[0].result
        except ChamberDeskError as exc:
            self.summary.setText(f"<span style='color:{ERROR}'>{html.escape(str(exc))}</span>")
            return
        self._fill_checklist()

    # --- the checklist --------------------------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return bool(self.assessment is not None and self.assessment.finalised)

    def _fill_checklist(self) -> None:
        res = self.result
        if res is None:
            return
        selected = self.table.currentRow()
        for row in range(self.table.rowCount()):
            old = self.table.cellWidget(row, C_INPUT)
            if old is not None:
                old.hide()  # Qt deletes replaced cell widgets later; hide them now so none lingers on screen
        last = {it.id: it for it in self.last_year.items} if self.last_year else {}
        self.table.setRowCount(len(res.items))
        items = {it.id: it for it in self.rubric.items} if self.rubric else {}
        for row, it in enumerate(res.items):
            cells = [it.group_title, it.title, rules.KIND_LABELS.get(it.kind, it.kind), it.status_label,
                     last[it.id].status_label if it.id in last else "", "", explanation_only(it)]
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if c == C_STATUS:
                    cell.setForeground(QBrush(QColor(STATUS_COLOURS[it.status])))
                    f = cell.font()
                    f.setBold(True)
                    cell.setFont(f)
                if c == C_LAST and it.id in last:  # coloured like 结果, whether or not it changed
                    cell.setForeground(QBrush(QColor(STATUS_COLOURS[last[it.id].status])))
                if c in (C_EXPLAIN, C_TITLE, C_GROUP):
                    cell.setToolTip(it.explanation)
                self.table.setItem(row, c, cell)
            spec = items.get(it.id)
            editor = self._editor(it, spec) if spec is not None else None
            if editor is None:
                self.table.removeCellWidget(row, C_INPUT)  # setCellWidget(None) would leave the old one
            else:
                self.table.setCellWidget(row, C_INPUT, editor)
        self._compact_rows()
        if res.items:
            self.table.selectRow(selected if 0 <= selected < len(res.items) else 0)
        self._show_summary()
        self._show_state()
        self._show_detail()

    def _compact_rows(self) -> None:
        """Rows at most three lines high (the full text is in the tooltip and the detail below), never
        lower than the row's editor, so an editor stays inside its cell."""
        self.table.resizeRowsToContents()
        line = self.table.fontMetrics().lineSpacing()
        cap = 3 * line + 8
        for row in range(self.table.rowCount()):
            h = min(self.table.rowHeight(row), cap)
            w = self.table.cellWidget(row, C_INPUT)
            if w is not None:
                h = max(h, w.sizeHint().height() + 4)
            self.table.setRowHeight(row, h)

    def _editor(self, it: rules.ItemResult, spec: rules.Item) -> QWidget | None:
        """The input widget for an item the clerk fills in: attested values, scores, missing figures."""
        raw = self.inputs.get(it.id)
        value = raw.get("value") if isinstance(raw, dict) else raw
        na = isinstance(raw, dict) and raw.get("not_applicable")
        overruled = isinstance(raw, dict) and bool(raw.get("override"))  # 改判 is changed through its own dialog
        # a computed figure that decides a one-vote veto has its 改判 at hand; other computed items on right-click
        vetoes = {v.item for v in self.rubric.vetoes} if self.rubric else set()
        if spec.kind == "automatic" and it.id in vetoes and it.status != "not_applicable" and (
                overruled or (it.value is not None and not it.from_input)):
            return self._override_button(it, raw if overruled else None)
        wants = spec.kind in ("attested", "scored") or (spec.kind == "automatic" and not overruled
                                                         and (it.from_input or it.value is None))
        if not wants or (spec.kind == "automatic" and it.status == "not_applicable"):
            return None
        if spec.value_type == "bool" and spec.kind != "scored":
            w = QComboBox()
            for label, v in (("（未填）", None), ("是", True), ("否", False), ("不适用", "n/a")):
                w.addItem(label, v)
            w.setCurrentIndex(3 if na else {None: 0, True: 1, False: 2}.get(value, 0))
            w.currentIndexChanged.connect(lambda _i, iid=it.id, w=w: self._set_input(iid, w.currentData()))
        elif spec.kind == "scored":
            w = QDoubleSpinBox()
            w.setRange(-1, spec.max_points)
            w.setDecimals(2)
            w.setSpecialValueText("（未评）")
            w.setSuffix(f" / {rules.show_value(spec.max_points)}")
            w.setValue(float(value) if isinstance(value, int | float) else -1)
            w.valueChanged.connect(lambda v, iid=it.id: self._set_input(iid, None if v < 0 else v))
        else:
            w = QLineEdit("" if value is None else str(value))
            w.setPlaceholderText("日期，如 2024-03-31" if spec.value_type == "date" else "数字")
            w.editingFinished.connect(lambda iid=it.id, w=w: self._set_input(iid, w.text().strip() or None))
        w.setEnabled(not self.locked)
        w.setObjectName(f"input_{it.id}")
        return w

    def _override_button(self, it: rules.ItemResult, raw: dict | None) -> QWidget:
        """The ledger's figure stays unless the clerk overrules it with the reason (改判…, the same dialog as the
        right-click menu)."""
        b = QPushButton("改判…" if raw is None else f"已改判：{rules.show_value(raw.get('value'))}（修改…）")
        b.setToolTip("台账算出的结果须改动时（如事后补办请假、统计表当面报送），写明理由后改判；说明中同时列出台账结果和理由"
                     if raw is None else f"理由：{raw.get('note')}")
        b.clicked.connect(lambda _c=False, iid=it.id: self.override_item(iid))
        b.setEnabled(not self.locked)
        b.setObjectName(f"input_{it.id}")
        return b

    def _item_menu(self, pos) -> None:
        """Right-click on an item the ledger decides: 改判… (overrule it, with the reason) or 取消改判."""
        from PySide6.QtWidgets import QMenu

        row = self.table.rowAt(pos.y())
        if self.result is None or self.rubric is None or self.locked or not (0 <= row < len(self.result.items)):
            return
        it = self.result.items[row]
        spec = next((x for x in self.rubric.items if x.id == it.id), None)
        raw = self.inputs.get(it.id)
        overruled = isinstance(raw, dict) and bool(raw.get("override"))
        if spec is None or spec.kind != "automatic" or (it.value is None and not overruled):
            return
        menu = QMenu(self)
        menu.addAction("改判…", lambda: self.override_item(it.id))
        if overruled:
            menu.addAction("取消改判", lambda: self.set_override(it.id, None))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def override_item(self, item_id: str) -> bool:
        from chamberdesk.gui.dialogs.override_dialog import OverrideDialog

        if self.result is None or self.rubric is None:
            return False
        it = self.result.item(item_id)
        spec = next(x for x in self.rubric.items if x.id == item_id)
        raw = self.inputs.get(item_id)
        dlg = OverrideDialog(it, spec.value_type, raw if isinstance(raw, dict) and raw.get("override") else None, self)
        if dlg.exec() != QDialog.DialogCode.Accepted or dlg.entry is None:
            return False
        self.set_override(item_id, dlg.entry)
        return True

    def set_override(self, item_id: str, entry: dict[str, Any] | None) -> None:
        """Overrule the ledger's figure for the item (entry from OverrideDialog), or withdraw it (None)."""
        if entry is None:
            self.inputs.pop(item_id, None)
        else:
            self.inputs[item_id] = entry
        self._dirty = True
        self._show_state()
        self.recompute()

    def input_widget(self, item_id: str) -> QWidget | None:
        if self.result is None:
            return None
        for row, it in enumerate(self.result.items):
            if it.id == item_id:
                return self.table.cellWidget(row, C_INPUT)
        return None

    def _set_input(self, item_id: str, value: Any) -> None:
        old = self.inputs.get(item_id)
        evidence_names = old.get("evidence") if isinstance(old, dict) else None
        if value == "n/a":
            self.inputs[item_id] = {"not_applicable": True}
        elif value is None:
            self.inputs.pop(item_id, None)
        elif evidence_names:
            self.inputs[item_id] = {"value": value, "evidence": evidence_names}
        else:
            self.inputs[item_id] = value
        self._dirty = True
        self._show_state()
        self._recalc.start()

    def _show_summary(self) -> None:
        res = self.result
        if res is None:
            return
        bits = [f"<b style='font-size:13pt'>{html.escape(res.target)}</b> {res.year}年 "
                f"<b style='color:{verdict_colour(res)}'>{res.verdict()}</b>"]
        if res.score is not None:
            bits.append(f"得分 <b>{rules.show_value(round(res.score, 2))}</b>"
                        + (f" / {rules.show_value(res.max_score)}" if res.max_score else ""))
            if res.parts and self.rubric:
                bits.append("（" + "，".join(f"{p.title}{rules.show_value(res.parts.get(p.id, 0))}分×{int(p.weight * 100)}%"
                                            for p in self.rubric.parts) + "）")
        if res.grade_text():
            # a grade the figures so far reach is 暂定, in the colour of waiting, never as a final grade
            bits.append(f"<b style='color:{OK if res.grade else ACCENT}'>{html.escape(res.grade_text())}</b>")
        if res.vetoed:
            bits.append(f"<span style='color:{ERROR}'>一票否决：{html.escape('；'.join(res.veto_reasons))}</span>")
        bits.append(assessments.counts_text(res.counts, with_na=True))
        # last year and the notes on a line of their own: a narrow window never breaks "上年：…" in two
        below = []
        if self.last_year is not None:
            lc = self.last_year.counts
            prev = f"上年：达标{lc['pass']}项、未达标{lc['fail']}项"
            if self.last_year.score is not None:
                prev += f"，得分{rules.show_value(round(self.last_year.score, 2))}"
            if self.last_year.grade:
                prev += f"，{self.last_year.grade}"
            below.append(prev)
        below += res.notes
        more = f"<br><span style='color:{MUTED}'>{html.escape('；'.join(below))}</span>" if below else ""
        more += "".join(f"<br><b style='color:{WARN}'>{html.escape(w)}</b>" for w in res.warnings)
        self.summary.setText(" · ".join(bits) + more)

    def _show_state(self) -> None:
        a = self.assessment
        locked = self.locked
        if a is None:
            self.state_label.setText("未保存")
        elif locked:
            when = a.finalised_at.strftime("%Y-%m-%d") if a.finalised_at else ""
            self.state_label.setText(f"已定稿 {when}（细则版本 {a.rubric_version}）")
        else:
            self.state_label.setText(f"草稿（{a.assessed_on or ''}）")
        if self._dirty and not locked:
            self.state_label.setText("有未保存的修改" if a is None else self.state_label.text() + " · 有未保存的修改")
        usable = self.result is not None and not locked
        guard_edit(self.ctx.db, self.save_button, self.final_button, self.evidence_button, enabled=usable)
        # the tally button where the rubric is appraised by ballot (通州 民主评议)
        from chamberdesk.rules.democratic import democratic_item

        self.tally_button.setVisible(bool(self.rubric is not None and democratic_item(self.rubric) is not None))
        guard_edit(self.ctx.db, self.tally_button, enabled=usable and self._key() is not None)
        guard_edit(self.ctx.db, self.copy_button)

    def _show_detail(self) -> None:
        res = self.result
        row = self.table.currentRow()
        if res is None or not (0 <= row < len(res.items)):
            self.detail.clear()
            return
        it = res.items[row]
        parts = [f"<p><b>{html.escape(it.title)}</b>　<span style='color:{STATUS_COLOURS[it.status]}'>"
                 f"{it.status_label}</span></p>", f"<p>{html.escape(explanation_only(it))}</p>"]
        facts = [f"本年：{html.escape(it.value_words or it.value_text())}"]
        if it.progress:
            facts.append(f"<span style='color:{ACCENT}'>年度未结束：{html.escape(it.progress)}</span>")
        if it.threshold_text():  # a yes/no item's rule already says what is wanted
            facts.append(f"标准：{html.escape(it.threshold_text())}")
        if it.max_points:
            facts.append(f"得分：{rules.show_value(it.points)} / {rules.show_value(it.max_points)}")
        parts.append("<p>" + "　".join(facts) + "</p>")
        if it.records:
            parts.append("<p>依据记录：" + "；".join(html.escape(r.get("label", "")) for r in it.records) + "</p>")
        if it.evidence:
            links = "、".join(f"<a href='evidence:{html.escape(n)}'>{html.escape(n)}</a>" for n in it.evidence)
            parts.append(f"<p>凭证：{links}</p>")
        elif it.evidence_required:
            parts.append(f"<p style='color:{WARN}'>此项须附凭证：请选中后点“添加凭证…”。</p>")
        if it.source:
            parts.append(f"<p style='color:{MUTED}'>依据：{html.escape(source_text(it.source))}</p>")
        self.detail.setHtml("".join(parts))

    def _open_link(self, url: QUrl) -> None:
        name = url.toString().split(":", 1)[1]
        key = self._key()
        with self.ctx.db.session() as s:
            rtype, rid = self._evidence_owner(s, key)
            for ev in evidence.files_for(s, rtype, rid):
                if ev.filename == name:
                    try:
                        QDesktopServices.openUrl(QUrl.fromLocalFile(str(evidence.path_of(self.ctx.db, ev))))
                    except ChamberDeskError as exc:
                        QMessageBox.warning(self, "凭证", str(exc))
                    return

    def _evidence_owner(self, s, key: int | None) -> tuple[str, int]:
        if key is not None:
            return "chamber", key
        from chamberdesk.core.federation import get_federation

        fed = get_federation(s)
        return "federation", fed.id if fed else 0

    def add_evidence(self, path: str | None = None) -> None:
        res = self.result
        row = self.table.currentRow()
        if res is None or self.rubric is None or not (0 <= row < len(res.items)):
            QMessageBox.information(self, "添加凭证", "请先在列表中选中一个条目。")
            return
        it = res.items[row]
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, f"为“{it.title}”添加凭证", "",
                                                  "凭证文件 (*.pdf *.jpg *.jpeg *.png *.doc *.docx *.xls *.xlsx *.wps *.et);;所有文件 (*)")
            if not path:
                return
        try:
            with self.ctx.db.transaction() as s:
                rtype, rid = self._evidence_owner(s, self._key())
                evidence.add_file(self.ctx.db, s, Path(path), record_type=rtype, record_id=rid,
                                  rubric_item=f"{self.rubric.id}:{it.id}")
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "添加凭证", str(exc))
            return
        self.ctx.data_changed.emit("evidence")
        self.recompute()

    def finalise(self) -> None:
        if self.result is None or self.rubric is None:
            return
        self._flush_recalc()
        refusal = assessments.finalise_refusal(self.result.to_dict()["items"], self.result.year)
        if refusal:
            QMessageBox.information(self, "定稿", refusal)
            return
        ask = QMessageBox.question(self, "定稿", f"定稿后“{self.result.target}”{self.result.year}年的考评结果将锁定，"
                                   "不再随台账或细则变化。确定定稿吗？")
        if ask != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.ctx.db.transaction() as s:
                a = assessments.save_assessment(s, self.rubric, self.result, self.inputs)
                self.assessment = assessments.finalise_assessment(s, a.id)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "定稿", str(exc))
            return
        self._dirty = False
        self.ctx.data_changed.emit("assessment")
        self.ctx.status_message.emit(f"“{self.result.target}”{self.result.year}年考评已定稿")
        self._fill_checklist()

    # --- the matrix -------------------------------------------------------------------------------------------

    def _tab_changed(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.compute_matrix()
        elif self.tabs.currentWidget() is self.year_end:
            self.year_end.refresh()

    # --- the year-end steps ------------------------------------------------------------------------------

    def enter_tally(self) -> bool:
        """民主评议计票 for the chamber shown: its unsaved 填报 are saved (or dropped) first, since the tally is
        entered into the stored draft."""
        from chamberdesk.gui.pages.year_end import TallyDialog

        if self.rubric is None or self._key() is None or not self._offer_save():
            return False
        self.tally_dialog = TallyDialog(self.ctx, self.rubric, self.year_box.currentData(), self._key(), self)
        if self.tally_dialog.exec() != QDialog.DialogCode.Accepted and not self.tally_dialog.entered:
            return False
        self.ctx.data_changed.emit("assessment")
        self._shown = None  # read the draft again, with the tally
        self.load_target()
        return True

    def show_target(self, rubric_id: str, chamber_id: int) -> None:
        """逐项核对 of one chamber under the rubric (from the 年终考评进度)."""
        i = self.rubric_box.findData(rubric_id)
        if i >= 0 and i != self.rubric_box.currentIndex():
            self.rubric_box.setCurrentIndex(i)
        j = self.target_box.findData(chamber_id)
        if j >= 0:
            self.target_box.setCurrentIndex(j)
        self.tabs.setCurrentIndex(0)

    def compute_matrix(self) -> None:
        """Every target × item for the year: finalised assessments as stored, the rest live with draft inputs."""
        if self.rubric is None:
            return
        year = self.year_box.currentData()
        if not self.rubric.applies_to_year(year):
            self.matrix_results = []
            self.matrix_note.setText(f"本细则不适用于{year}年")
            self._fill_matrix()
            return
        # the edits on 逐项核对 count for the target shown there, saved or not
        unsaved = {self._shown[2]: self.inputs} if self._dirty and self._shown and self._shown[:2] == (self.rubric.id, year) else None
        with self.ctx.db.session() as s:
            current = rules.current_results(s, self.rubric, year, unsaved=unsaved)
        self.matrix_results = [c.result for c in current]
        self.matrix_note.setText(f"共{len(current)}个对象，其中已定稿{len([c for c in current if c.finalised])}个")
        self._fill_matrix()

    def matrix_view(self) -> tuple[list[str], list[tuple[str, list[str]]], list[rules.TargetResult]]:
        """(column titles, [(row name, cells)], results shown): filtered to failures when asked."""
        results = self.matrix_results
        if not results:
            return [], [], []
        items = results[0].items
        cols = list(range(len(items)))
        if self.only_failures.isChecked():
            results = [r for r in results if any(i.status == "fail" for i in r.items)]
            cols = [c for c in cols if any(r.items[c].status == "fail" for r in results)]
        heads = ["结论", "得分", "等级"] + [items[c].title for c in cols]
        rows = []
        for r in results:
            verdict = r.verdict() + ("（否决）" if r.vetoed else "")
            score = "" if r.score is None else rules.show_value(round(r.score, 2))
            rows.append((r.target, [verdict, score, r.grade_text()] + [r.items[c].status_label for c in cols]))
        return heads, rows, results

    def _fill_matrix(self) -> None:
        heads, rows, results = self.matrix_view()
        self.matrix.clear()
        self.matrix.setColumnCount(len(heads))
        self.matrix.setRowCount(len(rows))
        shorts: dict[str, str] = {}
        if results and self.rubric:
            spec = {it.id: it.short for it in self.rubric.items}
            shorts = {it.title: spec.get(it.id, "") for it in results[0].items}
        self.matrix.setHorizontalHeaderLabels(matrix_headings(heads, [shorts.get(h, "") for h in heads[3:]]))
        for c, h in enumerate(heads):
            self.matrix.horizontalHeaderItem(c).setToolTip(h)
        self.matrix.setVerticalHeaderLabels([name for name, _ in rows])
        status_of = {v: k for k, v in rules.STATUS_LABELS.items()}
        for r, (_name, cells) in enumerate(rows):
            for c, text in enumerate(cells):
                st = status_of.get(text)
                cell = QTableWidgetItem(f"{STATUS_MARKS[st]} {text}" if st else text)
                if c == 0:
                    st = None
                    cell = QTableWidgetItem(text)
                    cell.setForeground(QBrush(QColor(verdict_colour(results[r]))))
                if st:
                    cell.setForeground(QBrush(QColor(STATUS_COLOURS[st])))
                    it = next((i for i in results[r].items if i.status_label == text and i.title == heads[c]), None)
                    if it:
                        cell.setToolTip(it.explanation)
                self.matrix.setItem(r, c, cell)
        self.matrix.resizeColumnsToContents()
        for c in (1, 2):  # 得分 and 等级 only where the rubric scores or grades
            self.matrix.setColumnHidden(c, bool(rows) and not any(cells[c] for _name, cells in rows))

    def _matrix_open(self, row: int, _col: int) -> None:
        name = self.matrix.verticalHeaderItem(row).text() if self.matrix.verticalHeaderItem(row) else ""
        i = self.target_box.findText(name)
        if i >= 0:
            self.target_box.setCurrentIndex(i)
            self.tabs.setCurrentIndex(0)

    def export_matrix(self, path: str | None = None) -> Path | None:
        if not self.matrix_results:
            self.compute_matrix()
        heads, rows, results = self.matrix_view()
        if not rows or self.rubric is None:
            QMessageBox.information(self, "导出", "没有可导出的考评结果。")
            return None
        year = self.year_box.currentData()
        if path is None:
            from chamberdesk.io.pdf.jobs import safe_filename  # reportlab loads only when asked for

            chosen = ask_save_path(self, "导出考评一览", safe_filename(f"{year}年{self.rubric.title}考评一览") + ".xlsx",
                                   "Excel 工作簿 (*.xlsx)", ".xlsx")
            if chosen is None:
                return None
            path = str(chosen)
        out = Path(path)
        write_matrix_xlsx(out, f"{self.rubric.title}（{self.rubric.version}）{year}年", heads, rows, results)
        self.ctx.status_message.emit(f"已导出：{out.name}")
        self.notice = notify_saved(self, "导出完成", out, f"共 {len(rows)} 个对象。")
        return out

    # --- the office's own rubric ------------------------------------------------------------------------------

    def copy_rubric(self) -> None:
        if self.rubric is None:
            return
        dlg = RubricEditor(self.rubric, self)
        if dlg.exec() != QDialog.DialogCode.Accepted or dlg.saved is None:
            return
        self.ctx.status_message.emit(f"已保存本单位细则“{dlg.saved.title}”")
        self.refresh()
        i = self.rubric_box.findData(dlg.saved.id)
        if i >= 0:
            self.rubric_box.setCurrentIndex(i)


def short_title(title: str) -> str:
    """The label before "：" (有专人, 第一条) when it is short; else the whole title."""
    head, sep, _rest = title.partition("：")
    return head if sep and len(head) <= 8 else title


def matrix_headings(heads: list[str], shorts: list[str] | None = None) -> list[str]:
    """Short, unique column headings after the three summary columns: each item's `short` from the rubric
    (有专人, 制度落实好·账册) where it has one, else the label before "：" when short, else the title;
    a heading still repeated is numbered (①②); the full title is the header's tooltip."""
    CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
    items = heads[3:]
    given = shorts or [""] * len(items)
    names = [s or short_title(h) for h, s in zip(items, given, strict=True)]
    seen: dict[str, int] = {}
    out = heads[:3]
    for name in names:
        if names.count(name) > 1:
            k = seen[name] = seen.get(name, 0) + 1
            name += CIRCLED[k - 1] if k <= len(CIRCLED) else f"({k})"
        out.append(name)
    return out


def explanation_only(it: rules.ItemResult) -> str:
    """The explanation without the rule's title in front (the 条目 column already shows it)."""
    prefix = it.title + "："
    return it.explanation[len(prefix):] if it.explanation.startswith(prefix) else it.explanation


def write_matrix_xlsx(out: Path, title: str, heads: list[str], rows: list[tuple[str, list[str]]],
                      results: list[rules.TargetResult]) -> None:
    """A plain workbook (openpyxl write-only): the matrix, then every item's explanation."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("一览")
    bold = Font(bold=True)

    def head_row(sheet, values):
        cells = []
        for v in values:
            c = WriteOnlyCell(sheet, value=v)
            c.font = bold
            cells.append(c)
        sheet.append(cells)

    ws.append([title])
    head_row(ws, ["对象", *heads])
    for name, cells in rows:
        ws.append([name, *cells])
    ws2 = wb.create_sheet("说明")
    head_row(ws2, ["对象", "分组", "条目", "结果", "说明", "依据"])
    for r in results:
        for it in r.items:
            ws2.append([r.target, it.group_title, it.title, it.status_label, it.explanation, source_text(it.source)])
    tmp = out.with_name(out.name + ".part")
    wb.save(tmp)
    tmp.replace(out)


class RubricEditor(QDialog):
    """Copy a rubric as the office's own: titles, thresholds, points and evidence, validated on save."""

    COLS = ["条目", "名称", "标准", "分值/满分", "须附凭证"]

    def __init__(self, rubric: rules.Rubric, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"复制为本单位细则：{rubric.title}")
        resize_to_fit(self, 900, 600)  # within a 150 % laptop screen (911×512)
        self.src = rubric
        self.saved: rules.Rubric | None = None
        self.new_id = QLineEdit(f"{rubric.id}-local" if not rubric.user else rubric.id)
        self.new_title = QLineEdit(f"{rubric.title}（本单位）" if not rubric.user else rubric.title)
        form = QFormLayout()
        form.addRow("细则编号（小写字母、数字、-）", self.new_id)
        form.addRow("细则名称", self.new_title)
        self.table = QTableWidget(len(rubric.items), len(self.COLS))
        self.table.setHorizontalHeaderLabels(self.COLS)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, it in enumerate(rubric.items):
            idc = QTableWidgetItem(it.id)
            idc.setFlags(idc.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, idc)
            self.table.setItem(row, 1, QTableWidgetItem(it.title))
            thr = QTableWidgetItem("" if it.threshold is None or it.value_type == "bool" else str(it.threshold))
            if it.value_type == "bool" or it.kind == "scored":
                thr.setFlags(thr.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 2, thr)
            self.table.setItem(row, 3, QTableWidgetItem(rules.show_value(it.ceiling)))
            ev = QTableWidgetItem()
            ev.setFlags(ev.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ev.setCheckState(Qt.CheckState.Checked if it.evidence_required else Qt.CheckState.Unchecked)
            self.table.setItem(row, 4, ev)
        # a few dozen rows: sizing from the content is cheap; long names wrap instead of losing their end
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.error = QLabel()
        self.error.setStyleSheet(f"color:{ERROR}")
        self.error.setWordWrap(True)
        hint = QLabel("名称中的 {threshold} 会显示为标准值，{threshold_pct} 显示为百分数（比例填小数，如 0.1 表示 10%）。")
        hint.setObjectName("muted")
        buttons = dialog_buttons(self, ok_text="校验并保存", save=True, on_accept=self.accept_changes)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.table, 1)
        lay.addWidget(hint)
        lay.addWidget(self.error)
        lay.addWidget(buttons)

    def changes(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for row, it in enumerate(self.src.items):
            ch: dict[str, Any] = {}
            title = self.table.item(row, 1).text().strip()
            if title != it.title:
                ch["title"] = title
            thr = self.table.item(row, 2).text().strip()
            if it.value_type != "bool" and it.kind != "scored" and thr != str(it.threshold):
                ch["threshold"] = _number(thr) if it.value_type == "number" else thr
            pts = _number(self.table.item(row, 3).text().strip())
            if pts != it.ceiling:
                ch["max_points" if it.kind == "scored" else "points"] = pts
            ev = self.table.item(row, 4).checkState() == Qt.CheckState.Checked
            if ev != it.evidence_required:
                ch["evidence_required"] = ev
            if ch:
                out[it.id] = ch
        return out

    def accept_changes(self) -> None:
        try:
            self.saved = rules.save_user_rubric(self.src, self.new_id.text().strip(), self.new_title.text().strip(),
                                                self.changes())
        except ChamberDeskError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


def _number(text: str) -> Any:
    try:
        v = float(text)
    except ValueError:
        return text  # the schema check names the field and refuses it
    return int(v) if v.is_integer() else v
