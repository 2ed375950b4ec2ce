"""Files the clerk saves: default names, where the save dialog starts, and the notice once a file is written."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from chamberdesk.gui.settings import settings

LAST_FOLDER = "files/last_save_folder"


def year_name(year: int | None, name: str) -> str:
    """"2026年会议记录", "2026年度基层商会工作情况统计表" — never "2026年年度…"."""
    if not year:
        return name
    return f"{year}{name}" if name.startswith(("年度", "年")) else f"{year}年{name}"


def start_folder() -> Path:
    """The folder the last file was saved to, else the clerk's 文档 (Documents) folder."""
    last = settings().str_value(LAST_FOLDER)
    if last and Path(last).is_dir():
        return Path(last)
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def remember_folder(path: Path) -> None:
    folder = path if path.is_dir() else path.parent
    settings().set_value(LAST_FOLDER, str(folder))


def ask_save_path(parent: QWidget | None, title: str, name: str, file_filter: str, suffix: str) -> Path | None:
    """The save dialog, starting in the last folder used (or 文档) with `name` filled in; the chosen path
    with `suffix` (".xlsx") added when the clerk left it off; None when cancelled."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(start_folder() / name), file_filter)
    if not chosen:
        return None
    path = Path(chosen if chosen.lower().endswith(suffix) else chosen + suffix)
    remember_folder(path)
    return path


def ask_folder(parent: QWidget | None, title: str) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, title, str(start_folder()))
    if not chosen:
        return None
    remember_folder(Path(chosen))
    return Path(chosen)


def open_file(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_folder(path: Path) -> bool:
    """The folder holding `path`, with the file selected where the system can (Windows Explorer)."""
    if sys.platform == "win32" and path.exists():
        # two arguments, as Explorer takes them: Qt quotes a path with a space (C:\Users\张 三) on its own,
        # where one "/select,<path>" argument would be quoted whole and Explorer would not select the file
        return QProcess.startDetached("explorer.exe", ["/select,", str(path)])[0]
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path if path.is_dir() else path.parent)))


class FileNotice(QDialog):
    """导出完成 / 已保存: what was written and where, with 打开文件, 打开所在文件夹 and 关闭.

    Shown without blocking (the clerk may go on working); 关闭 is the default button."""

    def __init__(self, parent: QWidget | None, title: str, path: Path, detail: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.path = path
        many = path.is_dir()
        head = QLabel(f"<b>{'文件已保存到以下文件夹' if many else '已保存文件'}：</b>")
        name = QLabel(path.name if not many else str(path))
        name.setWordWrap(True)
        name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        name.setStyleSheet("font-size:11pt;")
        where = QLabel(f"位置：{path.parent}" if not many else "")
        where.setObjectName("muted")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(name)
        if not many:
            lay.addWidget(where)
        if detail:
            more = QLabel(detail)
            more.setWordWrap(True)
            lay.addWidget(more)
        self.open_button = QPushButton("打开文件")
        self.open_button.clicked.connect(lambda: (open_file(path), self.accept()))
        self.open_button.setVisible(not many)
        self.folder_button = QPushButton("打开所在文件夹")
        self.folder_button.clicked.connect(lambda: (open_folder(path), self.accept()))
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.accept)
        for b in (self.open_button, self.folder_button):
            b.setAutoDefault(False)  # Enter closes the notice, whichever button has the focus
        self.close_button.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.folder_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        lay.addSpacing(8)
        lay.addLayout(row)
        self.setMinimumWidth(420)


def notify_saved(parent: QWidget | None, title: str, path: Path, detail: str = "") -> FileNotice:
    """Show the FileNotice for `path` (a file, or the folder a batch went to) and return it."""
    notice = FileNotice(parent, title, Path(path), detail)
    notice.show()
    notice.raise_()
    return notice
