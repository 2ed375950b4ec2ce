"""设置 → 账户与权限: users, roles, passwords, locks and the idle lock."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import accounts
from chamberdesk.core.choices import Role
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.federation import (
    get_setting,
    set_setting,
)
from chamberdesk.gui.pages.settings.common import show_error
from chamberdesk.gui.widgets.buttons import YES_NO, dialog_buttons

if TYPE_CHECKING:
    from chamberdesk.gui.pages.settings import Page


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
            show_error(self, exc, "未保存")
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
