"""Column recognition on wording gathered outside the corpus, and the general rules that carry it.

The titles below come from other offices' forms (member registration forms and rosters, registry
exports, chamber statistics tables, minutes templates, activity and visit ledgers), written the ways
those forms write them: formal, abbreviated, with units or remarks in brackets, in traditional
characters. Each is tried in a small sheet whose other columns are plain, with cells of the sort the
column holds, so what is tested is the title, its unit and its cells. The rules (a title's last word,
yes/no questions, negations, cells that contradict a field, likeness weighted by telling characters)
are then checked over the whole vocabulary, not on chosen examples only.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc

from chamberdesk.io.mappings import IGNORE, detect_header
from chamberdesk.io.recognition import normalise_title, vocabulary

CUSTOM = "_custom"


def _code(i: int, head: str = "91") -> str:
    body = f"{head}130534MA{i:07d}"[:17]
    return body + uscc.calc_check_digit(body)


CELLS: dict[str, list[object]] = {
    "org": ["清河县宏达机械有限公司", "清河县顺风快递服务部", "清河县富康建材厂", "清河县老街饭店"],
    "person": ["张建国", "李红", "王平", "赵丽"],
    "phone": ["13800138000", "13912345678", "0319-8123456", "15833331111"],
    "date": ["2025.3.8", "2025年4月2日", "2025/5/6", "2025-06-01"],
    "month": ["2019.5", "2020.3", "2018.1", "2021.12"],
    "born": ["1975.06", "1968.3", "1980.11", "1972.1"],
    "code": [_code(i) for i in range(1, 5)],
    "count": [25, 30, 12, 8],
    "money": [50, 100, 5, 20],
    "area": [80, 120, 0, 60],
    "yes": ["是", "否", "是", "是"],
    "have": ["有", "无", "有", "有"],
    "tick": ["√", "×", "√", "√"],
    "words": ["学习两会精神", "座谈交流", "走访慰问", "融资对接"],
    "long": ["会议研究了换届筹备工作并形成决议，由秘书处负责落实", "听取了秘书长年度工作报告，审议通过财务报告",
             "讨论会费收缴标准，决定维持不变并加强催缴", "部署全年活动计划和会员发展任务"],
    "address": ["城关镇人民路18号", "南关村3组", "工业园区纬二路8号", "清河县建设大街66号"],
    "chamber": ["城关镇商会", "建筑业商会", "南关镇商会", "县工商联"],
    "short_chamber": ["城关镇", "建筑业", "本级", "南关"],
    "post": ["副会长", "会员", "理事", "常务理事"],
    "job": ["董事长", "总经理", "经理", "店长"],
    "email": ["hd@163.com", "sf@qq.com", "fk@126.com", "lj@qq.com"],
    "postcode": ["054800", "054800", "054801", "054800"],
    "schooling": ["本科", "大专", "高中", "研究生"],
    "scope": ["机械加工、销售", "快递收派", "建材批发零售", "中餐服务"],
    "body": ["第三届理事会第二次会议", "2025年度会员大会", "会长办公会议", "四届一次执委会议"],
    "place": ["商会会议室", "县会堂", "工商联三楼", "城关镇政府"],
    "category": ["理论学习", "光彩公益", "政企座谈", "技能培训"],
    "way": ["上门走访", "电话", "微信", "座谈"],
    "party": ["独立党支部", "联合党支部", "联络员", "无"],
    "percent": ["80%", "75%", "90%", "100%"],
    "full_part": ["专职", "兼职", "专职", "兼职"],
    "passed": ["合格", "基本合格", "合格", "不合格"],
    "political": ["中共党员", "群众", "民建会员", "群众"],
    "industry": ["制造业", "批发零售", "餐饮", "建筑业"],
    "legal_form": ["有限责任公司（自然人投资或控股）", "个体工商户", "有限责任公司（自然人独资）", "股份有限公司（非上市）"],
    "authority": ["清河县市场监督管理局", "清河县市场监督管理局", "邢台市市场监督管理局", "清河县民政局"],
    "status": ["存续", "在业", "注销", "存续"],  # a registry's status words: no yes/no
    "rent": ["有（租赁）", "无", "有（自有）", "没有"],  # yes/no with a word on how
    "times": ["3次", "2次", "5次", "1次"],
    "people": ["25人", "30人", "12人", "8人"],
    "about": ["300余人", "50多人", "约20人", "12人"],
    "homes": ["25家", "30家", "12家", "8家"],
    "wan": ["5万元", "10万元", "2万元", "0.5万元"],
    "span": ["2025.3.8-3.9", "2025.4.2-4.3", "2025.5.6", "2025年6月1日至2日"],
    "supervisor": ["县工商联", "县工商联", "县民政局", "直接登记"],
    "one_char_full_part": ["专", "兼", "专", "专"],
    "name_with_remark": ["宋斌（兼职）", "吴金龙（专职）", "邹德胜（兼职）", "袁鑫"],
    "idnum": ["130534197506120017", "13053419680301002X", "130534198011110010", "130534197201010013"],
    "kind_short": ["镇", "镇", "行业", "异地"],
    "size_short": ["中", "微", "小", "大"],
    "minutes_ref": ["纪要〔2025〕1号", "纪要〔2025〕2号", "纪要〔2025〕3号", "纪要〔2025〕4号"],
    "unit_or_person": ["单位", "个人", "单位", "单位"],
    "colleague": ["老曾", "小陈", "老曾", "阿黄"],
    "done": ["登了", "还没登", "登了", "登了"],
}
# the plain columns each small sheet has beside the one tried (left out when it is the one tried)
BASE = {
    "members": [("企业名称", "org", "enterprise_name"), ("联系电话", "phone", "rep_phone")],
    "chambers": [("商会名称", "chamber", "name"), ("会长", "person", "president_name")],
    "meetings": [("会议类型", "body", "body"), ("会议日期", "date", "date")],
    "activities": [("活动类别", "category", "category"), ("活动日期", "date", "date"), ("活动名称", "words", "title")],
    "contacts": [("会员", "org", "member"), ("日期", "date", "date"), ("方式", "way", "way")],
}


def _landing(kind: str, title: str, cells: str, expected: object) -> str:
    cols = [b for b in BASE[kind] if b[2] != expected] + [(title, cells, expected)]
    rows = [[c[0] for c in cols]] + [[CELLS[c[1]][i] for c in cols] for i in range(4)]
    g = detect_header(kind, rows)
    assert g is not None
    c = len(cols) - 1
    return g.mapping.get(c, CUSTOM if c in g.unmapped else "（丢失）")


GATHERED = [
    # member registration forms, rosters and registry exports
    ("members", "单位详细名称", "org", "enterprise_name"),
    ("members", "中文名称", "org", "enterprise_name"),
    ("members", "市场主体名称", "org", "enterprise_name"),
    ("members", "营业执照注册号", "code", "credit_code"),
    ("members", "组织机构代码", "code", "credit_code"),
    ("members", "法定代表人姓名", "person", "legal_rep"),
    ("members", "业主姓名", "person", "legal_rep"),
    ("members", "入会代表人", "person", "rep_name"),
    ("members", "政治面目", "political", "rep_political_status"),
    ("members", "固话", "phone", "rep_phone"),
    ("members", "行业类别", "industry", "industry"),
    ("members", "加入商会时间", "month", "join_date"),
    ("members", "在会职务", "post", "position"),
    ("members", "会员级别", "post", "position"),
    ("members", "工商注册地址", "address", "address"),
    ("members", "住址", "address", "address"),
    ("members", "企业注册资本(万元)", "money", "registered_capital"),
    ("members", "认缴出资额（万元）", "money", "registered_capital"),
    ("members", "在职人数", "count", "employee_count"),
    ("members", "企业员工人数(人)", "count", "employee_count"),
    ("members", "其它", "long", "notes"),
    ("members", "企業名稱", "org", "enterprise_name"),
    ("members", "註冊資本(萬元)", "money", "registered_capital"),
    ("members", "繳費情況", "have", CUSTOM),
    ("members", "文化程度", "schooling", CUSTOM),
    ("members", "主要经营范围", "scope", CUSTOM),
    ("members", "邮政编码", "postcode", CUSTOM),
    ("members", "电子邮箱", "email", CUSTOM),
    ("members", "营业收入（万元）", "money", CUSTOM),
    ("members", "工商登记日期", "date", CUSTOM),
    ("members", "入会费", "money", CUSTOM),
    ("members", "会员代表职务", "job", CUSTOM),
    ("members", "人大代表", "words", CUSTOM),
    ("members", "行次", "count", IGNORE),
    ("members", "企业类型", "legal_form", CUSTOM),  # a registry export's legal form, no size
    ("members", "項次", "count", IGNORE),
    ("members", "產業別", "industry", "industry"),
    ("members", "所属产业", "industry", "industry"),
    ("members", "对接人", "person", "rep_name"),
    ("members", "企业联络人", "person", "rep_name"),
    ("activities", "签到人数", "count", "participant_count"),
    ("meetings", "签到人数", "people", "present_count"),
    ("chambers", "登记管理机关", "authority", CUSTOM),
    # chamber statistics tables
    ("chambers", "社会组织名称", "chamber", "name"),
    ("chambers", "是否在民政部门登记", "yes", "registered"),
    ("chambers", "是否为工商联团体会员", "yes", "is_group_member"),
    ("chambers", "社会组织登记证号", "code", "credit_code"),
    ("chambers", "组建时间", "month", "founded_on"),
    ("chambers", "任期起", "month", "term_start"),
    ("chambers", "任期止", "month", "term_end"),
    ("chambers", "下次换届时间", "month", "term_end"),
    ("chambers", "有无固定办公场所", "have", "has_office"),
    ("chambers", "办公用房面积(㎡)", "area", "office_area"),
    ("chambers", "面积(m²)", "area", "office_area"),
    ("chambers", "专职工作人员（人）", "count", "fulltime_staff"),
    ("chambers", "兼职工作人员数", "count", "parttime_staff"),
    ("chambers", "年经费收入（元）", "money", "annual_funds"),
    ("chambers", "党组织设置", "party", "party_org"),
    ("chambers", "建章立制", "words", "rules"),
    ("chambers", "秘书长专兼职", "full_part", "secretary_fulltime"),
    ("chambers", "年检(合格/不合格)", "passed", "inspection_passed"),
    ("chambers", "會長姓名", "person", "president_name"),
    ("chambers", "会员数(家)", "count", CUSTOM),
    ("chambers", "会长电话", "phone", CUSTOM),
    ("chambers", "秘书长单位", "org", CUSTOM),
    ("chambers", "会员覆盖率(%)", "percent", CUSTOM),
    ("chambers", "经费来源", "words", CUSTOM),
    ("chambers", "党组织书记", "person", CUSTOM),
    ("chambers", "未登记原因", "words", CUSTOM),
    # minutes templates and meeting ledgers
    ("meetings", "召开会议单位", "chamber", "chamber"),
    ("meetings", "所属单位", "short_chamber", "chamber"),
    ("meetings", "会议性质", "body", "body"),
    ("meetings", "开会时间", "date", "date"),
    ("meetings", "会议场所", "place", "place"),
    ("meetings", "审议事项", "long", "agenda"),
    ("meetings", "应参加人数", "count", "expected_count"),
    ("meetings", "与会人数", "count", "present_count"),
    ("meetings", "通过事项", "long", "decisions"),
    ("meetings", "是否有会议记录", "yes", "minutes"),
    ("meetings", "缺会人数", "count", CUSTOM),
    ("meetings", "出席率", "percent", CUSTOM),
    ("meetings", "记录员", "person", CUSTOM),
    ("meetings", "纪要编号", "postcode", CUSTOM),
    ("meetings", "列席人", "person", CUSTOM),
    # activity ledgers
    ("activities", "主办方", "chamber", "chamber"),
    ("activities", "项目类别", "category", "category"),
    ("activities", "举行日期", "date", "date"),
    ("activities", "题目", "words", "title"),
    ("activities", "参与人员数", "count", "participant_count"),
    ("activities", "参与企业（家）", "count", "member_participants"),
    ("activities", "捐资（万元）", "money", "amount"),
    ("activities", "受训人数", "count", "people_count"),
    ("activities", "化解纠纷(件)", "count", "item_count"),
    ("activities", "取得成效", "long", "notes"),
    ("activities", "協辦單位", "org", CUSTOM),
    ("activities", "举办地点", "place", CUSTOM),
    # visit ledgers
    ("contacts", "包联对象", "org", "member"),
    ("contacts", "被走访单位", "org", "member"),
    ("contacts", "企业代码", "code", "credit_code"),
    ("contacts", "回访方式", "way", "way"),
    ("contacts", "包联人", "person", "by_whom"),
    ("contacts", "联络员", "person", "by_whom"),
    ("contacts", "存在困难", "long", "notes"),
    ("contacts", "意见建议", "long", "notes"),
    ("contacts", "走访事由", "long", "notes"),
    ("contacts", "受访人", "person", CUSTOM),
    ("contacts", "企业联系人", "person", CUSTOM),
    ("contacts", "是否办结", "yes", CUSTOM),
    # a third gathering: registration and annual-report forms of social organisations (社会团体年度工作报告书:
    # 专职工作人员, 统一信用代码, 业务主管单位, 单位会员数), member registers in traditional characters (公司名稱,
    # 聯絡電話, 入會日期, 住所, 職稱), census forms (单位负责人, 移动电话), activity summaries (主办单位/承办单位,
    # 参与人数 "300余人", 参与对象), sign-in sheets and visit ledgers; cells with their units and spans of days
    ("members", "公司名稱", "org", "enterprise_name"),
    ("members", "聯絡電話", "phone", "rep_phone"),
    ("members", "移动电话", "phone", "rep_phone"),
    ("members", "入會日期", "month", "join_date"),
    ("members", "入會年月", "month", "join_date"),
    ("members", "住所", "address", "address"),
    ("members", "單位負責人", "person", "rep_name"),
    ("members", "職稱", "job", CUSTOM),
    ("members", "注册资本金（万元）", "money", "registered_capital"),
    ("members", "注册资本", "wan", "registered_capital"),
    ("members", "从业人数", "people", "employee_count"),
    ("members", "登记状态", "status", CUSTOM),
    ("members", "经营状态", "status", CUSTOM),
    ("chambers", "社团名称", "chamber", "name"),
    ("chambers", "社會團體名稱", "chamber", "name"),
    ("chambers", "统一信用代码", "code", "credit_code"),
    ("chambers", "專職工作人員", "count", "fulltime_staff"),
    ("chambers", "专职工作人员", "people", "fulltime_staff"),
    ("chambers", "年度经费", "wan", "annual_funds"),
    ("chambers", "单位会员数", "homes", CUSTOM),
    ("chambers", "业务主管单位", "supervisor", CUSTOM),
    ("chambers", "开展活动次数", "times", CUSTOM),
    ("chambers", "是否有办公用房", "have", "has_office"),
    ("meetings", "牽頭單位", "chamber", "chamber"),
    ("meetings", "承辦單位", "chamber", "chamber"),
    ("meetings", "组织者", "short_chamber", "chamber"),
    ("meetings", "会议时间", "span", "date"),
    ("meetings", "参会人数", "people", "present_count"),
    ("activities", "組織單位", "chamber", "chamber"),
    ("activities", "组织者", "short_chamber", "chamber"),
    ("activities", "牵头单位", "chamber", "chamber"),
    ("activities", "主办单位", "chamber", "chamber"),
    ("activities", "参与人数", "about", "participant_count"),
    ("activities", "参与企业", "homes", "member_participants"),
    ("activities", "活動日期", "span", "date"),
    ("activities", "捐款金额", "wan", "amount"),
    ("activities", "参与对象", "words", CUSTOM),
    ("contacts", "组织单位", "chamber", "chamber"),
    ("contacts", "走访日期", "span", "date"),
    ("contacts", "走訪企業", "org", "member"),
    ("contacts", "走訪方式", "way", "way"),
    ("meetings", "會議時間", "span", "date"),
    ("meetings", "出席人數", "count", "present_count"),
    ("meetings", "是否有會議紀要", "yes", "minutes"),
    ("chambers", "辦公場所面積(平方米)", "area", "office_area"),
    ("chambers", "專職秘書長", "full_part", "secretary_fulltime"),
    ("chambers", "年檢結果", "passed", "inspection_passed"),
    ("chambers", "年检状态", "status", CUSTOM),
    ("chambers", "是否按期换届", "yes", CUSTOM),
    ("members", "會員名稱 Member Name", "org", "enterprise_name"),
    ("activities", "參會企業（家）", "homes", "member_participants"),
    ("activities", "座谈主题", "words", "title"),
    ("activities", "收集问题（件）", "count", "item_count"),
    # "责任单位" names the owner where the cells are chambers, another party where they are government offices
    ("activities", "責任單位", "chamber", "chamber"),
    ("activities", "责任单位", "authority", CUSTOM),
    ("contacts", "包联单位", "chamber", "chamber"),
    ("contacts", "包联单位", "authority", CUSTOM),
    ("activities", "责任商会", "chamber", "chamber"),
    ("meetings", "会议召集方", "chamber", "chamber"),
    ("activities", "所屬公會", "chamber", "chamber"),
    # a record's entry or export time is no date of what it records
    ("meetings", "填报时间", "date", CUSTOM),
    ("chambers", "数据更新时间", "date", CUSTOM),
    ("members", "录入日期", "date", CUSTOM),
    # leaving the chamber, in other words
    ("members", "注销会籍日期", "date", "leave_date"),
    ("members", "注销会籍原因", "words", "leave_reason"),
    ("members", "法人代表人姓名", "person", "legal_rep"),
    ("members", "營業處所", "address", "address"),
    ("members", "僱用人數", "count", "employee_count"),
    ("members", "流水序号", "count", IGNORE),
    ("members", "序 No.", "count", IGNORE),
    ("chambers", "首次登记时间", "date", "founded_on"),
    ("chambers", "全职人员", "count", "fulltime_staff"),
    ("meetings", "议决情况", "long", "decisions"),
    ("meetings", "举办场地", "place", "place"),
    ("meetings", "会议简介", "long", "agenda"),
    ("activities", "实到学员", "count", ["participant_count", "people_count"]),
    ("activities", "备忘", "long", "notes"),
    ("contacts", "拜訪對象", "org", "member"),
    ("contacts", "聯繫管道", "way", "way"),
    ("contacts", "拜訪人員", "person", "by_whom"),
    # when an event began, happened or was held; when the register or the system took it down is no event date
    ("activities", "活动起始日", "date", "date"),
    ("meetings", "召开日", "date", "date"),
    ("contacts", "走访发生日期", "date", "date"),
    ("meetings", "登记入簿日期", "date", CUSTOM),
    ("activities", "创建时间", "date", CUSTOM),
    ("chambers", "证书有效期限至", "date", CUSTOM),
    ("chambers", "创建时间", "date", "founded_on"),
    ("activities", "出席人数", "count", "participant_count"),
    ("activities", "其中会员企业人员", "count", "member_participants"),
    ("meetings", "应邀人数", "count", "expected_count"),
    ("activities", "应邀人数", "count", CUSTOM),
    ("members", "東主", "person", ["legal_rep", "rep_name"]),
    ("meetings", "纪要归档编号", "minutes_ref", "minutes"),
    ("chambers", "Term From", "date", "term_start"),
    ("chambers", "Term To", "date", "term_end"),
    # hand-typed sheets: colloquial question words and common misspellings
    ("meetings", "该来几人", "count", "expected_count"),
    ("meetings", "来了几人", "count", "present_count"),
    ("meetings", "在哪开", "place", "place"),
    ("meetings", "讲了啥", "long", "agenda"),
    ("meetings", "定了啥", "long", "decisions"),
    ("activities", "去了多少人", "count", "participant_count"),
    ("activities", "钱数（元）", "money", "amount"),
    ("members", "身分证号码", "idnum", "rep_id_number"),
    ("members", "联糸电话", "phone", "rep_phone"),
    ("chambers", "专职几人", "count", "fulltime_staff"),
    ("chambers", "会所（有/无）", "have", "has_office"),
    ("contacts", "经手人", "person", "by_whom"),
    # two things in one title: the column holds the first, the second beside it
    ("chambers", "秘书长及电话", "person", "secretary_general_name"),
    ("chambers", "会长及手机", "person", "president_name"),
    ("meetings", "时间地点", "date", "date"),
    ("activities", "活动名称及内容", "words", "title"),
    ("chambers", "属哪类", "kind_short", "kind"),
    ("members", "规模（大中小微）", "size_short", "size_class"),
    # a remark that says how it is answered makes the title a yes/no question
    ("chambers", "县工商联团体会员单位（是/否）", "yes", "is_group_member"),
    ("chambers", "换届（是否按期）", "yes", CUSTOM),
    ("chambers", "党组织成立时间", "date", CUSTOM),
    ("chambers", "党的组织（已建/联建/未建）", "party", "party_org"),
    ("chambers", "专职/兼职", "full_part", "secretary_fulltime"),
    ("members", "所在乡镇（街道）", "short_chamber", CUSTOM),
    ("members", "名单序", "count", IGNORE),
    # everyday words of plain county sheets
    ("activities", "公益项目", "words", "title"),
    ("activities", "人员数", "count", "participant_count"),
    ("chambers", "专/兼", "one_char_full_part", "secretary_fulltime"),
    ("chambers", "场地大小（㎡）", "area", "office_area"),
    ("meetings", "会议所在地", "place", "place"),
    ("meetings", "开的什么会", "body", "body"),
    ("meetings", "研讨事项", "long", "agenda"),
    ("contacts", "谁去的", "person", "by_whom"),
    ("members", "顺号", "count", IGNORE),
    ("members", "附記", "long", "notes"),
    ("chambers", "秘书长（专/兼职）", "name_with_remark", "secretary_general_name"),
    ("chambers", "人大代表", "yes", CUSTOM),
    ("contacts", "挂点领导", "person", "by_whom"),
    ("contacts", "服务专员", "person", "by_whom"),
    # words of the second to fourth batches' misses, and what they stand for in general
    ("members", "非公企业名称", "org", "enterprise_name"),  # 非公 is the sector, not a negation
    ("members", "法人和其他组织统一社会信用代码", "code", "credit_code"),  # one thing named, not "法人" and another
    ("members", "会籍终止日期", "date", "leave_date"),
    ("members", "终止原因", "words", "leave_reason"),
    ("members", "经营门类", "industry", "industry"),
    ("members", "所在楼宇及房号", "address", "address"),
    ("chambers", "理事長", "person", "president_name"),  # Taiwan's associations: 理事长 chairs, 总干事 runs
    ("chambers", "總幹事", "person", "secretary_general_name"),
    ("chambers", "专干（名）", "count", "fulltime_staff"),
    ("chambers", "固定活动阵地（有/无）", "have", "has_office"),
    ("chambers", "党组织名称", "words", [CUSTOM, "party_org"]),  # the party branch's name is no chamber's
    ("meetings", "通知参会人数", "count", "expected_count"),
    ("meetings", "发出通知（人）", "count", "expected_count"),
    ("meetings", "会议结论", "long", "decisions"),
    ("activities", "慰问金（元）", "money", "amount"),
    ("activities", "活动小结", "long", "notes"),
    ("activities", "项目归类", "category", "category"),
    ("contacts", "带队人（职务）", "person", "by_whom"),
    ("contacts", "本會承辦人", "person", "by_whom"),
    ("contacts", "去的人", "person", "by_whom"),
    ("contacts", "情况记载", "long", "notes"),
    ("activities", "参加人（数）", "count", "participant_count"),  # the bracket finishes the word
    ("activities", "花费（元）", "money", "amount"),
    ("members", "所在镇街商会", "chamber", "chamber"),  # ends in 商会: the chamber, wherever it is
    ("members", "退会缘由", "words", "leave_reason"),
    ("members", "会员类别（单位/个人）", "unit_or_person", "kind"),
    ("chambers", "民政登了没", "yes", "registered"),  # asked as people ask
    ("chambers", "换届到期", "date", "term_end"),
    ("chambers", "在民政备案", "yes", "registered"),
    ("chambers", "是否加入县总商会", "yes", "is_group_member"),
    ("chambers", "分会/联络处", "chamber", "name"),
    ("contacts", "谁跑的", "person", "by_whom"),
    ("contacts", "啥事", "long", "notes"),
    ("contacts", "了解到的情况", "long", "notes"),
    ("meetings", "应当出席（名）", "count", "expected_count"),
    ("meetings", "审议通过的事项", "long", "decisions"),
    ("meetings", "開會處所", "place", "place"),
    ("activities", "成交及意向额（万元）", "money", "amount"),
    ("activities", "会同单位", "chamber", CUSTOM),  # another party to the event, not its owner
    ("members", "办公楼层及房间号", "address", "address"),
    ("members", "门店位置", "address", "address"),
    ("members", "退出缘故", "words", "leave_reason"),
    ("members", "在本县投资额（万元）", "money", CUSTOM),  # an investment is no registered capital
    ("members", "註記", "long", "notes"),
    # dialect of the south-west and Hunan, read as the common spoken words (么子/啥子 什么, 哪个 谁, 好多 多少)
    ("contacts", "么子时候", "date", "date"),
    ("contacts", "哪个去的", "colleague", "by_whom"),  # 老曾, 小陈: how colleagues name each other
    ("contacts", "么子事", "long", "notes"),
    ("contacts", "哪么联系的", "way", "way"),
    ("meetings", "喊了好多人", "count", "expected_count"),
    ("meetings", "开的啥子会", "body", "body"),
    ("meetings", "定下来的事", "long", "decisions"),
    ("chambers", "商会叫啥", "chamber", "name"),
    ("chambers", "办公室多大", "area", "office_area"),
    ("chambers", "在民政登记没有", "done", "registered"),  # 登了 / 还没登
    ("activities", "谁牵头", "chamber", "chamber"),
    ("activities", "其中会员企业", "count", "member_participants"),  # counts firms, under a title ending in 企业
    # the answers a title offers in brackets are a field's own words
    ("members", "入会身份（企业会员/个人会员）", "unit_or_person", "kind"),
    ("chambers", "类别（乡镇/行业/异地）", "kind_short", "kind"),
    ("members", "退会原由（自行退会/注销/劝退）", "words", "leave_reason"),
    ("contacts", "走访的日子", "date", "date"),
    ("meetings", "会议开在何处", "place", "place"),
    ("members", "在本会任何职", "post", "position"),
    ("contacts", "企业反映情况及办理", "long", "notes"),
    ("meetings", "参会人员数（应）", "count", "expected_count"),  # a short remark qualifies the title
    ("meetings", "参会人员数（实）", "count", "present_count"),
    ("activities", "活动属哪一类", "category", "category"),
    ("activities", "活动门类", "category", "category"),
    ("members", "所属乡镇", "short_chamber", CUSTOM),  # the township the firm is in, not its chamber
    ("members", "法定代表人及其联系电话", "person", "legal_rep"),  # the first thing named, the other beside it
]


@pytest.mark.parametrize(("kind", "title", "cells", "expected"), GATHERED,
                         ids=[f"{k}-{t}" for k, t, _, _ in GATHERED])
def test_wording_gathered_from_other_offices(kind: str, title: str, cells: str, expected: str | list[str]) -> None:
    accepted = expected if isinstance(expected, list) else [expected]  # a list: either reading is a clerk's
    assert _landing(kind, title, cells, accepted[0]) in accepted


# --- the corpus's known hard columns, in general form -------------------------------------------------

def test_a_yes_no_question_about_joining_the_federation_is_no_registration() -> None:
    assert _landing("chambers", "是否加入县工商联", "yes", "is_group_member") == "is_group_member"


def test_a_post_in_the_enterprise_is_no_chamber_post() -> None:
    for title in ("单位职务", "企业职务", "本单位职务", "行政职务"):
        assert _landing("members", title, "job", CUSTOM) == CUSTOM, title
    # the cells decide a bare 职务: posts in the enterprise stay custom, chamber posts land
    assert _landing("members", "职务", "job", CUSTOM) == CUSTOM
    assert _landing("members", "职务", "post", "position") == "position"


def test_an_absent_count_is_not_the_expected_count() -> None:
    for title in ("缺席人数", "缺会人数", "请假人数", "未到人数", "缺席(人)"):
        assert _landing("meetings", title, "count", CUSTOM) == CUSTOM, title


def test_main_business_is_kept_custom() -> None:
    for title in ("主营业务", "主營業務", "主营产品", "业务范围", "经营范围"):
        assert _landing("members", title, "scope", CUSTOM) == CUSTOM, title


# --- rules over the whole vocabulary ------------------------------------------------------------------

def _fields(kind: str, types: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(f.name, s) for f in vocabulary().kinds[kind] if f.type in types for s in f.synonyms
            if 2 <= len(normalise_title(s).core) <= 6 and not normalise_title(s).question]


PERSONS = _fields("chambers", ("person",)) + _fields("members", ("person",))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(PERSONS), st.sampled_from(["电话", "手机", "单位", "职务", "签名"]))
def test_the_last_word_of_a_title_says_what_the_column_holds(person: tuple[str, str], head: str) -> None:
    """A person's title followed by another word (会长电话, 法人代表单位) is about that word."""
    name, synonym = person
    kind = "members" if name in {f.name for f in vocabulary().kinds["members"]} else "chambers"
    cells = {"电话": "phone", "手机": "phone", "单位": "org", "职务": "job", "签名": "person"}[head]
    assert _landing(kind, synonym + head, cells, CUSTOM) != name


