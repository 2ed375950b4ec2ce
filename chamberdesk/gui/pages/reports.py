"""报表与导出: import sheets through the wizard, export ledgers and the upward workbooks, build and
consolidate upward data packages, and (when present) the 打印 panel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core.chambers import list_chambers
from chamberdesk.core.choices import ChamberKind, label_of
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.periods import report_year_range
from chamberdesk.gui.pages.print_panel import PrintPanel
from chamberdesk.gui.widgets.files import ask_save_path, notify_saved, year_name
from chamberdesk.gui.widgets.roles import guard_edit, guard_unmasked
from chamberdesk.gui.workers import run_task
from chamberdesk.io import mappings
from chamberdesk.io.pdf.jobs import safe_filename

EXPORTS = [  # key, label, needs year, uses chamber, personal data
    ("members", "会员台账（全部在册会员）", False, False, True),
    ("roster", "商会会员名册", False, True, True),
    ("chambers", "商会名录", False, False, False),
    ("meetings", "会议记录", True, True, False),
    ("activities", "活动记录", True, True, False),
    ("yearly-stats", "年度基层商会工作情况统计表", True, False, False),
    ("work-summary", "工作基本情况资料（17项）", True, False, False),
]


class Page(QWidget):
    TITLE = "报表与导出"
    ICON = "reports.svg"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task = None
        self.consolidation = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self._import_tab(), "导入")
        self.tabs.addTab(self._export_tab(), "导出")
        self._package_tab_index = self.tabs.addTab(self._package_tab(), "上报数据包")
        self.print_panel = PrintPanel(ctx)
        self.tabs.addTab(self.print_panel, "打印")
        title = QLabel(self.TITLE)
        title.setObjectName("pageTitle")
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(self.tabs)
        self.refresh()

    # --- 导入 ------------------------------------------------------------------------------------
    def _import_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        intro = QLabel("把办公室已有的 Excel / WPS 台账导入本程序。向导会识别表头、逐行检查并标出重复和有问题的行，"
                       "确认后一次写入；未通过的行可另存为工作簿，改好后再导入。建议先导入商会，再导入会员、会议、活动和走访记录。")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        grid = QHBoxLayout()
        self.import_buttons = []
        for kind, label in mappings.KIND_LABELS.items():
            b = QPushButton(f"导入{label}…")
            b.setObjectName(f"import_{kind}")
            b.clicked.connect(lambda _c=False, k=kind: self.open_wizard(k))
            grid.addWidget(b)
            self.import_buttons.append(b)
        guard_edit(self.ctx.db, *self.import_buttons)  # an import writes: not for 只读
        grid.addStretch(1)
        lay.addLayout(grid)
        lay.addStretch(1)
        return w

    def open_wizard(self, kind: str = "members"):
        from chamberdesk.gui.dialogs.import_wizard import ImportWizard

        wiz = ImportWizard(self.ctx, self, kind=kind)
        wiz.open()
        return wiz

    # --- 导出 ------------------------------------------------------------------------------------
    def _export_tab(self) -> QWidget:
        w = QWidget()
        outer = QVBoxLayout(w)
        box = QGroupBox("导出为 Excel 工作簿")
        form = QFormLayout(box)
        self.export_kind = QComboBox()
        for key, label, *_ in EXPORTS:
            self.export_kind.addItem(label, key)
        self.export_kind.currentIndexChanged.connect(self._export_kind_changed)
        self.year = QSpinBox()
        self.year.setRange(*report_year_range(self.ctx.db))  # the years on record, up to this one
        self.year.setValue(date.today().year)
        self.year.setSuffix(" 年")
        self.chamber = QComboBox()
        self.unmasked = QCheckBox("包含完整身份证号和电话（将记入审计日志）")
        form.addRow("导出内容：", self.export_kind)
        form.addRow("年度：", self.year)
        form.addRow("商会：", self.chamber)
        form.addRow("", self.unmasked)
        self.export_btn = QPushButton("导出…")
        self.export_btn.clicked.connect(self.export)
        form.addRow("", self.export_btn)
        note = QLabel("工作簿按办公室常用的报表样式排版：标题、填报单位和日期、冻结表头、边框，A4 横向打印时每页重复表头。"
                      "默认隐去身份证号和电话的中间几位。")
        note.setWordWrap(True)
        outer.addWidget(box)
        outer.addWidget(note)
        outer.addStretch(1)
        self._export_kind_changed()
        return w

    def _export_kind_changed(self) -> None:
        key, _label, needs_year, uses_chamber, personal = EXPORTS[self.export_kind.currentIndex()]
        self.year.setEnabled(needs_year)
        self.chamber.setEnabled(uses_chamber)
        guard_unmasked(self.ctx.db, self.unmasked, enabled=personal)
        if self.chamber.count():
            self.chamber.setItemText(0, "（请选择商会）" if key == "roster" else "全部")

    def export(self) -> None:
        key, label, needs_year, uses_chamber, personal = EXPORTS[self.export_kind.currentIndex()]
        year = self.year.value() if needs_year else None
        chamber = self.chamber.currentData() if uses_chamber else None
        if key == "roster" and not chamber:
            self.ctx.status_message.emit("请先选择商会")
            return
        suggested = safe_filename(f"{chamber or ''}{year_name(year, label.split('（')[0])}") + ".xlsx"
        fn = ask_save_path(self, "导出", suggested, "Excel 工作簿 (*.xlsx)", ".xlsx")
        if fn:
            self.run_export(key, str(fn), year=year, chamber=chamber, unmasked=personal and self.unmasked.isChecked())

    def run_export(self, key: str, out: str, *, year: int | None = None, chamber: str | None = None,
                   unmasked: bool = False):
        from chamberdesk.io import excel_export as ex

        db = self.ctx.db

        def work(progress):
            progress.report(0, 0, "正在导出…")
            if key == "members":
                return ex.export_members(db, out, unmasked=unmasked,
                                         progress=lambda d, t: progress.report(d, t, f"已写出 {d} 行"))
            if key == "roster":
                return ex.export_roster(db, out, chamber, unmasked=unmasked)
            if key == "chambers":
                return ex.export_chambers(db, out)
            if key == "meetings":
                return ex.export_meetings(db, out, year=year, chamber=chamber)
            if key == "activities":
                return ex.export_activities(db, out, year=year, chamber=chamber)
            if key == "yearly-stats":
                return ex.export_yearly_stats(db, out, year).rows
            if key == "work-summary":
                return ex.export_work_summary(db, out, year)
            raise ChamberDeskError("未知的导出内容")

        def done(n) -> None:
            self.ctx.status_message.emit(f"已导出 {n} 行：{Path(out).name}")
            self.notice = notify_saved(self, "导出完成", Path(out), f"共导出 {n} 行。")

        self.task = run_task(self, "导出", work, label="正在导出…", on_done=done)
        return self.task

    # --- 上报数据包 ----------------------------------------------------------------------------------
    def _package_tab(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        up = QGroupBox("向上级报送")
        f = QFormLayout(up)
        self.pkg_year = QSpinBox()
        self.pkg_year.setRange(*report_year_range(self.ctx.db))  # the years on record, up to this one
        self.pkg_year.setValue(date.today().year)
        self.pkg_year.setSuffix(" 年")
        b = QPushButton("生成上报数据包…")
        b.clicked.connect(self._build_package)
        f.addRow("年度：", self.pkg_year)
        f.addRow("", b)
        f.addRow(QLabel("数据包（.zip）内含统计表、工作基本情况资料、会员台账（已隐去个人信息）、数据文件和校验清单。"))
        down = QGroupBox("汇总下级数据包（只读）")
        v = QVBoxLayout(down)
        row = QHBoxLayout()
        load = QPushButton("选择数据包…")
        load.clicked.connect(self._load_packages)
        self.cons_export = QPushButton("导出汇总表…")
        self.cons_export.setEnabled(False)
        self.cons_export.clicked.connect(self._export_consolidation)
        row.addWidget(load)
        row.addWidget(self.cons_export)
        row.addStretch(1)
        self.cons_table = QTableWidget(0, 7)
        self.cons_table.setHorizontalHeaderLabels(["单位", "在册会员", "本年新发展", "商会数", "商会会议", "商会活动", "走访覆盖率"])
        self.cons_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.cons_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        v.addLayout(row)
        v.addWidget(self.cons_table)
        lay.addWidget(up)
        lay.addWidget(down, 1)
        return w

    def _build_package(self) -> None:
        year = self.pkg_year.value()
        fn = ask_save_path(self, "生成上报数据包", year_name(year, "上报数据包.zip"), "数据包 (*.zip)", ".zip")
        if not fn:
            return
        self.build_package(year, fn)

    def build_package(self, year: int, fn: Path):
        from chamberdesk.io.package import build_package

        def done(_m) -> None:
            self.ctx.status_message.emit(f"已生成上报数据包：{fn.name}")
            self.notice = notify_saved(self, "上报数据包已生成", fn, "可将此文件拷贝或发送给上级工商联。")

        self.task = run_task(self, "生成上报数据包", lambda p: build_package(self.ctx.db, year, str(fn)), on_done=done)
        return self.task

    def _load_packages(self) -> None:
        fns, _ = QFileDialog.getOpenFileNames(self, "选择下级上报数据包", "", "数据包 (*.zip)")
        if fns:
            self.load_packages([Path(f) for f in fns])

    def load_packages(self, paths: list[Path]):
        from chamberdesk.io.package import consolidate

        self.task = run_task(self, "汇总数据包", lambda p: consolidate(paths), on_done=self._show_consolidation)
        return self.task

    def _show_consolidation(self, c) -> None:
        self.consolidation = c
        t = self.cons_table
        t.setRowCount(len(c.counties))
        for r, ct in enumerate(c.counties):
            cov = f"{ct.visited / ct.coverage_members:.1%}" if ct.coverage_members else ""
            kinds = "、".join(f"{label_of(ChamberKind, k)}{n}" for k, n in ct.chambers_by_kind.items())
            vals = [ct.name, ct.members, ct.new_members, f"{ct.chambers}（{kinds}）", ct.meetings, ct.activities, cov]
            for col, v in enumerate(vals):
                t.setItem(r, col, QTableWidgetItem(str(v)))
        t.resizeColumnsToContents()
        self.cons_export.setEnabled(True)

    def _export_consolidation(self) -> None:
        if self.consolidation is None:
            return
        fn = ask_save_path(self, "导出汇总表", year_name(self.consolidation.year, "汇总.xlsx"),
                           "Excel 工作簿 (*.xlsx)", ".xlsx")
        if fn:
            from chamberdesk.io.package import write_consolidation

            c = self.consolidation

            def done(_r) -> None:
                self.ctx.status_message.emit(f"已导出：{fn.name}")
                self.notice = notify_saved(self, "导出完成", fn)

            self.task = run_task(self, "导出汇总表", lambda p: write_consolidation(c, str(fn)), on_done=done)

    # --- page contract ---------------------------------------------------------------------------
    def show_target(self, arg: object) -> None:
        """{"print": form, "member_filter": MemberFilter, "chamber_id": id}: open the 打印 tab set up for it
        (the 会员台账 page sends its filter so the printed ledger has exactly its rows);
        {"packages": [paths]}: open the 上报数据包 tab summing them up (a package opened with the program)."""
        if isinstance(arg, dict) and arg.get("packages"):
            self.tabs.setCurrentIndex(self._package_tab_index)
            self.load_packages([Path(p) for p in arg["packages"]])
            return
        if not isinstance(arg, dict) or "print" not in arg:
            return
        panel = self.print_panel
        self.tabs.setCurrentWidget(panel)
        if "member_filter" in arg:
            panel.set_member_filter(arg["member_filter"])
        panel.set_form(str(arg["print"]))
        if "chamber_id" in arg:
            panel.select_chamber(arg["chamber_id"])

    def print_current(self) -> None:
        """Ctrl+P: the 打印 tab's preview of what is chosen there."""
        self.tabs.setCurrentWidget(self.print_panel)
        self.print_panel.start("preview")

    def refresh(self) -> None:
        current = self.chamber.currentData()
        self.chamber.clear()
        self.chamber.addItem("全部", None)
        with self.ctx.db.session() as s:
            for ch in list_chambers(s):
                self.chamber.addItem(ch.name, ch.name)
        idx = self.chamber.findData(current)
        self.chamber.setCurrentIndex(max(idx, 0))
        self._export_kind_changed()
