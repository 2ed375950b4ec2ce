"""打印 tab of 报表与导出: choose a form, rubric, year and chambers; preview, print or save as PDF."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.periods import report_year_range
from chamberdesk.gui.widgets.files import ask_folder, ask_save_path, notify_saved, year_name
from chamberdesk.gui.widgets.roles import guard_unmasked
from chamberdesk.io.pdf.jobs import FORMS, PER_CHAMBER, PrintRequest, safe_filename

FORM_HINTS = {
    "assessment": "按考评标准逐项列出得分、一票否决、综合得分与等次，供考评人、审核人签字并盖章。",
    "selfcheck": "商会年终自查用：可按台账数据预先填好，也可打印空白表手工填写。",
    "ledger": "会员台账（A4 横向），按“会员台账”页面的筛选条件打印。",
    "roster": "所选商会的在册会员名册，负责人在前。",
    "minutes": "所选商会本年度每次会议一页纪要单。",
    "chamber-year": "所选商会本年度基本情况、会员、会议与活动汇总。",
    "activities": "本年度活动记录表（全部单位或所选商会）；按季度、类别筛选请在“活动与走访”页面按 Ctrl+P 打印。",
    "binder": "迎检用台账资料汇编：封面、目录、基本情况、12月31日会员名册、会议与活动（附照片和扫描件）、走访、"
              "考评自查表和凭证索引，带页码和书签。全部商会时可每个商会单独一个文件。",
    "ballots": "商会会长述职会议用的民主评议票，每位评议人一张，列出全部被评议商会和计票办法。",
}


class PrintPanel(QWidget):
    """Self-contained: the 报表与导出 page adds it as a tab. Work runs off the GUI thread."""

    finished = Signal(list)  # the files written (for tests and the status bar)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.member_filter = None  # the 会员台账 page may hand over its current filter
        self.last_task = None
        # ignore_cleanup_errors: a preview still open at exit holds its PDF, which Windows will not
        # delete then; the file stays in the temp folder instead of an error at exit.
        self._tmpdir = tempfile.TemporaryDirectory(prefix="chamberdesk-print-", ignore_cleanup_errors=True)

        self.form = QComboBox()
        for key, label in FORMS.items():
            self.form.addItem(label, key)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.rubric = QComboBox()
        self.year = QSpinBox()
        self.year.setRange(*report_year_range(self.ctx.db))  # the years on record, up to this one
        self.year.setValue(date.today().year - (1 if date.today().month < 4 else 0))
        self.year.setSuffix(" 年")
        self.all_radio = QRadioButton("全部商会")
        self.one_radio = QRadioButton("指定商会：")
        # Federation standards (县级五好, 五个确保) assess the federation itself, never a chamber.
        self.fed_radio = QRadioButton("本级工商联")
        self.fed_radio.setVisible(False)
        self._rubric_targets: dict[str, str] = {}
        self.all_radio.setChecked(True)
        grp = QButtonGroup(self)
        grp.addButton(self.all_radio)
        grp.addButton(self.one_radio)
        grp.addButton(self.fed_radio)
        self.chamber = QComboBox()
        self.chamber.setMinimumWidth(220)
        who = QHBoxLayout()
        who.addWidget(self.fed_radio)
        who.addWidget(self.all_radio)
        who.addWidget(self.one_radio)
        who.addWidget(self.chamber, 1)
        self.per_file = QCheckBox("每个商会单独生成一个 PDF 文件（另存时选择文件夹）")
        self.blank = QCheckBox("空白表（不预填台账数据）")
        self.unmasked = QCheckBox("显示完整身份证号和电话（将记入审计日志）")
        self.filter_label = QLabel()
        self.filter_label.setWordWrap(True)
        self.clear_filter_btn = QPushButton("打印全部在册会员")
        self.clear_filter_btn.setToolTip("不用会员台账页面的筛选条件")
        self.clear_filter_btn.clicked.connect(lambda: self.set_member_filter(None))
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter_label, 1)
        filter_row.addWidget(self.clear_filter_btn)

        form = QFormLayout()
        form.addRow("表格：", self.form)
        form.addRow("", self.hint)
        form.addRow("考评标准：", self.rubric)
        form.addRow("年度：", self.year)
        form.addRow("打印范围：", who)
        form.addRow("台账筛选：", filter_row)
        self.filter_row_label = form.labelForField(filter_row)
        form.addRow("", self.per_file)
        form.addRow("", self.blank)
        form.addRow("", self.unmasked)

        self.preview_btn = QPushButton("预览…")
        self.print_btn = QPushButton("打印…")
        self.save_btn = QPushButton("另存为 PDF…")
        self.preview_btn.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.preview_btn, self.print_btn, self.save_btn):
            buttons.addWidget(b)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(buttons)
        lay.addWidget(self.status)
        lay.addStretch(1)

        self.form.currentIndexChanged.connect(self._sync)
        self.one_radio.toggled.connect(self._sync)
        self.rubric.currentIndexChanged.connect(self._sync)
        self.preview_btn.clicked.connect(lambda: self.start("preview"))
        self.print_btn.clicked.connect(lambda: self.start("print"))
        self.save_btn.clicked.connect(lambda: self.start("save"))
        self.refresh()

    # --- state -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        from chamberdesk.core.chambers import list_chambers

        keep = self.chamber.currentData()
        self.chamber.clear()
        with self.ctx.db.session() as s:
            for ch in list_chambers(s, include_dissolved=False):
                self.chamber.addItem(ch.name, ch.id)
        if keep is not None and self.chamber.findData(keep) >= 0:
            self.chamber.setCurrentIndex(self.chamber.findData(keep))
        keep_r = self.rubric.currentData()
        self.rubric.clear()
        from chamberdesk import rules

        try:
            for r in rules.list_rubrics():
                self.rubric.addItem(f"{r.title}（{r.version}）", r.id)
                self._rubric_targets[r.id] = r.target
        except ChamberDeskError as exc:  # a broken office rubric must not stop ledgers printing: say why
            self.status.setText(f"考评细则未能载入：{exc}")
        if keep_r is not None and self.rubric.findData(keep_r) >= 0:
            self.rubric.setCurrentIndex(self.rubric.findData(keep_r))
        self._sync()

    def set_form(self, key: str) -> None:
        self.form.setCurrentIndex(self.form.findData(key))

    def set_member_filter(self, flt) -> None:
        """The 会员台账 page's filter (a MemberFilter), so the printed ledger has exactly its rows; None = 全部在册."""
        self.member_filter = flt
        self._show_filter()

    def _show_filter(self) -> None:
        from chamberdesk.core.members import MemberFilter
        from chamberdesk.io.pdf.ledger import describe_filter

        with self.ctx.db.session() as s:
            text = describe_filter(s, self.member_filter or MemberFilter())
        if self.member_filter is None:
            self.filter_label.setText(f"打印范围：全部{text}")
        else:
            self.filter_label.setText(f"打印范围：{text}（会员台账页面的当前筛选）")
        self.clear_filter_btn.setVisible(self.member_filter is not None)

    def for_federation(self) -> bool:
        """An assessment or self-check under a federation standard: the scope is 本级工商联."""
        return (self.form.currentData() in ("assessment", "selfcheck")
                and self._rubric_targets.get(self.rubric.currentData() or "") == "federation")

    def select_chamber(self, chamber_id: int | None) -> None:
        if chamber_id is None:
            self.all_radio.setChecked(True)
        else:
            self.one_radio.setChecked(True)
            self.chamber.setCurrentIndex(self.chamber.findData(chamber_id))

    def _sync(self) -> None:
        key = self.form.currentData()
        self.hint.setText(FORM_HINTS.get(key, ""))
        rubric_form = key in ("assessment", "selfcheck")
        self.rubric.setEnabled(rubric_form)
        self.year.setEnabled(key != "ledger" and key != "roster")
        fed = self.for_federation()
        self.fed_radio.setVisible(fed)
        for w in (self.all_radio, self.one_radio, self.chamber, self.per_file):
            w.setVisible(not fed)
        if fed:
            self.fed_radio.setChecked(True)
        elif self.fed_radio.isChecked():
            self.all_radio.setChecked(True)
        per_chamber = key != "ledger" and not fed
        for w in (self.all_radio, self.one_radio):
            w.setEnabled(per_chamber)
        self.chamber.setEnabled(per_chamber and self.one_radio.isChecked())
        self.per_file.setEnabled(per_chamber and key in PER_CHAMBER and self.all_radio.isChecked())
        self.blank.setEnabled(key == "selfcheck")
        for w in (self.filter_label, self.filter_row_label):
            w.setVisible(key == "ledger")
        self.clear_filter_btn.setVisible(key == "ledger" and self.member_filter is not None)
        if key == "ledger":
            self._show_filter()
        guard_unmasked(self.ctx.db, self.unmasked, enabled=key in ("ledger", "roster"))

    def request(self) -> PrintRequest:
        key = self.form.currentData()
        targets = None
        fed = self.for_federation()
        if key != "ledger" and not fed and self.one_radio.isChecked():
            if self.chamber.currentData() is None:
                raise ValueError("请选择商会")
            targets = [self.chamber.currentData()]
        if key in ("assessment", "selfcheck") and not self.rubric.currentData():
            raise ValueError("没有可用的考评标准")
        # the binder and the ballots choose their rubric themselves (the year's assessments, the 民主评议 rubric)
        rubric_id = self.rubric.currentData() if self.rubric.isEnabled() else None
        return PrintRequest(form=key, year=self.year.value(), rubric_id=rubric_id, targets=targets,
                            federation=fed,
                            member_filter=self.member_filter, unmasked=self.unmasked.isEnabled() and self.unmasked.isChecked(),
                            blank=self.blank.isEnabled() and self.blank.isChecked(),
                            per_file=self.per_file.isEnabled() and self.per_file.isChecked())

    def suggested_name(self, req: PrintRequest) -> str:
        label = FORMS[req.form]
        if req.federation:
            label = f"本级工商联{label}"
        elif req.targets:
            label = f"{self.chamber.currentText()}{label}"
        if req.form not in ("ledger", "roster"):
            label = year_name(req.year, f"年度{label}")
        return safe_filename(label) + ".pdf"

    # --- actions -----------------------------------------------------------------------------------

    def start(self, action: str, out: Path | None = None) -> None:
        """preview | print | save. `out` skips the file dialog (tests, callers that know the place)."""
        try:
            req = self.request()
        except ValueError as exc:
            QMessageBox.warning(self, "打印", str(exc))
            return
        if action != "save":
            req.per_file = False
            out = Path(self._tmpdir.name) / self.suggested_name(req)
        elif out is None:
            if req.per_file:
                out = ask_folder(self, "选择保存的文件夹")
            else:
                out = ask_save_path(self, "另存为 PDF", self.suggested_name(req), "PDF 文件 (*.pdf)", ".pdf")
            if out is None:
                return
        self._launch(req, out, action)

    def _launch(self, req: PrintRequest, out: Path, action: str) -> None:
        def done(files: list[Path]) -> None:
            self.status.setText(f"已生成 {len(files)} 个文件" if len(files) > 1 else f"已生成：{files[0]}")
            if req.unmasked:
                self.ctx.data_changed.emit("audit_log")
            self.finished.emit(files)
            if action == "save":
                self.ctx.status_message.emit(f"已保存：{out}")
                many = f"共 {len(files)} 个文件。" if len(files) > 1 else ""
                self.notice = notify_saved(self, "已保存", out if len(files) > 1 else files[0], many)
            elif action == "preview":
                self.open_preview(files[0], req)
            elif action == "print" and self.print_file(files[0]):
                note_printed(self.ctx, req)

        if action in ("preview", "print"):
            req.extra["preview"] = True  # recorded as printed once it reaches the printer or a saved file
        self.last_task = generate(self, self.ctx, req, out, on_done=done,
                                  on_cancel=lambda: self.status.setText("已取消"))

    def open_preview(self, path: Path, req: PrintRequest) -> None:
        self.preview = show_preview(self, path, f"打印预览 — {FORMS[req.form]}", self.suggested_name(req),
                                    on_output=lambda: note_printed(self.ctx, req))

    def print_file(self, path: Path) -> bool:
        """Print through the print dialog; True once sent to the printer."""
        from chamberdesk.gui.dialogs.print_preview import SENT_TO_PRINTER, PdfPages, print_pdf

        try:
            pages = PdfPages(path)
        except RuntimeError as exc:
            QMessageBox.warning(self, "打印", str(exc))
            return False
        try:
            if print_pdf(pages, self, path.stem):
                self.status.setText(SENT_TO_PRINTER)
                return True
            return False
        finally:
            pages.close()