NOT_YES_NO = [(k, f.name, s) for k in ("members", "chambers") for f in vocabulary().kinds[k]
              if f.type not in ("bool",) and not any(normalise_title(x).question for x in f.synonyms)
              for s in f.synonyms if 2 <= len(normalise_title(s).core) <= 5]


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(NOT_YES_NO), st.sampled_from(["是否", "有无"]), st.sampled_from(["yes", "have", "tick"]))
def test_a_yes_no_question_never_lands_in_a_field_that_is_no_yes_no(field: tuple[str, str, str], ask: str,
                                                                     cells: str) -> None:
    kind, name, synonym = field
    assert _landing(kind, ask + synonym, cells, CUSTOM) != name


DATED = [(k, f.name, s) for k in ("members", "chambers") for f in vocabulary().kinds[k]
         if f.type in ("date", "bool") for s in f.synonyms if 2 <= len(normalise_title(s).core) <= 5
         and not normalise_title(s).question]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(DATED), st.sampled_from(["未", "无", "非"]))
def test_a_title_about_what_is_not_never_names_the_field(field: tuple[str, str, str], negation: str) -> None:
    kind, name, synonym = field
    assert _landing(kind, negation + synonym + "原因", "words", CUSTOM) != name


@pytest.mark.parametrize(("kind", "title", "cells", "field"), [
    ("members", "入会时间", "money", "join_date"),
    ("chambers", "成立时间", "count", "founded_on"),
    ("chambers", "办公面积", "date", "office_area"),
    ("activities", "参加人数", "words", "participant_count"),
    ("activities", "所属商会", "org", "chamber"),
])
def test_cells_that_plainly_contradict_a_field_keep_it_away(kind: str, title: str, cells: str, field: str) -> None:
    assert _landing(kind, title, cells, CUSTOM) != field


