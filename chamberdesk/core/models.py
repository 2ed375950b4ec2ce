"""The tables of a ChamberDesk data file (SQLModel), with the Chinese labels the UI and exports show.

Families follow one pattern: `XBase` holds the editable fields, `X` is the table (adds id, audit
timestamps, soft delete and a version for optimistic locking), `XCreate`/`XUpdate` are what dialogs
and importers hand to the services. Coded fields store the English value of a `choices` enum.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import NaiveDatetime
from sqlalchemy import CheckConstraint, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Tracked(SQLModel):
    """Columns every editable record carries."""

    created_at: NaiveDatetime = Field(default_factory=_now, nullable=False)
    updated_at: NaiveDatetime = Field(default_factory=_now, nullable=False)
    deleted_at: NaiveDatetime | None = Field(default=None, index=True)
    version: int = Field(default=1, nullable=False)


# --- the federation itself -------------------------------------------------------------------


class FederationBase(SQLModel):
    name: str = Field(default="", max_length=100)
    region_code: str = Field(default="", max_length=6)
    region_name: str = Field(default="", max_length=50)
    staff_quota: int = 0  # 编制数
    staff_count: int = 0  # 工作人员数
    party_group: bool = False  # 党组
    own_account: bool = False  # 独立账户
    office_area: float = 0.0  # m²
    fax_count: int = 0
    phone_count: int = 0
    copier_count: int = 0
    computer_count: int = 0
    printer_count: int = 0
    car_count: int = 0
    private_enterprises: int = 0  # 本地民营企业户数 (for the 20% coverage article)
    above_scale_enterprises: int = 0  # 本地规上民营企业户数


class Federation(FederationBase, Tracked, table=True):
    id: int | None = Field(default=None, primary_key=True)


class FederationBudget(SQLModel, table=True):
    """Yearly budget lines of the federation (工作经费, 招商引资经费), in yuan."""

    __table_args__ = (UniqueConstraint("year", name="uq_budget_year"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int
    working_funds: float = 0.0
    investment_funds: float = 0.0


FEDERATION_LABELS = {
    "name": "单位名称", "region_code": "行政区划代码", "region_name": "所在地区",
    "staff_quota": "编制数", "staff_count": "工作人员数", "party_group": "党组",
    "own_account": "独立账户", "office_area": "办公用房面积（㎡）", "fax_count": "传真机",
    "phone_count": "办公电话", "copier_count": "复印机", "computer_count": "电脑",
    "printer_count": "打印机", "car_count": "公务用车", "private_enterprises": "本地民营企业户数",
    "above_scale_enterprises": "本地规上民营企业户数",
}


# --- chambers ----------------------------------------------------------------------------------


class ChamberBase(SQLModel):
    name: str = Field(max_length=100)
    kind: str = Field(max_length=20)  # ChamberKind
    registered: bool = False  # 民政登记
    credit_code: str | None = Field(default=None, max_length=18)
    founded_on: date | None = None
    term_start: date | None = None
    term_end: date | None = None
    has_office: bool = False
    office_area: float | None = None
    fulltime_staff: int = 0
    parttime_staff: int = 0
    annual_funds: float | None = None  # 年度经费（元）
    party_org: str = Field(default="none", max_length=20)  # PartyOrg
    rules: str = Field(default="", max_length=200)  # ChamberRule values, comma separated
    president_name: str | None = Field(default=None, max_length=50)
    secretary_general_name: str | None = Field(default=None, max_length=50)
    secretary_fulltime: bool = False
    status: str = Field(default="active", max_length=20)  # ChamberStatus
    dissolved_on: date | None = None
    is_group_member: bool = False  # 团体会员
    inspection_passed: bool | None = None  # 最近一次年检（年报）合格
    notes: str | None = Field(default=None, sa_column=Column(Text))
    custom: str | None = Field(default=None, sa_column=Column(Text))  # 自定义信息: JSON {column title: text}


# Partial unique indexes: the tables are built by the migrations, which spell the WHERE clause for SQLite
# and PostgreSQL alike (0001). Here only the SQLite spelling is declared, because naming a
# `postgresql_*` option makes SQLAlchemy import its whole PostgreSQL dialect, five drivers and all,
# at every start of the desktop app (about 60 ms) for a clause nothing but the migrations reads.


class Chamber(ChamberBase, Tracked, table=True):
    __table_args__ = (
        Index("uq_chamber_name_live", "name", unique=True, sqlite_where=text("deleted_at IS NULL")),
    )
    id: int | None = Field(default=None, primary_key=True)


class ChamberCreate(ChamberBase):
    pass


CHAMBER_LABELS = {
    "name": "商会名称", "kind": "商会类型", "registered": "民政登记", "credit_code": "统一社会信用代码",
    "founded_on": "成立日期", "term_start": "本届起始日期", "term_end": "本届届满日期",
    "has_office": "有办公场所", "office_area": "办公面积（㎡）", "fulltime_staff": "专职人员",
    "parttime_staff": "兼职人员", "annual_funds": "年度经费（元）", "party_org": "党组织",
    "rules": "制度", "president_name": "会长", "secretary_general_name": "秘书长",
    "secretary_fulltime": "秘书长专职", "status": "状态", "dissolved_on": "撤销日期",
    "is_group_member": "团体会员", "inspection_passed": "年检合格", "notes": "备注", "custom": "自定义信息",
}


# --- members -----------------------------------------------------------------------------------


class MemberBase(SQLModel):
    kind: str = Field(default="enterprise", max_length=20)  # MemberKind
    enterprise_name: str = Field(max_length=200)
    credit_code: str | None = Field(default=None, max_length=18)
    legal_rep: str | None = Field(default=None, max_length=50)
    rep_name: str | None = Field(default=None, max_length=50)
    rep_gender: str | None = Field(default=None, max_length=1)  # Gender
    rep_birth_date: date | None = None
    rep_id_number: str | None = Field(default=None, max_length=18)
    rep_political_status: str | None = Field(default=None, max_length=20)  # PoliticalStatus
    rep_phone: str | None = Field(default=None, max_length=30)
    industry: str | None = Field(default=None, max_length=1)  # Industry section
    size_class: str | None = Field(default=None, max_length=20)  # SizeClass
    tags: str = Field(default="", max_length=200)  # MEMBER_TAGS, comma separated
    join_date: date | None = None
    leave_date: date | None = None
    leave_reason: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=200)  # 企业地址
    registered_capital: float | None = None  # 注册资本（万元）
    employee_count: int | None = None  # 从业人员数
    notes: str | None = Field(default=None, sa_column=Column(Text))
    # 自定义信息: columns of an imported sheet the app has no field for, as JSON {column title: text}
    custom: str | None = Field(default=None, sa_column=Column(Text))


class Member(MemberBase, Tracked, table=True):
    __table_args__ = (
        # Two members still in the ledger may not share a credit code or an ID number.
        Index("uq_member_credit_code_active", "credit_code", unique=True,
              sqlite_where=text("leave_date IS NULL AND deleted_at IS NULL AND credit_code IS NOT NULL")),
        Index("uq_member_id_number_active", "rep_id_number", unique=True,
              sqlite_where=text("leave_date IS NULL AND deleted_at IS NULL AND rep_id_number IS NOT NULL")),
        Index("ix_member_name", "enterprise_name"),
        Index("ix_member_join", "join_date"),
    )
    id: int | None = Field(default=None, primary_key=True)


# The ledger's search-as-you-type: one upper-cased text over the searched fields, kept by database triggers
# (bulk imports included; migration 0002 defines them) and held in a narrow index that covers the query,
# so a typed query is one substring test (instr/strpos) over that index instead of five over the wide
# table. Not mapped on purpose: the ORM never writes it.
Member.__table__.append_column(Column("search_text", Text))  # type: ignore[attr-defined]
Index("ix_member_live_search", Member.__table__.c.deleted_at, Member.__table__.c.leave_date, Member.__table__.c.id,  # type: ignore[attr-defined]
      Member.__table__.c.search_text)  # type: ignore[attr-defined]


class MemberCreate(MemberBase):
    pass


MEMBER_LABELS = {
    "kind": "会员类型", "enterprise_name": "企业名称", "credit_code": "统一社会信用代码",
    "legal_rep": "法定代表人", "rep_name": "代表人姓名", "rep_gender": "性别",
    "rep_birth_date": "出生日期", "rep_id_number": "身份证号", "rep_political_status": "政治面貌",
    "rep_phone": "联系电话", "industry": "所属行业", "size_class": "企业规模", "tags": "标签",
    "join_date": "入会日期", "leave_date": "退会日期", "leave_reason": "退会原因", "address": "企业地址",
    "registered_capital": "注册资本（万元）", "employee_count": "从业人员数", "notes": "备注", "custom": "自定义信息",
}


class Membership(SQLModel, table=True):
    """A member's seat in a chamber, or in the federation itself when chamber_id is empty."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    chamber_id: int | None = Field(default=None, foreign_key="chamber.id", index=True, ondelete="CASCADE")
    position: str = Field(default="member", max_length=30)  # Position
    start_date: date | None = None
    end_date: date | None = None


