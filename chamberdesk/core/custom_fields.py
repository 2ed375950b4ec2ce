"""自定义信息: what a record keeps of an imported sheet's columns the app has no field for.

Stored per record as a JSON object {column title as the sheet wrote it: text} in the `custom`
column (member, chamber, meeting, activity, contact), kept in the member search text, shown in the
editors and exported back under the same titles.
"""

from __future__ import annotations

import json
from typing import Any

MAX_KEYS = 60
MAX_VALUE = 2000


def load(value: object) -> dict[str, str]:
    """The fields of a stored (or already decoded) value; anything unreadable counts as none."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    if not value:
        return {}
    try:
        data = json.loads(str(value))
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def dump(fields: dict[str, Any] | None) -> str | None:
    """The stored text: keys in the sheet's order, blank values dropped; None when nothing is left."""
    clean = {str(k).strip(): str(v).strip() for k, v in (fields or {}).items()
             if str(k).strip() and v is not None and str(v).strip()}
    return json.dumps(clean, ensure_ascii=False) if clean else None


def normalise(value: object) -> str | None:
    """Raise ValueError (Chinese) for a value that cannot be kept; return the stored text."""
    if value is None:  # most records: nothing to decode or encode
        return None
    fields = load(value) if not isinstance(value, str) or value.strip().startswith("{") else None
    if fields is None:
        raise ValueError("自定义信息应为“列名: 内容”的对应关系")
    if len(fields) > MAX_KEYS:
        raise ValueError(f"自定义信息不能超过{MAX_KEYS}项")
    long = [k for k, v in fields.items() if len(v) > MAX_VALUE or len(k) > 100]
    if long:
        raise ValueError(f"自定义信息“{long[0]}”过长（内容不超过{MAX_VALUE}字）")
    return dump(fields)


def titles_in(values: list[object]) -> list[str]:
    """Every custom title used by these stored values, in first-seen order (export columns)."""
    seen: dict[str, None] = {}
    for v in values:
        for k in load(v):
            seen.setdefault(k, None)
    return list(seen)
