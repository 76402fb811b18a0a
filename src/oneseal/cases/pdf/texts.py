"""The wording of each legal document (法律文书), built from its snapshot `context` only, so
a document renders the same every time. Each builder returns the blocks between the heading
and the signature; `layout.py` turns them into PDF. The text is plain (no markup).

The statutes cited are those of 《中华人民共和国行政许可法》 (2019): 受理 and 不予受理 第32条,
补正 第32条第一款第（四）项 (一次性告知), 特别程序 第45条 (hearings 第47–48条), 延期 第42条,
准予 第38条第一款 and 第44条, 不予许可 第38条第二款 with the remedies (行政复议 within 60
days, 行政诉讼 within 6 months).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

LAW = "《中华人民共和国行政许可法》"
# A numbering typed at the start of a line (一、 1. （1） ...): the list numbers itself.
_ENUMERATOR = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|"
                         r"[一二三四五六七八九十\d]+\s*[、.．)）])\s*")


@dataclass
class Block:
    """One piece of a document body: `para` (indented paragraph), `plain` (no indent),
    `items` (a numbered list), `table` (label/value rows) or `note` (small print)."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)


def txt(value: Any) -> str:
    return str(value if value is not None else "").strip()


def cn_date(value: Any) -> str:
    """`2026-09-01` -> `2026年9月1日` (empty stays empty)."""
    if not value:
        return ""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def _sentence(text: Any) -> str:
    """The text ending in one full stop."""
    value = str(text or "").strip().rstrip("。.；;，,")
    return txt(value) + "。" if value else ""


def _you(ctx: dict[str, Any]) -> str:
    return _("你单位") if ctx.get("applicant_kind") == "organisation" else _("你")


def _application(ctx: dict[str, Any]) -> str:
    """你于……提交的“事项”（办理项）申请（办件编号：……）"""
    return _("%(you)s于%(received)s提交的“%(item)s”（%(variant)s）行政许可申请（办件编号："
             "%(number)s）") % {
        "you": _you(ctx), "received": cn_date(ctx.get("received_on")),
        "item": txt(ctx.get("item_name")), "variant": txt(ctx.get("variant_name")),
        "number": txt(ctx.get("case_number"))}


def _remedies(ctx: dict[str, Any], what: str) -> Block:
    """The remedies a refusal must state (第38条; 行政复议 60 days, 行政诉讼 6 months)."""
    return Block("para", _(
        "%(you)s如不服本%(what)s，可以自收到本%(what)s之日起六十日内向%(body)s申请行政复议，"
        "也可以自收到本%(what)s之日起六个月内依法向人民法院提起行政诉讼。") % {
        "you": _you(ctx), "what": what, "body": txt(ctx.get("reconsideration_body"))})