# --- printing from the record pages ----------------------------------------------------------------
# 会员台账, 商会, 会议 and 活动与走访 hand a PrintRequest here on Ctrl+P: the PDF is written off the GUI
# thread and opens in the preview, where the clerk prints it or saves it.

_scratch: tempfile.TemporaryDirectory | None = None


def _scratch_dir() -> Path:
    global _scratch
    if _scratch is None:
        _scratch = tempfile.TemporaryDirectory(prefix="chamberdesk-print-", ignore_cleanup_errors=True)  # as above
    return Path(_scratch.name)


def generate(parent: QWidget, ctx, req: PrintRequest, out: Path, *, on_done, on_cancel=None):
    """Write the request's PDF(s) to `out` on a worker thread with progress and 取消; returns the Task."""
    from chamberdesk.gui.workers import Cancelled, run_task
    from chamberdesk.io.pdf import jobs
    from chamberdesk.io.pdf.layout import Cancelled as BuildCancelled

    db = ctx.db

    def work(progress):
        class _Flag:
            def is_set(self) -> bool:
                return progress.cancelled

        try:
            return jobs.run(db, req, out, progress=lambda d, t, w: progress.report(d, t, w), cancel=_Flag())
        except BuildCancelled as exc:
            raise Cancelled() from exc

    return run_task(parent, f"生成{FORMS[req.form]}", work, on_done=on_done, on_cancel=on_cancel,
                    label=f"正在生成{FORMS[req.form]}…")


