# ruff: noqa: E501  (data: long Chinese sentences of legal texts and guides)
"""The 审核转报 item of the demo (行政许可法 第43条): the district reviews an application and
forwards its preliminary opinion with all the materials to the upper authority, which
decides. 建设项目使用林地 is the classic one: the applicant applies to the county-level
forestry department where the land lies, which checks the land on site and reports upward;
the provincial forestry department (or the State's, for large areas) issues the
使用林地审核同意书. Its 初审 came to the bureau with a later memo than the 21 items of 2019.

Illustrative like the rest of the demo: the articles of the 2015/2016 ministry order are
marked 条号待核实 and must be checked against the current text before production use."""

from __future__ import annotations

from typing import Any

from .common import (
    LEGAL_ID,
    LICENCE,
    LICENSING_LAW,
    PROXY,
    basis,
    faq,
    form,
    mat,
    proc,
    result,
    step,
    variant,
)

AGRI = "dept-agri"
FOREST_LAW = "《中华人民共和国森林法》"
FOREST_ORDER = "《建设项目使用林地审核审批管理办法》（国家林业局令第35号）"
UPPER_AUTHORITY = "云南省林业和草原局"
MEMO = {"effective_on": "2021-06-30", "document_no": "西审改〔2021〕2号",
        "signed_on": "2021-06-25",
        "approval_duty": ("自2021年6月30日起，本事项的受理、现场查验和初步审查由区行政审批局承担，"
                          "初步审查意见和全部申请材料以区行政审批局名义直接报送上级林业主管部门，"
                          "由上级林业主管部门作出审核决定。")}


def chain() -> list[dict[str, Any]]:
    """受理 → 审查 (the 初审, with the site check of the land by two staff, 第34条) → 审核 →
    签发转报: 15 working days, within the 20 of 第43条."""
    return [step("受理", "clerk", 1), step("审查", "reviewer", 12, site=True),
            step("审核", "chief", 1), step("签发转报", "head", 1)]


ITEMS: list[dict[str, Any]] = [
    {
        "n": 22, "name": "建设项目使用林地审核（初审转报）", "dept": AGRI, "head": "黄志刚",
        "type": "review_forward", "memo": MEMO, "upper_authority": UPPER_AUTHORITY,
        "bases": [
            basis(FOREST_LAW, "第三十七条",
                  "矿藏勘查、开采以及其他各类工程建设，应当不占或者少占林地；确需占用林地的，应当经县级"
                  "以上人民政府林业主管部门审核同意，依法办理建设用地审批手续。"),
            basis("《中华人民共和国森林法实施条例》", "第十六条",
                  "用地单位应当向县级以上人民政府林业主管部门提出用地申请，经审核同意后，按照国家规定"
                  "的标准预交森林植被恢复费，领取使用林地审核同意书。"),
            basis(FOREST_ORDER, "第七条、第八条（条号待核实）",
                  "用地单位或者个人向林地所在地的县级人民政府林业主管部门提出申请；县级人民政府林业主管"
                  "部门派员现场查验后提出初步审查意见，报上级人民政府林业主管部门审核。"),
            basis(LICENSING_LAW, "第四十三条",
                  "依法应当先经下级行政机关审查后报上级行政机关决定的行政许可，下级行政机关应当在法定"
                  "期限内将初步审查意见和全部申请材料直接报送上级行政机关。上级行政机关不得要求申请人"
                  "重复提供申请材料。"),
        ],
        "statutory": 20, "statutory_basis": f"{LICENSING_LAW}第四十三条（下级行政机关初审期限）",
        "promised": 15,
        "conditions": "建设项目符合林地保护利用规划和使用林地定额管理规定，已取得项目批准、核准或备案"
                      "文件，拟使用林地权属清楚，已与林地权利人签订补偿协议。",
        "standard": "《建设项目使用林地审核审批管理办法》规定的使用林地条件；现场查验林地位置、"
                    "面积、地类、森林类别与申请材料是否一致。",
        "variants": [variant("01", "新办", [
            form("使用林地申请表"), LICENCE, LEGAL_ID,
            mat("建设项目批准、核准或者备案文件", 1, 1),
            mat("拟使用林地的权属证明", share="林权类不动产权电子证照"),
            mat("使用林地可行性报告或林地现状调查表", 1, 0,
                note="按拟使用林地面积，由具备资质的调查设计单位编制"),
            mat("与林地权利人签订的补偿协议", 1, 1), PROXY], chain())],
        "procs": [proc("site_survey", 3, "使用林地现场查验（不中止计时）")],
        "results": [result("初步审查意见及转报材料包（使用林地审核同意书由上级林业主管部门核发）",
                           "other")],
        "faqs": [
            faq("申请后还要向省林业和草原局再交一遍材料吗？",
                "不需要。本局初审后将初步审查意见和全部申请材料直接报送上级林业主管部门，上级机关不得"
                "要求申请人重复提供申请材料（《行政许可法》第四十三条）。"),
            faq("转报材料包如何核验？",
                "转报材料包的封面加盖本局受理专用章（电子签章），可在“证照核验”页面上传核验。"),
        ],
        "depth": 3, "visits": 1,
    },
]
