"""The main window: navigation on the left, one page at a time on the right, menus, shortcuts, status bar."""

from __future__ import annotations

import importlib
import traceback
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from chamberdesk import APP_TITLE, __version__
from chamberdesk.core.db import Database
from chamberdesk.gui.context import NAV_PAGES, AppContext
from chamberdesk.gui.settings import settings
from chamberdesk.gui.style import icon
from chamberdesk.gui.widgets.buttons import confirm
from chamberdesk.gui.widgets.layout import resize_to_fit
from chamberdesk.paths import bundle_root

# Titles shown even when a page module cannot be imported.
NAV_TITLES = {"dashboard": "工作台", "members": "会员台账", "chambers": "商会", "meetings": "会议",
              "activities": "活动与走访", "assessment": "考评", "reports": "报表与导出", "settings": "设置"}

# (method on the page, menu text, shortcut)
PAGE_ACTIONS = [
    ("new_record", "新建(&N)", QKeySequence.StandardKey.New),
    ("find", "查找(&F)", QKeySequence.StandardKey.Find),
    ("save", "保存(&S)", QKeySequence.StandardKey.Save),
    ("print_current", "打印(&P)…", QKeySequence.StandardKey.Print),
    ("delete_selected", "删除(&D)", QKeySequence(Qt.Key.Key_Delete)),
    ("undo", "撤销(&U)", QKeySequence.StandardKey.Undo),
    ("refresh", "刷新(&R)", QKeySequence(Qt.Key.Key_F5)),
]


class PlaceholderPage(QWidget):
    """Stands in for a page whose module is missing or broken, so the window never crashes."""

    def __init__(self, title: str, error: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.TITLE = title
        lay = QVBoxLayout(self)
        lay.setContentsMargins(40, 40, 40, 40)
        head = QLabel(f"“{title}”页面暂时无法使用")
        head.setObjectName("pageTitle")
        msg = QLabel(f"该页面正在建设中或载入出错，其他页面不受影响。\n\n错误信息：{error}")
        msg.setObjectName("muted")
        msg.setWordWrap(True)
        msg.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(head)
        lay.addWidget(msg)
        lay.addStretch(1)
        self.error = error

    def refresh(self) -> None:
        pass


class PathLabel(QLabel):
    """The data file in the status bar, shortened in the middle (…) when the window is narrow: a plain label
    cut a deep folder's path off at the window's edge, file name first (a laptop at 150 % has 911 logical
    pixels). text() and the tooltip keep the whole path."""

    MIN_WIDTH = 160

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.MIN_WIDTH), hint.height())

    def shown_text(self) -> str:
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle, self.contentsRect().width())

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(self.contentsRect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         self.shown_text())


