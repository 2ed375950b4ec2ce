"""设置 → 数据文件: where the data lives, checks, backups and restore, the server connection."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import accounts, backup, integrity
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.gui.pages.settings.common import run_in_background, show_error

if TYPE_CHECKING:
    from chamberdesk.gui.pages.settings import Page


class DataFileTab(QWidget):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.path_label = QLabel()
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setObjectName("locationWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #8a5300;")
        self.check_btn = QPushButton("检查数据文件")
        self.check_btn.setObjectName("checkFile")
        self.backup_btn = QPushButton("立即备份")
        self.backup_btn.setObjectName("backupNow")
        self.restore_btn = QPushButton("从备份恢复…")
        self.restore_btn.setObjectName("restore")
        self.server_btn = QPushButton("连接数据库服务器…")
        self.server_btn.setObjectName("connectServer")
        self.server_btn.clicked.connect(self.connect_server)
        self.result = QLabel()
        self.result.setObjectName("checkResult")
        self.result.setWordWrap(True)
        self.backups = QListWidget()
        self.backups.setObjectName("backupList")
        self.folder = QLineEdit()
        self.folder.setObjectName("backupFolder")
        self.folder.setPlaceholderText("默认：数据文件旁的备份文件夹")
        pick = QPushButton("选择…")
        pick.clicked.connect(self._pick_folder)
        self.keep = {}
        for key, label in (("keep_last", "最近"), ("keep_daily", "每日"), ("keep_weekly", "每周"),
                           ("keep_monthly", "每月")):
            sb = QSpinBox()
            sb.setRange(1 if key == "keep_last" else 0, 999)
            sb.setSuffix(" 份")
            sb.setObjectName(key)
            self.keep[key] = (sb, label)
        self.save_policy_btn = QPushButton("保存备份设置")
        self.save_policy_btn.setObjectName("savePolicy")

        self.check_btn.clicked.connect(self.check_file)
        self.backup_btn.clicked.connect(self.backup_now)
        self.restore_btn.clicked.connect(self.restore_selected)
        self.save_policy_btn.clicked.connect(self.save_policy)

        lay = QVBoxLayout(self)
        file_box = QGroupBox("数据文件")
        fl = QVBoxLayout(file_box)
        fl.addWidget(self.path_label)
        fl.addWidget(self.warning)
        row = QHBoxLayout()
        for b in (self.check_btn, self.backup_btn, self.restore_btn, self.server_btn):
            row.addWidget(b)
        row.addStretch(1)
        fl.addLayout(row)
        fl.addWidget(self.result)
        lay.addWidget(file_box)
        lay.addWidget(QLabel("已有备份（最新在前；选中一份后点“从备份恢复”）："))
        lay.addWidget(self.backups, 1)
        pol = QGroupBox("自动备份：每天首次打开时、升级数据文件前、导入和批量修改前")
        pf = QFormLayout(pol)
        frow = QHBoxLayout()
        frow.addWidget(self.folder, 1)
        frow.addWidget(pick)
        pf.addRow("备份文件夹（可选 U 盘或另一块硬盘）", frow)
        krow = QHBoxLayout()
        for sb, label in self.keep.values():
            krow.addWidget(QLabel(label))
            krow.addWidget(sb)
        krow.addStretch(1)
        pf.addRow("保留", krow)
        prow = QHBoxLayout()
        prow.addStretch(1)
        prow.addWidget(self.save_policy_btn)
        pf.addRow(prow)
        lay.addWidget(pol)

    @property
    def path(self) -> Path | None:
        return self.page.ctx.db.path

    def refresh(self) -> None:
        db = self.page.ctx.db
        if self.path is None:
            self.path_label.setText("服务器数据库（请用数据库自身的工具备份）")
            for w in (self.check_btn, self.backup_btn, self.restore_btn, self.save_policy_btn):
                w.setEnabled(False)
            return
        self.path_label.setText(f"数据文件：{self.path}")
        warn = integrity.location_warning(self.path)
        self.warning.setText(f"注意：{warn}" if warn else "")
        self.warning.setVisible(bool(warn))
        pol = backup.read_policy(self.path)
        self.folder.setText(pol.folder)
        for key, (sb, _label) in self.keep.items():
            sb.setValue(getattr(pol, key))
        self.backups.clear()
        for b in backup.list_backups(self.path, pol):
            item = QListWidgetItem(f"{backup.describe(b)}　{b.path.name}")
            item.setData(Qt.ItemDataRole.UserRole, str(b.path))
            self.backups.addItem(item)
        self.restore_btn.setEnabled(accounts.allowed(db, "restore"))
        self.backup_btn.setEnabled(accounts.allowed(db, "backup"))
        self.save_policy_btn.setEnabled(accounts.allowed(db, "settings"))

    def connect_server(self) -> None:
        """Several clerks share one PostgreSQL server: connect, then reopen the window on it."""
        from chamberdesk.gui.dialogs.server_connection import ServerConnectionDialog

        dlg = ServerConnectionDialog(self)
        if dlg.exec() == ServerConnectionDialog.DialogCode.Accepted and dlg.database_url():
            switch = getattr(self.window(), "switch_file", None)
            if switch is not None:
                switch.emit(dlg.database_url())

    def _pick_folder(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "选择备份文件夹", self.folder.text() or str(Path.home()))
        if d:
            self.folder.setText(d)

    def policy(self) -> backup.BackupPolicy:
        return backup.BackupPolicy(folder=self.folder.text().strip(),
                                   **{k: sb.value() for k, (sb, _l) in self.keep.items()})

    def save_policy(self) -> bool:
        db = self.page.ctx.db
        try:
            accounts.require(db, "settings")
            with db.transaction() as s:
                backup.save_policy(s, self.policy())
        except ChamberDeskError as exc:
            show_error(self, exc, "未保存")
            return False
        self.page.ctx.status_message.emit("备份设置已保存")
        self.refresh()
        return True

    def check_file(self) -> None:
        path = self.path
        self.result.setText("正在检查……")

        def done(res: integrity.CheckResult) -> None:
            self.result.setText(res.message(f"数据文件“{path.name}”"))
            if not res.ok:
                self._offer_restore_after_damage()

        run_in_background(self, "检查数据文件", lambda: integrity.integrity_check(path), done, "正在全面检查数据文件……")

    def _offer_restore_after_damage(self) -> None:
        good = backup.newest_good_backup(self.path)
        if good is None:
            QMessageBox.critical(self, "数据文件已损坏", "数据文件已损坏，且没有找到完好的备份。请不要再修改数据，"
                                 "把数据文件复制一份后联系技术人员。")
            return
        ans = QMessageBox.question(self, "数据文件已损坏",
                                   f"数据文件已损坏。最新的完好备份是 {backup.describe(good)}。现在从它恢复吗？"
                                   "（当前文件会先保留一份副本）")
        if ans == QMessageBox.StandardButton.Yes:
            self.restore_from(good.path, confirm=False)

    def backup_now(self) -> None:
        db = self.page.ctx.db
        try:
            accounts.require(db, "backup")
        except ChamberDeskError as exc:
            show_error(self, exc)
            return
        self.backup_btn.setEnabled(False)

        def done(p: Path) -> None:
            self.backup_btn.setEnabled(True)
            self.result.setText(f"已备份到：{p}")
            self.page.ctx.status_message.emit("备份完成")
            self.refresh()
            self.page.backup_done.emit(str(p))

        def failed(exc: BaseException) -> None:
            self.backup_btn.setEnabled(True)
            self.result.setText(str(exc))
            show_error(self, exc, "备份失败")

        from chamberdesk.gui.workers import run_task

        run_task(self, "备份", lambda _p: backup.make_backup(db, reason="manual"), on_done=done, on_error=failed,
                 label="正在备份数据文件……", cancellable=False)

    def restore_selected(self) -> None:
        item = self.backups.currentItem()
        if item is None:
            fn, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(backup.backup_dir(self.path)),
                                                "商会台账数据文件 (*.db);;所有文件 (*)")
            if not fn:
                return
            self.restore_from(Path(fn))
            return
        self.restore_from(Path(item.data(Qt.ItemDataRole.UserRole)))

    def restore_from(self, source: Path, *, confirm: bool = True) -> None:
        db = self.page.ctx.db
        try:
            accounts.require(db, "restore")
            backup.verify_backup(source)
        except ChamberDeskError as exc:
            show_error(self, exc, "不能恢复")
            return
        if confirm:
            ans = QMessageBox.question(self, "从备份恢复",
                                       f"用备份“{source.name}”替换当前数据文件？\n当前文件会先保留一份副本，"
                                       "恢复后程序重新打开数据文件。")
            if ans != QMessageBox.StandardButton.Yes:
                return
        target = self.path
        db.close()  # every pooled connection goes before the file is replaced

        def done(kept: Path | None) -> None:
            msg = f"已从“{source.name}”恢复。" + (f"原数据文件保留为：{kept}" if kept else "")
            self.result.setText(msg)
            QMessageBox.information(self, "恢复完成", msg)
            self.page.restored.emit(str(target))
            win = self.window()
            if hasattr(win, "switch_file"):
                win.switch_file.emit(str(target))

        run_in_background(self, "从备份恢复", lambda: backup.restore(source, target), done, "正在恢复……")