def acceptance_notice(ctx: dict[str, Any]) -> list[Block]:
    """受理通知书 (第32条第一款第（五）项; deemed acceptance 第32条第一款第（四）项)."""
    if ctx.get("deemed_accepted"):
        decision = _(
            "本机关未在收到申请材料之日起五个工作日内一次性告知需要补正的全部内容。根据%(law)s"
            "第三十二条第一款第（四）项的规定，自收到申请材料之日（%(received)s）起即为受理。"
        ) % {"law": LAW, "received": cn_date(ctx.get("received_on"))}
    else:
        decision = _(
            "经审查，申请事项属于本机关职权范围，申请材料齐全、符合法定形式。根据%(law)s"
            "第三十二条第一款第（五）项的规定，本机关决定予以受理，受理日期为%(accepted)s。"
        ) % {"law": LAW, "accepted": cn_date(ctx.get("accepted_on") or ctx.get("issued_on"))}
    blocks = [Block("para", _application(ctx) + "，" + decision)]
    if ctx.get("joint"):  # 统一办理、联合办理、集中办理: 45 working days (第42条第二款)
        limits = _(
            "本事项依法%(kind)s，本机关将依照%(law)s第二十六条、第四十二条第二款的规定在法定期限内"
            "作出行政许可决定。本事项法定办结时限为45个工作日，承诺办结时限为%(promised)s个工作日"
        ) % {"kind": _joint_kind(ctx.get("joint_kind")), "law": LAW,
             "promised": ctx.get("promised_limit_days", "")}
    elif _own_limit(ctx):  # a limit another law sets in 日 or 月, or from receipt
        limits = _(
            "本机关将依照%(basis)s的规定在法定期限内作出行政许可决定。本事项法定办结时限为"
            "%(statutory)s，承诺办结时限为%(promised)s个工作日") % {
            "basis": txt(ctx.get("statutory_limit_basis")) or LAW,
            "statutory": txt(ctx.get("statutory_limit_text")),
            "promised": ctx.get("promised_limit_days", "")}
    else:
        limits = _(
            "本机关将依照%(law)s第四十二条的规定在法定期限内作出行政许可决定。本事项法定办结时限为"
            "%(statutory)s个工作日，承诺办结时限为%(promised)s个工作日") % {
            "law": LAW, "statutory": ctx.get("statutory_limit_days", ""),
            "promised": ctx.get("promised_limit_days", "")}
    if ctx.get("promised_due"):
        limits += due_clause(ctx, "promised_due", _("（承诺办结日期为%(due)s）"))
    limits += _("。依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在"
                "上述期限内（第四十五条），本机关将书面告知所需时间。")
    blocks.append(Block("para", limits))
    materials = ctx.get("materials") or []
    if materials:
        blocks.append(Block("plain", _("已收取的申请材料：")))
        blocks.append(Block("items", items=[txt(m) for m in materials]))
    if ctx.get("query_code"):
        blocks.append(Block("para", _("%(you)s可以凭办件编号和查询码（%(code)s）查询办理进度。")
                            % {"you": _you(ctx), "code": txt(ctx["query_code"])}))
    return blocks


def _joint_kind(kind: Any) -> str:
    """统一办理, 联合办理 or 集中办理 (行政许可法 第26条); 联合办理 when not recorded."""
    return {"unified": _("统一办理"), "centralised": _("集中办理")}.get(str(kind or ""),
                                                                  _("联合办理"))


def _own_limit(ctx: dict[str, Any]) -> bool:
    """The item's statutory limit is not counted as 第42条 counts (working days from
    acceptance): its unit or start comes from its own law."""
    return bool(ctx.get("statutory_limit_text")) and (
        ctx.get("statutory_limit_unit", "working_days") != "working_days"
        or ctx.get("statutory_limit_start", "acceptance") != "acceptance")


def refusal_notice(ctx: dict[str, Any]) -> list[Block]:
    """不予受理决定书 (第32条第一款第（一）、（二）项: name the competent agency)."""
    details = ctx.get("details", {})
    text = _application(ctx) + "，" + _("经审查，") + (_sentence(details.get("reason"))
                                                   or _("不符合受理条件。"))
    agency = str(details.get("competent_agency") or "").strip()
    if agency:
        text += _("该申请事项依法不属于本机关职权范围。根据%(law)s第三十二条第一款第（二）项的"
                  "规定，本机关决定不予受理。请%(you)s向%(agency)s提出申请。") % {
            "law": LAW, "you": _you(ctx), "agency": txt(agency)}
    else:
        text += _("根据%(law)s第三十二条第一款的规定，本机关决定不予受理。") % {"law": LAW}
    return [Block("para", text), _remedies(ctx, _("决定书"))]


