"""Chamber validation: a chamber registered with 民政 has a social organisation's credit code."""

from __future__ import annotations

import pytest

from chamberdesk.core import chambers
from chamberdesk.core.errors import InvalidInput
from chamberdesk.core.validators import credit_code_check_char


def code(body17: str) -> str:
    return body17 + credit_code_check_char(body17)


SOCIAL = code("51130534MJ5100001")  # 5 = 民政, 1 = 社会团体
ENTERPRISE = code("91130534MA0000017")  # 9 = 市场监管: a company's code


def errors_of(data: dict) -> dict[str, str]:
    try:
        chambers.validate_chamber(None, {"name": "城关镇商会", "kind": "township", **data})
    except InvalidInput as exc:
        return exc.by_field()
    return {}


def test_registered_without_code_says_what_to_enter() -> None:
    errs = errors_of({"registered": True})
    assert set(errs) == {"credit_code"}
    assert "统一社会信用代码" in errs["credit_code"] and "5开头" in errs["credit_code"]
    assert "取消“民政登记”" in errs["credit_code"]  # the other way out when it is not registered yet


def test_registered_with_an_enterprise_code_is_named_as_such() -> None:
    errs = errors_of({"registered": True, "credit_code": ENTERPRISE})
    assert "以“9”开头" in errs["credit_code"] and "企业" in errs["credit_code"]


def test_a_mistyped_code_reports_the_typing_error_only() -> None:
    bad = SOCIAL[:-1] + ("0" if SOCIAL[-1] != "0" else "1")
    errs = errors_of({"registered": True, "credit_code": bad})
    assert errs["credit_code"] == "校验位不正确，请核对是否抄错"


def test_registered_with_a_social_code_and_unregistered_without_pass() -> None:
    assert errors_of({"registered": True, "credit_code": SOCIAL.lower()}) == {}
    assert errors_of({"registered": False}) == {}
    assert errors_of({}) == {}


def test_service_writes_obey_the_rule(db) -> None:
    with db.transaction() as s:
        cid = chambers.create_chamber(s, {"name": "城关镇商会", "kind": "township"}).id
    with pytest.raises(InvalidInput) as exc, db.transaction() as s:
        chambers.update_chamber(s, cid, {"registered": True})
    assert "credit_code" in exc.value.by_field()
    with db.transaction() as s:
        chambers.update_chamber(s, cid, {"registered": True, "credit_code": SOCIAL})
    with db.session() as s:
        assert chambers.find_chamber(s, "城关镇商会").credit_code == SOCIAL


def test_demo_county_has_no_registered_chamber_without_its_code(demo_db) -> None:
    with demo_db.session() as s:
        listed = chambers.list_chambers(s)
        for ch in listed:
            chambers.validate_chamber(s, ch.model_dump(), exclude_id=ch.id)
    registered = [ch for ch in listed if ch.registered]
    assert registered and all(ch.credit_code.startswith("5") for ch in registered)
