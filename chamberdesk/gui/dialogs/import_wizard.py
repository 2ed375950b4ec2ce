"""导入向导: file and kind → sheet → column mapping the clerk can correct → preview with per-row status and
duplicate choices → commit in one transaction, with the rows that did not pass offered as a workbook."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
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

from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.federation import get_setting
from chamberdesk.gui.workers import run_task
from chamberdesk.io import excel_import as imp
from chamberdesk.io import mappings
from chamberdesk.io.normalize import cell_text

PREVIEW_LIMIT = 3000  # rows shown in the table; the commit covers every row
STATUS_COLOURS = {imp.NEW: "#e8f5e9", imp.DUPLICATE: "#fff8e1", imp.SKIPPED: "#eeeeee", imp.REJECTED: "#ffebee"}


class ImportWizard(QDialog):
    """Steps: 0 choose, 1 sheet, 2 mapping, 3 preview, 4 result."""

    def __init__(self, ctx, parent: QWidget | None = None, *, kind: str = "members") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("导入表格")
        self.resize(980, 640)
        self.sheet = None
        self.header = None
        self.preview: imp.ImportPreview | None = None
        self.result: imp.ImportResult | None = None
        self.task = None

        self.stack = QStackedWidget()
        self.stack.addWidget(self._page_choose(kind))
        self.stack.addWidget(self._page_sheet())
        self.stack.addWidget(self._page_mapping())
        self.stack.addWidget(self._page_preview())
        self.stack.addWidget(self._page_result())
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
        self._show(0)

    # --- pages -----------------------------------------------------------------------------------
    def _page_choose(self, kind: str) -> QWidget:
        w = QWidget()
        form = QFormLayout(w)
        self.kind = QComboBox()
        for k, label in mappings.KIND_LABELS.items():
            self.kind.addItem(label, k)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.path = QLineEdit()
        self.path.setPlaceholderText("选择 .xlsx、.xls 或 .ods 文件")
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow("导入内容：", self.kind)
        form.addRow("表格文件：", row)
        hint = QLabel("支持 Excel、WPS 保存的表格。标题行、填报单位行、两层表头、序号列、合计行都会自动识别；"
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

    def _page_mapping(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.mapping_info = QLabel()
        self.mapping_info.setWordWrap(True)
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels(["表格中的列", "示例", "导入为"])
        self.mapping_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.mapping_table.verticalHeader().setVisible(False)
        lay.addWidget(self.mapping_info)
        lay.addWidget(self.mapping_table, 1)
        return w

    def _page_preview(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        top = QHBoxLayout()
        self.counts_label = QLabel()
        self.only_problems = QCheckBox("只看需要处理的行")
        self.only_problems.toggled.connect(self._fill_preview)
        self.default_choice = QComboBox()
        for c in imp.CHOICES:
            self.default_choice.addItem(imp.CHOICE_LABELS[c], c)
        top.addWidget(self.counts_label, 1)
        top.addWidget(QLabel("重复记录默认："))
        top.addWidget(self.default_choice)
        top.addWidget(self.only_problems)
        self.preview_table = QTableWidget(0, 5)
        self.preview_table.setHorizontalHeaderLabels(["行号", "状态", "内容", "处理", "说明"])
        self.preview_table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.preview_table.verticalHeader().setVisible(False)
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lay.addLayout(top)
        lay.addWidget(self.preview_table, 1)
        return w

    def _page_result(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.errors_btn = QPushButton("保存未通过的行…")
        self.errors_btn.clicked.connect(self._save_errors)
        lay.addWidget(self.result_label)
        lay.addWidget(self.errors_btn, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)
        return w

    # --- navigation ------------------------------------------------------------------------------
    def _show(self, i: int) -> None:
        self.stack.setCurrentIndex(i)
        names = ["1 选择文件", "2 工作表", "3 列对应", "4 预览", "5 完成"]
        self.step_label.setText(" › ".join(f"<b>{n}</b>" if j == i else n for j, n in enumerate(names)))
        self.back_btn.setEnabled(0 < i < 4)
        self.next_btn.setText({3: "导入", 4: "关闭"}.get(i, "下一步"))
        self.cancel_btn.setVisible(i < 4)

    def back(self) -> None:
        self._show(max(0, self.stack.currentIndex() - 1))

    def next(self) -> None:
        i = self.stack.currentIndex()
        try:
            if i == 0:
                self._load_sheets()
            elif i == 1:
                self._read_sheet()
            elif i == 2:
                self._run_preview()
            elif i == 3:
                self._commit()
            else:
                self.accept()
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "导入表格", str(exc))

    def _browse(self) -> None:
        fn, _ = QFileDialog.getOpenFileName(self, "选择表格文件", "", "表格文件 (*.xlsx *.xls *.ods);;所有文件 (*)")
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
        names = sheet_names(p)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(names)
        if len(names) == 1:
            self._read_sheet()
        else:
            self._show(1)

    def _read_sheet(self) -> None:
        path = Path(self.path.text().strip())
        sheet = self.sheet_combo.currentText() or None
        kind = self.kind_value

        def work(progress):
            progress.report(0, 0, "正在读取表格…")
            sh = imp.load_sheet(path, sheet)
            with self.ctx.db.session() as s:
                saved = get_setting(s, imp.mapping_key(kind))
            return sh, imp.guess_header(kind, sh, saved=saved)

        self.task = run_task(self, "读取表格", work, on_done=self._sheet_read, label="正在读取表格…")

    def _sheet_read(self, got) -> None:
        self.sheet, self.header = got
        kind = self.kind_value
        t = self.mapping_table
        t.setRowCount(0)
        fields = [(f.label, f.name) for f in mappings.KINDS[kind]]
        sample_row = next((r for r in self.sheet.rows[self.header.data_start:self.header.data_start + 30]
                           if any(v not in (None, "") for v in r)), [])
        for c, title in enumerate(self.header.titles):
            if not title:
                continue
            r = t.rowCount()
            t.insertRow(r)
            item = QTableWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, c)
            t.setItem(r, 0, item)
            t.setItem(r, 1, QTableWidgetItem(cell_text(sample_row[c]) if c < len(sample_row) else ""))
            combo = QComboBox()
            combo.addItem("（不导入）", mappings.IGNORE)
            for label, name in fields:
                combo.addItem(label, name)
            combo.setCurrentIndex(max(0, combo.findData(self.header.mapping.get(c, mappings.IGNORE))))
            t.setCellWidget(r, 2, combo)
        t.resizeColumnToContents(0)
        need = "、".join(f.label for f in mappings.KINDS[kind] if f.required)
        self.mapping_info.setText(f"表头在第 {self.header.first_row + 1}"
                                  + (f"–{self.header.last_row + 1}" if self.header.last_row != self.header.first_row else "")
                                  + f" 行。请核对每一列导入为哪一项（必须有：{need}）。对应关系会保存，下次自动使用。")
        self._show(2)

    def _mapping_from_table(self) -> None:
        t = self.mapping_table
        self.header.mapping = {}
        for r in range(t.rowCount()):
            c = t.item(r, 0).data(Qt.ItemDataRole.UserRole)
            fld = t.cellWidget(r, 2).currentData()
            if fld != mappings.IGNORE or mappings.match_header(self.kind_value, t.item(r, 0).text()) == mappings.IGNORE:
                self.header.mapping[c] = fld

    def _run_preview(self) -> None:
        self._mapping_from_table()
        missing = imp.missing_required(self.kind_value, self.header)
        if missing:
            raise ChamberDeskError(f"还没有指定这些必需的列：{'、'.join(missing)}。")
        path, kind, sheet, header = Path(self.path.text().strip()), self.kind_value, self.sheet, self.header

        def work(progress):
            progress.report(0, 0, "正在逐行检查…")
            return imp.preview_import(self.ctx.db, path, kind, loaded=sheet, header=header)

        self.task = run_task(self, "检查表格", work, on_done=self._previewed, label="正在逐行检查…")

    def _previewed(self, pv: imp.ImportPreview) -> None:
        self.preview = pv
        c = pv.counts()
        self.counts_label.setText(
            f"共 {len(pv.outcomes)} 行：新增 {c[imp.NEW]}，重复 {c[imp.DUPLICATE]}，跳过 {c[imp.SKIPPED]}，"
            f"拒绝 {c[imp.REJECTED]}。确认无误后点“导入”，全部在一次操作中写入。")
        self._fill_preview()
        self._show(3)

    def _fill_preview(self) -> None:
        pv = self.preview
        if pv is None:
            return
        t = self.preview_table
        t.setRowCount(0)
        rows = [o for o in pv.outcomes if not self.only_problems.isChecked() or o.status != imp.NEW or o.problems]
        name_field = mappings.KINDS[pv.kind][0].name
        name_cols = [c for c, f in pv.header.mapping.items() if f == name_field]
        t.setRowCount(min(len(rows), PREVIEW_LIMIT))
        for r, o in enumerate(rows[:PREVIEW_LIMIT]):
            colour = QBrush(QColor(STATUS_COLOURS[o.status]))
            what = cell_text(o.raw[name_cols[0]]) if name_cols and name_cols[0] < len(o.raw) else ""
            items = [str(o.sheet_row), imp.STATUS_LABELS[o.status], what, "",
                     o.dup_reason or o.reason]
            for col, text in enumerate(items):
                it = QTableWidgetItem(text)
                it.setBackground(colour)
                t.setItem(r, col, it)
            if o.status == imp.DUPLICATE:
                combo = QComboBox()
                combo.addItem("按默认", None)
                for ch in imp.CHOICES:
                    if ch != "keep" or o.keep_allowed:
                        combo.addItem(imp.CHOICE_LABELS[ch], ch)
                combo.setCurrentIndex(max(0, combo.findData(o.choice)))
                combo.currentIndexChanged.connect(lambda _i, o=o, cb=combo: setattr(o, "choice", cb.currentData()))
                t.setCellWidget(r, 3, combo)
        t.resizeColumnsToContents()

    def _commit(self) -> None:
        pv = self.preview
        default = self.default_choice.currentData()

        def work(progress):
            progress.report(0, 0, "正在写入…")
            return imp.commit_import(self.ctx.db, pv, on_duplicate=default)

        self.task = run_task(self, "导入", work, on_done=self._committed, label="正在写入…", cancellable=False)

    def _committed(self, res: imp.ImportResult) -> None:
        self.result = res
        table = {"members": "member", "chambers": "chamber", "meetings": "meeting", "activities": "activity",
                 "contacts": "contact"}[self.preview.kind]
        self.ctx.data_changed.emit(table)
        self.ctx.status_message.emit(f"已导入 {res.imported} 条，更新 {res.updated} 条")
        self.result_label.setText(
            f"<p>导入完成：共 {res.rows} 行</p><ul><li>新增 {res.imported}</li><li>更新 {res.updated}</li>"
            f"<li>重复未导入 {res.duplicates}</li><li>跳过（表头、合计、签字行）{res.skipped}</li>"
            f"<li>拒绝 {res.rejected}</li></ul>")
        self.errors_btn.setVisible(res.rejected > 0)
        self._show(4)

    def _save_errors(self) -> None:
        if self.preview is None:
            return
        default = str(Path(self.preview.path).with_name(Path(self.preview.path).stem + "-未通过的行.xlsx"))
        fn, _ = QFileDialog.getSaveFileName(self, "保存未通过的行", default, "Excel 工作簿 (*.xlsx)")
        if fn:
            imp.write_error_workbook(self.preview, fn, self.result.problems if self.result else None)
            self.ctx.status_message.emit(f"已保存：{fn}")
