"""Builders for the demo catalogue's records (the import format of docs/catalog-import.md).

The demo items are illustrative (see shared data/items.md): names and legal bases follow
the national catalogues; check them against the current catalogue before production use.
"""

from __future__ import annotations

from typing import Any

TRANSFER_DATE = "2019-03-31"
VALID_FROM = "2019-01-01T00:00:00+08:00"  # catalogued before the transfer
MEMO_DOCUMENT = "西审改〔2019〕3号"
LICENSING_LAW = "《中华人民共和国行政许可法》"

HALL: dict[str, Any] = {
    "window": "综合受理窗口（1—8号）",
    "address": "昆明市西山区政务服务中心一楼（行政审批局综合受理区）",
    "hours": "周一至周五 9:00—12:00，13:00—17:00（法定节假日除外）",
    "phone": "12345（政务服务便民热线）",
}


def basis(law: str, article: str, text: str = "") -> dict[str, str]:
    return {"law": law, "article": article, "text": text}


def mat(name: str, originals: int = 1, copies: int = 0, *, required: bool = True,
        share: str = "", basis: str = "", note: str = "", paper: str = "A4") -> dict[str, Any]:
    """A material; `share` names the source it is obtained from instead (免提交)."""
    return {"name": name, "originals": 0 if share else originals,
            "copies": 0 if share else copies, "paper_size": paper, "required": required,
            "shareable": bool(share), "share_source": share, "legal_basis": basis,
            "note": note}


def form(title: str, basis: str = "") -> dict[str, Any]:
    return mat(f"《{title}》", basis=basis,
               note="申请人签字或加盖公章；空白表格和填写示例可在本页下载")


LICENCE = mat("营业执照", share="电子营业执照（市场监管部门）")
LEGAL_ID = mat("法定代表人（负责人）身份证明", share="居民身份证电子证照（公安部门）")
PROXY = mat("授权委托书及受托人身份证明", 1, 1, required=False, note="委托他人办理时提交")
ORIGINAL_LICENCE = "原许可证件（正、副本）"


def bureau_chain(promised: int, *, site: bool = False) -> list[dict[str, Any]]:
    """受理 → 审查 → 审核 → 批准 in the bureau, the steps' limits within the promise. `site`
    makes 审查 a site visit (现场核查 by two or more staff, 行政许可法 第34条); an
    on-the-spot chain has none."""
    if promised == 0:
        return [step("受理", "clerk", 0), step("审查", "reviewer", 0, skip=True),
                step("批准", "chief", 0, skip=True)]
    if promised <= 3:
        return [step("受理", "clerk", 1),
                step("审查", "reviewer", max(promised - 2, 0), site=site),
                step("批准", "chief", 1)]
    return [step("受理", "clerk", 1), step("审查", "reviewer", promised - 3, site=site),
            step("审核", "chief", 1), step("批准", "head", 1)]


def dept_chain(promised: int, *, site: bool = False) -> list[dict[str, Any]]:
    """统一受理 at the hall window, review and decision in the department; `site` as in
    `bureau_chain`."""
    if promised == 0:
        return [step("受理", "clerk", 0), step("审核", "dept_officer", 0, skip=True)]
    return [step("受理", "clerk", 1),
            step("审查", "dept_officer", max(promised - 2, 0), site=site),
            step("决定", "dept_officer", 1)]


def step(name: str, role: str, days: int, *, skip: bool = False,
         site: bool = False) -> dict[str, Any]:
    """A review step; `site` marks a site visit (现场核查, 行政许可法 第34条)."""
    return {"name": name, "role": role, "limit_days": days, "skippable_on_spot": skip,
            "site_visit": site}


def variant(code: str, name: str, materials: list[dict[str, Any]],
            steps: list[dict[str, Any]]) -> dict[str, Any]:
    return {"code": code, "name": name, "materials": materials, "steps": steps}


def proc(kind: str, days: int, basis: str = "") -> dict[str, Any]:
    return {"kind": kind, "usual_days": days, "legal_basis": basis}


def fee(name: str, amount: str, basis: str) -> dict[str, str]:
    return {"name": name, "amount": amount, "basis": basis}


def result(name: str, kind: str = "licence", validity: str = "") -> dict[str, str]:
    return {"name": name, "kind": kind, "validity": validity}


def faq(question: str, answer: str) -> dict[str, str]:
    return {"question": question, "answer": answer}


def memo(dept_name: str, dept_head: str, *, effective_on: str = TRANSFER_DATE,
         document_no: str = MEMO_DOCUMENT, signed_on: str = "2019-03-25",
         approval_duty: str = "") -> dict[str, Any]:
    """The memo of a transferred item (划转备忘录), effective 2019-03-31 unless a later memo
    says otherwise (行政许可法 第25条)."""
    year, month, day = (int(x) for x in effective_on.split("-"))
    return {
        "effective_on": effective_on,
        "document_no": document_no,
        "approval_duty": approval_duty or (
            f"自{year}年{month}月{day}日起，本事项由区行政审批局统一受理、审查、决定和送达，"
            "现场勘验、技术审查、听证、专家评审等由区行政审批局组织，许可决定以区行政审批局名义"
            "作出并加盖区行政审批局印章。"),
        "supervision_duty": (
            f"{dept_name}负责制定和调整本事项的审批条件、标准，对被许可人从事许可事项的活动"
            "实施事中事后监管，接收区行政审批局推送的审批结果，发现问题及时反馈并依法查处。"),
        "signatories": [
            {"name": "陈志明", "unit": "西山区行政审批局", "title": "局长",
             "signed_on": signed_on},
            {"name": dept_head, "unit": dept_name, "title": "局长", "signed_on": signed_on},
            {"name": "周海燕", "unit": "西山区委机构编制委员会办公室", "title": "主任",
             "signed_on": signed_on},
        ],
    }
