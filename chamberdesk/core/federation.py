"""The federation itself (本级工商联): its one record, its yearly budgets, and data-file settings."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from chamberdesk.core import records
from chamberdesk.core.fields import Checker
from chamberdesk.core.models import FEDERATION_LABELS, Federation, FederationBudget, Setting

if TYPE_CHECKING:
    from chamberdesk.core.db import Database

_COUNTS = ("staff_quota", "staff_count", "fax_count", "phone_count", "copier_count", "computer_count",
           "printer_count", "car_count", "private_enterprises", "above_scale_enterprises")


# GB/T 2260 province-level codes: the first two digits of every county code
PROVINCE_CODES = frozenset(["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"])


def validate_federation(data: dict[str, Any]) -> dict[str, Any]:
    c = Checker(data, FEDERATION_LABELS)
    c.org_name("name", required=True, max_len=100)
    c.text("region_name", max_len=50)
    code = str(c.data.get("region_code") or "").strip()
    if code and not re.fullmatch(r"[0-9]{6}", code):
        c.fail("region_code", "应为6位数字（GB/T 2260 行政区划代码）")
    elif code and (code[:2] not in PROVINCE_CODES or code[2:] == "0000"):
        c.fail("region_code", f"“{code}”不是县级行政区划代码（前两位应为省级代码，如 130534）")
    c.data["region_code"] = code
    c.non_negative("office_area", *_COUNTS)
    return c.done()


def get_federation(session: Session) -> Federation | None:
    return session.exec(select(Federation).where(col(Federation.deleted_at).is_(None)).order_by(col(Federation.id))).first()


def save_federation(session: Session, changes: dict[str, Any], *, expected_version: int | None = None) -> Federation:
    fed = get_federation(session)
    if fed is None:
        fed = Federation(**validate_federation({**Federation(name="x").model_dump(), **changes}))
        session.add(fed)
        session.flush()
        return fed
    return records.apply_update(session, fed, changes, expected_version=expected_version, validate=validate_federation)


def set_budget(session: Session, year: int, *, working_funds: float, investment_funds: float) -> FederationBudget:
    b = session.exec(select(FederationBudget).where(FederationBudget.year == year)).first() or FederationBudget(year=year)
    b.working_funds = working_funds
    b.investment_funds = investment_funds
    session.add(b)
    return b


def get_budget(session: Session, year: int) -> FederationBudget | None:
    return session.exec(select(FederationBudget).where(FederationBudget.year == year)).first()


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    s = session.get(Setting, key)
    return default if s is None else json.loads(s.value)


def set_setting(session: Session, key: str, value: Any) -> None:
    s = session.get(Setting, key) or Setting(key=key)
    s.value = json.dumps(value, ensure_ascii=False)
    session.add(s)


DEMO_SETTING = "demo_data"  # marks a demo file so the app never takes it for the office's real ledger


def is_demo(db: Database) -> bool:
    """Whether the file was made as demo data (the app warns and never reopens it by itself)."""
    with db.session() as s:
        return bool(get_setting(s, DEMO_SETTING, False))
