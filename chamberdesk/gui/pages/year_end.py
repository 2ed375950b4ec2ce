"""年终考评进度 (the 考评 page's third tab) and its dialogs: where each chamber's year-end stands, the
statistics form and inspection entered, the 民主评议 tally entered or imported.

Everything is read and written through the same services as `chamberdesk yearend` and `chamberdesk tally`
(rules.year_end, core.yearend, rules.democratic.enter_tallies): the tab adds no rule of its own.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import yearend
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.gui.style import ERROR, MUTED, OK, WARN
from chamberdesk.gui.widgets.buttons import accept_button, dialog_buttons
from chamberdesk.gui.widgets.date_edit import OptionalDateEdit
from chamberdesk.gui.widgets.files import ask_save_path, notify_saved
from chamberdesk.gui.widgets.roles import guard_edit
from chamberdesk.rules.year_end import STEPS, Checklist

COLS = ["商会", *STEPS.values(), "尚缺事项"]
C_NAME, C_SELF, C_STATS, C_INSPECT, C_DEM, C_FINAL, C_MISSING = range(7)
STEP_COLS = dict(zip(STEPS, range(C_SELF, C_MISSING), strict=True))
EVIDENCE_FILTER = "凭证文件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.doc *.docx *.xls *.xlsx *.wps *.et);;所有文件 (*)"


class YearEndTab(QWidget):
    """One row per chamber the year-end rubric assesses; double-click a cell to do that step."""

    def __init__(self, page, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page  # the 考评 page: its year box, ctx, and the target it opens
        self.ctx = page.ctx
        self.checklist: Checklist | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.steps_button = QPushButton("登记统计表、实地考评…")
        self.steps_button.clicked.connect(lambda: self.edit_steps())
        self.tally_button = QPushButton("民主评议计票…")
        self.tally_button.clicked.connect(lambda: self.enter_tally())
        self.open_button = QPushButton("打开考评")
        self.open_button.setToolTip("在“逐项核对”中打开所选商会的考评（填写评分、定稿）")
        self.open_button.clicked.connect(lambda: self.open_assessment())
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.setToolTip("年终考评进度表（A4 横向），供主席、会长会研究")
        self.export_button.clicked.connect(lambda: self.export())
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        for b in (self.steps_button, self.tally_button, self.open_button, self.export_button):
            bar.addWidget(b)
        hint = QLabel("双击“自查表”打印自查表，双击“统计表”“实地考评”登记，双击“民主评议”录入计票结果，"
                      "双击其他栏打开该商会的考评。")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        self.table = QTableWidget(0, len(COLS))
        self.table.setHorizontalHeaderLabels(COLS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        hh = self.table.horizontalHeader()
        # each step on one line at 1366 px: a date (and who), the missing steps wrap in the last column
        fm = self.table.fontMetrics()
        for c, sample in ((C_NAME, "青年企业家创业商圈商会"), (C_SELF, "2025年12月31日打印"),
                          (C_STATS, "2026年12月31日收到（逾期）"), (C_INSPECT, "2025年12月31日　王建国"),
                          (C_DEM, "100.00分"), (C_FINAL, "2026年12月31日定稿")):
            self.table.setColumnWidth(c, fm.horizontalAdvance(sample) + 16)
        hh.setSectionResizeMode(C_MISSING, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(self.act)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(hint)
        lay.addWidget(self.table, 1)

    # --- reading ---------------------------------------------------------------------------------------

    def year(self) -> int:
        return int(self.page.year_box.currentData())

    def rubric(self) -> Any:
        """The 考评 page's rubric when it has a ballot; else the year's rubric that does."""
        from chamberdesk.rules.democratic import democratic_item
        from chamberdesk.rules.year_end import checklist_rubric

        r = self.page.rubric
        if r is not None and r.target == "chamber" and democratic_item(r) is not None and r.applies_to_year(self.year()):
            return r
        return checklist_rubric(self.year())

    def refresh(self) -> None:
        from chamberdesk.rules.year_end import build_checklist

        try:
            rubric = self.rubric()
            with self.ctx.db.session() as s:
                self.checklist = build_checklist(s, self.year(), rubric)
        except ChamberDeskError as exc:
            self.checklist = None
            self.table.setRowCount(0)
            self.summary.setText(f"<span style='color:{WARN}'>{html.escape(str(exc))}</span>")
            return
        cl = self.checklist
        self.summary.setText(f"<b>{cl.year}年度 {html.escape(cl.rubric.title)}</b>　{html.escape(cl.summary())}")
        self.table.setRowCount(len(cl.rows))
        for i, r in enumerate(cl.rows):
            name = QTableWidgetItem(r.chamber)
            name.setData(Qt.ItemDataRole.UserRole, r.chamber_id)
            self.table.setItem(i, C_NAME, name)
            for step, c in STEP_COLS.items():
                cell = QTableWidgetItem(r.step_text(step))
                done = r.step_done(step)
                late = step == "statistics" and r.statistics_late
                cell.setForeground(QBrush(QColor(ERROR if late else OK if done else WARN)))
                if step == "inspection" and r.inspection_notes:
                    cell.setToolTip(r.inspection_notes)
                if step == "statistics" and r.statistics_files:
                    cell.setToolTip("统计表文件：" + "、".join(r.statistics_files))
                if step == "democratic" and r.tally:
                    cell.setToolTip(r.tally)
                if step == "final" and r.vetoed:
                    cell.setText(cell.text() + "（一票否决）")
                    cell.setForeground(QBrush(QColor(ERROR)))
                self.table.setItem(i, c, cell)
            missing = QTableWidgetItem(r.missing_text)
            missing.setToolTip(r.missing_text)
            if not r.missing:
                missing.setForeground(QBrush(QColor(MUTED)))
            self.table.setItem(i, C_MISSING, missing)
        self.table.resizeRowsToContents()
        guard_edit(self.ctx.db, self.steps_button, self.tally_button)

    def chamber_at(self, row: int) -> tuple[int, str] | None:
        item = self.table.item(row, C_NAME)
        return (int(item.data(Qt.ItemDataRole.UserRole)), item.text()) if item is not None else None

    def selected(self) -> tuple[int, str] | None:
        row = self.table.currentRow()
        if row < 0:
            QMessageBox.information(self, "年终考评进度", "请先在列表中选中一个商会。")
            return None
        return self.chamber_at(row)

    # --- acting ------------------------------------------------------------------------------------------

    def act(self, row: int, col: int) -> None:
        """Double-click: the cell's step, done where it is done."""
        self.table.selectRow(row)
        if col == C_SELF:
            self.print_selfcheck()
        elif col in (C_STATS, C_INSPECT):
            self.edit_steps(focus="inspection" if col == C_INSPECT else "statistics")
        elif col == C_DEM:
            self.enter_tally()
        else:
            self.open_assessment()

    def open_assessment(self) -> None:
        got = self.selected()
        if got is not None and self.checklist is not None:
            self.page.show_target(self.checklist.rubric.id, got[0])

    def print_selfcheck(self) -> None:
        from chamberdesk.gui.pages.print_panel import preview_form
        from chamberdesk.io.pdf.assessment import form_title
        from chamberdesk.io.pdf.jobs import PrintRequest

        got = self.selected()
        if got is None or self.checklist is None:
            return
        rubric = self.checklist.rubric
        req = PrintRequest(form="selfcheck", rubric_id=rubric.id, year=self.year(), targets=[got[0]])
        preview_form(self, self.ctx, req, f"{self.year()}年度{got[1]}{form_title(rubric.title, True)}")

    def edit_steps(self, focus: str = "statistics") -> bool:
        got = self.selected()
        if got is None:
            return False
        dlg = StepsDialog(self.ctx, got[0], got[1], self.year(), self)
        (dlg.by if focus == "inspection" else dlg.received_on).setFocus()
        self.dialog = dlg
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return False
        self.ctx.data_changed.emit("chamber_year_end")
        self.refresh()
        return True

    def enter_tally(self) -> bool:
        if self.checklist is None:
            return False
        got = self.table.currentRow()
        picked = self.chamber_at(got) if got >= 0 else None
        dlg = TallyDialog(self.ctx, self.checklist.rubric, self.year(), picked[0] if picked else None, self)
        self.dialog = dlg
        if dlg.exec() != QDialog.DialogCode.Accepted and not dlg.entered:
            return False
        self.ctx.data_changed.emit("assessment")
        self.refresh()
        return True

    def export(self, path: str | None = None) -> Path | None:
        from chamberdesk.core.federation import get_federation
        from chamberdesk.io.pdf.jobs import safe_filename
        from chamberdesk.io.year_end_sheet import write_checklist

        if self.checklist is None or not self.checklist.rows:
            QMessageBox.information(self, "导出", "没有可导出的年终考评进度。")
            return None
        cl = self.checklist
        if path is None:
            chosen = ask_save_path(self, "导出年终考评进度", safe_filename(f"{cl.year}年度年终考评进度") + ".xlsx",
                                   "Excel 工作簿 (*.xlsx)", ".xlsx")
            if chosen is None:
                return None
            path = str(chosen)
        out = Path(path)
        with self.ctx.db.session() as s:
            fed = get_federation(s)
            unit = fed.name if fed and fed.name else ""
        try:
            write_checklist(cl, out, unit)
        except OSError as exc:
            QMessageBox.warning(self, "导出", f"无法保存“{out}”：{exc.strerror or exc}。请关闭在 WPS/Excel 中打开的同名文件后再试。")
            return None
        self.ctx.status_message.emit(f"已导出：{out.name}")
        self.notice = notify_saved(self, "导出完成", out, cl.summary())
        return out


