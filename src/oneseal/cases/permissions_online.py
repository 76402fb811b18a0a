"""Who may see and edit drafts of online applications (申请草稿), and who may apply online.

A draft is private to the account that started it; a draft made for an organisation is
shared by every account that may act for the organisation (its operators,
`applicants.selectors.organisations_for`). Anyone else — another applicant, staff of any
role, an anonymous visitor — gets `CaseNotFound`, as for a case he may not see.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from oneseal.accounts.roles import Role
from oneseal.applicants.selectors import organisations_for

from .errors import CaseNotFound
from .models_online import ApplicationDraft


def may_apply_online(user: Any) -> bool:
    """An applicant or an organisation's operator (申请人、经办人) applies online."""
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.APPLICANT,
                                                                            Role.AGENT))


def visible_drafts(user: Any) -> QuerySet[ApplicationDraft]:
    """The drafts `user` may see, not yet submitted, newest first."""
    if not may_apply_online(user):
        return ApplicationDraft.objects.none()
    org_ids = list(organisations_for(user).values_list("pk", flat=True))
    mine = Q(owner=user, organisation__isnull=True)
    if org_ids:
        mine |= Q(organisation_id__in=org_ids)
    return ApplicationDraft.objects.filter(mine, case__isnull=True).select_related("item")


def access_draft(*, user: Any, draft_id: int) -> ApplicationDraft:
    """The unsubmitted draft `user` may see and edit, or `CaseNotFound`."""
    draft = visible_drafts(user).select_related("version", "person", "organisation").filter(
        pk=draft_id).first()
    if draft is None:
        raise CaseNotFound()
    return draft