def test_likeness_by_shared_characters_weighs_the_telling_ones() -> None:
    """人大代表 shares 人、代、表 with 法人代表 but not the 法 that makes a legal representative."""
    assert _landing("members", "人大代表", "words", CUSTOM) == CUSTOM
    assert _landing("chambers", "会员数", "count", CUSTOM) == CUSTOM  # 员数 is no 专职人员数


def test_a_unit_only_one_field_is_counted_in_speaks_for_it() -> None:
    assert _landing("activities", "调解(件)", "count", "item_count") == "item_count"
    assert _landing("activities", "参加会员(家)", "count", "member_participants") == "member_participants"


def test_an_upper_title_names_whose_name_a_lower_common_word_is() -> None:
    rows = [["序号", "企业名称", "法定代表人", None, "办公场所", None],
            [None, None, "姓名", "手机", "有/无", "面积"],
            [1, "清河县宏达机械有限公司", "张建国", "13800138000", "有", 80],
            [2, "清河县富康建材厂", "李红", "13912345678", "无", 0],
            [3, "清河县老街饭店", "王平", "15833331111", "有", 60]]
    merged = ["A1:A2", "B1:B2", "C1:D1", "E1:F1"]
    g = detect_header("members", rows, merged)
    assert g is not None
    assert g.mapping[2] == "legal_rep" and g.mapping[3] == "rep_phone"
    assert g.titles[4] == "办公场所/有/无"  # the lower title's slash is its own, not a level


