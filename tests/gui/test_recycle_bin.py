"""回收站: deleted records of every kind listed, restored back into the ledger, purged only by 管理员."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlmodel import col, select

from chamberdesk.core import accounts, records
from chamberdesk.core import members as svc
from chamberdesk.core.models import Activity, Chamber, Contact, Meeting, Member
from chamberdesk.gui.dialogs.recycle_bin import KINDS, RecycleBinDialog
from chamberdesk.gui.pages.members import Page


def delete_some(db) -> dict[str, list[int]]:
    """Soft-delete two members and one record of each other kind, as pages would."""
    out: dict[str, list[int]] = {}
    with db.transaction() as s:
        mids = svc.member_ids(s, svc.MemberFilter())[:2]
        for mid in mids:
            svc.delete_member(s, mid)
        out["member"] = mids
        for key, model in (("chamber", Chamber), ("meeting", Meeting), ("activity", Activity), ("contact", Contact)):
            obj = s.exec(select(model).where(model.deleted_at.is_(None)).order_by(model.id.desc())).first()
            records.soft_delete(s, obj)
            out[key] = [obj.id]
    return out


@pytest.fixture
def deleted(demo_db):
    return delete_some(demo_db)


@pytest.fixture
def page(qtbot, ctx):
    p = Page(ctx)
    qtbot.addWidget(p)
    p.show()
    return p


def open_bin(qtbot, ctx, **kw) -> RecycleBinDialog:
    dlg = RecycleBinDialog(ctx, **kw)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_every_kind_lists_its_deleted_records(qtbot, ctx, deleted):
    dlg = open_bin(qtbot, ctx)
    for k in KINDS:
        assert sorted(dlg.ids(k.key)) == sorted(deleted[k.key]), k.key
    assert dlg.tabs.tabText(0) == "会员（2）"
    t = dlg.tables["member"]
    with ctx.db.session() as s:
        names = {s.get(Member, i).enterprise_name for i in deleted["member"]}
    assert {t.item(r, 0).text() for r in range(t.rowCount())} == names
    assert t.item(0, 2).text()[:2] == "20"  # deleted when
    # nothing selected: nothing to act on
    assert not dlg.restore_btn.isEnabled() and not dlg.purge_btn.isEnabled()


def test_restore_from_the_ledger_button_puts_the_member_back_in_the_table(qtbot, deleted, page, ctx, answer_modal):
    mid = deleted["member"][0]
    assert mid not in page.model.ids
    changes = []
    ctx.data_changed.connect(changes.append)

    def restore(dlg: RecycleBinDialog) -> None:
        dlg.select_ids("member", [mid])
        assert dlg.restore_btn.isEnabled()
        dlg.restore_btn.click()
        assert mid not in dlg.ids("member")

    seen = answer_modal("关闭", restore)
    page.bin_btn.click()
    assert isinstance(seen[0], RecycleBinDialog)
    assert changes == ["member"]
    assert mid in page.model.ids  # the ledger refreshed after the dialog
    with ctx.db.session() as s:
        assert s.get(Member, mid).deleted_at is None


def test_purge_asks_first_says_it_cannot_be_undone_and_removes_the_record(qtbot, ctx, deleted, answer_modal):
    dlg = open_bin(qtbot, ctx, kind="meeting")
    meeting_id = deleted["meeting"][0]
    dlg.select_ids("meeting", [meeting_id])
    seen = answer_modal("取消")
    assert dlg.purge_selected() is False
    assert "不能撤销" in seen[0].text()
    with ctx.db.session() as s:
        assert s.get(Meeting, meeting_id) is not None
    answer_modal("彻底删除")
    assert dlg.purge_selected() is True
    with ctx.db.session() as s:
        assert s.get(Meeting, meeting_id) is None
    assert dlg.ids("meeting") == []


def test_purging_a_member_takes_its_contacts_and_a_named_chamber_is_refused(qtbot, ctx, deleted, answer_modal,
                                                                             monkeypatch):
    with ctx.db.transaction() as s:
        mid = deleted["member"][0]
        s.add(Contact(member_id=mid, date=date(2024, 5, 1), way="visit"))
        cid = s.exec(select(Meeting.chamber_id).where(col(Meeting.chamber_id).is_not(None))).first()
        records.soft_delete(s, s.get(Chamber, cid))
    dlg = open_bin(qtbot, ctx)
    dlg.select_ids("member", [mid])
    answer_modal("彻底删除")
    assert dlg.purge_selected() is True
    with ctx.db.session() as s:
        assert s.get(Member, mid) is None
        assert s.exec(select(Contact).where(Contact.member_id == mid)).first() is None
    dlg.show_kind("chamber")
    dlg.select_ids("chamber", [cid])
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    answer_modal("彻底删除")
    assert dlg.purge_selected() is False
    assert shown and "关联" in shown[0] and "未做任何修改" in shown[0]
    with ctx.db.session() as s:
        assert s.get(Chamber, cid).deleted_at is not None  # still in the bin


def test_only_an_admin_may_purge_and_a_reader_may_not_restore(qtbot, ctx, deleted):
    ctx.db.info["accounts_enabled"] = True
    accounts.set_current_user(ctx.db, accounts.CurrentUser("luru", "录入员甲", "clerk"))
    dlg = open_bin(qtbot, ctx)
    dlg.select_ids("member", deleted["member"][:1])
    assert dlg.restore_btn.isEnabled()
    assert not dlg.purge_btn.isEnabled() and "管理员" in dlg.purge_btn.toolTip()
    accounts.set_current_user(ctx.db, accounts.CurrentUser("du", "只读甲", "reader"))
    dlg2 = open_bin(qtbot, ctx)
    dlg2.select_ids("member", deleted["member"][:1])
    assert not dlg2.restore_btn.isEnabled() and dlg2.restore_btn.toolTip() == "只读账户不能修改"
