"""记录走访 by role on the ledger, and the logged-in user in the status bar (login and idle-lock unlock)."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from chamberdesk.core import accounts
from chamberdesk.core.contacts import list_contacts
from chamberdesk.core.db import open_database
from chamberdesk.gui.dialogs.login import install_idle_lock
from chamberdesk.gui.main_window import MainWindow
from chamberdesk.gui.pages.members import Page
from chamberdesk.gui.widgets.buttons import accept_button, dialog_buttons


@pytest.fixture
def users(ctx, monkeypatch):
    """Accounts on, with a 管理员 张三 and a 只读 李四 (cheap hashes: roles are what is tested)."""
    monkeypatch.setattr(accounts, "_N", 2**10)
    with ctx.db.transaction() as s:
        accounts.enable_accounts(s, "admin", "Shiyan#2024")
        accounts.create_user(s, "chakan", "Kanyikan2024", "只读", display_name="李四")
        accounts.find_user(s, "admin").display_name = "张三"
    accounts.prepare(ctx.db)
    return ctx


def ledger(qtbot, ctx) -> Page:
    p = Page(ctx)
    qtbot.addWidget(p)
    p.resize(1300, 800)
    p.show()
    return p


def test_a_reader_is_not_offered_log_contact(qtbot, users):
    ctx = users
    accounts.login(ctx.db, "chakan", "Kanyikan2024")
    page = ledger(qtbot, ctx)
    mid = page.model.ids[0]
    rect = page.table.visualRect(page.model.index(0, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.history.member_id == mid
    btn = page.history.contact_btn
    assert not btn.isEnabled()
    assert btn.toolTip() == "只读账户不能修改"
    assert not page.history.edit_btn.isEnabled()  # greyed like the other ledger writes
    with ctx.db.session() as s:
        before = len(list_contacts(s, member_id=mid))
    # reached some other way (a stale button, a future shortcut): refused with the reason, no dialog
    with patch.object(QMessageBox, "information") as info:
        page.log_contact()
    assert "只读账户不能修改" in info.call_args[0][2]
    with ctx.db.session() as s:
        assert len(list_contacts(s, member_id=mid)) == before


def test_an_admin_keeps_log_contact_with_its_hint(qtbot, users):
    ctx = users
    accounts.login(ctx.db, "admin", "Shiyan#2024")
    page = ledger(qtbot, ctx)
    page.select_ids(page.model.ids[:1])
    assert page.history.contact_btn.isEnabled()
    assert "实地走访" in page.history.contact_btn.toolTip()


def window_on(qtbot, db) -> MainWindow:
    w = MainWindow(db)
    qtbot.addWidget(w)
    w.show()
    return w


def test_status_bar_names_nobody_when_accounts_are_off(qtbot, styled_app, demo_path):
    db = open_database(demo_path, user="测试员")
    w = window_on(qtbot, db)
    assert not w.user_label.isVisible() and w.user_label.text() == ""
    assert "在册会员" in w.count_label.text()


def test_status_bar_names_the_user_and_follows_an_unlock_as_someone_else(qtbot, styled_app, users, answer_modal):
    db = users.db
    accounts.login(db, "admin", "Shiyan#2024")
    w = window_on(qtbot, db)
    assert w.user_label.isVisible()
    assert w.user_label.text() == "当前用户：张三（管理员）"
    w.navigate("members")
    page = w.pages["members"]
    page.select_ids(page.model.ids[:1])
    assert page.history.contact_btn.isEnabled()

    def fill(dlg):
        dlg.username.setText("chakan")
        dlg.password.setText("Kanyikan2024")

    answer_modal("登录", fill)
    idle = install_idle_lock(w, db, interval_ms=50)
    qtbot.waitUntil(lambda: w.user_label.text() == "当前用户：李四（只读）", timeout=5000)
    idle.timer.stop()
    # the buttons follow the new role too, not only the label
    assert page.history.member_id is not None
    assert not page.history.contact_btn.isEnabled()


def test_dialog_buttons_set_chinese_texts_and_wire_accept_and_reject(qtbot):
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    dlg = QDialog()
    qtbot.addWidget(dlg)
    checked = []
    box = dialog_buttons(dlg, save=True, on_accept=lambda: checked.append(True))
    assert [b.text() for b in box.buttons()] == ["保存", "取消"]
    accept_button(box).click()
    assert checked == [True] and dlg.result() == QDialog.DialogCode.Rejected  # the slot decides when to close
    dlg2 = QDialog()
    qtbot.addWidget(dlg2)
    box2 = dialog_buttons(dlg2, ok_text="确定退会")
    assert accept_button(box2).text() == "确定退会"
    assert box2.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
    dlg2.show()
    accept_button(box2).click()
    assert dlg2.result() == QDialog.DialogCode.Accepted