def correction_notice(ctx: dict[str, Any]) -> list[Block]:
    """补正材料通知书: every defect in one notice (一次性告知, 第32条第一款第（四）项)."""
    details = ctx.get("details", {})
    number = int(details.get("notice_number") or 1)
    blocks = [Block("para", _application(ctx) + "，" + _(
        "经审查，申请材料不齐全或者不符合法定形式。根据%(law)s第三十二条第一款第（四）项的规定，"
        "现一次性告知%(you)s需要补正的全部内容如下：") % {"law": LAW, "you": _you(ctx)})]
    defects = details.get("defects") or []
    blocks.append(Block("items", items=[
        _("%(name)s：%(reason)s") % {"name": txt(d.get("name")),
                                   "reason": _sentence(d.get("reason")) or _("需补正。")}
        for d in defects]))
    if details.get("late"):  # 第32条第一款第（四）项: 逾期不告知的，自收到申请材料之日起即为受理
        closing = _("以上为需要补正的全部内容（一次性告知），共%(count)d项。本机关未在法定的五个"
                    "工作日内告知补正，根据%(law)s第三十二条第一款第（四）项的规定，%(you)s的申请"
                    "自%(day)s起即为受理。请%(you)s按上述要求一并补正后提交本机关，本机关依法"
                    "继续办理，办理期限自受理之日起计算。") % {
            "count": len(defects), "law": LAW, "you": _you(ctx),
            "day": cn_date(details.get("accepted_by_law_on") or ctx.get("received_on"))}
    else:
        closing = _("以上为需要补正的全部内容（一次性告知），共%(count)d项。请%(you)s按上述要求"
                    "一并补正后提交本机关；补正的申请材料齐全、符合法定形式的，"
                    "本机关将依法予以受理。") % {
            "count": len(defects), "you": _you(ctx)}
    if number > 1:
        closing += _("本通知为第%(n)d次补正通知，所列内容均为第一次补正通知已告知的事项。") % {
            "n": number}
    blocks.append(Block("para", closing))
    hand_in = _hand_in_text(ctx)
    if hand_in:
        blocks.append(Block("para", hand_in))
    return blocks


def _hand_in_text(ctx: dict[str, Any]) -> str:
    """Where and how to hand in the corrections, and whom to contact (补正材料通知书)."""
    where = ctx.get("hand_in") or {}
    if not where:
        return ""
    place = txt(where.get("address")) + txt(where.get("window"))
    parts = []
    if place:
        parts.append(_("请%(you)s携带本通知书和补正材料到%(place)s提交") % {
            "you": _you(ctx), "place": place}
            + (_("（办理时间：%(hours)s）") % {"hours": txt(where["hours"])}
               if where.get("hours") else ""))
    if where.get("online"):
        parts.append(_("也可以登录网上办事大厅，凭办件编号%(number)s和查询码%(code)s在线上传"
                       "补正材料") % {"number": txt(ctx.get("case_number")),
                                   "code": txt(ctx.get("query_code"))})
    contact = []
    if where.get("contact"):
        contact.append(_("联系人：%(name)s") % {"name": txt(where["contact"])})
    if where.get("phone"):
        contact.append(_("联系电话：%(phone)s") % {"phone": txt(where["phone"])})
    if contact:
        parts.append(_("，").join(contact))
    return _("；").join(parts) + _("。") if parts else ""