class StepsDialog(QDialog):
    """统计表 received (date, the file) and 实地考评 (date, by whom, what was seen) of one chamber and year."""

    def __init__(self, ctx, chamber_id: int, name: str, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.chamber_id, self.year = ctx, chamber_id, year
        self.setWindowTitle(f"{name} {year}年度年终考评")
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("民") * 32)
        self.files: list[Path] = []
        with ctx.db.session() as s:
            row = yearend.find(s, chamber_id, year)
            kept = [e.filename for e in yearend.statistics_files(s, row)]
        self.version = row.version if row is not None else None  # saved only if nobody saved since
        self.received_on = OptionalDateEdit()
        self.file_label = QLabel("、".join(kept) or "（未附）")
        self.file_label.setWordWrap(True)
        add = QPushButton("附统计表文件…")
        add.clicked.connect(lambda: self.add_file())
        stats = QGroupBox("年度基层商会工作情况统计表")
        f1 = QFormLayout(stats)
        f1.addRow("收到日期", self.received_on)
        files = QHBoxLayout()
        files.addWidget(self.file_label, 1)
        files.addWidget(add)
        f1.addRow("统计表文件", files)
        self.inspected_on = OptionalDateEdit()
        self.by = QLineEdit()
        self.by.setPlaceholderText("驻会领导、包片领导的姓名")
        self.by.setMaxLength(yearend.MAX_BY)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("听取工作汇报，查看了哪些活动记录、台账，发现的问题")
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 4 + 12)
        insp = QGroupBox("实地考评")
        f2 = QFormLayout(insp)
        f2.addRow("考评日期", self.inspected_on)
        f2.addRow("考评人", self.by)
        f2.addRow("考评记录", self.notes)
        if row is not None:
            self.received_on.set_value(row.statistics_received_on)
            self.inspected_on.set_value(row.inspected_on)
            self.by.setText(row.inspected_by or "")
            self.notes.setPlainText(row.inspection_notes or "")
        self.error = QLabel()
        self.error.setStyleSheet(f"color:{ERROR}")
        self.error.setWordWrap(True)
        self.buttons = dialog_buttons(self, save=True, on_accept=self.save)
        lay = QVBoxLayout(self)
        lay.addWidget(stats)
        lay.addWidget(insp)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def add_file(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "附统计表文件", "", EVIDENCE_FILTER)
            if not path:
                return
        self.files.append(Path(path))
        current = self.file_label.text()
        self.file_label.setText(("" if current == "（未附）" else current + "、") + Path(path).name)

    def save(self) -> None:
        try:
            with self.ctx.db.transaction() as s:
                yearend.check_version(s, self.chamber_id, self.year, self.version)
                files: list[Path | None] = list(self.files) or [None]
                for f in files:
                    yearend.set_statistics_received(self.ctx.db, s, self.chamber_id, self.year,
                                                    self.received_on.value(), f)
                row = yearend.set_inspection(s, self.chamber_id, self.year, self.inspected_on.value(),
                                             self.by.text(), self.notes.toPlainText())
                saved_version = row.version
        except ChamberDeskError as exc:
            self.error.setText(str(exc))
            return
        self.version = saved_version
        self.accept()


