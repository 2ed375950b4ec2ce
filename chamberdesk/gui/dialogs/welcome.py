"""First run: create a data file, open an existing one, or try the demo county."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chamberdesk import APP_TITLE
from chamberdesk.core.db import Database, open_database
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.gui.style import icon, set_invalid
from chamberdesk.gui.workers import run_task

FILE_FILTER = "商会台账数据文件 (*.db *.sqlite);;所有文件 (*)"


class WelcomeDialog(QDialog):
    """Accepted with either `database` (a file just created, open) or `chosen_path` (to open)."""

    def __init__(self, default_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"欢迎使用{APP_TITLE}")
        self.setWindowIcon(icon("app.svg"))
        self.database: Database | None = None
        self.chosen_path: Path | None = None
        self.task = None
        self.path = Path(default_path)

        head = QLabel(f"<h2 style='margin:0'>欢迎使用{APP_TITLE}</h2>"
                      "<p>第一次使用，请先新建数据文件，或打开单位已有的数据文件。"
                      "也可以先用演示数据熟悉各项功能。</p>")
        head.setWordWrap(True)
        head.setTextFormat(Qt.TextFormat.RichText)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("例如：某某县工商业联合会（总商会）")
        self.region_edit = QLineEdit()
        self.region_edit.setPlaceholderText("6位数字，例如 130534")
        self.region_edit.setMaxLength(6)
        self.path_label = QLabel(str(self.path))
        self.path_label.setObjectName("muted")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        change = QPushButton("更改位置…")
        change.clicked.connect(self._change_location)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_label, 1)
        path_row.addWidget(change)
        self.error_label = QLabel("")
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)

        form = QFormLayout()
        form.addRow("本级工商联名称：", self.name_edit)
        form.addRow("行政区划代码：", self.region_edit)
        form.addRow("数据文件位置：", path_row)

        self.new_btn = QPushButton("新建数据文件")
        self.new_btn.setObjectName("primary")
        self.new_btn.setDefault(True)
        self.open_btn = QPushButton("打开已有文件…")
        self.demo_btn = QPushButton("使用演示数据")
        self.demo_btn.setToolTip("在用户数据文件夹中建立一个演示县的数据文件（约需十秒），可随时删除")
        for b in (self.new_btn, self.open_btn, self.demo_btn):
            b.setMinimumHeight(34)
        self.new_btn.clicked.connect(self.create_new)
        self.open_btn.clicked.connect(self._open_existing)
        self.demo_btn.clicked.connect(self.create_demo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_btn)
        buttons.addStretch(1)
        buttons.addWidget(self.open_btn)
        buttons.addWidget(self.new_btn)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color:#d5dde6")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 18)
        lay.setSpacing(12)
        lay.addWidget(head)
        lay.addWidget(line)
        lay.addLayout(form)
        lay.addWidget(self.error_label)
        lay.addLayout(buttons)
        self.setMinimumWidth(660)

    # --- actions -------------------------------------------------------------------------------
    def _change_location(self) -> None:
        fn, _ = QFileDialog.getSaveFileName(self, "新数据文件保存到", str(self.path), FILE_FILTER)
        if fn:
            self.set_path(Path(fn))

    def set_path(self, path: Path) -> None:
        self.path = path if path.suffix else path.with_suffix(".db")
        self.path_label.setText(str(self.path))

    def _open_existing(self) -> None:
        fn, _ = QFileDialog.getOpenFileName(self, "打开数据文件", str(self.path.parent), FILE_FILTER)
        if fn:
            self.choose_existing(Path(fn))

    def choose_existing(self, path: Path) -> None:
        self.chosen_path = path
        self.accept()

    def _fields_ok(self) -> bool:
        name = self.name_edit.text().strip()
        code = self.region_edit.text().strip()
        problems = []
        set_invalid(self.name_edit, not name)
        if not name:
            problems.append("请填写本级工商联名称。")
        bad_code = bool(code) and not re.fullmatch(r"\d{6}", code)
        set_invalid(self.region_edit, bad_code)
        if bad_code:
            problems.append("行政区划代码应为6位数字（GB/T 2260）。")
        self.error_label.setText("".join(problems))
        return not problems

    def _target_free(self, path: Path) -> bool:
        if path.exists() and path.stat().st_size > 0:
            QMessageBox.warning(self, "文件已存在",
                                f"{path} 已存在，未作改动。\n如要使用它，请点“打开已有文件…”；如要新建，请更改位置。")
            return False
        return True

    def create_new(self) -> None:
        if not self._fields_ok() or not self._target_free(self.path):
            return
        try:
            from chamberdesk.core.federation import save_federation

            db = open_database(self.path, create=True)
            with db.transaction() as s:
                save_federation(s, {"name": self.name_edit.text().strip(),
                                    "region_code": self.region_edit.text().strip()})
        except ChamberDeskError as exc:
            QMessageBox.critical(self, "无法新建数据文件", str(exc))
            return
        except OSError as exc:
            QMessageBox.critical(self, "无法新建数据文件", f"文件操作失败：{exc.strerror or exc}")
            return
        self.database = db
        self.accept()

    def create_demo(self) -> None:
        target = self.path.with_name("chamberdesk-demo.db")
        if target.exists() and target.stat().st_size > 0:
            self.chosen_path = target  # built before: just open it again
            self.accept()
            return

        def build(progress):
            from chamberdesk.rules.demo import build_demo

            progress.report(0, 0, "正在生成演示县的商会、会员、会议和活动…")
            db = open_database(target, create=True)
            try:
                build_demo(db)
            except BaseException:
                db.close()
                raise
            return db

        def done(db: Database) -> None:
            self.database = db
            self.accept()

        for b in (self.new_btn, self.open_btn, self.demo_btn):
            b.setEnabled(False)

        def failed(exc: BaseException) -> None:
            for b in (self.new_btn, self.open_btn, self.demo_btn):
                b.setEnabled(True)
            target.unlink(missing_ok=True)
            QMessageBox.critical(self, "演示数据生成失败", str(exc))

        self.task = run_task(self, "使用演示数据", build, on_done=done, on_error=failed, cancellable=False,
                             min_duration_ms=200)
