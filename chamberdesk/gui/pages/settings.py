"""设置: 本级工商联 facts and budgets, 数据文件 (check, backup, restore), 账户与权限, 审计日志, 个人信息保护."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import accounts, audit, backup, integrity, models, privacy
from chamberdesk.core import choices as ch
from chamberdesk.core.choices import AuditAction, Role
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.federation import (
    get_budget,
    get_federation,
    get_setting,
    save_federation,
    set_budget,
    set_setting,
)
from chamberdesk.core.models import AUDITED_TABLES, FEDERATION_LABELS, Federation
from chamberdesk.gui.widgets.buttons import YES_NO, dialog_buttons

AUDIT_PAGE = 300  # rows fetched at a time; scrolling down (or 加载更多) fetches the next page

# Column labels of every table, for showing before/after values in words.
_FIELD_LABELS: dict[str, str] = {}
for _name in dir(models):
    if _name.endswith("_LABELS") and isinstance(getattr(models, _name), dict) and _name != "AUDITED_TABLES":
        for _k, _v in getattr(models, _name).items():
            _FIELD_LABELS.setdefault(_k, _v)
_FIELD_LABELS.update({
    "username": "用户名", "display_name": "显示名称", "role": "角色", "failed_count": "密码连续错误次数",
    "locked_until": "锁定至", "active": "启用", "key": "设置项", "value": "值", "created_at": "创建时间",
    "deleted_at": "删除时间", "field": "字段", "label": "内容",
})


def _run(parent: QWidget, title: str, fn, on_done, label: str = "") -> None:
    """Long work off the GUI thread through the shared helper."""
    from chamberdesk.gui.workers import run_task

    run_task(parent, title, lambda _p: fn(), on_done=on_done, label=label, cancellable=False)


def _error(parent: QWidget, exc: BaseException, title: str = "操作未完成") -> None:
    QMessageBox.warning(parent, title, str(exc))


_FIELD_LABELS.update({
    "id": "记录号", "version": "版本", "updated_at": "修改时间", "chamber_id": "所属单位", "member_id": "会员",
    "meeting_id": "会议", "activity_id": "活动", "evidence_id": "凭证", "record_id": "记录号",
    "table_name": "对象",
})
# Per table first: the same field name means different things in different tables ("kind").
_TABLE_LABELS: dict[str, dict[str, str]] = {
    "federation": models.FEDERATION_LABELS, "chamber": models.CHAMBER_LABELS, "member": models.MEMBER_LABELS,
    "meeting": models.MEETING_LABELS, "activity": models.ACTIVITY_LABELS, "contact": models.CONTACT_LABELS,
}
# Coded fields (table, field) → their enum, so the log shows 万企兴万村, not villages.
_CODED: dict[tuple[str, str], type[ch.Choice]] = {
    ("chamber", "kind"): ch.ChamberKind, ("chamber", "status"): ch.ChamberStatus,
    ("chamber", "party_org"): ch.PartyOrg, ("chamber", "rules"): ch.ChamberRule,
    ("member", "kind"): ch.MemberKind, ("member", "rep_gender"): ch.Gender, ("member", "size_class"): ch.SizeClass,
    ("member", "rep_political_status"): ch.PoliticalStatus, ("member", "industry"): ch.Industry,
    ("membership", "position"): ch.Position, ("politicalseat", "kind"): ch.SeatKind,
    ("politicalseat", "level"): ch.SeatLevel, ("meeting", "body"): ch.MeetingBody,
    ("activity", "category"): ch.ActivityCategory, ("contact", "way"): ch.ContactWay, ("app_user", "role"): ch.Role,
}
# Tables where an empty chamber means the federation's own record.
_FEDERATION_LEVEL = {"meeting", "activity", "contact", "membership", "evidence"}
SYSTEM_USER = "（系统）"


def _label_value(table: str, key: str, v: Any, chambers: dict[int, str]) -> str:
    if key == "chamber_id":
        if v in (None, ""):
            return "本级工商联" if table in _FEDERATION_LEVEL else ""
        return chambers.get(v, f"商会（记录号 {v}）")
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    enum = _CODED.get((table, key))
    if enum is not None and isinstance(v, str):
        parts = [p for p in v.split(",") if p] if "," in v else [v]
        return "、".join(ch.label_of(enum, p) or p for p in parts)
    return str(v)


def format_change(raw: str | None, table: str = "", chambers: dict[int, str] | None = None) -> str:
    """A before/after JSON record in words: Chinese field names and labels for coded values."""
    if not raw:
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(data, dict):
        return str(data)
    names = _TABLE_LABELS.get(table, {})
    return "；".join(f"{names.get(k) or _FIELD_LABELS.get(k, k)}：{_label_value(table, k, v, chambers or {})}"
                    for k, v in data.items())


# --- 本级工商联 -------------------------------------------------------------------------------------

class FederationTab(QWidget):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.widgets: dict[str, QWidget] = {}
        self.version: int | None = None
        # Two label/field pairs per row with narrow number boxes, so the whole form and 保存 fit a
        # 1366×768 screen without scrolling.
        form = QGridLayout()
        form.setHorizontalSpacing(12)
        form.setColumnStretch(4, 1)
        slot = 0
        for name, label in FEDERATION_LABELS.items():
            ann = Federation.model_fields[name].annotation
            if ann is bool:
                w: QWidget = QCheckBox()
            elif ann is int:
                w = QSpinBox()
                w.setRange(0, 10_000_000)
            elif ann is float:
                w = QDoubleSpinBox()
                w.setRange(0, 1e9)
                w.setDecimals(1)
            else:
                w = QLineEdit()
            w.setObjectName(f"fed_{name}")
            self.widgets[name] = w
            lab = QLabel(label)
            if name == "name":  # the long unit name gets a row of its own
                w.setMinimumWidth(360)
                form.addWidget(lab, 0, 0)
                form.addWidget(w, 0, 1, 1, 3)
                slot = 2
                continue
            if isinstance(w, (QSpinBox, QDoubleSpinBox)):
                w.setFixedWidth(150)
            elif isinstance(w, QLineEdit):
                w.setMinimumWidth(150)
                w.setMaximumWidth(260)
            r, c = divmod(slot, 2)
            form.addWidget(lab, r, c * 2)
            form.addWidget(w, r, c * 2 + 1)
            slot += 1
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.working = QDoubleSpinBox()
        self.investment = QDoubleSpinBox()
        for w in (self.working, self.investment):
            w.setRange(0, 1e10)
            w.setDecimals(2)
            w.setSuffix(" 元")
        self.year.valueChanged.connect(self._load_budget)
        budget = QGroupBox("年度预算")
        bf = QHBoxLayout(budget)
        self.year.setFixedWidth(100)
        for w in (self.working, self.investment):
            w.setFixedWidth(170)
        for label, w in (("年度", self.year), ("工作经费", self.working), ("招商引资经费", self.investment)):
            bf.addWidget(QLabel(label))
            bf.addWidget(w)
        bf.addStretch(1)
        self.save_btn = QPushButton("保存")
        self.save_btn.setObjectName("saveFederation")
        self.save_btn.clicked.connect(self.save)
        inner = QWidget()
        lay = QVBoxLayout(inner)
        lay.addLayout(form)
        lay.addWidget(budget)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        row = QHBoxLayout()  # outside the scroll area: 保存 is always in sight
        row.setContentsMargins(9, 0, 9, 6)
        row.addStretch(1)
        row.addWidget(self.save_btn)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addLayout(row)

    def refresh(self) -> None:
        with self.page.ctx.db.session() as s:
            fed = get_federation(s)
        self.version = fed.version if fed else None
        for name, w in self.widgets.items():
            v = getattr(fed, name) if fed else None
            if isinstance(w, QCheckBox):
                w.setChecked(bool(v))
            elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
                w.setValue(v or 0)
            else:
                w.setText(v or "")
        self._load_budget()
        self.save_btn.setEnabled(accounts.allowed(self.page.ctx.db, "edit"))

    def _load_budget(self) -> None:
        with self.page.ctx.db.session() as s:
            b = get_budget(s, self.year.value())
        self.working.setValue(b.working_funds if b else 0)
        self.investment.setValue(b.investment_funds if b else 0)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, w in self.widgets.items():
            if isinstance(w, QCheckBox):
                out[name] = w.isChecked()
            elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
                out[name] = w.value()
            else:
                out[name] = w.text()
        return out

    def save(self) -> bool:
        db = self.page.ctx.db
        try:
            accounts.require(db, "edit")
            with db.transaction() as s:
                save_federation(s, self.values(), expected_version=self.version)
                set_budget(s, self.year.value(), working_funds=self.working.value(),
                           investment_funds=self.investment.value())
        except ChamberDeskError as exc:
            _error(self, exc, "未保存")
            return False
        self.page.ctx.data_changed.emit("federation")
        self.page.ctx.status_message.emit("本级工商联信息已保存")
        self.refresh()
        return True


# --- 数据文件 ----------------------------------------------------------------------------------------

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
            _error(self, exc, "未保存")
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

        _run(self, "检查数据文件", lambda: integrity.integrity_check(path), done, "正在全面检查数据文件……")

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
            _error(self, exc)
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
            _error(self, exc, "备份失败")

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
            _error(self, exc, "不能恢复")
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

        _run(self, "从备份恢复", lambda: backup.restore(source, target), done, "正在恢复……")


# --- 账户与权限 --------------------------------------------------------------------------------------

class UserDialog(QDialog):
    """New user (all fields) or new password (password fields only)."""

    def __init__(self, parent: QWidget | None = None, *, username: str | None = None, admin_only: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("重设密码" if username else ("设置管理员" if admin_only else "新增用户"))
        self.username = QLineEdit(username or "")
        self.username.setObjectName("newUsername")
        self.display = QLineEdit()
        self.role = QComboBox()
        for r in Role:
            self.role.addItem(r.label, r.value)
        self.role.setCurrentIndex(1)
        self.password = QLineEdit()
        self.password.setObjectName("newPassword")
        self.password2 = QLineEdit()
        self.password2.setObjectName("newPassword2")
        for w in (self.password, self.password2):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        if username is None:
            form.addRow("用户名", self.username)
            form.addRow("显示名称", self.display)
            if not admin_only:
                form.addRow("角色", self.role)
        form.addRow("密码", self.password)
        form.addRow("再次输入密码", self.password2)
        rule = QLabel("密码至少 8 位，须同时包含字母和数字，不能包含用户名。")
        rule.setObjectName("muted")
        self.message = QLabel()
        self.message.setStyleSheet("color: #b3261e;")
        buttons = dialog_buttons(self, on_accept=self._check)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(rule)
        lay.addWidget(self.message)
        lay.addWidget(buttons)
        self.admin_only = admin_only

    def _check(self) -> None:
        if self.password.text() != self.password2.text():
            self.message.setText("两次输入的密码不一致")
            return
        problems = accounts.password_problems(self.password.text(), self.username.text())
        if problems:
            self.message.setText("密码" + "、".join(problems))
            return
        self.accept()

    @property
    def role_value(self) -> str:
        return Role.ADMIN.value if self.admin_only else str(self.role.currentData())


class AccountsTab(QWidget):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.enabled = QCheckBox("启用账户（每次打开需登录；按角色限制操作）")
        self.enabled.setObjectName("accountsEnabled")
        self.enabled.clicked.connect(self._toggle)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("users")
        self.table.setHorizontalHeaderLabels(["用户名", "显示名称", "角色", "状态"])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.role_combo = QComboBox()
        for r in Role:
            self.role_combo.addItem(r.label, r.value)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, fn in (("add", "新增用户", self.add_user), ("password", "重设密码", self.reset_password),
                              ("role", "设为所选角色", self.change_role), ("active", "停用/启用", self.toggle_active),
                              ("unlock", "解除锁定", self.unlock)):
            b = QPushButton(text)
            b.setObjectName(f"user_{key}")
            b.clicked.connect(fn)
            self.buttons[key] = b
            row.addWidget(b)
            if key == "password":
                row.addWidget(self.role_combo)
        row.addStretch(1)
        note = QLabel("管理员：全部操作；录入员：查看、录入、导出（隐去个人信息）、备份；只读：查看和导出（隐去个人信息）。"
                      "只有管理员可以导出完整个人信息、从备份恢复和管理用户。")
        note.setWordWrap(True)
        note.setObjectName("muted")
        self.idle = QSpinBox()
        self.idle.setObjectName("idleMinutes")
        self.idle.setRange(0, 480)
        self.idle.setSpecialValueText("不自动锁定")
        self.idle.setSuffix(" 分钟")
        idle_save = QPushButton("保存")
        idle_save.setObjectName("saveIdle")
        idle_save.clicked.connect(self.save_idle)
        self.buttons["idle"] = idle_save
        idle_row = QHBoxLayout()
        idle_row.addWidget(QLabel("无操作后自动锁定"))
        idle_row.addWidget(self.idle)
        idle_row.addWidget(idle_save)
        idle_row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.enabled)
        lay.addLayout(idle_row)
        lay.addWidget(note)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)

    def refresh(self) -> None:
        db = self.page.ctx.db
        with db.session() as s:
            on = accounts.accounts_enabled(s)
            users = accounts.list_users(s)
            idle = get_setting(s, accounts.SETTING_IDLE, accounts.IDLE_LOCK_MINUTES_DEFAULT)
        now = datetime.now()
        self.idle.setValue(idle if isinstance(idle, int) else accounts.IDLE_LOCK_MINUTES_DEFAULT)
        self.enabled.setChecked(on)
        self.table.setRowCount(len(users))
        for i, u in enumerate(users):
            r = Role.parse(u.role)
            state = "已停用" if not u.active else ("已锁定" if u.locked_until and u.locked_until > now else "正常")
            for j, text in enumerate((u.username, u.display_name, r.label if r else u.role, state)):
                self.table.setItem(i, j, QTableWidgetItem(text))
        may = accounts.allowed(db, "manage_users")
        self.enabled.setEnabled(may)
        for b in self.buttons.values():
            b.setEnabled(may)

    def _selected(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        if item is None:
            QMessageBox.information(self, "请选择用户", "请先在列表中选中一名用户。")
            return None
        return item.text()

    def _write(self, fn) -> bool:
        db = self.page.ctx.db
        try:
            accounts.require(db, "manage_users")
            with db.transaction() as s:
                fn(s)
        except ChamberDeskError as exc:
            _error(self, exc, "未保存")
            self.refresh()
            return False
        self.refresh()
        self.page.ctx.data_changed.emit("app_user")  # the status bar's 当前用户 follows
        return True

    def save_idle(self) -> bool:
        """Takes effect the next time the file is opened."""
        return self._write(lambda s: set_setting(s, accounts.SETTING_IDLE, self.idle.value()))

    def _toggle(self, checked: bool) -> None:
        if not checked:
            if QMessageBox.question(self, "停用账户", "停用后打开程序不再需要登录，所有人都有管理员权限。确定？",
                                    YES_NO, QMessageBox.StandardButton.No) \
                    == QMessageBox.StandardButton.Yes:
                self._write(accounts.disable_accounts)
            self.refresh()
            return
        with self.page.ctx.db.session() as s:
            has_admin = bool(accounts._active_admins(s))
        if has_admin:
            self._write(lambda s: accounts.enable_accounts(s))
            return
        dlg = UserDialog(self, admin_only=True)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            self.refresh()
            return
        if self._write(lambda s: accounts.enable_accounts(s, dlg.username.text(), dlg.password.text())):
            accounts.login(self.page.ctx.db, dlg.username.text(), dlg.password.text())
            self.page.ctx.db.info["accounts_enabled"] = True
            self.page.ctx.data_changed.emit("app_user")  # now logged in as the new 管理员: show it

    def add_user(self) -> None:
        dlg = UserDialog(self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self._write(lambda s: accounts.create_user(s, dlg.username.text(), dlg.password.text(), dlg.role_value,
                                                       dlg.display.text()))

    def reset_password(self) -> None:
        name = self._selected()
        if name:
            dlg = UserDialog(self, username=name)
            if dlg.exec() == QDialog.DialogCode.Accepted:
                self._write(lambda s: accounts.set_password(s, name, dlg.password.text()))

    def change_role(self) -> None:
        name = self._selected()
        if name:
            self._write(lambda s: accounts.set_role(s, name, str(self.role_combo.currentData())))

    def toggle_active(self) -> None:
        name = self._selected()
        if name:
            with self.page.ctx.db.session() as s:
                u = accounts.find_user(s, name)
            self._write(lambda s: accounts.set_active(s, name, not u.active))

    def unlock(self) -> None:
        name = self._selected()
        if name:
            self._write(lambda s: accounts.unlock_user(s, name))


# --- 审计日志 ----------------------------------------------------------------------------------------

AUDIT_COLUMNS = ["时间", "用户", "操作", "对象", "记录号", "修改前", "修改后"]


class AuditModel(QAbstractTableModel):
    """Rows handed in by the tab (plain tuples); read-only."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple] = []
        self.total = 0  # rows that match the filters
        self.loader = None  # (offset) -> next page of rows

    def set_rows(self, rows: list[tuple], total: int | None = None, loader=None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.total = len(rows) if total is None else total
        self.loader = loader
        self.endResetModel()

    # Qt asks for more when the view is scrolled to the bottom.
    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.loader is not None and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        more = self.loader(len(self.rows))
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AUDIT_COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        v = self.rows[index.row()][index.column()]
        return "" if v is None else str(v)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return AUDIT_COLUMNS[section]
        return None


def _core_user(user: str) -> str | None:
    return None if user == SYSTEM_USER else user


def audit_count(session, *, user: str = "", table: str = "", start: date | None = None,
                end: date | None = None) -> int:
    return audit.audit_count(session, user=_core_user(user), table=table, since=start, until=end)


def audit_rows(session, *, user: str = "", table: str = "", start: date | None = None, end: date | None = None,
               limit: int | None = AUDIT_PAGE, offset: int = 0) -> list[tuple]:
    """One page of the log, newest first, in words."""
    entries = audit.audit_page(session, user=_core_user(user), table=table, since=start, until=end,
                               offset=offset, limit=limit)
    chambers = audit.chamber_names(session)
    out = []
    for e in entries:
        act = AuditAction.parse(e.action)
        out.append((e.at.strftime("%Y-%m-%d %H:%M:%S"), e.user or SYSTEM_USER, act.label if act else e.action,
                    AUDITED_TABLES.get(e.table_name, e.table_name), e.record_id,
                    format_change(e.before, e.table_name, chambers), format_change(e.after, e.table_name, chambers)))
    return out


def export_audit_xlsx(rows: list[tuple], path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("审计日志")
    ws.append(AUDIT_COLUMNS)
    for r in rows:
        ws.append(list(r))
    tmp = path.with_name(path.name + ".part")
    wb.save(tmp)
    tmp.replace(path)
    return path


class AuditTab(QWidget):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.user = QComboBox()
        self.user.setObjectName("auditUser")
        self.user.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.table = QComboBox()
        self.table.setObjectName("auditTable")
        self.table.addItem("全部对象", "")
        for key, label in AUDITED_TABLES.items():
            self.table.addItem(label, key)
        self.start = QDateEdit()
        self.end = QDateEdit()
        for w in (self.start, self.end):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        self.start.setDate(QDate.currentDate().addYears(-1))
        self.end.setDate(QDate.currentDate())
        apply_btn = QPushButton("筛选")
        apply_btn.clicked.connect(self.refresh)
        self.export_btn = QPushButton("导出 Excel…")
        self.export_btn.setObjectName("exportAudit")
        self.export_btn.clicked.connect(self.export)
        self.count = QLabel()
        self.model = AuditModel()
        self.view = QTableView()
        self.view.setObjectName("auditView")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        for i, w in enumerate((150, 80, 80, 90, 60, 320)):
            self.view.setColumnWidth(i, w)
        row = QHBoxLayout()
        for label, w in (("用户", self.user), ("对象", self.table), ("从", self.start), ("到", self.end)):
            row.addWidget(QLabel(label))
            row.addWidget(w)
        row.addWidget(apply_btn)
        row.addStretch(1)
        row.addWidget(self.count)
        self.more_btn = QPushButton("加载更多")
        self.more_btn.setObjectName("auditMore")
        self.more_btn.clicked.connect(lambda: self.model.fetchMore())
        self.model.rowsInserted.connect(lambda *_: self._show_count())
        row.addWidget(self.more_btn)
        row.addWidget(self.export_btn)
        note = QLabel("审计日志只能查看和导出，不能修改；至少保留 3 年。")
        note.setObjectName("muted")
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.view, 1)
        lay.addWidget(note)

    def filters(self) -> dict[str, Any]:
        return {"user": self.user.currentData() or "", "table": self.table.currentData() or "",
                "start": self.start.date().toPython(), "end": self.end.date().toPython()}

    def _fill_users(self, session) -> None:
        current = self.user.currentData()
        found = audit.audit_users(session)
        names = [u for u in found if u]
        self.user.blockSignals(True)
        self.user.clear()
        self.user.addItem("全部用户", "")
        for n in names:
            self.user.addItem(n, n)
        if len(names) < len(found):
            self.user.addItem(SYSTEM_USER, SYSTEM_USER)
        idx = self.user.findData(current) if current else 0
        self.user.setCurrentIndex(max(idx, 0))
        self.user.blockSignals(False)

    def refresh(self) -> None:
        flt = self.filters()
        db = self.page.ctx.db
        with db.session() as s:
            self._fill_users(s)
            rows = audit_rows(s, **flt)
            total = audit_count(s, **flt) if len(rows) >= AUDIT_PAGE else len(rows)

        def load(offset: int) -> list[tuple]:
            with db.session() as s2:
                return audit_rows(s2, **flt, offset=offset)

        self.model.set_rows(rows, total, load)
        self._show_count()

    def _show_count(self) -> None:
        shown, total = len(self.model.rows), self.model.total
        self.more_btn.setVisible(shown < total)
        self.count.setText(f"共 {total} 条" if shown >= total else f"已显示最新 {shown} 条，共 {total} 条（向下滚动加载更多）")

    def export(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "导出审计日志", f"审计日志-{date.today():%Y%m%d}.xlsx",
                                                  "Excel 工作簿 (*.xlsx)")
            if not path:
                return
        target = Path(path)
        flt = self.filters()
        db = self.page.ctx.db

        def work() -> Path:
            with db.session() as s:
                rows = audit_rows(s, **flt, limit=None)
            return export_audit_xlsx(rows, target)

        _run(self, "导出审计日志", work, lambda p: self.page.ctx.status_message.emit(f"审计日志已导出到 {p}"),
             "正在导出……")


# --- 个人信息保护 ------------------------------------------------------------------------------------

class PrivacyTab(QWidget):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.retention = QSpinBox()
        self.retention.setObjectName("retentionYears")
        self.retention.setRange(0, 100)
        self.retention.setSpecialValueText("不匿名化")
        self.retention.setSuffix(" 年")
        self.audit_years = QSpinBox()
        self.audit_years.setObjectName("auditYears")
        self.audit_years.setRange(privacy.MIN_AUDIT_YEARS, 100)
        self.audit_years.setSuffix(" 年")
        self.due = QLabel()
        self.due.setObjectName("dueCount")
        self.save_btn = QPushButton("保存")
        self.save_btn.setObjectName("savePrivacy")
        self.save_btn.clicked.connect(self.save)
        self.anon_btn = QPushButton("立即匿名化…")
        self.anon_btn.setObjectName("anonymise")
        self.anon_btn.clicked.connect(self.anonymise)
        form = QFormLayout()
        form.addRow("退会会员个人信息保留", self.retention)
        form.addRow("审计日志保留（不少于 3 年）", self.audit_years)
        note = QLabel("列表、打印和导出中身份证号、手机号默认隐去中间部分；查看完整号码需有权限，且每次查看都记入审计日志。"
                      "退会满保留年限的会员，其代表人姓名、身份证号、电话、出生日期、政治面貌和备注将被清除，"
                      "企业名称和入会、退会记录保留用于统计。")
        note.setWordWrap(True)
        note.setObjectName("muted")
        row = QHBoxLayout()
        row.addWidget(self.due)
        row.addStretch(1)
        row.addWidget(self.anon_btn)
        row.addWidget(self.save_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addLayout(row)
        lay.addStretch(1)

    def refresh(self) -> None:
        db = self.page.ctx.db
        with db.session() as s:
            years = privacy.retention_years(s)
            self.retention.setValue(years or 0)
            self.audit_years.setValue(privacy.audit_retention_years(s))
            n = len(privacy.due_for_anonymising(s, years)) if years else 0
        self.due.setText(f"已满保留年限、待匿名化的会员：{n} 名" if years else "未设置保留年限")
        self.anon_btn.setEnabled(bool(n) and accounts.allowed(db, "anonymise"))
        self.save_btn.setEnabled(accounts.allowed(db, "settings"))

    def save(self) -> bool:
        db = self.page.ctx.db
        try:
            accounts.require(db, "settings")
            with db.transaction() as s:
                privacy.set_retention_years(s, self.retention.value() or None)
                set_setting(s, privacy.SETTING_AUDIT_YEARS, self.audit_years.value())
        except ChamberDeskError as exc:
            _error(self, exc, "未保存")
            return False
        self.refresh()
        return True

    def anonymise(self) -> None:
        if QMessageBox.question(self, "个人信息匿名化", "清除已满保留年限的退会会员的个人信息？此操作不能撤销"
                                "（可从此前的备份恢复）。", YES_NO, QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        db = self.page.ctx.db
        try:
            if db.path is not None:
                backup.make_backup(db, reason="bulk")
            n = privacy.anonymise_left_members(db)
        except ChamberDeskError as exc:
            _error(self, exc)
            return
        self.page.ctx.data_changed.emit("member")
        self.page.ctx.status_message.emit(f"已匿名化 {n} 名退会会员的个人信息")
        self.refresh()


class Page(QWidget):
    TITLE = "设置"
    ICON = "settings.svg"
    backup_done = Signal(str)
    restored = Signal(str)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        title = QLabel("设置")
        title.setObjectName("pageTitle")
        self.tabs = QTabWidget()
        self.federation = FederationTab(self)
        self.data_file = DataFileTab(self)
        self.accounts = AccountsTab(self)
        self.audit = AuditTab(self)
        self.privacy = PrivacyTab(self)
        for w, label in ((self.federation, "本级工商联"), (self.data_file, "数据文件"), (self.accounts, "账户与权限"),
                         (self.audit, "审计日志"), (self.privacy, "个人信息保护")):
            self.tabs.addTab(w, label)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(self.tabs, 1)
        self.refresh()

    def refresh(self) -> None:
        w = self.tabs.currentWidget()
        if w is not None and not getattr(self.ctx.db, "_closed", False):
            try:
                w.refresh()
            except ChamberDeskError as exc:
                self.ctx.status_message.emit(str(exc))

    def save(self) -> None:
        fn = getattr(self.tabs.currentWidget(), "save", None)
        if fn is not None:
            fn()