def note_printed(ctx, req: PrintRequest) -> None:
    """The previewed form was printed or saved: a 自查表/考评表 marks the year-end step done (jobs.note_printed)."""
    from chamberdesk.io.pdf import jobs

    try:
        if jobs.note_printed(ctx.db, req):
            ctx.data_changed.emit("chamber_year_end")
    except ChamberDeskError as exc:  # the paper is out either way: say why the date was not kept
        ctx.status_message.emit(f"未能记录自查表打印日期：{exc}")


def show_preview(parent: QWidget, path: Path, title: str, suggested_name: str, on_output=None):
    """Open the print preview of `path` (non-modal to the code, window-modal to the clerk); None if it cannot.
    `on_output` is called each time the clerk prints it or saves it as PDF."""
    from chamberdesk.gui.dialogs.print_preview import PrintPreviewDialog

    try:
        dlg = PrintPreviewDialog(path, title, parent, suggested_name=suggested_name, on_output=on_output)
    except RuntimeError as exc:
        QMessageBox.warning(parent, "打印预览", str(exc))
        return None
    dlg.open()
    return dlg


def preview_form(parent: QWidget, ctx, req: PrintRequest, name: str):
    """Generate `req` and show it in the print preview; the dialog is kept as `parent.preview`.

    `name` (without .pdf) is the file name offered by 另存为 PDF and the preview's title.
    """
    stem = safe_filename(name)
    out = Path(tempfile.mkdtemp(dir=_scratch_dir())) / f"{stem}.pdf"
    parent.preview = None
    req.extra["preview"] = True

    def done(files: list[Path]) -> None:
        parent.preview = show_preview(parent, files[0], f"打印预览 — {name}", f"{stem}.pdf",
                                      on_output=lambda: note_printed(ctx, req))

    parent.print_task = generate(parent, ctx, req, out, on_done=done)
    return parent.print_task


def preview_ledger(parent: QWidget, ctx, flt):
    """会员台账 as the ledger page shows it: the rows of `flt` (a MemberFilter) in its order, the filter
    named in the heading."""
    return preview_form(parent, ctx, PrintRequest(form="ledger", member_filter=flt), "会员台账")