def special_notice(ctx: dict[str, Any]) -> list[Block]:
    """特别程序告知书 (第45条; hearings 第47–48条)."""
    details = ctx.get("details", {})
    label = txt(details.get("kind_label") or details.get("kind"))
    blocks = [Block("para", _(
        "%(you)s申请的“%(item)s”（%(variant)s）（办件编号：%(number)s），因%(reason)s本机关依法需要"
        "进行%(label)s。根据%(law)s第四十五条的规定，%(label)s所需时间不计算在行政许可的办理期限内。"
        "%(label)s自%(start)s开始，预计需要%(days)s个工作日；办理期限自%(label)s结束之日起继续"
        "计算。") % {
        "you": _you(ctx), "item": txt(ctx.get("item_name")),
        "variant": txt(ctx.get("variant_name")), "number": txt(ctx.get("case_number")),
        "reason": _sentence(details.get("reason")).rstrip("。") + "，", "label": label,
        "law": LAW, "start": cn_date(details.get("started_on") or ctx.get("issued_on")),
        "days": txt(details.get("expected_days"))})]
    hearing = details.get("hearing")
    if hearing:
        blocks.append(Block("para", _("根据%(law)s第四十七条、第四十八条的规定，现将听证有关事项"
                                      "告知如下：") % {"law": LAW}))
        rows = [(_("听证日期"), cn_date(hearing.get("hearing_on"))),
                (_("听证地点"), txt(hearing.get("place"))),
                (_("听证主持人"), txt(hearing.get("chair_name"))),
                (_("告知听证权利日期"), cn_date(hearing.get("rights_notified_on"))),
                (_("申请听证日期"), cn_date(hearing.get("requested_on")))]
        blocks.append(Block("items", items=[f"{label}：{value}" for label, value in rows
                                            if value]))
        blocks.append(Block("para", _(
            "听证公开举行，涉及国家秘密、商业秘密或者个人隐私的除外。申请人、利害关系人认为主持人与"
            "该行政许可事项有直接利害关系的，有权申请回避。申请人、利害关系人不承担行政机关组织听证"
            "的费用。听证应当制作笔录，本机关将根据听证笔录作出行政许可决定。")))
    return blocks


def due_clause(ctx: dict[str, Any], field: str, template: str,
               due: str | None = None) -> str:
    """`template` with the due date, unless that date is provisional (暂定, law.md §1): a
    legal document never prints a provisional date; it says instead that the limit counts
    by the State Council's schedule of the missing year(s), still to be published."""
    years = (ctx.get("provisional_dues") or {}).get(field) or []
    if years:
        return _("（期限按工作日计算，具体日期以国务院办公厅公布的%(years)s年节假日安排为准）") % {
            "years": "、".join(str(y) for y in years)}
    return template % {"due": cn_date(due or ctx.get(field))}


def _extended_limit(details: dict[str, Any]) -> str:
    """The extended limit in working days, when no date may be printed: the date could not be
    computed, or it is provisional (law.md §1: the official schedule of those years decides)."""
    text = _("，延长后的办理期限为自受理之日起%(total)s个工作日") % {
        "total": txt(details.get("total_days"))}
    years = details.get("provisional_years") or []
    if years:
        text += _("（具体日期以国务院办公厅公布的%(years)s年节假日安排为准）") % {
            "years": "、".join(str(y) for y in years)}
    return text


def extension_notice(ctx: dict[str, Any]) -> list[Block]:
    """延期告知书 (第42条: once, 10 working days; joint handling 15, second paragraph)."""
    details = ctx.get("details", {})
    joint = bool(ctx.get("joint"))
    text = _application(ctx) + "，" + _("本机关已于%(accepted)s受理。") % {
        "accepted": cn_date(ctx.get("accepted_on"))}
    text += _("因%(reason)s本机关不能在法定期限内作出决定。经%(approver)s批准，根据%(law)s"
              "第四十二条第%(para)s款的规定，办理期限延长%(days)s个工作日") % {
        "reason": _sentence(details.get("reason")).rstrip("。") + "，",
        "approver": _("本级人民政府负责人") + _government_approval(details) if joint
        else _("本机关负责人"),
        "law": LAW, "para": _("二") if joint else _("一"), "days": txt(details.get("days"))}
    if details.get("new_due"):
        text += due_clause(ctx, "statutory_due", _("，延长后的办理期限截至%(due)s"),
                           due=details["new_due"])
    elif details.get("total_days"):
        text += _extended_limit(details)
    return [Block("para", text + "。")]


