"""The words offices use in their sheets, mapped to the app's coded values: data, not logic.

Each table maps a word (compared after half-width conversion and without spaces) to a value of a
`core.choices` enum. `WORDS_IN_TITLES` are searched inside longer texts ("第三届理事会第二次会议"),
longest word first, so "常务理事会" wins over "理事会". Add a wording here when an office's sheet
uses one the importer does not know yet; the importer reports every word it could not place.
"""

from __future__ import annotations

MEMBER_KIND = {"企业": "enterprise", "企业会员": "enterprise", "单位会员": "enterprise", "单位": "enterprise", "团体": "group",
               "团体会员": "group", "商会": "group", "协会": "group", "个人": "personal", "个人会员": "personal",
               "个体": "personal"}

SIZE_CLASS = {"规上": "above", "规模以上": "above", "规模以上企业": "above", "规上企业": "above", "限上": "above",
              "限额以上": "above", "大型": "above", "中小企业": "sme", "小微企业": "sme", "中小微": "sme", "小微": "sme",
              "中型": "sme", "小型": "sme", "微型": "sme", "规下": "sme", "规模以下": "sme", "限下": "sme",
              "个体": "individual", "个体户": "individual", "个体工商户": "individual",
              "大": "above", "中": "sme", "小": "sme", "微": "sme"}  # a 规模（大中小微） column's one-character answers

# Industries as offices write them (a trade, not the GB/T 4754 section): words inside the text, longest first.
INDUSTRY_WORDS = {
    "农业": "A", "林业": "A", "牧业": "A", "渔业": "A", "种植": "A", "养殖": "A", "农副": "A", "合作社": "A",
    "苗木": "A", "茶叶": "A", "采矿": "B", "矿业": "B", "石材开采": "B", "制造": "C", "加工": "C", "生产": "C",
    "机械": "C", "纺织": "C", "服装": "C", "化工": "C", "食品": "C", "医疗器械": "C", "电子": "C", "五金": "C",
    "家具": "C", "印刷": "C", "包装": "C", "建材": "C", "塑料": "C", "钢": "C", "汽配": "C", "制药": "C",
    "电力": "D", "燃气": "D", "供水": "D", "热力": "D", "光伏": "D", "新能源": "D", "建筑": "E", "装修": "E",
    "装饰": "E", "工程": "E", "安装": "E", "批发": "F", "零售": "F", "销售": "F", "商贸": "F", "贸易": "F",
    "超市": "F", "商场": "F", "商店": "F", "经销": "F", "运输": "G", "物流": "G", "仓储": "G", "快递": "G",
    "邮政": "G", "货运": "G", "住宿": "H", "酒店": "H", "宾馆": "H", "餐饮": "H", "饭店": "H", "软件": "I",
    "信息技术": "I", "网络": "I", "互联网": "I", "通信": "I", "电商": "I", "金融": "J", "银行": "J", "保险": "J",
    "担保": "J", "小贷": "J", "证券": "J", "房地产": "K", "物业": "K", "地产": "K", "租赁": "L", "商务服务": "L",
    "劳务": "L", "咨询": "L", "广告": "L", "人力资源": "L", "会展": "L", "旅行社": "L", "科研": "M", "技术服务": "M",
    "检测": "M", "设计": "M", "研发": "M", "环保": "N", "环境": "N", "水利": "N", "园林": "N", "绿化": "N",
    "家政": "O", "维修": "O", "修理": "O", "美容": "O", "美发": "O", "洗浴": "O", "居民服务": "O", "教育": "P",
    "学校": "P", "幼儿园": "P", "培训": "P", "卫生": "Q", "医疗": "Q", "医院": "Q", "诊所": "Q", "药店": "F",
    "养老": "Q", "文化": "R", "体育": "R", "娱乐": "R", "传媒": "R", "影视": "R", "出版": "R", "旅游": "R",
}

