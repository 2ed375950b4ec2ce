"""商会: the list of chambers with badges, and a detail pane with facts, officers, records and coverage."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import activities, assessments, chambers, contacts, meetings, records
from chamberdesk.core.choices import ChamberKind, ChamberRule, ChamberStatus, MeetingBody, PartyOrg
from chamberdesk.core.dashboard import MIN_ACTIVITIES_PER_QUARTER, elapsed_quarters, quarter_of
from chamberdesk.core.errors import ChamberDeskError, NotFound
from chamberdesk.core.models import Chamber, ChamberBase
from chamberdesk.gui.dialogs.chamber_editor import ChamberEditor, set_combo_data
from chamberdesk.gui.pages.meetings import make_table, page_header, select_id
from chamberdesk.gui.qtmodels.record_tables import (
    CONTACT_TARGET,
    ID_ROLE,
    VISIT_TARGET,
    Badge,
    BadgeDelegate,
    ChamberRow,
    RecordTableModel,
    apply_widths,
    chamber_columns,
    percent,
)
from chamberdesk.gui.style import ACCENT, ERROR, MUTED, OK, WARN, icon
from chamberdesk.gui.widgets.buttons import YES_NO
from chamberdesk.gui.widgets.layout import remembered_splitter, vertical_scroll
from chamberdesk.gui.widgets.roles import guard_edit, refusal_tip

# Which badges the 需关注 filter looks for (text of the badge). Term badges are facts from the term dates;
# the condition badges come from the rules engine (四有, 五有五好), the same results as 工作台 and 考评.
ATTENTION = {"overdue": "已届满未换届", "due": "即将届满", "siyou": "未达“四有”", "wuyou-wuhao": "未达“五有五好”"}
CONDITION_KEYS = ("siyou", "wuyou-wuhao")


def chamber_badges(ch: ChamberBase, today: date | None = None, failing: list[str] | None = None) -> list[Badge]:
    """Term badges from the dates, then one badge per basic-condition rubric the chamber fails."""
    st = chambers.term_status(ch, today)
    out: list[Badge] = []
    if ch.status == ChamberStatus.DISSOLVED.value:
        return [Badge("已撤销", "info")]
    if st == "overdue":
        out.append(Badge(ATTENTION["overdue"], "error"))
    elif st == "due":
        out.append(Badge(ATTENTION["due"], "warn"))
    for rid in failing or ():
        if rid in ATTENTION:
            out.append(Badge(ATTENTION[rid], "error"))
    return out


def condition_report(ctx, year: int | None = None):
    """All chambers against 四有 / 五有五好 in one engine pass (the engine reports its own errors)."""
    from chamberdesk import rules

    with ctx.db.session() as s:
        return rules.chamber_conditions(s, year or date.today().year)


def _mark(ok: bool | None) -> str:
    if ok is None:
        return f'<span style="color:{WARN}">？</span>'
    return f'<span style="color:{OK}">✔</span>' if ok else f'<span style="color:{ERROR}">✘</span>'


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f'<tr><td style="color:#5f6b7a; padding:2px 12px 2px 0; white-space:nowrap">{k}</td>'
                    f'<td style="padding:2px 0">{v}</td></tr>' for k, v in rows)
    return f'<table cellspacing="0">{cells}</table>'


def _d(d: date | None) -> str:
    return d.strftime("%Y-%m-%d") if d else "未填写"


class ChamberDetail(QWidget):
    """Everything about one chamber for this year, read through the services."""

    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.chamber_id: int | None = None
        self.title = QLabel()
        self.title.setStyleSheet("font-size:14pt; font-weight:600;")
        self.title.setWordWrap(True)
        self.badges = QLabel()
        self.badges.setTextFormat(Qt.TextFormat.RichText)
        self.term = QLabel()
        self.term.setObjectName("termLabel")
        self.term.setTextFormat(Qt.TextFormat.RichText)
        self.term.setWordWrap(True)

        def group(title: str) -> tuple[QGroupBox, QLabel]:
            g = QGroupBox(title)
            lab = QLabel()
            lab.setTextFormat(Qt.TextFormat.RichText)
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            # at the top: a box taller than its text (beside a taller one) leaves no band above it
            lab.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            QVBoxLayout(g).addWidget(lab)
            return g, lab

        self.facts_box, self.facts = group("基本情况")
        self.officers_box, self.officers = group("负责人")
        self.records_box, self.records = group("本年度会议与活动")
        self.coverage_box, self.coverage = group("本年度走访覆盖")
        self.standing_box, self.standing = group("考评情况")
        # wide enough for "实地走访　15 个，35%（目标 ≥60%）" on one line
        widest = self.coverage.fontMetrics().horizontalAdvance("实地走访　00 个，00%（目标 ≥20%）") + 36
        for box in (self.coverage_box, self.officers_box):
            box.setMinimumWidth(widest)

        self.members_button = QPushButton(icon("members"), "查看会员")
        self.meetings_button = QPushButton(icon("meetings"), "查看会议")
        self.activities_button = QPushButton(icon("activities"), "查看活动")
        self.contacts_button = QPushButton(icon("visit"), "查看走访")
        self.edit_button = QPushButton("编辑商会…")
        self.members_button.clicked.connect(lambda: self._go("members", {"chamber_id": self.chamber_id}))
        self.meetings_button.clicked.connect(
            lambda: self._go("meetings", {"chamber_id": self.chamber_id, "year": date.today().year, "quarter": None}))
        self.activities_button.clicked.connect(
            lambda: self._go("activities", {"chamber_id": self.chamber_id, "year": date.today().year, "quarter": None}))
        self.contacts_button.clicked.connect(
            lambda: self._go("activities", {"tab": "contacts", "chamber_id": self.chamber_id, "year": date.today().year}))
        self.edit_button.clicked.connect(page.edit_selected)
        links = QHBoxLayout()
        links.setSpacing(4)
        for b in (self.members_button, self.meetings_button, self.activities_button, self.contacts_button):
            b.setStyleSheet("padding: 4px 8px;")
            links.addWidget(b)
        links.addStretch(1)
        self.edit_button.hide()  # the page header has 编辑; kept for callers that look for it

        self.empty = QLabel("在左侧选择一个商会查看详情")
        self.empty.setObjectName("muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QWidget()
        bl = QVBoxLayout(self.body)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.title)
        bl.addWidget(self.badges)
        bl.addWidget(self.term)
        bl.addLayout(links)
        # 负责人 and 走访覆盖 beside 基本情况 where the pane is wide enough, under it where not (see arrange)
        self.row = row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.addWidget(self.facts_box, 3)
        self.right = right = QVBoxLayout()
        right.addWidget(self.officers_box)
        right.addWidget(self.coverage_box)
        right.addStretch(1)
        row.addLayout(right, 2)
        bl.addLayout(row)
        bl.addWidget(self.records_box)
        bl.addWidget(self.standing_box)
        bl.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.empty, 1)
        lay.addWidget(self.body)
        self.show_chamber(None)

    def arrange(self, width: int) -> None:
        """Side by side when `width` (the pane's) holds both columns whole, else one under the other: the
        detail is never cut off at the right, and the list beside it keeps its room."""
        gap = self.row.spacing() if self.row.spacing() >= 0 else 6
        need = self.facts_box.minimumSizeHint().width() + self.coverage_box.minimumWidth() + gap
        want = QBoxLayout.Direction.LeftToRight if width >= need else QBoxLayout.Direction.TopToBottom
        if self.row.direction() != want:
            self.row.setDirection(want)
            self.right.setDirection(QBoxLayout.Direction.TopToBottom)

    def _go(self, page: str, arg) -> None:
        if self.chamber_id is not None:
            self.ctx.navigate.emit(page, arg)

    def show_chamber(self, chamber_id: int | None) -> None:
        self.chamber_id = chamber_id
        ch: chambers.ChamberRead | None = None
        if chamber_id is not None:
            with self.ctx.db.session() as s:
                try:
                    ch = chambers.get_chamber(s, chamber_id)
                except NotFound:  # deleted meanwhile (another page, the recycle bin): show nothing
                    ch = None
                else:
                    year = date.today().year
                    officers = chambers.officers(s, chamber_id)
                    n_members = chambers.member_counts(s).get(chamber_id, 0)
                    mts = meetings.list_meetings(s, chamber_id=chamber_id, year=year)
                    acts = activities.list_activities(s, chamber_id=chamber_id, year=year)
                    cov = contacts.coverage(s, chamber_id, year)
        self.empty.setVisible(ch is None)
        self.body.setVisible(ch is not None)
        if ch is None:
            self.chamber_id = None
            return
        self._fill(ch, officers, n_members, mts, acts, cov)

    def _fill(self, ch: chambers.ChamberRead, officers, n_members: int, mts, acts, cov) -> None:
        today = date.today()
        kind = ChamberKind.parse(ch.kind)
        self.title.setText(f"{ch.name}　<span style='font-size:10pt; color:#5f6b7a'>{kind.label if kind else ch.kind}</span>")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        from chamberdesk.gui.qtmodels.record_tables import BADGE_COLOURS

        self.badges.setText(" ".join(
            f'<span style="background:{BADGE_COLOURS[b.level][0]}; color:{BADGE_COLOURS[b.level][1]};">&nbsp;{b.text}&nbsp;</span>'
            for b in chamber_badges(ch, failing=self.page.failing_of(ch.id))) or self._no_badge_text(ch))

        st = chambers.term_status(ch)
        if ch.term_end is None:
            term = "本届届满日期未填写"
            colour, bg = WARN, "#fff4e0"
        else:
            days = (ch.term_end - today).days
            span = f"本届任期 {_d(ch.term_start)} 至 {_d(ch.term_end)}"
            if st == "overdue":
                term, colour, bg = f"{span}，已届满 {-days} 天，尚未换届", ERROR, "#fdecea"
            elif st == "due":
                term, colour, bg = f"{span}，还有 {days} 天届满，请及早筹备换届", WARN, "#fff4e0"
            else:
                term, colour, bg = f"{span}（还有 {days} 天）", "#1f2933", "#eef2f6"
        self.term.setText(term)
        self.term.setProperty("status", st)
        self.term.setStyleSheet(f"QLabel#termLabel {{ color:{colour}; background:{bg}; padding:6px 8px;"
                                f" border-radius:4px; font-weight:600; }}")

        rules = [ChamberRule.parse(r) for r in (ch.rules or "").split(",") if r]
        party = PartyOrg.parse(ch.party_org)
        self.facts.setText(_table([
            ("民政登记", "已登记" if ch.registered else "未登记"),
            ("统一社会信用代码", ch.credit_code or "—"),
            ("成立日期", _d(ch.founded_on)),
            ("会长", html.escape(ch.president_name or "—")),
            ("秘书长", html.escape(ch.secretary_general_name or "—") + ("（专职）" if ch.secretary_fulltime else "（兼职）")),
            ("办公场所", (f"有，{ch.office_area:g} ㎡" if ch.office_area else "有") if ch.has_office else
             f'<span style="color:{ERROR}">无</span>'),
            ("工作人员", f"专职 {ch.fulltime_staff} 人，兼职 {ch.parttime_staff} 人"),
            ("年度经费", f"{ch.annual_funds:,.0f} 元" if ch.annual_funds else "未填写"),
            ("党组织", party.label if party else ch.party_org),
            ("制度", "、".join(r.label for r in rules if r) or "未填写"),
            ("最近年检", {True: "合格", False: f'<span style="color:{ERROR}">不合格</span>', None: "未填写"}[ch.inspection_passed]),
            ("团体会员", "是" if ch.is_group_member else "否"),
            ("现有会员", f"<b>{n_members}</b> 个"),
        ]))
        self.officers.setText(_table([(o.position, f"{html.escape(o.name)}　<span style='color:#5f6b7a'>"
                                       f"{html.escape(o.enterprise)}</span>") for o in officers])
                              if officers else "台账中没有登记会长、副会长、秘书长")

        # this year's meetings and activities: counts per body and per quarter, then the latest few
        by_body: dict[str, int] = {}
        for m in mts:
            b = MeetingBody.parse(m.body)
            by_body[b.label if b else m.body] = by_body.get(b.label if b else m.body, 0) + 1
        per_q = {q: 0 for q in range(1, 5)}
        for a in acts:
            per_q[quarter_of(a.date)] += 1
        done = elapsed_quarters(today.year, today)

        def q_cell(q: int) -> str:
            n = per_q[q]
            if q in done and n < MIN_ACTIVITIES_PER_QUARTER:
                return f'<span style="color:{ERROR}">第{q}季度 {n} 次</span>'
            return f"第{q}季度 {n} 次"

        latest = sorted([(m.date, (MeetingBody.parse(m.body).label if MeetingBody.parse(m.body) else m.body)) for m in mts]
                        + [(a.date, html.escape(a.title)) for a in acts], reverse=True)[:6]
        self.records.setText(_table([
            ("会议", f"{len(mts)} 次" + ("：" + "、".join(f"{k} {v} 次" for k, v in by_body.items()) if by_body else "")),
            ("活动", f"{len(acts)} 项：" + "　".join(q_cell(q) for q in range(1, 5))),
            ("最近", "<br>".join(f"{d:%m-%d}　{t}" for d, t in latest) or "本年度尚无记录"),
        ]))

        def ratio(v: float | None, target: float) -> str:
            if v is None:
                return "—"
            colour = OK if v >= target else ERROR
            return f'<span style="color:{colour}; font-weight:600">{percent(v)}</span>'

        self.coverage.setText(_table([
            ("会员", f"{cov.members} 个"),
            ("实地走访", f"{cov.visited} 个，{ratio(cov.visited_ratio, VISIT_TARGET)}（目标 ≥{VISIT_TARGET:.0%}）"),
            ("联系", f"{cov.contacted} 个，{ratio(cov.contacted_ratio, CONTACT_TARGET)}（目标 ≥{CONTACT_TARGET:.0%}）"),
        ]))
        self.standing.setText(self._standing(ch, n_members, per_q, done, acts, mts))

    def _no_badge_text(self, ch: chambers.ChamberRead) -> str:
        report = self.page.report
        if report is not None and report.errors:
            return f'<span style="color:{ERROR}">无法核对基本条件：{html.escape(report.errors[0])}</span>'
        cond = report.chambers.get(ch.id) if report is not None else None
        if cond is None:
            return ""
        undecided = [r for r in cond.results.values() if r.passed is None]
        names = "、".join(rules_short(rid) for rid in cond.results)
        # the clerk's part first; otherwise only the year's end can settle what is left
        why = "有待填写的条目" if any(not r.complete for r in undecided) else "有年度未结束、待年底判定的条目"
        return (f'<span style="color:{OK}">{names}：暂无未达标项</span>'
                + (f'<span style="color:{WARN}">（{why}）</span>' if undecided else ""))

    def _standing(self, ch: chambers.ChamberRead, n_members: int, per_q: dict[int, int], done: list[int], acts, mts) -> str:
        """The chamber's 四有 / 五有五好 results from the rules engine: the same verdicts as the badges."""
        verdicts = rubric_verdicts(self.ctx, ch, date.today().year, self.page.report)
        return "".join(verdicts) + ('<p style="color:#5f6b7a">正式评定、填写待填条目请到“考评”页。</p>')


RUBRICS_SHOWN = ("siyou", "wuyou-wuhao")  # 四有 (basic chambers only) and 五有五好
STATUS_COLOURS = {"pass": OK, "fail": ERROR, "needs_input": WARN, assessments.YEAR_OPEN: ACCENT, "not_applicable": MUTED}


def rules_short(rubric_id: str) -> str:
    from chamberdesk.rules import condition_name

    return condition_name(rubric_id)


def rubric_verdicts(ctx, ch: Chamber | chambers.ChamberRead, year: int, report=None) -> list[str]:
    """HTML blocks with the chamber's 四有 / 五有五好 results; an engine error is shown as text."""
    from chamberdesk import rules

    if report is None or report.year != year:
        report = condition_report(ctx, year)
    out = [f'<p style="color:{ERROR}">无法核对：{html.escape(e)}</p>' for e in report.errors]
    try:
        with ctx.db.session() as s:
            line = rules.chamber_standing(s, ch.id, year)
    except ChamberDeskError as exc:
        line = None
        out.append(f'<p style="color:{ERROR}">{html.escape(str(exc))}</p>')
    cond = report.chambers.get(ch.id)
    for rid, res in (cond.results.items() if cond else ()):
        verdict = {True: ("已达到", OK), False: ("未达到", ERROR), None: (res.verdict(), WARN)}[res.passed]
        items = "".join(
            f'<tr><td style="padding:1px 8px 1px 0; color:{STATUS_COLOURS.get(i.status, MUTED)}; white-space:nowrap">'
            f'{html.escape(i.status_label)}</td><td style="padding:1px 0">{html.escape(i.explanation)}</td></tr>'
            for i in res.items if i.status != "pass")
        out.append(
            f'<p style="margin-top:4px"><b>{html.escape(report.titles.get(rid, rid))}</b>　'
            f'<span style="color:{verdict[1]}; font-weight:600">{verdict[0]}</span>'
            f'<span style="color:#5f6b7a">　{assessments.counts_text(res.counts)}</span></p>' + (f'<table cellspacing="0">{items}</table>' if items else ""))
    if cond is None and not report.errors:
        out.append('<p style="color:#5f6b7a">本商会不在“四有”“五有五好”的考评范围内（或已撤销）。</p>')
    if line and "已定稿" in line:
        out.insert(0, f'<p><b>{html.escape(line)}</b></p>')
    return out


class Page(QWidget):
    TITLE = "商会"
    ICON = "chambers"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._undo: list[int] = []
        self.report = None  # this year's 四有 / 五有五好 results for every chamber (rules.ConditionReport)
        header, self.count_label = page_header("商会")
        self.new_button = QPushButton(icon("add"), "新建商会")
        self.new_button.clicked.connect(self.new_record)
        self.edit_button = QPushButton("编辑")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("删除")
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button = QPushButton("撤销删除")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo)
        self.print_button = QPushButton("打印…")
        self.print_button.setToolTip("打印所选商会的年度工作情况或会员名册（Ctrl+P）")
        self.print_menu = QMenu(self)
        self.print_menu.aboutToShow.connect(self._fill_print_menu)
        self.print_button.setMenu(self.print_menu)
        for b in (self.new_button, self.edit_button, self.delete_button, self.undo_button, self.print_button):
            header.addWidget(b)

        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索商会名称、会长、秘书长")
        self.search.setClearButtonEnabled(True)
        self.kind = QComboBox()
        self.kind.addItem("全部类型", None)
        for k in ChamberKind:
            self.kind.addItem(k.label, k.value)
        self.attention = QComboBox()
        self.attention.addItem("全部商会", None)
        self.attention.addItem("需关注（有任一提示）", "any")
        self.attention.addItem("未达基本条件（“四有”或“五有五好”）", "unmet")
        for key, text in ATTENTION.items():
            self.attention.addItem(text, key)
        self.show_dissolved = QCheckBox("显示已撤销")
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.kind)
        bar.addWidget(self.attention)
        bar.addWidget(self.show_dissolved)

        self.model = RecordTableModel(chamber_columns(), self)
        self.table = make_table()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(len(self.model.columns) - 1, BadgeDelegate(self.table))
        apply_widths(self.table, self.model.columns)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())

        self.detail = ChamberDetail(self)
        scroll = vertical_scroll(self.detail, frame=False)
        scroll.setMinimumWidth(480)
        self.detail_scroll = scroll
        scroll.viewport().installEventFilter(self)
        self.splitter = remembered_splitter("chambers", self.table, scroll, sizes=(640, 480))  # room for the badges

        lay = QVBoxLayout(self)
        lay.addLayout(header)
        lay.addLayout(bar)
        lay.addWidget(self.splitter, 1)
        self.search.textChanged.connect(self.reload_list)
        for c in (self.kind, self.attention):
            c.currentIndexChanged.connect(self.reload_list)
        self.show_dissolved.toggled.connect(self.reload_list)
        self.refresh()

    # --- contract ------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.report = None  # the ledger may have changed: judge again
        self.reload_list()
        self._guard()

    def _guard(self) -> None:
        """Write buttons for users who may edit (只读 users see why not); 编辑 and 删除 need a selection."""
        selected = self.selected_id() is not None
        guard_edit(self.ctx.db, self.new_button)
        guard_edit(self.ctx.db, self.edit_button, self.delete_button, enabled=selected)
        guard_edit(self.ctx.db, self.undo_button, enabled=bool(self._undo))

    # --- printing ------------------------------------------------------------------------------
    def print_years(self) -> list[int]:
        """This year and last; before April the clerk is most likely closing last year, so it comes first."""
        today = date.today()
        return [today.year - 1, today.year] if today.month < 4 else [today.year, today.year - 1]

    def _fill_print_menu(self) -> None:
        self.print_menu.clear()
        for y in self.print_years():
            self.print_menu.addAction(f"{y}年度工作情况…", lambda y=y: self.print_year(y))
        self.print_menu.addAction("会员名册…", self.print_roster)

    def print_current(self) -> None:
        """Ctrl+P: offer the selected chamber's forms under the 打印 button."""
        if self._need_selection() is None:
            return
        self.print_menu.popup(self.print_button.mapToGlobal(QPoint(0, self.print_button.height())))

    def _need_selection(self) -> int | None:
        cid = self.selected_id()
        if cid is None:
            QMessageBox.information(self, "打印", "请先在列表中选择要打印的商会。")
        return cid

    def _selected_name(self, cid: int) -> str:
        return self.model.row_object(self.model.row_of_id(cid)).name

    def print_year(self, year: int) -> None:
        """The chamber's 年度工作情况 for `year` (basic facts, members, meetings, activities) in the preview."""
        from chamberdesk.gui.pages.print_panel import preview_form
        from chamberdesk.io.pdf.jobs import PrintRequest

        cid = self._need_selection()
        if cid is not None:
            preview_form(self, self.ctx, PrintRequest(form="chamber-year", year=year, targets=[cid]),
                         f"{self._selected_name(cid)}{year}年度工作情况")

    def print_roster(self) -> None:
        """The chamber's 会员名册 (numbers masked, as every print by default) in the preview."""
        from chamberdesk.gui.pages.print_panel import preview_form
        from chamberdesk.io.pdf.jobs import PrintRequest

        cid = self._need_selection()
        if cid is not None:
            preview_form(self, self.ctx, PrintRequest(form="roster", targets=[cid]), f"{self._selected_name(cid)}会员名册")

    def failing_of(self, chamber_id: int) -> list[str]:
        if self.report is None:
            return []
        cond = self.report.chambers.get(chamber_id)
        return cond.failing() if cond else []

    def reload_list(self) -> None:
        keep = self.detail.chamber_id
        if self.report is None or self.report.year != date.today().year:
            self.report = condition_report(self.ctx)
        with self.ctx.db.session() as s:
            chs = chambers.list_chambers(s, include_dissolved=self.show_dissolved.isChecked())
            counts = chambers.member_counts(s)
        text = self.search.text().strip()
        kind = self.kind.currentData()
        att = self.attention.currentData()
        rows = []
        for ch in chs:
            if kind and ch.kind != kind:
                continue
            if text and not any(text in (v or "") for v in (ch.name, ch.president_name, ch.secretary_general_name)):
                continue
            failing = self.failing_of(ch.id)
            badges = chamber_badges(ch, failing=failing)
            if att == "any" and not any(b.text in ATTENTION.values() for b in badges):
                continue
            if att == "unmet" and not failing:
                continue
            if att in ATTENTION and not any(b.text == ATTENTION[att] for b in badges):
                continue
            k = ChamberKind.parse(ch.kind)
            rows.append(ChamberRow(ch.id, ch.name, k.label if k else ch.kind, counts.get(ch.id, 0), ch.term_end,
                                   chambers.term_status(ch), ch.president_name or "", ch.secretary_general_name or "",
                                   badges, ch.status == ChamberStatus.DISSOLVED.value))
        self.model.set_rows(rows)
        self._fit_badges()
        hdr = self.table.horizontalHeader()
        if hdr.sortIndicatorSection() >= 0 and hdr.isSortIndicatorShown():
            self.model.sort(hdr.sortIndicatorSection(), hdr.sortIndicatorOrder())
        flagged = sum(1 for r in rows if r.term_status in ("overdue", "due"))
        unmet = sum(1 for r in rows if self.failing_of(r.id))
        self.count_label.setText(f"共 {len(rows)} 个商会" + (f"，{unmet} 个未达基本条件" if unmet else "")
                                 + (f"，{flagged} 个换届需关注" if flagged else ""))
        if keep is not None and select_id(self.table, self.model, keep):
            self.detail.show_chamber(keep)
        elif rows:
            self.table.selectRow(0)
        else:
            self.detail.show_chamber(None)

    def _fit_badges(self) -> None:
        """The 提示 column as wide as its longest row of badges (a county has a few dozen chambers at
        most), so no badge is cut at the column edge; the table scrolls sideways if the pane is narrow."""
        col = len(self.model.columns) - 1
        self.table.setColumnWidth(col, max(self.table.sizeHintForColumn(col), 120))  # the delegate's hint, styled font

    def selected_id(self) -> int | None:
        idx = self.table.currentIndex()
        return idx.data(ID_ROLE) if idx.isValid() else None

    def new_record(self) -> None:
        if not self.new_button.isEnabled():
            self.ctx.status_message.emit(refusal_tip(self.ctx.db))
            return
        dlg = ChamberEditor(self.ctx, parent=self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved_id:
            self.report = None
            self.reload_list()
            self.show_target(dlg.saved_id)

    def edit_selected(self) -> None:
        cid = self.selected_id()
        if cid is None or not self.edit_button.isEnabled():
            return
        try:
            dlg = ChamberEditor(self.ctx, cid, parent=self)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "无法编辑", str(exc))
            self.reload_list()
            return
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.report = None  # the edit may have met or broken a condition
            self.reload_list()
            self.detail.show_chamber(cid)

    def find(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def delete_selected(self) -> None:
        cid = self.selected_id()
        if cid is None or not self.delete_button.isEnabled():
            return
        row = self.model.row_object(self.model.row_of_id(cid))
        msg = (f"确定删除“{row.name}”吗？\n商会的会员、会议和活动记录不会被删除。"
               "删除后可在回收站恢复，或立即“撤销删除”。\n\n（商会撤销请在编辑中把状态改为“已撤销”。）")
        if QMessageBox.question(self, "删除商会", msg, YES_NO, QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.ctx.db.transaction() as s:
                chambers.delete_chamber(s, cid)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "无法删除", str(exc))
            return
        self._undo.append(cid)
        self.report = None
        self.detail.chamber_id = None
        self.ctx.data_changed.emit("chamber")
        self.ctx.status_message.emit(f"已删除商会“{row.name}”（可撤销）")
        self.reload_list()
        self._guard()

    def undo(self) -> None:
        if not self._undo:
            return
        cid = self._undo.pop()
        self.report = None
        try:
            with self.ctx.db.transaction() as s:
                records.restore(s, Chamber, cid)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "无法撤销", str(exc))
        self.ctx.data_changed.emit("chamber")
        self.show_target(cid)
        self._guard()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        # the pane was resized (the splitter moved, the window or the scale changed): the detail arranges
        # its boxes for the width it has
        if obj is self.detail_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self.detail.arrange(event.size().width())
        return super().eventFilter(obj, event)

    def show_target(self, arg) -> None:
        """An int selects that chamber; a dict filters: {"kind": "township"} or {"attention": "overdue"}."""
        if isinstance(arg, dict):
            for w in (self.kind, self.attention):
                w.blockSignals(True)
            set_combo_data(self.kind, arg.get("kind"))
            set_combo_data(self.attention, arg.get("attention"))
            for w in (self.kind, self.attention):
                w.blockSignals(False)
            self.search.clear()
            self.reload_list()
            return
        if isinstance(arg, int):
            if self.model.row_of_id(arg) < 0:
                self.search.blockSignals(True)
                self.search.clear()
                self.search.blockSignals(False)
                for w in (self.kind, self.attention):
                    w.setCurrentIndex(0)
                self.reload_list()
            if select_id(self.table, self.model, arg):
                self.detail.show_chamber(arg)

    # --- internals -----------------------------------------------------------------------------
    def _row_changed(self, cur, _prev) -> None:
        if cur.isValid():
            self.detail.show_chamber(cur.data(ID_ROLE))
        self._guard()


__all__ = ["ATTENTION", "ChamberDetail", "Page", "chamber_badges"]
