"""What a role may do shows on the pages: full numbers only for 管理员, no write buttons for 只读."""

from __future__ import annotations

import pytest

from chamberdesk.core import accounts
from chamberdesk.gui.pages.reports import EXPORTS, Page


@pytest.fixture
def users(ctx, monkeypatch):
    monkeypatch.setattr(accounts, "_N", 2**10)  # cheap hashes: roles are what is tested here
    with ctx.db.transaction() as s:
        accounts.enable_accounts(s, "admin", "Shiyan#2024")
        accounts.create_user(s, "clerk1", "Clerk2024", "录入员")
    return ctx


def test_unmasked_option_follows_the_role(qtbot, users) -> None:
    ctx = users
    members_index = [k for k, *_ in EXPORTS].index("members")
    accounts.login(ctx.db, "clerk1", "Clerk2024")
    page = Page(ctx)
    qtbot.addWidget(page)
    exp, prn = page, page.print_panel
    exp.export_kind.setCurrentIndex(members_index)
    prn.set_form("ledger")
    for box in (exp.unmasked, prn.unmasked):
        assert not box.isEnabled()
        assert "仅管理员" in box.toolTip()

    accounts.login(ctx.db, "admin", "Shiyan#2024")
    page2 = Page(ctx)
    qtbot.addWidget(page2)
    exp2, prn2 = page2, page2.print_panel
    exp2.export_kind.setCurrentIndex(members_index)
    prn2.set_form("ledger")
    assert exp2.unmasked.isEnabled()
    assert prn2.unmasked.isEnabled()


def test_a_reader_is_not_offered_writes_on_reports_and_assessment(qtbot, users) -> None:
    from chamberdesk.gui.pages.assessment import Page as AssessmentPage

    ctx = users
    with ctx.db.transaction() as s:
        accounts.create_user(s, "chakan", "Kanyikan2024", "只读")
    accounts.login(ctx.db, "chakan", "Kanyikan2024")
    reports, assess = Page(ctx), AssessmentPage(ctx)
    qtbot.addWidget(reports)
    qtbot.addWidget(assess)
    assert reports.import_buttons and not any(b.isEnabled() for b in reports.import_buttons)
    for b in (assess.save_button, assess.final_button, assess.evidence_button, assess.copy_button):
        assert not b.isEnabled()
        assert "只读" in b.toolTip()
