"""Services on a real SQLite file: bad input names the field and writes nothing; audit; uniqueness."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from chamberdesk.core import chambers, contacts, meetings, members, records
from chamberdesk.core.errors import Conflict, InvalidInput, NotFound
from chamberdesk.core.models import AuditLog, Member, Membership
from chamberdesk.core.validators import credit_code_check_char, id_check_digit

BODY = "91130534MA0000001"
CODE = BODY + credit_code_check_char(BODY)
ID17 = "13053419800101001"
IDNO = ID17 + id_check_digit(ID17)


def count(db, model) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def new_member(db, **kw) -> Member:
    data = {"kind": "enterprise", "enterprise_name": "清河县恒信机械制造有限公司", "credit_code": CODE,
            "rep_name": "王伟", "rep_id_number": IDNO, "rep_phone": "13800138000", "join_date": date(2020, 3, 1)}
    data.update(kw)
    with db.transaction() as s:
        return members.create_member(s, data)


def test_create_member_normalises(db) -> None:
    m = new_member(db, credit_code=" " + CODE.lower()[:9] + " " + CODE.lower()[9:], rep_phone="１３８ ００１３ ８０００",
                   rep_gender="男", industry="制造业", tags="高新技术、年轻一代")
    assert (m.credit_code, m.rep_phone, m.rep_gender, m.industry, m.tags) == (CODE, "13800138000", "M", "C", "高新技术,年轻一代")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("credit_code", CODE[:-1] + ("0" if CODE[-1] != "0" else "1"), "统一社会信用代码：校验位"),
    ("rep_id_number", "130534198002300011", "身份证号：出生日期不存在"),
    ("enterprise_name", "  ", "企业名称：必须填写"),
    ("join_date", date(2999, 1, 1), "入会日期：不能晚于今天"),
    ("leave_date", date(2019, 1, 1), "退会日期：退会日期不能早于入会日期"),
    ("rep_phone", "12345", "联系电话"),
    ("kind", "VIP会员", "会员类型"),
])
def test_bad_member_input_names_the_field_and_writes_nothing(db, field, value, message) -> None:
    before = (count(db, Member), count(db, AuditLog))
    with pytest.raises(InvalidInput) as err:
        new_member(db, **{field: value})
    assert message in str(err.value)
    assert field in err.value.by_field()
    assert (count(db, Member), count(db, AuditLog)) == before


def test_two_active_members_may_not_share_codes(db) -> None:
    new_member(db)
    with pytest.raises(InvalidInput, match="统一社会信用代码：该统一社会信用代码已被在册会员"):
        new_member(db, enterprise_name="另一家公司", rep_id_number=None)
    with pytest.raises(InvalidInput, match="身份证号：该身份证号已被在册会员"):
        new_member(db, enterprise_name="另一家公司", credit_code=None)
    assert count(db, Member) == 1


def test_a_member_who_left_frees_the_code(db) -> None:
    m = new_member(db)
    with db.transaction() as s:
        members.mark_left(s, [m.id], date(2023, 1, 1), "企业注销")
    new_member(db, enterprise_name="重新入会的公司")
    assert count(db, Member) == 2


def test_database_enforces_uniqueness_even_past_the_service(db) -> None:
    new_member(db)
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(Member(enterprise_name="绕过校验", credit_code=CODE))
    assert count(db, Member) == 1


def test_audit_log_records_create_update_delete_restore(db) -> None:
    m = new_member(db)
    with db.transaction() as s:
        members.update_member(s, m.id, {"rep_phone": "0371-12345678"}, expected_version=1)
    with db.transaction() as s:
        members.delete_member(s, m.id)
    with db.transaction() as s:
        records.restore(s, Member, m.id)
    with db.session() as s:
        log = s.exec(select(AuditLog).where(AuditLog.table_name == "member").order_by(AuditLog.id)).all()
    assert [e.action for e in log] == ["create", "update", "delete", "restore"]
    assert {e.record_id for e in log} == {m.id}
    assert all(e.user == "测试员" for e in log)
    # personal numbers are logged de-identified: the log shows the change, never the full number
    assert json.loads(log[1].before) == {"rep_phone": "138****8000"}
    assert json.loads(log[1].after) == {"rep_phone": "0371-****5678"}
    assert IDNO not in log[0].after and json.loads(log[0].after)["rep_id_number"] == IDNO[:6] + "********" + IDNO[-4:]


def test_optimistic_version_conflict(db) -> None:
    m = new_member(db)
    with db.transaction() as s:
        members.update_member(s, m.id, {"legal_rep": "甲"}, expected_version=1)
    with pytest.raises(Conflict, match="该记录已被他人修改"), db.transaction() as s:
        members.update_member(s, m.id, {"legal_rep": "乙"}, expected_version=1)
    with db.session() as s:
        assert s.get(Member, m.id).legal_rep == "甲"


def test_soft_deleted_member_is_hidden_and_purgeable(db) -> None:
    m = new_member(db)
    with db.transaction() as s:
        members.delete_member(s, m.id)
    with db.session() as s:
        assert members.count_members(s, members.MemberFilter(status=None)) == 0
        assert [x.id for x in records.recycle_bin(s, Member)] == [m.id]
        with pytest.raises(NotFound):
            members.update_member(s, m.id, {"legal_rep": "x"})
    with db.transaction() as s:
        records.purge(s, Member, m.id)
    assert count(db, Member) == 0


def test_ledger_filter_and_seats(db) -> None:
    with db.transaction() as s:
        ch = chambers.create_chamber(s, {"name": "城关镇商会", "kind": "乡镇商会"})
    m = new_member(db)
    other = new_member(db, enterprise_name="清河县鑫源餐饮管理有限公司", credit_code=None, rep_id_number=None,
                       rep_name="李娜", rep_phone="13900001111", join_date=date(2024, 5, 1))
    with db.transaction() as s:
        assert members.assign_to_chamber(s, [m.id, m.id], ch.id, "副会长") == 1
        members.add_tag(s, [other.id], "年轻一代")
    with db.session() as s:
        def ids(**kw):
            return members.member_ids(s, members.MemberFilter(**kw))
        assert ids(search="李娜") == [other.id]
        assert ids(search="0013") == [m.id]
        assert ids(search=CODE[:8].lower()) == [m.id]
        assert ids(chamber_id=ch.id) == [m.id]
        assert ids(join_year=2024) == [other.id]
        assert ids(tag="年轻一代") == [other.id]
        assert ids(sort="join_date", descending=True) == [other.id, m.id]
        assert members.chamber_names_for(s, [m.id]) == {m.id: "城关镇商会"}
        hist = members.member_history(s, m.id)
        assert hist.seats[0][:2] == ("城关镇商会", "副会长")


def test_purging_a_member_takes_its_contacts_and_seats(db) -> None:
    m = new_member(db)
    with db.transaction() as s:
        ch = chambers.create_chamber(s, {"name": "城关镇商会", "kind": "township"})
        members.assign_to_chamber(s, [m.id], ch.id)
        contacts.log_contact(s, {"member_id": m.id, "date": date(2024, 6, 1), "way": "电话"})
        members.delete_member(s, m.id)
    with db.transaction() as s:
        records.purge(s, Member, m.id)
    assert (count(db, Member), count(db, Membership)) == (0, 0)
    with db.session() as s:
        assert contacts.list_contacts(s, member_id=m.id) == []
        purged = s.exec(select(AuditLog.table_name).where(AuditLog.action == "purge")).all()
    assert sorted(purged) == ["contact", "member"]


def test_leaving_closes_the_seats_however_it_is_recorded(db) -> None:
    with db.transaction() as s:
        ch = chambers.create_chamber(s, {"name": "城关镇商会", "kind": "township"})
    stays = new_member(db, enterprise_name="乙公司", credit_code=None, rep_id_number=None)
    with db.transaction() as s:
        m2 = members.create_member(s, {"kind": "enterprise", "enterprise_name": "丙公司", "join_date": date(2019, 1, 1),
                                       "leave_date": date(2022, 1, 1)}, seats=[(ch.id, "理事")])
        members.assign_to_chamber(s, [stays.id], ch.id)
    with db.transaction() as s:
        members.update_member(s, stays.id, {"leave_date": date(2023, 5, 1)})
    with db.session() as s:
        assert s.exec(select(Membership).where(Membership.end_date.is_(None))).all() == []
        assert chambers.member_counts(s, date(2024, 1, 1)) == {}
        assert s.exec(select(Membership.end_date).where(Membership.member_id == m2.id)).one() == date(2022, 1, 1)
        assert s.exec(select(Membership.end_date).where(Membership.member_id == stays.id)).one() == date(2023, 5, 1)


def test_chamber_validation(db) -> None:
    with pytest.raises(InvalidInput) as err, db.transaction() as s:
        chambers.create_chamber(s, {"name": "", "kind": "协会", "term_start": date(2024, 1, 1),
                                    "term_end": date(2023, 1, 1), "office_area": -5})
    fields = err.value.by_field()
    assert set(fields) == {"name", "kind", "term_end", "office_area"}


def test_meeting_and_contact_rules(db) -> None:
    with pytest.raises(InvalidInput, match="实到人数不能多于应到人数"), db.transaction() as s:
        meetings.create_meeting(s, {"body": "理事会", "date": date(2024, 3, 1), "expected_count": 10, "present_count": 12})
    m = new_member(db)
    with db.transaction() as s:
        ch = chambers.create_chamber(s, {"name": "城关镇商会", "kind": "township"})
        s.add(Membership(member_id=m.id, chamber_id=ch.id, start_date=date(2020, 3, 1)))
        contacts.log_contact(s, {"member_id": m.id, "chamber_id": ch.id, "date": date(2024, 6, 1), "way": "实地走访"})
    with db.session() as s:
        cov = contacts.coverage(s, ch.id, 2024)
    assert (cov.members, cov.visited, cov.contacted) == (1, 1, 1)
