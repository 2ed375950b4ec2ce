"""A realistic demo county: one federation, 12 chambers of every kind, ~600 members and three
years of meetings, activities and contacts. Everything goes through the services, so the demo
data passes every validator. Some chambers clearly fail common conditions (an overdue 换届, an
empty quarter, no office, few visits) so the assessments have something to find."""

from __future__ import annotations

import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from chamberdesk.core import activities, chambers, contacts, federation, meetings, members
from chamberdesk.core.choices import (
    MEMBER_TAGS,
    ActivityCategory,
    ChamberKind,
    ContactWay,
    Industry,
    MeetingBody,
    PoliticalStatus,
    Position,
    SizeClass,
)
from chamberdesk.core.db import Database
from chamberdesk.core.models import Honour, PoliticalSeat
from chamberdesk.core.validators import credit_code_check_char, id_check_digit

REGION_CODE = "130534"
DEMO_NAME = "清河县工商业联合会（总商会）"
DEMO_REGION_NAME = "河北省邢台市清河县"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN_M = "伟强磊军洋勇杰涛明超平刚建华国庆志海东春生德永立新宏俊振浩然轩思远斌鹏辉"
GIVEN_F = "芳娜秀英敏静丽艳娟兰霞桂燕红梅玉萍琳雪慧婷欣怡涵"
WORDS = "恒信华泰鑫源金盛宏达永辉润丰瑞祥隆兴鼎新德昌嘉禾天成广源富民聚力博远万通福顺利民昌盛"
SUFFIX = {
    "A": ["农业科技", "种植专业合作社", "养殖"], "C": ["机械制造", "纺织", "食品", "新材料", "电子科技", "包装"],
    "E": ["建筑工程", "建设", "装饰工程"], "F": ["商贸", "超市", "百货"], "G": ["物流", "运输"],
    "H": ["餐饮管理", "酒店", "饭店"], "I": ["网络科技", "信息技术", "软件"], "K": ["房地产开发", "置业"],
    "L": ["商务咨询", "广告", "人力资源"], "M": ["检测技术", "设计研究"], "O": ["家政服务", "汽车维修"],
    "Q": ["医院", "康养"], "R": ["文化传媒", "体育"],
}
CHAMBERS = [
    # name, kind, fails: set of weaknesses
    ("城关镇商会", ChamberKind.TOWNSHIP, set()),
    ("柳河镇商会", ChamberKind.TOWNSHIP, set()),
    ("桃源乡商会", ChamberKind.TOWNSHIP, {"overdue_term", "empty_quarter", "few_visits"}),
    ("东关街道商会", ChamberKind.SUBDISTRICT, set()),
    ("西湖街道商会", ChamberKind.SUBDISTRICT, {"no_office", "part_time_sg"}),
    ("建筑业商会", ChamberKind.INDUSTRY, set()),
    ("餐饮业商会", ChamberKind.INDUSTRY, {"few_meetings", "shrinking"}),
    ("电子商务协会", ChamberKind.INDUSTRY, set()),
    ("福州{place}商会", ChamberKind.NONLOCAL, {"term_due"}),
    ("郑州{place}商会", ChamberKind.NONLOCAL, set()),
    ("万达广场楼宇商会", ChamberKind.BUILDING, {"few_visits"}),
    ("青年企业家创业商圈商会", ChamberKind.OTHER, set()),
]
CHAMBER_INDUSTRY = {"建筑业商会": "E", "餐饮业商会": "H", "电子商务协会": "I"}


def demo_place(name: str) -> str:
    """The county's own name inside the federation's (清河县 in 清河县工商业联合会（总商会）)."""
    for tail in ("工商业联合会", "工商联", "总商会"):
        if tail in name:
            return name[:name.index(tail)] or name
    return name


