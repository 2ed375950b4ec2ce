"""设置 page and the safety dialogs through their real widgets: backup now, restore, lock message, login."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlmodel import select

from chamberdesk.core import accounts, backup, lockfile
from chamberdesk.core.members import create_member
from chamberdesk.core.models import AuditLog, Federation, Member
from chamberdesk.gui.dialogs.lock_message import READ_ONLY, acquire_lock_or_ask
from chamberdesk.gui.dialogs.login import LoginDialog, ask_login
from chamberdesk.gui.pages.settings import Page


@pytest.fixture
def page(qtbot, ctx):
    p = Page(ctx)
    qtbot.addWidget(p)
    return p


@pytest.fixture
def yes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text))
    return warnings


def _count_members(db) -> int:
    with db.session() as s:
        return len(s.exec(select(Member.id)).all())


def test_backup_now(qtbot, page):
    page.tabs.setCurrentWidget(page.data_file)
    tab = page.data_file
    assert tab.backups.count() == 0
    with qtbot.waitSignal(page.backup_done, timeout=10000) as sig:
        qtbot.mouseClick(tab.backup_btn, Qt.MouseButton.LeftButton)
    made = backup.list_backups(page.ctx.db.path)
    assert len(made) == 1 and str(made[0].path) == sig.args[0]
    assert tab.backups.count() == 1
    assert "已备份到" in tab.result.text()


def test_restore_from_list(qtbot, page, yes):
    db = page.ctx.db
    before = _count_members(db)
    page.tabs.setCurrentWidget(page.data_file)
    tab = page.data_file
    with qtbot.waitSignal(page.backup_done, timeout=10000):
        tab.backup_btn.click()
    with db.transaction() as s:
        create_member(s, {"kind": "enterprise", "enterprise_name": "恢复后应消失的企业"})
    assert _count_members(db) == before + 1
    tab.backups.setCurrentRow(0)
    with qtbot.waitSignal(page.restored, timeout=15000):
        qtbot.mouseClick(tab.restore_btn, Qt.MouseButton.LeftButton)
    assert not yes
    from chamberdesk.core.db import open_database

    d = open_database(db.path)
    try:
        assert _count_members(d) == before
    finally:
        d.close()
    kept = [b for b in backup.list_backups(db.path) if b.reason == "restore"]
    assert len(kept) == 1  # the replaced file was kept


def test_restore_refused_for_clerk(qtbot, page, yes):
    db = page.ctx.db
    with db.transaction() as s:
        accounts.enable_accounts(s, "guanli", "Xinxi2024a")
        accounts.create_user(s, "luru", "Tianbao2025", "clerk")
    accounts.prepare(db)
    accounts.login(db, "luru", "Tianbao2025")
    page.tabs.setCurrentWidget(page.data_file)
    assert not page.data_file.restore_btn.isEnabled()
    good = backup.make_backup(db)
    page.data_file.restore_from(good)
    assert yes and "无权" in yes[0]


def test_check_file(qtbot, page):
    page.tabs.setCurrentWidget(page.data_file)
    page.data_file.check_btn.click()
    qtbot.waitUntil(lambda: "检查通过" in page.data_file.result.text(), timeout=10000)


def test_backup_policy_saved(qtbot, page, tmp_path):
    page.tabs.setCurrentWidget(page.data_file)
    tab = page.data_file
    tab.folder.setText(str(tmp_path / "U盘备份"))
    tab.keep["keep_daily"][0].setValue(3)
    assert tab.save_policy()
    pol = backup.read_policy(page.ctx.db.path)
    assert pol.keep_daily == 3 and pol.folder.endswith("U盘备份")


def test_federation_form_saves(qtbot, page):
    tab = page.federation
    tab.widgets["name"].setText("测试县工商业联合会")
    tab.widgets["staff_count"].setValue(9)
    tab.working.setValue(120000)
    qtbot.mouseClick(tab.save_btn, Qt.MouseButton.LeftButton)
    with page.ctx.db.session() as s:
        fed = s.exec(select(Federation)).first()
    assert fed.name == "测试县工商业联合会" and fed.staff_count == 9
    assert tab.working.value() == 120000


def test_audit_viewer_filters_and_exports(qtbot, page, tmp_path):
    db = page.ctx.db
    with db.transaction() as s:
        create_member(s, {"kind": "enterprise", "enterprise_name": "审计样本企业"})
    page.tabs.setCurrentWidget(page.audit)
    tab = page.audit
    tab.table.setCurrentIndex(tab.table.findData("member"))
    tab.refresh()
    rows = tab.model.rows
    assert rows and all(r[3] == "会员" for r in rows)
    assert any("审计样本企业" in r[6] and "企业名称" in r[6] for r in rows)
    # read-only view
    assert tab.view.editTriggers() == tab.view.EditTrigger.NoEditTriggers
    out = tmp_path / "审计.xlsx"
    tab.export(str(out))
    qtbot.waitUntil(out.exists, timeout=10000)
    from openpyxl import load_workbook

    ws = load_workbook(out, read_only=True)["审计日志"]
    got = list(ws.iter_rows(values_only=True))
    assert got[0][0] == "时间" and len(got) - 1 >= len(rows)


def test_enable_accounts_asks_for_admin(qtbot, page, answer_modal):
    page.tabs.setCurrentWidget(page.accounts)
    tab = page.accounts

    def fill(dlg):
        dlg.username.setText("guanli")
        dlg.password.setText("Xinxi2024a")
        dlg.password2.setText("Xinxi2024a")

    answer_modal("确定", fill)
    tab.enabled.click()
    with page.ctx.db.session() as s:
        assert accounts.accounts_enabled(s)
        assert accounts.find_user(s, "guanli").role == "admin"
    assert page.ctx.db.user == "guanli"
    assert tab.table.rowCount() == 1
    assert tab.idle.value() == accounts.IDLE_LOCK_MINUTES_DEFAULT
    tab.idle.setValue(5)
    assert tab.save_idle()
    from chamberdesk.core.federation import get_setting

    with page.ctx.db.session() as s:
        assert get_setting(s, accounts.SETTING_IDLE) == 5


def test_privacy_retention_and_anonymise(qtbot, page, yes):
    from datetime import date

    from chamberdesk.core.members import mark_left

    db = page.ctx.db
    with db.transaction() as s:
        m = create_member(s, {"kind": "enterprise", "enterprise_name": "早退企业", "rep_name": "孙八",
                              "join_date": date(2001, 1, 1)})
        mark_left(s, [m.id], date(2005, 1, 1), "注销")
    page.tabs.setCurrentWidget(page.privacy)
    tab = page.privacy
    tab.retention.setValue(10)
    assert tab.save()
    assert tab.anon_btn.isEnabled()
    tab.anon_btn.click()
    with db.session() as s:
        assert s.get(Member, m.id).rep_name == "（已匿名）"
        assert s.exec(select(AuditLog).where(AuditLog.after.like("%anonymised%"))).first() is not None
    assert any(b.reason == "bulk" for b in backup.list_backups(db.path))


# --- lock message ----------------------------------------------------------------------------------

@pytest.fixture
def held_lock(tmp_path):
    data = tmp_path / "台账.db"
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    info = {"host": lockfile._host(), "user": "李会计", "pid": holder.pid, "since": "2025-05-06T08:30:00"}
    lockfile.lock_path(data).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    yield data
    holder.kill()
    holder.wait()


def test_lock_message_read_only(qtbot, held_lock, answer_modal):
    seen = answer_modal("只读方式打开")
    mode, lock = acquire_lock_or_ask(held_lock)
    assert mode == READ_ONLY and lock is None
    assert "李会计" in seen[0].text() and "2025年5月6日 08:30" in seen[0].text()
    # a lock on this computer is checked automatically: no "break" button offered
    assert not [b for b in seen[0].buttons() if b.objectName() == "breakLock"]


def test_lock_message_do_not_open(qtbot, held_lock, answer_modal):
    answer_modal("不打开")
    assert acquire_lock_or_ask(held_lock) == (None, None)
    assert lockfile.read_lock(held_lock).user == "李会计"


def test_lock_free_and_stale(qtbot, tmp_path):
    data = tmp_path / "a.db"
    mode, lock = acquire_lock_or_ask(data)
    assert mode == "write" and lock is not None
    lock.release()


# --- login -----------------------------------------------------------------------------------------

@pytest.fixture
def accounts_on(db):
    with db.transaction() as s:
        accounts.enable_accounts(s, "guanli", "Xinxi2024a")
        accounts.create_user(s, "luru", "Tianbao2025", "clerk")
    return db


def test_login_lockout_after_five_failures(qtbot, accounts_on):
    dlg = LoginDialog(accounts_on)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.username, "luru")
    for _ in range(5):
        qtbot.keyClicks(dlg.password, "wrong1234")
        qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
        assert dlg.password.text() == ""  # cleared for the next try
    assert "已锁定" in dlg.message.text()
    qtbot.keyClicks(dlg.password, "Tianbao2025")
    assert not dlg.try_login()  # the right password is refused while locked
    assert "锁定" in dlg.message.text()
    assert dlg.user is None


def test_login_success_sets_user(qtbot, accounts_on):
    dlg = LoginDialog(accounts_on)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.username, "luru")
    qtbot.keyClicks(dlg.password, "Tianbao2025")
    assert dlg.try_login()
    assert dlg.user.role == "clerk" and accounts_on.user == "luru"
    assert accounts.allowed(accounts_on, "edit") and not accounts.allowed(accounts_on, "restore")


def test_ask_login_off_and_cancel(qtbot, db, answer_modal):
    assert ask_login(db).role == "admin"  # accounts off: no dialog
    with db.transaction() as s:
        accounts.enable_accounts(s, "guanli", "Xinxi2024a")
    answer_modal("取消")
    assert ask_login(db) is None


def test_audit_in_words_and_paged(qtbot, page):
    import time

    from chamberdesk.core.activities import create_activity
    from chamberdesk.gui.pages.settings import AUDIT_PAGE, SYSTEM_USER

    db = page.ctx.db
    with db.transaction() as s:
        create_activity(s, {"category": "villages", "date": date(2025, 6, 1), "title": "审计样本活动",
                            "participant_count": 3})
    with db.transaction() as s:
        s.add(AuditLog(user="", action="update", table_name="meeting", record_id=1,
                       before=json.dumps({"body": "party_group"}), after=json.dumps({"body": "presidium"})))
    t0 = time.perf_counter()
    page.tabs.setCurrentWidget(page.audit)
    opened = time.perf_counter() - t0
    tab = page.audit
    rows = tab.model.rows
    assert opened < 1.0 and len(rows) == AUDIT_PAGE < tab.model.total  # first page only, fast
    act = next(r for r in rows if "审计样本活动" in r[6])
    assert "活动类别：万企兴万村" in act[6] and "villages" not in act[6] and "所属单位：本级工商联" in act[6]
    sysrow = next(r for r in rows if r[3] == "会议" and "党组会" in r[5])
    assert sysrow[1] == SYSTEM_USER and "会议类型：党组会" in sysrow[5] and "party_group" not in sysrow[5]
    assert tab.more_btn.isVisibleTo(tab) and "向下滚动加载更多" in tab.count.text()
    tab.more_btn.click()
    assert len(tab.model.rows) == 2 * AUDIT_PAGE
    tab.view.scrollToBottom()
    qtbot.waitUntil(lambda: len(tab.model.rows) >= 2 * AUDIT_PAGE)
    # filter by the system user
    tab.user.setCurrentIndex(tab.user.findData(SYSTEM_USER))
    tab.refresh()
    assert [r[1] for r in tab.model.rows] == [SYSTEM_USER] and tab.model.total == 1


def test_federation_form_save_in_sight_at_1366x768(qtbot, page):
    page.resize(1180, 640)  # what the page gets inside the window on a 1366×768 screen
    page.show()
    page.tabs.setCurrentWidget(page.federation)
    qtbot.waitExposed(page)
    tab = page.federation
    btn = tab.save_btn
    bottom = btn.mapTo(page, btn.rect().bottomLeft()).y()
    assert btn.isVisible() and bottom <= page.height()
    spin = tab.widgets["staff_count"]
    assert spin.width() <= 200  # number boxes do not stretch across the page
