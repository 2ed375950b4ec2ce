"""连接数据库服务器: server, port, database, user; the password goes to the OS keyring or is asked each start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import server
from chamberdesk.core.server import DEFAULT_PORT, ServerAddress, forget_password, load_password, save_password
from chamberdesk.gui.settings import Settings, settings
from chamberdesk.gui.widgets.buttons import dialog_buttons

KEY_HOST = "server/host"
KEY_PORT = "server/port"
KEY_DATABASE = "server/database"
KEY_USER = "server/user"
KEY_REMEMBER = "server/remember_password"
KEY_ACTIVE = "server/use_at_start"  # this PC works on the server, not on a local data file


def saved_address(s: Settings | None = None) -> ServerAddress | None:
    """The server last connected to on this PC (never with its password), or None."""
    s = s or settings()
    host = s.str_value(KEY_HOST)
    if not host:
        return None
    return ServerAddress(host=host, port=s.int_value(KEY_PORT, DEFAULT_PORT),
                         database=s.str_value(KEY_DATABASE), user=s.str_value(KEY_USER))


def forget_address(s: Settings | None = None) -> None:
    s = s or settings()
    for key in (KEY_HOST, KEY_PORT, KEY_DATABASE, KEY_USER, KEY_REMEMBER, KEY_ACTIVE):
        s.remove(key)


def set_server_active(active: bool, s: Settings | None = None) -> None:
    """Start on the saved server (True, set by 连接) or on the last data file (False, set by opening one)."""
    s = s or settings()
    if s.bool_value(KEY_ACTIVE) == bool(active) and s.value(KEY_ACTIVE) is not None:
        return  # every start lands here: rewriting the settings file each time costs a synced write
    s.set_value(KEY_ACTIVE, bool(active))
    s.sync()


def keyring_available() -> bool:
    try:
        import keyring
        from keyring.backends.fail import Keyring as FailKeyring
    except ImportError:
        return False
    try:
        return not isinstance(keyring.get_keyring(), FailKeyring)
    except Exception:
        return False


class ServerConnectionDialog(QDialog):
    """Accepted with `address` and `password`; `database_url()` is what `open_database` takes.

    The address is remembered in the per-user settings; the password only in the OS keyring when
    the clerk ticks the box (and the keyring works), otherwise it lives in memory for this run.
    """

    def __init__(self, parent: QWidget | None = None, *, settings_obj: Settings | None = None,
                 ask_password_only: bool = False) -> None:
        super().__init__(parent)
        self._settings = settings_obj or settings()
        self.address: ServerAddress | None = None
        self.password = ""
        self.setWindowTitle(self.tr("连接数据库服务器"))
        self.setMinimumWidth(420)

        intro = QLabel(self.tr("多名工作人员共用一个数据库时，连接单位的 PostgreSQL 服务器。"
                               "服务器地址、数据库名和用户名请向本单位的网络管理员索取。"))
        intro.setWordWrap(True)
        self.host = QLineEdit()
        self.host.setPlaceholderText(self.tr("例如 192.168.1.10 或 server01"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit()
        self.database.setPlaceholderText("chamberdesk")
        self.user = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("在本机安全保存密码（系统凭据管理器）"))
        if not keyring_available():
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
            self.remember.setToolTip(self.tr("本机没有可用的凭据管理器：每次启动时输入密码，密码不会写入任何文件。"))
        else:
            self.remember.setChecked(self._settings.bool_value(KEY_REMEMBER, True))

        form = QFormLayout()
        form.addRow(self.tr("服务器地址"), self.host)
        form.addRow(self.tr("端口"), self.port)
        form.addRow(self.tr("数据库"), self.database)
        form.addRow(self.tr("用户名"), self.user)
        form.addRow(self.tr("密码"), self.password_edit)
        form.addRow("", self.remember)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_button = QPushButton(self.tr("测试连接"))
        self.test_button.clicked.connect(self.run_test)
        buttons = dialog_buttons(self, ok_text=self.tr("连接"))
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        saved = saved_address(self._settings)
        if saved is not None:
            self.host.setText(saved.host)
            self.port.setValue(saved.port)
            self.database.setText(saved.database)
            self.user.setText(saved.user)
            self.password_edit.setText(load_password(saved) or "")
        if ask_password_only and saved is not None:
            for w in (self.host, self.port, self.database, self.user):
                w.setEnabled(False)
            self.password_edit.setFocus()
        else:
            self.host.setFocus()

    def current_address(self) -> ServerAddress | None:
        host, db, user = self.host.text().strip(), self.database.text().strip(), self.user.text().strip()
        if not (host and db and user):
            return None
        return ServerAddress(host=host, port=self.port.value(), database=db, user=user)

    def database_url(self) -> str:
        addr = self.address or self.current_address()
        if addr is None:
            return ""
        return addr.url(self.password or self.password_edit.text())

    def _show(self, text: str, ok: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #1b7f3b;" if ok else "color: #b3261e;")

    def run_test(self) -> bool:
        from chamberdesk.core.errors import ChamberDeskError

        addr = self.current_address()
        if addr is None:
            self._show(self.tr("请填写服务器地址、数据库和用户名。"), False)
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            version = server.server_version(addr.url(self.password_edit.text()))
        except ChamberDeskError as exc:
            self._show(str(exc), False)
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._show(self.tr("连接成功（PostgreSQL {0}）。").format(version), True)
        return True

    def accept(self) -> None:
        addr = self.current_address()
        if addr is None:
            self._show(self.tr("请填写服务器地址、数据库和用户名。"), False)
            return
        self.address = addr
        self.password = self.password_edit.text()
        s = self._settings
        s.set_value(KEY_HOST, addr.host)
        s.set_value(KEY_PORT, addr.port)
        s.set_value(KEY_DATABASE, addr.database)
        s.set_value(KEY_USER, addr.user)
        s.set_value(KEY_REMEMBER, self.remember.isChecked())
        set_server_active(True, s)
        if not self.remember.isChecked():
            forget_password(addr)
        elif self.password and not save_password(addr, self.password):
            self._show(self.tr("凭据管理器拒绝保存密码：本次可以使用，下次启动时需重新输入。"), False)
        super().accept()


def server_url_at_start(parent: QWidget | None = None, *, settings_obj: Settings | None = None) -> str | None:
    """The URL of the server this PC last connected to (the keyring's password, else asked for it).

    None when this PC works on a local data file, or the clerk cancels the password prompt.
    """
    s = settings_obj or settings()
    addr = saved_address(s)
    if addr is None or not s.bool_value(KEY_ACTIVE, False):
        return None
    pw = load_password(addr)
    if pw:
        return addr.url(pw)
    dlg = ServerConnectionDialog(parent, settings_obj=s, ask_password_only=True)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return dlg.database_url()
