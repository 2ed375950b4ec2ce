"""Accounts seen from the main window: 当前用户 right after 启用账户, and 只读 told why Ctrl+S does nothing."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from chamberdesk.core import accounts
from chamberdesk.gui.main_window import MainWindow


@pytest.fixture
def cheap_hashes(monkeypatch):
    monkeypatch.setattr(accounts, "_N", 2**10)


def test_enabling_accounts_shows_the_new_admin_in_the_status_bar(qtbot, ctx, styled_app, cheap_hashes,
                                                                  answer_modal):
    w = MainWindow(ctx.db)
    qtbot.addWidget(w)
    w.show()
    assert w.user_label.isHidden()  # one clerk, no accounts: no 当前用户
    w.navigate("settings")
    page = w.page("settings")
    page.tabs.setCurrentWidget(page.accounts)

    def fill(dlg):
        dlg.username.setText("guanli")
        dlg.password.setText("Xinxi2024a")
        dlg.password2.setText("Xinxi2024a")

    answer_modal("确定", fill)
    page.accounts.enabled.click()
    assert not w.user_label.isHidden()
    assert w.user_label.text() == "当前用户：guanli（管理员）"


@pytest.mark.parametrize("page", ["meetings", "activities"])
def test_ctrl_s_on_a_record_page_tells_a_reader_why(qtbot, reader, styled_app, monkeypatch, page):
    w = MainWindow(reader.db)
    qtbot.addWidget(w)
    w.show()
    w.navigate(page)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: told.append(text))
    w.run_page_action("save")
    assert told == ["只读账户不能修改。"]