def hearing_notice(ctx: dict[str, Any]) -> list[Block]:
    """听证告知书, to the applicant or to an interested party: the right to ask for a hearing
    within five days (第36条, 第47条; 《民法典》第203条), or the time and place of a hearing
    the bureau holds on request (第47–48条) or of its own motion (第46条)."""
    details = ctx.get("details", {})
    party = bool(details.get("to_party"))
    you = _("你方") if party else _you(ctx)
    application = _("%(applicant)s于%(received)s提交的“%(item)s”（%(variant)s）行政许可申请"
                    "（办件编号：%(number)s）") % {
        "applicant": _("你") if not party and ctx.get("applicant_kind") != "organisation"
        else (_("你单位") if not party else txt(ctx.get("applicant_name"))),
        "received": cn_date(ctx.get("received_on")), "item": txt(ctx.get("item_name")),
        "variant": txt(ctx.get("variant_name")), "number": txt(ctx.get("case_number"))}
    reason = _sentence(details.get("reason"))
    if details.get("stage") == "rights":
        text = _("本机关在审查%(application)s时，发现该行政许可事项%(reason)s") % {
            "application": application, "reason": reason or _("直接关系他人重大利益。")}
        if party:
            text += _("根据%(law)s第三十六条的规定，%(you)s作为利害关系人，有权进行陈述和"
                      "申辩。") % {"law": LAW, "you": you}
        text += _("根据%(law)s第四十七条的规定，%(you)s享有要求听证的权利。要求听证的，请在被告知"
                  "听证权利之日起五日内，即于%(last)s前（含当日）向本机关提出；逾期未提出的，视为"
                  "放弃听证权利。") % {"law": LAW, "you": you,
                                     "last": cn_date(details.get("request_by"))}
        return [Block("para", text), Block("para", _(
            "申请人、利害关系人不承担行政机关组织听证的费用。本机关将在听证申请期限届满后依法"
            "作出行政许可决定。"))]
    if details.get("called_by_bureau"):
        ground = _("本机关认为该事项需要听证，根据%(law)s第四十六条的规定依法举行听证") % {
            "law": LAW}
    else:
        ground = _("根据%(requested)s提出的听证申请，依照%(law)s第四十七条、第四十八条的规定"
                   "举行听证") % {"requested": cn_date(details.get("requested_on")), "law": LAW}
    text = _("关于%(application)s，%(ground)s。%(reason)s") % {
        "application": application, "ground": ground, "reason": reason}
    text += _("听证定于%(day)s在%(place)s举行，由%(chair)s主持（第四十八条：于举行听证的七日前"
              "通知）。") % {"day": cn_date(details.get("hearing_on")),
                          "place": txt(details.get("place")),
                          "chair": txt(details.get("chair_name"))}
    return [Block("para", text),
            Block("para", _(
                "听证公开举行，涉及国家秘密、商业秘密或者个人隐私的除外。%(you)s认为主持人与该行政"
                "许可事项有直接利害关系的，有权申请回避；可以提出证据，并进行申辩和质证。申请人、"
                "利害关系人不承担行政机关组织听证的费用。") % {"you": you})]


def _government_approval(details: dict[str, Any]) -> str:
    """Who in the people's government approved a joint extension, and its document number
    (第42条第二款), as the bureau entered them."""
    if not details.get("document_number"):
        return ""
    return _("（%(approver)s，%(number)s）") % {"approver": txt(details.get("approver")),
                                               "number": txt(details.get("document_number"))}


def grant_decision(ctx: dict[str, Any]) -> list[Block]:
    """准予行政许可决定书 (第38条第一款; certificate within 10 working days, 第44条)."""
    details = ctx.get("details", {})
    text = _application(ctx) + "，" + _("本机关已于%(accepted)s受理。经审查，") % {
        "accepted": cn_date(ctx.get("accepted_on") or ctx.get("received_on"))}
    text += _sentence(details.get("reasons")) or _("%(you)s的申请符合法定条件、标准。") % {
        "you": _you(ctx)}
    text += _("根据%(law)s第三十八条第一款的规定，本机关决定准予行政许可。") % {"law": LAW}
    return [Block("para", text), Block("para", _(
        "本机关将依照%(law)s第四十四条的规定，自作出决定之日起十个工作日内向%(you)s颁发、送达"
        "行政许可证件或者加贴标签、加盖检验、检测、检疫印章。") % {"law": LAW, "you": _you(ctx)})]


