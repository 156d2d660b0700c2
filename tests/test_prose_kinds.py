"""Kinds of prose that gave wrong numbers, end to end, with the rule tagger and with the default one.

Each input is invented (a probe of wordings from other provinces and levels, 2026-11-30), short, and
stands for a kind: a hotline number, a part of the year, the subunits' figure, reviews of other
matters, fees and funding that are not the disclosure work's. `None` means the field must be absent:
the text does not state it, and a gap is better than a wrong number.
"""

from __future__ import annotations

import pytest

from inference.pipeline import predict_raw
from inference.read import RawReport
from inference.taggers import TaggerSpec, load_tagger_from_spec

COUNTY_2016 = "某县人民政府2016年政府信息公开工作年度报告\n"
DISTRICT_2023 = "某区人民政府2023年政府信息公开工作年度报告\n"

KINDS = {
    "a hotline's number is no count": (
        COUNTY_2016 + "依托12366热线解答群众咨询。全年接受咨询48人次。",
        {"consultations.total": 48},
    ),
    "a residual 其他 without the answers' other parts": (
        COUNTY_2016 + "全年受理申请40件，其中涉及拆迁的25件，其他15件。",
        {"applications.new.total": 40, "applications.answered.other": None},
    ),
    "其他 inside an applicant type": (
        COUNTY_2016 + "全年受理申请10件，其中公民申请8件，其他组织申请2件。",
        {"applications.new.total": 10, "applications.answered.other": None},
    ),
    "the answers' 其他 beside its siblings stays": (
        COUNTY_2016 + "全年受理申请10件，其中同意公开7件，不予公开1件，其他2件。",
        {"applications.answered.granted": 7, "applications.answered.other": 2},
    ),
    "half-years are parts of the year": (
        COUNTY_2016 + "上半年受理申请3件，下半年受理5件。",
        {"applications.new.total": None},
    ),
    "the townships' figure is a part": (
        COUNTY_2016 + "乡镇受理申请8件，全县合计受理申请35件。",
        {"applications.new.total": 35},
    ),
    "the subordinate units' figure is a part": (
        "某县教育局2016年政府信息公开工作年度报告\n"
        "局属单位共主动公开信息1,560条；局机关本级主动公开信息420条。",
        {"proactive.total": 420},
    ),
    "a bureau's own figure beside its county's": (
        "某县教育局2016年政府信息公开工作年度报告\n全县共受理政府信息公开申请200件，其中本局受理18件。",
        {"applications.new.total": 18},
    ),
    "a bureau's own figure before its county's": (
        "某县教育局2016年政府信息公开工作年度报告\n本局全年主动公开信息120条，全县教育系统共公开信息860条。",
        {"proactive.total": 120},
    ),
    "a county's own level is a part of the county": (
        COUNTY_2016 + "全县共受理政府信息公开申请200件，其中县本级受理18件。",
        {"applications.new.total": 200},
    ),
    "a county government's own level is no channel": (
        "某县人民政府2016年政府信息公开工作年度报告\n"
        "2016年，全县共主动公开政府信息8650条，其中县政府本级主动公开政府信息1250条。",
        {"proactive.total": 8650, "proactive.channel.website": None},
    ),
    "a bare order of magnitude is no number": (
        COUNTY_2016 + "全年接待群众咨询数千人次，主动公开信息上百条。",
        {"consultations.total": None, "proactive.total": None},
    ),
    "two numerals side by side are a few": (
        COUNTY_2016 + "举办培训班七八次，召开专题会议两三次。",
        {"training.sessions": None, "meetings.total": None},
    ),
    "N余 is still its number": (COUNTY_2016 + "全年接待群众咨询千余人次。", {"consultations.total": 1000}),
    "a bound is no figure": (
        COUNTY_2016 + "按照工作目标，全年应主动公开政府信息不少于300条；受理申请不足10件。",
        {"proactive.total": None, "applications.new.total": None},
    ),
    "an ordinal is no count": (
        COUNTY_2016 + "举办第5期政务公开培训班，全年共举办培训班3期。",
        {"training.sessions": 3},
    ),
    "several years together are no year's figure": (
        COUNTY_2016 + "近三年来，我县共主动公开政府信息2,870条。2014年至2016年，累计受理申请45件。",
        {"proactive.total": None, "applications.new.total": None},
    ),
    "the five-year plan's period is no year": (
        "某市人民政府2020年政府信息公开工作年度报告\n“十三五”期间，全市共主动公开政府信息6.8万条。",
        {"proactive.total": None},
    ),
    "将 before a deed is a plan": (
        COUNTY_2016 + "针对上述问题，我局将组织开展业务培训4次。",
        {"training.sessions": None},
    ),
    "a grouped change figure stays a change": (
        COUNTY_2016 + "全年受理政府信息公开申请1,024件，比上年增加1,003件。",
        {"applications.new.total": 1024},
    ),
    "new and carried-over applications together are not the new ones": (
        "某县人民政府2020年政府信息公开工作年度报告\n"
        "2020年共收到政府信息公开申请45件，其中本年新收42件，上年结转3件。",
        {"applications.new.total": 42, "applications.carried_over.total": 3},
    ),
    "a department's own figure after its county's sentence": (
        "某县教育局2017年政府信息公开工作年度报告\n"
        "全县各部门2017年共受理政府信息公开申请213件。本局全年收到信息公开申请6件。",
        {"applications.new.total": 6},
    ),
    "a department's own figure after a higher office's": (
        "某市教育局2015年政府信息公开工作年度报告\n"
        "省政府办公厅本年度共受理政府信息公开申请1,124件。我局共受理政府信息公开申请28件。",
        {"applications.new.total": 28},
    ),
    "a division's subject carries through its sentence": (
        "某市自然资源和规划局2025年政府信息公开工作年度报告\n"
        "全市自然资源和规划系统举办培训14期，培训1,360人次，其中局机关举办培训3期，培训185人次。",
        {"training.sessions": 3, "training.participants": 185},
    ),
    "a zone's city is wider than the zone": (
        "某经济技术开发区管理委员会2017年政府信息公开工作年度报告\n"
        "全市2017年共主动公开政府信息4.2万条。全区全年主动公开政府信息1,942条。",
        {"proactive.total": 1942},
    ),
    "subunits counted by number are subunits": (
        "某县水利局2010年政府信息公开工作年度报告\n下属3个事业单位共公开各类信息520条。我局全年主动公开政府信息164条。",
        {"proactive.total": 164},
    ),
    "a number of villages is no consultations": (
        "某县某镇人民政府2019年政府信息公开工作年度报告\n"
        "所辖14个行政村共接待村民咨询2,100人次；镇党政办接受政府信息公开咨询52人次。",
        {"consultations.total": 52},
    ),
    "a plan's sentence stays a plan after its first clause": (
        COUNTY_2016 + "针对上述问题，我局将组织开展业务培训4次，培训干部职工60人次，并确保召开专题会议3次。",
        {"training.sessions": None, "training.participants": None, "meetings.total": None},
    ),
    "a change in a clause of its own is no figure": (
        COUNTY_2016 + "全年主动公开政府信息3,884条，增加674条。接受咨询1,120人次，增长了230人次。",
        {"proactive.total": 3884, "consultations.total": 1120},
    ),
    "a year compared with scopes nothing after it": (
        COUNTY_2016 + "受理政府信息公开申请38件，比2015年增加15件；其中网上申请26件，当面申请12件。",
        {
            "applications.new.total": 38,
            "applications.channel.online": 26,
            "applications.channel.in_person": 12,
        },
    ),
    "an old table's label before a 汉字 number is prose, not a blank row": (
        "某县统计局2014年政府信息公开工作年度报告\n依申请公开信息收取的费用三十元。其中主动公开规范性文件数十二条。",
        {"fees.collected": 30, "proactive.normative_docs": 12},
    ),
    "a note on a table gives no field": (
        DISTRICT_2023 + "注：表中行政诉讼数据含上年度结转至本年度审理的案件1件。",
        {"litigation.total": None},
    ),
    "digits mixed with scales are one number": (
        COUNTY_2016 + "全年主动公开政府信息1万2千条，工作经费2万3千元。",
        {"proactive.total": 12000, "funding.total": 23000},
    ),
    "a gazette's issues are no items": (
        COUNTY_2016 + "政府公报全年出版12期。",
        {"proactive.channel.gazette": None},
    ),
    "为零 after its thing states none": (
        COUNTY_2016 + "依申请公开收取费用为零。行政复议案件为零。",
        {"fees.collected": 0, "review.total": 0},
    ),
    "a county's own level before its whole is a part": (
        COUNTY_2016 + "2016年，县本级主动公开政府信息1,250条，全县合计主动公开政府信息5,630条。"
        "县政府本级受理政府信息公开申请10件，各乡镇受理6件，全县合计受理申请16件。",
        {"proactive.total": 5630, "applications.new.total": 16},
    ),
    "a street office's own figure beside the district office's": (
        "某区某街道办事处2023年政府信息公开工作年度报告\n"
        "区政务公开办全年举办培训12期，街道派员参加4期；街道自行组织培训2期。",
        {"training.sessions": 2},
    ),
    "a city's own figure beside its province's, wherever the issuer's name resolves": (
        "长丰市人民政府2019年政府信息公开工作年度报告\n"
        "2019年，全省主动公开政府信息逾120万条，我市主动公开政府信息65310条。"
        "据统计，全省各级行政机关共受理政府信息公开申请86420件；本年度，我市共新收政府信息公开申请1268件。",
        {"proactive.total": 65310, "applications.new.total": 1268},
    ),
    "an office's own none beside its county's figures": (
        "清源县人民政府办公室2018年政府信息公开工作年度报告\n"
        "四、行政复议和行政诉讼情况\n"
        "本办公室未发生因政府信息公开引起的行政复议和行政诉讼。全县共发生相关行政复议5件、行政诉讼2件。",
        {"review.total": 0, "litigation.total": 0},
    ),
    "one kind of applicant is a part": (
        "某县交通运输局2010年政府信息公开工作年度报告\n公民申请34件，法人和其他组织申请6件。",
        {"applications.new.total": None},
    ),
    "every kind of applicant is the whole": (
        "某县交通运输局2010年政府信息公开工作年度报告\n全年共受理公民、法人和其他组织申请40件。",
        {"applications.new.total": 40},
    ),
    "a total with the carried-over ones in it is not the new ones": (
        "某县交通运输局2010年政府信息公开工作年度报告\n全年处理申请25件（含上年结转3件）。",
        {"applications.new.total": None},
    ),
    "a count for each unit is no total": (
        COUNTY_2016 + "县档案馆和县图书馆各设立政府信息查阅点1个。",
        {"staff.reading_points": None},
    ),
    "the applicant is not the applications": (
        "某县交通运输局2010年政府信息公开工作年度报告\n行政复议3件，其中维持2件，1件因申请人撤回而终止。",
        {"review.total": 3, "review.upheld": 2, "applications.new.total": None},
    ),
    "parts before their closing total are parts": (
        COUNTY_2016 + "收取邮寄费24元，复印费36元，合计60元。",
        {"fees.collected": 60},
    ),
    "the streets' figure alone is no total": (
        DISTRICT_2023 + "各街道共发布信息3,400条。",
        {"proactive.total": None},
    ),
    "the whole county's departments are the whole": (
        COUNTY_2016 + "全县各级各部门主动公开政府信息共计1418条。",
        {"proactive.total": 1418},
    ),
    "two figures of one total side by side are parts": (
        COUNTY_2016 + "现场咨询500人次，电话咨询400人次。",
        {"consultations.total": None},
    ),
    "专兼职 staff are all the staff": (
        COUNTY_2016 + "共有专兼职工作人员96名。",
        {"staff.total": 96, "staff.part_time": None, "staff.full_time": None},
    ),
    "public spending is no disclosure funding": (
        COUNTY_2016 + "财政支出35.6亿元。政府信息公开工作经费8万元。",
        {"funding.total": 80000},
    ),
    "administrative fees are no disclosure fees": (
        DISTRICT_2023 + "本年度未收取信息处理费。行政事业性收费金额为36.5万元。",
        {"fees.collected": 0},
    ),
    "reviews of all matters, then the disclosure ones": (
        COUNTY_2016 + "行政复议案件共7件，其中涉及政府信息公开的2件。",
        {"review.total": 2},
    ),
    "a justice bureau's own review work": (
        "某县司法局2021年政府信息公开工作年度报告\n"
        "全年办理行政复议案件86件。本机关未发生因政府信息公开被申请行政复议的情况。",
        {"review.total": 0},
    ),
    "no special funds is no statement about fees": (
        COUNTY_2016 + "本年度共支出网站建设费用12万元，无专项经费。",
        {"fees.collected": None},
    ),
    "a table of disclosed items by kind": (
        "某局2022年政府信息公开工作年度报告\n全年主动公开政府信息1200条，分类如下表：\n"
        "公开类别\t公开条数\n机构职能\t10\n人员编制\t23\n工作会议\t18\n投诉举报\t27\n依申请公开\t32\n",
        {
            "proactive.total": 1200,
            "staff.offices": None,
            "staff.total": None,
            "meetings.total": None,
            "complaints.total": None,
            "applications.new.total": None,
        },
    ),
    "the ends of a range are no counts": (
        COUNTY_2016 + "申请答复时间一般在3至5个工作日。举办培训班4期，每期参训20至30人。",
        {"applications.answered.total": None, "training.participants": None, "training.sessions": 4},
    ),
    "a wider body's figure first is not the city's": (
        "合肥市人民政府2019年政府信息公开工作年度报告\n"
        "全省共受理政府信息公开申请86420件；我市共新收政府信息公开申请1268件。",
        {"applications.new.total": 1268},
    ),
    "the city's figure is not the district's": (
        "北京市东城区人民政府2016年政府信息公开工作年度报告\n全市召开新闻发布会45场。我区召开新闻发布会6场。",
        {"responses.press_conferences": 6},
    ),
    "a county-level city's 全市 is its own": (
        "荣成市人民政府2016年政府信息公开工作年度报告\n全市召开新闻发布会45场。全省召开新闻发布会600场。",
        {"responses.press_conferences": 45},
    ),
    "a summary table's this-year column, not last year's nor the change": (
        DISTRICT_2023
        + "主要数据对比如下：\n指标\t上年\t本年\t增减\n主动公开政府信息（条）\t310\t362\t52\n"
        + "接受群众咨询（人次）\t95\t88\t-7\n举办业务培训（次）\t4\t6\t2\n参训人员（人次）\t120\t150\t30\n"
        + "二、主动公开政府信息情况\n",
        {
            "proactive.total": 362,
            "consultations.total": 88,
            "training.sessions": 6,
            "training.participants": 150,
        },
    ),
    "a summary table of two years takes the report's year": (
        DISTRICT_2023 + "项目 | 2022年 | 2023年\n主动公开政府信息（条） | 412 | 455\n",
        {"proactive.total": 455},
    ),
    "a summary table of other years gives nothing": (
        DISTRICT_2023 + "项目 | 2020年 | 2021年\n主动公开政府信息（条） | 412 | 455\n",
        {"proactive.total": None},
    ),
    "figures quoted from another body's report are not the issuer's": (
        "某市交通运输局2022年政府信息公开工作年度报告\n"
        "引自《某市人民政府2022年政府信息公开工作年度报告》，全市共主动公开政府信息52310条。\n"
        "我局全年主动公开政府信息846条。",
        {"proactive.total": 846},
    ),
    "citing a rule is no quotation": (
        COUNTY_2016 + "根据《中华人民共和国政府信息公开条例》要求，全年共主动公开政府信息1520条。",
        {"proactive.total": 1520},
    ),
    "专职、兼职人员分别为 pairs the staff in order": (
        COUNTY_2016 + "县政府办公室从事政府信息公开工作的专职、兼职人员分别为3人、5人。",
        {"staff.full_time": 3, "staff.part_time": 5},
    ),
    "since the Regulations took effect is the year itself in 2008": (
        "某市商务局2008年政府信息公开工作年度报告\n自《条例》施行以来，我局共主动公开政府信息536条。",
        {"proactive.total": 536},
    ),
    "since the Regulations took effect is a running total after 2008": (
        "某市商务局2010年政府信息公开工作年度报告\n自《条例》施行以来，我局共主动公开政府信息2536条。",
        {"proactive.total": None},
    ),
    "referred to another department is not this agency's": (
        COUNTY_2016 + "全年受理申请10件，其中同意公开8件，告知申请人向有关部门申请的2件。",
        {"applications.answered.granted": 8, "applications.answered.not_this_agency": 2},
    ),
    "尚在审理 is pending": (
        COUNTY_2016 + "全年涉及政府信息公开的行政复议6件，其中维持4件，纠正1件，尚在审理1件。",
        {"review.total": 6, "review.upheld": 4, "review.corrected": 1, "review.pending": 1},
    ),
    "answers counted in 件次 as the requests are": (
        "某区司法局2011年政府信息公开工作年度报告\n全年受理申请12件次，按答复类型分：同意公开7件次；"
        "同意部分公开2件次；不同意公开1件次；信息不存在2件次。",
        {
            "applications.answered.granted": 7,
            "applications.answered.partial": 2,
            "applications.answered.refused": 1,
            "applications.answered.nonexistent": 2,
        },
    ),
    "a list of bracketed counts: each is its item's": (
        "某县水利局2011年政府信息公开工作年度报告\n全年收到申请21件：网上（12件）、当面（6件）、信函（3件）。"
        "办理结果：同意公开（15件）；信息不存在（4件）；不属于本委职责（2件）。",
        {
            "applications.new.total": 21,
            "applications.channel.online": 12,
            "applications.channel.in_person": 6,
            "applications.channel.letter": 3,
            "applications.answered.granted": 15,
            "applications.answered.nonexistent": 4,
            "applications.answered.not_this_agency": 2,
        },
    ),
    "a bracketed reason names the part the count is of": (
        COUNTY_2016 + "全年受理申请9件，其中同意公开6件，不予公开1件（属于国家秘密），"
        "不同意公开2件（涉及商业秘密、个人隐私）。",
        {
            "applications.answered.refused_state_secret": 1,
            "applications.answered.refused_commercial_secret": None,  # two reasons: whose is which?
            "applications.answered.refused_privacy": None,
        },
    ),
    "all the cases had one outcome": (
        COUNTY_2016 + "被申请行政复议4件，均维持原答复；被提起行政诉讼1件，法院判决驳回原告诉讼请求。",
        {"review.total": 4, "review.upheld": 4, "litigation.total": 1, "litigation.upheld": 1},
    ),
    "an outcome not said of all the cases, or of the case withdrawn, or of the other family": (
        COUNTY_2016 + "被申请行政复议3件，复议机关维持原答复。行政诉讼2件，当事人均已撤销诉讼。"
        "行政复议、行政诉讼各1件，复议机关维持原答复，诉讼尚在审理中。",
        {"review.upheld": None, "litigation.corrected": None, "litigation.upheld": None},
    ),
    "disclosure consultations that came by a hotline are the disclosure's": (
        COUNTY_2016 + "全年通过12345政务服务热线接受政府信息公开咨询860人次。",
        {"consultations.total": 860},
    ),
    "... and those named 信息公开方面的咨询": (
        COUNTY_2016 + "县政府12345热线全年接受政府信息公开方面的咨询1,240人次。",
        {"consultations.total": 1240},
    ),
    "a hotline's consultations of every kind are not": (
        COUNTY_2016 + "12345热线全年受理群众咨询5000人次。",
        {"consultations.total": None},
    ),
    "the province portal's figure beside the bureau's own, named before its 其中": (
        "某市教育局2015年政府信息公开工作年度报告\n湖北省政府门户网站全年发布各类政务信息3.2万条。"
        "我局全年主动公开政府信息876条，其中通过局门户网站公开812条。",
        {"proactive.total": 876, "proactive.channel.website": 812},
    ),
    "a county government's website the township posts on is its channel, not another body": (
        "某县某镇人民政府2016年政府信息公开工作年度报告\n镇政府主动公开政府信息96条，"
        "其中通过镇政务公开栏公开74条，通过县政府网站公开22条。",
        {"proactive.total": 96, "proactive.channel.website": 22},
    ),
    "a summary table comparing years, its change column headed 同比增减": (
        "某市人民政府2021年政府信息公开工作年度报告\n主要数据如下：\n项目\t2021年\t2020年\t同比增减\n"
        "政策解读（篇）\t30\t25\t+5\n新收政府信息公开申请数（件）\t61\t70\t-9\n",
        {"responses.interpretations": 30, "applications.new.total": 61},
    ),
    "a clause that only counts takes the words of the clause before it": (
        "某县交通局2010年政府信息公开工作年度报告\n全年受理申请50件，其中网上申请占总数的70%，计35件；"
        "当面申请最多的一类之外，还有以信函方式提交的，有15件。",
        {"applications.new.total": 50, "applications.channel.online": 35, "applications.channel.letter": 15},
    ),
    "a case withdrawn (撤回申请) counts no applications": (
        "某市市场监督管理局2012年政府信息公开工作年度报告\n因政府信息公开引发行政复议3件，其中2件复议机关维持原答复，"
        "1件申请人撤回申请。",
        {"review.total": 3, "applications.new.total": None},
    ),
    "refusals for another law's reason and requests to complete the application": (
        "某县林业局2011年政府信息公开工作年度报告\n全年受理申请9件，其中同意公开5件，不同意公开2件，"
        "均属于法律法规规定不予公开的其他情形；要求申请人补充说明申请内容的2件。",
        {
            "applications.answered.refused": 2,
            "applications.answered.refused_other_law": 2,  # said of all: `均属于…`
            "applications.answered.correction": 2,
        },
    ),
    "subunits the issuer trained are whom it served, not the figure's scope": (
        COUNTY_2016
        + "举办业务培训班3期，培训各乡镇、部门信息员210人次。乡镇受理申请8件，全县合计受理申请35件。",
        {"training.sessions": 3, "training.participants": 210, "applications.new.total": 35},
    ),
    "hot topics answered and events answered on Weibo, in other words": (
        "某市交通运输局2014年政府信息公开工作年度报告\n全年回应社会关注热点问题12个，通过政务微博回应网民关切事件30次。",
        {"responses.hot_topics": 12, "responses.weibo_wechat": 30},
    ),
    "a total whose bracket says all of it are one part counts that part": (
        COUNTY_2016 + "县政务公开办现有工作人员4名（均为兼职）。全年受理申请6件（均为网上提交），"
        "另有咨询20人次（均已答复）。",
        {
            "staff.total": 4,
            "staff.part_time": 4,
            "applications.new.total": 6,
            "applications.channel.online": 6,
            "consultations.total": 20,
        },
    ),
    "a bracketed count on a noun the clause goes on about stays an aside": (
        COUNTY_2016 + "开通政务微信公众号（2个）发布信息180条。",
        {"proactive.channel.wechat": 180},
    ),
    "a bare none under a heading that names what it is about": (
        COUNTY_2016 + "四、因政府信息公开申请行政复议、提起行政诉讼的情况\n本年度，我局未发生此类情况。\n"
        "五、政府信息公开的收费及减免情况\n无。\n六、其他需要报告的事项\n无。",
        {"review.total": 0, "litigation.total": 0, "fees.collected": 0, "applications.new.total": None},
    ),
    "a bare none under a heading run into the body on one line": (
        COUNTY_2016 + "四、行政复议、行政诉讼情况 本年度无。 五、存在的问题 暂无。",
        {"review.total": 0, "litigation.total": 0},
    ),
    "a none after a colon, the things named before it": (
        COUNTY_2016 + "本年度我委涉及政府信息公开的行政复议、行政诉讼、申诉：无。",
        {"review.total": 0, "litigation.total": 0, "complaints.total": 0},
    ),
    "a zero for a list of numbers of things (…数、…数和…数均为0)": (
        COUNTY_2016 + "本年度，我局因政府信息公开被申请行政复议数、提起行政诉讼数和举报投诉数均为0。",
        {"review.total": 0, "litigation.total": 0, "complaints.total": 0},
    ),
    "a clause that only says none, the things named in the clause before it": (
        COUNTY_2016
        + "涉及本局的行政复议、行政诉讼，本年度数量均为0。对本局信息公开工作的投诉举报方面，同样为零。",
        {"review.total": 0, "litigation.total": 0, "complaints.total": 0},
    ),
    "a clause with a count of its own is no list for a none after it": (
        COUNTY_2016 + "全年受理行政复议申请2件，均未发生诉讼。收到举报3件，均为0。",
        {"review.total": 2, "litigation.total": 0, "complaints.total": 3},
    ),
    "a clause that only says none, after a list joined by 以及": (
        COUNTY_2016 + "本局收到的行政复议申请、被提起的行政诉讼以及有关信息公开的投诉举报，数量都是零。",
        {"review.total": 0, "litigation.total": 0, "complaints.total": 0},
    ),
    "outcome words that label the next count are no outcome of all": (
        COUNTY_2016 + "全年共收到行政复议3件（均已审结，维持2件、撤销1件）。",
        {"review.total": 3, "review.upheld": 2, "review.corrected": 1},
    ),
    "a breakdown naming proactive disclosure after a count of all items published": (
        COUNTY_2016 + "全年累计发布信息815条，其中主动公开政府信息604条。",
        {"proactive.total": 604},
    ),
    "a thing named as an example (…解读等信息) is not what is counted": (
        COUNTY_2016 + "在微信公众号推送招生政策解读等信息655条。",
        {"proactive.channel.wechat": 655, "responses.interpretations": None},
    ),
    "after a semicolon a breakdown reads its own subject": (
        COUNTY_2016
        + "行政复议11件，其中维持8件，纠错2件，其他1件；行政诉讼6件，其中法院维持4件，尚在审理2件。",
        {"review.total": 11, "review.pending": None, "litigation.total": 6},
    ),
    "people counted as attending a training are its participants, not staff": (
        COUNTY_2016 + "全年举办业务培训1次，38名机关工作人员参加。",
        {"training.sessions": 1, "training.participants": 38, "staff.total": None},
    ),
    "trainings the issuer sent people to are not its own": (
        COUNTY_2016 + "全年召开信息公开专题工作会议4次，派员参加区级业务培训3次。",
        {"meetings.total": 4, "training.sessions": None},
    ),
    "figures 分别 of things the list does not name are no total": (
        COUNTY_2016 + "全年举办业务培训2次，参训人员分别为46人次和38人次。",
        {"training.sessions": 2, "training.participants": None},
    ),
    "a total opened before a colon, then its parts": (
        COUNTY_2016
        + "全年共接受信息公开咨询：现场咨询152人次，电话咨询96人次，网上咨询33人次。全年共公开信息：1200条。",
        {"consultations.total": None, "proactive.total": 1200},
    ),
    "figures said to be unrelated to the disclosure, and money saved": (
        COUNTY_2016
        + "中心另受理交易活动投诉27件，均依法处理完毕，与信息公开无关。全年交易节约资金12.3亿元。",
        {"complaints.total": None, "funding.total": None},
    ),
    "none of press conferences, online interviews or trainings held": (
        COUNTY_2016
        + "全年未召开新闻发布会，未开展在线访谈。本年度没有组织专题培训。全年没有参加新闻发布会。",
        {"responses.press_conferences": 0, "responses.online_interviews": 0, "training.sessions": 0},
    ),
    "a figure that includes the subunits (含…各部门) and trainees of them served": (
        "梅湖区人民政府2016年政府信息公开工作年度报告\n梅湖区人民政府（含区政府办公室及区直各部门）全年主动公开"
        "政府信息4,380条。举办政务公开业务培训2期，培训各乡镇和区直部门工作人员210人次。",
        {"proactive.total": 4380, "training.sessions": 2, "training.participants": 210},
    ),
    "meetings named as 推进会": (COUNTY_2016 + "召开政务公开工作推进会2次。", {"meetings.total": 2}),
    "meetings named as a body that studied the work": (
        COUNTY_2016 + "局党组全年专题研究政务公开工作3次。",
        {"meetings.total": 3},
    ),
    "the subordinate units counted by number (厅属28个事业单位) are subunits": (
        "某省人力资源和社会保障厅2017年政府信息公开工作年度报告\n"
        "厅属28个事业单位通过各自网站公开服务信息2,417条，未计入厅机关数据。",
        {"proactive.channel.website": None, "proactive.total": None},
    ),
    "one kind said of all the count, with or without a comma or a verb": (
        COUNTY_2016 + "全年受理申请6件，均通过网络提交，均予以公开。共有工作人员4人均为兼职。"
        "主动公开政府信息318条，全部在县政府门户网站发布。",
        {
            "applications.new.total": 6,
            "applications.channel.online": 6,
            "staff.part_time": 4,
            "proactive.channel.website": 318,
        },
    ),
    "answered and on time said of all are no further totals": (
        COUNTY_2016 + "全年受理申请8件，均已按时答复。",
        {
            "applications.new.total": 8,
            "applications.answered.total": None,
            "applications.answered.on_time": None,
        },
    ),
    "none of requests, the bare noun (无申请), and requests for a review are not requests": (
        COUNTY_2016 + "我镇2016年度无申请。未收到因政府信息公开提出的行政复议、行政诉讼和行政申诉的申请。",
        {"applications.new.total": 0, "review.total": 0, "litigation.total": 0, "complaints.total": 0},
    ),
    "a total counted as 总数 after the clauses that name what": (
        COUNTY_2016 + "年内，我局主动公开的各类政府信息，涵盖规划、预算、项目等方面，总数达到了745条。",
        {"proactive.total": 745},
    ),
    "figures grouped by thousands after labels whose unit is in a header": (
        DISTRICT_2023 + "本局主动公开各类信息（单位：条）：门户网站1,366，政务微博402，政务微信918。",
        {"proactive.channel.website": 1366, "proactive.channel.weibo": 402, "proactive.channel.wechat": 918},
    ),
    "none of meetings held, and a leading group's meetings": (
        COUNTY_2016 + "本年度未单独召开政务公开专题会议。",
        {"meetings.total": 0},
    ),
    "a leading group's meetings are meetings": (
        COUNTY_2016 + "召开政务公开领导小组会议2次。",
        {"meetings.total": 2},
    ),
    "累计 over what its sentence counted in another unit is this year's": (
        COUNTY_2016 + "开展政务公开培训4次，累计培训人数达316人次。全年公开信息300条，累计公开信息5万条。",
        {"training.sessions": 4, "training.participants": 316, "proactive.total": 300},
    ),
    "figures 分别 after a clause that lists the channels": (
        DISTRICT_2023 + "全年主动公开政府信息2,180条，分别通过区政府门户网站、微信公众号和政务微博发布，"
        "数量分别为1,207条、655条、318条。",
        {
            "proactive.total": 2180,
            "proactive.channel.website": 1207,
            "proactive.channel.wechat": 655,
            "proactive.channel.weibo": 318,
        },
    ),
    "posts 分别 after the accounts' counts": (
        DISTRICT_2023 + "区卫健局有政务微博账号1个、政务微信公众号2个，分别发布信息103条、328条。",
        {"proactive.channel.weibo": 103, "proactive.channel.wechat": 328},
    ),
    "a street office's community workstations are its subunits; its channels named 社区… are not": (
        "某街道办事处2014年政府信息公开工作年度报告\n全年接待群众咨询约300人次，社区工作站接待咨询1,100多人次。"
        "全年通过街道专栏、社区公告栏等途径主动公开信息94条。",
        {"consultations.total": 300, "proactive.total": 94},
    ),
    "a count said of each of several families is each one's": (
        COUNTY_2016 + "本年度因政府信息公开提起行政复议、行政诉讼各1件。",
        {"review.total": 1, "litigation.total": 1},
    ),
    "a count said of each of several channels is each one's, not their sum": (
        COUNTY_2016 + "全年受理申请12件，其中当面申请、网上申请各6件。通过政务微博、微信各发布信息30条。",
        {
            "applications.new.total": 12,
            "applications.channel.in_person": 6,
            "applications.channel.online": 6,
            "applications.channel.in_person+online": None,
            "proactive.channel.weibo": 30,
            "proactive.channel.wechat": 30,
            "proactive.channel.weibo+wechat": None,
        },
    ),
    # session 15's probes (converters, mirrors)
    "a count of an account opened in the clause before is that channel's": (
        DISTRICT_2023 + "全区主动公开政府信息812条。区政府开设“东湖发布”政务微信，发布信息96条。",
        {"proactive.total": 812, "proactive.channel.wechat": 96, "proactive.channel.weibo": None},
    ),
    "a count in a gazette the issuer publishes is the gazette's": (
        COUNTY_2016 + "全年主动公开政府信息三千余条，《东湖政报》全年出版6期，刊登政府文件41件。",
        {"proactive.channel.gazette": 41, "proactive.total": 3000},  # 三千余条: N余 is N (spec)
    ),
    "a year before a semicolon does not scope a running total after it": (
        DISTRICT_2023 + "全年通过门户网站公开信息480条；开设“东湖之声”公众号，累计推送信息1290条。",
        {"proactive.total": None},
    ),
    "the rest of a list named after its count": (
        COUNTY_2016
        + "全年受理政府信息公开申请9件，经审核，同意公开6件，另2件不属于本机关公开范围，其余1件不予公开。",
        {
            "applications.answered.granted": 6,
            "applications.answered.not_this_agency": 2,
            "applications.answered.refused": 1,
        },
    ),
    "a number a converter hyphenated over two lines gives no count": (
        DISTRICT_2023 + "全年主动公开政府信息12-\n06条，接待群众咨询1-\n86人次。",
        {"proactive.total": None, "consultations.total": None},
    ),
    "a count of the part after 含 is the part's, in brackets the whole's": (
        COUNTY_2016 + "全年受理申请28件，其中网络申请21件。注：网络申请含通过电子邮件提交的申请3件。"
        "办理结果：同意公开（含部分公开）20件。",
        {
            "applications.channel.online": 21,
            "applications.channel.email": 3,
            "applications.channel.online+email": None,
            "applications.answered.partial": None,
        },
    ),
    "items a website was updated with are published items": (
        COUNTY_2016 + "全年在县政府门户网站本局栏目更新信息745条。",
        {"proactive.channel.website": 745},
    ),
    "a leading group's meetings": (
        COUNTY_2016 + "县政务公开工作领导小组召开会议3次，研究部署重点工作。",
        {"meetings.total": 3},
    ),
    "trainings organised in 场次": (
        COUNTY_2016 + "全年组织业务培训5场次。",
        {"training.sessions": 5},
    ),
}


@pytest.fixture(scope="module", params=["rules", "rules+model"])
def tagger(request):
    return load_tagger_from_spec(TaggerSpec(kind=request.param))


@pytest.fixture(scope="module")
def results(tagger) -> dict[str, dict]:
    raws = [
        RawReport(source=name, text=text, encoding="utf-8", kind="txt") for name, (text, _) in KINDS.items()
    ]
    return {result.source: result.fields for result in predict_raw(raws, tagger)}


@pytest.mark.parametrize("kind", list(KINDS))
def test_prose_kind(results: dict[str, dict], kind: str) -> None:
    expected = KINDS[kind][1]
    got = {field: results[kind].get(field) for field in expected}
    assert got == expected, results[kind]


def test_every_family_word_is_a_regex_of_its_own() -> None:
    """Negation words are regexes and `names_its_family` searches each word alone: a `|` inside a
    group would split one into broken pieces and fail a whole report's assembly (session 14)."""
    import re

    from inference.prose import _family_words

    for words in _family_words().values():
        for word in words:
            re.compile(word)
