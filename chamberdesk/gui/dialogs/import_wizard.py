"""导入向导: file and kind → sheet → what becomes of every column (the clerk can correct it) → whose
records they are, when the sheet does not say → preview with per-row status and duplicate choices → commit
in one transaction, with the rows that did not pass offered as a workbook. A whole workbook (several sheets,
each recognised as its kind) goes file → sheets and kinds → owners → preview → commit."""

from __future__ import annotations

import contextlib
import html
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import backup, custom_fields
from chamberdesk.core import choices as ch
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.federation import get_setting
from chamberdesk.gui.widgets.layout import resize_to_fit
from chamberdesk.gui.workers import run_task
from chamberdesk.io import excel_import as imp
from chamberdesk.io import mappings
from chamberdesk.io import owners as own
from chamberdesk.io.normalize import cell_text

PREVIEW_LIMIT = 3000  # rows shown in the table; the commit covers every row
STATUS_COLOURS = {imp.NEW: "#e8f5e9", imp.DUPLICATE: "#fff8e1", imp.SKIPPED: "#eeeeee", imp.REJECTED: "#ffebee"}
FATE_COLOURS = {imp.FIELD: "#ffffff", imp.KEPT: "#e3f2fd", imp.IGNORED: "#eeeeee"}
WORKBOOK = "workbook"  # the kind combo's entry for a whole workbook
# What the preview shows of each row: the values as they will be stored, so the clerk sees what was understood.
KEY_FIELDS = {
    "members": ["enterprise_name", "credit_code", "kind", "rep_name", "rep_phone", "join_date", "chamber"],
    "chambers": ["name", "kind", "credit_code", "president_name", "term_end"],
    "meetings": ["chamber", "body", "date", "agenda"],
    "activities": ["chamber", "category", "date", "title", "participant_count"],
    "contacts": ["member", "chamber", "date", "way", "by_whom"],
}
CODED = {("members", "kind"): ch.MemberKind, ("chambers", "kind"): ch.ChamberKind, ("meetings", "body"): ch.MeetingBody,
         ("activities", "category"): ch.ActivityCategory, ("contacts", "way"): ch.ContactWay}
FIXED_COLS = ["行号", "状态", "处理"]
REFUSED_COLS = ["行号", "列", "原因", "该行内容"]
REFUSED_CELLS = 60  # characters of a refused row's cells shown; all of them in the tooltip
REASON_MIN = 340  # the 说明 column's width before the value columns give way
CUSTOM_SHOWN = 14  # characters of 自定义信息 shown in a preview cell
# pages of the stack (the step label shows them in this order)
CHOOSE, SHEET, MAPPING, PREVIEW, RESULT, OWNERS, SHEETS = range(7)
STEPS = [(CHOOSE, "选择文件"), (SHEET, "工作表"), (SHEETS, "工作表"), (MAPPING, "列的去向"), (OWNERS, "所属单位"),
         (PREVIEW, "预览"), (RESULT, "完成")]
CHOOSE_OWNER = "（请选择）"