class PoliticalSeat(SQLModel, table=True):
    """政治安排: a seat as 人大代表 / 政协委员 / 党代表 at some level."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)  # SeatKind
    level: str = Field(max_length=20)  # SeatLevel
    start_year: int | None = None
    end_year: int | None = None


class Honour(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    year: int | None = None
    granted_by: str | None = Field(default=None, max_length=100)


# --- meetings, activities, contacts --------------------------------------------------------------


class MeetingBase(SQLModel):
    chamber_id: int | None = Field(default=None, foreign_key="chamber.id", index=True)  # None = federation
    body: str = Field(max_length=30)  # MeetingBody
    date: date
    place: str | None = Field(default=None, max_length=200)
    agenda: str | None = Field(default=None, sa_column=Column(Text))
    expected_count: int | None = None
    present_count: int | None = None
    decisions: str | None = Field(default=None, sa_column=Column(Text))
    minutes: str | None = Field(default=None, sa_column=Column(Text))
    custom: str | None = Field(default=None, sa_column=Column(Text))  # 自定义信息 (JSON)


class Meeting(MeetingBase, Tracked, table=True):
    __table_args__ = (Index("ix_meeting_owner_date", "chamber_id", "date"),)
    id: int | None = Field(default=None, primary_key=True)


class MeetingCreate(MeetingBase):
    pass


MEETING_LABELS = {
    "chamber_id": "所属单位", "body": "会议类型", "date": "会议日期", "place": "地点", "agenda": "议题",
    "expected_count": "应到人数", "present_count": "实到人数", "decisions": "决议", "minutes": "纪要",
    "custom": "自定义信息",
}


class MeetingAttendee(SQLModel, table=True):
    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", primary_key=True, index=True, ondelete="CASCADE")


class ActivityBase(SQLModel):
    chamber_id: int | None = Field(default=None, foreign_key="chamber.id", index=True)
    category: str = Field(max_length=30)  # ActivityCategory
    date: date
    title: str = Field(max_length=200)
    participant_count: int | None = None
    member_participants: int | None = None
    amount: float | None = None  # 金额（万元）
    people_count: int | None = None  # 人数（如培训人次）
    item_count: int | None = None  # 件数（如解决问题、提案）
    notes: str | None = Field(default=None, sa_column=Column(Text))
    custom: str | None = Field(default=None, sa_column=Column(Text))  # 自定义信息 (JSON)


class Activity(ActivityBase, Tracked, table=True):
    __table_args__ = (Index("ix_activity_owner_date", "chamber_id", "date"),)
    id: int | None = Field(default=None, primary_key=True)


class ActivityCreate(ActivityBase):
    pass


ACTIVITY_LABELS = {
    "chamber_id": "所属单位", "category": "活动类别", "date": "活动日期", "title": "活动名称",
    "participant_count": "参加人数", "member_participants": "会员参加人数", "amount": "金额（万元）",
    "people_count": "人数", "item_count": "件数", "notes": "备注", "custom": "自定义信息",
}


class ActivityParticipant(SQLModel, table=True):
    activity_id: int = Field(foreign_key="activity.id", primary_key=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", primary_key=True, index=True, ondelete="CASCADE")


class ContactBase(SQLModel):
    member_id: int = Field(foreign_key="member.id", index=True)
    chamber_id: int | None = Field(default=None, foreign_key="chamber.id", index=True)  # who reached out
    date: date
    way: str = Field(max_length=20)  # ContactWay
    by_whom: str | None = Field(default=None, max_length=50)
    notes: str | None = Field(default=None, sa_column=Column(Text))
    custom: str | None = Field(default=None, sa_column=Column(Text))  # 自定义信息 (JSON)


class Contact(ContactBase, Tracked, table=True):
    __table_args__ = (Index("ix_contact_member_date", "member_id", "date"),)
    id: int | None = Field(default=None, primary_key=True)


class ContactCreate(ContactBase):
    pass


CONTACT_LABELS = {
    "member_id": "会员", "chamber_id": "联系单位", "date": "日期", "way": "方式", "by_whom": "联系人",
    "notes": "备注", "custom": "自定义信息",
}


class ChamberAttendance(SQLModel, table=True):
    """Roll-call (点名) of the chambers at one of the federation's own meetings or activities: each row is a
    chamber that was expected, and whether it came, asked for leave (请假, with the reason) or stayed away
    without leave. The 通州 veto counts the last kind (000 附件1 二（四）2、四)."""

    __tablename__ = "chamber_attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "chamber_id", name="uq_attendance_meeting_chamber"),
        UniqueConstraint("activity_id", "chamber_id", name="uq_attendance_activity_chamber"),
        CheckConstraint("(meeting_id IS NULL) <> (activity_id IS NULL)", name="ck_attendance_one_event"),
    )
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True, ondelete="CASCADE")
    activity_id: int | None = Field(default=None, foreign_key="activity.id", index=True, ondelete="CASCADE")
    chamber_id: int = Field(foreign_key="chamber.id", index=True, ondelete="CASCADE")
    status: str = Field(max_length=10)  # AttendanceStatus
    reason: str | None = Field(default=None, max_length=200)  # 请假事由, or why an absence was excused later


ATTENDANCE_LABELS = {
    "meeting_id": "会议", "activity_id": "活动", "chamber_id": "商会", "status": "到会情况", "reason": "请假事由",
}


class ChamberYearEnd(SQLModel, table=True):
    """Where one chamber's year-end assessment stands (000 附件1 三): its 年度基层商会工作情况统计表 received
    (the date; the file itself as evidence linked to this row), its 自查表 printed, the federation's
    inspection done (date, by whom, what was seen)."""

    __tablename__ = "chamber_year_end"
    __table_args__ = (UniqueConstraint("chamber_id", "year", name="uq_year_end_chamber_year"),)
    id: int | None = Field(default=None, primary_key=True)
    chamber_id: int = Field(foreign_key="chamber.id", index=True, ondelete="CASCADE")
    year: int
    statistics_received_on: date | None = None
    selfcheck_printed_on: date | None = None
    inspected_on: date | None = None
    inspected_by: str | None = Field(default=None, max_length=50)
    inspection_notes: str | None = Field(default=None, sa_column=Column(Text))
    version: int = Field(default=1, nullable=False)


YEAR_END_LABELS = {
    "chamber_id": "商会", "year": "年度", "statistics_received_on": "统计表收到日期",
    "selfcheck_printed_on": "自查表打印日期", "inspected_on": "实地考评日期", "inspected_by": "考评人",
    "inspection_notes": "考评记录",
}


# --- evidence, assessments, audit, accounts, settings ----------------------------------------------


class Evidence(SQLModel, table=True):
    """A file stored once in the data folder under its SHA-256."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, unique=True)
    filename: str = Field(max_length=255)
    size: int
    added_at: NaiveDatetime = Field(default_factory=_now)
    note: str | None = Field(default=None, max_length=500)


