"""GUI fixtures: settings in a temp folder, an AppContext on a copy of the demo county, modal answers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from chamberdesk.core import accounts
from chamberdesk.gui import settings as gui_settings
from chamberdesk.gui.context import AppContext


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory):
    """Each test writes its window layout and recent files to its own folder, never the user's."""
    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    gui_settings.reset_settings_cache()
    yield folder
    gui_settings.reset_settings_cache()


@pytest.fixture
def ctx(qapp, demo_db) -> AppContext:
    return AppContext(demo_db)


@pytest.fixture
def reader(ctx, monkeypatch):
    """The demo county with accounts on and a 只读 user logged in."""
    monkeypatch.setattr(accounts, "_N", 2**10)  # cheap hashes: roles are what is tested here
    with ctx.db.transaction() as s:
        accounts.enable_accounts(s, "admin", "Shiyan#2024")
        accounts.create_user(s, "chakan", "Kanyikan2024", "只读")
    accounts.login(ctx.db, "chakan", "Kanyikan2024")
    return ctx


@pytest.fixture
def styled_app(qapp):
    """The application with our translations and look, as `chamberdesk` starts it."""
    from chamberdesk.gui.app import make_app

    return make_app()


def click_in_modal(button_text: str, before: Callable[[QWidget], None] | None = None, *,
                   delay_ms: int = 50, tries: int = 400) -> list[QWidget]:
    """When a modal dialog opens, run `before(dialog)` then click its button labelled `button_text`.

    Returns a list that receives the dialog, so the test can look at what was shown.
    """
    seen: list[QWidget] = []

    def attempt(left: int) -> None:
        dlg = QApplication.activeModalWidget()
        if dlg is None or dlg in seen:
            if left > 0:
                QTimer.singleShot(delay_ms, lambda: attempt(left - 1))
            return
        seen.append(dlg)
        if before is not None:
            before(dlg)
        for b in dlg.findChildren(QAbstractButton):
            if b.text().replace("&", "") == button_text and b.isVisible():
                b.click()
                return
        raise AssertionError(f"no button {button_text!r} in {dlg.windowTitle()!r}")

    QTimer.singleShot(delay_ms, lambda: attempt(tries))
    return seen


@pytest.fixture
def answer_modal():
    return click_in_modal


@pytest.fixture
def copy_demo(demo_template: Path, tmp_path: Path) -> Callable[[str], Path]:
    from tests.conftest import copy_data_file

    def make(name: str = "copy.db") -> Path:
        return copy_data_file(demo_template, tmp_path / name)

    return make


def answer_override(monkeypatch, value: Callable[[QWidget], None], reason: str) -> None:
    """The next 改判 dialog is answered: first 确定 without a reason (refused with a line saying why), then
    `value(dialog)` sets the decided value and `reason` is given."""
    from chamberdesk.gui.dialogs.override_dialog import OverrideDialog

    def answer(dlg: OverrideDialog) -> int:
        value(dlg)
        dlg.reason.setText("")
        dlg.check()
        assert dlg.entry is None and "理由" in dlg.error.text()
        dlg.reason.setText(reason)
        dlg.check()
        assert dlg.entry is not None
        return dlg.result()

    monkeypatch.setattr(OverrideDialog, "exec", answer)


# The reason a test of pixel widths is marked wine_limitation (the Windows run under wine counts and prints them)
WINE_NO_FONT = "Qt's offscreen platform under wine resolves no font (QFontInfo: no family, pixel size -1), so widget sizes come from placeholder metrics, not from the fonts a Windows PC lays out with"
