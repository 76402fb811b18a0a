# ruff: noqa: E501 -- data tables, one record a line
"""The demo marketplace's fixed content: the intermediary services the demo items need, with
their legal basis, and a dozen intermediaries (names fictitious; credit codes built with a
valid check character on the 91530112MA7… range, unused by the other demo data)."""

from __future__ import annotations

# (code, name, legal basis, compulsory, demo item names)
SERVICES: list[tuple[str, str, str, bool, list[str]]] = [
    ("ZJ01", "环境影响评价文件编制", "《中华人民共和国环境影响评价法》第十六条、第十九条（建设单位可自行编制或委托技术单位编制）",
     False, ["建设项目环境影响报告书审批", "建设项目环境影响报告表审批"]),
    ("ZJ02", "固定资产投资项目节能报告编制", "《固定资产投资项目节能审查办法》第八条", False,
     ["固定资产投资项目节能审查"]),
    ("ZJ03", "施工图设计文件审查", "《建设工程勘察设计管理条例》第三十三条；《建设工程质量管理条例》第十一条",
     True, ["建筑工程施工许可证核发"]),
    ("ZJ04", "房产测绘", "《中华人民共和国测绘法》第二十二条；《房产测绘管理办法》第四条", True,
     ["商品房预售许可"]),
    ("ZJ05", "建设项目水资源论证报告编制", "《取水许可和水资源费征收管理条例》第十一条", False,
     ["取水许可"]),
    ("ZJ06", "生产建设项目水土保持方案编制", "《中华人民共和国水土保持法》第二十五条", False,
     ["生产建设项目水土保持方案审批"]),
    ("ZJ07", "消防设施检测", "《中华人民共和国消防法》第十六条、第三十四条", False,
     ["娱乐场所经营活动审批", "经营高危险性体育项目许可"]),
    ("ZJ08", "公共场所卫生检测", "《公共场所卫生管理条例实施细则》第十九条", True,
     ["公共场所卫生许可"]),
    ("ZJ09", "安全评价", "《中华人民共和国安全生产法》第三十二条；《安全评价检测检验机构管理办法》", True,
     ["企业投资项目核准"]),
]

# (name, first 17 characters of the credit code, services (code, max fee, promised days),
#  legal representative)
INTERMEDIARIES: list[tuple[str, str, list[tuple[str, int, int]], str]] = [
    ("云南滇西环境科技有限公司", "91530112MA7A00001", [("ZJ01", 80000, 25), ("ZJ06", 40000, 20)], "周明"),
    ("昆明碧水环保咨询有限公司", "91530112MA7A00002", [("ZJ01", 70000, 30), ("ZJ05", 50000, 25)], "陈静"),
    ("云南绿源生态工程咨询有限公司", "91530112MA7A00003", [("ZJ01", 90000, 20), ("ZJ06", 45000, 18)], "李建华"),
    ("昆明西山建筑设计审图中心有限公司", "91530112MA7A00004", [("ZJ03", 60000, 15)], "王磊"),
    ("云南正衡施工图审查有限公司", "91530112MA7A00005", [("ZJ03", 55000, 12)], "张敏"),
    ("昆明精准测绘有限公司", "91530112MA7A00006", [("ZJ04", 30000, 10)], "刘洋"),
    ("云南地信测绘技术有限公司", "91530112MA7A00007", [("ZJ04", 28000, 12)], "赵琳"),
    ("昆明安泰消防检测有限公司", "91530112MA7A00008", [("ZJ07", 20000, 8)], "孙强"),
    ("云南卫安检测技术有限公司", "91530112MA7A00009", [("ZJ08", 15000, 7), ("ZJ07", 22000, 10)], "吴芳"),
    ("云南恒安安全评价有限公司", "91530112MA7A00010", [("ZJ09", 65000, 20)], "郑伟"),
    ("昆明节能工程咨询有限公司", "91530112MA7A00011", [("ZJ02", 35000, 15), ("ZJ09", 60000, 25)], "黄丽"),
    ("昆明速达环评服务有限公司", "91530112MA7A00012", [("ZJ01", 60000, 30)], "马超"),
]

# The application materials of the demo items that each service's report is (`Service.
# material_names`: the report reaches the applicant's case, 免提交), as the demo guides name
# them; the services whose report no demo guide lists as a material have none.
MATERIALS: dict[str, list[str]] = {
    "ZJ01": ["建设项目环境影响报告书（全本）", "建设项目环境影响报告表"],
    "ZJ02": ["项目节能报告"],
    "ZJ03": ["施工图设计文件审查合格书"],
    "ZJ05": ["建设项目水资源论证报告书（表）"],
    "ZJ06": ["水土保持方案报告书（表）"],
}
