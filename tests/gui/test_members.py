"""会员台账 through the clerk's path: search, editor validation, undo, bulk actions, 记录走访."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from chamberdesk.core import members as svc
from chamberdesk.core.contacts import list_contacts
from chamberdesk.core.models import Member
from chamberdesk.core.validators import credit_code_check_char
from chamberdesk.gui.dialogs.contact_dialog import ContactDialog
from chamberdesk.gui.dialogs.member_editor import MemberEditor
from chamberdesk.gui.pages.members import Page
from chamberdesk.gui.qtmodels.member_table import COLUMN_KEYS, PAGE_SIZE, MemberTableModel


def valid_credit_code(body17: str = "91130534MA0XYKWT1") -> str:
    return body17 + credit_code_check_char(body17)


@pytest.fixture
def page(qtbot, ctx):
    p = Page(ctx)
    qtbot.addWidget(p)
    p.resize(1300, 800)
    p.show()
    return p


def active_count(ctx, **kw) -> int:
    with ctx.db.session() as s:
        return svc.count_members(s, svc.MemberFilter(**kw))


def col(key: str) -> int:
    return COLUMN_KEYS.index(key)


# --- the model ------------------------------------------------------------------------------------

def test_model_passes_qt_model_tester(qtmodeltester, demo_db):
    model = MemberTableModel(demo_db)
    model.refresh()
    qtmodeltester.check(model, force_py=True)


def test_model_reads_rows_lazily_one_page_at_a_time(demo_db):
    model = MemberTableModel(demo_db)
    model.refresh()
    assert model.rowCount() == len(model.ids) > PAGE_SIZE
    assert model.pages_loaded == 0  # resetting reads ids only
    model.data(model.index(0, 0))
    assert model.pages_loaded == 1
    assert len(model._cache) == PAGE_SIZE
    model.data(model.index(PAGE_SIZE - 1, 3))
    assert model.pages_loaded == 1
    model.data(model.index(PAGE_SIZE + 5, 0))
    assert model.pages_loaded == 2


def test_table_masks_id_numbers_and_phones(demo_db):
    model = MemberTableModel(demo_db)
    model.refresh()
    with demo_db.session() as s:
        m = s.get(Member, model.ids[0])
    phone = model.data(model.index(0, col("rep_phone")))
    idn = model.data(model.index(0, col("rep_id_number")))
    assert m.rep_phone and m.rep_phone not in phone and "****" in phone and phone.endswith(m.rep_phone[-4:])
    assert m.rep_id_number and idn != m.rep_id_number and idn.startswith(m.rep_id_number[:6]) and "*" in idn


def test_header_click_sorts_in_sql(qtbot, page, ctx):
    hh = page.table.horizontalHeader()
    hh.sectionClicked.emit(col("enterprise_name"))
    with ctx.db.session() as s:
        expected = svc.member_ids(s, svc.MemberFilter(sort="enterprise_name"))
    assert page.model.ids == expected
    hh.sectionClicked.emit(col("enterprise_name"))
    assert page.model.flt.descending and page.model.ids[0] == expected[-1]
    assert hh.sortIndicatorSection() == col("enterprise_name")
    assert hh.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


# --- search and filters -----------------------------------------------------------------------------

def test_typing_part_of_a_credit_code_filters_the_table(qtbot, page, ctx):
    with ctx.db.session() as s:
        m = s.get(Member, page.model.ids[7])
    total = page.model.rowCount()
    qtbot.keyClicks(page.search, m.credit_code[-8:].lower())  # clerks type lower case too
    qtbot.waitUntil(lambda: page.model.rowCount() < total, timeout=2000)
    assert page.model.ids == [m.id]
    assert page.count_label.text() == "共 1 家"
    assert page.model.data(page.model.index(0, col("enterprise_name"))) == m.enterprise_name


def test_typing_a_phone_number_finds_the_member_though_it_shows_masked(qtbot, page, ctx):
    with ctx.db.session() as s:
        m = s.get(Member, page.model.ids[11])
    qtbot.keyClicks(page.search, m.rep_phone)
    qtbot.waitUntil(lambda: page.model.ids == [m.id], timeout=2000)
    assert m.rep_phone not in page.model.data(page.model.index(0, col("rep_phone")))


def test_chinese_typed_through_the_input_method_filters_the_table(qtbot, page, ctx):
    with ctx.db.session() as s:
        m = s.get(Member, page.model.ids[20])
    word = m.rep_name  # two or three characters, as a clerk would type a person's name
    page.search.setFocus()
    ev = QInputMethodEvent("", [])
    ev.setCommitString(word)
    QApplication.sendEvent(page.search, ev)
    assert page.search.text() == word
    qtbot.waitUntil(lambda: m.id in page.model.ids and page.model.flt.search == word, timeout=2000)
    assert len(page.model.ids) == active_count(ctx, search=word) < active_count(ctx)


def test_filter_combos_match_the_core_query(qtbot, page, ctx):
    page.status_combo.setCurrentIndex(page.status_combo.findData("left"))
    assert page.model.rowCount() == active_count(ctx, status="left") > 0
    page.status_combo.setCurrentIndex(page.status_combo.findData(None))
    first = first_chamber_row(page)
    chamber_id = page.chamber_combo.itemData(first)
    page.chamber_combo.setCurrentIndex(first)
    assert page.model.rowCount() == active_count(ctx, status=None, chamber_id=chamber_id) > 0
    page.industry_combo.setCurrentIndex(page.industry_combo.findData("C"))
    assert page.model.rowCount() == active_count(ctx, status=None, chamber_id=chamber_id, industry="C")
    page.reset_filters()
    assert page.model.rowCount() == active_count(ctx)


def first_chamber_row(page) -> int:
    return next(i for i in range(page.chamber_combo.count()) if isinstance(page.chamber_combo.itemData(i), int))


def test_chamber_filter_offers_the_federation_itself_and_no_chamber(qtbot, page, ctx):
    with ctx.db.transaction() as s:
        own = svc.create_member(s, {"enterprise_name": "清河县本级直属会员有限公司", "kind": "enterprise"},
                                seats=[(None, "member")]).id
        alone = svc.create_member(s, {"enterprise_name": "清河县无商会会员有限公司", "kind": "enterprise"}).id
    page.refresh()
    labels = [page.chamber_combo.itemText(i) for i in range(page.chamber_combo.count())]
    assert labels[:3] == ["全部商会", "本级工商联", "未加入任何商会"]

    page.chamber_combo.setCurrentIndex(labels.index("本级工商联"))
    assert own in page.model.ids and alone not in page.model.ids
    assert len(page.model.ids) == active_count(ctx, chamber_scope="federation")
    page.chamber_combo.setCurrentIndex(labels.index("未加入任何商会"))
    assert alone in page.model.ids and own in page.model.ids  # a federation seat is no chamber
    assert len(page.model.ids) == active_count(ctx, chamber_scope="none")
    in_chambers = active_count(ctx) - active_count(ctx, chamber_scope="none")
    with ctx.db.session() as s:
        seated = {m for cid, _ in page.chambers for m in svc.member_ids(s, svc.MemberFilter(chamber_id=cid))}
    assert in_chambers == len(seated)  # every member is either in some chamber or in none

    # the printed ledger's heading names the choice
    from chamberdesk.io.pdf.ledger import describe_filter

    with ctx.db.session() as s:
        assert describe_filter(s, page.current_filter()) == "未加入任何商会的在册会员"
    # and another page can ask for it
    page.reset_filters()
    page.show_target({"chamber_scope": "federation"})
    assert page.chamber_combo.currentText() == "本级工商联" and own in page.model.ids


def test_show_target_applies_a_filter_from_another_page(page, ctx):
    chamber_id = page.chamber_combo.itemData(first_chamber_row(page) + 1)
    page.show_target({"chamber_id": chamber_id})
    assert page.chamber_combo.currentData() == chamber_id
    assert page.model.rowCount() == active_count(ctx, chamber_id=chamber_id)


# --- the editor -------------------------------------------------------------------------------------

def test_new_member_with_a_bad_credit_code_is_refused_then_saved_when_fixed(qtbot, page, ctx, answer_modal):
    before = active_count(ctx, status=None)
    good = valid_credit_code()
    state = {}

    def fill(dlg: MemberEditor) -> None:
        qtbot.keyClicks(dlg.w["enterprise_name"], "Qinghe Test Trading Co")
        qtbot.keyClicks(dlg.w["credit_code"], good[:-1] + ("0" if good[-1] != "0" else "1"))
        state["error"] = dlg.field_error("credit_code")
        state["enabled_while_bad"] = dlg.save_btn.isEnabled()
        state["saved_while_bad"] = active_count(ctx, status=None)
        dlg.w["credit_code"].clear()
        qtbot.keyClicks(dlg.w["credit_code"], good.lower())
        state["error_after_fix"] = dlg.field_error("credit_code")
        state["enabled_after_fix"] = dlg.save_btn.isEnabled()

    seen = answer_modal("保存", fill)
    page.new_record()  # Ctrl+N
    assert isinstance(seen[0], MemberEditor)
    assert state["error"]  # the core's message, shown beside the field
    assert state["enabled_while_bad"] is False
    assert state["saved_while_bad"] == before
    assert state["error_after_fix"] == "" and state["enabled_after_fix"] is True
    assert active_count(ctx, status=None) == before + 1
    with ctx.db.session() as s:
        mid = svc.member_ids(s, svc.MemberFilter(search=good))[0]
        assert s.get(Member, mid).credit_code == good  # stored normalised (upper case)
    assert mid in page.model.ids and page.selected_ids() == [mid]


def test_editor_shows_the_message_and_saves_nothing_while_invalid(qtbot, ctx):
    dlg = MemberEditor(ctx, None)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.save_btn.isEnabled()  # nothing typed yet: the name is required
    assert dlg.field_error("enterprise_name") == ""  # but untouched fields do not shout
    qtbot.keyClicks(dlg.w["enterprise_name"], "Some Co")
    qtbot.keyClicks(dlg.w["credit_code"], "12345")
    assert "18" in dlg.field_error("credit_code")
    assert dlg.fields["credit_code"].widget.property("invalid") is True
    assert not dlg.save_btn.isEnabled()
    before = active_count(ctx, status=None)
    assert dlg.save() is False
    assert active_count(ctx, status=None) == before
    dlg.original = dlg.values()  # let teardown close it without asking


def test_editor_flags_a_credit_code_already_used_by_another_member(qtbot, ctx, demo_db):
    with demo_db.session() as s:
        a, b = svc.member_ids(s, svc.MemberFilter())[:2]
        code_b = s.get(Member, b).credit_code
    dlg = MemberEditor(ctx, a)
    qtbot.addWidget(dlg)
    dlg.w["credit_code"].clear()
    qtbot.keyClicks(dlg.w["credit_code"], code_b)
    assert "已被在册会员" in dlg.field_error("credit_code")
    assert not dlg.save_btn.isEnabled()
    dlg.original = dlg.values()  # let the dialog close without asking


def test_id_number_fills_birth_date_and_gender(qtbot, ctx):
    from chamberdesk.core.validators import id_check_digit

    body = "13053419800215123"
    dlg = MemberEditor(ctx, None)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.w["rep_id_number"], body + id_check_digit(body))
    assert dlg.w["rep_birth_date"].value() == date(1980, 2, 15)
    assert dlg.w["rep_gender"].currentData() == "M"
    dlg.original = dlg.values()


def test_editing_then_undo_restores_the_previous_values(qtbot, page, ctx, answer_modal):
    mid = page.model.ids[0]
    with ctx.db.session() as s:
        old_name = s.get(Member, mid).enterprise_name

    def rename(dlg: MemberEditor) -> None:
        dlg.w["enterprise_name"].clear()
        qtbot.keyClicks(dlg.w["enterprise_name"], "Renamed Co")

    answer_modal("保存", rename)
    page.edit_member(mid)
    with ctx.db.session() as s:
        assert s.get(Member, mid).enterprise_name == "Renamed Co"
    page.undo()  # Ctrl+Z
    with ctx.db.session() as s:
        assert s.get(Member, mid).enterprise_name == old_name


def test_undo_never_overwrites_a_newer_save(qtbot, page, ctx, answer_modal, monkeypatch):
    mid = page.model.ids[0]

    def rename(dlg: MemberEditor) -> None:
        dlg.w["enterprise_name"].clear()
        qtbot.keyClicks(dlg.w["enterprise_name"], "Renamed Co")

    answer_modal("保存", rename)
    page.edit_member(mid)
    with ctx.db.transaction() as s:  # another clerk saves the member meanwhile
        svc.update_member(s, mid, {"legal_rep": "另一位录入员改的"})
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warned.append(text))
    page.undo()
    assert warned and "该记录已被他人修改" in warned[0]
    with ctx.db.session() as s:
        m = s.get(Member, mid)
        assert (m.enterprise_name, m.legal_rep) == ("Renamed Co", "另一位录入员改的")


def test_conflict_keeps_the_input_and_says_why(qtbot, ctx, demo_db, monkeypatch):
    mid = 1
    dlg = MemberEditor(ctx, mid)
    qtbot.addWidget(dlg)
    dlg.w["legal_rep"].clear()
    qtbot.keyClicks(dlg.w["legal_rep"], "Mine")
    with demo_db.transaction() as s:  # someone else saves first
        svc.update_member(s, mid, {"notes": "changed elsewhere"})
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    assert dlg.save() is False
    assert shown and "已被他人修改" in shown[0]
    assert dlg.w["legal_rep"].text() == "Mine" and dlg.result() != QDialog.DialogCode.Accepted
    dlg.original = dlg.values()


def test_closing_with_unsaved_edits_asks(qtbot, ctx, answer_modal):
    dlg = MemberEditor(ctx, 1)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.w["legal_rep"], "X")
    seen = answer_modal("继续编辑")
    dlg.reject()
    assert seen and "放弃" in seen[0].windowTitle()
    assert dlg.isVisible()
    answer_modal("放弃修改")
    dlg.reject()
    assert not dlg.isVisible()


# --- delete, undo, bulk actions, contacts ------------------------------------------------------------

def test_delete_then_undo_restores_the_member(qtbot, page, ctx, answer_modal):
    mid = page.model.ids[5]
    page.select_ids([mid])
    total = page.model.rowCount()
    answer_modal("删除")
    page.delete_selected()  # the Delete key
    assert page.model.rowCount() == total - 1 and mid not in page.model.ids
    with ctx.db.session() as s:
        assert s.get(Member, mid).deleted_at is not None  # soft: still in the file
    page.undo()
    assert page.model.rowCount() == total and mid in page.model.ids
    with ctx.db.session() as s:
        assert s.get(Member, mid).deleted_at is None
    assert page.selected_ids() == [mid]


def test_delete_can_be_cancelled(qtbot, page, answer_modal):
    mid = page.model.ids[5]
    page.select_ids([mid])
    answer_modal("取消")
    page.delete_selected()
    assert mid in page.model.ids


def test_bulk_tag_and_assign_and_mark_left(qtbot, page, ctx, monkeypatch, answer_modal):
    from PySide6.QtWidgets import QInputDialog

    ids = page.model.ids[:3]
    page.select_ids(ids)
    assert page.selected_ids() == ids and page.bulk_tag.isEnabled()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("年轻一代", True))
    page.bulk_add_tag()
    with ctx.db.session() as s:
        assert all("年轻一代" in s.get(Member, i).tags for i in ids)
    chamber_name = page.chambers[-1][1]
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (chamber_name, True))
    page.select_ids(ids)
    page.bulk_assign_chamber()
    with ctx.db.session() as s:
        names = svc.chamber_names_for(s, ids)
    assert all(chamber_name in names[i] for i in ids)
    page.select_ids(ids)
    answer_modal("确定退会")
    page.bulk_mark_left()
    with ctx.db.session() as s:
        assert all(s.get(Member, i).leave_date == date.today() for i in ids)
    assert not set(ids) & set(page.model.ids)  # 在册 view no longer lists them


def test_logging_a_visit_takes_three_clicks(qtbot, page, ctx, answer_modal):
    mid = page.model.ids[2]
    rect = page.table.visualRect(page.model.index(2, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # 1
    assert page.history.member_id == mid and page.history.contact_btn.isEnabled()
    with ctx.db.session() as s:
        before = len(list_contacts(s, member_id=mid))
    seen = answer_modal("保存")  # 3
    qtbot.mouseClick(page.history.contact_btn, Qt.MouseButton.LeftButton)  # 2
    assert isinstance(seen[0], ContactDialog)  # the one contact dialog, shared with 活动与走访
    assert seen[0].fixed_member == mid
    with ctx.db.session() as s:
        contacts = list_contacts(s, member_id=mid)
    assert len(contacts) == before + 1
    assert contacts[0].date == date.today() and contacts[0].way == "visit"
    history = page.history.body.toPlainText()
    assert f"走访联系（{before + 1} 次）" in history
    assert f"{date.today()} · 实地走访" in history


def test_column_chooser_hides_a_column_and_remembers_it(qtbot, ctx, demo_db):
    p = Page(ctx)
    qtbot.addWidget(p)
    c = col("credit_code")
    p.set_column_visible(c, False)
    assert p.table.isColumnHidden(c)
    p2 = Page(ctx)
    qtbot.addWidget(p2)
    assert p2.table.isColumnHidden(c)
    p2.reset_columns()
    assert not p2.table.isColumnHidden(c)


# --- safety: bulk undo and backups, full numbers by permission, the read-only role -----------------

def backups_of(ctx) -> list:
    folder = ctx.db.path.with_name(ctx.db.path.stem + "-backups")
    return sorted(folder.glob("*-bulk.db")) if folder.is_dir() else []


def seats(ctx, ids) -> dict[int, list[tuple]]:
    from sqlmodel import col, select

    from chamberdesk.core.models import Membership

    with ctx.db.session() as s:
        rows = s.exec(select(Membership).where(col(Membership.member_id).in_(ids)).order_by(Membership.id))
        out: dict[int, list[tuple]] = {i: [] for i in ids}
        for m in rows:
            out[m.member_id].append((m.id, m.chamber_id, m.position, m.start_date, m.end_date))
    return out


def test_bulk_tag_is_backed_up_and_undone_in_one_step(qtbot, page, ctx, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    ids = page.model.ids[:4]
    with ctx.db.session() as s:
        before = {i: s.get(Member, i).tags for i in ids}
    assert backups_of(ctx) == []
    page.select_ids(ids)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("年轻一代", True))
    page.bulk_add_tag()
    assert len(backups_of(ctx)) == 1  # taken before the change
    with ctx.db.session() as s:
        assert all("年轻一代" in s.get(Member, i).tags for i in ids)
    assert page.undo_stack.next_label() == f"加标签（{sum('年轻一代' not in t for t in before.values())} 家）"
    page.undo()  # Ctrl+Z: the whole batch
    with ctx.db.session() as s:
        assert {i: s.get(Member, i).tags for i in ids} == before
    assert not page.undo_stack.can_undo()


def test_bulk_assign_then_undo_removes_only_the_added_seats(qtbot, page, ctx, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    ids = page.model.ids[:5]
    before = seats(ctx, ids)
    chamber_name = page.chambers[-1][1]
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (chamber_name, True))
    page.select_ids(ids)
    page.bulk_assign_chamber()
    with ctx.db.session() as s:
        assert all(chamber_name in svc.chamber_names_for(s, ids)[i] for i in ids)
    assert seats(ctx, ids) != before and len(backups_of(ctx)) == 1
    page.undo()
    assert seats(ctx, ids) == before


def test_bulk_mark_left_then_undo_brings_members_and_their_seats_back(qtbot, page, ctx, answer_modal):
    ids = page.model.ids[:3]
    before = seats(ctx, ids)
    assert any(end is None for rows in before.values() for *_, end in rows)  # some open seats to end
    page.select_ids(ids)
    answer_modal("确定退会")
    page.bulk_mark_left()
    with ctx.db.session() as s:
        assert all(s.get(Member, i).leave_date == date.today() for i in ids)
    assert not set(ids) & set(page.model.ids) and len(backups_of(ctx)) == 1
    page.undo()
    with ctx.db.session() as s:
        assert all(s.get(Member, i).leave_date is None and s.get(Member, i).leave_reason is None for i in ids)
    assert seats(ctx, ids) == before  # the seats it ended are open again
    assert set(ids) <= set(page.model.ids)


def test_bulk_delete_is_backed_up_and_undone(qtbot, page, ctx, answer_modal):
    ids = page.model.ids[10:13]
    page.select_ids(ids)
    answer_modal("删除")
    page.delete_selected()
    assert not set(ids) & set(page.model.ids) and len(backups_of(ctx)) == 1
    page.undo()
    assert set(ids) <= set(page.model.ids)


def test_side_panel_masks_numbers_and_reveal_shows_them_and_is_logged(qtbot, page, ctx, answer_modal):
    from sqlmodel import select

    from chamberdesk.core.models import AuditLog

    mid = page.model.ids[3]
    page.select_ids([mid])
    with ctx.db.session() as s:
        m = s.get(Member, mid)
        phone, idn = m.rep_phone, m.rep_id_number
    text = page.history.body.toPlainText()
    assert phone and idn and phone not in text and idn not in text and "身份证号" in text
    assert page.history.reveal_btn.isEnabled()
    seen = answer_modal("关闭")
    page.history.reveal_btn.click()
    assert phone in seen[0].text() and idn in seen[0].text()
    with ctx.db.session() as s:
        logged = s.exec(select(AuditLog).where(AuditLog.action == "reveal", AuditLog.record_id == mid)).all()
    assert len(logged) == 2 and all(e.user == "测试员" for e in logged)


def read_only_user(ctx) -> None:
    from chamberdesk.core import accounts

    ctx.db.info["accounts_enabled"] = True
    accounts.set_current_user(ctx.db, accounts.CurrentUser("du", "只读甲", "reader"))


def test_a_reader_is_refused_the_full_numbers(qtbot, page, ctx, monkeypatch):
    read_only_user(ctx)
    page.select_ids([page.model.ids[3]])
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    assert not page.history.reveal_btn.isEnabled()
    assert page.history.reveal_btn.toolTip() == "当前账户无权查看完整身份证号和电话"
    page.reveal_selected()  # reached some other way all the same: the core still says no
    assert shown and "无权" in shown[0] and "只读" in shown[0]


def test_a_reader_sees_edit_buttons_disabled_with_the_reason(qtbot, ctx):
    read_only_user(ctx)
    p = Page(ctx)
    qtbot.addWidget(p)
    p.show()
    p.select_ids(p.model.ids[:2])
    bulk = (p.bulk_chamber, p.bulk_tag, p.bulk_leave, p.bulk_delete)
    for b in (p.new_btn, *bulk):
        assert not b.isEnabled() and b.toolTip() == "只读账户不能修改"
    p.select_ids(p.model.ids[:1])
    assert not p.history.edit_btn.isEnabled() and p.history.edit_btn.toolTip() == "只读账户不能修改"
    assert not p.history.reveal_btn.isEnabled()  # 查看完整号码 has its own permission, which 只读 lacks
    # the Delete key bypasses buttons: it is refused with the same reason, nothing deleted
    from unittest.mock import patch

    mid = p.model.ids[0]
    with patch.object(QMessageBox, "information") as info:
        p.delete_selected()
    assert "只读账户不能修改" in info.call_args[0][2]
    with ctx.db.session() as s:
        assert s.get(Member, mid).deleted_at is None


def test_a_clerk_keeps_the_buttons_and_their_own_hints(qtbot, page, ctx):
    from chamberdesk.core import accounts

    ctx.db.info["accounts_enabled"] = True
    accounts.set_current_user(ctx.db, accounts.CurrentUser("luru", "录入员甲", "clerk"))
    page.select_ids(page.model.ids[:2])
    assert page.new_btn.isEnabled() and page.new_btn.toolTip() == "Ctrl+N"
    assert page.bulk_tag.isEnabled() and "Ctrl+Z" in page.bulk_tag.toolTip()


def test_editor_opens_personal_numbers_masked_and_reveals_with_audit(qtbot, ctx, demo_db):
    """A saved member's 身份证号 and phone open masked; saving other edits keeps them; a look is audited."""
    from sqlmodel import select

    from chamberdesk.core.models import AuditLog

    with demo_db.session() as s:
        m = s.exec(select(Member).where(Member.rep_id_number.is_not(None))).first()
    dlg = MemberEditor(ctx, m.id)
    qtbot.addWidget(dlg)
    id_edit = dlg.w["rep_id_number"]
    assert id_edit.text() == m.rep_id_number[:6] + "********" + m.rep_id_number[-4:]
    assert id_edit.isReadOnly()
    assert dlg.values()["rep_id_number"] == m.rep_id_number  # unchanged unless revealed

    dlg.w["legal_rep"].setText("新法人")
    dlg.w["legal_rep"].textEdited.emit("新法人")
    assert dlg.save()
    with demo_db.session() as s:
        saved = s.get(Member, m.id)
        assert (saved.legal_rep, saved.rep_id_number, saved.rep_phone) == ("新法人", m.rep_id_number, m.rep_phone)

    dlg2 = MemberEditor(ctx, m.id)
    qtbot.addWidget(dlg2)
    assert dlg2.reveal("rep_phone")
    assert dlg2.w["rep_phone"].text() == m.rep_phone
    assert not dlg2.w["rep_phone"].isReadOnly()
    with demo_db.session() as s:
        looks = s.exec(select(AuditLog).where(AuditLog.action == "reveal", AuditLog.record_id == m.id)).all()
    assert len(looks) == 1


def _overlapping(buttons) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(buttons):
        for b in buttons[i + 1:]:
            if a.geometry().intersects(b.geometry()):
                out.append((a.text(), b.text()))
    return out


@pytest.mark.parametrize("window_width", [1280, 1366, 1920, 0])  # 0: the panel at its minimum width
def test_side_panel_buttons_never_overlap(qtbot, ctx, window_width):
    p = Page(ctx)
    qtbot.addWidget(p)
    p.resize(window_width or 1280, 800)
    p.show()
    p.select_ids(p.model.ids[:1])
    h = p.history
    if not window_width:
        p.splitter.setSizes([10000, 1])  # dragged as far right as it goes
        qtbot.waitUntil(lambda: h.width() == h.minimumWidth())
    qtbot.wait(20)
    buttons = [h.edit_btn, h.reveal_btn, h.contact_btn]
    assert _overlapping(buttons) == []
    for b in buttons:
        assert b.isVisible() and b.width() >= b.sizeHint().width()  # nothing squeezed or clipped
        assert h.rect().contains(b.geometry()), b.text()
