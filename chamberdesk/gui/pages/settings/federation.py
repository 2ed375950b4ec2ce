"""设置 → 本级工商联: the federation's facts and yearly budgets."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import accounts
from chamberdesk.core.errors import ChamberDeskError
from chamberdesk.core.federation import (
    get_budget,
    get_federation,
    save_federation,
    set_budget,
)
from chamberdesk.core.models import FEDERATION_LABELS, Federation
from chamberdesk.gui.pages.settings.common import show_error

if TYPE_CHECKING:
    from chamberdesk.gui.pages.settings import Page


class FederationTab(QWidget):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self.widgets: dict[str, QWidget] = {}
        self.version: int | None = None
        # Two label/field pairs per row with narrow number boxes, so the whole form and 保存 fit a
        # 1366×768 screen without scrolling.
        form = QGridLayout()
        form.setHorizontalSpacing(12)
        form.setColumnStretch(4, 1)
        slot = 0
        for name, label in FEDERATION_LABELS.items():
            ann = Federation.model_fields[name].annotation
            if ann is bool:
                w: QWidget = QCheckBox()
            elif ann is int:
                w = QSpinBox()
                w.setRange(0, 10_000_000)
            elif ann is float:
                w = QDoubleSpinBox()
                w.setRange(0, 1e9)
                w.setDecimals(1)
            else:
                w = QLineEdit()
            w.setObjectName(f"fed_{name}")
            self.widgets[name] = w
            lab = QLabel(label)
            if name == "name":  # the long unit name gets a row of its own
                w.setMinimumWidth(360)
                form.addWidget(lab, 0, 0)
                form.addWidget(w, 0, 1, 1, 3)
                slot = 2
                continue
            if isinstance(w, (QSpinBox, QDoubleSpinBox)):
                w.setFixedWidth(150)
            elif isinstance(w, QLineEdit):
                w.setMinimumWidth(150)
                w.setMaximumWidth(260)
            r, c = divmod(slot, 2)
            form.addWidget(lab, r, c * 2)
            form.addWidget(w, r, c * 2 + 1)
            slot += 1
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.working = QDoubleSpinBox()
        self.investment = QDoubleSpinBox()
        for w in (self.working, self.investment):
            w.setRange(0, 1e10)
            w.setDecimals(2)
            w.setSuffix(" 元")
        self.year.valueChanged.connect(self._load_budget)
        budget = QGroupBox("年度预算")
        bf = QHBoxLayout(budget)
        self.year.setFixedWidth(100)
        for w in (self.working, self.investment):
            w.setFixedWidth(170)
        for label, w in (("年度", self.year), ("工作经费", self.working), ("招商引资经费", self.investment)):
            bf.addWidget(QLabel(label))
            bf.addWidget(w)
        bf.addStretch(1)
        self.save_btn = QPushButton("保存")
        self.save_btn.setObjectName("saveFederation")
        self.save_btn.clicked.connect(self.save)
        inner = QWidget()
        lay = QVBoxLayout(inner)
        lay.addLayout(form)
        lay.addWidget(budget)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        row = QHBoxLayout()  # outside the scroll area: 保存 is always in sight
        row.setContentsMargins(9, 0, 9, 6)
        row.addStretch(1)
        row.addWidget(self.save_btn)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addLayout(row)

    def refresh(self) -> None:
        with self.page.ctx.db.session() as s:
            fed = get_federation(s)
        self.version = fed.version if fed else None
        for name, w in self.widgets.items():
            v = getattr(fed, name) if fed else None
            if isinstance(w, QCheckBox):
                w.setChecked(bool(v))
            elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
                w.setValue(v or 0)
            else:
                w.setText(v or "")
        self._load_budget()
        self.save_btn.setEnabled(accounts.allowed(self.page.ctx.db, "edit"))

    def _load_budget(self) -> None:
        with self.page.ctx.db.session() as s:
            b = get_budget(s, self.year.value())
        self.working.setValue(b.working_funds if b else 0)
        self.investment.setValue(b.investment_funds if b else 0)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, w in self.widgets.items():
            if isinstance(w, QCheckBox):
                out[name] = w.isChecked()
            elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
                out[name] = w.value()
            else:
                out[name] = w.text()
        return out

    def save(self) -> bool:
        db = self.page.ctx.db
        try:
            accounts.require(db, "edit")
            with db.transaction() as s:
                save_federation(s, self.values(), expected_version=self.version)
                set_budget(s, self.year.value(), working_funds=self.working.value(),
                           investment_funds=self.investment.value())
        except ChamberDeskError as exc:
            show_error(self, exc, "未保存")
            return False
        self.page.ctx.data_changed.emit("federation")
        self.page.ctx.status_message.emit("本级工商联信息已保存")
        self.refresh()
        return True
