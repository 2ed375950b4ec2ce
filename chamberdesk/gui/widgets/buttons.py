"""The OK/保存 and 取消 button row every dialog ends with, and the yes/no question, set up in one place."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QPushButton, QWidget


def dialog_buttons(
    dialog: QDialog,
    *,
    ok_text: str | None = None,
    save: bool = False,
    on_accept: Callable[[], object] | None = None,
) -> QDialogButtonBox:
    """A 确定 (or 保存 when `save`) and 取消 row for `dialog`.

    The accept button reads `ok_text` when given. Accepting calls `on_accept` (a dialog that checks
    its fields first passes its own slot; it calls `dialog.accept()` itself when they pass), or
    `dialog.accept` when none is given; 取消 rejects. Texts are set here rather than left to Qt's
    translations, which may be missing on a clerk's machine. `accept_button(box)` returns the
    accept button.
    """
    ok = QDialogButtonBox.StandardButton.Save if save else QDialogButtonBox.StandardButton.Ok
    box = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    box.button(ok).setText(ok_text or ("保存" if save else "确定"))
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    cancel.setText("取消")
    # Enter is the accept button (once enabled), never 取消, whichever button had the focus last
    for b in (box.button(ok), cancel):
        b.setAutoDefault(False)
    box.button(ok).setDefault(True)
    box.accepted.connect(on_accept or dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def accept_button(box: QDialogButtonBox) -> QPushButton:
    """The 确定/保存 button of a row made by `dialog_buttons` (to disable it, or click it in tests)."""
    return box.button(QDialogButtonBox.StandardButton.Save) or box.button(QDialogButtonBox.StandardButton.Ok)


# 是/否 for QMessageBox.question; pass StandardButton.No as its default where 是 deletes or gives something
# up, so Enter alone never does it
YES_NO = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No


def confirm(parent: QWidget | None, title: str, text: str, *, yes: str, no: str = "取消",
            warning: bool = False, destructive: bool = False) -> bool:
    """Ask a question whose buttons say what they do (删除 / 取消, not 是 / 否); True when `yes` was
    clicked. The safe answer `no` is the default, so Enter never deletes or discards."""
    box = QMessageBox(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.NoButton, parent)
    yes_btn = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole if destructive
                            else QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton(no, QMessageBox.ButtonRole.RejectRole))
    box.exec()
    return box.clickedButton() is yes_btn


def ask_save(parent: QWidget | None, title: str, text: str, *, save: str = "保存", discard: str = "不保存") -> str:
    """Unsaved input is about to be left: "save", "discard" or "cancel" (Esc, the window's ×) as the clerk
    answers; 保存 is the default. The buttons say what they do rather than Qt's 丢弃/忽略."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    save_btn = box.addButton(save, QMessageBox.ButtonRole.AcceptRole)
    discard_btn = box.addButton(discard, QMessageBox.ButtonRole.DestructiveRole)
    box.setEscapeButton(box.addButton("取消", QMessageBox.ButtonRole.RejectRole))
    box.setDefaultButton(save_btn)
    box.exec()
    clicked = box.clickedButton()
    return "save" if clicked is save_btn else "discard" if clicked is discard_btn else "cancel"