POLITICAL_STATUS = {"党员": "cpc", "中共": "cpc", "中共党员": "cpc", "共产党员": "cpc", "预备党员": "cpc_prob",
                    "中共预备党员": "cpc_prob", "团员": "cyl", "共青团员": "cyl", "民建": "cndca", "民建会员": "cndca",
                    "民革": "rcck", "民革党员": "rcck", "民盟": "cdl", "民盟盟员": "cdl", "民进": "capd",
                    "民进会员": "capd", "农工党": "cpwdp", "农工党党员": "cpwdp", "致公党": "czgp",
                    "致公党党员": "czgp", "九三学社": "js", "九三学社社员": "js", "台盟": "tdsgl", "台盟盟员": "tdsgl",
                    "无党派": "nonpartisan", "无党派人士": "nonpartisan", "无党派民主人士": "nonpartisan"}

CHAMBER_KIND = {"乡镇": "township", "镇商会": "township", "乡镇商会": "township", "基层商会": "township",
                "基层分会": "township", "街道": "subdistrict", "街道商会": "subdistrict", "行业": "industry",
                "行业商会": "industry", "行业协会": "industry", "同业公会": "industry", "协会": "industry",
                "异地": "nonlocal", "异地商会": "nonlocal", "楼宇": "building", "商圈": "building",
                "楼宇商会": "building", "商圈商会": "building", "园区商会": "building", "镇": "township", "乡": "township",
                "乡镇（街道）": "township"}

# A new chamber named only in a sheet (`--create-chambers`): its kind from words in the name, first hit wins.
CHAMBER_KIND_BY_NAME = (("街道", "subdistrict"), ("楼宇", "building"), ("商圈", "building"), ("园区", "building"),
                        ("镇", "township"), ("乡", "township"), ("行业", "industry"), ("协会", "industry"),
                        ("同业公会", "industry"), ("业商会", "industry"))

PARTY_ORG = {"独立": "own", "单独组建": "own", "独立组建": "own", "独立党支部": "own", "党支部": "own",
             "党总支": "own", "党委": "own", "已建立": "own", "已成立": "own", "有": "own", "是": "own",
             "联合": "joint", "联合组建": "joint", "联合党支部": "joint", "联合党组织": "joint",
             "联络员": "liaison", "党建联络员": "liaison", "党建指导员": "liaison", "党建联系人": "liaison",
             "指导员": "liaison", "联系人": "liaison", "无": "none", "没有": "none", "未建立": "none",
             "未成立": "none", "否": "none"}

# Meeting bodies inside full titles ("第三届理事会第二次会议", "2025年度会员大会", "会长办公会议").
MEETING_BODY_WORDS = {
    "会员代表大会": "general_assembly", "会员大会": "general_assembly", "代表大会": "general_assembly",
    "换届": "general_assembly", "选举大会": "general_assembly", "成立大会": "general_assembly",
    "常务理事会": "standing_council", "常务理事": "standing_council", "理事会": "council", "理事": "council",
    "会长办公会": "president_office", "会长会议": "president_office", "会长会": "president_office",
    "会长办公": "president_office", "监事会": "supervisory_board", "监事": "supervisory_board",
    "执委会": "executive_committee", "执行委员会": "executive_committee", "执委": "executive_committee",
    "常委会": "standing_committee", "常务委员会": "standing_committee", "常委": "standing_committee",
    "主席办公会": "chair_office", "主席会议": "chair_office", "主席会": "chair_office",
    "党组会": "party_group", "党组": "party_group",
}

