"""The shell: main window over the demo county, start-up choices, welcome dialog, background tasks."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from chamberdesk.core import members as svc
from chamberdesk.core.chambers import list_chambers
from chamberdesk.core.db import open_database
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.federation import get_federation
from chamberdesk.gui import app as gui_app
from chamberdesk.gui.context import NAV_PAGES
from chamberdesk.gui.dialogs.welcome import WelcomeDialog
from chamberdesk.gui.main_window import MainWindow, PlaceholderPage
from chamberdesk.gui.settings import settings
from chamberdesk.gui.workers import run_task
from tests.gui.conftest import WINE_NO_FONT


@pytest.fixture
def window(qtbot, styled_app, demo_path):
    db = open_database(demo_path)
    w = MainWindow(db)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.mark.wine_limitation(WINE_NO_FONT)
def test_the_window_fits_a_1366_laptop_at_125_percent(window):
    """1366 px at 125 % scaling leaves 1093 logical pixels: the sidebar and no page's minimum may together
    be wider (the ledger's search and six filters in one row once made the window run off the screen)."""
    for i, name in enumerate(NAV_PAGES):
        window.nav.setCurrentRow(i)
        page = window.pages[name]
        assert window.nav.width() + page.minimumSizeHint().width() <= 1366 / 1.25, name


def test_the_window_stays_on_a_1366_laptop_screen_at_150_percent(qtbot, window):
    """At 150 % a 1366 × 768 laptop leaves 911 × 464 logical pixels for a maximised window. Pages that need
    more (the ledger's toolbar, the 设置 form) scroll inside the window: the window itself never grows past
    the screen, which would put its right-hand buttons and the bottom of the page under the screen's edge."""
    window.resize(911, 464)
    for i, name in enumerate(NAV_PAGES):
        window.nav.setCurrentRow(i)
        qtbot.wait(10)  # the page's layout requests run
        assert window.width() <= 911 and window.height() <= 464, (name, window.size())
    assert window.minimumSizeHint().width() <= 911 and window.minimumSizeHint().height() <= 464


def test_a_data_file_deep_in_chinese_folders_does_not_widen_the_window(qtbot, styled_app, demo_path, tmp_path):
    """The status bar names the data file. On a 1366 × 768 laptop at 150 % (911 logical pixels) a deep path
    was cut off at the window's edge, file name first; it is now shortened in the middle, the file name
    in sight, and whole in the label's text and tooltip. The window stays within the screen."""
    folder = tmp_path / ("清河县工商业联合会（总商会）办公室台账资料" * 3) / "二〇二六年度 商会台账 数据文件（请勿删除）"
    folder.mkdir(parents=True)
    deep = folder / "清河县工商业联合会商会台账.db"
    shutil.copyfile(demo_path, deep)
    w = MainWindow(open_database(deep))
    qtbot.addWidget(w)
    w.resize(911, 464)
    w.show()
    qtbot.wait(10)
    assert w.statusBar().fontMetrics().horizontalAdvance(w.file_label.text()) > 911  # longer than the screen
    assert w.width() <= 911 and w.minimumSizeHint().width() <= 911, w.size()
    assert str(deep) in w.file_label.text() and w.file_label.toolTip() == str(deep)
    label = w.file_label
    assert label.mapTo(w, label.rect().topRight()).x() < w.width()  # the label ends inside the window
    shown = label.shown_text()
    assert shown.endswith(deep.name) and "…" in shown
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()


def test_every_navigation_page_opens_without_crashing(window):
    for i, name in enumerate(NAV_PAGES):
        window.nav.setCurrentRow(i)
        page = window.current_page()
        assert page is window.pages[name] and window.current_name() == name
        assert window.nav.item(i).text()
        if isinstance(page, PlaceholderPage):  # someone else's page not landed yet: a clear message
            assert "暂时无法使用" in page.findChildren(type(window.file_label))[0].text()
        window.run_page_action("refresh")  # F5 on every page


def test_status_bar_shows_the_file_and_counts_and_follows_changes(qtbot, window):
    with window.db.session() as s:
        members = svc.count_members(s, svc.MemberFilter())
        chambers = len(list_chambers(s, include_dissolved=False))
    assert f"在册会员 {members} 家" in window.count_label.text()
    assert f"商会 {chambers} 个" in window.count_label.text()
    assert str(window.db.path) in window.file_label.text()
    assert "清河县" in window.windowTitle()
    with window.db.transaction() as s:
        svc.delete_member(s, svc.member_ids(s, svc.MemberFilter())[0])
    window.ctx.data_changed.emit("member")
    qtbot.waitUntil(lambda: f"在册会员 {members - 1} 家" in window.count_label.text(), timeout=2000)


def test_shortcuts_reach_the_current_page(qtbot, window, monkeypatch):
    window.navigate("members")
    page = window.pages["members"]
    calls = []
    for method in ("find", "undo", "delete_selected", "new_record", "refresh"):
        monkeypatch.setattr(page, method, lambda m=method: calls.append(m))
    for method in ("find", "undo", "delete_selected", "new_record", "refresh"):
        window.actions_by_method[method].trigger()
    assert calls == ["find", "undo", "delete_selected", "new_record", "refresh"]
    shortcuts = {m: a.shortcut().toString() for m, a in window.actions_by_method.items()}
    assert shortcuts["new_record"] == "Ctrl+N" and shortcuts["find"] == "Ctrl+F" and shortcuts["save"] == "Ctrl+S"
    assert shortcuts["print_current"] == "Ctrl+P" and shortcuts["undo"] == "Ctrl+Z"
    assert shortcuts["refresh"] == "F5" and shortcuts["delete_selected"] == "Del"
    window.actions_by_method["save"].trigger()  # the ledger has no save(): a status message, no error
    assert "不支持" in window.statusBar().currentMessage()


def test_navigate_passes_the_argument_to_the_page(window):
    window.navigate("dashboard")
    with window.db.session() as s:
        chamber_id = list_chambers(s)[0].id
        expected = svc.count_members(s, svc.MemberFilter(chamber_id=chamber_id))
    window.ctx.navigate.emit("members", {"chamber_id": chamber_id})
    page = window.pages["members"]
    assert window.current_page() is page
    assert page.model.rowCount() == expected


def test_window_layout_and_page_are_remembered(qtbot, styled_app, demo_path):
    w = MainWindow(open_database(demo_path))
    qtbot.addWidget(w)
    w.show()
    w.navigate("chambers")
    w.splitter.setSizes([230, 900])
    w.close()
    assert settings().bytes_value("window/geometry") is not None
    assert settings().str_value("window/page") == "chambers"
    w2 = MainWindow(open_database(demo_path))
    qtbot.addWidget(w2)
    assert w2.current_name() == "chambers"
    assert abs(w2.splitter.sizes()[0] - 230) <= 2


def test_a_page_that_fails_to_import_shows_a_placeholder(window, monkeypatch):
    monkeypatch.setitem(sys.modules, "chamberdesk.gui.pages.settings", None)  # import raises ImportError
    window.pages.pop("settings", None)
    window.navigate("settings")
    page = window.current_page()
    assert isinstance(page, PlaceholderPage) and "ModuleNotFoundError" in page.error


def test_a_page_that_raises_while_being_built_shows_a_placeholder(window, monkeypatch):
    import types

    broken = types.ModuleType("chamberdesk.gui.pages.reports")

    class Page:
        def __init__(self, ctx, parent=None):
            raise RuntimeError("页面出错")

    broken.Page = Page
    monkeypatch.setitem(sys.modules, "chamberdesk.gui.pages.reports", broken)
    window.pages.pop("reports", None)
    window.navigate("reports")
    page = window.current_page()
    assert isinstance(page, PlaceholderPage) and "页面出错" in page.error
    window.navigate("members")  # the rest of the window carries on
    assert window.current_name() == "members"


def test_qt_speaks_chinese(styled_app):
    from PySide6.QtCore import QCoreApplication

    assert gui_app.load_translations(styled_app)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


# --- start-up --------------------------------------------------------------------------------------

def test_a_damaged_file_gives_a_chinese_message_not_a_traceback(qapp, tmp_path, monkeypatch):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append((title, text)))
    assert gui_app.open_data_file(bad) is None
    assert shown and "bad.db" in shown[0][1] and "不是有效的数据文件" in shown[0][1]


