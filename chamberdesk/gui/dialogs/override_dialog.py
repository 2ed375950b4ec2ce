"""改判: the clerk overrules a figure the ledger gives for one item (a statistics form handed over in person
but logged late, an absence excused afterwards), with the reason, which the explanation keeps beside the
ledger's figure (rules.engine: an input `{"value": …, "override": true, "note": 理由}`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.gui.style import ERROR
from chamberdesk.gui.widgets.buttons import dialog_buttons


class OverrideDialog(QDialog):
    """`entry` after 确定: the input that overrules the item, or None to withdraw an earlier one."""

    def __init__(self, item: Any, value_type: str, current: dict[str, Any] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("改判")
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("民") * 30)
        self.value_type = value_type
        self.entry: dict[str, Any] | None = None
        said = QLabel(f"{item.title}\n台账结果：{item.status_label}（{item.explanation}）")
        said.setWordWrap(True)
        if value_type == "bool":
            self.value: QWidget = QComboBox()
            self.value.addItem("是（达标）", True)
            self.value.addItem("否（未达标）", False)
            if current is not None:
                self.value.setCurrentIndex(0 if current.get("value") else 1)
        else:
            self.value = QDoubleSpinBox()
            self.value.setRange(0, 1e9)
            self.value.setDecimals(2)
            if current is not None and isinstance(current.get("value"), int | float):
                self.value.setValue(float(current["value"]))
        self.reason = QLineEdit(str((current or {}).get("note") or ""))
        self.reason.setPlaceholderText("改判的理由，如：1月30日已当面报送，登记晚了")
        self.reason.setMaxLength(200)
        form = QFormLayout()
        form.addRow("改判为", self.value)
        form.addRow("理由", self.reason)
        self.error = QLabel()
        self.error.setStyleSheet(f"color:{ERROR}")
        self.buttons = dialog_buttons(self, on_accept=self.check)
        lay = QVBoxLayout(self)
        lay.addWidget(said)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def chosen(self) -> Any:
        if isinstance(self.value, QComboBox):
            return self.value.currentData()
        assert isinstance(self.value, QDoubleSpinBox)
        return self.value.value()

    def check(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.error.setText("请写明改判的理由：考评表和说明中会与台账的结果一并列出。")
            return
        self.entry = {"value": self.chosen(), "override": True, "note": reason}
        self.accept()
