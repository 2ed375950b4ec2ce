"""设置 → 个人信息保护: masking, the retention period and anonymising members who left."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import accounts, backup, privacy
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.federation import (
    set_setting,
)
from chamberdesk.gui.pages.settings.common import show_error
from chamberdesk.gui.widgets.buttons import YES_NO

if TYPE_CHECKING:
    from chamberdesk.gui.pages.settings import Page


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
            show_error(self, exc, "未保存")
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
            show_error(self, exc)
            return
        self.page.ctx.data_changed.emit("member")
        self.page.ctx.status_message.emit(f"已匿名化 {n} 名退会会员的个人信息")
        self.refresh()