def test_traditional_titles_read_as_simplified() -> None:
    pairs = [("無辦公場所原因", "无办公场所原因"), ("舉辦單位", "举办单位"), ("歸屬商會", "归属商会"),
             ("繳納會費情況", "缴纳会费情况"), ("結論", "结论"), ("聯絡員", "联络员"), ("會員級別", "会员级别")]
    for trad, simple in pairs:
        assert normalise_title(trad).core == normalise_title(simple).core, trad


def test_a_closed_set_field_needs_its_words_in_the_cells() -> None:
    """Kinds of member, sizes, posts, party organisations are words of a known set: a column of
    other words (本科, 大专; 董事长, 总经理) is something else, √/× still answer 建立党组织."""
    assert _landing("members", "经济类型", "schooling", CUSTOM) == CUSTOM
    assert _landing("members", "会员类别", "schooling", CUSTOM) == CUSTOM
    assert _landing("chambers", "建立党组织", "tick", "party_org") == "party_org"


def test_a_remark_says_what_a_column_is_when_its_title_names_nothing() -> None:
    assert _landing("chambers", "联系人（秘书长）", "person", "secretary_general_name") == "secretary_general_name"
    assert _landing("chambers", "秘书长（专/兼职）", "full_part", "secretary_fulltime") == "secretary_fulltime"
    assert _landing("members", "备注（退会原因等）", "long", "notes") == "notes"