def refusal_decision(ctx: dict[str, Any]) -> list[Block]:
    """不予行政许可决定书 (第38条第二款: reasons, and the remedies)."""
    details = ctx.get("details", {})
    reasons = [_ENUMERATOR.sub("", line).strip()
               for line in str(details.get("reasons") or "").splitlines() if line.strip()]
    head = _application(ctx) + "，" + _("本机关已于%(accepted)s受理。经审查，%(you)s的申请不符合"
                                        "法定条件、标准，理由如下：") % {
        "accepted": cn_date(ctx.get("accepted_on") or ctx.get("received_on")),
        "you": _you(ctx)}
    blocks = [Block("para", head)]
    if len(reasons) > 1:
        blocks.append(Block("items", items=[_sentence(r) for r in reasons]))
    else:
        blocks.append(Block("para", _sentence(reasons[0] if reasons else _("未说明理由"))))
    blocks.append(Block("para", _("根据%(law)s第三十八条第二款的规定，本机关决定不予行政许可。")
                        % {"law": LAW}))
    blocks.append(_remedies(ctx, _("决定书")))
    return blocks


def delivery_receipt(ctx: dict[str, Any]) -> list[Block]:
    """送达回证: what was delivered, how, when, to whom, and the collector's signature."""
    details = ctx.get("details", {})
    documents = details.get("documents") or []
    delivered = "\n".join(
        txt(d.get("title")) + (_("（%(n)s）") % {"n": txt(d["number"])} if d.get("number") else "")
        for d in documents) or txt(details.get("documents_text") or _("行政许可决定书"))
    method = str(details.get("method") or "")
    rows: list[tuple[str, str]] = [
        (_("办件编号"), txt(ctx.get("case_number"))),
        (_("事项名称"), txt(f"{ctx.get('item_name', '')}（{ctx.get('variant_name', '')}）")),
        (_("送达文书"), delivered),
        (_("受送达人"), txt(ctx.get("applicant_name"))),
        (_("送达方式"), txt(details.get("method_label") or method)),
        (_("送达日期"), cn_date(details.get("delivered_on") or ctx.get("issued_on"))),
    ]
    if details.get("address"):
        rows.append((_("送达地址"), txt(details["address"])))
    if details.get("carrier") or details.get("tracking_number"):
        rows.append((_("寄递企业及邮件号"),
                     txt(f"{details.get('carrier', '')} {details.get('tracking_number', '')}")))
    if details.get("collector_name"):
        rows.append((_("领取人"), txt(details["collector_name"])))
    rows.append((_("受送达人（领取人）签名"),
                 "\n\n" + _("签名：%(gap)s%(gap)s%(gap)s年%(gap2)s月%(gap2)s日") % {
                     "gap": " " * 8, "gap2": " " * 4}))
    rows.append((_("送达人"), "\n"))
    if details.get("note"):
        rows.append((_("备注"), txt(details["note"])))
    return [Block("table", rows=rows)]


BUILDERS: dict[str, Callable[[dict[str, Any]], list[Block]]] = {
    "acceptance_notice": acceptance_notice,
    "refusal_notice": refusal_notice,
    "correction_notice": correction_notice,
    "special_notice": special_notice,
    "extension_notice": extension_notice,
    "hearing_notice": hearing_notice,
    "grant_decision": grant_decision,
    "refusal_decision": refusal_decision,
    "delivery_receipt": delivery_receipt,
}


def contact_line(ctx: dict[str, Any]) -> str:
    hall = ctx.get("hall") or {}
    parts = []
    if hall.get("address"):
        parts.append(_("办理地点：%(v)s") % {"v": txt(hall["address"])})
    if hall.get("phone"):
        parts.append(_("联系电话：%(v)s") % {"v": txt(hall["phone"])})
    return "；".join(parts)
