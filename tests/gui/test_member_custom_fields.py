"""The member editor's 企业地址, 注册资本, 从业人员数 and 自定义信息 (kept from imported sheets): shown, checked, saved, found."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QTableWidgetItem

from chamberdesk.core import members as svc
from chamberdesk.core.models import Member
from chamberdesk.gui.dialogs.member_editor import MemberEditor


def test_new_fields_and_custom_fields_are_edited_and_searchable(qtbot, ctx, demo_db) -> None:
    with demo_db.transaction() as s:
        mid = svc.member_ids(s, svc.MemberFilter())[0]
        svc.update_member(s, mid, {"custom": {"主营产品": "紧固件", "会费缴纳情况": "2024年已缴"}})
    dlg = MemberEditor(ctx, mid)
    qtbot.addWidget(dlg)
    dlg.show()
    t = dlg.custom_table
    shown = {t.item(r, 0).text(): t.item(r, 1).text() for r in range(t.rowCount())}
    assert shown == {"主营产品": "紧固件", "会费缴纳情况": "2024年已缴"}
    assert not dlg.is_dirty()  # loading the custom fields is not an edit
    qtbot.keyClicks(dlg.w["registered_capital"], "5O0")  # a letter O typed for a zero
    assert "数字" in dlg.field_error("registered_capital") and not dlg.save_btn.isEnabled()
    dlg.w["registered_capital"].clear()
    qtbot.keyClicks(dlg.w["registered_capital"], "500")
    qtbot.keyClicks(dlg.w["employee_count"], "35")
    dlg.w["address"].setText("城关镇建设路18号")  # QtTest types ASCII only
    dlg._changed("address")
    t.item(0, 1).setText("冷链设备")
    dlg._add_custom_row()
    t.setItem(t.rowCount() - 1, 0, QTableWidgetItem("邮政编码"))
    t.setItem(t.rowCount() - 1, 1, QTableWidgetItem("054000"))
    assert dlg.save_btn.isEnabled(), dlg.errors
    assert dlg.save() is True
    with demo_db.session() as s:
        m = s.get(Member, mid)
        found = svc.member_ids(s, svc.MemberFilter(search="冷链设备", status=None))
        old = svc.member_ids(s, svc.MemberFilter(search="紧固件", status=None))
    assert (m.registered_capital, m.employee_count, m.address) == (500.0, 35, "城关镇建设路18号")
    assert json.loads(m.custom) == {"主营产品": "冷链设备", "会费缴纳情况": "2024年已缴", "邮政编码": "054000"}
    assert found == [mid] and old == []