@pytest.mark.parametrize(("kind", "title", "cells", "said"), [
    ("chambers", "会长电话", "phone", "“电话”"),
    ("members", "是否法人", "yes", "是否"),
    ("members", "会员代表职务", "job", "常见写法"),
])
def test_a_column_kept_custom_says_which_field_it_resembled_and_why_not(kind: str, title: str, cells: str,
                                                                      said: str) -> None:
    cols = [*BASE[kind], (title, cells, CUSTOM)]
    rows = [[c[0] for c in cols]] + [[CELLS[c[1]][i] for c in cols] for i in range(4)]
    g = detect_header(kind, rows)
    assert g is not None and len(cols) - 1 in g.unmapped
    reason = g.reasons[len(cols) - 1]
    assert reason.startswith("像“") and said in reason and "保留为自定义信息" in reason


def test_a_title_wrapped_over_two_cells_reads_whole() -> None:
    """Offices that do not merge write a long title over two rows ("法定" over "代表人"): one title, not a
    group over its parts; a group title written once over blank cells still groups the titles below."""
    rows = [["序号", "企业", "法定", "联系", "注册资本", "联系方式", None],
            [None, "名称", "代表人", "电话", "(万元)", "手机", "座机"],
            [1, "清河县宏达机械有限公司", "张建国", "13800138000", 500, "13800138000", "0319-8123456"],
            [2, "清河县顺风快递服务部", "李红", "13912345678", 10, "13912345678", "0319-8123457"],
            [3, "清河县富康建材厂", "王平", "15833331111", 1000, "15833331111", "0319-8123458"]]
    g = detect_header("members", rows)
    assert g is not None
    assert g.titles[:5] == ["序号", "企业名称", "法定代表人", "联系电话", "注册资本(万元)"]
    assert g.mapping[2] == "legal_rep" and g.mapping[4] == "registered_capital"
    assert g.titles[5] == "联系方式/手机"


