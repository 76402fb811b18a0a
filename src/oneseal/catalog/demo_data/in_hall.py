# ruff: noqa: E501  (data: long Chinese sentences of legal texts and guides)
"""Items in the hall but decided by their departments or utilities (items.md, measure 五)."""

from __future__ import annotations

from typing import Any

from .common import (
    LEGAL_ID,
    LICENCE,
    ORIGINAL_LICENCE,
    PROXY,
    basis,
    dept_chain,
    faq,
    form,
    mat,
    proc,
    result,
    variant,
)

MARKET, HEALTH, EDUCATION, WATER_CO, POWER_CO = (
    "dept-market", "dept-health", "dept-education", "util-water", "util-power")
BUSINESS = "《优化营商环境条例》"


def _dept(promised: int, new: list[dict[str, Any]], *, renew: str = "",
          site: bool = False) -> list[dict[str, Any]]:
    """新办, 变更, (延续,) 注销 in a department; `site`: 新办 and 延续 are reviewed on site
    (现场核查, 行政许可法 第34条)."""
    out = [variant("01", "新办", [*new, PROXY], dept_chain(promised, site=site)),
           variant("02", "变更", [form("变更申请表"), mat(ORIGINAL_LICENCE),
                                mat("变更事项的证明材料", 1, 1)], dept_chain(min(promised, 5))),
           variant("04", "注销", [form("注销申请表"), mat(ORIGINAL_LICENCE)],
                   dept_chain(min(promised, 3)))]
    if renew:
        out.insert(2, variant("03", "延续", [form("延续申请表"), mat(ORIGINAL_LICENCE),
                                            mat(renew, 1, 0)], dept_chain(promised, site=site)))
    return out


