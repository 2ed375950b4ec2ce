"""The chamber editor (新建/编辑商会): grouped fields, inline validation, 保存 only when valid."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import chambers
from chamberdesk.core.choices import ChamberKind, ChamberRule, ChamberStatus, PartyOrg
from chamberdesk.core.errors import ChamberDeskError, Conflict, InvalidInput
from chamberdesk.gui.style import set_invalid
from chamberdesk.gui.widgets.buttons import accept_button, dialog_buttons
from chamberdesk.gui.widgets.roles import can_edit, guard_edit, refusal_tip

EMPTY_DATE = QDate(1900, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A date that may be left empty: the minimum date stands for "未填写"."""

    def __init__(self, parent: QWidget | None = None, *, allow_future: bool = True) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(EMPTY_DATE)
        self.setSpecialValueText("未填写")
        if not allow_future:
            self.setMaximumDate(QDate.currentDate())
        self.setDate(EMPTY_DATE)

    def value(self) -> date | None:
        d = self.date()
        return None if d == EMPTY_DATE else d.toPython()

    def set_value(self, d: date | None) -> None:
        self.setDate(QDate(d) if d else EMPTY_DATE)


class FormErrors:
    """Field name → (widget, message label): shows a service's InvalidInput next to its field."""

    def __init__(self) -> None:
        self.fields: dict[str, tuple[QWidget, QLabel]] = {}
        # A fresh form is not scolded for fields nobody has touched yet; 保存 still waits for them.
        self.touched: set[str] = set()
        self.reveal_all = False

    def label_for(self, field: str, widget: QWidget) -> QLabel:
        lab = QLabel()
        lab.setObjectName("fieldError")
        lab.setWordWrap(True)
        lab.hide()
        self.fields[field] = (widget, lab)
        for sig in ("textChanged", "currentIndexChanged", "toggled", "dateChanged", "valueChanged"):
            if hasattr(widget, sig):
                getattr(widget, sig).connect(lambda *_a, f=field: self.touched.add(f))
        return lab

    def reset(self) -> None:
        self.touched.clear()
        self.reveal_all = False

    def show(self, errors: dict[str, str]) -> None:
        for name, (w, lab) in self.fields.items():
            msg = errors.get(name) if (self.reveal_all or name in self.touched) else None
            set_invalid(w, msg is not None)
            lab.setText(msg or "")
            lab.setVisible(msg is not None)

    def unplaced(self, errors: dict[str, str]) -> list[str]:
        return [m for f, m in errors.items() if f not in self.fields]


def with_error(widget: QWidget, errors: FormErrors, field: str) -> QWidget:
    """A field widget with its message line underneath."""
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    lay.addWidget(widget)
    lay.addWidget(errors.label_for(field, widget))
    return box


def fill_choice_combo(combo: QComboBox, enum, *, blank: str | None = None) -> None:
    if blank is not None:
        combo.addItem(blank, None)
    for m in enum:
        combo.addItem(m.label, m.value)


def set_combo_data(combo: QComboBox, value: Any) -> None:
    i = combo.findData(value)
    combo.setCurrentIndex(max(i, 0))


def set_inputs_read_only(widgets, read_only: bool) -> None:
    """Show values without letting them change: text stays selectable, choices grey out."""
    for w in widgets:
        if isinstance(w, (QLineEdit, QPlainTextEdit, QAbstractSpinBox)):
            w.setReadOnly(read_only)
        else:
            w.setEnabled(not read_only)