def manual_header(sheet) -> mappings.HeaderGuess:
    """When no title row is recognised: take the fullest of the first rows as the header, map nothing,
    and let the clerk assign every column by hand on the mapping page."""
    rows = sheet.rows[:30]
    filled = [sum(1 for v in r if v not in (None, "")) for r in rows]
    best = max(filled, default=0)
    first = next((i for i, n in enumerate(filled) if n >= max(2, (best * 3 + 3) // 4)), 0)
    width = max((len(r) for r in rows), default=0)
    row = rows[first] if rows else []
    titles = [cell_text(row[c]) if c < len(row) and row[c] not in (None, "") else f"（第 {c + 1} 列）"
              for c in range(width)]
    return mappings.HeaderGuess(first, first, titles, {c: mappings.IGNORE for c in range(width)})


class ImportWizard(QDialog):
    """Steps: choose, sheet (or a workbook's sheets), mapping, owners (when needed), preview, result."""

    def __init__(self, ctx, parent: QWidget | None = None, *, kind: str = "members") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("导入表格")
        # room for the preview's columns on a 1366×768 screen; smaller where the screen is (125 %/150 % scaling)
        resize_to_fit(self, 1180, 660)
        self.sheet = None
        self.header = None
        self.preview: imp.ImportPreview | None = None
        self.result: imp.ImportResult | None = None
        self.workbook_result: imp.WorkbookResult | None = None
        self.backup_path: Path | None = None
        self.task = None
        self.owner: str | None = None  # whose records rows without an owner are (an owner-page choice)
        self.owner_choices: dict[str, str | int] = {}
        self._owner_required = False  # the sheet has no owner column: the clerk must name the owner
        self.plans: list[imp.SheetPlan] = []
        self._history: list[int] = []

        self.stack = QStackedWidget()
        for build in (lambda: self._page_choose(kind), self._page_sheet, self._page_mapping, self._page_preview,
                      self._page_result, self._page_owners, self._page_sheets):
            self.stack.addWidget(build())
        self.step_label = QLabel()
        self.back_btn = QPushButton("上一步")
        self.next_btn = QPushButton("下一步")
        self.cancel_btn = QPushButton("取消")
        self.back_btn.clicked.connect(self.back)
        self.next_btn.clicked.connect(self.next)
        self.cancel_btn.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.step_label)
        buttons.addStretch(1)
        for b in (self.back_btn, self.next_btn, self.cancel_btn):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addWidget(self.stack, 1)
        lay.addLayout(buttons)
        self._show(CHOOSE)

    # --- pages -----------------------------------------------------------------------------------
    def _page_choose(self, kind: str) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.kind = QComboBox()
        for k, label in mappings.KIND_LABELS.items():
            self.kind.addItem(label, k)
        self.kind.addItem("整个工作簿（逐表自动识别）", WORKBOOK)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.path = QLineEdit()
        self.path.setPlaceholderText("选择 .xlsx、.xls、.ods、.et 或 .csv 文件")
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow("导入内容：", self.kind)
        form.addRow("表格文件：", row)
        hint = QLabel("支持 Excel、WPS 保存的表格和其他系统导出的 CSV（UTF-8 或 GBK）。标题行、填报单位行、两层表头、"
                      "序号列、合计行都会自动识别；没有对应字段的列保留为“自定义信息”，一列不丢。"
                      "导入前会逐行预览，确认后才写入。")
        hint.setWordWrap(True)
        form.addRow(hint)
        return w

    def _page_sheet(self) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.sheet_combo = QComboBox()
        form.addRow("工作表：", self.sheet_combo)
        return w

    def _page_sheets(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.sheets_info = QLabel("每张工作表认出的台账类型如下，可以改选；选“（不导入）”的表不导入。"
                                  "导入按 商会 → 会员 → 会议 → 活动 → 走访 的顺序在一次操作中完成。")
        self.sheets_info.setWordWrap(True)
        self.sheets_table = QTableWidget(0, 3)
        self.sheets_table.setHorizontalHeaderLabels(["工作表", "导入为", "说明"])
        self.sheets_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.sheets_table.verticalHeader().setVisible(False)
        lay.addWidget(self.sheets_info)
        lay.addWidget(self.sheets_table, 1)
        return w

    def _page_mapping(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.mapping_info = QLabel()
        self.mapping_info.setWordWrap(True)
        self.mapping_table = QTableWidget(0, 4)
        self.mapping_table.setHorizontalHeaderLabels(["表格中的列", "示例", "导入为", "依据"])
        self.mapping_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.mapping_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.mapping_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.mapping_table.verticalHeader().setVisible(False)
        lay.addWidget(self.mapping_info)
        lay.addWidget(self.mapping_table, 1)
        return w

    def _page_owners(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.owners_info = QLabel()
        self.owners_info.setWordWrap(True)
        row = QHBoxLayout()
        self.default_owner_label = QLabel("这些记录属于：")
        self.default_owner = QComboBox()
        self.default_owner.setMinimumWidth(260)
        row.addWidget(self.default_owner_label)
        row.addWidget(self.default_owner)
        row.addStretch(1)
        self.unknown_info = QLabel()
        self.unknown_info.setWordWrap(True)
        self.unknown_table = QTableWidget(0, 3)
        self.unknown_table.setHorizontalHeaderLabels(["表中写的单位", "行数", "处理"])
        self.unknown_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.unknown_table.verticalHeader().setVisible(False)
        all_new = QPushButton("全部新建为商会")
        all_new.clicked.connect(lambda: self._set_all_unknown(own.CREATE))
        self.all_new_btn = all_new
        lay.addWidget(self.owners_info)
        lay.addLayout(row)
        lay.addWidget(self.unknown_info)
        lay.addWidget(self.unknown_table, 1)
        lay.addWidget(all_new, 0, Qt.AlignmentFlag.AlignLeft)
        return w

    def _page_preview(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        top = QHBoxLayout()
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.only_problems = QCheckBox("只看需要处理的行")
        self.only_problems.toggled.connect(self._fill_preview)
        self.default_choice = QComboBox()
        for c in imp.CHOICES:
            self.default_choice.addItem(imp.CHOICE_LABELS[c], c)
        top.addWidget(self.counts_label, 1)
        top.addWidget(QLabel("重复记录默认："))
        top.addWidget(self.default_choice)
        top.addWidget(self.only_problems)
        self.preview_table = QTableWidget(0, 4)
        self.preview_table.setWordWrap(True)
        self.preview_table.verticalHeader().setVisible(False)
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._rewrap = QTimer(self)  # the 说明 column rewraps when the wizard or a column is resized
        self._rewrap.setSingleShot(True)
        self._rewrap.setInterval(50)
        self._rewrap.timeout.connect(self._fit_rows)
        self.preview_table.horizontalHeader().sectionResized.connect(lambda *_a: self._rewrap.start())
        # a whole workbook: the rows each sheet would refuse, for the sheet chosen in the table above
        self.refused_label = QLabel()
        self.refused_label.setWordWrap(True)
        self.refused_table = QTableWidget(0, len(REFUSED_COLS))
        self.refused_table.setHorizontalHeaderLabels(REFUSED_COLS)
        self.refused_table.setWordWrap(True)
        self.refused_table.verticalHeader().setVisible(False)
        self.refused_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.currentCellChanged.connect(lambda row, *_a: self._show_refused(row))
        lay.addLayout(top)
        lay.addWidget(self.preview_table, 1)
        lay.addWidget(self.refused_label)
        lay.addWidget(self.refused_table, 2)
        self.refused_label.setVisible(False)
        self.refused_table.setVisible(False)
        return w

    def _page_result(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errors_btn = QPushButton("保存未通过的行和各列的去向…")
        self.errors_btn.clicked.connect(self._save_errors)
        lay.addWidget(self.result_label)
        lay.addWidget(self.errors_btn, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)
        return w

    # --- navigation ------------------------------------------------------------------------------
    def _show(self, i: int) -> None:
        if not self._history or self._history[-1] != i:
            self._history.append(i)
        self.stack.setCurrentIndex(i)
        workbook = self.kind_value == WORKBOOK
        # the owners step comes only when a sheet does not say whose its records are: said as "如需" until
        # the preview shows whether it came
        past = i in (PREVIEW, RESULT) and OWNERS not in self._history
        steps = [(p, n if p != OWNERS or i == OWNERS or OWNERS in self._history else f"{n}（如需）")
                 for p, n in STEPS if not (workbook and p in (SHEET, MAPPING)) and not (
                     not workbook and p == SHEETS) and not (p == OWNERS and past)]
        self.step_label.setText(" › ".join(f"<b>{j + 1} {n}</b>" if p == i else f"{j + 1} {n}"
                                           for j, (p, n) in enumerate(steps)))
        self.back_btn.setEnabled(i not in (CHOOSE, RESULT))
        self.next_btn.setText({PREVIEW: "导入", RESULT: "关闭"}.get(i, "下一步"))
        self.cancel_btn.setVisible(i != RESULT)

    def back(self) -> None:
        if len(self._history) > 1:
            self._history.pop()
            target = self._history.pop()
            self._show(target)

    def next(self) -> None:
        i = self.stack.currentIndex()
        try:
            if i == CHOOSE:
                self._load_sheets()
            elif i == SHEET:
                self._read_sheet()
            elif i == SHEETS:
                self._plan_from_table()
                self._run_workbook_preview()
            elif i == MAPPING:
                self._run_preview()
            elif i == OWNERS:
                self._owners_from_page()
                if self.kind_value == WORKBOOK:
                    self._run_workbook_preview()
                else:
                    self._run_preview(from_owners=True)
            elif i == PREVIEW:
                self._commit()
            else:
                self.accept()
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "导入表格", str(exc))

    def _browse(self) -> None:
        fn, _ = QFileDialog.getOpenFileName(self, "选择表格文件", "",
                                            "表格文件 (*.xlsx *.xls *.ods *.et *.csv);;所有文件 (*)")
        if fn:
            self.path.setText(fn)

    @property
    def kind_value(self) -> str:
        return self.kind.currentData()

    def _load_sheets(self) -> None:
        from chamberdesk.io.sheet_reader import sheet_names

        p = Path(self.path.text().strip())
        if not self.path.text().strip():
            raise ChamberDeskError("请先选择表格文件。")
        self.owner, self.owner_choices = None, {}
        if self.kind_value == WORKBOOK:
            self.task = run_task(self, "识别工作表", lambda progress: imp.plan_workbook(p), on_done=self._planned,
                                 label="正在识别各工作表…")
            return
        names = sheet_names(p)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(names)
        if len(names) == 1:
            self._read_sheet()
        else:
            self._show(SHEET)

    # --- one sheet ---------------------------------------------------------------------------------
    def _read_sheet(self) -> None:
        path = Path(self.path.text().strip())
        sheet = self.sheet_combo.currentText() or None
        kind = self.kind_value

        def work(progress):
            progress.report(0, 0, "正在读取表格…")
            sh = imp.load_sheet(path, sheet)
            with self.ctx.db.session() as s:
                saved = get_setting(s, imp.mapping_key(kind))
                known = imp.known_chamber_names(s)
            try:
                return sh, imp.guess_header(kind, sh, saved=saved, known_names=known), False
            except ChamberDeskError:
                # No recognised title row (another kind of sheet, or unusual titles): here, unlike the
                # command line, the clerk can assign the columns by hand on the next page.
                guess = manual_header(sh)
                with contextlib.suppress(ChamberDeskError):
                    imp.apply_mapping(kind, guess, saved)
                return sh, guess, True

        self.task = run_task(self, "读取表格", work, on_done=self._sheet_read, label="正在读取表格…")

    def _data_columns(self) -> set[int]:
        return {c for r in self.sheet.rows[self.header.data_start:] for c, v in enumerate(r)
                if v is not None and not (isinstance(v, str) and not v.strip())}

    def _sheet_read(self, got) -> None:
        self.sheet, self.header, manual = got
        kind = self.kind_value
        t = self.mapping_table
        t.setRowCount(0)
        fields = [(f.label, f.name) for f in mappings.KINDS[kind]]
        sample_row = next((r for r in self.sheet.rows[self.header.data_start:self.header.data_start + 30]
                           if any(v not in (None, "") for v in r)), [])
        ties = getattr(self.header, "ties", {}) or {}
        for fate in imp.column_fates(kind, self.header, self._data_columns()):
            c = fate.index
            r = t.rowCount()
            t.insertRow(r)
            item = QTableWidgetItem(fate.title or f"（第 {c + 1} 列，无列名）")
            item.setData(Qt.ItemDataRole.UserRole, c)
            t.setItem(r, 0, item)
            t.setItem(r, 1, QTableWidgetItem(cell_text(sample_row[c]) if c < len(sample_row) else ""))
            combo = QComboBox()
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.addItem("（不导入）", mappings.IGNORE)
            combo.addItem(imp.CUSTOM_LABEL, imp.CUSTOM)
            for label, name in fields:
                combo.addItem(label, name)
            current = fate.field if fate.fate == imp.FIELD else (imp.CUSTOM if fate.fate == imp.KEPT else mappings.IGNORE)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            t.setCellWidget(r, 2, combo)
            why = fate.reason
            if c in ties:
                labels = mappings.labels(kind)
                why = f"难以确定：{'、'.join(labels.get(f, f) for f in ties[c])}，请核对。" + (f"（{why}）" if why else "")
            why_item = QTableWidgetItem(why)
            why_item.setToolTip(why)
            if c in ties:
                why_item.setBackground(QBrush(QColor("#fff8e1")))
            t.setItem(r, 3, why_item)
        t.resizeColumnToContents(0)
        t.setColumnWidth(1, min(max(t.columnWidth(1), 120), 220))
        # "统一社会信用代码" must show whole: the column is as wide as its widest choice list.
        widest = max((t.cellWidget(r, 2).sizeHint().width() for r in range(t.rowCount())), default=0)
        t.setColumnWidth(2, max(widest + 8, 160))
        need = "、".join(f.label for f in mappings.KINDS[kind] if f.required)
        rows = f"第 {self.header.first_row + 1}" + (
            f"–{self.header.last_row + 1}" if self.header.last_row != self.header.first_row else "") + " 行"
        keep = "没有对应字段的列默认“保留为自定义信息”（按原列名保存在记录上，可查找、会随台账导出），不需要的列可改为“（不导入）”。"
        if manual:
            first = mappings.KINDS[kind][0].label
            self.mapping_info.setText(
                f"<b>没有认出这张表的表头</b>（{mappings.KIND_LABELS[kind]}表应有“{first}”等列名），"
                f"可能选错了导入内容或工作表——可点“上一步”重新选择。<br>如果确实要导入这张表，已把{rows}当作表头："
                f"请在“导入为”一栏逐列指定（必须有：{need}），不需要的列保持“（不导入）”。对应关系会保存，下次自动使用。")
        else:
            self.mapping_info.setText(f"表头在{rows}。请核对每一列的去向（必须有：{need}）。{keep}"
                                      "对应关系会保存，下次自动使用。")
        self._show(MAPPING)

    def _mapping_from_table(self) -> None:
        t = self.mapping_table
        self.header.mapping = {}
        for r in range(t.rowCount()):
            c = t.item(r, 0).data(Qt.ItemDataRole.UserRole)
            self.header.mapping[c] = t.cellWidget(r, 2).currentData()

    def _run_preview(self, *, from_owners: bool = False) -> None:
        if not from_owners:
            self._mapping_from_table()
            missing = imp.missing_required(self.kind_value, self.header)
            if missing:
                raise ChamberDeskError(f"还没有指定这些必需的列：{'、'.join(missing)}。请在“导入为”一栏为它们选择对应的列。")
            doubled = self._doubled_fields()
            if doubled:
                raise ChamberDeskError(f"这些项目被指定给了不止一列：{'、'.join(doubled)}。请只保留一列，"
                                       "其余的改为“保留为自定义信息”或“（不导入）”。")
        path, kind, sheet, header = Path(self.path.text().strip()), self.kind_value, self.sheet, self.header
        owner, choices = self.owner, dict(self.owner_choices)

        def work(progress):
            progress.report(0, 0, "正在逐行检查…")
            return imp.preview_import(self.ctx.db, path, kind, loaded=sheet, header=header, owner=owner,
                                      owner_choices=choices)

        self.task = run_task(self, "检查表格", work, on_done=lambda pv: self._previewed(pv, from_owners),
                             label="正在逐行检查…")

    def _doubled_fields(self) -> list[str]:
        labels = mappings.labels(self.kind_value)
        seen: dict[str, int] = {}
        for f in self.header.mapping.values():
            if f not in (mappings.IGNORE, imp.CUSTOM):
                seen[f] = seen.get(f, 0) + 1
        # 手机 and 固定电话 may both go to the phone: the second filled one is kept as a custom field
        return [labels.get(f, f) for f, n in seen.items() if n > 1 and f != "rep_phone"]

    def _needs_owner_page(self, pv: imp.ImportPreview) -> bool:
        no_column = not imp.has_owner_column(pv.kind, pv.header) and self.owner is None
        blanks = any(p.message.startswith("所属单位为空") for o in pv.outcomes for p in o.errors)
        return no_column or blanks or bool(pv.unknown_owners())

    def _previewed(self, pv: imp.ImportPreview, from_owners: bool = False) -> None:
        self.preview = pv
        if not from_owners and self._needs_owner_page(pv):
            missing_column = not imp.has_owner_column(pv.kind, pv.header)
            blanks = sum(1 for o in pv.outcomes if any(p.message.startswith("所属单位为空") for p in o.errors))
            self._fill_owners(pv.unknown_owners(), missing_column=missing_column, blanks=blanks)
            return
        from chamberdesk.core.chambers import list_chambers

        with self.ctx.db.session() as s:
            self._chamber_names = {c.id: c.name for c in list_chambers(s)}
        self._chamber_names.update(pv.owners.planned if pv.owners else {})
        c = pv.counts()
        kept = [f.title or f"第{f.index + 1}列" for f in pv.columns if f.fate == imp.KEPT]
        ignored = [f.title or f"第{f.index + 1}列" for f in pv.columns if f.fate == imp.IGNORED]
        planned = list(pv.owners.planned.values()) if pv.owners else []
        self.counts_label.setText(
            f"共 {len(pv.outcomes)} 行：新增 {c[imp.NEW]}，重复 {c[imp.DUPLICATE]}，跳过 {c[imp.SKIPPED]}，"
            f"拒绝 {c[imp.REJECTED]}。" + (f"保留为自定义信息的列：{'、'.join(kept)}。" if kept else "")
            + (f"不导入的列：{'、'.join(ignored)}。" if ignored else "")
            + (f"将新建商会：{'、'.join(planned)}。" if planned else "") + "确认无误后点“导入”，全部在一次操作中写入。")
        self._fill_preview()
        self._show(PREVIEW)

    # --- owners ------------------------------------------------------------------------------------
    def _owner_targets(self) -> list[tuple[str, object]]:
        from chamberdesk.core.chambers import list_chambers

        with self.ctx.db.session() as s:
            return [("本级工商联", own.FEDERATION)] + [(c.name, c.id) for c in list_chambers(s, include_dissolved=False)]

    def _fill_owners(self, unknown: dict[str, int], *, missing_column: bool, blanks: int) -> None:
        targets = self._owner_targets()
        kind_label = f"工作表{getattr(self, 'owners_sheets', '')}" if self.kind_value == WORKBOOK else \
            f"这张{mappings.KIND_LABELS.get(self.kind_value, '')}表"
        bits = []
        self.default_owner.clear()
        self.default_owner.addItem(CHOOSE_OWNER, None)
        for name, _v in targets:
            self.default_owner.addItem(name, "本级" if _v == own.FEDERATION else name)
        if self.owner:
            self.default_owner.setCurrentIndex(max(0, self.default_owner.findData(self.owner)))
        need_default = missing_column or blanks > 0
        self._owner_required = missing_column
        self.default_owner.setVisible(need_default)
        self.default_owner_label.setVisible(need_default)
        if missing_column:
            bits.append(f"{kind_label}没有“所属单位/所属商会”列，程序不会替您猜测这些记录属于谁：请选择它们属于哪个单位。")
        elif blanks:
            bits.append(f"{kind_label}有 {blanks} 行的所属单位为空：请选择它们属于哪个单位（不选则这些行不导入，并在预览中说明）。")
        self.default_owner_label.setText("没有写所属单位的记录属于：")
        t = self.unknown_table
        t.setRowCount(0)
        for name, n in sorted(unknown.items()):
            r = t.rowCount()
            t.insertRow(r)
            t.setItem(r, 0, QTableWidgetItem(name))
            t.setItem(r, 1, QTableWidgetItem(str(n)))
            combo = QComboBox()
            combo.addItem(CHOOSE_OWNER, None)
            combo.addItem("新建该商会", own.CREATE)
            combo.addItem("这些行不导入", own.SKIP)
            for label, value in targets:
                combo.addItem(f"归入：{label}", value)
            combo.setCurrentIndex(max(0, combo.findData(self.owner_choices.get(name))))
            t.setCellWidget(r, 2, combo)
        t.resizeColumnsToContents()
        t.setColumnWidth(2, max(t.columnWidth(2), 220))
        has_unknown = bool(unknown)
        for wdg in (self.unknown_info, self.unknown_table, self.all_new_btn):
            wdg.setVisible(has_unknown)
        if has_unknown:
            self.unknown_info.setText("表中写到的这些单位在台账中找不到（已按全称、去掉县名、商会/协会/分会等写法比对过）。"
                                      "请逐个选择：新建该商会、归入已有的单位，或这些行不导入。程序不会把它们算作本级工商联。")
        self.owners_info.setText("<br>".join(bits) or "请确认记录的所属单位。")
        self._show(OWNERS)

    def _set_all_unknown(self, value: str) -> None:
        t = self.unknown_table
        for r in range(t.rowCount()):
            combo = t.cellWidget(r, 2)
            combo.setCurrentIndex(max(0, combo.findData(value)))

    def _owners_from_page(self) -> None:
        if self.default_owner.isVisibleTo(self):
            chosen = self.default_owner.currentData()
            if chosen is None and self._owner_required:
                raise ChamberDeskError("请选择这些记录属于哪个单位（本级工商联或某个商会）。")
            self.owner = chosen
        t = self.unknown_table
        undecided = []
        for r in range(t.rowCount()):
            name, value = t.item(r, 0).text(), t.cellWidget(r, 2).currentData()
            if value is None:
                undecided.append(name)
            else:
                self.owner_choices[name] = value
        if undecided:
            raise ChamberDeskError(f"请为这些单位选择处理方式：{'、'.join(undecided)}。")

    # --- a whole workbook --------------------------------------------------------------------------
    def _planned(self, plans: list[imp.SheetPlan]) -> None:
        self.plans = plans
        t = self.sheets_table
        t.setRowCount(0)
        for p in plans:
            r = t.rowCount()
            t.insertRow(r)
            t.setItem(r, 0, QTableWidgetItem(p.name))
            combo = QComboBox()
            combo.addItem("（不导入）", "")
            for k, label in mappings.KIND_LABELS.items():
                combo.addItem(label, k)
            combo.setCurrentIndex(max(0, combo.findData(p.kind or "")))
            t.setCellWidget(r, 1, combo)
            t.setItem(r, 2, QTableWidgetItem(p.reason or f"按表头和表名认出（把握 {p.confidence:.0%}）"))
        t.resizeColumnsToContents()
        t.setColumnWidth(1, max(t.columnWidth(1), 140))
        self._show(SHEETS)

    def _plan_from_table(self) -> None:
        t = self.sheets_table
        self.sheet_kinds = {t.item(r, 0).text(): t.cellWidget(r, 1).currentData() for r in range(t.rowCount())}
        if not any(self.sheet_kinds.values()):
            raise ChamberDeskError("没有选择要导入的工作表。")

    def _run_workbook_preview(self) -> None:
        path, kinds = Path(self.path.text().strip()), dict(self.sheet_kinds)
        owner, choices = self.owner, dict(self.owner_choices)
        default = self.default_choice.currentData()

        def work(progress):
            progress.report(0, 0, "正在逐表检查…")
            return imp.import_workbook(self.ctx.db, path, kinds=kinds, dry_run=True, owner=owner,
                                       owner_choices=choices, on_duplicate=default, owner_gaps=True)

        self.task = run_task(self, "检查工作簿", work, on_done=self._workbook_previewed, label="正在逐表检查…")

    def _workbook_previewed(self, wres: imp.WorkbookResult) -> None:
        blanks = 0 if self.owner is not None else sum(
            1 for r in wres.sheets for p in r.problems if p.message.startswith("所属单位为空"))
        if wres.needs_owner or wres.unknown_owners or (blanks and self.stack.currentIndex() != OWNERS):
            if wres.needs_owner:
                self.owners_sheets = "、".join(f"“{n}”" for n in wres.needs_owner)
            self._fill_owners(wres.unknown_owners, missing_column=bool(wres.needs_owner), blanks=blanks)
            return
        self.workbook_result = wres
        t = self.preview_table
        heads = ["工作表", "类型", "行数", "新增", "更新", "重复", "跳过", "拒绝", "说明"]
        t.setColumnCount(len(heads))
        t.setHorizontalHeaderLabels(heads)
        t.setRowCount(0)
        for r in wres.sheets:
            i = t.rowCount()
            t.insertRow(i)
            kept = [c.title for c in r.columns if c.fate == imp.KEPT]
            note = "；".join(x for x in (
                f"{r.rejected} 行未通过，选中该行可在下方查看" if r.rejected else "",
                f"保留为自定义信息：{'、'.join(kept)}" if kept else "",
                f"新建商会：{'、'.join(r.new_chambers)}" if r.new_chambers else "") if x)
            for col, text in enumerate([r.sheet, mappings.KIND_LABELS[r.kind], r.rows, r.imported, r.updated,
                                        r.duplicates, r.skipped, r.rejected, note]):
                it = QTableWidgetItem(str(text))
                it.setToolTip(str(text))
                t.setItem(i, col, it)
        for p in wres.left_out:
            i = t.rowCount()
            t.insertRow(i)
            for col, text in enumerate([p.name, "不导入", "", "", "", "", "", "", p.reason]):
                t.setItem(i, col, QTableWidgetItem(text))
        tot = wres.totals()
        self.counts_label.setText(f"{len(wres.sheets)} 张表共 {tot['rows']} 行：新增 {tot['imported']}，更新 {tot['updated']}，"
                                  f"重复 {tot['duplicates']}，跳过 {tot['skipped']}，拒绝 {tot['rejected']}。"
                                  "确认无误后点“导入”，全部在一次操作中写入。")
        self.only_problems.setVisible(False)
        t.resizeColumnsToContents()
        for c in range(2, len(heads) - 1):  # the counts: wide enough to read at a glance
            t.setColumnWidth(c, max(t.columnWidth(c), 56))
        t.horizontalHeader().setSectionResizeMode(len(heads) - 1, QHeaderView.ResizeMode.Stretch)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # the summary as tall as its rows (up to a third of the page): the refused rows below get the rest
        t.resizeRowsToContents()
        rows_h = sum(t.rowHeight(i) for i in range(t.rowCount())) + t.horizontalHeader().height() + 2 * t.frameWidth() + 4
        t.setMaximumHeight(max(90, min(rows_h, self.height() // 3)))
        self.refused_label.setVisible(True)
        self.refused_table.setVisible(True)
        # the first sheet with refused rows is shown first: that is what the clerk has to look at
        first = next((i for i, r in enumerate(wres.sheets) if r.rejected), 0)
        t.setCurrentCell(first, 0)
        self._show_refused(first)
        self._show(PREVIEW)

    def _show_refused(self, row: int) -> None:
        """The refused rows of the sheet on `row` of the workbook summary: row number, column, reason, cells."""
        wres = self.workbook_result
        t = self.refused_table
        t.setRowCount(0)
        if self.kind_value != WORKBOOK or wres is None or not 0 <= row < len(wres.sheets):
            self.refused_label.setText("")
            return
        r = wres.sheets[row]
        refused = wres.refused_rows(r.sheet)
        if not refused:
            self.refused_label.setText(f"工作表“{r.sheet}”：没有未通过的行。")
            return
        self.refused_label.setText(f"工作表“{r.sheet}”未通过的 {len(refused)} 行（不会导入；改正原表后可再导入这些行，"
                                   "导入后也可保存为工作簿）：")
        lines = [(n, p, cells) for n, cells, problems in refused[:PREVIEW_LIMIT] for p in problems]
        t.setRowCount(len(lines))
        colour = QBrush(QColor(STATUS_COLOURS[imp.REJECTED]))
        for i, (n, p, cells) in enumerate(lines):
            text = " | ".join(cell_text(v) for v in cells if v not in (None, ""))
            shown = text if len(text) <= REFUSED_CELLS else text[:REFUSED_CELLS] + "…"
            for col, (value, tip) in enumerate([(str(n), ""), (p.column, ""), (p.message, p.message), (shown, text)]):
                it = QTableWidgetItem(value)
                it.setBackground(colour)
                if tip:
                    it.setToolTip(tip)
                t.setItem(i, col, it)
        t.resizeColumnsToContents()
        t.setColumnWidth(2, min(max(t.columnWidth(2), 200), 420))
        t.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        if t.rowCount() <= 500:
            t.resizeRowsToContents()

    # --- preview (one sheet) ------------------------------------------------------------------------
    def preview_columns(self) -> list[tuple[str, str]]:
        """(field, column title) of the understood values shown for each row."""
        pv = self.preview
        labels = mappings.labels(pv.kind)
        mapped = set(pv.header.mapping.values())
        out = [(f, labels.get(f, f)) for f in KEY_FIELDS.get(pv.kind, []) if f in mapped or (
            f == "chamber" and self.owner is not None)]
        if any(f.fate == imp.KEPT for f in pv.columns) or any((o.data or {}).get("custom") for o in pv.outcomes[:200]):
            out.append(("custom", "自定义信息"))
        return out

    def shown_value(self, o: imp.RowOutcome, fld: str) -> str:
        """The value as it will be stored (normalised, codes as their Chinese labels); the cell as typed
        when the row could not be read."""
        kind = self.preview.kind
        data = o.data or {}
        if fld == "custom":
            return "；".join(f"{k}：{v}" for k, v in custom_fields.load(data.get("custom")).items())
        if fld == "chamber" and o.data is not None:
            names = getattr(self, "_chamber_names", {})
            ids = [cid for cid, _pos in o.extra.get("seats", [])] if "seats" in o.extra else None
            if ids is None and "chamber_id" in data:
                ids = [data["chamber_id"]]
            if ids is not None:
                return "、".join(names.get(i, "本级工商联") + ("（新建）" if i and i < 0 else "") if i else "本级工商联"
                                for i in ids)
        if fld in data and data[fld] not in (None, ""):
            v = data[fld]
            enum = CODED.get((kind, fld))
            if enum is not None:
                return ch.label_of(enum, v) or str(v)
            if hasattr(v, "isoformat"):
                return v.isoformat()
            return str(v)
        cols = [c for c, f in self.preview.header.mapping.items() if f == fld]
        return cell_text(o.raw[cols[0]]) if cols and cols[0] < len(o.raw) else ""

    def _fill_preview(self) -> None:
        pv = self.preview
        if pv is None or self.kind_value == WORKBOOK:
            return
        self.only_problems.setVisible(True)
        self.refused_label.setVisible(False)
        self.refused_table.setVisible(False)
        t = self.preview_table
        t.setMaximumHeight(16777215)  # QWIDGETSIZE_MAX: the workbook summary may have capped it
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        t.setRowCount(0)
        key = self.preview_columns()
        heads = FIXED_COLS + [title for _f, title in key] + ["说明"]
        t.setColumnCount(len(heads))
        t.setHorizontalHeaderLabels(heads)
        custom_col = len(FIXED_COLS) + [f for f, _t in key].index("custom") if ("custom", "自定义信息") in key else -1
        rows = [o for o in pv.outcomes if not self.only_problems.isChecked() or o.status != imp.NEW or o.problems]
        t.setRowCount(min(len(rows), PREVIEW_LIMIT))
        for r, o in enumerate(rows[:PREVIEW_LIMIT]):
            colour = QBrush(QColor(STATUS_COLOURS[o.status]))
            reason = "；".join(x for x in (o.dup_reason, o.reason) if x)
            items = [str(o.sheet_row), imp.STATUS_LABELS[o.status], ""] + \
                [self.shown_value(o, f) for f, _t in key] + [reason]
            for col, text in enumerate(items):
                # 自定义信息 can be long: one line here, all of it in the tooltip (the rows stay readable)
                short = text if col != custom_col or len(text) <= CUSTOM_SHOWN else text[:CUSTOM_SHOWN] + "…"
                it = QTableWidgetItem(short)
                it.setBackground(colour)
                if text and col >= len(FIXED_COLS):
                    it.setToolTip(text)
                t.setItem(r, col, it)
            if o.status == imp.DUPLICATE:
                combo = QComboBox()
                combo.addItem("按默认", None)
                for c in imp.CHOICES:
                    if c != "keep" or o.keep_allowed:
                        combo.addItem(imp.CHOICE_LABELS[c], c)
                combo.setCurrentIndex(max(0, combo.findData(o.choice)))
                combo.currentIndexChanged.connect(lambda _i, o=o, cb=combo: setattr(o, "choice", cb.currentData()))
                t.setCellWidget(r, 2, combo)
        self._fit_columns()
        # again once the page is on screen: until then the table has not been laid out at its width
        QTimer.singleShot(0, self._fit_columns)

    def _fit_columns(self) -> None:
        t = self.preview_table
        if self.kind_value == WORKBOOK:
            return
        heads = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
        if not heads:
            return
        # Size from the first rows only (sizing every row of a big sheet is slow), cap wide text columns;
        # the reason column takes the rest and wraps, its full text is also the tooltip.
        hh = t.horizontalHeader()
        last = len(heads) - 1
        for c in range(last):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
            w = max([t.fontMetrics().horizontalAdvance(heads[c]) + 24] +
                    [t.fontMetrics().horizontalAdvance(t.item(r, c).text()) + 16 for r in range(min(t.rowCount(), 200))])
            if t.cellWidget(0, c) is not None or c == 2:
                w = max(w, 110)
            t.setColumnWidth(c, min(w, 200))
        # The reason must be readable without scrolling sideways: the value columns give up width until
        # it has REASON_MIN, then it stretches over the rest and wraps (rows grow to fit it).
        first_value = len(FIXED_COLS)
        excess = sum(t.columnWidth(c) for c in range(last)) - (t.viewport().width() - REASON_MIN)
        while excess > 0:
            wide = max(range(first_value, last), key=t.columnWidth, default=None)
            if wide is None or t.columnWidth(wide) <= 90:
                break  # a very narrow window: the table scrolls sideways after all
            cut = min(excess, t.columnWidth(wide) - 90, 20)
            t.setColumnWidth(wide, t.columnWidth(wide) - cut)
            excess -= cut
        hh.setMinimumSectionSize(40)
        hh.setSectionResizeMode(last, QHeaderView.ResizeMode.Stretch)
        self._fit_rows()

    def _fit_rows(self, *_args) -> None:
        """Row heights follow the wrapped 说明 text (only for sheets small enough to measure quickly)."""
        t = self.preview_table
        if t.rowCount() <= 500:
            t.resizeRowsToContents()

    # --- commit ------------------------------------------------------------------------------------
    def _commit(self) -> None:
        default = self.default_choice.currentData()
        db = self.ctx.db
        workbook = self.kind_value == WORKBOOK
        pv = self.preview
        path, kinds = Path(self.path.text().strip()), dict(getattr(self, "sheet_kinds", {}))
        owner, choices = self.owner, dict(self.owner_choices)

        def work(progress):
            # A copy of the data file right before writing, so an import that went wrong can be undone.
            saved = None
            if getattr(db, "path", None) is not None:
                progress.report(0, 0, "正在备份数据文件…")
                try:
                    saved = backup.make_backup(db, reason="import")
                except (ChamberDeskError, OSError) as exc:
                    raise ChamberDeskError(f"导入前的自动备份没有成功，因此没有导入任何数据。\n原因：{exc}\n"
                                           "请检查磁盘空间和备份文件夹（设置 › 数据文件）后再导入。") from exc
            progress.report(0, 0, "正在写入…")
            if workbook:
                return imp.import_workbook(db, path, kinds=kinds, on_duplicate=default, owner=owner,
                                           owner_choices=choices), saved
            return imp.commit_import(db, pv, on_duplicate=default), saved

        self.task = run_task(self, "导入", work, on_done=self._committed, label="正在写入…", cancellable=False)

    def _committed(self, got) -> None:
        res, saved = got
        self.backup_path = saved
        tables = {"members": "member", "chambers": "chamber", "meetings": "meeting", "activities": "activity",
                  "contacts": "contact"}
        if isinstance(res, imp.WorkbookResult):
            self.workbook_result = res
            for r in res.sheets:
                self.ctx.data_changed.emit(tables[r.kind])
            tot = res.totals()
            lines = "".join(f"<li>“{html.escape(r.sheet)}”（{mappings.KIND_LABELS[r.kind]}）：共 {r.rows} 行，新增 {r.imported}，"
                            f"更新 {r.updated}，重复 {r.duplicates}，跳过 {r.skipped}，拒绝 {r.rejected}</li>" for r in res.sheets)
            lines += "".join(f"<li>“{html.escape(p.name)}”未导入：{html.escape(p.reason)}</li>" for p in res.left_out)
            head = f"<p>导入完成：{len(res.sheets)} 张表共 {tot['rows']} 行</p><ul>{lines}</ul>"
            created = [c for r in res.sheets for c in r.new_chambers]
            self.errors_btn.setVisible(tot["rejected"] > 0 or any(c.fate == imp.KEPT for r in res.sheets
                                                                  for c in r.columns))
            imported, updated = tot["imported"], tot["updated"]
        else:
            self.result = res
            self.ctx.data_changed.emit(tables[self.preview.kind])
            kept = [c.title for c in res.columns if c.fate == imp.KEPT]
            head = (f"<p>导入完成：共 {res.rows} 行</p><ul><li>新增 {res.imported}</li><li>更新 {res.updated}</li>"
                    f"<li>重复未导入 {res.duplicates}</li><li>跳过（表头、合计、签字行、您选择不导入的行）{res.skipped}</li>"
                    f"<li>拒绝 {res.rejected}</li></ul>"
                    + (f"<p>保留为自定义信息的列：{html.escape('、'.join(kept))}（在编辑窗口中可看到，可查找，随台账导出）</p>"
                       if kept else ""))
            created = res.new_chambers
            self.errors_btn.setVisible(res.rejected > 0 or bool(kept))
            imported, updated = res.imported, res.updated
        if created:
            self.ctx.data_changed.emit("chamber")
            head += f"<p>新建商会：{html.escape('、'.join(created))}（类型按名称推断，请在“商会”页核对）</p>"
        self.ctx.status_message.emit(f"已导入 {imported} 条，更新 {updated} 条")
        self.result_label.setText(
            head + (f"<p>导入前已自动备份数据文件：{html.escape(str(saved))}<br>如需撤销这次导入，可在“设置 › 数据文件”中从这份备份恢复。</p>"
                    if saved else "<p>数据保存在数据库服务器上，导入前未自动备份，请用数据库自身的工具备份。</p>"))
        self._show(RESULT)

    def _save_errors(self) -> None:
        workbook = self.kind_value == WORKBOOK and self.workbook_result is not None
        if not workbook and self.preview is None:
            return
        source = Path(self.path.text().strip()) if workbook else Path(self.preview.path)
        default = str(source.with_name(source.stem + "-未通过的行.xlsx"))
        fn, _ = QFileDialog.getSaveFileName(self, "保存未通过的行和各列的去向", default, "Excel 工作簿 (*.xlsx)")
        if not fn:
            return
        try:
            if workbook:
                imp.write_workbook_errors(source, self.workbook_result, fn)
            else:
                imp.write_error_workbook(self.preview, fn, self.result.problems if self.result else None)
        except (ChamberDeskError, OSError) as exc:
            QMessageBox.warning(self, "保存未通过的行", f"没有保存成功：{exc}\n请换一个文件夹或文件名再试（文件若已在 Excel/WPS 中打开，请先关闭）。")
            return
        self.ctx.status_message.emit(f"已保存：{fn}")
