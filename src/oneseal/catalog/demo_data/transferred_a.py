# ruff: noqa: E501  (data: long Chinese sentences of legal texts and guides)
"""The 21 items transferred to the bureau (items.md), part one: 1–11."""

from __future__ import annotations

from typing import Any

from .common import (
    LEGAL_ID,
    LICENCE,
    ORIGINAL_LICENCE,
    PROXY,
    basis,
    bureau_chain,
    faq,
    form,
    mat,
    proc,
    result,
    variant,
)

DEV, ENV, HOUSING, TRANSPORT, URBAN = (
    "dept-dev", "dept-env", "dept-housing", "dept-transport", "dept-urban")
EIA_LAW = "《中华人民共和国环境影响评价法》"
ROAD_REG = "《中华人民共和国道路运输条例》"


def _simple(promised: int, new: list[dict[str, Any]], *, change: bool = True,
            renew: str = "", cancel: bool = False, site: bool = False) -> list[dict[str, Any]]:
    """新办 (and 变更, 延续, 注销) in the bureau; `site`: 新办 and 延续 are reviewed on site
    (现场核查, 行政许可法 第34条)."""
    out = [variant("01", "新办", [*new, PROXY], bureau_chain(promised, site=site))]
    if change:
        out.append(variant("02", "变更", [form("变更申请表"), mat(ORIGINAL_LICENCE),
                                         mat("变更事项的证明材料", 1, 1), PROXY],
                           bureau_chain(min(promised, 5))))
    if renew:
        out.append(variant("03", "延续", [form("延续申请表"), mat(ORIGINAL_LICENCE),
                                         mat(renew, 1, 0), PROXY],
                           bureau_chain(promised, site=site)))
    if cancel:
        out.append(variant("04", "注销", [form("注销申请表"), mat(ORIGINAL_LICENCE), PROXY],
                           bureau_chain(min(promised, 3))))
    return out