class _Gen:
    def __init__(self, seed: int, region_code: str = REGION_CODE, place: str = "清河县") -> None:
        self.r = random.Random(seed)
        self.used_names: set[str] = set()
        self.seq = 0
        self.region_code = region_code
        self.place = place

    def person(self, female: bool = False) -> str:
        given = GIVEN_F if female else GIVEN_M
        return self.r.choice(SURNAMES) + "".join(self.r.choice(given) for _ in range(self.r.choice((1, 2))))

    def credit_code(self) -> str:
        self.seq += 1
        body = "91" + self.region_code + f"MA{self.seq:05d}" + self.r.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") + \
            self.r.choice("0123456789")
        return body + credit_code_check_char(body)

    def social_code(self, idx: int) -> str:
        """A 社会团体 code (5 = registered with 民政, 1 = 社会团体); fixed, so the seeded draws stay the same."""
        body = "51" + self.region_code + f"MJ{5100000 + idx:07d}"
        return body + credit_code_check_char(body)

    def id_number(self, born: date, female: bool) -> str:
        seq = self.r.randrange(0, 999)
        if (seq % 2 == 1) == female:
            seq = (seq + 1) % 1000
        body = self.region_code + born.strftime("%Y%m%d") + f"{seq:03d}"
        return body + id_check_digit(body)

    def enterprise(self, industry: str) -> str:
        while True:
            name = self.place + "".join(self.r.sample(WORDS, 2)) + self.r.choice(SUFFIX[industry]) + "有限公司"
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def day_in(self, year: int, month_from: int = 1, month_to: int = 12) -> date:
        start = date(year, month_from, 1)
        end = date(year, month_to, 28)
        return start + timedelta(days=self.r.randrange((end - start).days + 1))


def build_demo(db: Database, *, members_per_chamber: int = 50, seed: int = 2024, today: date | None = None,
               name: str | None = None, region_code: str | None = None) -> None:
    """Fill an empty data file with the demo county, in one transaction. With a name and a region code,
    another county of the same shape but its own people, enterprises and figures (the seed follows the
    code), so two demo files can be consolidated."""
    today = today or date.today()
    if region_code and region_code != REGION_CODE:
        seed += int(region_code)
    place = demo_place(name or DEMO_NAME)
    g = _Gen(seed, region_code or REGION_CODE, place)
    years = [today.year - 2, today.year - 1, today.year]
    with db.transaction() as s:
        s.info["user"] = "演示数据"
        federation.set_setting(s, federation.DEMO_SETTING, True)
        federation.save_federation(s, {
            "name": name or DEMO_NAME, "region_code": g.region_code, "region_name": DEMO_REGION_NAME if not name else place,
            "staff_quota": 4, "staff_count": 6, "party_group": True, "own_account": True, "office_area": 86.0,
            "fax_count": 1, "phone_count": 3, "copier_count": 1, "computer_count": 4, "printer_count": 3,
            "car_count": 1, "private_enterprises": 2400, "above_scale_enterprises": 180,
        })
        for y in years:
            federation.set_budget(s, y, working_funds=80000 if y != years[0] else 50000, investment_funds=200000)
        short = place.removesuffix("县").removesuffix("市").removesuffix("区") or place
        for idx, (ch_name, kind, fails) in enumerate(CHAMBERS):
            _demo_chamber(s, g, idx, ch_name.format(place=short), kind, fails, years, today, members_per_chamber)
        _federation_year(s, g, years, today)
        _federation_roll_calls(s, years[1])
        _demo_year_end(db, s, years[1], today)
        _demo_photos(db, s, years[1], today)


def _past(d: date, today: date) -> bool:
    return d <= today