# --- the round after: whose question, what answers a yes/no, how titles are dressed ------------------

def test_a_yes_no_question_about_another_subject_is_not_the_field() -> None:
    """A question asks about its subject: 是否有专职人员 asks about staff, not whether the secretary-general
    is full-time; a question with no subject of its own (是否专职) still answers the field beside it."""
    for title in ("是否有专职人员", "是否配备专职工作人员", "有无专职人员", "專職人員是否到位"):
        assert _landing("chambers", title, "yes", CUSTOM) == CUSTOM, title
    for title in ("秘书长是否专职", "是否專職", "秘書長專兼職"):
        assert _landing("chambers", title, "full_part", "secretary_fulltime") == "secretary_fulltime", title


@pytest.mark.parametrize("title", ["登记状态", "登記狀態", "登记情况", "民政登记"])
def test_a_yes_no_field_needs_yes_no_cells(title: str) -> None:
    """Status words (存续, 在业, 注销) answer no yes/no question, even under the field's own title."""
    assert _landing("chambers", title, "status", CUSTOM) == CUSTOM
    assert _landing("chambers", title, "yes", "registered") == "registered"


@pytest.mark.parametrize("title", ["办公场所", "有无办公场所", "是否有办公用房"])
def test_yes_no_with_a_word_on_how_is_still_yes_no(title: str) -> None:
    assert _landing("chambers", title, "rent", "has_office") == "has_office"


@pytest.mark.parametrize("title", ["组织单位", "组织者", "承办单位", "牵头单位", "主办单位", "組織單位", "主办部门",
                                   "承办部门"])
@pytest.mark.parametrize("kind", ["meetings", "activities"])
def test_who_organised_an_event_owns_it(kind: str, title: str) -> None:
    assert _landing(kind, title, "chamber", "chamber") == "chamber"
    assert _landing(kind, title, "short_chamber", "chamber") == "chamber"
    # persons under the same title organised it for someone: no owning chamber named
    assert _landing(kind, title, "person", CUSTOM) == CUSTOM


@pytest.mark.parametrize("title", ["单位职务", "企业职务", "單位職務", "本企业职务", "公司职务"])
def test_a_post_in_ones_own_enterprise_stays_custom_whatever_the_cells(title: str) -> None:
    assert _landing("members", title, "post", CUSTOM) == CUSTOM
    assert _landing("members", title, "job", CUSTOM) == CUSTOM


@pytest.mark.parametrize("title", ["商会职务", "会内职务", "商會職務", "在商会职务"])
def test_a_post_in_the_chamber_lands_in_position(title: str) -> None:
    assert _landing("members", title, "post", "position") == "position"


@pytest.mark.parametrize(("kind", "title", "cells", "field"), [
    ("members", "企业名称 Company Name", "org", "enterprise_name"),
    ("members", "法定代表人\nLegal Representative", "person", "legal_rep"),
    ("members", "统一社会信用代码 Unified Social Credit Code", "code", "credit_code"),
    ("members", "联系电话 Tel", "phone", "rep_phone"),
    ("members", "企业名称 qiyemingcheng", "org", "enterprise_name"),
    ("chambers", "商会名称 Name of Chamber", "chamber", "name"),
    ("members", "一、企业名称", "org", "enterprise_name"),
    ("members", "（一）企业名称", "org", "enterprise_name"),
    ("members", "1.会员名称", "org", "enterprise_name"),
    ("members", "1、法定代表人", "person", "legal_rep"),
    ("members", "01 企业名称", "org", "enterprise_name"),
    ("members", "企业名称*", "org", "enterprise_name"),
    ("members", "*统一社会信用代码", "code", "credit_code"),
    ("members", "企业名称（必填）", "org", "enterprise_name"),
    ("members", "企业名称：", "org", "enterprise_name"),
    ("chambers", "二、成立时间（必填）", "month", "founded_on"),
])
def test_a_title_dressed_with_numbers_marks_or_a_latin_sub_title_reads_as_its_chinese(
        kind: str, title: str, cells: str, field: str) -> None:
    assert _landing(kind, title, cells, field) == field


@pytest.mark.parametrize("title", ["企业名称 Company Name", "法定代表人\nLegal Representative", "住所 zhusuo"])
def test_a_latin_sub_title_is_left_out_of_the_title(title: str) -> None:
    assert normalise_title(title).core == normalise_title(title.split()[0]).core


def test_a_latin_unit_or_a_latin_name_stays() -> None:
    assert normalise_title("面积M2").units == ("M2",)
    assert normalise_title("微信/QQ").core == "微信QQ"
    assert normalise_title("QQ号").core == "QQ号"


@pytest.mark.parametrize("kind", ["members", "chambers", "activities", "contacts"])
def test_a_remark_column_lands_in_notes(kind: str) -> None:
    assert _landing(kind, "备注", "long", "notes") == "notes"
    assert _landing(kind, "備註", "long", "notes") == "notes"


def test_a_meeting_remark_is_kept_custom() -> None:
    # meetings have no notes field: the remark is kept, never dropped
    assert _landing("meetings", "备注", "long", CUSTOM) == CUSTOM


def test_a_category_over_the_titles_leaves_them_their_fields() -> None:
    """基本信息 / 联系方式 / 商会任职情况 over the real titles name no field themselves."""
    rows = [["序号", "基本信息", None, None, "联系方式", None, "商会任职情况", None, "备注"],
            [None, "企业名称", "统一社会信用代码", "单位职务", "手机", "固定电话", "商会职务", "入会时间", None],
            [1, "清河县宏达机械有限公司", _code(1), "董事长", "13800138000", "0319-8123456", "副会长", "2019.5", "无"],
            [2, "清河县富康建材厂", _code(2), "总经理", "13912345678", "0319-8123457", "理事", "2020.3", "已退会"],
            [3, "清河县老街饭店", _code(3), "经理", "15833331111", "0319-8123458", "会员", "2018.1", "会费未缴"]]
    g = detect_header("members", rows, ["A1:A2", "B1:D1", "E1:F1", "G1:H1", "I1:I2"])
    assert g is not None and (g.first_row, g.last_row) == (0, 1)
    got = [g.mapping.get(c, CUSTOM if c in g.unmapped else "（丢失）") for c in range(9)]
    assert got == [IGNORE, "enterprise_name", "credit_code", CUSTOM, "rep_phone", "rep_phone", "position",
                   "join_date", "notes"]


def test_cells_written_with_their_units_and_spans_of_days() -> None:
    rows = [["序号", "活动名称", "活动时间", "组织单位", "参加人数", "参与企业", "捐款金额", "活动形式"],
            [1, "学习两会精神", "2025.3.8-3.9", "城关镇商会", "25人", "12家", "5万元", "理论学习"],
            [2, "走访慰问", "2025.4.2", "建筑业商会", "30余人", "8家", "0.5万元", "光彩公益"],
            [3, "座谈交流", "2025年5月6日至7日", "南关镇商会", "约12人", "5家", "1万元", "政企座谈"]]
    g = detect_header("activities", rows)
    assert g is not None
    assert [g.mapping.get(c) for c in range(8)] == [IGNORE, "title", "date", "chamber", "participant_count",
                                                    "member_participants", "amount", "category"]


