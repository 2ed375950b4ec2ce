"""工作台: this year's key figures as tiles, charts and lists, each leading to the list behind it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core.choices import ChamberKind
from chamberdesk.core.dashboard import DashboardFigures, compute_dashboard
from chamberdesk.core.dates import chinese_date
from chamberdesk.gui.style import ACCENT, ERROR, MUTED, OK, TEXT, WARN
from chamberdesk.rules.standing import ISSUE_LABELS, ChamberIssue, chamber_issues

KIND_COLOURS = ["#3d5a80", "#98c1d9", "#ee6c4d", "#5b8e7d", "#e0a458", "#8d99ae"]
FED_COLOUR, CHAMBER_COLOUR = "#e0a458", "#3d5a80"
TARGET_ROLE = Qt.ItemDataRole.UserRole + 1  # (page, arg) a list item leads to
CHART_MIN_HEIGHT = 250


class Tile(QFrame):
    """A key figure: big number, caption, a line of context; clicking it opens the list behind it."""

    clicked = Signal()

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet("QFrame#tile { background: white; border: 1px solid #d5dde6; border-radius: 8px; }"
                           "QFrame#tile:hover { border-color: #3d5a80; }")
        self.caption = QLabel(caption)
        self.caption.setStyleSheet(f"color:{MUTED};")
        self.value = QLabel("—")
        self.value.setStyleSheet(f"font-size:22pt; font-weight:600; color:{TEXT};")
        self.note = QLabel()
        self.note.setTextFormat(Qt.TextFormat.RichText)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 10, 14, 10)
        lay.setSpacing(2)
        lay.addWidget(self.caption)
        lay.addWidget(self.value)
        lay.addWidget(self.note)

    def set(self, value: str, note: str = "") -> None:
        self.value.setText(value)
        self.note.setText(note)

    def mouseReleaseEvent(self, e) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(e)


def make_chart(title: str) -> tuple[QChart, QChartView]:
    chart = QChart()
    chart.setTitle(title)
    f = QFont(chart.titleFont())
    f.setPointSizeF(max(f.pointSizeF(), 10.5))
    f.setBold(True)
    chart.setTitleFont(f)
    chart.setTitleBrush(QColor(TEXT))
    chart.setBackgroundRoundness(8)
    chart.setMargins(QMargins(6, 6, 6, 6))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(CHART_MIN_HEIGHT)
    # A chart view's size hint is its scene, which follows the view's own size: a layout asking for
    # preferred sizes (the scrolled page does) would keep whatever size it once had. Charts get their
    # minimum and an equal share of the room left.
    view.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
    view.setCursor(Qt.CursorShape.PointingHandCursor)
    view.setStyleSheet("background: transparent;")
    return chart, view


def percent_text(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v * 100:+.1f}%"


def legend(html_text: str) -> QLabel:
    lab = QLabel(html_text)
    lab.setTextFormat(Qt.TextFormat.RichText)
    lab.setObjectName("muted")
    lab.setWordWrap(True)
    return lab


class LegendEntry(QLabel):
    """One kind in the pie's legend: colour, whole name, count. A click opens that kind; hovering lifts
    its slice."""

    clicked = Signal()
    hovered = Signal(bool)

    def __init__(self, colour: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(f'<span style="color:{colour}">■</span> {text}', parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # never narrower than its text (a rich-text label would let the layout squeeze and clip it)
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)

    def mouseReleaseEvent(self, e) -> None:
        if e.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(e)

    def enterEvent(self, e) -> None:
        self.hovered.emit(True)
        super().enterEvent(e)

    def leaveEvent(self, e) -> None:
        self.hovered.emit(False)
        super().leaveEvent(e)


class KindLegend(QWidget):
    """The pie's legend under it, two kinds to a row, every name whole: Qt's own legend beside the pie
    cut "楼宇商圈商会" to "楼宇商圈…" in the narrow card of a 1366 × 768 laptop at 125 %, and under the pie
    it cut every name away. Its entries never elide, so a card too narrow widens the page instead."""

    COLUMNS = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(12, 0, 12, 10)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(2)
        self.entries: list[LegendEntry] = []

    def clear(self) -> None:
        for e in self.entries:
            self.grid.removeWidget(e)
            e.deleteLater()
        self.entries = []

    def add(self, colour: str, text: str) -> LegendEntry:
        e = LegendEntry(colour, text, self)
        i = len(self.entries)
        self.grid.addWidget(e, i // self.COLUMNS, i % self.COLUMNS)
        self.entries.append(e)
        return e


def chart_card(view: QChartView, below: QWidget) -> QWidget:
    """A chart with widgets under it on one white card, drawn where and as the chart draws its own
    background, so the card lines up with the charts beside it."""
    chart = view.chart()
    chart.setBackgroundVisible(False)
    inset = chart.layout().getContentsMargins()  # the chart's background sits this far inside its view
    chart.layout().setContentsMargins(0, 0, 0, 0)
    card = QFrame()
    card.setObjectName("chartCard")
    card.setStyleSheet("QFrame#chartCard { background: white; border-radius: 8px; }")
    lay = QVBoxLayout(card)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(0)
    lay.addWidget(view, 1)
    lay.addWidget(below)
    holder = QWidget()
    QVBoxLayout(holder).setContentsMargins(*(round(m) for m in inset))
    holder.layout().addWidget(card)
    return holder


class Page(QWidget):
    TITLE = "工作台"
    ICON = "dashboard"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.figures: DashboardFigures | None = None
        self.chamber_issues: list[ChamberIssue] = []
        self.condition_errors: list[str] = []  # a rubric the engine could not apply

        title = QLabel("工作台")
        title.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("muted")
        self.year = QComboBox()
        this = date.today().year
        for y in range(this, this - 6, -1):
            self.year.addItem(f"{y}年", y)
        self.year.currentIndexChanged.connect(self.refresh)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(12)
        head.addWidget(self.subtitle)
        head.addStretch(1)
        head.addWidget(QLabel("年度"))
        head.addWidget(self.year)

        self.t_members = Tile("会员总数")
        self.t_new = Tile("本年新入会")
        self.t_chambers = Tile("商会")
        self.t_activities = Tile("本年活动")
        self.t_attention = Tile("未达基本条件的商会")
        self.t_members.clicked.connect(lambda: self.go("members", {"status": "active"}))
        self.t_new.clicked.connect(lambda: self.go("members", {"join_year": self.current_year()}))
        self.t_chambers.clicked.connect(lambda: self.go("chambers", {}))
        self.t_activities.clicked.connect(lambda: self.go("activities", {"year": self.current_year()}))
        self.t_attention.clicked.connect(lambda: self.go("chambers", {"attention": "unmet"}))
        tiles = QHBoxLayout()
        for t in (self.t_members, self.t_new, self.t_chambers, self.t_activities, self.t_attention):
            tiles.addWidget(t)

        self.members_chart, self.members_view = make_chart("会员人数（年末在册）")
        self.kinds_chart, self.kinds_view = make_chart("商会类型")
        self.quarters_chart, self.quarters_view = make_chart("各季度活动次数")
        self.members_view.setToolTip("点击柱子查看该年入会的会员")
        self.kinds_view.setToolTip("点击扇区查看该类商会")
        self.kinds_legend = KindLegend()
        self.kinds_legend.setToolTip("点击查看该类商会")
        self.quarters_view.setToolTip("点击柱子查看该季度的活动")

        self.terms = QListWidget()
        self.issues = QListWidget()
        for lst in (self.terms, self.issues):
            lst.setCursor(Qt.CursorShape.PointingHandCursor)
            lst.setWordWrap(True)
            lst.setSpacing(3)
            lst.itemClicked.connect(self._item_clicked)
            lst.itemActivated.connect(self._item_clicked)
        terms_box = QGroupBox("换届提醒（90 天内届满或已届满）")
        issues_box = QGroupBox("未达到基本条件的商会（“四有”“五有五好”）")
        # what the colours mean, in words under each list
        self.terms_legend = legend(f'<span style="color:{ERROR}">■ 红色</span>：已届满未换届　'
                                   f'<span style="color:{WARN}">■ 橙色</span>：90 天内届满　点击一行查看该商会')
        self.issues_legend = legend(f'<span style="color:{ERROR}">■ 红色</span>：未达“四有”（基础条件）　'
                                    f'<span style="color:{TEXT}">■ 黑色</span>：只未达“五有五好”　点击一行查看该商会')
        for box, lst, key in ((terms_box, self.terms, self.terms_legend), (issues_box, self.issues, self.issues_legend)):
            v = QVBoxLayout(box)
            v.addWidget(key)  # above the list: in sight even when the page is scrolled to the charts
            v.addWidget(lst)

        grid = QGridLayout()
        grid.addWidget(self.members_view, 0, 0)
        self.kinds_card = chart_card(self.kinds_view, self.kinds_legend)
        grid.addWidget(self.kinds_card, 0, 1)
        grid.addWidget(self.quarters_view, 0, 2)
        grid.addWidget(terms_box, 1, 0)
        grid.addWidget(issues_box, 1, 1, 1, 2)
        for col in range(3):
            grid.setColumnStretch(col, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)

        inner = QWidget()
        il = QVBoxLayout(inner)
        il.addLayout(head)
        il.addLayout(tiles)
        il.addLayout(grid, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(scroll)
        self.refresh()

    def current_year(self) -> int:
        return self.year.currentData() or date.today().year

    def go(self, page: str, arg) -> None:
        self.ctx.navigate.emit(page, arg)

    # --- contract ------------------------------------------------------------------------------
    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            f = compute_dashboard(s, self.current_year())
            self.chamber_issues, self.condition_errors = chamber_issues(s, f.year, date.today())
        self.figures = f
        self.subtitle.setText(f"数据截至 {chinese_date(f.ref_date)}")
        g = f.growth
        colour = OK if (g or 0) >= 0 else ERROR
        self.t_members.set(f"{f.members_now:,}",
                           f'较上年末 {f.members_last_year:,} <span style="color:{colour}">{percent_text(g)}</span>')
        self.t_new.set(f"{f.new_members:,}", f"退会 {f.left_members:,}")
        basic = f.chambers_by_kind.get("township", 0) + f.chambers_by_kind.get("subdistrict", 0)
        self.t_chambers.set(f"{f.chambers_total}", f"其中乡镇、街道商会 {basic} 个")
        self.t_activities.set(f"{f.activities_total}", f"会议 {f.meetings_this_year} 次")
        overdue = sum(1 for t in f.terms if t.overdue)
        self.t_attention.set(f"{len(self.chamber_issues)}",
                             f'<span style="color:{ERROR if overdue else MUTED}">届满未换届 {overdue} 个</span>')
        self._members_chart(f)
        self._kinds_chart(f)
        self._quarters_chart(f)
        self._lists(f)

    def show_target(self, arg) -> None:
        if isinstance(arg, int):
            i = self.year.findData(arg)
            if i >= 0:
                self.year.setCurrentIndex(i)

    # --- charts --------------------------------------------------------------------------------
    def _reset(self, chart: QChart) -> None:
        chart.removeAllSeries()
        for ax in chart.axes():
            chart.removeAxis(ax)

    def _members_chart(self, f: DashboardFigures) -> None:
        c = self.members_chart
        self._reset(c)
        bars = QBarSet("会员")
        bars.setColor(QColor(ACCENT))
        years = [y for y, _n in f.member_trend]
        for _y, n in f.member_trend:
            bars.append(n)
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsInsideEnd)
        bars.setLabelColor(QColor("white"))
        c.addSeries(series)
        ax = QBarCategoryAxis()
        ax.append([f"{y}年" for y in years])
        ax.setTruncateLabels(False)  # at 125 % Qt cut "2025年" to "202…" although the bar has room for it
        ay = QValueAxis()
        ay.setRange(0, max([n for _y, n in f.member_trend] + [1]) * 1.1)
        ay.setLabelFormat("%d")
        ay.applyNiceNumbers()
        c.addAxis(ax, Qt.AlignmentFlag.AlignBottom)
        c.addAxis(ay, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(ax)
        series.attachAxis(ay)
        c.legend().hide()
        bars.clicked.connect(lambda i: self.go("members", {"join_year": years[i]}))
        self.member_bars = bars

    def _kinds_chart(self, f: DashboardFigures) -> None:
        c = self.kinds_chart
        self._reset(c)
        pie = QPieSeries()
        pie.setHoleSize(0.35)
        self.kind_slices = {}
        self.kinds_legend.clear()
        for i, k in enumerate(ChamberKind):
            n = f.chambers_by_kind.get(k.value, 0)
            if not n:
                continue
            colour = KIND_COLOURS[i % len(KIND_COLOURS)]
            sl = pie.append(f"{k.label} {n}", n)
            sl.setColor(QColor(colour))
            sl.setLabelVisible(False)
            entry = self.kinds_legend.add(colour, sl.label())
            for signal in (sl.clicked, entry.clicked):
                signal.connect(lambda kind=k.value: self.go("chambers", {"kind": kind}))
            for hover in (sl.hovered, entry.hovered):
                hover.connect(lambda on, s=sl: s.setExploded(on))
            self.kind_slices[k.value] = sl
        c.addSeries(pie)
        c.legend().hide()  # KindLegend under the chart names the kinds
        # the card as a whole (pie and legend) asks no more height than the charts beside it
        m = self.kinds_card.layout().contentsMargins()
        rest = CHART_MIN_HEIGHT - self.kinds_legend.sizeHint().height() - m.top() - m.bottom()
        self.kinds_view.setMinimumHeight(max(CHART_MIN_HEIGHT // 2, rest))

    def _quarters_chart(self, f: DashboardFigures) -> None:
        c = self.quarters_chart
        self._reset(c)
        fed = QBarSet("本级工商联")
        ch = QBarSet("各商会")
        fed.setColor(QColor(FED_COLOUR))
        ch.setColor(QColor(CHAMBER_COLOUR))
        for q in range(1, 5):
            a, b = f.activities_by_quarter[q]
            fed.append(a)
            ch.append(b)
        series = QStackedBarSeries()
        series.append(ch)
        series.append(fed)
        c.addSeries(series)
        ax = QBarCategoryAxis()
        ax.append(["一季度", "二季度", "三季度", "四季度"])
        ax.setTruncateLabels(False)
        ay = QValueAxis()
        top = max([a + b for a, b in f.activities_by_quarter.values()] + [1])
        ay.setRange(0, top * 1.1)
        ay.setLabelFormat("%d")
        ay.applyNiceNumbers()
        c.addAxis(ax, Qt.AlignmentFlag.AlignBottom)
        c.addAxis(ay, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(ax)
        series.attachAxis(ay)
        c.legend().show()
        year = f.year
        fed.clicked.connect(lambda i: self.go("activities", {"year": year, "quarter": i + 1, "chamber_id": None}))
        ch.clicked.connect(lambda i: self.go("activities", {"year": year, "quarter": i + 1}))
        self.quarter_series = series
        self.quarter_sets = (ch, fed)

    # --- lists ---------------------------------------------------------------------------------
    def _lists(self, f: DashboardFigures) -> None:
        self.terms.clear()
        for t in f.terms:
            if t.overdue:
                text = f"{t.name}　{t.term_end:%Y-%m-%d} 届满，已超期 {-t.days} 天未换届"
                colour = ERROR
            else:
                text = f"{t.name}　{t.term_end:%Y-%m-%d} 届满，还有 {t.days} 天"
                colour = WARN
            it = QListWidgetItem(text)
            it.setForeground(QColor(colour))
            it.setData(TARGET_ROLE, ("chambers", t.chamber_id))
            it.setToolTip("点击查看该商会")
            self.terms.addItem(it)
        if not f.terms:
            it = QListWidgetItem("90 天内没有需要换届的商会")
            it.setForeground(QColor(OK))
            it.setFlags(Qt.ItemFlag.NoItemFlags)
            self.terms.addItem(it)
        self.issues.clear()
        for msg in self.condition_errors:  # a broken rubric file: say so rather than claim all is well
            it = QListWidgetItem(f"无法核对基本条件：{msg}")
            it.setForeground(QColor(ERROR))
            it.setFlags(Qt.ItemFlag.NoItemFlags)
            self.issues.addItem(it)
        for i in self.chamber_issues:
            it = QListWidgetItem(f"{i.name}　{'　'.join(i.details)}")
            it.setForeground(QColor(ERROR if "siyou" in i.issues else TEXT))
            it.setData(TARGET_ROLE, ("chambers", i.chamber_id))
            it.setToolTip("、".join(ISSUE_LABELS.get(k, k) for k in i.issues) + "：\n"
                          + "\n".join(i.explanations) + "\n点击查看该商会")
            self.issues.addItem(it)
        if not self.chamber_issues and not self.condition_errors:
            it = QListWidgetItem("没有商会未达到“四有”或“五有五好”（待填写的条目不计）")
            it.setForeground(QColor(OK))
            it.setFlags(Qt.ItemFlag.NoItemFlags)
            self.issues.addItem(it)

    def _item_clicked(self, it: QListWidgetItem) -> None:
        target = it.data(TARGET_ROLE)
        if target:
            self.go(*target)
