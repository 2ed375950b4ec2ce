"""登录 dialog (when accounts are on): asks until a login succeeds or the clerk cancels; lockout shown."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import accounts
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.gui.widgets.buttons import dialog_buttons


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
        buttons = dialog_buttons(self, ok_text="登录", on_accept=self.try_login)
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


class IdleLock(QObject):
    """After some minutes without keyboard or mouse input, hide the window's data behind a login."""

    _INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel}
    logged_in = Signal(object)  # the CurrentUser who unlocked: anyone with an account may, not only who left

    def __init__(self, window: QWidget, db, interval_ms: int) -> None:
        super().__init__(window)
        self.window = window
        self.db = db
        self.locked = False
        self.timer = QTimer(self, singleShot=True, interval=interval_ms)
        self.timer.timeout.connect(self.lock_now)
        QApplication.instance().installEventFilter(self)
        self.timer.start()

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
        if not self.locked and event.type() in self._INPUT:
            self.timer.start()
        return False

    def lock_now(self) -> bool:
        """Show the login; True when someone logged in again, False when the window was closed."""
        if self.locked or not shiboken6.isValid(self.window) or not self.window.isVisible():
            return False
        self.locked = True
        central = getattr(self.window, "centralWidget", lambda: None)()
        if central is not None:
            central.setVisible(False)  # personal data off the screen while nobody is there
        try:
            dlg = LoginDialog(self.db, self.window, title="已锁定，请重新登录")
            ok = dlg.exec() == QDialog.DialogCode.Accepted
        finally:
            self.locked = False
        if central is not None and shiboken6.isValid(central):
            central.setVisible(True)
        if not ok:
            self.window.close()
            return False
        self.timer.start()
        self.logged_in.emit(dlg.user)
        return True


def install_idle_lock(window: QWidget, db, *, interval_ms: int | None = None) -> IdleLock | None:
    """When accounts are on, lock after the idle minutes set in the data file (0 turns it off)."""
    if not db.info.get("accounts_enabled"):
        return None
    if interval_ms is None:
        from chamberdesk.core.federation import get_setting

        with db.session() as s:
            minutes = get_setting(s, accounts.SETTING_IDLE, accounts.IDLE_LOCK_MINUTES_DEFAULT)
        if not isinstance(minutes, int) or minutes <= 0:
            return None
        interval_ms = minutes * 60_000
    lock = IdleLock(window, db, interval_ms)
    user_changed = getattr(window, "user_changed", None)  # the main window: status bar and buttons follow
    if user_changed is not None:
        lock.logged_in.connect(user_changed)
    return lock
