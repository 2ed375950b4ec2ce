"""The activity quick-entry form: category, date, title, head counts, outcome figures, participants, files."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chamberdesk.core import activities
from chamberdesk.core.choices import ActivityCategory
from chamberdesk.core.errors import NotFound
from chamberdesk.gui.dialogs.chamber_editor import fill_choice_combo, set_combo_data, with_error
from chamberdesk.gui.dialogs.contact_dialog import MemberPicker
from chamberdesk.gui.dialogs.meeting_editor import RecordForm, count_spin, spin_value


def amount_spin() -> QDoubleSpinBox:
    sp = QDoubleSpinBox()
    sp.setRange(-1, 1e8)
    sp.setDecimals(1)
    sp.setSpecialValueText("未填写")
    sp.setSuffix(" 万元")
    sp.setValue(-1)
    return sp


class ActivityForm(RecordForm):
    RECORD_TYPE = "activity"
    SETTINGS_KEY = "activities"

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.category = QComboBox()
        fill_choice_combo(self.category, ActivityCategory, blank="请选择")
        self.when = QDateEdit(QDate.currentDate())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd")
        self.title = QLineEdit()
        self.title.setPlaceholderText("如：民营企业政策宣讲会")
        self.participants = count_spin()
        self.member_count = count_spin()
        self.amount = amount_spin()
        self.people = count_spin()
        self.items = count_spin()
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("活动内容、成效")
        self.notes.setFixedHeight(58)
        self.picker = MemberPicker(ctx, multi=True)
        use_count = QPushButton("按已选")
        use_count.setToolTip("把“其中会员”填为下方已选会员的人数")
        use_count.clicked.connect(lambda: self.member_count.setValue(len(self.picker.selected_ids())))
        self.inputs += [self.category, self.when, self.title, self.participants, self.member_count, self.amount,
                        self.people, self.items, self.notes, use_count]

        def row(*pairs: tuple[str, QWidget, str]) -> QWidget:
            w = QWidget()
            h = QHBoxLayout(w)
            h.setContentsMargins(0, 0, 0, 0)
            for label, widget, field in pairs:
                h.addWidget(QLabel(label))
                h.addWidget(with_error(widget, self.errors, field))
            h.addStretch(1)
            return w

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("所属单位", with_error(self.owner, self.errors, "chamber_id"))
        form.addRow("活动类别 *", with_error(self.category, self.errors, "category"))
        form.addRow("活动日期 *", with_error(self.when, self.errors, "date"))
        form.addRow("活动名称 *", with_error(self.title, self.errors, "title"))
        counts = row(("参加", self.participants, "participant_count"), ("其中会员", self.member_count, "member_participants"))
        counts.layout().insertWidget(counts.layout().count() - 1, use_count)
        form.addRow("人数", counts)
        form.addRow("成效", row(("金额", self.amount, "amount"), ("人数", self.people, "people_count"),
                                ("件数", self.items, "item_count")))
        form.addRow("备注", with_error(self.notes, self.errors, "notes"))
        hint = QLabel("成效：金额为捐赠、招商引资等（万元）；人数为培训、帮扶等人次；件数为解决问题、提案等。")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        form.addRow("", hint)
        part = QGroupBox("参加会员（从会员台账中查找选择）")
        pl = QVBoxLayout(part)
        pl.addWidget(self.picker)

        lay = QVBoxLayout(self)
        lay.addLayout(self.header_row())
        lay.addWidget(self.summary)
        lay.addLayout(form)
        lay.addWidget(self.people_tabs(part, self.when), 1)
        lay.addWidget(self.evidence)

        self.watch(self.category, self.when, self.title, self.participants, self.member_count, self.amount,
                   self.people, self.items, self.notes, self.picker, self.evidence)
        self.new_record()

    def picker_widget(self) -> MemberPicker:
        return self.picker

    def _owner_changed(self) -> None:
        self.picker.set_chamber(self.owner.currentData())
        self.roll_owner_changed()
        self._timer.start()

    def new_record(self) -> None:
        self.record_id = None
        self.version = None
        self.title_label.setText("录入新活动")
        self.reload_owners()
        set_combo_data(self.owner, self.last_owner())
        self._owner_changed()
        self.category.setCurrentIndex(0)
        self.when.setMaximumDate(QDate.currentDate())
        self.when.setDate(QDate.currentDate())
        self.title.clear()
        for sp in (self.participants, self.member_count, self.amount, self.people, self.items):
            sp.setValue(-1)
        self.notes.clear()
        self.picker.set_selected([])
        self.picker.search.clear()
        self.evidence.load(None, None)
        self.rollcall.load(None, self.when.date().toPython(), self.owner.currentData() is None)
        self.errors.reset()
        self.validate()
        self.mark_clean()

    def load(self, record_id: int) -> None:
        try:
            with self.ctx.db.session() as s:
                a = activities.get_activity(s, record_id)
        except NotFound:  # deleted meanwhile: the list drops it at its next reload
            return
        self.record_id = record_id
        self.version = a.version
        self.reload_owners()  # also settles whether this user may edit
        self.title_label.setText(f"{'查看' if self.read_only else '编辑'}活动：{a.date:%Y-%m-%d} {a.title}")
        set_combo_data(self.owner, a.chamber_id)
        self._owner_changed()
        set_combo_data(self.category, a.category)
        self.when.setDate(QDate(a.date))
        self.title.setText(a.title)
        for sp, v in ((self.participants, a.participant_count), (self.member_count, a.member_participants),
                      (self.amount, a.amount), (self.people, a.people_count), (self.items, a.item_count)):
            sp.setValue(-1 if v is None else v)
        self.notes.setPlainText(a.notes or "")
        self.picker.set_selected(a.participant_ids)
        self.evidence.load("activity", record_id)
        self.rollcall.load(record_id, a.date, a.chamber_id is None)
        self.errors.reveal_all = True
        self.validate()
        self.mark_clean()

    def data(self) -> dict[str, Any]:
        amount = self.amount.value()
        return {"chamber_id": self.owner.currentData(), "category": self.category.currentData(),
                "date": self.when.date().toPython(), "title": self.title.text(),
                "participant_count": spin_value(self.participants), "member_participants": spin_value(self.member_count),
                "amount": None if amount < 0 else amount, "people_count": spin_value(self.people),
                "item_count": spin_value(self.items), "notes": self.notes.toPlainText()}

    def check(self, data: dict[str, Any]) -> None:
        activities.validate_activity(data)

    def write(self, session, data: dict[str, Any]) -> int:
        ids = self.picker.selected_ids()
        if self.record_id is None:
            a = activities.create_activity(session, data, ids)
        else:
            a = activities.update_activity(session, self.record_id, data, expected_version=self.version)
            activities.set_participants(session, self.record_id, ids)
        session.flush()
        return a.id
