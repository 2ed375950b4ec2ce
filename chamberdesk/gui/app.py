"""Start the desktop program: Qt application, Chinese translations, look, first-run welcome, main window."""

from __future__ import annotations

import gc
import getpass
import json
import os
import sys
from functools import partial
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from chamberdesk import APP_NAME, APP_TITLE, __version__
from chamberdesk.core.db import Database
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.gui.settings import settings
from chamberdesk.gui.style import apply_style, icon
from chamberdesk.paths import default_db_path

_translators: list[QTranslator] = []  # kept alive for the application's lifetime


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with our names, translations and look (reused when one already exists)."""
    existing = QApplication.instance()
    if existing is None:
        # Fractional scaling (125 %, 150 % on Windows laptops) without blurry rounding.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    else:
        app = existing  # type: ignore[assignment]
    app.setOrganizationName("ChamberDesk")
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(icon("app.svg"))
    load_translations(app)
    apply_style(app)
    return app


def load_translations(app: QApplication) -> bool:
    """Qt's own strings (OK/Cancel, file dialogs, context menus) in Simplified Chinese."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if _translators:
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = False
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        tr = QTranslator(app)
        if tr.load(name, folder):
            app.installTranslator(tr)
            _translators.append(tr)
            loaded = True
            break
    return loaded


def show_error(parent: QWidget | None, message: str, title: str = "无法打开数据文件") -> None:
    QMessageBox.critical(parent, title, message)


def open_data_file(path: str | Path, parent: QWidget | None = None) -> Database | None:
    """Open a data file; a DataFileError (or any core error) becomes a message box, never a traceback."""
    from chamberdesk.gui.dialogs.safe_open import open_guarded  # lock, checks, login, daily backup

    try:
        return open_guarded(path, parent, user=_login_name())
    except ChamberDeskError as exc:
        show_error(parent, str(exc))
        return None


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some locked-down Windows accounts
        return ""


def choose_start_file(db: str | None) -> Database | None:
    """The data file to open: --db, else the last one used, else the default one, else the welcome dialog."""
    if db:
        return open_data_file(db)
    from chamberdesk.gui.dialogs.server_connection import server_url_at_start

    if url := server_url_at_start():  # this PC works on the office's database server
        return open_data_file(url)
    last = settings().str_value("files/last")
    for candidate in (last, str(default_db_path())):
        if candidate and Path(candidate).is_file():
            opened = open_data_file(candidate)
            if opened is not None:
                return opened
            break  # the clerk saw why; let them pick another file below
    return run_welcome()


def run_welcome(parent: QWidget | None = None) -> Database | None:
    """Ask until a data file opens or the clerk gives up (Esc/close)."""
    from chamberdesk.gui.dialogs.welcome import WelcomeDialog

    gc.enable()  # off while starting (see cli._launch_gui); building a demo county here makes garbage

    while True:
        dlg = WelcomeDialog(default_db_path(), parent)
        if dlg.exec() != WelcomeDialog.DialogCode.Accepted:
            return None
        if dlg.database is not None:
            return dlg.database
        if dlg.chosen_path is not None:
            opened = open_data_file(dlg.chosen_path, parent)
            if opened is not None:
                return opened


class Launcher:
    """Owns the one main window; replaces it when the clerk opens another data file."""

    def __init__(self) -> None:
        self.window = None

    def show(self, database: Database) -> None:
        from chamberdesk.gui.main_window import MainWindow

        old = self.window
        if database.path is not None:
            from chamberdesk.gui.dialogs.server_connection import set_server_active

            set_server_active(False)  # a data file was chosen: start on it next time, not on the server
            from chamberdesk.core.federation import is_demo

            # a demo file is never reopened by itself: the next start must not put real work into it
            if not is_demo(database):
                settings().set_value("files/last", str(database.path))
            settings().add_recent_file(str(database.path))
        self.window = MainWindow(database)
        from chamberdesk.gui.dialogs.login import install_idle_lock  # accounts on: lock when idle

        install_idle_lock(self.window, database)
        self.window.switch_file.connect(self.switch)
        self.window.show()
        if old is not None:
            old.close_for_switch()

    def switch(self, target: object) -> None:
        """`target` is a path to open, or None to show the welcome dialog (new / demo / open)."""
        parent = self.window
        if parent is not None and not parent._pages_may_close():
            return
        db = open_data_file(str(target), parent) if target else run_welcome(parent)
        if db is not None:
            self.show(db)


# Install checks (scripts/dev wintest, the Windows CI) start the window program, which has no console:
# with this set to a file name, the window reports what it shows into that file and quits.
STARTUP_PROBE = "CHAMBERDESK_STARTUP_PROBE"


def _probe_and_quit(path: str, launcher: Launcher, app: QApplication) -> None:
    """Report once the page's background work has reached the window, then quit.

    Quitting earlier hung the frozen `--open-package` start under wine now and then: QApplication.quit()
    closes the windows first, and the main window, finding the package still being summed up, asked
    "任务进行中，是否取消并退出？" in a dialog nobody sees (offscreen) — the event loop never ended."""
    from chamberdesk.gui import workers
    from chamberdesk.gui.main_window import PlaceholderPage

    if workers.unfinished_tasks():
        QTimer.singleShot(50, partial(_probe_and_quit, path, launcher, app))
        return
    win = launcher.window
    page = win.current_page()
    info = {"title": win.windowTitle(), "page": win.current_name(), "page_failed": isinstance(page, PlaceholderPage),
            "screen_scale": win.devicePixelRatioF()}
    if (table := getattr(page, "cons_table", None)) is not None:
        info["packages_shown"] = table.rowCount()  # the 上报数据包 summary of an --open-package start
    Path(path).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    app.quit()


def run(db: str | None = None, package: str | None = None) -> int:
    """Entry point of `chamberdesk` without a subcommand; returns the process exit code.

    `package`: an upward data package the clerk opened with the program, shown in 报表与导出."""
    app = make_app()
    database = choose_start_file(db)
    if database is None:
        return 2 if db else 0
    # What exists now lives until exit: keep it out of every collection, the one at exit included.
    gc.freeze()
    gc.enable()
    launcher = Launcher()
    launcher.show(database)
    if package:
        launcher.window.navigate("reports", {"packages": [Path(package)]})
    if os.environ.get(STARTUP_PROBE):
        QTimer.singleShot(0, partial(_probe_and_quit, os.environ[STARTUP_PROBE], launcher, app))
    code = app.exec()
    # A loop ended without the window's close (a Windows log-off) can leave a background task running,
    # such as reading an opened package: stop it before the data file and Qt go away.
    from chamberdesk.gui import workers

    workers.stop_all()
    # Tear down while Qt is still alive: letting the interpreter's final garbage collection free Qt
    # wrappers after QApplication is gone has crashed the process on exit.
    launcher.window = None
    del launcher
    gc.collect()
    app.shutdown()
    return code