def test_a_line_of_english_titles_under_the_chinese_ones_is_part_of_the_header() -> None:
    rows = [["序号", "企业名称", "统一社会信用代码", "法定代表人", "联系电话", "备注"],
            ["No.", "Company Name", "Credit Code", "Legal Representative", "Tel.", "Remarks"],
            [1, "清河县宏达机械有限公司", _code(1), "张建国", "13800138000", "无"],
            [2, "清河县富康建材厂", _code(2), "李红", "13912345678", "已退会"],
            [3, "清河县老街饭店", _code(3), "王平", "15833331111", "会费未缴"]]
    g = detect_header("members", rows)
    assert g is not None and (g.first_row, g.data_start) == (0, 2)
    assert g.titles == ["序号", "企业名称", "统一社会信用代码", "法定代表人", "联系电话", "备注"]
    assert [g.mapping.get(c) for c in range(6)] == [IGNORE, "enterprise_name", "credit_code", "legal_rep",
                                                    "rep_phone", "notes"]


@pytest.mark.parametrize("title", ["一、企业名称", "一.企业名称", "（一）企业名称", "(1)企业名称", "1、企业名称", "1.企业名称",
                                   "①企业名称", "*企业名称", "企业名称*", "★企业名称", "企业名称（必填）",
                                   "企业名称：", "企業名稱"])
def test_numbering_and_required_marks_are_not_part_of_a_title(title: str) -> None:
    assert normalise_title(title).core == "企业名称"


def test_a_number_that_belongs_to_the_title_stays() -> None:
    assert normalise_title("3年内营收").core == "3年内营收"
    assert normalise_title("2025年会费").core == "2025年会费"


@pytest.mark.parametrize(("title", "cells"), [("邀请企业数", "count"), ("邀请企业（家）", "homes"), ("计划参加人数", "count"),
                                              ("应参加人数", "people"), ("预计参与人数", "count"), ("缺席人数", "count"),
                                              ("报名人数", "count"), ("報名人數", "people")])
def test_who_was_asked_or_expected_is_not_who_took_part(title: str, cells: str) -> None:
    """An activity's 邀请/计划/应参 figures are no count of who took part, however number-like the cells."""
    assert _landing("activities", title, cells, CUSTOM) == CUSTOM


def test_a_count_in_the_wrong_unit_is_not_that_count() -> None:
    """"带动脱贫（人）" under 项目成效 counts people: no 件数; "帮扶村（个）" counts villages: no 培训人次."""
    rows = [["活动名称", "活动类别", "活动日期", "项目成效", None, None],
            [None, None, None, "签约项目（个）", "带动脱贫（人）", "帮扶村（个）"],
            *[[CELLS["words"][i], CELLS["category"][i], CELLS["date"][i], 3, 40 + i, 2] for i in range(4)]]
    g = detect_header("activities", rows, ["D1:F1", "A1:A2", "B1:B2", "C1:C2"])
    assert g is not None and g.mapping.get(3) == "item_count"
    assert 4 in g.unmapped and g.mapping.get(5) != "people_count"
    assert "以“人”计" in g.reasons[4] or "保留为自定义信息" in g.reasons[4]


def test_a_post_before_a_name_is_still_a_name() -> None:
    """"主席 王春花": who led the visit, with their post."""
    rows = [["会员", "日期", "方式", "带队人"],
            *[[CELLS["org"][i], CELLS["date"][i], CELLS["way"][i], p] for i, p in
              enumerate(["主席 王春花", "副县长 李国强", "县委常委、统战部部长 赵丽", "主席王春花"])]]
    g = detect_header("contacts", rows)
    assert g is not None and g.mapping.get(3) == "by_whom"


def test_a_line_of_field_codes_under_the_titles_is_part_of_the_header() -> None:
    rows = [["组织全称", "统一信用代码号", "组织类别", "法人代表姓名"], ["ORG_NAME", "USCC", "ORG_TYPE", "LEGAL_PERSON"],
            *[[c, _code(i, "51"), "乡镇商会", p] for i, (c, p) in
              enumerate(zip(CELLS["chamber"][:3], CELLS["person"], strict=False))]]
    g = detect_header("chambers", rows)
    assert g is not None and (g.first_row, g.last_row) == (0, 1) and g.mapping.get(0) == "name"


def test_an_english_first_record_under_chinese_titles_is_a_record() -> None:
    rows = [["企业名称", "代表人姓名", "商会职务", "企业地址"],
            ["ABC Trading Co., Ltd", "Chan Tai Man", "Director", "Room 1203, 88 Queen's Road"],
            *[[CELLS["org"][i], CELLS["person"][i], CELLS["post"][i], CELLS["address"][i]] for i in range(3)]]
    g = detect_header("members", rows)
    assert g is not None and g.data_start == 1


def test_titles_typed_over_two_rows_whose_tops_already_name_fields_read_together() -> None:
    """"會議" over "地點" is the place, not a second meeting name; the lower row alone names little."""
    rows = [["項次", "所屬", "會議", "開會", "會議", "應出席", "實際出席", "討論", "紀要"],
            [None, "商會/單位", "名稱", "日期", "地點", "名額", "人頭數", "事項", "存檔否"],
            ["1", "博鳌镇商会", "第二屆理事會第五次會議", "2025.3.8", "商会會議室", "27", "24", "工作要點", "已存檔"],
            ["2", "嘉积镇商会", "會長辦公會", "2025.3.15", "镇政府3樓", "8", "8", "招商推介", "已存檔"]]
    g = detect_header("meetings", rows)
    assert g is not None and (g.first_row, g.last_row) == (0, 1)
    assert g.mapping.get(4) == "place" and g.mapping.get(2) == "body"


def test_a_note_across_the_table_is_no_upper_header_and_a_chat_list_numbers_its_rows() -> None:
    """A merged note line over the titles ("没报的请大家帮忙催一下") is no group title; "1.", "2." pasted from a
    chat are row numbers, whatever note is typed under the list."""
    rows = [["龙潭镇商会会员 接龙统计", None, None, None], ["没报的请大家帮忙催一下，周五前发我", None, None, None],
            [None, "店名/厂名", "老板", "电话"],
            *[[f"{i + 1}.", CELLS["org"][i], CELLS["person"][i], CELLS["phone"][i]] for i in range(4)],
            ["还有两家说下周报", None, None, None]]
    g = detect_header("members", rows, ["A1:D1", "A2:D2"])
    assert g is not None and (g.first_row, g.last_row) == (2, 2)
    assert g.mapping.get(0) == IGNORE and g.mapping.get(1) == "enterprise_name"


def test_column_numbers_in_brackets_are_part_of_the_header() -> None:
    rows = [["企业名称", "统一社会信用代码", "联系电话"], ["（1）", "（2）", "（3）"],
            *[[CELLS["org"][i], CELLS["code"][i], CELLS["phone"][i]] for i in range(4)]]
    g = detect_header("members", rows)
    assert g is not None and (g.first_row, g.last_row) == (0, 1) and g.mapping.get(1) == "credit_code"