def _demo_chamber(s: Session, g: _Gen, idx: int, name: str, kind: ChamberKind, fails: set[str],
                  years: list[int], today: date, per: int) -> None:
    r = g.r
    founded = date(2008 + idx % 8, 3 + idx % 6, 10 + idx)
    if "overdue_term" in fails:
        term_start, term_end = date(today.year - 6, 4, 1), date(today.year - 1, 3, 31)
    elif "term_due" in fails:
        term_end = today + timedelta(days=45)
        term_start = date(term_end.year - 5, term_end.month, 1)
    else:
        term_start = date(today.year - 1 - idx % 4, 6, 1)
        term_end = date(term_start.year + 5, 5, 31)
    president, sg = g.person(), g.person()
    ch = chambers.create_chamber(s, {
        "name": name, "kind": kind.value, "registered": idx % 5 != 4,
        "credit_code": g.social_code(idx) if idx % 5 != 4 else None,
        "founded_on": founded, "term_start": term_start, "term_end": term_end,
        "has_office": "no_office" not in fails, "office_area": None if "no_office" in fails else float(40 + idx * 7),
        "fulltime_staff": 0 if "part_time_sg" in fails else 1 + idx % 3, "parttime_staff": 2 + idx % 2,
        "annual_funds": float(30000 + idx * 8000), "party_org": ["own", "joint", "liaison", "own"][idx % 4],
        "rules": "meeting,finance,dues,archive" + (",membership,study,activity" if idx % 3 else ""),
        "president_name": president, "secretary_general_name": sg,
        "secretary_fulltime": "part_time_sg" not in fails, "is_group_member": True,
        "inspection_passed": idx % 7 != 6,
    })
    n = per + r.randrange(-8, 9)
    industry_pool = [CHAMBER_INDUSTRY[name]] if name in CHAMBER_INDUSTRY else list(SUFFIX)
    member_ids: list[int] = []
    for i in range(n):
        ind = r.choice(industry_pool)
        female = r.random() < 0.3
        born = date(r.randrange(1958, 1996), r.randrange(1, 13), r.randrange(1, 29))
        # members join across the years; officers joined before the current term began
        join_year = r.choice([2012, 2015, 2018, 2020, 2022, years[0], years[0], years[1], years[1], years[2]])
        if i < 14:
            join_year = min(join_year, term_start.year - 1)
        join = g.day_in(join_year, 1, 10 if join_year == today.year else 12)
        if join > today:
            join = today - timedelta(days=r.randrange(10, 200))
        if i == 0:
            rep, female = president, False
        elif i == 1:
            rep, female = sg, False
        else:
            rep = g.person(female)
        position = (Position.PRESIDENT if i == 0 else Position.SECRETARY_GENERAL if i == 1
                    else Position.VICE_PRESIDENT if i < 5 else Position.DIRECTOR if i < 12
                    else Position.SUPERVISOR if i < 14 else Position.MEMBER)
        leave = None
        if i >= 14 and ("shrinking" in fails and r.random() < 0.3 or r.random() < 0.04):
            leave = join + timedelta(days=r.randrange(100, 1500))
            leave = leave if leave <= today else None
        tags = ",".join(r.sample(MEMBER_TAGS, r.choice((0, 0, 1, 1, 2))))
        personal = i >= 14 and r.random() < 0.06
        m = members.create_member(s, {
            "kind": "personal" if personal else "enterprise",
            # a personal member is listed under the person's own name, with no enterprise code
            "enterprise_name": rep if personal else g.enterprise(ind),
            "credit_code": None if personal else g.credit_code(),
            "legal_rep": None if personal else rep, "rep_name": rep, "rep_gender": "F" if female else "M", "rep_birth_date": born,
            "rep_id_number": g.id_number(born, female),
            "rep_political_status": r.choice([PoliticalStatus.CPC, PoliticalStatus.MASSES, PoliticalStatus.MASSES,
                                              PoliticalStatus.CNDCA, PoliticalStatus.NONPARTISAN]).value,
            "rep_phone": "1" + r.choice("3578") + "".join(r.choice("0123456789") for _ in range(9)),
            "industry": Industry(ind).value, "size_class": r.choice(list(SizeClass)).value, "tags": tags,
            "join_date": join, "leave_date": leave, "leave_reason": "企业注销" if leave else None,
        }, seats=[(ch.id, position.value)])
        assert m.id is not None
        if not leave:  # a member who left had its seats closed by create_member
            member_ids.append(m.id)
        if i < 3 and r.random() < 0.5:
            s.add(PoliticalSeat(member_id=m.id, kind=r.choice(["npc", "cppcc"]), level="county",
                                start_year=today.year - 3, end_year=today.year + 2))
        if i < 2 and r.random() < 0.4:
            s.add(Honour(member_id=m.id, title="优秀民营企业家", year=years[1], granted_by=f"{g.place}人民政府"))
    s.flush()

    for y in years:
        # meetings
        plan = [(MeetingBody.GENERAL_ASSEMBLY, 1), (MeetingBody.COUNCIL, 2), (MeetingBody.PRESIDENT_OFFICE, 4),
                (MeetingBody.SUPERVISORY_BOARD, 1)]
        if "few_meetings" in fails:
            plan = [(MeetingBody.COUNCIL, 1)]
        for body, times in plan:
            for t in range(times):
                month = 1 + (12 // times) * t + r.randrange(0, max(1, 12 // times))
                d = g.day_in(y, min(month, 12), min(month, 12))
                if not _past(d, today):
                    continue
                present = r.randrange(8, 30)
                attendees = r.sample(member_ids, min(len(member_ids), present))
                meetings.create_meeting(s, {
                    "chamber_id": ch.id, "body": body.value, "date": d, "place": f"{name}会议室",
                    "agenda": f"1. 学习传达上级会议精神；2. 研究{y}年度重点工作", "expected_count": present + r.randrange(0, 6),
                    "present_count": present, "decisions": "会议审议通过相关事项。",
                    "minutes": f"{body.label}于{d.month}月{d.day}日召开，会长{president}主持。",
                }, attendees)
        # activities: two or three a quarter; a weak chamber has an empty third quarter
        for q in range(1, 5):
            count = r.choice((2, 2, 3))
            if "empty_quarter" in fails and y >= years[1] and q == 3:
                count = 0
            if "empty_quarter" in fails and y >= years[1] and q == 2:
                count = 1
            for _ in range(count):
                d = g.day_in(y, 3 * q - 2, 3 * q)
                if not _past(d, today):
                    continue
                cat = r.choice([ActivityCategory.THEORY_STUDY, ActivityCategory.TRAINING, ActivityCategory.CHARITY,
                                ActivityCategory.GOV_DIALOGUE, ActivityCategory.CHAMBER_EXCHANGE,
                                ActivityCategory.LEGAL, ActivityCategory.VILLAGES, ActivityCategory.INVESTMENT])
                part = r.sample(member_ids, min(len(member_ids), r.randrange(6, 25)))
                activities.create_activity(s, {
                    "chamber_id": ch.id, "category": cat.value, "date": d,
                    "title": f"{name}{cat.label}活动", "participant_count": len(part) + r.randrange(0, 10),
                    "member_participants": len(part),
                    "amount": round(r.uniform(1, 50), 1) if cat in (ActivityCategory.CHARITY, ActivityCategory.INVESTMENT) else None,
                    "people_count": len(part) if cat == ActivityCategory.TRAINING else None,
                    "item_count": r.randrange(1, 6) if cat in (ActivityCategory.LEGAL, ActivityCategory.GOV_DIALOGUE) else None,
                }, part)
        # contacts
        visit_p, contact_p = (0.08, 0.35) if "few_visits" in fails else (0.35, 0.75)
        for mid in member_ids:
            if r.random() < visit_p:
                d = g.day_in(y)
                if _past(d, today):
                    contacts.log_contact(s, {"member_id": mid, "chamber_id": ch.id, "date": d,
                                             "way": ContactWay.VISIT.value, "by_whom": sg})
            if r.random() < contact_p:
                d = g.day_in(y)
                if _past(d, today):
                    contacts.log_contact(s, {"member_id": mid, "chamber_id": ch.id, "date": d,
                                             "way": r.choice([ContactWay.PHONE, ContactWay.WECHAT]).value, "by_whom": sg})


def _federation_year(s: Session, g: _Gen, years: list[int], today: date) -> None:
    r = g.r
    for y in years:
        for body, times in ((MeetingBody.STANDING_COMMITTEE, 2), (MeetingBody.EXECUTIVE_COMMITTEE, 1),
                            (MeetingBody.CHAIR_OFFICE, 4), (MeetingBody.PARTY_GROUP, 6)):
            for t in range(times):
                m = 1 + (12 // times) * t
                d = g.day_in(y, m, m)
                if _past(d, today):
                    meetings.create_meeting(s, {"body": body.value, "date": d, "place": "县工商联会议室",
                                                "agenda": "研究部署全县工商联工作", "expected_count": 30, "present_count": 26})
        plan = [(ActivityCategory.THEORY_STUDY, 2), (ActivityCategory.PUBLICITY, 2), (ActivityCategory.TRAINING, 1),
                (ActivityCategory.RESEARCH, 1), (ActivityCategory.POLICY_ADVICE, 2), (ActivityCategory.CHARITY, 1),
                (ActivityCategory.CHAMBER_EXCHANGE, 1), (ActivityCategory.INVESTMENT, 1), (ActivityCategory.VILLAGES, 1)]
        if y == years[0]:
            plan = [(c, n) for c, n in plan if c != ActivityCategory.RESEARCH]  # an older year misses 调研
        for cat, times in plan:
            for _ in range(times):
                d = g.day_in(y, 2, 11)
                if _past(d, today):
                    activities.create_activity(s, {"category": cat.value, "date": d, "title": f"县工商联{cat.label}",
                                                   "participant_count": r.randrange(20, 80),
                                                   "people_count": r.randrange(30, 120) if cat == ActivityCategory.TRAINING else None,
                                                   "amount": round(r.uniform(10, 300), 1) if cat in (ActivityCategory.INVESTMENT, ActivityCategory.CHARITY) else None})


# The past year's roll-calls (到会点名) at the federation's 常委会、执委会 and its study, training and exchange
# activities. Fixed marks, no random draws, so the rest of the demo stays as it was: 餐饮业商会 stays away
# from three meetings and activities without leave (vetoed in the 通州 考评); 桃源乡商会 misses all three
# trainings (the 撤销 warning, and by the same three absences vetoed too: a training missed without leave is
# an absence without leave); a few others ask for leave with their reasons.
ROLL_CALL_BODIES = (MeetingBody.STANDING_COMMITTEE.value, MeetingBody.EXECUTIVE_COMMITTEE.value)
ROLL_CALL_CATEGORIES = (ActivityCategory.TRAINING.value, ActivityCategory.THEORY_STUDY.value,
                        ActivityCategory.CHAMBER_EXCHANGE.value)
DEMO_TRAININGS = ((3, 18, "全县商会秘书长业务培训班"), (9, 22, "商会会长履职能力培训"))


def _federation_roll_calls(s: Session, year: int) -> None:
    from chamberdesk.core import attendance
    from chamberdesk.core.attendance import ABSENT, LEAVE, PRESENT, Entry
    from chamberdesk.core.records import id_of

    for month, day, title in DEMO_TRAININGS:
        activities.create_activity(s, {"category": ActivityCategory.TRAINING.value, "date": date(year, month, day),
                                       "title": title, "participant_count": 24, "people_count": 24})
    events = [("meeting", id_of(m), m.date, m.body) for m in meetings.list_meetings(s, federation=True, year=year)
              if m.body in ROLL_CALL_BODIES]
    events += [("activity", id_of(a), a.date, a.category) for a in activities.list_activities(s, federation=True, year=year)
               if a.category in ROLL_CALL_CATEGORIES]
    events.sort(key=lambda e: (e[2], e[0], e[1]))
    trainings = [e for e in events if e[3] == ActivityCategory.TRAINING.value]
    others = [e for e in events if e[3] != ActivityCategory.TRAINING.value]
    # (chamber, event) → mark; every chamber on file that day not named here came
    special: dict[tuple[str, tuple], tuple[str, str]] = {}
    for e in others[:3]:
        special[("餐饮业商会", e)] = (ABSENT, "")
    special[("餐饮业商会", others[3])] = (LEAVE, "会长外出考察")
    for e in trainings:
        special[("桃源乡商会", e)] = (ABSENT, "")
    special[("城关镇商会", others[0])] = (LEAVE, "外出招商")
    special[("电子商务协会", trainings[1])] = (LEAVE, "参加省电子商务峰会")
    special[("西湖街道商会", others[1])] = (LEAVE, "会长住院")
    special[("西湖街道商会", others[-1])] = (ABSENT, "")
    for e in events:
        entries = []
        for ch in attendance.expected_chambers(s, e[2]):
            status, reason = special.get((ch.name, e), (PRESENT, ""))
            entries.append(Entry(id_of(ch), status, reason))
        attendance.write_roll_call(s, e[0], e[1], entries)


# --- the past year's year-end steps and evidence photos --------------------------------------------------

INSPECTORS = ("王建国", "李文华")  # the federation's 驻会领导 who inspect, each a 片 of chambers
STATISTICS_LATE = "餐饮业商会"  # sends its statistics form three weeks after the due day
STATISTICS_NEVER = "桃源乡商会"  # never sends it: vetoed
NOT_INSPECTED = "万达广场楼宇商会"
SELFCHECK_NOT_PRINTED = "青年企业家创业商圈商会"


def _demo_year_end(db: Database, s: Session, year: int, today: date) -> None:
    """The past year's year-end (000 附件1 三（一））: 自查表 printed in early December, statistics forms in by
    the end of January (one late, one never), inspections in December — one chamber not visited yet."""
    from chamberdesk.core import yearend
    from chamberdesk.core.models import Chamber

    r = random.Random(f"year-end {year}")
    chs = sorted(s.exec(select(Chamber).where(col(Chamber.deleted_at).is_(None))), key=lambda c: c.id or 0)
    with tempfile.TemporaryDirectory() as tmp:
        for i, ch in enumerate(chs):
            cid = ch.id or 0
            if not ch.name.endswith(SELFCHECK_NOT_PRINTED):
                yearend.note_selfcheck_printed(s, year, [cid], today=min(date(year, 12, 1), today))
            if ch.name != STATISTICS_NEVER:
                got = date(year + 1, 2, 20) if ch.name == STATISTICS_LATE else date(year + 1, 1, 5 + r.randrange(20))
                if _past(got, today):
                    scan = None
                    if i % 3 == 0:  # some offices keep the form they got as a scan
                        scan = Path(tmp) / f"{ch.name}{year}年度统计表.jpg"
                        demo_image(scan, f"统计表 {ch.name}", form=True)
                    yearend.set_statistics_received(db, s, cid, year, got, scan, today=today)
            if ch.name != NOT_INSPECTED:
                on = date(year, 12, 8 + r.randrange(18))
                if _past(on, today):
                    yearend.set_inspection(s, cid, year, on, INSPECTORS[i % 2],
                                           "听取年度工作汇报，查看会议记录、活动记录和会员台账。", today=today)


def _demo_photos(db: Database, s: Session, year: int, today: date) -> None:
    """Photos on the past year's meetings and activities of a few chambers, as the binder embeds them:
    small generated JPEGs, the same on every build."""
    from chamberdesk.core import evidence
    from chamberdesk.core.models import Activity, Chamber, Meeting

    names = {n for n, _k, _f in CHAMBERS[:3]}
    ids = {c.id for c in s.exec(select(Chamber).where(col(Chamber.name).in_(names)))}
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    acts = list(s.exec(select(Activity).where(col(Activity.deleted_at).is_(None), col(Activity.chamber_id).in_(ids),
                                              Activity.date >= start, Activity.date <= end).order_by(col(Activity.id))))
    meets = list(s.exec(select(Meeting).where(col(Meeting.deleted_at).is_(None), col(Meeting.chamber_id).in_(ids),
                                              Meeting.body == MeetingBody.COUNCIL.value,
                                              Meeting.date >= start, Meeting.date <= end).order_by(col(Meeting.id))))
    owners: list[tuple[str, str, int, date, int]] = [("activity", "活动照片", 2, a.date, a.id or 0) for a in acts]
    owners += [("meeting", "会议照片", 1, m.date, m.id or 0) for m in meets]
    with tempfile.TemporaryDirectory() as tmp:
        n = 0
        for kind, what, per, day, rid in owners:
            for k in range(per):
                n += 1
                f = Path(tmp) / f"{day.isoformat()}{what}{k + 1}.jpg"
                demo_image(f, f"{n}")
                evidence.add_file(db, s, f, record_type=kind, record_id=rid, note=what)


def demo_image(path: Path, seed: str, *, form: bool = False) -> None:
    """A small JPEG standing in for a photo (a scene of coloured shapes) or a scanned form (ruled lines)."""
    from PIL import Image, ImageDraw

    r = random.Random(seed)
    img = Image.new("RGB", (640, 480), (250, 250, 246) if form else (r.randrange(120, 200), r.randrange(150, 210), 230))
    d = ImageDraw.Draw(img)
    if form:
        for y in range(60, 460, 32):
            d.line([(40, y), (600, y)], fill=(60, 60, 60), width=2)
        for x in (40, 200, 420, 600):
            d.line([(x, 60), (x, 444)], fill=(60, 60, 60), width=2)
        d.ellipse([470, 360, 590, 470], outline=(200, 30, 30), width=5)  # the seal
    else:
        d.rectangle([0, 300, 640, 480], fill=(r.randrange(80, 140), r.randrange(100, 150), 80))  # the floor
        for _ in range(6):  # people
            x, h = r.randrange(40, 600), r.randrange(90, 150)
            d.ellipse([x - 14, 300 - h - 28, x + 14, 300 - h], fill=(230, 190, 160))
            d.rectangle([x - 20, 300 - h, x + 20, 300], fill=(r.randrange(255), r.randrange(255), r.randrange(255)))
        d.rectangle([180, 40, 460, 90], fill=(190, 20, 30))  # the banner
    img.save(path, "JPEG", quality=70)