class TallyDialog(QDialog):
    """民主评议 计票: the votes per level (or each ballot's score) and the spoilt ballots of one chamber; the
    score the rubric gives them and the combined total shown as they are typed; 保存 enters them as the
    `tally` command does, with the scanned ballots as evidence. 导入计票表… takes a whole sheet."""

    def __init__(self, ctx, rubric: Any, year: int, chamber_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        from chamberdesk.rules import resolve_targets
        from chamberdesk.rules.democratic import democratic_item

        super().__init__(parent)
        self.ctx, self.rubric, self.year = ctx, rubric, year
        self.item = democratic_item(rubric)
        if self.item is None:
            raise ChamberDeskError(f"“{rubric.title}”没有民主评议条目。")
        self.ballot = self.item.ballot
        self.entered: list[str] = []  # chambers entered from a sheet, even when the dialog is then closed
        self.files: list[Path] = []
        self.locked = False  # the chamber's assessment is 定稿: its tally shows but cannot change
        self.setWindowTitle(f"{year}年度民主评议计票")
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("民") * 38)
        self.chamber = QComboBox()
        with ctx.db.session() as s:
            for t in resolve_targets(s, rubric):
                self.chamber.addItem(t.name, t.key)
        if chamber_id is not None:
            self.chamber.setCurrentIndex(max(0, self.chamber.findData(chamber_id)))
        rule = QLabel(self.ballot.rule_text())
        rule.setWordWrap(True)
        rule.setObjectName("muted")
        form = QFormLayout()
        form.addRow("被评议商会", self.chamber)
        self.levels: dict[str, QSpinBox] = {}
        self.scores = QPlainTextEdit()  # a few dozen ballots: several lines, all in view
        self.scores.setFixedHeight(self.scores.fontMetrics().lineSpacing() * 3 + 12)
        if self.ballot.scale == "rating":
            for lv in self.ballot.levels:
                spin = QSpinBox()
                spin.setRange(0, 9999)
                spin.setSuffix(" 票")
                spin.valueChanged.connect(lambda _v: self.update_score())
                self.levels[lv.label] = spin
                form.addRow(f"{lv.label}（{lv.points:g}分）", spin)
        else:
            self.scores.setPlaceholderText("每张有效票的评分，用逗号或空格隔开，如 95, 88, 90.5")
            self.scores.textChanged.connect(self.update_score)
            form.addRow("各票评分", self.scores)
        self.invalid = QSpinBox()
        self.invalid.setRange(0, 9999)
        self.invalid.setSuffix(" 张")
        self.invalid.valueChanged.connect(lambda _v: self.update_score())
        form.addRow("废票", self.invalid)
        self.files_label = QLabel("（未附）")
        self.files_label.setWordWrap(True)
        add = QPushButton("附评议票扫描件…")
        add.clicked.connect(lambda: self.add_file())
        row = QHBoxLayout()
        row.addWidget(self.files_label, 1)
        row.addWidget(add)
        form.addRow("凭证", row)
        self.score_label = QLabel()
        self.score_label.setWordWrap(True)
        self.score_label.setTextFormat(Qt.TextFormat.RichText)
        self.sheet_button = QPushButton("导入计票表…")
        self.sheet_button.setToolTip("每行一个商会：“商会名称”列，各等次票数列或每张选票一列评分，可有“废票”列")
        self.sheet_button.clicked.connect(lambda: self.import_sheet())
        self.done_list = QListWidget()
        self.done_list.hide()
        self.buttons = dialog_buttons(self, save=True, on_accept=self.save)
        self.buttons.addButton(self.sheet_button, self.buttons.ButtonRole.ActionRole)
        lay = QVBoxLayout(self)
        lay.addWidget(rule)
        lay.addLayout(form)
        lay.addWidget(self.score_label)
        lay.addWidget(self.done_list)
        lay.addWidget(self.buttons)
        self.chamber.currentIndexChanged.connect(lambda _i: self.load())
        self.load()

    def tally(self) -> Any:
        from chamberdesk.rules.democratic import Tally

        t = Tally(invalid=self.invalid.value())
        if self.ballot.scale == "rating":
            t.counts = {k: s.value() for k, s in self.levels.items()}
        else:
            # as a clerk types them off the ballots: commas (either width), 、, spaces or one a line
            parts = re.split(r"[\s,，、；;]+", self.scores.toPlainText())
            try:
                t.scores = [float(x) for x in parts if x]
            except ValueError:
                raise ChamberDeskError("评分应为数字，用逗号或空格隔开。") from None
        return t

    def load(self) -> None:
        """The chamber's tally as entered before, if any."""
        from chamberdesk.core.assessments import get_assessment, stored_inputs
        from chamberdesk.rules.democratic import stored_tally

        key = self.chamber.currentData()
        with self.ctx.db.session() as s:
            saved = get_assessment(s, self.rubric.id, self.year, key) if key is not None else None
        t = stored_tally(stored_inputs(saved).get(self.item.id)) if saved is not None else None
        self.locked = bool(saved is not None and saved.finalised)
        fields = [*self.levels.values(), self.scores, self.invalid]
        blockers = [QSignalBlocker(w) for w in fields]  # one score update below, not one per field
        for lv, spin in self.levels.items():
            spin.setValue(t.counts.get(lv, 0) if t else 0)
        self.scores.setPlainText(", ".join(f"{x:g}" for x in t.scores) if t else "")
        self.invalid.setValue(t.invalid if t else 0)
        for b in blockers:
            b.unblock()
        for w in fields:
            w.setEnabled(not self.locked)
        accept_button(self.buttons).setEnabled(not self.locked)
        self.update_score()

    def update_score(self) -> None:
        """The score and the combined total these ballots give, before they are saved."""
        from chamberdesk.core.assessments import get_assessment, stored_inputs
        from chamberdesk.rules.assessments import current_results
        from chamberdesk.rules.democratic import tally_entry

        key = self.chamber.currentData()
        if key is None:
            return
        if self.locked:
            self.score_label.setText(f"<span style='color:{WARN}'>该商会{self.year}年考评已定稿，计票结果不能再改。</span>")
            return
        try:
            entry = tally_entry(self.ballot, self.tally())
        except ChamberDeskError as exc:
            self.score_label.setText(f"<span style='color:{MUTED}'>{html.escape(str(exc))}</span>")
            return
        with self.ctx.db.session() as s:
            saved = get_assessment(s, self.rubric.id, self.year, key)
            inputs = stored_inputs(saved) if saved is not None else {}
            inputs[self.item.id] = entry
            res = current_results(s, self.rubric, self.year, [key], unsaved={key: inputs})[0].result
        total = (f"综合得分 <b>{res.score:.2f}</b>" + (f"（{html.escape(res.grade)}）" if res.grade else "")
                 if res.complete else f"综合得分待其他{res.counts['needs_input']}项评分后得出")
        if res.vetoed:
            total += f"，<span style='color:{ERROR}'>一票否决：{html.escape('；'.join(res.veto_reasons))}</span>"
        self.score_label.setText(f"民主评议得分 <b>{entry['value']:g}</b> 分（{html.escape(entry['note'])}）<br>{total}")

    def add_file(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "附评议票扫描件", "", EVIDENCE_FILTER)
            if not path:
                return
        self.files.append(Path(path))
        self.files_label.setText("、".join(f.name for f in self.files))

    def save(self) -> None:
        from chamberdesk.rules.democratic import enter_tallies

        name = self.chamber.currentText()
        try:
            tally = self.tally()
            with self.ctx.db.transaction() as s:
                enter_tallies(self.ctx.db, s, self.rubric, self.year, [(name, tally)], self.files)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "民主评议计票", str(exc))
            return
        self.ctx.status_message.emit(f"已录入“{name}”{self.year}年民主评议计票结果")
        self.accept()

    def import_sheet(self, path: str | None = None) -> None:
        from chamberdesk.io.tally_sheet import read_tally_sheet
        from chamberdesk.rules.democratic import enter_tallies

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "导入计票表", "", "计票表 (*.xlsx *.xls *.ods *.et *.csv);;所有文件 (*)")
            if not path:
                return
        try:
            got = read_tally_sheet(Path(path), self.ballot)
            with self.ctx.db.transaction() as s:
                entered, problems = enter_tallies(self.ctx.db, s, self.rubric, self.year, list(got.tallies.items()),
                                                  [Path(path), *self.files], from_sheet=True)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "导入计票表", str(exc))
            return
        problems = got.rejected + problems
        self.entered += [e.chamber for e in entered]
        self.done_list.clear()
        self.done_list.addItems([f"已录入：{e.chamber}　{e.democratic:g}分" for e in entered]
                                + [f"未录入：{p}" for p in problems])
        self.done_list.show()
        self.ctx.status_message.emit(f"计票表共 {len(entered) + len(problems)} 个商会：已录入 {len(entered)}，"
                                     f"未录入 {len(problems)}")
        self.load()
