"""商会 editor: fits a 1366×768 screen, asks a registered chamber for its code, opens read-only for 只读."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlmodel import update

from chamberdesk.core import chambers
from chamberdesk.core.choices import ChamberKind
from chamberdesk.core.models import Chamber
from chamberdesk.core.validators import credit_code_check_char
from chamberdesk.gui.dialogs.chamber_editor import ChamberEditor

SOCIAL = "51130534MJ5199991" + credit_code_check_char("51130534MJ5199991")
ENTERPRISE = "91130534MA0000017" + credit_code_check_char("91130534MA0000017")


def test_editor_fits_without_horizontal_scrolling(qtbot, ctx):
    dlg = ChamberEditor(ctx, 1)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.height() <= 680 and dlg.width() <= 1366
    assert dlg.scroll.horizontalScrollBar().maximum() == 0
    inner = dlg.scroll.widget()
    assert inner.width() >= inner.minimumSizeHint().width()  # nothing squeezed or cut on the right
    for box in dlg.rule_boxes.values():
        right = box.mapTo(dlg, box.rect().topRight()).x()
        assert right <= dlg.scroll.viewport().mapTo(dlg, dlg.scroll.viewport().rect().topRight()).x()


def chamber_id(ctx, name: str) -> int:
    with ctx.db.session() as s:
        return chambers.find_chamber(s, name).id


def test_registered_chamber_needs_its_credit_code(qtbot, ctx):
    dlg = ChamberEditor(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.f["name"], "X")
    dlg.f["name"].setText("物流业商会")
    dlg.f["kind"].setCurrentIndex(dlg.f["kind"].findData(ChamberKind.INDUSTRY.value))
    qtbot.waitUntil(dlg.save_button.isEnabled, timeout=2000)  # not registered: no code needed

    _w, label = dlg.errors.fields["credit_code"]
    qtbot.mouseClick(dlg.f["registered"], Qt.MouseButton.LeftButton)  # ticking it asks at once
    qtbot.waitUntil(label.isVisible, timeout=2000)
    assert "统一社会信用代码" in label.text() and "5开头" in label.text()
    assert not dlg.save_button.isEnabled()

    qtbot.keyClicks(dlg.f["credit_code"], ENTERPRISE)  # the president's company code, by mistake
    qtbot.waitUntil(lambda: "企业的代码" in label.text(), timeout=2000)
    assert not dlg.save_button.isEnabled()

    dlg.f["credit_code"].clear()
    qtbot.keyClicks(dlg.f["credit_code"], SOCIAL.lower())
    qtbot.waitUntil(dlg.save_button.isEnabled, timeout=2000)
    assert not label.isVisible()
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == dlg.DialogCode.Accepted
    with ctx.db.session() as s:
        saved = chambers.get_chamber(s, dlg.saved_id)
    assert (saved.registered, saved.credit_code) == (True, SOCIAL)


def test_an_old_registered_chamber_without_code_opens_with_the_message(qtbot, ctx):
    cid = chamber_id(ctx, "建筑业商会")
    with ctx.db.transaction() as s:  # as an older version of the program let it be saved
        s.exec(update(Chamber).where(Chamber.id == cid).values(registered=True, credit_code=None))
    dlg = ChamberEditor(ctx, cid)
    qtbot.addWidget(dlg)
    dlg.show()
    _w, label = dlg.errors.fields["credit_code"]
    assert label.isVisible() and "取消“民政登记”" in label.text()
    assert not dlg.save_button.isEnabled()
    qtbot.mouseClick(dlg.f["registered"], Qt.MouseButton.LeftButton)  # not registered after all
    qtbot.waitUntil(dlg.save_button.isEnabled, timeout=2000)


def test_a_reader_sees_the_chamber_but_cannot_change_it(qtbot, reader):
    ctx = reader
    cid = chamber_id(ctx, "建筑业商会")
    dlg = ChamberEditor(ctx, cid)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.windowTitle() == "查看商会"
    assert dlg.f["name"].text() == "建筑业商会" and dlg.f["name"].isReadOnly()
    assert dlg.f["notes"].isReadOnly() and dlg.f["fulltime_staff"].isReadOnly()
    assert not dlg.f["kind"].isEnabled() and not dlg.f["registered"].isEnabled()
    assert not any(b.isEnabled() for b in dlg.rule_boxes.values())
    assert not dlg.save_button.isEnabled() and "只读" in dlg.save_button.toolTip()
    assert dlg.role_note.isVisible() and "只能查看" in dlg.role_note.text()
    dlg.save()  # Enter in a field: nothing is written, nothing is asked
    with ctx.db.session() as s:
        assert chambers.get_chamber(s, cid).version == dlg.version
