"""Per-user window preferences in QSettings (INI), behind typed options with defaults.

Settings that belong to the data (federation name, region, rubric choices) live in the data file
(core.federation.get_setting/set_setting); here only what belongs to this user on this computer:
window geometry, splitter and column layouts, recent files, last used values in forms.

    from chamberdesk.gui.settings import settings
    settings().set_value("members/hidden_columns", ["rep_id_number"])
    hidden = settings().list_value("members/hidden_columns")
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "ChamberDesk"
APPLICATION = "ChamberDesk"
MAX_RECENT = 8


class Settings:
    """A thin typed layer over QSettings: QSettings returns strings from INI files, we return types."""

    def __init__(self, qs: QSettings | None = None) -> None:
        self.qs = qs or QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)

    # --- typed getters -----------------------------------------------------------------------
    def value(self, key: str, default: Any = None) -> Any:
        return self.qs.value(key, default)

    def str_value(self, key: str, default: str = "") -> str:
        v = self.qs.value(key, default)
        return default if v is None else str(v)

    def int_value(self, key: str, default: int = 0) -> int:
        try:
            return int(self.qs.value(key, default))
        except (TypeError, ValueError):
            return default

    def bool_value(self, key: str, default: bool = False) -> bool:
        v = self.qs.value(key, default)
        if isinstance(v, str):
            return v.lower() in ("1", "true", "yes")
        return bool(v)

    def list_value(self, key: str, default: list[str] | None = None) -> list[str]:
        v = self.qs.value(key, None)
        if v is None or v == "":
            return list(default or [])
        if isinstance(v, str):
            return [v]
        return [str(x) for x in v]

    def bytes_value(self, key: str) -> QByteArray | None:
        v = self.qs.value(key, None)
        return v if isinstance(v, QByteArray) and not v.isEmpty() else None

    # --- setters -----------------------------------------------------------------------------
    def set_value(self, key: str, value: Any) -> None:
        self.qs.setValue(key, value)

    def remove(self, key: str) -> None:
        self.qs.remove(key)

    def sync(self) -> None:
        self.qs.sync()

    # --- recent data files -------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        return self.list_value("files/recent")

    def add_recent_file(self, path: str) -> None:
        files = [p for p in self.recent_files() if p != path]
        self.set_value("files/recent", [path, *files][:MAX_RECENT])


_instance: Settings | None = None


def settings() -> Settings:
    """The process-wide settings object (tests point QSettings at a temp folder first)."""
    global _instance
    if _instance is None:
        _instance = Settings()
    return _instance


def reset_settings_cache() -> None:
    global _instance
    _instance = None
