"""Layout pieces the pages share: a list beside a detail pane whose split is remembered, and a
vertically scrolling holder for long forms."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QWidget

from chamberdesk.gui.settings import settings


def vertical_scroll(widget: QWidget, *, fit_width: bool = False, frame: bool = True) -> QScrollArea:
    """Scroll `widget` up and down only; with `fit_width` the pane is never narrower than the form,
    so nothing (保存 at its top right, above all) is ever clipped sideways."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(widget)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    if not frame:
        scroll.setFrameShape(QFrame.Shape.NoFrame)
    if fit_width:
        scroll.setMinimumWidth(widget.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 4)
    return scroll


def remembered_splitter(key: str, first: QWidget, second: QWidget, *, sizes: tuple[int, int],
                        stretch: tuple[int, int] = (1, 1)) -> QSplitter:
    """A side-by-side split whose position is kept in the settings under `<key>/splitter`."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(first)
    splitter.addWidget(second)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    state = settings().bytes_value(f"{key}/splitter")
    if state is not None:
        splitter.restoreState(state)
    else:
        splitter.setSizes(list(sizes))
    splitter.splitterMoved.connect(lambda *_: settings().set_value(f"{key}/splitter", splitter.saveState()))
    return splitter


def resize_to_fit(window: QWidget, width: int, height: int, *, margin: int = 60) -> None:
    """Open at `width`×`height`, or smaller where the screen is (a 1366×768 office laptop, taskbar shown)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        avail = screen.availableGeometry()
        width, height = min(width, avail.width() - 20), min(height, avail.height() - margin)
    window.resize(max(width, 400), max(height, 400))
