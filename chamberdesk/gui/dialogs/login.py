"""登录 dialog (when accounts are on): asks until a login succeeds or the clerk cancels; lockout shown."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import accounts
from chamberdesk.core.errors import ChamberDeskError


class LoginDialog(QDialog):
    """Calls accounts.login on 登录; stays open with the reason on failure. `.user` after acceptance."""

    def __init__(self, db, parent: QWidget | None = None, *, title: str = "登录") -> None:
        super().__init__(parent)
        self.db = db
        self.user: accounts.CurrentUser | None = None
        self.setWindowTitle(f"{title} — 商会台账")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        form = QFormLayout()
        form.addRow("用户名", self.username)
        form.addRow("密码", self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        hint = QLabel("本数据文件已启用账户，请登录。忘记密码请找管理员重设。")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(buttons)
        self.setMinimumWidth(360)

    def try_login(self) -> bool:
        try:
            self.user = accounts.login(self.db, self.username.text(), self.password.text())
        except ChamberDeskError as exc:
            self.message.setText(str(exc))
            self.password.clear()
            self.password.setFocus()
            return False
        self.accept()
        return True


def ask_login(db, parent: QWidget | None = None) -> accounts.CurrentUser | None:
    """When accounts are on, ask for a login (None if cancelled); when off, act as 管理员 without asking."""
    if not accounts.prepare(db):
        return accounts.CurrentUser(db.user or "", db.user or "", "admin")
    dlg = LoginDialog(db, parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return dlg.user