class ChamberEditor(QDialog):
    """New chamber when `chamber_id` is None, else edit it; `saved_id` holds the id after 保存."""

    def __init__(self, ctx, chamber_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.chamber_id = chamber_id
        self.version: int | None = None
        self.saved_id: int | None = None
        self.errors = FormErrors()
        self.setWindowTitle("编辑商会" if chamber_id else "新建商会")
        self.setMinimumSize(560, 420)

        f = self.f = {}  # field name → widget
        f["name"] = QLineEdit()
        f["name"].setPlaceholderText("如：城关镇商会")
        f["kind"] = QComboBox()
        fill_choice_combo(f["kind"], ChamberKind, blank="请选择")
        f["status"] = QComboBox()
        fill_choice_combo(f["status"], ChamberStatus)
        f["registered"] = QCheckBox("已在民政部门登记")
        f["credit_code"] = QLineEdit()
        f["credit_code"].setPlaceholderText("18 位；已在民政登记的必填")
        f["credit_code"].setMaxLength(30)
        f["founded_on"] = OptionalDateEdit(allow_future=False)
        f["dissolved_on"] = OptionalDateEdit(allow_future=False)
        f["is_group_member"] = QCheckBox("作为团体会员加入本级工商联")
        f["inspection_passed"] = QComboBox()
        for text, v in (("未填写", None), ("合格", True), ("不合格", False)):
            f["inspection_passed"].addItem(text, v)
        f["term_start"] = OptionalDateEdit()
        f["term_end"] = OptionalDateEdit()
        f["president_name"] = QLineEdit()
        f["secretary_general_name"] = QLineEdit()
        f["secretary_fulltime"] = QCheckBox("秘书长为专职")
        f["has_office"] = QCheckBox("有固定办公场所")
        f["office_area"] = QDoubleSpinBox()
        f["office_area"].setRange(0, 100000)
        f["office_area"].setSuffix(" ㎡")
        f["office_area"].setDecimals(1)
        f["fulltime_staff"] = QSpinBox()
        f["fulltime_staff"].setRange(0, 999)
        f["parttime_staff"] = QSpinBox()
        f["parttime_staff"].setRange(0, 999)
        f["annual_funds"] = QDoubleSpinBox()
        f["annual_funds"].setRange(0, 1e10)
        f["annual_funds"].setDecimals(0)
        f["annual_funds"].setSuffix(" 元")
        f["annual_funds"].setGroupSeparatorShown(True)
        f["party_org"] = QComboBox()
        fill_choice_combo(f["party_org"], PartyOrg)
        self.rule_boxes = {r.value: QCheckBox(r.label) for r in ChamberRule}
        f["notes"] = QPlainTextEdit()
        f["notes"].setFixedHeight(70)

        def form(title: str, rows: list[tuple[str, str]]) -> QGroupBox:
            g = QGroupBox(title)
            fl = QFormLayout(g)
            fl.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
            for label, key in rows:
                fl.addRow(label, with_error(f[key], self.errors, key))
            return g

        basic = form("基本情况", [("商会名称 *", "name"), ("商会类型 *", "kind"), ("状态", "status"),
                                  ("", "registered"), ("统一社会信用代码", "credit_code"), ("成立日期", "founded_on"),
                                  ("撤销日期", "dissolved_on"), ("", "is_group_member"), ("最近年检", "inspection_passed")])
        term = form("换届与负责人", [("本届起始", "term_start"), ("本届届满", "term_end"), ("会长", "president_name"),
                                     ("秘书长", "secretary_general_name"), ("", "secretary_fulltime")])
        cond = form("办公条件与经费", [("", "has_office"), ("办公面积", "office_area"), ("专职人员", "fulltime_staff"),
                                       ("兼职人员", "parttime_staff"), ("年度经费", "annual_funds"), ("党组织", "party_org")])
        rules = QGroupBox("制度建设")
        rl = QGridLayout(rules)
        # Two per row: four long labels ("档案制度…") side by side pushed the right column off the dialog.
        per_row = 2
        for i, box in enumerate(self.rule_boxes.values()):
            rl.addWidget(box, i // per_row, i % per_row)
        n_rows = (len(self.rule_boxes) + per_row - 1) // per_row
        rl.addWidget(self.errors.label_for("rules", rules), n_rows, 0, 1, per_row)
        notes = form("备注", [("备注", "notes")])

        inner = QWidget()
        grid = QGridLayout(inner)
        grid.addWidget(basic, 0, 0)
        grid.addWidget(term, 0, 1)
        grid.addWidget(cond, 1, 0)
        grid.addWidget(rules, 1, 1)
        grid.addWidget(notes, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        scroll = self.scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Only ever scroll vertically: the dialog is made as wide as its content.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)

        self.summary = QLabel()
        self.summary.setObjectName("fieldError")
        self.summary.setWordWrap(True)
        self.buttons = dialog_buttons(self, save=True, on_accept=self.save)
        self.save_button = accept_button(self.buttons)
        self.role_note = QLabel()
        self.role_note.setObjectName("muted")
        self.role_note.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.role_note)
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(scroll, 1)
        lay.addLayout(bottom)
        self._fit_screen(inner)

        if chamber_id is not None:
            self._load(chamber_id)
            self.errors.reveal_all = True
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.validate)
        for w in list(f.values()) + list(self.rule_boxes.values()):
            for sig in ("textChanged", "currentIndexChanged", "toggled", "dateChanged", "valueChanged"):
                if hasattr(w, sig):
                    getattr(w, sig).connect(self._timer.start)
        # ticking 民政登记 is what makes the code required: say so at once, under the code field
        f["registered"].toggled.connect(lambda _c: self.errors.touched.add("credit_code"))
        f["has_office"].toggled.connect(f["office_area"].setEnabled)
        f["office_area"].setEnabled(f["has_office"].isChecked())
        self.read_only = not can_edit(ctx.db)
        if self.read_only:
            self.setWindowTitle("查看商会" if chamber_id else self.windowTitle())
            set_inputs_read_only([*f.values(), *self.rule_boxes.values()], True)
            self.buttons.button(self.buttons.StandardButton.Cancel).setText("关闭")
            self.role_note.setText(f"{refusal_tip(ctx.db)}，只能查看。")
            self.role_note.show()
        self.validate()

    # --- data ----------------------------------------------------------------------------------
    def _fit_screen(self, inner: QWidget) -> None:
        """As wide as the content (no horizontal scrolling), at most 680 px high (1366×768 screens)."""
        hint = inner.sizeHint()
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        max_w = screen.width() - 40 if screen is not None else 1300
        max_h = min(680, screen.height() - 60) if screen is not None else 680
        m = self.layout().contentsMargins()
        width = min(max(hint.width() + bar + m.left() + m.right() + 4, 760), max_w)  # roomy when it can be
        height = min(hint.height() + 70 + m.top() + m.bottom(), max_h)
        self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))
        inner.setMinimumWidth(min(hint.width(), width - bar - m.left() - m.right() - 4))

    def _load(self, chamber_id: int) -> None:
        with self.ctx.db.session() as s:
            ch = chambers.get_chamber(s, chamber_id)  # NotFound says it was deleted meanwhile
        self.version = ch.version
        f = self.f
        f["name"].setText(ch.name)
        set_combo_data(f["kind"], ch.kind)
        set_combo_data(f["status"], ch.status)
        f["registered"].setChecked(ch.registered)
        f["credit_code"].setText(ch.credit_code or "")
        f["founded_on"].set_value(ch.founded_on)
        f["dissolved_on"].set_value(ch.dissolved_on)
        f["is_group_member"].setChecked(ch.is_group_member)
        set_combo_data(f["inspection_passed"], ch.inspection_passed)
        f["term_start"].set_value(ch.term_start)
        f["term_end"].set_value(ch.term_end)
        f["president_name"].setText(ch.president_name or "")
        f["secretary_general_name"].setText(ch.secretary_general_name or "")
        f["secretary_fulltime"].setChecked(ch.secretary_fulltime)
        f["has_office"].setChecked(ch.has_office)
        f["office_area"].setValue(ch.office_area or 0)
        f["fulltime_staff"].setValue(ch.fulltime_staff)
        f["parttime_staff"].setValue(ch.parttime_staff)
        f["annual_funds"].setValue(ch.annual_funds or 0)
        set_combo_data(f["party_org"], ch.party_org)
        have = set(filter(None, (ch.rules or "").split(",")))
        for v, box in self.rule_boxes.items():
            box.setChecked(v in have)
        f["notes"].setPlainText(ch.notes or "")

    def data(self) -> dict[str, Any]:
        f = self.f
        has_office = f["has_office"].isChecked()
        return {
            "name": f["name"].text(), "kind": f["kind"].currentData(), "status": f["status"].currentData(),
            "registered": f["registered"].isChecked(), "credit_code": f["credit_code"].text().strip() or None,
            "founded_on": f["founded_on"].value(), "dissolved_on": f["dissolved_on"].value(),
            "is_group_member": f["is_group_member"].isChecked(),
            "inspection_passed": f["inspection_passed"].currentData(),
            "term_start": f["term_start"].value(), "term_end": f["term_end"].value(),
            "president_name": f["president_name"].text(), "secretary_general_name": f["secretary_general_name"].text(),
            "secretary_fulltime": f["secretary_fulltime"].isChecked(), "has_office": has_office,
            "office_area": (f["office_area"].value() or None) if has_office else None,
            "fulltime_staff": f["fulltime_staff"].value(), "parttime_staff": f["parttime_staff"].value(),
            "annual_funds": f["annual_funds"].value() or None, "party_org": f["party_org"].currentData(),
            "rules": ",".join(v for v, b in self.rule_boxes.items() if b.isChecked()),
            "notes": f["notes"].toPlainText(),
        }

    def validate(self) -> bool:
        """Check with the same service rules the save uses; mark fields and enable 保存 accordingly."""
        self._timer.stop()
        try:
            with self.ctx.db.session() as s:
                chambers.validate_chamber(s, self.data(), exclude_id=self.chamber_id)
            errs: dict[str, str] = {}
        except InvalidInput as exc:
            errs = exc.by_field()
        self.errors.show(errs)
        extra = self.errors.unplaced(errs)
        self.summary.setText("；".join(extra))
        guard_edit(self.ctx.db, self.save_button, enabled=not errs)
        return not errs

    def save(self) -> None:
        if self.read_only:  # Enter in a field presses 保存 even when it is greyed
            return
        self.errors.reveal_all = True
        if not self.validate():
            return
        data = self.data()
        try:
            with self.ctx.db.transaction() as s:
                if self.chamber_id is None:
                    ch = chambers.create_chamber(s, data)
                else:
                    ch = chambers.update_chamber(s, self.chamber_id, data, expected_version=self.version)
                s.flush()
                self.saved_id = ch.id
        except InvalidInput as exc:
            self.errors.show(exc.by_field())
            self.summary.setText("；".join(self.errors.unplaced(exc.by_field())))
            return
        except Conflict as exc:
            QMessageBox.warning(self, "保存冲突", str(exc))
            return
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "无法保存", str(exc))
            return
        self.ctx.data_changed.emit("chamber")
        self.ctx.status_message.emit(f"已保存商会“{data['name'].strip()}”")
        self.accept()
