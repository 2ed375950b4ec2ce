"""Field-level checks shared by every service: each normalises one value or records a FieldError."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from chamberdesk.core import custom_fields
from chamberdesk.core.choices import Choice
from chamberdesk.core.errors import FieldError, InvalidInput
from chamberdesk.core.validators import check_not_future, clean_multiline, clean_text, normalize_org_name


@cache
def _codes(enum: type[Choice]) -> dict[str, str]:
    """Value or label → the stored value, as Choice.parse finds the member (every imported row asks)."""
    return {text: m.value for m in enum for text in (m.value, m.label) if enum.parse(text) is m}


class Checker:
    """Collects every field's problem, so the clerk sees all of them at once."""

    def __init__(self, data: dict[str, Any], labels: dict[str, str]) -> None:
        self.data = dict(data)
        self.labels = labels
        self.errors: list[FieldError] = []
        self._today: date | None = None

    def today(self) -> date:
        """Today, read once per record, not once per date field."""
        if self._today is None:
            self._today = date.today()
        return self._today

    def fail(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, self.labels.get(field, field), message))

    def has_error(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def text(self, field: str, *, required: bool = False, max_len: int = 200) -> None:
        """A one-line text: inner whitespace runs, line breaks included, become one space."""
        self._text(field, clean_text, required, max_len)

    def long_text(self, field: str, *, required: bool = False, max_len: int = 20000) -> None:
        """A multi-line text (备注, 议题, 纪要 …): the clerk's line breaks are kept."""
        self._text(field, clean_multiline, required, max_len)

    def org_name(self, field: str, *, required: bool = False, max_len: int = 200) -> None:
        """An enterprise or chamber name: no spaces beside Chinese characters, so searches find it."""
        self._text(field, normalize_org_name, required, max_len)

    def _text(self, field: str, clean: Callable[[object], str | None], required: bool, max_len: int) -> None:
        v = clean(self.data.get(field))
        if v is None and required:
            self.fail(field, "必须填写")
        elif v is not None and len(v) > max_len:
            self.fail(field, f"不能超过{max_len}个字")
        self.data[field] = v

    def choice(self, field: str, enum: type[Choice], *, required: bool = False) -> None:
        v = self.data.get(field)
        if v in (None, ""):
            if required:
                self.fail(field, "必须选择")
            self.data[field] = None
            return
        code = _codes(enum).get(str(v).strip())
        if code is None:
            self.fail(field, f"“{v}”不是可选项（可选：{'、'.join(enum.labels())}）")
        else:
            self.data[field] = code

    def normalised(self, field: str, fn: Callable[[Any], Any]) -> None:
        v = self.data.get(field)
        if v in (None, ""):
            self.data[field] = None
            return
        try:
            self.data[field] = fn(v)
        except ValueError as exc:
            self.fail(field, str(exc))

    def past_date(self, field: str, *, required: bool = False) -> None:
        v = self.data.get(field)
        if v is None:
            if required:
                self.fail(field, "必须填写")
            return
        if not isinstance(v, date):
            self.fail(field, "不是有效日期")
            return
        try:
            check_not_future(v, today=self.today())
        except ValueError as exc:
            self.fail(field, str(exc))

    def custom(self, field: str = "custom") -> None:
        """自定义信息 as JSON text (a dict from an editor or an importer is accepted)."""
        try:
            self.data[field] = custom_fields.normalise(self.data.get(field))
        except ValueError as exc:
            self.fail(field, str(exc))

    def non_negative(self, *fields: str) -> None:
        for f in fields:
            v = self.data.get(f)
            if v is not None and v < 0:
                self.fail(f, "不能为负数")

    def done(self) -> dict[str, Any]:
        if self.errors:
            raise InvalidInput(self.errors)
        return self.data
