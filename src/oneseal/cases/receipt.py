"""The receipt of an online application (收件凭证): what was received, when, and how to follow
it (the case number and the query code for the public progress page). A page and a PDF
rendered with the documents' layout (`pdf/layout.py`); it is not a legal document and
carries no seal: the acceptance notice or the correction notice follows (第32条)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from oneseal.core import fonts

from .documents import DEFAULT_ISSUER
from .models import Case, CheckStatus
from .pdf import layout
from .pdf.texts import Block


def receipt_rows(case: Case) -> list[tuple[str, str]]:
    received = timezone.localtime(case.received_at)
    return [
        (_("办件编号"), case.number),
        (_("查询码"), case.query_code),
        (_("事项"), f"{case.item_name}（{case.variant_name}）"),
        (_("申请人"), case.applicant_name),
        (_("收件渠道"), str(case.get_channel_display())),
        (_("收件时间"), received.strftime("%Y-%m-%d %H:%M")),
        (_("补正告知期限"), case.correction_due.isoformat() if case.correction_due else "—"),
    ]


def material_lines(case: Case) -> list[str]:
    out = []
    for m in case.materials.all():
        if m.status == CheckStatus.SHARED and m.supplied_by:
            out.append(_("%(name)s：免提交（已通过%(source)s共享获取）")
                       % {"name": m.name, "source": m.supplied_by})
        elif m.status == CheckStatus.SHARED:
            out.append(_("%(name)s：已通过共享获取") % {"name": m.name})
        else:
            count = m.files.count()
            out.append(_("%(name)s：已上传 %(n)d 个文件") % {"name": m.name, "n": count})
    return out


def render_receipt(case: Case, issuer: str = "") -> bytes:
    """The receipt as a PDF (A4)."""
    day = timezone.localtime(case.received_at).date()
    heading = layout.Heading(
        issuer=issuer or DEFAULT_ISSUER, title=_("收件凭证"),
        number_line=_("办件编号：%(number)s") % {"number": case.number},
        addressee=f"{case.applicant_name}：",
        date_text=day.strftime("%Y-%m-%d"), subject=case.item_name,
        pdf_date=day.strftime("%Y%m%d"))
    blocks: list[Any] = [
        Block("para", _("我们已收到您通过网上办事大厅提交的申请。我们将在五个工作日内告知"
                        "您是否受理；申请材料不齐全或者不符合法定形式的，将一次告知您需要"
                        "补正的全部内容（《中华人民共和国行政许可法》第三十二条）。")),
        Block("table", rows=receipt_rows(case)),
        Block("plain", _("申请材料：")),
        Block("items", items=material_lines(case)),
        Block("note", _("凭办件编号和查询码可在本局网站“办件进度查询”查询办理进度。"
                        "本凭证不是受理通知书。")),
    ]
    return layout.render(heading, blocks, font=fonts.cjk_font(), notes=[]).pdf
