"""Coded choices with their Chinese labels: the value is stored, the label is shown and exported."""

from __future__ import annotations

from enum import StrEnum
from functools import cache


class Choice(StrEnum):
    """A str enum whose members carry a Chinese label: `TOWNSHIP = "township", "乡镇商会"`."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Choice:  # a default only so that a lookup by value type-checks
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    @classmethod
    def parse(cls, text: str | None) -> Choice | None:
        """Accept a stored value or a Chinese label (as typed in sheets); None when unknown."""
        if text is None:
            return None
        return _lookup(cls).get(str(text).strip())

    @classmethod
    def labels(cls) -> list[str]:
        return [m.label for m in cls]


@cache
def _lookup(enum: type[Choice]) -> dict[str, Choice]:
    # value or label → member, the first member winning as a scan in order would (imports parse every cell)
    out: dict[str, Choice] = {}
    for m in enum:
        out.setdefault(m.value, m)
        out.setdefault(m.label, m)
    return out


def label_of(enum: type[Choice], value: str | None) -> str:
    m = enum.parse(value) if value else None
    return m.label if m else (value or "")


class ChamberKind(Choice):
    TOWNSHIP = "township", "乡镇商会"
    SUBDISTRICT = "subdistrict", "街道商会"
    INDUSTRY = "industry", "行业商会"
    NONLOCAL = "nonlocal", "异地商会"
    BUILDING = "building", "楼宇商圈商会"
    OTHER = "other", "其他"


BASIC_CHAMBER_KINDS = (ChamberKind.TOWNSHIP, ChamberKind.SUBDISTRICT)


class ChamberStatus(Choice):
    ACTIVE = "active", "正常"
    DISSOLVED = "dissolved", "已撤销"


class PartyOrg(Choice):
    OWN = "own", "独立党组织"
    JOINT = "joint", "联合党组织"
    LIAISON = "liaison", "党建联系人"
    NONE = "none", "无"


class ChamberRule(Choice):
    MEETING = "meeting", "会议制度"
    FINANCE = "finance", "财务制度"
    DUES = "dues", "会费制度"
    ARCHIVE = "archive", "档案制度"
    MEMBERSHIP = "membership", "会员管理制度"
    STUDY = "study", "学习制度"
    ACTIVITY = "activity", "活动制度"


class MemberKind(Choice):
    ENTERPRISE = "enterprise", "企业会员"
    GROUP = "group", "团体会员"
    PERSONAL = "personal", "个人会员"


class Gender(Choice):
    MALE = "M", "男"
    FEMALE = "F", "女"


class SizeClass(Choice):
    ABOVE_SCALE = "above", "规上企业"
    SME = "sme", "中小微企业"
    INDIVIDUAL = "individual", "个体工商户"


class PoliticalStatus(Choice):
    CPC = "cpc", "中共党员"
    CPC_PROBATIONARY = "cpc_prob", "中共预备党员"
    CYL = "cyl", "共青团员"
    RCCK = "rcck", "民革党员"
    CDL = "cdl", "民盟盟员"
    CNDCA = "cndca", "民建会员"
    CAPD = "capd", "民进会员"
    CPWDP = "cpwdp", "农工党党员"
    CZGP = "czgp", "致公党党员"
    JS = "js", "九三学社社员"
    TDSGL = "tdsgl", "台盟盟员"
    NONPARTISAN = "nonpartisan", "无党派人士"
    MASSES = "masses", "群众"


class Industry(Choice):
    """GB/T 4754-2017 sections."""

    A = "A", "农、林、牧、渔业"
    B = "B", "采矿业"
    C = "C", "制造业"
    D = "D", "电力、热力、燃气及水生产和供应业"
    E = "E", "建筑业"
    F = "F", "批发和零售业"
    G = "G", "交通运输、仓储和邮政业"
    H = "H", "住宿和餐饮业"
    I = "I", "信息传输、软件和信息技术服务业"  # noqa: E741
    J = "J", "金融业"
    K = "K", "房地产业"
    L = "L", "租赁和商务服务业"
    M = "M", "科学研究和技术服务业"
    N = "N", "水利、环境和公共设施管理业"
    O = "O", "居民服务、修理和其他服务业"  # noqa: E741
    P = "P", "教育"
    Q = "Q", "卫生和社会工作"
    R = "R", "文化、体育和娱乐业"
    S = "S", "公共管理、社会保障和社会组织"
    T = "T", "国际组织"


MEMBER_TAGS = ("现代服务业", "先进制造业", "高新技术", "四新", "创新创业", "龙头骨干企业", "年轻一代")


class Position(Choice):
    PRESIDENT = "president", "会长"
    VICE_PRESIDENT = "vice_president", "副会长"
    SECRETARY_GENERAL = "secretary_general", "秘书长"
    DEPUTY_SECRETARY = "deputy_secretary", "副秘书长"
    STANDING_DIRECTOR = "standing_director", "常务理事"
    DIRECTOR = "director", "理事"
    SUPERVISOR_CHIEF = "supervisor_chief", "监事长"
    SUPERVISOR = "supervisor", "监事"
    MEMBER = "member", "会员"
    # the federation's own seats
    CHAIR = "chair", "主席"
    VICE_CHAIR = "vice_chair", "副主席"
    STANDING_COMMITTEE = "standing_committee", "常委"
    EXECUTIVE_COMMITTEE = "executive_committee", "执委"


OFFICER_POSITIONS = (
    Position.PRESIDENT,
    Position.VICE_PRESIDENT,
    Position.SECRETARY_GENERAL,
    Position.DEPUTY_SECRETARY,
    Position.SUPERVISOR_CHIEF,
    Position.CHAIR,
    Position.VICE_CHAIR,
)


class SeatKind(Choice):
    NPC = "npc", "人大代表"
    CPPCC = "cppcc", "政协委员"
    PARTY_CONGRESS = "party", "党代表"


class SeatLevel(Choice):
    NATIONAL = "national", "全国"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇级"


class MeetingBody(Choice):
    GENERAL_ASSEMBLY = "general_assembly", "会员大会（会员代表大会）"
    COUNCIL = "council", "理事会"
    STANDING_COUNCIL = "standing_council", "常务理事会"
    PRESIDENT_OFFICE = "president_office", "会长办公会"
    SUPERVISORY_BOARD = "supervisory_board", "监事会"
    EXECUTIVE_COMMITTEE = "executive_committee", "执委会"
    STANDING_COMMITTEE = "standing_committee", "常委会"
    CHAIR_OFFICE = "chair_office", "主席办公会"
    PARTY_GROUP = "party_group", "党组会"
    OTHER = "other", "其他会议"


FEDERATION_BODIES = (
    MeetingBody.EXECUTIVE_COMMITTEE,
    MeetingBody.STANDING_COMMITTEE,
    MeetingBody.CHAIR_OFFICE,
    MeetingBody.PARTY_GROUP,
)


class ActivityCategory(Choice):
    THEORY_STUDY = "theory_study", "政治理论学习"
    IDEALS = "ideals", "理想信念教育"
    PUBLICITY = "publicity", "宣传教育"
    TRAINING = "training", "培训"
    RESEARCH = "research", "调查研究"
    POLICY_ADVICE = "policy_advice", "参政议政"
    CHARITY = "charity", "公益慈善/光彩事业"
    VILLAGES = "villages", "万企兴万村"
    INVESTMENT = "investment", "招商引资"
    TRADE = "trade", "经贸交流"
    CHAMBER_EXCHANGE = "chamber_exchange", "商会交流联谊"
    LEGAL = "legal", "法律服务与维权"
    MEDIATION = "mediation", "调解"
    GOV_DIALOGUE = "gov_dialogue", "政企沟通"
    OTHER = "other", "其他"


class AttendanceStatus(Choice):
    """A chamber at a federation meeting or activity it was expected at (roll-call)."""

    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席（未请假）"


class ContactWay(Choice):
    VISIT = "visit", "实地走访"
    PHONE = "phone", "电话"
    WECHAT = "wechat", "微信"
    MEETING = "meeting", "会议"
    OTHER = "other", "其他"


class Role(Choice):
    ADMIN = "admin", "管理员"
    CLERK = "clerk", "录入员"
    READER = "reader", "只读"


class AuditAction(Choice):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    RESTORE = "restore", "恢复"
    PURGE = "purge", "彻底删除"
    REVEAL = "reveal", "查看完整个人信息"
    EXPORT = "export", "导出"