# Activity kinds in the offices' own words; a word that contains one of these keys (longest first) maps too.
ACTIVITY_WORDS = {
    "理论学习": "theory_study", "政治学习": "theory_study", "政治理论": "theory_study", "学习": "theory_study",
    "党课": "theory_study", "党日": "theory_study", "主题教育": "ideals", "理想信念": "ideals", "红色教育": "ideals", "教育实践": "ideals",
    "宣传": "publicity", "宣讲": "publicity", "培训": "training", "讲座": "training", "研修": "training",
    "调研": "research", "调查": "research", "考察": "research", "提案": "policy_advice", "参政议政": "policy_advice",
    "建言": "policy_advice", "议政": "policy_advice", "光彩": "charity", "公益": "charity", "慈善": "charity",
    "捐赠": "charity", "捐款": "charity", "捐助": "charity", "助学": "charity", "扶贫": "charity", "慰问": "charity",
    "万企兴万村": "villages", "千企帮千村": "villages", "兴村": "villages", "帮村": "villages",
    "乡村振兴": "villages", "产业帮扶": "villages", "消费帮扶": "villages", "就业帮扶": "villages",
    "结对帮扶": "villages", "帮扶": "charity", "招商": "investment", "引资": "investment", "项目签约": "investment",
    "经贸": "trade", "展会": "trade", "博览会": "trade", "推介": "trade", "对接": "trade",
    "联谊": "chamber_exchange", "商会交流": "chamber_exchange", "交流": "chamber_exchange",
    "互访": "chamber_exchange", "法律": "legal", "维权": "legal", "法治": "legal", "普法": "legal",
    "调解": "mediation", "纠纷": "mediation", "政企": "gov_dialogue", "座谈": "gov_dialogue",
    "恳谈": "gov_dialogue", "银企": "gov_dialogue", "沟通": "gov_dialogue",
}

CONTACT_WAY = {"走访": "visit", "上门": "visit", "实地": "visit", "现场": "visit", "入企": "visit",
               "到企业": "visit", "电话": "phone", "通话": "phone", "微信": "wechat", "视频": "wechat",
               "短信": "other", "会议": "meeting", "座谈": "meeting", "邮件": "other", "书面": "other"}

# Positions: exact words first, then the first key contained in a longer title ("常务副会长" → 副会长).
POSITION_WORDS = {
    "会长": "president", "执行会长": "president", "名誉会长": "president", "理事长": "president",
    "副会长": "vice_president", "常务副会长": "vice_president", "执行副会长": "vice_president",
    "副理事长": "vice_president", "秘书长": "secretary_general", "专职秘书长": "secretary_general",
    "常务副秘书长": "deputy_secretary", "副秘书长": "deputy_secretary", "常务理事": "standing_director",
    "理事": "director", "监事长": "supervisor_chief", "监事会主席": "supervisor_chief", "监事": "supervisor",
    "会员": "member", "会员单位": "member", "成员": "member", "主席": "chair", "副主席": "vice_chair",
    "常委": "standing_committee", "常务委员": "standing_committee", "执委": "executive_committee",
    "执行委员": "executive_committee",
}

# yes/no as typed; a short word starting with one of PREFIX_* counts too ("已登记", "未年检").
TRUE_WORDS = {"是", "有", "√", "✓", "✔", "☑", "Y", "YES", "TRUE", "1", "合格", "基本合格", "优秀", "良好", "通过",
              "已登记", "专职", "对", "健全", "具备", "齐全", "完善", "到位", "专", "驻会"}
FALSE_WORDS = {"否", "无", "×", "✗", "✘", "☒", "N", "NO", "FALSE", "0", "不合格", "未通过", "未登记", "兼职",
               "没有", "错", "兼"}
PREFIX_TRUE = ("已", "有", "是")
PREFIX_FALSE = ("未", "无", "否", "没", "不", "还没", "尚未")

# The federation itself in an owner column: these words, or the federation's own name (with or
# without its county prefix).
FEDERATION_WORDS = ("本级", "本会", "本级工商联", "工商联", "县工商联", "区工商联", "市工商联", "总商会", "县总商会",
                    "区总商会", "工商联（总商会）", "工商联(总商会)", "县工商联（总商会）", "县工商联(总商会)")

# Endings a chamber's name is written with or without ("城关镇商会" = "城关镇分会" = "城关镇").
CHAMBER_SUFFIXES = ("同业公会", "联合会", "总会", "商会", "协会", "分会", "公会")

# A chamber's mark in a federation meeting's 签到表 (roll-call import, io/rollcall_sheet.py): one status column.
ATTENDANCE = {"出席": "present", "到": "present", "已到": "present", "到会": "present", "参加": "present",
              "签到": "present", "已签到": "present", "√": "present", "✓": "present", "✔": "present", "是": "present",
              "请假": "leave", "假": "leave", "已请假": "leave", "缺席": "absent", "未到": "absent", "缺": "absent",
              "无故缺席": "absent", "未参加": "absent", "未签到": "absent", "×": "absent", "✗": "absent", "否": "absent"}