class EvidenceLink(SQLModel, table=True):
    """Links a file to any record (table name + id) and optionally to a rubric item."""

    __table_args__ = (Index("ix_evidence_link_record", "record_type", "record_id"),)
    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", index=True, ondelete="CASCADE")
    record_type: str = Field(max_length=30)
    record_id: int
    rubric_item: str | None = Field(default=None, max_length=100)


class Assessment(SQLModel, table=True):
    """One rubric applied to one target for one year. The rubric snapshot keeps it reproducible."""

    __table_args__ = (
        Index("ix_assessment_key", "rubric_id", "year", "chamber_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    rubric_id: str = Field(max_length=60)
    rubric_version: str = Field(max_length=30)
    rubric_snapshot: str = Field(default="", sa_column=Column(Text))  # the rubric file's text as used
    target_type: str = Field(default="chamber", max_length=20)  # chamber | federation
    chamber_id: int | None = Field(default=None, foreign_key="chamber.id")
    year: int
    inputs: str = Field(default="{}", sa_column=Column(Text))  # JSON: attested values and scores
    results: str = Field(default="{}", sa_column=Column(Text))  # JSON: per-item results as computed
    democratic_score: float | None = None
    vetoed: bool = False
    total: float | None = None
    grade: str | None = Field(default=None, max_length=50)
    passed: bool | None = None
    assessor: str | None = Field(default=None, max_length=50)
    assessed_on: date | None = None
    finalised: bool = False
    finalised_at: NaiveDatetime | None = None
    version: int = Field(default=1, nullable=False)


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_record", "table_name", "record_id"),)
    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime = Field(default_factory=_now, index=True)
    user: str = Field(default="", max_length=50)
    action: str = Field(max_length=20)  # AuditAction
    table_name: str = Field(max_length=40)
    record_id: int | None = None
    before: str | None = Field(default=None, sa_column=Column(Text))  # JSON
    after: str | None = Field(default=None, sa_column=Column(Text))  # JSON


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=50, unique=True)
    display_name: str = Field(default="", max_length=50)
    role: str = Field(default="clerk", max_length=20)  # Role
    password_hash: str = Field(max_length=300)
    failed_count: int = 0
    locked_until: NaiveDatetime | None = None
    active: bool = True
    created_at: NaiveDatetime = Field(default_factory=_now)


class Setting(SQLModel, table=True):
    """Settings that belong to the data file (not to the PC): key → JSON value."""

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(default="null", sa_column=Column(Text))


# Tables whose changes the audit log records, and their Chinese names for the audit viewer.
AUDITED_TABLES = {
    "federation": "本级工商联", "federationbudget": "年度预算", "chamber": "商会", "member": "会员",
    "membership": "会员职务", "politicalseat": "政治安排", "honour": "荣誉", "meeting": "会议",
    "meetingattendee": "参会会员", "activity": "活动", "activityparticipant": "活动参与会员",
    "contact": "走访联系", "chamber_attendance": "商会到会情况", "chamber_year_end": "年终考评进度", "evidence": "凭证", "evidencelink": "凭证关联", "assessment": "考评",
    "app_user": "用户", "setting": "设置",
}