def test_an_upper_title_naming_a_person_leaves_the_lower_titles_what_they_name() -> None:
    """"出资人（负责人）" over 姓名/民族/文化程度/政治面目: only the name column is the person; the others say
    something of that person (民族, 文化程度 have no field; 政治面目 is the political status)."""
    rows = [["序号", "单位全称", "出资人（负责人）", None, None, None],
            [None, None, "姓名", "民族", "文化程度", "政治面目"],
            [1, "清河县宏达机械有限公司", "张建国", "汉族", "本科", "中共党员"],
            [2, "清河县富康建材厂", "李红", "回族", "大专", "群众"],
            [3, "清河县老街饭店", "王平", "汉族", "高中", "群众"]]
    g = detect_header("members", rows, ["A1:A2", "B1:B2", "C1:F1"])
    assert g is not None
    assert g.mapping[2] in ("rep_name", "legal_rep")
    assert g.mapping[5] == "rep_political_status"
    assert {3, 4} <= set(g.unmapped)


def test_group_titles_over_every_column_are_the_upper_header_level() -> None:
    """"走访对象" over 企业名称/联系人/电话 and "走访情况" over 时间/方式/人员/内容, merged, with no column
    left single-level: the row is the upper level, and it says whose each lower title is — the contact
    under 走访对象 is the enterprise's own, not who visited."""
    rows = [["XX县工商联走访企业登记表"] + [None] * 6,
            ["走访对象", None, None, "走访情况", None, None, None],
            ["企业名称", "联系人", "电话", "时间", "方式", "人员", "内容"],
            ["清河县宏达机械有限公司", "张建国", "13800138000", "2025.3.8", "上门走访", "王平", "了解用工需求"],
            ["清河县富康建材厂", "李红", "13912345678", "2025.4.2", "电话", "赵丽", "融资难"],
            ["清河县老街饭店", "孙伟", "15833331111", "2025.5.6", "座谈", "王平", "房租上涨"]]
    g = detect_header("contacts", rows, ["A1:G1", "A2:C2", "D2:G2"])
    assert g is not None and (g.first_row, g.last_row) == (1, 2)
    assert g.mapping[0] == "member" and g.mapping[5] == "by_whom" and g.mapping[3] == "date"
    assert 1 in g.unmapped


def test_a_sheet_title_merged_across_the_whole_width_is_no_header_level() -> None:
    rows = [["XX县工商联会员企业花名册", None, None],
            ["企业名称", "法定代表人", "联系电话"],
            ["清河县宏达机械有限公司", "张建国", "13800138000"],
            ["清河县富康建材厂", "李红", "13912345678"]]
    g = detect_header("members", rows, ["A1:C1"])
    assert g is not None and (g.first_row, g.last_row) == (1, 1)


@pytest.mark.parametrize(("kind", "title", "cells", "field"), [
    ("members", "Company Name", "org", "enterprise_name"), ("members", "Legal Representative", "person", "legal_rep"),
    ("members", "Mobile", "phone", "rep_phone"), ("members", "JoinDate", "date", "join_date"),
    ("members", "Registered Capital (RMB 10k)", "money", "registered_capital"), ("members", "No. of Employees", "count", "employee_count"),
    ("members", "Contact Person", "person", "rep_name"), ("members", "Remarks", "long", "notes"),
    ("members", "E-mail", "email", CUSTOM), ("members", "No.", "count", IGNORE),
    ("meetings", "Venue", "place", "place"), ("meetings", "Agenda", "long", "agenda"),
    ("activities", "Participants", "count", "participant_count"), ("contacts", "Visitor", "person", "by_whom"),
])
def test_a_title_in_english_alone_reads_as_the_chinese_it_stands_for(kind: str, title: str, cells: str, field: str) -> None:
    """System exports and bilingual sheets of chambers with members from Hong Kong, Macao and abroad."""
    assert _landing(kind, title, cells, field) == field


def test_a_lower_row_of_titles_with_units_is_a_header_level_not_a_line_of_units() -> None:
    """"帮扶成效" over 帮扶资金投入（万元）/受益户（户）: each lower cell is a title with its unit, not a unit."""
    rows = [["序号", "组织推动商会", "结对帮扶项目", "帮扶方式", "结对签约时间", "帮扶成效", None, None],
            [None, None, None, None, None, "帮扶资金投入（万元）", "受益户（户）", "带动就业（人）"],
            [1, "城关镇商会", "羊绒分梳扶贫车间", "产业帮扶", "2025.3.10", 45, 38, 26],
            [2, "建筑业商会", "村集体光伏项目", "产业帮扶", "2025.3.10", 60, 112, 0],
            [3, "城关镇商会", "助学", "结对帮扶", "2025.4.2", 5, 12, 0]]
    g = detect_header("activities", rows, ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "F1:H1"])
    assert g is not None and (g.first_row, g.last_row) == (0, 1)
    assert g.mapping[5] == "amount" and g.mapping[3] == "category"


def test_a_data_row_of_a_csv_is_no_second_header_level() -> None:
    """A CSV gives every cell as text ("128", "2023-03-08"): a blank cell in the first data row does not
    make it a lower header level."""
    rows = [["组织名称", "活动分类", "举办时间", "活动标题", "参与人数", "金额(元)"],
            ["城关镇商会", "文体活动", "2023-03-08", "会员企业职工趣味运动会", "128", None],
            ["建筑业商会", "商会交流", "2023-04-12", "与兄弟商会交流座谈", "108", "5000"]]
    g = detect_header("activities", rows)
    assert g is not None and (g.first_row, g.last_row) == (0, 0)


def test_a_statistics_forms_line_of_units_is_part_of_the_header_and_explains_its_codes() -> None:
    rows = [["表号：QL-GSL-02", None, None, None, "统计时点：2025年12月31日"],
            ["单位详细名称", "会所使用面积", "全年经费总收入", "项目归类", "是否为县工商联团体会员"],
            ["计量单位", "㎡", "万元", "代码", "是=1 否=0"],
            ["清河县城关镇商会", 90, 2, 1, 1],
            ["清河县建筑业商会", 0, 10.8, 2, 0],
            ["清河县湖南商会", 60, 5, 1, 1]]
    g = detect_header("chambers", rows)
    assert g is not None and (g.first_row, g.last_row) == (1, 2)
    assert g.mapping[1] == "office_area" and g.mapping[2] == "annual_funds" and g.mapping[4] == "is_group_member"
    assert 3 in g.unmapped  # codes with no legend: kept as they are, never counted as an amount
    assert g.legends[4] == {"1": "是", "0": "否"}


def test_a_data_row_with_title_like_words_is_never_taken_for_the_header() -> None:
    """A CSV gives every cell as text; a data row naming 理事单位, 副会长单位 … still holds dates, codes and
    phone numbers, so it is no header (taking it would lose the rows above it)."""
    from chamberdesk.io.mappings import _data_like

    assert _data_like(["SXGSL-2025-001", "清河县宏达机械有限公司", "理事单位", "2025-3-8", "13800138000"])
    assert _data_like(["1", "城关镇商会", "25"]) and not _data_like(["序号", "企业名称", "入会时间（2025年）"])
    rows = [["会员证发放登记簿"], [],
            ["证书编号", "会员单位", "会员级别", "发证日期", "领证人"],
            ["SXGSL-2025-001", "清河县宏达机械有限公司", "理事单位", "2025-3-8", "张建国"],
            ["SXGSL-2025-002", "清河县富康建材厂", "副会长单位", "2025-3-9", "李红"],
            ["SXGSL-2025-003", "清河县老街饭店", "会员单位", "2025-3-10", "王平"]]
    g = detect_header("members", rows)
    assert g is not None and g.first_row == 2
