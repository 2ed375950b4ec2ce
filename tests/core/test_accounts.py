"""Accounts, roles and personal data: hashes, lockout, permissions, reveal logging, anonymising, audit retention."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from chamberdesk.core import accounts, privacy
from chamberdesk.core.errors import InvalidInput
from chamberdesk.core.members import create_member, mark_left, update_member
from chamberdesk.core.models import AuditLog, Member, User
from chamberdesk.core.validators import id_check_digit

PW = "Abc12345x"


@pytest.fixture(autouse=True)
def fast_hashes(request, monkeypatch):
    """Cheaper scrypt for tests about roles and lockout; the real parameters are tested on their own."""
    if "scrypt" not in request.node.name:
        monkeypatch.setattr(accounts, "_N", 2**10)


def _id(first17: str) -> str:
    return first17 + id_check_digit(first17)


def test_scrypt_hash_carries_its_parameters():
    h = accounts.hash_password(PW)
    assert h.startswith("scrypt$n=16384,r=8,p=1$")
    assert accounts.verify_password(PW, h)
    assert not accounts.verify_password(PW + "!", h)
    assert accounts.hash_password(PW) != h  # salted
    weak = accounts.hash_password(PW, n=2**10)
    assert accounts.verify_password(PW, weak)  # old parameters still verify
    assert not accounts.verify_password(PW, "garbage")


@pytest.mark.parametrize(("pw", "problem"), [
    ("Ab1", "至少 8 个字符"), ("abcdefgh", "字母和数字"), ("12345678", "字母和数字"),
    ("wangwu123", "不能包含用户名"), ("a1a1a1a1", "过少"),
])
def test_password_rule(pw, problem):
    assert any(problem in p for p in accounts.password_problems(pw, "wangwu"))


def _setup_users(db):
    with db.transaction() as s:
        accounts.enable_accounts(s, "admin", PW)
        accounts.create_user(s, "clerk1", "Clerk2024", "录入员")
        accounts.create_user(s, "reader1", "Reader2024", "reader")
    assert accounts.prepare(db)


def test_accounts_off_by_default_acts_as_admin(db):
    assert not accounts.prepare(db)
    for action in accounts.ACTIONS:
        assert accounts.allowed(db, action)


def test_enable_needs_an_admin(db):
    with pytest.raises(InvalidInput, match="管理员"), db.transaction() as s:
        accounts.enable_accounts(s)
    with db.session() as s:
        assert not accounts.accounts_enabled(s)


def test_login_and_roles(db):
    _setup_users(db)
    assert not accounts.allowed(db, "view")  # on, nobody logged in
    with pytest.raises(accounts.PermissionDenied, match="未登录"):
        accounts.require(db, "view")
    u = accounts.login(db, "clerk1", "Clerk2024")
    assert u.role_label == "录入员" and db.user == "clerk1"
    accounts.require(db, "edit")
    for action in ("restore", "manage_users", "export_unmasked"):
        with pytest.raises(accounts.PermissionDenied, match="录入员"):
            accounts.require(db, action)
    accounts.login(db, "admin", PW)
    for action in accounts.ACTIONS:
        accounts.require(db, action)


def test_reader_cannot_write_through_any_service(db):
    _setup_users(db)
    accounts.login(db, "reader1", "Reader2024")
    with pytest.raises(accounts.PermissionDenied, match="只读"):
        accounts.require(db, "edit")
    with pytest.raises(accounts.PermissionDenied), db.transaction() as s:
        create_member(s, {"kind": "enterprise", "enterprise_name": "偷偷加的"})
    with db.session() as s:
        assert s.exec(select(Member)).first() is None


def test_a_reader_leaves_no_read_only_behind_for_the_next_login(db):
    """An idle-lock unlock by a 录入员 after a 只读 session may write again; a locked file stays read-only."""
    _setup_users(db)
    accounts.login(db, "reader1", "Reader2024")
    assert db.read_only
    accounts.login(db, "clerk1", "Clerk2024")
    assert not db.read_only
    with db.transaction() as s:
        create_member(s, {"kind": "enterprise", "enterprise_name": "清河县永信商贸有限公司"})
    db.read_only = True  # opened read-only: another PC holds the file
    accounts.login(db, "reader1", "Reader2024")
    accounts.login(db, "admin", PW)
    assert db.read_only
    with pytest.raises(accounts.PermissionDenied, match="只读方式打开"):
        accounts.require(db, "edit")


def test_lockout_after_five_failures_for_ten_minutes(db):
    _setup_users(db)
    t0 = datetime(2025, 6, 1, 9, 0, 0)
    for i in range(4):
        with pytest.raises(accounts.LoginFailed, match=f"再错 {4 - i} 次"):
            accounts.login(db, "clerk1", "wrong", now=t0)
    with pytest.raises(accounts.LoginFailed, match="已锁定 10 分钟"):
        accounts.login(db, "clerk1", "wrong", now=t0)
    # Even the right password is refused while locked.
    with pytest.raises(accounts.LoginFailed, match="09:10"):
        accounts.login(db, "clerk1", "Clerk2024", now=t0 + timedelta(minutes=9))
    u = accounts.login(db, "clerk1", "Clerk2024", now=t0 + timedelta(minutes=10, seconds=1))
    assert u.username == "clerk1"
    with db.session() as s:
        row = accounts.find_user(s, "clerk1")
        assert row.failed_count == 0 and row.locked_until is None
        # the failures are in the audit log (who, when); the hash never is
        logs = s.exec(select(AuditLog).where(AuditLog.table_name == "app_user")).all()
        assert logs and all("password_hash" not in (entry.after or "") for entry in logs)


def test_unknown_user_same_message(db):
    _setup_users(db)
    with pytest.raises(accounts.LoginFailed, match="用户名或密码错误"):
        accounts.login(db, "nobody", PW)


def test_last_admin_is_protected(db):
    _setup_users(db)
    with pytest.raises(InvalidInput, match="管理员"), db.transaction() as s:
        accounts.set_role(s, "admin", "clerk")
    with pytest.raises(InvalidInput, match="最后一名管理员"), db.transaction() as s:
        accounts.set_active(s, "admin", False)
    with db.transaction() as s:
        accounts.set_password(s, "clerk1", "NewPass99")
        accounts.set_active(s, "reader1", False)
    accounts.login(db, "clerk1", "NewPass99")
    with pytest.raises(accounts.LoginFailed):
        accounts.login(db, "reader1", "Reader2024")


def test_reveal_is_logged_and_needs_permission(db):
    idn = _id("11010519800101123")
    with db.transaction() as s:
        m = create_member(s, {"kind": "enterprise", "enterprise_name": "甲公司", "rep_id_number": idn,
                              "rep_phone": "13800138000"})
    _setup_users(db)
    accounts.login(db, "reader1", "Reader2024")
    with pytest.raises(accounts.PermissionDenied):
        privacy.reveal(db, m.id, "rep_id_number")
    accounts.login(db, "clerk1", "Clerk2024")
    assert privacy.reveal(db, m.id, "rep_id_number") == idn
    with db.session() as s:
        entry = s.exec(select(AuditLog).where(AuditLog.action == "reveal")).one()
    assert entry.user == "clerk1" and entry.record_id == m.id and "rep_id_number" in entry.after


def test_anonymise_members_who_left_long_ago(db):
    with db.transaction() as s:
        old = create_member(s, {"kind": "personal", "enterprise_name": "赵个人", "rep_name": "赵六",
                                "rep_id_number": _id("11010519700101123"), "rep_phone": "13900139000",
                                "join_date": date(2010, 1, 1)})
        recent = create_member(s, {"kind": "enterprise", "enterprise_name": "乙公司", "rep_name": "钱七",
                                   "join_date": date(2010, 1, 1)})
    with db.transaction() as s:
        update_member(s, old.id, {"rep_phone": "13900139001"})
        mark_left(s, [old.id], date(2015, 1, 1), "迁出")
        mark_left(s, [recent.id], date(2024, 1, 1), "迁出")
    with pytest.raises(InvalidInput, match="保留年限"):
        privacy.anonymise_left_members(db, today=date(2025, 6, 1))
    with db.transaction() as s:
        privacy.set_retention_years(s, 5)
    assert privacy.anonymise_left_members(db, today=date(2025, 6, 1)) == 1
    assert privacy.anonymise_left_members(db, today=date(2025, 6, 1)) == 0  # idempotent
    with db.session() as s:
        o = s.get(Member, old.id)
        r = s.get(Member, recent.id)
        assert o.rep_name == privacy.ANON_NAME and o.rep_id_number is None and o.rep_phone is None
        assert o.enterprise_name == privacy.ANON_NAME  # a personal member's "enterprise" is the person
        assert o.leave_date == date(2015, 1, 1)  # history stays
        assert r.rep_name == "钱七"
        texts = [(e.before or "") + (e.after or "") for e in s.exec(
            select(AuditLog).where(AuditLog.table_name == "member"))
            if e.record_id == old.id or (e.record_id is None and f'"id": {old.id},' in (e.after or ""))]
    assert len(texts) >= 3  # its create, its phone change, its leaving
    joined = "".join(texts)
    assert "13900139000" not in joined and "13900139001" not in joined and "赵六" not in joined
    assert "***" in joined
    assert "赵个人" not in joined  # the create entry's snapshot too


def test_audit_kept_at_least_three_years(db):
    now = datetime.now().replace(microsecond=0)
    with db.transaction() as s:
        for years in (1, 2, 2.9, 3.1, 5):
            s.add(AuditLog(at=now - timedelta(days=int(365.25 * years)), action="update", table_name="member",
                           after=json.dumps({"y": years})))
        from chamberdesk.core.federation import set_setting

        set_setting(s, privacy.SETTING_AUDIT_YEARS, 1)  # asking for less than 3 years is ignored
    with db.session() as s:
        assert privacy.audit_retention_years(s) == 3
    n = privacy.prune_audit(db)
    assert n == 2
    with db.session() as s:
        ys = {json.loads(e.after).get("y") for e in s.exec(select(AuditLog).where(AuditLog.table_name == "member"))}
    assert ys == {1, 2, 2.9}


def test_users_listed_without_hash_in_audit(db):
    _setup_users(db)
    with db.session() as s:
        assert [u.username for u in accounts.list_users(s)] == ["admin", "clerk1", "reader1"]
        assert all(u.password_hash.startswith("scrypt$") for u in s.exec(select(User)))


def test_unmasked_exports_and_prints_need_an_admin(db, tmp_path):
    """A 录入员 gets masked workbooks and prints; full numbers in a file only for 管理员, and audited."""
    from chamberdesk.io.excel_export import export_members
    from chamberdesk.io.pdf.jobs import PrintRequest, run

    with db.transaction() as s:
        create_member(s, {"kind": "enterprise", "enterprise_name": "甲公司", "rep_phone": "13800138000"})
    _setup_users(db)
    accounts.login(db, "clerk1", "Clerk2024")
    assert export_members(db, tmp_path / "masked.xlsx") == 1
    with pytest.raises(accounts.PermissionDenied, match="录入员"):
        export_members(db, tmp_path / "full.xlsx", unmasked=True)
    with pytest.raises(accounts.PermissionDenied, match="录入员"):
        run(db, PrintRequest(form="ledger", unmasked=True), tmp_path / "full.pdf")
    assert not (tmp_path / "full.xlsx").exists() and not (tmp_path / "full.pdf").exists()
    accounts.login(db, "admin", PW)
    assert export_members(db, tmp_path / "full.xlsx", unmasked=True) == 1
    with db.session() as s:
        assert s.exec(select(AuditLog).where(AuditLog.action == "export")).first().user == "admin"