def test_start_opens_the_db_argument(qapp, demo_path):
    db = gui_app.choose_start_file(str(demo_path))
    assert db is not None and db.path == demo_path
    db.close()


def test_start_without_a_data_file_shows_the_welcome_dialog(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr(gui_app, "default_db_path", lambda: tmp_path / "none" / "chamberdesk.db")
    asked = []
    monkeypatch.setattr(gui_app, "run_welcome", lambda parent=None: asked.append(True))
    assert gui_app.choose_start_file(None) is None
    assert asked == [True]


def test_welcome_creates_a_new_data_file_with_the_federation(qtbot, styled_app, tmp_path):
    dlg = WelcomeDialog(tmp_path / "data" / "chamberdesk.db")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.mouseClick(dlg.new_btn, Qt.MouseButton.LeftButton)
    assert dlg.database is None and "名称" in dlg.error_label.text()  # the name is required
    assert not (tmp_path / "data" / "chamberdesk.db").exists()
    ime_commit(dlg.name_edit, "测试县工商业联合会")
    qtbot.keyClicks(dlg.region_edit, "13053")
    dlg.new_btn.click()
    assert dlg.database is None and "6位数字" in dlg.error_label.text()
    qtbot.keyClicks(dlg.region_edit, "4")
    dlg.new_btn.click()
    assert dlg.result() == WelcomeDialog.DialogCode.Accepted and dlg.database is not None
    with dlg.database.session() as s:
        fed = get_federation(s)
    assert fed.name == "测试县工商业联合会" and fed.region_code == "130534"
    assert (tmp_path / "data" / "chamberdesk.db").is_file()
    dlg.database.close()


def test_welcome_builds_the_demo_off_the_gui_thread(qtbot, styled_app, tmp_path, monkeypatch):
    import chamberdesk.core.demo as demo

    real = demo.build_demo
    monkeypatch.setattr(demo, "build_demo", lambda db: real(db, members_per_chamber=3))  # small and quick
    dlg = WelcomeDialog(tmp_path / "chamberdesk.db")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.demo_btn.click()
    assert not dlg.demo_btn.isEnabled()  # the window stays responsive; buttons wait for the task
    assert dlg.task.wait(60000)
    assert dlg.result() == WelcomeDialog.DialogCode.Accepted
    with dlg.database.session() as s:
        assert svc.count_members(s, svc.MemberFilter(status=None)) > 0
    assert dlg.database.path == tmp_path / "chamberdesk-demo.db"
    dlg.database.close()


def test_welcome_open_existing_returns_the_path(qtbot, qapp, demo_path):
    dlg = WelcomeDialog(demo_path.with_name("x.db"))
    qtbot.addWidget(dlg)
    dlg.choose_existing(demo_path)
    assert dlg.chosen_path == demo_path and dlg.result() == WelcomeDialog.DialogCode.Accepted


def ime_commit(widget, text: str) -> None:
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    ev = QInputMethodEvent("", [])
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


# --- background work -------------------------------------------------------------------------------

def test_task_runs_off_the_gui_thread_and_reports_back(qtbot, qapp):
    import threading

    gui_thread = threading.get_ident()
    seen = {}

    def work(progress):
        seen["thread"] = threading.get_ident()
        for i in range(5):
            progress.report(i + 1, 5, f"第 {i + 1} 步")
        return 42

    task = run_task(None, "测试", work, on_done=lambda r: seen.setdefault("done", (r, threading.get_ident())))
    assert task.wait(5000)
    assert seen["thread"] != gui_thread
    assert seen["done"] == (42, gui_thread)


def test_task_errors_go_to_the_handler_and_cancel_stops_the_work(qtbot, qapp):
    errors = []
    t1 = run_task(None, "测试", lambda p: (_ for _ in ()).throw(ChamberDeskError("出错了")), on_error=errors.append)
    assert t1.wait(5000) and str(errors[0]) == "出错了"

    cancelled = []

    def slow(progress):
        for _ in range(500):
            progress.check()
            time.sleep(0.01)
        return "finished"

    t2 = run_task(None, "测试", slow, on_cancel=lambda: cancelled.append(True), on_done=cancelled.append)
    t2.cancel()
    assert t2.wait(5000)
    assert cancelled == [True] and t2.was_cancelled


def test_task_error_without_handler_shows_a_message(qtbot, qapp, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    t = run_task(None, "导出", lambda p: (_ for _ in ()).throw(ChamberDeskError("磁盘已满")))
    assert t.wait(5000)
    assert shown == ["磁盘已满"]


def test_manual_and_about(window, monkeypatch):
    opened = []
    # Path(): a file URL gives C:/… on Windows, where str(Path) says C:\…
    monkeypatch.setattr("PySide6.QtGui.QDesktopServices.openUrl", lambda url: opened.append(Path(url.toLocalFile())))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: opened.append("missing"))
    window.open_manual()
    manual = window.manual_path()
    assert opened == ([manual] if manual.is_file() else ["missing"])
    assert Path(window.db.path).name in window.file_label.text()


def test_delete_key_in_the_search_box_edits_text_and_deletes_no_member(qtbot, window, monkeypatch):
    window.navigate("members")
    window.activateWindow()
    page = window.pages["members"]
    calls = []
    monkeypatch.setattr(page, "delete_selected", lambda: calls.append("delete"))
    page.select_ids(page.model.ids[:1])
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert calls == ["delete"]  # in the table, Delete is the page's delete
    page.search.setFocus()
    page.search.setText("abc")
    page.search.setCursorPosition(0)
    qtbot.keyClick(page.search, Qt.Key.Key_Delete)
    assert page.search.text() == "bc" and calls == ["delete"]  # in a text box it deletes a character


def test_edit_menu_opens_the_recycle_bin_and_a_restore_shows_in_the_ledger(qtbot, window, answer_modal):
    from chamberdesk.gui.dialogs.recycle_bin import RecycleBinDialog

    window.navigate("members")
    page = window.pages["members"]
    mid = page.model.ids[0]
    page.select_ids([mid])
    answer_modal("删除")
    window.run_page_action("delete_selected")
    assert mid not in page.model.ids
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text().startswith("编辑"))
    assert window.recycle_action in edit_menu.actions() and window.recycle_action.text().startswith("回收站")

    def restore(dlg: RecycleBinDialog) -> None:
        assert dlg.current_kind().key == "member" and mid in dlg.ids()
        dlg.select_ids("member", [mid])
        dlg.restore_btn.click()

    seen = answer_modal("关闭", restore)
    window.recycle_action.trigger()
    assert isinstance(seen[0], RecycleBinDialog)
    assert mid in page.model.ids  # the page in view refreshed


def test_recycle_bin_opens_on_the_current_page_kind(qtbot, window, answer_modal):
    window.navigate("meetings")
    seen = answer_modal("关闭", lambda dlg: seen.append(dlg.current_kind().key))
    window.open_recycle_bin()
    assert seen[1] == "meeting"


def test_a_reader_finds_new_and_delete_disabled_on_the_record_pages(qtbot, window):
    from chamberdesk.core import accounts

    window.db.info["accounts_enabled"] = True
    accounts.set_current_user(window.db, accounts.CurrentUser("du", "只读甲", "reader"))
    for name in ("members", "chambers", "meetings", "activities"):
        window.pages.pop(name, None)  # built afresh, as after logging in
        page = window.page(name)
        for b in (getattr(page, "new_button", None) or page.new_btn,
                  getattr(page, "delete_button", None) or page.bulk_delete):
            assert not b.isEnabled() and b.toolTip() == "只读账户不能修改", name
