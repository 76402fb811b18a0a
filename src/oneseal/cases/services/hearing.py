"""Hearings (听证, 行政许可法 第36条, 第46–48条) before a decision.

- 第36条, 第47条: where a licence concerns major interests between the applicant and others,
  the bureau tells the applicant and the interested parties (利害关系人) of their right to
  ask for a hearing (`case_hearing_notice`, a 听证告知书 to each of them). They have five
  days to ask, counted in calendar days with 《民法典》第203条 (a last day that is a statutory
  rest day moves to the next working day); no decision while that window is open
  (`frame._ensure_no_open_hearing_window`).
- 第46条: the bureau may call a hearing itself, without a request (`case_special_start` with
  `called_by_bureau`); the applicant and the interested parties are then told of its time and
  place (第48条) by a 听证告知书 each.

Every 听证告知书 is a notice of the case (`documents.issue_document`): the signing pipeline
seals it with the acceptance seal like the other notices.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from oneseal.core.audit import audit_frame
from oneseal.core.workcalendar.domain import ClockError, LimitUnit, civil_period_end
from oneseal.core.workcalendar.selectors import get_work_calendar

from .. import documents
from ..domain.states import Operation
from ..errors import RuleViolation
from ..models import Case, DocumentKind, HearingNotice
from .frame import HEARING_REQUEST_DAYS, _begin, _record, _required_text

MAX_PARTIES = 50


def hearing_request_end(notified: dt.date) -> dt.date:
    """The last day to ask for a hearing (行政许可法 第47条: 五日内): five days after being
    told, counted in calendar days (民法典 第201条), moved past a statutory rest day (第203条)."""
    try:
        return civil_period_end(get_work_calendar(), notified, HEARING_REQUEST_DAYS,
                                LimitUnit.DAYS)
    except ClockError as exc:
        raise RuleViolation(exc.message(_), code="calendar_not_covered") from exc


def clean_parties(parties: Any) -> list[str]:
    """The interested parties' names (利害关系人), trimmed, without blanks or repeats."""
    names = [str(p).strip()[:200] for p in (parties or []) if str(p).strip()]
    names = list(dict.fromkeys(names))
    if len(names) > MAX_PARTIES:
        raise RuleViolation(_("利害关系人最多%(n)d个。") % {"n": MAX_PARTIES},
                            code="too_many_parties")
    return names


def issue_hearing_notices(*, case: Case, actor: Any, on: dt.date, parties: list[str],
                          details: dict[str, Any]) -> list[Any]:
    """One 听证告知书 to the applicant and one to each interested party (第36条, 第47条)."""
    issued = [documents.issue_document(
        actor=actor, case=case, kind=DocumentKind.HEARING_NOTICE, on=on,
        details={**details, "addressee": case.applicant_name, "to_party": False})]
    for name in parties:
        issued.append(documents.issue_document(
            actor=actor, case=case, kind=DocumentKind.HEARING_NOTICE, on=on,
            details={**details, "addressee": name, "to_party": True}))
    return issued


def case_hearing_notice(*, actor: Any, case: Case | int, reason: str, parties: list[str],
                        at: dt.datetime | None = None) -> Case:
    """告知听证权利 (行政许可法 第36条, 第47条): the licence concerns major interests between
    the applicant and others (named in `parties`); each is told in writing of the right to ask
    for a hearing within five days (民法典 第203条). The decision waits until that day has
    passed, unless a hearing is started first."""
    with audit_frame():
        case, now, today = _begin(actor, case, Operation.HEARING_NOTICE, at)
        reason = _required_text(reason, _("请写明需要告知听证权利的理由（涉及的重大利益）。"),
                                "reason_required")
        names = clean_parties(parties)
        if not names:
            raise RuleViolation(_("请填写利害关系人（第四十七条：告知申请人、利害关系人）。"),
                                code="parties_required")
        request_by = hearing_request_end(today)
        notice = HearingNotice.objects.create(case=case, notified_on=today,
                                              request_by=request_by, parties=names,
                                              reason=reason, notified_by=actor)
        _record(case, actor=actor, op=Operation.HEARING_NOTICE, now=now, today=today,
                state_from=case.state, reason=reason, recompute=False,
                data={"notice": notice.pk, "parties": names,
                      "request_by": request_by.isoformat()})
        issue_hearing_notices(case=case, actor=actor, on=today, parties=names, details={
            "stage": "rights", "reason": reason, "notified_on": today.isoformat(),
            "request_by": request_by.isoformat()})
        return case