ITEMS: list[dict[str, Any]] = [
    {
        "n": 31, "name": "食品经营许可", "dept": MARKET, "type": "licensing",
        "bases": [
            basis("《中华人民共和国食品安全法》", "第三十五条",
                  "国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。"),
        ],
        # 2023 办法: 10 working days from acceptance, extendable by 5 with the approval of
        # the head of the market regulation department (the article number is to be checked).
        "statutory": 10,
        "statutory_basis": "《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）第二十六条"
                           "（条号待核实）",
        "extension": 5,
        "extension_basis": "《食品经营许可和备案管理办法》第二十六条（经负责人批准可延长5个工作日；"
                           "条号待核实）",
        "promised": 5,
        "conditions": "具有与经营的食品品种、数量相适应的经营场所、设备设施，有专职或兼职的食品安全"
                      "管理人员和保证食品安全的规章制度，具有合理的设备布局和工艺流程。",
        "standard": "《中华人民共和国食品安全法》第三十三条、《食品经营许可和备案管理办法》。",
        "variants": _dept(5, [form("食品经营许可申请书"), LICENCE, LEGAL_ID,
                              mat("经营场所平面图和设备布局、工艺流程图", 1, 0),
                              mat("食品安全自查、从业人员健康管理等制度目录", 1, 0)],
                          renew="食品经营许可延续申请说明", site=True),
        "procs": [proc("site_survey", 2, "现场核查（不中止计时）")],
        "results": [result("食品经营许可证", "licence", "5年")],
        "faqs": [faq("仅销售预包装食品需要办理许可吗？", "仅销售预包装食品的，办理备案即可，不需要取得食品经营许可。")],
        "depth": 4, "visits": 0, "street": True,
    },
    {
        "n": 32, "name": "公共场所卫生许可", "dept": HEALTH, "type": "licensing",
        "bases": [basis("《公共场所卫生管理条例》", "第八条",
                        "除公园、体育场（馆）、公共交通工具外的公共场所，经营单位应当及时向卫生行政部门申请"
                        "办理“卫生许可证”。")],
        "statutory": None, "promised": 5,
        "conditions": "场所卫生设施、布局和从业人员健康状况符合公共场所卫生标准。",
        "standard": "《公共场所卫生管理条例》及其实施细则规定的卫生要求。",
        "variants": _dept(5, [form("公共场所卫生许可申请表"), LICENCE, LEGAL_ID,
                              mat("场所平面布局图和卫生设施设备清单", 1, 0),
                              mat("卫生管理制度", 1, 0)], renew="卫生管理情况说明", site=True),
        "procs": [proc("testing", 5, "公共场所卫生检测")],
        "results": [result("公共场所卫生许可证", "licence", "4年")],
        "faqs": [],
        "depth": 4, "visits": 0,
    },
    {
        "n": 33, "name": "民办学校办学许可", "dept": EDUCATION, "type": "licensing",
        "bases": [
            basis("《中华人民共和国民办教育促进法》", "第十二条",
                  "举办实施学历教育、学前教育、自学考试助学及其他文化教育的民办学校，由县级以上人民"
                  "政府教育行政部门按照国家规定的权限审批。"),
            basis("《中华人民共和国民办教育促进法》", "第十七条"),
        ],
        # "自受理之日起三个月内": three months (民法典 第202–203条), not 60 working days;
        # the law provides no extension.
        "statutory": 3, "unit": "months",
        "statutory_basis": "《中华人民共和国民办教育促进法》第十七条（自受理之日起三个月内）",
        "extension": 0, "extension_basis": "《中华人民共和国民办教育促进法》第十七条（未规定延长）",
        "promised": 30,
        "conditions": "举办者、办学场所、师资、资金和章程符合民办学校设置标准。",
        "standard": "《中华人民共和国民办教育促进法》第十条、第十四条、第十六条及设置标准。",
        "variants": _dept(30, [form("民办学校办学许可申请表"), mat("举办者资格证明", 0, 1),
                               mat("学校章程和首届理事会、董事会组成人员名单", 1, 0),
                               mat("办学场所、师资和资产来源证明", 0, 1)]),
        "procs": [proc("expert_review", 15, "办学条件专家评议")],
        "results": [result("民办学校办学许可证", "licence", "以许可证载明为准")],
        "faqs": [],
        "depth": 3, "visits": 1,
    },
    {
        "n": 34, "name": "医疗机构执业登记", "dept": HEALTH, "type": "licensing",
        "bases": [basis("《医疗机构管理条例》", "第十五条",
                        "医疗机构执业，必须进行登记，领取《医疗机构执业许可证》。")],
        "statutory": None, "promised": 15,
        "conditions": "按照设置规划和基本标准建设，有适合的名称、组织机构和场所，有与开展业务相适应的"
                      "经费、设施、设备和专业卫生技术人员，有相应的规章制度。",
        "standard": "《医疗机构管理条例》第十六条及《医疗机构基本标准》。",
        "variants": _dept(15, [form("医疗机构执业登记申请书"),
                               mat("医疗机构用房产权证明或使用证明", 0, 1),
                               mat("卫生技术人员名录及执业证书", share="医师、护士电子证照"),
                               mat("规章制度和设备清单", 1, 0)], renew="执业情况校验材料",
                          site=True),
        "procs": [proc("site_survey", 3, "现场审核（不中止计时）")],
        "results": [result("医疗机构执业许可证", "licence", "按类别5年或15年")],
        "faqs": [],
        "depth": 3, "visits": 1,
    },
    {
        "n": 35, "name": "个体工商户登记", "dept": MARKET, "type": "confirmation",
        "bases": [
            basis("《中华人民共和国市场主体登记管理条例》", "第三条",
                  "市场主体应当依照本条例办理登记。未经登记，不得以市场主体名义从事经营活动。"),
            basis("《中华人民共和国市场主体登记管理条例》", "第十九条",
                  "对申请材料齐全、符合法定形式的予以确认并当场登记。不能当场登记的，应当在3个工作日内"
                  "予以登记。"),
        ],
        "statutory": 3, "statutory_basis": "《中华人民共和国市场主体登记管理条例》第十九条",
        "promised": 0,
        "conditions": "经营者具有经营能力，经营场所、经营范围符合规定，名称未与他人重复。",
        "standard": "形式审查：申请材料齐全、符合法定形式。",
        "variants": [
            variant("01", "设立登记", [form("个体工商户登记（备案）申请书"),
                                      mat("经营者身份证明", share="居民身份证电子证照（公安部门）"),
                                      mat("经营场所使用证明", 0, 1), PROXY], dept_chain(0)),
            variant("02", "变更登记", [form("个体工商户变更登记申请书"),
                                      mat("营业执照", share="电子营业执照（市场监管部门）")],
                    dept_chain(0)),
            variant("04", "注销登记", [form("个体工商户注销登记申请书"),
                                      mat("营业执照正、副本", 1, 0)], dept_chain(0)),
        ],
        "procs": [],
        "results": [result("营业执照", "licence", "长期")],
        "faqs": [faq("可以在街道便民服务中心办理吗？", "可以。个体工商户登记下沉至各街道便民服务中心，当场办结。")],
        "depth": 4, "visits": 0, "street": True,
    },
    {
        "n": 36, "name": "用水报装", "dept": WATER_CO, "type": "public_service",
        "bases": [basis(BUSINESS, "第二十九条",
                        "公用企事业单位应当推行网上办理等便利化措施，公开服务标准、资费标准等信息，为市场主体"
                        "提供安全、便捷、稳定和价格合理的服务。")],
        "statutory": None, "promised": 3,
        "conditions": "用水地址在供水管网覆盖范围内，报装资料齐全。",
        "standard": "供水企业报装服务规范。",
        "variants": [variant("01", "新装", [form("用水报装申请表"), LEGAL_ID,
                                           mat("用水地址房屋权属证明", share="不动产权电子证照")],
                             dept_chain(3))],
        "procs": [proc("site_survey", 1, "现场踏勘（不中止计时）")],
        "results": [result("供水合同", "other")],
        "faqs": [],
        "depth": 4, "visits": 0, "street": True,
    },
    {
        "n": 37, "name": "用电报装", "dept": POWER_CO, "type": "public_service",
        "bases": [
            basis("《中华人民共和国电力法》", "第二十六条",
                  "供电营业区内的供电营业机构，对本营业区内的用户有按照国家规定供电的义务；不得违反国家"
                  "规定对其营业区内申请用电的单位和个人拒绝供电。"),
            basis(BUSINESS, "第二十九条"),
        ],
        "statutory": None, "promised": 5,
        "conditions": "用电地址在供电营业区内，报装资料齐全。",
        "standard": "供电企业业扩报装服务规范。",
        "variants": [variant("01", "低压新装", [form("用电报装申请表"), LEGAL_ID,
                                               mat("用电地址房屋权属证明", share="不动产权电子证照")],
                             dept_chain(5)),
                     variant("02", "增容", [form("用电增容申请表"), mat("原供用电合同", 0, 1)],
                             dept_chain(5))],
        "procs": [proc("site_survey", 1, "现场勘查（不中止计时）")],
        "results": [result("供用电合同", "other")],
        "faqs": [],
        "depth": 4, "visits": 0, "street": True,
    },
]
