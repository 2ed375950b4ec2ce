"""The member form (新增/编辑会员): grouped fields, validation as you type, save through core.members."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import custom_fields
from chamberdesk.core import members as svc
from chamberdesk.core.chambers import list_chambers
from chamberdesk.core.choices import (
    MEMBER_TAGS,
    Gender,
    Industry,
    MemberKind,
    PoliticalStatus,
    Position,
    SizeClass,
)
from chamberdesk.core.errors import ChamberDeskError, InvalidInput
from chamberdesk.core.models import Member
from chamberdesk.core.validators import (
    birth_date_from_id,
    gender_from_id,
    mask_id_number,
    mask_phone,
    normalize_id_number,
)
from chamberdesk.gui.context import AppContext
from chamberdesk.gui.widgets.buttons import accept_button, confirm, dialog_buttons
from chamberdesk.gui.widgets.date_edit import OptionalDateEdit
from chamberdesk.gui.widgets.forms import FieldWithError, choice_combo, set_combo_value
from chamberdesk.gui.widgets.layout import resize_to_fit, vertical_scroll

# Personal numbers of a saved member open masked; the full value is fetched (with permission, audited)
# only when the clerk asks to see or change it (GB/T 35273: de-identify what is shown).
MASKED_FIELDS = {"rep_id_number": mask_id_number, "rep_phone": mask_phone}
TEXT_FIELDS = ("enterprise_name", "credit_code", "legal_rep", "rep_name", "rep_id_number", "rep_phone", "leave_reason",
               "address")
# numbers typed as text: a blank is "unknown", never 0
NUMBER_FIELDS = {"registered_capital": (float, "数字（万元）"), "employee_count": (int, "整数")}
COMBO_FIELDS = ("kind", "industry", "size_class", "rep_gender", "rep_political_status")
DATE_FIELDS = ("rep_birth_date", "join_date", "leave_date")
NO_SEAT = "none"


class MemberEditor(QDialog):
    """Edit `member_id`, or create a member when it is None.

    After `exec()` returns Accepted: `member_id` is the saved member and `previous` holds the field
    values before this edit (empty for a new member), so the caller can offer 撤销.
    """

    def __init__(self, ctx: AppContext, member_id: int | None = None, parent: QWidget | None = None, *,
                 chamber_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.member_id = member_id
        self.version: int | None = None
        self.previous: dict[str, Any] = {}
        self.errors: dict[str, str] = {}
        self.touched: set[str] = set()
        self.show_all_errors = False
        self._filling = False
        self._two_columns: int | None = None  # measured when first shown
        self.setWindowTitle("新增会员" if member_id is None else "编辑会员")
        self.fields: dict[str, FieldWithError] = {}
        self.hidden: set[str] = set()  # masked personal fields not revealed yet
        self._build(chamber_id)
        self.original = self._initial_values()
        self._load(self.original)
        self.validate()
        resize_to_fit(self, 1100, 700)  # the form scrolls, so 保存 stays in sight on a small screen
        self.w["enterprise_name"].setFocus()

    # --- building ------------------------------------------------------------------------------
    def _row(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        wrapped = FieldWithError(widget, error_width=160)  # narrower messages: room for two columns
        self.fields[key] = wrapped
        form.addRow(self._label(label), wrapped)
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _t, k=key: self._changed(k))
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _i, k=key: self._changed(k))
        elif isinstance(widget, OptionalDateEdit):
            widget.value_changed.connect(lambda _v, k=key: self._changed(k))

    def _label(self, text: str) -> QLabel:
        lab = QLabel(text + "：")
        # the same label width in every group, so the fields line up down the whole form
        lab.setMinimumWidth(lab.fontMetrics().horizontalAdvance("统一社会信用代码：") + 4)
        return lab

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        # the widths two columns and one column need, measured once styled and shown: never narrower than one
        # column, so nothing is cut off at the right, and two columns only where they fit
        bar = self.scroll.verticalScrollBar().sizeHint().width() + 4
        widths = []
        for direction in (QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom):
            self.columns.setDirection(direction)
            widths.append(self.body.minimumSizeHint().width() + bar)
        self._two_columns, one_column = widths
        self.scroll.setMinimumWidth(one_column)
        # opened wide enough for two columns (所属商会 in sight) where the screen has room for them
        m = self.layout().contentsMargins()
        want = self._two_columns + m.left() + m.right()
        screen = self.screen()
        if screen is not None and self.width() < want <= screen.availableGeometry().width() - 20:
            self.resize(want, self.height())
        self._reflow(self.width())
        super().showEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._reflow(event.size().width())

    def _reflow(self, width: int) -> None:
        """Two columns side by side where the dialog is wide enough; one column that scrolls where it is not
        (a 1366×768 laptop at 125 % or 150 % has 1093 or 911 pixels)."""
        if self._two_columns is None:
            return
        m = self.layout().contentsMargins()
        wide = width - m.left() - m.right() >= self._two_columns
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.columns.direction() != direction:
            self.columns.setDirection(direction)

    def _build(self, chamber_id: int | None) -> None:
        self.w: dict[str, QWidget] = {}
        for k in TEXT_FIELDS:
            self.w[k] = QLineEdit()
        self.w["enterprise_name"].setPlaceholderText("营业执照上的全称")
        self.w["credit_code"].setPlaceholderText("18位，如 91130534MA0XXXXXXX")
        self.w["credit_code"].setMaxLength(30)
        self.w["rep_id_number"].setPlaceholderText("18位居民身份证号")
        self.w["rep_phone"].setPlaceholderText("手机或座机（区号-号码）")
        self.w["address"].setPlaceholderText("企业地址（营业执照上的住所）")
        for k in NUMBER_FIELDS:
            self.w[k] = QLineEdit()
        self.w["registered_capital"].setPlaceholderText("万元")
        self.w["employee_count"].setPlaceholderText("人")
        self.w["kind"] = choice_combo(MemberKind, empty=None)
        self.w["industry"] = choice_combo(Industry, show_value=True)
        self.w["size_class"] = choice_combo(SizeClass)
        self.w["rep_gender"] = choice_combo(Gender)
        self.w["rep_political_status"] = choice_combo(PoliticalStatus)
        for k in DATE_FIELDS:
            self.w[k] = OptionalDateEdit()
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.notes.textChanged.connect(lambda: self._changed("notes"))
        self.tag_boxes: dict[str, QCheckBox] = {}
        tags = QWidget()
        grid = QGridLayout(tags)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, t in enumerate(MEMBER_TAGS):
            cb = QCheckBox(t)
            cb.toggled.connect(lambda _c: self._changed("tags"))
            self.tag_boxes[t] = cb
            grid.addWidget(cb, i // 3, i % 3)  # three a row: the form stays narrow enough for two columns

        g1 = QGroupBox("企业信息")
        f = QFormLayout(g1)
        self._row(f, "kind", "会员类型", self.w["kind"])
        self._row(f, "enterprise_name", "企业名称", self.w["enterprise_name"])
        self._row(f, "credit_code", "统一社会信用代码", self.w["credit_code"])
        self._row(f, "legal_rep", "法定代表人", self.w["legal_rep"])
        self._row(f, "industry", "所属行业", self.w["industry"])
        self._row(f, "size_class", "企业规模", self.w["size_class"])
        self._row(f, "address", "企业地址", self.w["address"])
        self._row(f, "registered_capital", "注册资本（万元）", self.w["registered_capital"])
        self._row(f, "employee_count", "从业人员数", self.w["employee_count"])
        self.fields["tags"] = FieldWithError(tags)
        f.addRow(self._label("标签"), self.fields["tags"])

        g2 = QGroupBox("代表人")
        f = QFormLayout(g2)
        self._row(f, "rep_name", "姓名", self.w["rep_name"])
        self._row(f, "rep_id_number", "身份证号", self.w["rep_id_number"])
        self._row(f, "rep_gender", "性别", self.w["rep_gender"])
        self._row(f, "rep_birth_date", "出生日期", self.w["rep_birth_date"])
        self._row(f, "rep_political_status", "政治面貌", self.w["rep_political_status"])
        self._row(f, "rep_phone", "联系电话", self.w["rep_phone"])

        g3 = QGroupBox("入会与退会")
        f = QFormLayout(g3)
        self._row(f, "join_date", "入会日期", self.w["join_date"])
        self._row(f, "leave_date", "退会日期", self.w["leave_date"])
        self._row(f, "leave_reason", "退会原因", self.w["leave_reason"])
        self.fields["notes"] = FieldWithError(self.notes)
        f.addRow(self._label("备注"), self.fields["notes"])

        g4 = QGroupBox("所属商会")
        f = QFormLayout(g4)
        self.chamber_combo = QComboBox()
        self.position_combo = choice_combo(Position, empty=None)
        set_combo_value(self.position_combo, Position.MEMBER.value)
        self.seats_label = QLabel()
        self.seats_label.setWordWrap(True)
        if self.member_id is None:
            self.chamber_combo.addItem("（暂不加入商会）", NO_SEAT)
            self.chamber_combo.addItem("本级工商联", None)
            with self.ctx.db.session() as s:
                for ch in list_chambers(s, include_dissolved=False):
                    self.chamber_combo.addItem(ch.name, ch.id)
            set_combo_value(self.chamber_combo, chamber_id if chamber_id is not None else NO_SEAT)
            f.addRow(self._label("加入商会"), self.chamber_combo)
            f.addRow(self._label("职务"), self.position_combo)
        else:
            f.addRow(self.seats_label)
            hint = QLabel("调整所属商会：在会员台账中选中会员后点“分配到商会”。")
            hint.setObjectName("muted")
            f.addRow(hint)

        g5 = QGroupBox("自定义信息")
        v5 = QVBoxLayout(g5)
        hint = QLabel("导入的表格中没有对应项目的列，按原列名保存在这里；可以修改、添加或删除。会员台账的查找也会查这些内容。")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        self.custom_table = QTableWidget(0, 2)
        self.custom_table.setHorizontalHeaderLabels(["名称", "内容"])
        self.custom_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.custom_table.verticalHeader().setVisible(False)
        self.custom_table.setMinimumHeight(110)
        self.custom_table.itemChanged.connect(lambda _i: self._changed("custom"))
        add, remove = QPushButton("添加一项"), QPushButton("删除所选")
        add.clicked.connect(self._add_custom_row)
        remove.clicked.connect(self._remove_custom_row)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        self.fields["custom"] = FieldWithError(self.custom_table)
        v5.addWidget(hint)
        v5.addWidget(self.fields["custom"])
        v5.addLayout(row)

        # two columns, so 所属商会 is in sight without scrolling on a laptop screen: the firm and its
        # representative on the left, joining, leaving, the chambers and the imported extras on the right
        body = QWidget()
        columns = self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, body)
        left, right = QVBoxLayout(), QVBoxLayout()
        for column, groups, stretch in ((left, (g1, g2), 3), (right, (g4, g3, g5), 2)):
            for g in groups:
                column.addWidget(g)
            column.addStretch(1)
            columns.addLayout(column, stretch)
        self.body, self.scroll = body, vertical_scroll(body, frame=False)
        scroll = self.scroll

        self.summary = QLabel("")
        self.summary.setObjectName("fieldError")
        self.buttons = dialog_buttons(self, save=True, on_accept=self.save)
        self.save_btn: QPushButton = accept_button(self.buttons)
        self.save_btn.setDefault(True)
        self.cancel_btn = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(scroll, 1)
        lay.addLayout(bottom)

    # --- values --------------------------------------------------------------------------------
    def _initial_values(self) -> dict[str, Any]:
        if self.member_id is None:
            return {**Member(enterprise_name="").model_dump(include=set(svc.MEMBER_LABELS)),
                    "join_date": date.today()}
        with self.ctx.db.session() as s:
            m = svc.records.get_live(s, Member, self.member_id)
            self.version = m.version
            hist = svc.member_history(s, self.member_id)
        seats = [f"{c}（{p}，{a or '—'} 起{f'，{b} 止' if b else ''}）" for c, p, a, b in hist.seats if b is None]
        self.seats_label.setText("、".join(seats) if seats else "目前未加入任何商会")
        self.setWindowTitle(f"编辑会员 — {m.enterprise_name}")
        return m.model_dump(include=set(svc.MEMBER_LABELS))

    def _load(self, values: dict[str, Any]) -> None:
        self._filling = True
        try:
            for k in TEXT_FIELDS:
                self.w[k].setText(values.get(k) or "")  # type: ignore[attr-defined]
            if self.member_id is not None:
                for k, mask in MASKED_FIELDS.items():
                    if values.get(k):
                        self._hide(k, mask(values[k]))
            for k in COMBO_FIELDS:
                set_combo_value(self.w[k], values.get(k))  # type: ignore[arg-type]
            for k in DATE_FIELDS:
                self.w[k].set_value(values.get(k))  # type: ignore[attr-defined]
            self.notes.setPlainText(values.get("notes") or "")
            for k in NUMBER_FIELDS:
                v = values.get(k)
                self.w[k].setText("" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)))  # type: ignore[attr-defined]
            self.custom_table.setRowCount(0)
            for key, text in custom_fields.load(values.get("custom")).items():
                self._add_custom_row(key, text)
            have = set((values.get("tags") or "").split(","))
            for t, cb in self.tag_boxes.items():
                cb.setChecked(t in have)
        finally:
            self._filling = False

    def _add_custom_row(self, key: str = "", text: str = "") -> None:
        t = self.custom_table
        r = t.rowCount()
        t.insertRow(r)
        t.setItem(r, 0, QTableWidgetItem(key if isinstance(key, str) else ""))
        t.setItem(r, 1, QTableWidgetItem(text))
        if not key and not self._filling:
            t.editItem(t.item(r, 0))

    def _remove_custom_row(self) -> None:
        rows = sorted({i.row() for i in self.custom_table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.custom_table.removeRow(r)
        if rows:
            self._changed("custom")

    def _custom_values(self) -> dict[str, str]:
        t = self.custom_table
        out: dict[str, str] = {}
        for r in range(t.rowCount()):
            k, v = t.item(r, 0), t.item(r, 1)
            if k is not None and k.text().strip():
                out[k.text().strip()] = v.text() if v is not None else ""
        return out

    def _hide(self, key: str, masked: str) -> None:
        edit: QLineEdit = self.w[key]  # type: ignore[assignment]
        edit.setText(masked)
        edit.setReadOnly(True)
        act = edit.addAction(self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView),
                             QLineEdit.ActionPosition.TrailingPosition)
        act.setToolTip("查看或修改完整号码（需要权限，记入审计日志）")
        act.triggered.connect(lambda: self.reveal(key))
        edit.setToolTip("已部分隐去；点右侧按钮查看或修改完整号码")
        self.hidden.add(key)
        self._reveal_actions = {**getattr(self, "_reveal_actions", {}), key: act}

    def reveal(self, key: str) -> bool:
        """Show the full value for editing, if the current user may see it; the look is audited."""
        from chamberdesk.core.privacy import reveal

        try:
            full = reveal(self.ctx.db, self.member_id, key)
        except ChamberDeskError as exc:
            QMessageBox.warning(self, "不能查看完整号码", str(exc))
            return False
        edit: QLineEdit = self.w[key]  # type: ignore[assignment]
        self._filling = True
        edit.setText(full)
        self._filling = False
        edit.setReadOnly(False)
        edit.setToolTip("")
        edit.removeAction(self._reveal_actions.pop(key))
        self.hidden.discard(key)
        return True

    def values(self) -> dict[str, Any]:
        """What the form holds now, as a dict for validate_member / create_member."""
        out: dict[str, Any] = {}
        for k in TEXT_FIELDS:
            t = self.w[k].text().strip()  # type: ignore[attr-defined]
            out[k] = t or None
        for k in self.hidden:  # still masked: unchanged
            out[k] = self.original.get(k)
        for k in COMBO_FIELDS:
            out[k] = self.w[k].currentData()  # type: ignore[attr-defined]
        for k in DATE_FIELDS:
            out[k] = self.w[k].value()  # type: ignore[attr-defined]
        out["notes"] = self.notes.toPlainText().strip() or None
        out["tags"] = ",".join(t for t, cb in self.tag_boxes.items() if cb.isChecked())
        for k, (kind, _what) in NUMBER_FIELDS.items():
            text = self.w[k].text().strip().replace(",", "")  # type: ignore[attr-defined]
            try:
                out[k] = kind(float(text)) if text else None
            except ValueError:
                out[k] = text  # validate() names it
        out["custom"] = custom_fields.dump(self._custom_values())
        return out

    def changes(self) -> dict[str, Any]:
        now = self.values()
        return {k: v for k, v in now.items() if (self.original.get(k) or None) != (v or None)}

    def is_dirty(self) -> bool:
        return bool(self.changes())

    # --- validation ----------------------------------------------------------------------------
    def _changed(self, key: str) -> None:
        if self._filling:
            return
        self.touched.add(key)
        if key == "rep_id_number":
            self._fill_from_id_number()
        self.validate()

    def _fill_from_id_number(self) -> None:
        """A valid ID number gives birth date and gender: fill them if the clerk has not."""
        try:
            num = normalize_id_number(self.w["rep_id_number"].text())  # type: ignore[attr-defined]
        except ValueError:
            return
        self._filling = True
        try:
            if self.w["rep_birth_date"].value() is None:  # type: ignore[attr-defined]
                self.w["rep_birth_date"].set_value(birth_date_from_id(num))  # type: ignore[attr-defined]
            if self.w["rep_gender"].currentData() is None:  # type: ignore[attr-defined]
                set_combo_value(self.w["rep_gender"], gender_from_id(num))  # type: ignore[arg-type]
        finally:
            self._filling = False

    def validate(self) -> bool:
        """Check every field with the core's rules (uniqueness included); mark and explain bad ones."""
        values = self.values()
        typed = {k: f"应为{what}" for k, (_kind, what) in NUMBER_FIELDS.items() if isinstance(values.get(k), str)}
        for k in typed:
            values[k] = None
        try:
            with self.ctx.db.session() as s:
                svc.validate_member(s, values, exclude_id=self.member_id)
            self.errors = {}
        except InvalidInput as exc:
            self.errors = exc.by_field()
        self.errors.update(typed)
        self._show_errors()
        return not self.errors

    def _show_errors(self) -> None:
        hidden = 0
        for key, fw in self.fields.items():
            msg = self.errors.get(key)
            if msg and (self.show_all_errors or key in self.touched or self.member_id is not None):
                fw.set_error(msg)
            else:
                hidden += bool(msg)
                fw.set_error(None)
        for key, msg in self.errors.items():  # an error about a field the form has no widget for
            if key not in self.fields:
                self.summary.setText(msg)
        self.save_btn.setEnabled(not self.errors)
        if not self.errors:
            self.summary.setText("")
        elif hidden and not any(k not in self.fields for k in self.errors):
            names = "、".join(svc.MEMBER_LABELS.get(k, k) for k in self.errors if k in self.fields)
            self.summary.setText(f"请填写：{names}")
        elif any(k not in self.fields for k in self.errors):
            pass
        else:
            self.summary.setText(f"有 {len(self.errors)} 处需要修改，见红色提示")

    def field_error(self, key: str) -> str:
        return self.fields[key].error_text()

    # --- saving --------------------------------------------------------------------------------
    def save(self) -> bool:
        self.show_all_errors = True
        if not self.validate():
            return False
        data = self.values()
        try:
            with self.ctx.db.transaction() as s:
                if self.member_id is None:
                    seats = []
                    chamber = self.chamber_combo.currentData()
                    if chamber != NO_SEAT:
                        seats.append((chamber, self.position_combo.currentData() or Position.MEMBER.value))
                    m = svc.create_member(s, data, seats=seats)
                    self.member_id = m.id
                    self.previous = {}
                else:
                    changes = self.changes()
                    if changes:
                        self.previous = {k: self.original.get(k) for k in changes}
                        m = svc.update_member(s, self.member_id, changes, expected_version=self.version)
                        self.version = m.version  # what an undo of this edit expects to find
        except InvalidInput as exc:
            self.errors = exc.by_field()
            self._show_errors()
            return False
        except ChamberDeskError as exc:  # Conflict, NotFound: say why, keep what was typed
            QMessageBox.warning(self, "未能保存", str(exc))
            return False
        self.original = self.values()
        self.ctx.data_changed.emit("member")
        super().accept()
        return True

    def accept(self) -> None:  # Enter in a line edit presses the default button: same as 保存
        self.save()

    def reject(self) -> None:
        if self.is_dirty() and not confirm(self, "放弃修改？", "您修改的内容还没有保存。要放弃这些修改吗？",
                                           yes="放弃修改", no="继续编辑", destructive=True):
            return
        super().reject()

    def closeEvent(self, event) -> None:
        if self.result() == QDialog.DialogCode.Accepted or not self.is_dirty():
            super().closeEvent(event)
            return
        event.ignore()
        self.reject()


def focus_first_error(dlg: MemberEditor) -> None:
    for key in dlg.errors:
        fw = dlg.fields.get(key)
        if fw is not None:
            fw.widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
