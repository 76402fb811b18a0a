# ruff: noqa: E501  (data: long Chinese sentences of legal texts and guides)
"""The 21 items transferred to the bureau (items.md), part two: 12–21."""

from __future__ import annotations

from typing import Any

from .common import (
    LEGAL_ID,
    LICENCE,
    PROXY,
    basis,
    bureau_chain,
    faq,
    fee,
    form,
    mat,
    proc,
    result,
    variant,
)
from .transferred_a import _simple

URBAN, LANDSCAPE, AGRI, WATER, CULTURE = (
    "dept-urban", "dept-landscape", "dept-agri", "dept-water", "dept-culture")
ROADS = "《城市道路管理条例》"
GREEN = "《城市绿化条例》"
HEARING_BASIS = "《中华人民共和国行政许可法》第四十七条"

ITEMS: list[dict[str, Any]] = [
    {
        "n": 12, "name": "占用、挖掘城市道路审批", "dept": URBAN, "head": "马俊峰",
        "bases": [
            basis(ROADS, "第三十一条",
                  "因特殊情况需要临时占用城市道路的，须经市政工程行政主管部门和公安交通管理部门批准，"
                  "方可按照规定占用。"),
            basis(ROADS, "第三十三条",
                  "因工程建设需要挖掘城市道路的，应当提交城市规划部门批准签发的文件和有关设计文件，"
                  "经市政工程行政主管部门和公安交通管理部门批准，方可按照规定挖掘。"),
        ],
        "statutory": None, "promised": 10,
        "conditions": "确因特殊情况或工程建设需要，占用、挖掘方案符合道路交通和市政设施安全要求。",
        "standard": f"{ROADS}第三十一条、第三十三条规定的条件。",
        "variants": [
            variant("01", "临时占用", [form("临时占用城市道路申请表"),
                                      mat("占用位置、面积和期限示意图", 1, 0), LEGAL_ID, PROXY],
                    bureau_chain(10)),
            variant("02", "挖掘", [form("挖掘城市道路申请表"), mat("规划部门批准文件", 0, 1),
                                  mat("施工设计文件及交通组织方案", 1, 0),
                                  mat("道路恢复承诺书", 1, 0), LICENCE, PROXY],
                    bureau_chain(10)),
        ],
        "procs": [proc("site_survey", 1, "现场勘查（不中止计时）")],
        "fees": [fee("城市道路占用费（每平方米每日）", "1.00", f"{ROADS}第三十七条"),
                 fee("城市道路挖掘修复费（每平方米）", "300.00", f"{ROADS}第三十七条")],
        "results": [result("占用、挖掘城市道路许可决定书", "approval", "按批准的占用、挖掘期限")],
        "faqs": [faq("紧急抢修地下管线来不及申请怎么办？",
                     "可先行破路抢修，同时通知市政工程行政主管部门和公安交通管理部门，并在24小时内补办批准手续。")],
        "depth": 3, "visits": 1,
    },
    {
        "n": 13, "name": "临时占用城市绿化用地审批", "dept": LANDSCAPE, "head": "吴红梅",
        "bases": [basis(GREEN, "第二十条",
                        "因建设或者其他特殊需要临时占用城市绿化用地，须经城市人民政府城市绿化行政主管部门同意，"
                        "并按照有关规定办理临时用地手续。")],
        "statutory": None, "promised": 10,
        "conditions": "确因建设或其他特殊需要临时占用，占用期限、面积合理，并承诺期满恢复原状。",
        "standard": f"{GREEN}第二十条规定的条件；占用期满恢复绿化的措施可行。",
        "variants": [variant("01", "申请", [form("临时占用城市绿化用地申请表"),
                                           mat("占用位置图及现状照片", 1, 0),
                                           mat("绿地恢复方案及承诺书", 1, 0), LEGAL_ID, PROXY],
                             bureau_chain(10))],
        "procs": [proc("site_survey", 1, "现场勘查（不中止计时）")],
        "results": [result("临时占用城市绿化用地许可决定书", "approval", "按批准的占用期限")],
        "faqs": [],
        "depth": 3, "visits": 1,
    },
    {
        "n": 14, "name": "砍伐城市树木、迁移古树名木审批", "dept": LANDSCAPE, "head": "吴红梅",
        "bases": [
            basis(GREEN, "第二十四条",
                  "砍伐城市树木，必须经城市人民政府城市绿化行政主管部门批准，并按照国家有关规定补植树木"
                  "或者采取其他补救措施。"),
            basis(GREEN, "第二十五条", "严禁砍伐或者迁移古树名木。因特殊需要迁移古树名木，必须经城市"
                                      "人民政府城市绿化行政主管部门审查同意，并报同级或者上级人民政府批准。"),
        ],
        "statutory": None, "promised": 10,
        "conditions": "树木确需砍伐或迁移（危及安全、病死、建设需要等），有补植或补救方案。",
        "standard": f"{GREEN}第二十四条、第二十五条规定的条件。",
        "variants": [
            variant("01", "砍伐城市树木", [form("砍伐城市树木申请表"), mat("树木位置图及照片", 1, 0),
                                         mat("补植方案", 1, 0), LEGAL_ID, PROXY], bureau_chain(10)),
            variant("02", "迁移古树名木", [form("迁移古树名木申请表"), mat("迁移方案及养护方案", 1, 0),
                                         mat("专家论证意见", 1, 0), LEGAL_ID, PROXY],
                    bureau_chain(10)),
        ],
        "procs": [proc("site_survey", 1, "现场勘查（不中止计时）"),
                  proc("expert_review", 10, "古树名木迁移专家论证")],
        "results": [result("砍伐、迁移树木许可决定书", "approval")],
        "faqs": [],
        "depth": 3, "visits": 1,
    },
    {
        "n": 15, "name": "林木采伐许可证核发", "dept": AGRI, "head": "黄志刚",
        "bases": [
            basis("《中华人民共和国森林法》", "第五十六条",
                  "采伐林地上的林木应当申请采伐许可证，并按照采伐许可证的规定进行采伐。"),
            basis("《中华人民共和国森林法》", "第五十七条",
                  "采伐许可证由县级以上人民政府林业主管部门核发。"),
        ],
        "statutory": None, "promised": 10,
        "conditions": "采伐符合年森林采伐限额和林木采伐技术规程，林木权属清楚。",
        "standard": "《中华人民共和国森林法》第五十六条至第六十一条规定的条件。",
        "variants": [variant("01", "核发", [form("林木采伐申请表"),
                                           mat("林木权属证明", share="林权类不动产权电子证照"),
                                           mat("伐区调查设计文件", 1, 0, required=False,
                                               note="采伐蓄积量较大的提交"), LEGAL_ID, PROXY],
                             bureau_chain(10))],
        "procs": [proc("site_survey", 2, "伐区现场查验（不中止计时）")],
        "results": [result("林木采伐许可证", "licence", "按许可证载明的采伐期限")],
        "faqs": [faq("农村居民采伐自留地和房前屋后个人所有的零星林木需要办证吗？",
                     "不需要申请采伐许可证。")],
        "depth": 4, "visits": 0,
    },
    {
        "n": 16, "name": "农药经营许可", "dept": AGRI, "head": "黄志刚",
        "bases": [
            basis("《农药管理条例》", "第二十四条", "国家实行农药经营许可制度，但经营卫生用农药的除外。"),
            basis("《农药管理条例》", "第二十五条",
                  "县级以上地方人民政府农业主管部门应当自受理申请之日起20个工作日内作出审批决定……"
                  "农药经营许可证有效期为5年。"),
        ],
        "statutory": 20, "statutory_basis": "《农药管理条例》第二十五条", "promised": 15,
        "conditions": "有具备农药和病虫害防治专业知识的经营人员；有与经营相适应的营业场所、设备、仓储"
                      "设施、安全防护措施和环境污染防治设施、措施；有农药经营质量管理制度和岗位操作规程。",
        "standard": "《农药管理条例》第二十四条、《农药经营许可管理办法》规定的条件。",
        "variants": _simple(15, [form("农药经营许可证申请表"), LEGAL_ID,
                                 mat("经营人员的专业教育或培训证明", 0, 1),
                                 mat("营业场所和仓储场所地址、面积、平面图", 1, 0),
                                 mat("质量管理、台账记录、安全防护制度文本", 1, 0), LICENCE],
                            renew="经营情况说明（有效期届满90日前申请）", cancel=True, site=True),
        "procs": [proc("site_survey", 2, "营业及仓储场所现场核查（不中止计时）")],
        "results": [result("农药经营许可证", "licence", "5年")],
        "faqs": [],
        "depth": 4, "visits": 1,
    },
    {
        "n": 17, "name": "兽药经营许可证核发", "dept": AGRI, "head": "黄志刚",
        "bases": [
            basis("《兽药管理条例》", "第二十二条",
                  "经营兽药的企业，应当具备下列条件：与所经营的兽药相适应的兽药技术人员；与所经营的兽药"
                  "相适应的营业场所、设备、仓库设施；与所经营的兽药相适应的质量管理机构或者人员……"),
        ],
        "statutory": None, "promised": 15,
        "conditions": "《兽药管理条例》第二十二条规定的条件，并符合兽药经营质量管理规范（GSP）。",
        "standard": "《兽药管理条例》第二十二条、《兽药经营质量管理规范》。",
        "variants": _simple(15, [form("兽药经营许可证申请表"), LEGAL_ID,
                                 mat("兽药技术人员资格证明", 0, 1),
                                 mat("营业场所、仓库平面图及设施设备清单", 1, 0), LICENCE],
                            renew="兽药经营质量管理规范执行情况说明", cancel=True, site=True),
        "procs": [proc("site_survey", 2, "兽药GSP现场检查（不中止计时）")],
        "results": [result("兽药经营许可证", "licence", "5年")],
        "faqs": [],
        "depth": 3, "visits": 1,
    },
    {
        "n": 18, "name": "取水许可", "dept": WATER, "head": "郑文斌",
        "bases": [
            basis("《中华人民共和国水法》", "第四十八条",
                  "直接从江河、湖泊或者地下取用水资源的单位和个人，应当按照国家取水许可制度和水资源有偿"
                  "使用制度的规定，向水行政主管部门或者流域管理机构申请领取取水许可证，并缴纳水资源费，"
                  "取得取水权。"),
            basis("《取水许可和水资源费征收管理条例》", "第二条"),
        ],
        "statutory": None, "promised": 15,
        "conditions": "取水符合水资源规划和用水总量控制指标，取水、退水对水资源和第三者权益影响可控。",
        "standard": "《取水许可和水资源费征收管理条例》及《取水许可管理办法》规定的条件。",
        "variants": _simple(15, [form("取水许可申请书"), mat("建设项目水资源论证报告书（表）", 1, 0),
                                 mat("与第三者利害关系的相关说明", 1, 0, required=False),
                                 LICENCE], renew="取水情况总结（有效期届满45日前申请）"),
        "procs": [proc("expert_review", 15, "水资源论证报告专家评审"),
                  proc("hearing", 20, HEARING_BASIS)],
        "fees": [fee("水资源费（地表水，每立方米）", "0.10",
                     "《中华人民共和国水法》第四十八条；《取水许可和水资源费征收管理条例》第二十八条")],
        "results": [result("取水许可证", "licence", "一般为5年，最长不超过10年")],
        "faqs": [],
        "depth": 3, "visits": 1,
    },
    {
        "n": 19, "name": "生产建设项目水土保持方案审批", "dept": WATER, "head": "郑文斌",
        "bases": [
            basis("《中华人民共和国水土保持法》", "第二十五条",
                  "在山区、丘陵区、风沙区以及水土保持规划确定的容易发生水土流失的其他区域开办可能造成"
                  "水土流失的生产建设项目，生产建设单位应当编制水土保持方案，报县级以上人民政府水行政"
                  "主管部门审批，并按照经批准的水土保持方案，采取水土流失预防和治理措施。"),
        ],
        "statutory": None, "promised": 10,
        "conditions": "生产建设项目位于需编制水土保持方案的区域，已编制水土保持方案报告书（表）。",
        "standard": "水土流失防治责任范围、防治目标和措施是否符合水土保持技术标准。",
        "variants": _simple(10, [form("生产建设项目水土保持方案审批申请表"),
                                 mat("水土保持方案报告书（表）", 1, 0), LICENCE],
                            change=True),
        "procs": [proc("expert_review", 10, "水土保持方案技术评审")],
        "fees": [fee("水土保持补偿费（按征占用土地面积，每平方米）", "1.00",
                     "《中华人民共和国水土保持法》第三十二条")],
        "results": [result("生产建设项目水土保持方案批复", "approval")],
        "faqs": [],
        "depth": 4, "visits": 0,
    },
    {
        "n": 20, "name": "娱乐场所经营活动审批", "dept": CULTURE, "head": "林晓燕",
        "bases": [
            basis("《娱乐场所管理条例》", "第九条",
                  "娱乐场所申请从事娱乐场所经营活动，应当向所在地县级人民政府文化主管部门提出申请。"),
            basis("《娱乐场所管理条例》", "第十条", "文化主管部门审批娱乐场所应当举行听证。"),
        ],
        "statutory": 20, "statutory_basis": "《娱乐场所管理条例》第九条（时限为工作日还是自然日、自受理还是自收到申请起算，待核实）",
        "promised": 15,
        "conditions": "场所符合《娱乐场所管理条例》规定的设置条件和消防、环保要求；投资人员、"
                      "从业人员无条例禁止的情形。",
        "standard": "《娱乐场所管理条例》第四条、第五条、第七条、第九条。",
        "variants": _simple(15, [form("娱乐经营许可申请表"), LEGAL_ID,
                                 mat("场所平面图及房屋权属或租赁证明", 0, 1),
                                 mat("投资人、法定代表人、主要负责人无禁止情形的书面声明", 1, 0),
                                 LICENCE], renew="经营情况说明", cancel=True),
        "procs": [proc("hearing", 20, "《娱乐场所管理条例》第十条"),
                  proc("site_survey", 2, "现场检查（不中止计时）")],
        "results": [result("娱乐经营许可证", "licence", "2年")],
        "faqs": [faq("为什么娱乐场所审批要举行听证？", "《娱乐场所管理条例》规定文化主管部门审批娱乐场所应当举行听证，"
                                               "听证所需时间不计入审批时限。")],
        "depth": 3, "visits": 1,
    },
    {
        "n": 21, "name": "经营高危险性体育项目许可", "dept": CULTURE, "head": "林晓燕",
        "bases": [
            basis("《全民健身条例》", "第三十二条",
                  "企业、个体工商户经营高危险性体育项目的，应当符合下列条件，并向县级以上地方人民政府"
                  "体育主管部门提出申请……"),
        ],
        "statutory": None, "promised": 15,
        "conditions": "相关体育设施符合国家标准；具有达到规定数量的取得国家职业资格证书的社会体育指导人员"
                      "和救助人员；具有安全保障制度和措施。",
        "standard": "《全民健身条例》第三十二条、《经营高危险性体育项目许可管理办法》。",
        "variants": _simple(15, [form("经营高危险性体育项目申请表"), LEGAL_ID,
                                 mat("体育设施符合国家标准的说明性材料", 1, 0),
                                 mat("社会体育指导人员、救助人员职业资格证明", 0, 1),
                                 mat("安全保障制度和措施", 1, 0), LICENCE],
                            renew="安全运营情况说明", cancel=True),
        "procs": [proc("inspection", 10, "体育设施检验"), proc("testing", 10, "水质等检测")],
        "results": [result("高危险性体育项目经营许可证", "licence", "以许可证载明为准")],
        "faqs": [],
        "depth": 3, "visits": 1,
    },
]
