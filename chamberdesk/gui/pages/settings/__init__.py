"""设置: one module per tab — 本级工商联 (federation), 数据文件 (data_file), 账户与权限 (accounts),
审计日志 (audit_log), 个人信息保护 (privacy) — gathered here on one page."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.gui.pages.settings.accounts import AccountsTab, UserDialog
from chamberdesk.gui.pages.settings.audit_log import AUDIT_PAGE, SYSTEM_USER, AuditTab, format_change
from chamberdesk.gui.pages.settings.data_file import DataFileTab
from chamberdesk.gui.pages.settings.federation import FederationTab
from chamberdesk.gui.pages.settings.privacy import PrivacyTab


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


__all__ = ["AUDIT_PAGE", "SYSTEM_USER", "AccountsTab", "AuditTab", "DataFileTab", "FederationTab", "Page", "PrivacyTab",
           "UserDialog", "format_change"]
