"""Report years: the day a year's report describes, and which years can be reported on."""

from __future__ import annotations

from datetime import date

import pytest

from chamberdesk.core import periods
from chamberdesk.core.activities import create_activity
from chamberdesk.core.dates import chinese_date
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.members import create_member

TODAY = date(2026, 12, 7)


def test_a_past_year_is_as_of_31_december_and_the_running_year_as_of_today() -> None:
    assert periods.as_of(2025, TODAY) == date(2025, 12, 31) and not periods.is_running(2025, TODAY)
    assert periods.as_of(2026, TODAY) == TODAY and periods.is_running(2026, TODAY)
    assert periods.as_of(2026, date(2026, 12, 31)) == date(2026, 12, 31)
    assert periods.as_of_label(2025, TODAY) == "截至2025年12月31日"
    assert periods.as_of_label(2026, TODAY) == "截至2026年12月7日（本年度尚未结束）"
    assert periods.period_label(2025, TODAY) == "统计期间：2025年1月1日至12月31日"
    assert periods.period_label(2026, TODAY) == "统计期间：2026年1月1日至12月7日（本年度尚未结束）"
    assert chinese_date(date(2023, 6, 1)) == "2023年6月1日" and chinese_date(None) == ""


def test_years_run_from_the_first_dated_record_to_this_year(db) -> None:
    with db.session() as s:
        # an empty ledger can report only on the current year
        assert periods.first_year(s, TODAY) == 2026 and periods.report_years(s, TODAY) == [2026]
        with pytest.raises(ChamberDeskError, match="只能选 2026 年"):
            periods.check_year(s, 2025, TODAY)
    with db.transaction() as s:
        create_member(s, {"kind": "enterprise", "enterprise_name": "清河县老会员有限公司", "join_date": date(2019, 5, 1)})
        create_activity(s, {"category": "training", "date": date(2017, 3, 2), "title": "培训"})
    with db.session() as s:
        assert periods.first_year(s, TODAY) == 2017
        assert periods.report_years(s, TODAY) == list(range(2026, 2016, -1))
        assert periods.check_year(s, 2017, TODAY) == 2017 and periods.check_year(s, 2026, TODAY) == 2026
        with pytest.raises(ChamberDeskError, match="2016年早于本单位台账中最早的记录（2017年）.*可选 2017—2026 年"):
            periods.check_year(s, 2016, TODAY)
        with pytest.raises(ChamberDeskError, match="2027年尚未到来"):
            periods.check_year(s, 2027, TODAY)
