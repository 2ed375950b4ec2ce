"""The Qt binding itself: guards against a known-bad PySide6 release slipping back in."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLineEdit, QWidget


def test_qt_calls_do_not_eat_references_to_none(qapp) -> None:
    """PySide6 6.12.0 returned None from void methods without a reference: each setText or setEnabled
    took one away, and a clerk's long session ended in a fatal "deallocating None" abort."""
    edit, widget = QLineEdit(), QWidget()
    before = sys.getrefcount(None)
    for i in range(2000):
        edit.setText(str(i % 7))
        widget.setEnabled(i % 2 == 0)
    assert sys.getrefcount(None) >= before - 50, "this PySide6 release leaks references to None: pin another"
