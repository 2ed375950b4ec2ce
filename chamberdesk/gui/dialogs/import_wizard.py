"""导入向导: file and kind → sheet → column mapping the clerk can correct → preview with per-row status and
duplicate choices → commit in one transaction, with the rows that did not pass offered as a workbook."""

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

from chamberdesk.core import backup
from chamberdesk.core import choices as ch
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.federation import get_setting
from chamberdesk.gui.workers import run_task
from chamberdesk.io import excel_import as imp
from chamberdesk.io import mappings
from chamberdesk.io.normalize import cell_text

PREVIEW_LIMIT = 3000  # rows shown in the table; the commit covers every row
STATUS_COLOURS = {imp.NEW: "#e8f5e9", imp.DUPLICATE: "#fff8e1", imp.SKIPPED: "#eeeeee", imp.REJECTED: "#ffebee"}
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
REASON_MIN = 340  # the 说明 column's width before the value columns give way


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
    """Steps: 0 choose, 1 sheet, 2 mapping, 3 preview, 4 result."""

    def __init__(self, ctx, parent: QWidget | None = None, *, kind: str = "members") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("导入表格")
        self.resize(1180, 660)  # fits a 1366×768 screen with room for the preview's columns
        self.sheet = None
        self.header = None
        self.preview: imp.ImportPreview | None = None
        self.result: imp.ImportResult | None = None
        self.backup_path: Path | None = None
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
        self.mapping_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
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
        self.preview_table = QTableWidget(0, 4)
        self.preview_table.setWordWrap(True)
        self.preview_table.verticalHeader().setVisible(False)
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._rewrap = QTimer(self)  # the 说明 column rewraps when the wizard or a column is resized
        self._rewrap.setSingleShot(True)
        self._rewrap.setInterval(50)
        self._rewrap.timeout.connect(self._fit_rows)
        self.preview_table.horizontalHeader().sectionResized.connect(lambda *_a: self._rewrap.start())
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
            try:
                return sh, imp.guess_header(kind, sh, saved=saved), False
            except ChamberDeskError:
                # No recognised title row (another kind of sheet, or unusual titles): here, unlike the
                # command line, the clerk can assign the columns by hand on the next page.
                guess = manual_header(sh)
                with contextlib.suppress(ChamberDeskError):
                    imp.apply_mapping(kind, guess, saved)
                return sh, guess, True

        self.task = run_task(self, "读取表格", work, on_done=self._sheet_read, label="正在读取表格…")

    def _sheet_read(self, got) -> None:
        self.sheet, self.header, manual = got
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
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.addItem("（不导入）", mappings.IGNORE)
            for label, name in fields:
                combo.addItem(label, name)
            combo.setCurrentIndex(max(0, combo.findData(self.header.mapping.get(c, mappings.IGNORE))))
            t.setCellWidget(r, 2, combo)
        t.resizeColumnToContents(0)
        # "统一社会信用代码" must show whole: the column is as wide as its widest choice list.
        widest = max((t.cellWidget(r, 2).sizeHint().width() for r in range(t.rowCount())), default=0)
        t.setColumnWidth(2, max(widest + 8, 160))
        need = "、".join(f.label for f in mappings.KINDS[kind] if f.required)
        rows = f"第 {self.header.first_row + 1}" + (
            f"–{self.header.last_row + 1}" if self.header.last_row != self.header.first_row else "") + " 行"
        if manual:
            first = mappings.KINDS[kind][0].label
            self.mapping_info.setText(
                f"<b>没有认出这张表的表头</b>（{mappings.KIND_LABELS[kind]}表应有“{first}”等列名），"
                f"可能选错了导入内容或工作表——可点“上一步”重新选择。<br>如果确实要导入这张表，已把{rows}当作表头："
                f"请在“导入为”一栏逐列指定（必须有：{need}），不需要的列保持“（不导入）”。对应关系会保存，下次自动使用。")
        else:
            self.mapping_info.setText(f"表头在{rows}。请核对每一列导入为哪一项（必须有：{need}）。"
                                      "对应关系会保存，下次自动使用。")
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
            raise ChamberDeskError(f"还没有指定这些必需的列：{'、'.join(missing)}。请在“导入为”一栏为它们选择对应的列。")
        path, kind, sheet, header = Path(self.path.text().strip()), self.kind_value, self.sheet, self.header

        def work(progress):
            progress.report(0, 0, "正在逐行检查…")
            return imp.preview_import(self.ctx.db, path, kind, loaded=sheet, header=header)

        self.task = run_task(self, "检查表格", work, on_done=self._previewed, label="正在逐行检查…")

    def _previewed(self, pv: imp.ImportPreview) -> None:
        self.preview = pv
        from chamberdesk.core.chambers import list_chambers

        with self.ctx.db.session() as s:
            self._chamber_names = {c.id: c.name for c in list_chambers(s)}
        c = pv.counts()
        self.counts_label.setText(
            f"共 {len(pv.outcomes)} 行：新增 {c[imp.NEW]}，重复 {c[imp.DUPLICATE]}，跳过 {c[imp.SKIPPED]}，"
            f"拒绝 {c[imp.REJECTED]}。确认无误后点“导入”，全部在一次操作中写入。")
        self._fill_preview()
        self._show(3)

    def preview_columns(self) -> list[tuple[str, str]]:
        """(field, column title) of the understood values shown for each row."""
        pv = self.preview
        labels = mappings.labels(pv.kind)
        mapped = set(pv.header.mapping.values())
        return [(f, labels.get(f, f)) for f in KEY_FIELDS.get(pv.kind, []) if f in mapped]

    def shown_value(self, o: imp.RowOutcome, fld: str) -> str:
        """The value as it will be stored (normalised, codes as their Chinese labels); the cell as typed
        when the row could not be read."""
        kind = self.preview.kind
        data = o.data or {}
        if fld == "chamber" and o.data is not None:
            names = getattr(self, "_chamber_names", {})
            ids = [cid for cid, _pos in o.extra.get("seats", [])] if "seats" in o.extra else None
            if ids is None and "chamber_id" in data:
                ids = [data["chamber_id"]]
            if ids is not None:
                return "、".join(names.get(i, "本级工商联") if i else "本级工商联" for i in ids)
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
        if pv is None:
            return
        t = self.preview_table
        t.setRowCount(0)
        key = self.preview_columns()
        heads = FIXED_COLS + [title for _f, title in key] + ["说明"]
        t.setColumnCount(len(heads))
        t.setHorizontalHeaderLabels(heads)
        rows = [o for o in pv.outcomes if not self.only_problems.isChecked() or o.status != imp.NEW or o.problems]
        t.setRowCount(min(len(rows), PREVIEW_LIMIT))
        for r, o in enumerate(rows[:PREVIEW_LIMIT]):
            colour = QBrush(QColor(STATUS_COLOURS[o.status]))
            reason = "；".join(x for x in (o.dup_reason, o.reason) if x)
            items = [str(o.sheet_row), imp.STATUS_LABELS[o.status], ""] + \
                [self.shown_value(o, f) for f, _t in key] + [reason]
            for col, text in enumerate(items):
                it = QTableWidgetItem(text)
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

    def _commit(self) -> None:
        pv = self.preview
        default = self.default_choice.currentData()

        db = self.ctx.db

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
            return imp.commit_import(db, pv, on_duplicate=default), saved

        self.task = run_task(self, "导入", work, on_done=self._committed, label="正在写入…", cancellable=False)

    def _committed(self, got) -> None:
        res, saved = got
        self.result = res
        self.backup_path = saved
        table = {"members": "member", "chambers": "chamber", "meetings": "meeting", "activities": "activity",
                 "contacts": "contact"}[self.preview.kind]
        self.ctx.data_changed.emit(table)
        self.ctx.status_message.emit(f"已导入 {res.imported} 条，更新 {res.updated} 条")
        self.result_label.setText(
            f"<p>导入完成：共 {res.rows} 行</p><ul><li>新增 {res.imported}</li><li>更新 {res.updated}</li>"
            f"<li>重复未导入 {res.duplicates}</li><li>跳过（表头、合计、签字行）{res.skipped}</li>"
            f"<li>拒绝 {res.rejected}</li></ul>"
            + (f"<p>导入前已自动备份数据文件：{html.escape(str(saved))}<br>如需撤销这次导入，可在“设置 › 数据文件”中从这份备份恢复。</p>"
               if saved else "<p>数据保存在数据库服务器上，导入前未自动备份，请用数据库自身的工具备份。</p>"))
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