ITEMS: list[dict[str, Any]] = [
    {
        "n": 1, "name": "企业投资项目核准", "dept": DEV, "head": "杨建军",
        "bases": [
            basis("《企业投资项目核准和备案管理条例》", "第三条",
                  "对关系国家安全、涉及全国重大生产力布局、战略性资源开发和重大公共利益等项目，"
                  "实行核准管理。"),
            basis("《企业投资项目核准和备案管理条例》", "第九条",
                  "核准机关应当自受理申请之日起20个工作日内，作出是否予以核准的决定。"),
        ],
        "statutory": 20, "statutory_basis": "《企业投资项目核准和备案管理条例》第九条",
        "extension": 40,
        "extension_basis": "《企业投资项目核准和备案管理条例》第九条（经本机关主要负责人批准，延长"
                           "不超过40个工作日；待核实）",
        "promised": 10,
        "conditions": "项目属于《政府核准的投资项目目录》中由区级核准的范围；项目单位已依法设立；"
                      "已取得法律、行政法规规定应当在核准前取得的相关手续。",
        "standard": "是否危害经济安全、社会安全、生态安全等国家安全；是否符合相关发展建设规划、"
                    "技术标准和产业政策；是否合理开发并有效利用资源；是否对重大公共利益产生不利影响。",
        "variants": [
            variant("01", "核准", [form("企业投资项目核准申请表"),
                                  mat("项目申请书", 1, 0, basis="条例第七条"),
                                  mat("城乡规划部门出具的选址意见书", 1, 1,
                                      required=False, note="仅限以划拨方式提供国有土地使用权的项目"),
                                  mat("自然资源部门出具的用地预审意见", share="用地预审与选址意见书电子证照",
                                      required=False, note="不涉及新增用地的项目除外"),
                                  LICENCE, PROXY], bureau_chain(10)),
            variant("02", "变更", [form("项目变更申请表"), mat("原核准文件", 1, 1),
                                  mat("变更内容说明及相关证明材料", 1, 1, basis="条例第十一条")],
                    bureau_chain(10)),
            variant("03", "延期", [form("项目延期开工申请表"), mat("原核准文件", 1, 1),
                                  mat("延期理由说明", 1, 0, basis="条例第十二条")],
                    bureau_chain(5)),
        ],
        "procs": [proc("expert_review", 30, "《企业投资项目核准和备案管理条例》第九条（委托评估）")],
        "results": [result("企业投资项目核准文件", "approval",
                           "2年；需延期开工的，应在期限届满30个工作日前申请延期")],
        "faqs": [faq("哪些项目需要核准，哪些只需备案？",
                     "列入《政府核准的投资项目目录》的项目实行核准，其余企业投资项目实行备案。")],
        "depth": 3, "visits": 1,
    },
    {
        "n": 2, "name": "固定资产投资项目节能审查", "dept": DEV, "head": "杨建军",
        "bases": [
            basis("《中华人民共和国节约能源法》", "第十五条",
                  "国家实行固定资产投资项目节能评估和审查制度。不符合强制性节能标准的项目，"
                  "建设单位不得开工建设。"),
            basis("《固定资产投资项目节能审查办法》", "第五条"),
        ],
        "statutory": None, "promised": 10,
        "conditions": "年综合能源消费量达到区级节能审查标准的固定资产投资项目，在开工建设前申请。",
        "standard": "项目是否符合节能法律法规、标准规范；用能是否合理；能效水平是否达到要求；"
                    "节能措施是否可行；对所在地能耗总量和强度目标的影响。",
        "variants": _simple(10, [form("固定资产投资项目节能审查申请表"),
                                 mat("项目节能报告", 1, 0), LICENCE]),
        "procs": [proc("expert_review", 15, "《固定资产投资项目节能审查办法》（委托评审）")],
        "results": [result("节能审查意见", "approval", "2年")],
        "faqs": [faq("节能审查意见过期了怎么办？", "项目自节能审查意见印发之日起2年内未开工的，应重新申请节能审查。")],
        "depth": 3, "visits": 1,
    },
    {
        "n": 3, "name": "建设项目环境影响报告书审批", "dept": ENV, "head": "刘晓东",
        "bases": [
            basis(EIA_LAW, "第十六条", "可能造成重大环境影响的，应当编制环境影响报告书。"),
            basis(EIA_LAW, "第二十二条",
                  "审批部门应当自收到环境影响报告书之日起六十日内，收到环境影响报告表之日起三十日内，"
                  "分别作出审批决定并书面通知建设单位。"),
        ],
        # "自收到环境影响报告书之日起六十日内": 60 calendar days from receipt (第82条 counts
        # working days only for 行政许可法's own limits; 民法典 第201–203条), no extension.
        "statutory": 60, "statutory_basis": f"{EIA_LAW}第二十二条（自收到报告书之日起六十日内）",
        "unit": "days", "start": "receipt", "extension": 0,
        "extension_basis": f"{EIA_LAW}第二十二条（未规定延长）", "promised": 30,
        "conditions": "建设项目属于区级审批权限，已由具备能力的单位编制环境影响报告书并完成公众参与。",
        "standard": "是否符合生态环境保护法律法规和相关规划；选址选线、规模、性质和工艺路线是否合理；"
                    "污染防治和生态保护措施是否可行，能否满足区域环境质量改善目标。",
        "variants": [
            variant("01", "审批", [form("建设项目环境影响评价文件审批申请表"),
                                  mat("建设项目环境影响报告书（全本）", 1, 0, basis=f"{EIA_LAW}第十七条"),
                                  mat("公众参与说明", 1, 0, basis="《环境影响评价公众参与办法》"),
                                  mat("删除涉密及商业秘密内容的公开版本", 1, 0, required=False),
                                  LICENCE, PROXY], bureau_chain(30)),
            variant("02", "重新报批", [form("建设项目环境影响评价文件审批申请表"),
                                    mat("重新编制的环境影响报告书", 1, 0, basis=f"{EIA_LAW}第二十四条"),
                                    mat("原批复文件", 0, 1)], bureau_chain(30)),
        ],
        "procs": [proc("expert_review", 30, "技术评估"),
                  proc("hearing", 20, f"{'《中华人民共和国行政许可法》'}第四十七条")],
        "results": [result("建设项目环境影响报告书批复", "approval",
                           "批准之日起超过五年方开工建设的，应报原审批部门重新审核")],
        "faqs": [faq("技术评估的时间算在审批时限内吗？",
                     "不算。专家评审、听证所需时间依《行政许可法》第四十五条不计入审批时限，我们会书面告知所需时间。")],
        "depth": 3, "visits": 1,
    },
    {
        "n": 4, "name": "建设项目环境影响报告表审批", "dept": ENV, "head": "刘晓东",
        "bases": [
            basis(EIA_LAW, "第十六条", "可能造成轻度环境影响的，应当编制环境影响报告表。"),
            basis(EIA_LAW, "第二十二条",
                  "审批部门应当……收到环境影响报告表之日起三十日内，作出审批决定并书面通知建设单位。"),
        ],
        "statutory": 30, "statutory_basis": f"{EIA_LAW}第二十二条（自收到报告表之日起三十日内）",
        "unit": "days", "start": "receipt", "extension": 0,
        "extension_basis": f"{EIA_LAW}第二十二条（未规定延长）", "promised": 15,
        "conditions": "建设项目属于区级审批权限，已编制环境影响报告表。",
        "standard": "是否符合生态环境保护法律法规和相关规划；污染防治措施是否可行；"
                    "污染物排放是否达到国家和地方排放标准。",
        "variants": [
            variant("01", "审批", [form("建设项目环境影响评价文件审批申请表"),
                                  mat("建设项目环境影响报告表", 1, 0, basis=f"{EIA_LAW}第十七条"),
                                  LICENCE, PROXY], bureau_chain(15)),
            variant("02", "重新报批", [form("建设项目环境影响评价文件审批申请表"),
                                    mat("重新编制的环境影响报告表", 1, 0, basis=f"{EIA_LAW}第二十四条"),
                                    mat("原批复文件", 0, 1)], bureau_chain(15)),
        ],
        "procs": [proc("expert_review", 10, "技术评估")],
        "results": [result("建设项目环境影响报告表批复", "approval",
                           "批准之日起超过五年方开工建设的，应报原审批部门重新审核")],
        "faqs": [],
        "depth": 4, "visits": 0,
    },
    {
        "n": 5, "name": "建筑工程施工许可证核发", "dept": HOUSING, "head": "赵永红",
        "bases": [
            basis("《中华人民共和国建筑法》", "第七条",
                  "建筑工程开工前，建设单位应当按照国家有关规定向工程所在地县级以上人民政府建设行政"
                  "主管部门申请领取施工许可证。"),
            basis("《中华人民共和国建筑法》", "第八条",
                  "建设行政主管部门应当自收到申请之日起七日内，对符合条件的申请颁发施工许可证。"),
        ],
        # "自收到申请之日起七日内": 7 calendar days from receipt, the last day moved past a
        # statutory rest day (民法典 第201–203条; 第82条 counts working days only for 行政许可法's
        # own limits); after corrections from the complete materials (《建筑工程施工许可管理
        # 办法》第五条); 建筑法 allows no extension.
        "statutory": 7, "statutory_basis": "《中华人民共和国建筑法》第八条（自收到申请之日起七日内）",
        "unit": "days", "start": "receipt", "extension": 0,
        "extension_basis": "《中华人民共和国建筑法》第八条（未规定延长）", "promised": 3,
        "conditions": "已办理用地批准手续；依法应当办理建设工程规划许可证的已取得；需要拆迁的，拆迁进度"
                      "符合施工要求；已经确定施工企业；有满足施工需要的资金安排、施工图纸及技术资料；"
                      "有保证工程质量和安全的具体措施。",
        "standard": "《中华人民共和国建筑法》第八条、《建筑工程施工许可管理办法》第四条规定的条件。",
        "variants": [
            variant("01", "新办", [form("建筑工程施工许可证申请表"),
                                  mat("建设工程规划许可证", share="建设工程规划许可证电子证照"),
                                  mat("施工合同", 0, 1), mat("施工图设计文件审查合格书", 0, 1),
                                  mat("建设资金已落实承诺书", 1, 0), LICENCE, PROXY],
                    bureau_chain(3, site=True)),
            variant("02", "延期", [form("施工许可证延期申请表"), mat(ORIGINAL_LICENCE),
                                  mat("延期理由说明", 1, 0,
                                      basis="《中华人民共和国建筑法》第九条（延期以两次为限，每次不超过三个月）")],
                    bureau_chain(3)),
            variant("03", "变更", [form("施工许可证变更申请表"), mat(ORIGINAL_LICENCE),
                                  mat("变更事项的证明材料", 1, 1)], bureau_chain(3)),
        ],
        "procs": [proc("site_survey", 1, "现场核查（属审查环节，不中止计时）")],
        "results": [result("建筑工程施工许可证", "licence", "自领取之日起三个月内开工，可申请延期")],
        "faqs": [faq("小型工程也要办施工许可证吗？",
                     "工程投资额在30万元以下或者建筑面积在300平方米以下的建筑工程，可以不申请办理施工许可证。")],
        "depth": 4, "visits": 0,
    },
    {
        "n": 6, "name": "商品房预售许可", "dept": HOUSING, "head": "赵永红",
        "bases": [
            basis("《中华人民共和国城市房地产管理法》", "第四十五条",
                  "商品房预售，应当符合下列条件：已交付全部土地使用权出让金，取得土地使用权证书；持有建设"
                  "工程规划许可证；投入开发建设的资金达到工程建设总投资的百分之二十五以上……"),
            basis("《城市商品房预售管理办法》", "第八条"),
        ],
        "statutory": 10, "unit": "days",
        "statutory_basis": "《城市商品房预售管理办法》第八条（“10日”为自然日；条号与起算待核实）",
        "promised": 7,
        "conditions": "《中华人民共和国城市房地产管理法》第四十五条规定的预售条件均已具备。",
        "standard": "土地使用权证书、规划许可、施工许可、投资进度和竣工交付日期是否符合规定。",
        "variants": _simple(7, [form("商品房预售许可申请表"),
                                mat("国有土地使用权证书", share="不动产权电子证照"),
                                mat("建设工程规划许可证及施工许可证", 0, 1),
                                mat("投入开发建设资金达到总投资25%以上的证明", 1, 0),
                                mat("商品房预售方案", 1, 0), LICENCE]),
        "procs": [proc("site_survey", 1, "现场查看工程形象进度（不中止计时）")],
        "results": [result("商品房预售许可证", "licence", "至预售范围内房屋售完为止")],
        "faqs": [],
        "depth": 3, "visits": 1,
    },
    {
        "n": 7, "name": "城镇污水排入排水管网许可", "dept": HOUSING, "head": "赵永红",
        "bases": [
            basis("《城镇排水与污水处理条例》", "第二十一条",
                  "从事工业、建筑、餐饮、医疗等活动的企业事业单位、个体工商户向城镇排水设施排放污水的，"
                  "应当向城镇排水主管部门申请领取污水排入排水管网许可证。"),
        ],
        "statutory": None, "promised": 10,
        "conditions": "排水户的排水设施符合规定，水质符合国家和地方排放标准，已按规定建设预处理设施。",
        "standard": "《城镇污水排入排水管网许可管理办法》规定的条件。",
        "variants": _simple(10, [form("城镇污水排入排水管网许可申请表"),
                                 mat("排水户内部排水管网、专用检测井、污水排放口位置图", 1, 0),
                                 mat("排水水质检测报告", 1, 0, required=False,
                                     note="排放工业废水等需要检测的排水户提交"), LICENCE],
                            renew="水质水量符合要求的说明", cancel=True, site=True),
        "procs": [proc("site_survey", 2, "现场核查排水设施（不中止计时）"),
                  proc("testing", 5, "排水水质检测")],
        "results": [result("城镇污水排入排水管网许可证", "licence", "5年")],
        "faqs": [],
        "depth": 3, "visits": 1,
    },
    {
        "n": 8, "name": "道路货物运输经营许可", "dept": TRANSPORT, "head": "孙立新",
        "bases": [
            basis(ROAD_REG, "第二十一条", "申请从事货运经营的，应当具备下列条件……"),
            basis(ROAD_REG, "第二十四条",
                  "申请从事货运经营的，应当依法向工商行政管理机关办理有关登记手续后，按照下列规定提出"
                  "申请……依法向县级道路运输管理机构提出申请。"),
        ],
        "statutory": None, "promised": 10,
        "conditions": "有与其经营业务相适应并经检测合格的车辆；有符合规定条件的驾驶人员；"
                      "有健全的安全生产管理制度。",
        "standard": f"{ROAD_REG}第二十一条规定的条件。",
        "variants": _simple(10, [form("道路货物运输经营申请表"), LEGAL_ID,
                                 mat("机动车辆行驶证、车辆技术等级评定结论", 0, 1),
                                 mat("驾驶人员从业资格证", share="道路运输从业人员从业资格电子证照"),
                                 mat("安全生产管理制度文本", 1, 0)],
                            renew="车辆及安全生产管理情况说明", cancel=True),
        "procs": [],
        "results": [result("道路运输经营许可证", "licence", "4年")],
        "faqs": [faq("使用总质量4.5吨及以下普通货运车辆从事经营需要办理吗？",
                     "不需要。按照国家规定，此类车辆从事普通货运经营无需取得道路运输经营许可证。")],
        "depth": 4, "visits": 0,
    },
    {
        "n": 9, "name": "公路超限运输许可", "dept": TRANSPORT, "head": "孙立新",
        "bases": [
            basis("《中华人民共和国公路法》", "第五十条",
                  "超过公路、公路桥梁、公路隧道或者汽车渡船的限载、限高、限宽、限长标准的车辆，不得在"
                  "有限定标准的公路、公路桥梁上或者公路隧道内行驶……确需行驶的，必须经县级以上地方"
                  "人民政府交通主管部门批准。"),
        ],
        "statutory": None, "promised": 5,
        "conditions": "货物属于不可解体物品，确需超限运输；车辆及运输方案符合安全通行要求。",
        "standard": "《超限运输车辆行驶公路管理规定》规定的条件。",
        "variants": [variant("01", "申请", [form("公路超限运输申请表"),
                                           mat("车辆行驶证", 0, 1), mat("货物证明及运输方案", 1, 0),
                                           mat("车货总体外廓尺寸和重量示意图", 1, 0), PROXY],
                             bureau_chain(5))],
        "procs": [proc("testing", 10, "公路桥梁技术评估与检测")],
        "results": [result("超限运输车辆通行证", "licence", "按许可的通行期限（单次或规定期限）")],
        "faqs": [],
        "depth": 4, "visits": 0,
    },
    {
        "n": 10, "name": "城市建筑垃圾处置核准", "dept": URBAN, "head": "马俊峰",
        "bases": [
            basis("《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）",
                  "附件第101项", "城市建筑垃圾处置核准，实施机关：城市人民政府市容环境卫生行政主管部门。"),
            basis("《城市建筑垃圾管理规定》", "第七条"),
        ],
        "statutory": None, "promised": 10,
        "conditions": "有建筑垃圾分类处置方案和消纳场所；运输车辆符合密闭运输要求。",
        "standard": "《城市建筑垃圾管理规定》规定的条件。",
        "variants": _simple(10, [form("城市建筑垃圾处置核准申请表"),
                                 mat("建筑垃圾处置方案", 1, 0),
                                 mat("与消纳场所、运输单位签订的合同", 0, 1), LICENCE],
                            change=False),
        "procs": [],
        "results": [result("城市建筑垃圾处置核准文件", "approval", "按工程工期核定")],
        "faqs": [],
        "depth": 3, "visits": 1,
    },
    {
        "n": 11, "name": "设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批", "dept": URBAN,
        "head": "马俊峰",
        "bases": [
            basis("《城市市容和环境卫生管理条例》", "第十一条",
                  "大型户外广告的设置必须征得城市人民政府市容环境卫生行政主管部门同意后，按照有关规定"
                  "办理审批手续。"),
            basis("《城市市容和环境卫生管理条例》", "第十七条"),
        ],
        "statutory": None, "promised": 10,
        "conditions": "设置地点、规格符合户外广告设置规划和市容标准，设施安全可靠。",
        "standard": "内容健康、外型美观，符合城市容貌标准和户外广告设置规划。",
        "variants": _simple(10, [form("户外广告设置申请表"), mat("设置位置图、效果图", 1, 0),
                                 mat("场地使用权证明", 0, 1), mat("结构安全证明", 1, 0,
                                                                 required=False,
                                                                 note="大型落地式广告提交"),
                                 LICENCE], cancel=True),
        "procs": [proc("site_survey", 1, "现场勘查（不中止计时）")],
        "results": [result("户外广告设置许可决定书", "approval", "按批准的设置期限")],
        "faqs": [],
        "depth": 3, "visits": 1,
    },
]