class MainWindow(QMainWindow):
    """Pages are imported and built the first time they are shown; hidden pages refresh when shown again."""

    switch_file = Signal(object)  # a path to open, or None for the welcome dialog

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = AppContext(db, self)
        self.db = db
        self.pages: dict[str, QWidget] = {}
        self._holders: dict[str, QScrollArea] = {}  # each page sits in the stack inside one of these
        self._stale: set[str] = set()
        self._switching = False

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setMinimumWidth(150)
        for name in NAV_PAGES:
            item = QListWidgetItem(icon(name), NAV_TITLES.get(name, name))
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setSizeHint(QSize(140, 40))
            self.nav.addItem(item)
        self.stack = QStackedWidget()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([170, 1100])
        self.setCentralWidget(self.splitter)

        self.file_label = PathLabel()
        self.count_label = QLabel()
        self.user_label = QLabel()
        self.user_label.setObjectName("currentUser")
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.file_label)
        self._build_menus()

        self._counts_timer = QTimer(self, singleShot=True, interval=100)
        self._counts_timer.timeout.connect(self.update_counts)
        self.ctx.data_changed.connect(self._on_data_changed)
        self.ctx.status_message.connect(lambda m: self.statusBar().showMessage(m, 6000))
        self.ctx.navigate.connect(self.navigate)
        self.nav.currentRowChanged.connect(self._on_nav_row)

        self._update_title()
        self.update_counts()
        self.update_user()
        resize_to_fit(self, 1280, 800)  # a first start on a small or scaled screen opens within it
        self._restore_layout()
        start = settings().str_value("window/page", "dashboard")  # a first-time user starts on 工作台
        self.navigate(start if start in NAV_PAGES else NAV_PAGES[0])

    # --- pages ---------------------------------------------------------------------------------
    def page(self, name: str) -> QWidget:
        """The page widget, imported and built on first use (a placeholder if that fails)."""
        if name in self.pages:
            return self.pages[name]
        title = NAV_TITLES.get(name, name)
        try:
            module = importlib.import_module(f"chamberdesk.gui.pages.{name}")
            widget = module.Page(self.ctx, self.stack)
            title = getattr(widget, "TITLE", title) or title
        except Exception as exc:
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            widget = PlaceholderPage(title, detail, self.stack)
        self.pages[name] = widget
        # A page wider or taller than the screen scrolls inside the window instead of pushing the window
        # past the screen's edge: a 1366 × 768 laptop at 150 % leaves 911 × 464 logical pixels, less
        # than the widest pages need, and a window forced wider hides its right-hand buttons off-screen.
        holder = QScrollArea()
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setWidget(widget)
        self._holders[name] = holder
        self.stack.addWidget(holder)
        item = self.nav.item(NAV_PAGES.index(name)) if name in NAV_PAGES else None
        if item is not None:
            item.setText(title)
            ic = getattr(widget, "ICON", "")
            if ic and not icon(ic).isNull():
                item.setIcon(icon(ic))
        return widget

    def current_page(self) -> QWidget | None:
        return self.pages.get(self.current_name())

    def current_name(self) -> str:
        for name, holder in self._holders.items():
            if holder is self.stack.currentWidget():
                return name
        return ""

    def navigate(self, name: str, arg: object = None) -> None:
        """Show a page (ctx.navigate); `arg` goes to the page's show_target(arg) when it has one."""
        if name not in NAV_PAGES:
            self.statusBar().showMessage(f"没有名为“{name}”的页面", 4000)
            return
        current = self.current_page()
        leave = getattr(current, "may_leave", None)
        if current is not None and name != self.current_name() and leave is not None and not leave():
            name = self.current_name()  # the clerk stays (取消): the sidebar goes back to this page
            arg = None
        w = self.page(name)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(NAV_PAGES.index(name))
        self.nav.blockSignals(False)
        self.stack.setCurrentWidget(self._holders[name])
        if name in self._stale:
            self._stale.discard(name)
            self._call(w, "refresh")
        if arg is not None and hasattr(w, "show_target"):
            self._call(w, "show_target", arg)

    def _on_nav_row(self, row: int) -> None:
        if 0 <= row < len(NAV_PAGES):
            self.navigate(NAV_PAGES[row])

    def _call(self, w: QWidget, method: str, *args: object) -> None:
        try:
            getattr(w, method)(*args)
        except Exception as exc:  # a bug in one page must not take the window down
            traceback.print_exc()
            QMessageBox.warning(self, APP_TITLE, f"操作未完成：{exc}")

    def run_page_action(self, method: str) -> None:
        w = self.current_page()
        if w is None:
            return
        fn = getattr(w, method, None)
        if fn is None:
            self.statusBar().showMessage("本页面不支持此操作", 3000)
            return
        self._call(w, method)

    def _on_data_changed(self, table: str) -> None:
        if table in ("", "app_user"):  # accounts switched on or off, users changed in 设置
            self.update_user()
        current = self.current_page()
        for name, w in self.pages.items():
            if w is not current:
                self._stale.add(name)
        self._counts_timer.start()

    def refresh_all(self) -> None:
        self._stale = set(self.pages)
        w = self.current_page()
        name = self.current_name()
        if w is not None:
            self._stale.discard(name)
            self._call(w, "refresh")
        self.update_counts()

    # --- menus -----------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        mb = self.menuBar()
        m_file = mb.addMenu("文件(&F)")
        act = m_file.addAction("新建或打开演示数据…")
        act.triggered.connect(lambda: self.switch_file.emit(None))
        act = m_file.addAction("打开数据文件(&O)…")
        act.setShortcut(QKeySequence.StandardKey.Open)
        act.triggered.connect(self._open_file)
        self.recent_menu = m_file.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m_file.addSeparator()
        self.actions_by_method: dict[str, QAction] = {}
        m_edit = mb.addMenu("编辑(&E)")
        for method, text, key in PAGE_ACTIONS:
            a = QAction(text, self)
            a.setShortcut(QKeySequence(key))
            a.triggered.connect(lambda _=False, m=method: self.run_page_action(m))
            self.addAction(a)  # shortcuts work even while the menu bar is hidden
            self.actions_by_method[method] = a
        for method in ("undo", None, "new_record", "save", "delete_selected", None, "find", "refresh"):
            if method is None:
                m_edit.addSeparator()
            else:
                m_edit.addAction(self.actions_by_method[method])
            if method == "delete_selected":
                self.recycle_action = m_edit.addAction("回收站(&B)…")
                self.recycle_action.triggered.connect(self.open_recycle_bin)
        m_file.addAction(self.actions_by_method["print_current"])
        m_file.addSeparator()
        act = m_file.addAction("退出(&X)")
        act.setShortcut(QKeySequence.StandardKey.Quit)
        act.triggered.connect(self.close)
        m_help = mb.addMenu("帮助(&H)")
        act = m_help.addAction("使用手册")
        act.setShortcut(QKeySequence(Qt.Key.Key_F1))
        act.triggered.connect(self.open_manual)
        m_help.addAction("关于商会台账").triggered.connect(self.about)

    def open_recycle_bin(self) -> None:
        """编辑 → 回收站…, opened on the tab of the records the current page shows."""
        from chamberdesk.gui.dialogs.recycle_bin import RecycleBinDialog

        kind = {"chambers": "chamber", "meetings": "meeting", "activities": "activity"}.get(self.current_name(), "member")
        dlg = RecycleBinDialog(self.ctx, self, kind=kind)
        dlg.exec()
        if dlg.changed:
            self.refresh_all()  # data_changed leaves the page in view as it is; the restored rows belong there

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = [f for f in settings().recent_files() if Path(f).is_file()]
        if not files:
            self.recent_menu.addAction("（无）").setEnabled(False)
        for f in files:
            self.recent_menu.addAction(f).triggered.connect(lambda _=False, p=f: self.switch_file.emit(p))

    def _open_file(self) -> None:
        from chamberdesk.gui.dialogs.welcome import FILE_FILTER

        start = str(self.db.path.parent) if self.db.path else ""
        fn, _ = QFileDialog.getOpenFileName(self, "打开数据文件", start, FILE_FILTER)
        if fn:
            self.switch_file.emit(fn)

    def manual_path(self) -> Path:
        """The printable PDF when the installer bundled it (Windows opens it anywhere), else the text."""
        pdf = bundle_root() / "docs" / "manual.pdf"
        return pdf if pdf.is_file() else bundle_root() / "docs" / "manual.md"

    def open_manual(self) -> None:
        p = self.manual_path()
        if p.is_file():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(p)))
        else:
            QMessageBox.information(self, "使用手册", "本机没有找到使用手册文件（docs/manual.pdf 或 docs/manual.md），请重新安装或联系技术支持。")

    def about(self) -> None:
        where = str(self.db.path) if self.db.path else self.db.url.split("@")[-1]
        QMessageBox.about(self, "关于商会台账",
                          f"<h3>{APP_TITLE} {__version__}</h3>"
                          "<p>县级工商联会员与商会台账、考评、打印与上报。</p>"
                          f"<p>当前数据文件：<br>{where}</p>"
                          "<p>数据只保存在本机，请定期备份。</p>")

    # --- status bar ----------------------------------------------------------------------------
    def update_counts(self) -> None:
        from chamberdesk.core.chambers import list_chambers
        from chamberdesk.core.members import MemberFilter, count_members

        try:
            with self.db.session() as s:
                members = count_members(s, MemberFilter(status="active"))
                chambers = len(list_chambers(s, include_dissolved=False))
        except Exception as exc:  # a locked or vanished file: say so, keep the window
            self.count_label.setText(f"无法读取数据：{exc}")
            return
        self.count_label.setText(f"在册会员 {members} 家 · 商会 {chambers} 个")

    def user_changed(self, _user: object = None) -> None:
        """After a login (e.g. unlocking the idle lock, maybe as someone else): name, role and buttons follow."""
        self.update_user()
        self.refresh_all()

    def update_user(self) -> None:
        """当前用户：name（role） when accounts are on; nothing when they are off (one clerk, no login)."""
        from chamberdesk.core import accounts
        from chamberdesk.core.choices import Role

        self.user_label.clear()
        self.user_label.setVisible(False)
        if not self.db.user:
            return
        try:  # read from the file: 设置 may have switched accounts on or off since the window opened
            with self.db.session() as s:
                if not accounts.accounts_enabled(s):
                    return
                u = accounts.find_user(s, self.db.user)
                name = (u.display_name or u.username) if u else self.db.user
        except Exception:  # a locked file: go by what was read at login
            if not self.db.info.get("accounts_enabled"):
                return
            name = self.db.user
        role = Role.parse(accounts.current_role(self.db))
        self.user_label.setText(f"当前用户：{name}（{role.label if role else '未知角色'}）")
        self.user_label.setVisible(True)

    def _update_title(self) -> None:
        from chamberdesk.core.federation import get_federation, is_demo

        with self.db.session() as s:
            fed = get_federation(s)
            name = fed.name if fed else ""
        if is_demo(self.db):
            name = f"【演示数据，请勿录入真实信息】{name}"
        where = str(self.db.path) if self.db.path else "服务器数据库"
        self.file_label.setText(f"数据文件：{where}")
        self.file_label.setToolTip(where)
        parts = [APP_TITLE, name, self.db.path.name if self.db.path else ""]
        self.setWindowTitle(" — ".join(p for p in parts if p))

    # --- layout memory ----------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        st = settings()
        geo = st.bytes_value("window/geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        state = st.bytes_value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)

    def save_layout(self) -> None:
        st = settings()
        st.set_value("window/geometry", self.saveGeometry())
        st.set_value("window/splitter", self.splitter.saveState())
        if self.current_name():
            st.set_value("window/page", self.current_name())
        for w in self.pages.values():
            fn = getattr(w, "save_layout", None)
            if fn is not None:
                try:
                    fn()
                except Exception:
                    traceback.print_exc()
        st.sync()

    def _pages_may_close(self) -> bool:
        """Pages with unsaved input may ask (optional `may_close() -> bool` on a page)."""
        for w in self.pages.values():
            fn = getattr(w, "may_close", None)
            if fn is not None and not fn():
                return False
        return True

    def close_for_switch(self) -> None:
        self._switching = True
        self.close()

    def _stop_tasks(self) -> bool:
        """A print, export or import still running: ask, then cancel it and wait until its thread has
        stopped — closing the database under it would fail it half-way."""
        from chamberdesk.gui import workers

        if not workers.running_tasks():
            return True
        if not confirm(self, APP_TITLE, "任务进行中，是否取消并退出？", yes="取消任务并退出", no="继续任务"):
            return False
        self.statusBar().showMessage("正在取消任务…")
        if not workers.stop_all(60000):
            QMessageBox.warning(self, APP_TITLE, "任务未能及时停止，请稍候再关闭。")
            return False
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._pages_may_close() or not self._stop_tasks():
            event.ignore()
            return
        self.save_layout()
        self.db.close()
        super().closeEvent(event)
