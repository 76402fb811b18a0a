"""Who may see a case and who may do what to it (访问控制).

Reading: the bureau's staff (window, review, chiefs, head, supervisors, helpers) see every
case; a department officer sees the cases of items his department is competent for (审管联动:
it supervises them afterwards); an applicant sees the cases where he or an organisation he may
act for is the applicant, or he is the agent. Anyone else gets "not found", never "forbidden",
so a case's existence does not leak.

Writing: `may(user, op, case)` is the role and ownership rule of each operation; the state
rule is the table in `domain/states.py`. Services check both; pages and the API offer
`allowed_actions(user, case)`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from oneseal.accounts.roles import Role
from oneseal.applicants.models import Person
from oneseal.applicants.selectors import organisations_for
from oneseal.catalog.selectors import legal_body
from oneseal.org.models import UnitKind

from .domain.states import CaseState, Operation, allowed_operations
from .errors import CaseNotFound
from .models import Case, CaseStep, ExtensionStatus, OnSpotAuthorisation, StepState

BUREAU_READERS = frozenset({Role.CLERK, Role.REVIEWER, Role.CHIEF, Role.HEAD, Role.SUPERVISOR,
                            Role.HELPER})
SPECIAL_ROLES = frozenset({Role.REVIEWER, Role.CHIEF, Role.HEAD})


def _body_id(user: Any) -> int | None:
    unit = getattr(user, "unit", None)
    return legal_body(unit).pk if unit is not None else None


def reads_all_cases(user: Any) -> bool:
    """The bureau's own staff read every case. A department's clerk stationed at the hall
    (进驻窗口) holds a window role but reads, like a department officer, only the cases of
    his department."""
    if not user.has_role(*BUREAU_READERS):
        return False
    unit = getattr(user, "unit", None)
    return unit is None or legal_body(unit).kind == UnitKind.BUREAU


def _reads_department(user: Any) -> bool:
    return user.has_role(Role.DEPT_OFFICER, *BUREAU_READERS)


def _own_parts(user: Any) -> list[Q]:
    """The cases of the person behind the account (as applicant or agent) and of the
    organisations it operates for: linked to it, or through an authorisation in force
    (`applicants.selectors.organisations_for`). The ids are resolved first, so the case
    query is a few indexed lookups and never a join over the whole case table."""
    person_ids = list(Person.objects.filter(user=user).values_list("pk", flat=True))
    org_ids = list(organisations_for(user).values_list("pk", flat=True))
    parts: list[Q] = []
    if person_ids:
        parts += [Q(person_id__in=person_ids), Q(agent_id__in=person_ids)]
    if org_ids:
        parts.append(Q(organisation_id__in=org_ids))
    return parts


def _filtered(parts: list[Q]) -> QuerySet[Case]:
    if not parts:
        return Case.objects.none()
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return Case.objects.filter(q)


def visible_cases(user: Any) -> QuerySet[Case]:
    """Every case `user` may see, as one SQL filter."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    if reads_all_cases(user):
        return Case.objects.all()
    parts = _own_parts(user)
    if _reads_department(user):
        body = _body_id(user)
        if body is not None:
            parts.insert(0, Q(department_id=body))
    return _filtered(parts)


def can_see(user: Any, case: Case) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if reads_all_cases(user):
        return True
    if _reads_department(user) and _body_id(user) == case.department_id:
        return True
    return is_owner(user, case)


def is_owner(user: Any, case: Case) -> bool:
    """The applicant himself, his agent, or an account linked to the applicant organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    # asked several times while one request answers (the query code, the allowed actions,
    # visibility): once per case instance and user — an instance lives for one request
    memo = case.__dict__.setdefault("_owner_memo", {})
    if user.pk not in memo:
        memo[user.pk] = visible_cases_own(user).filter(pk=case.pk).exists()
    return bool(memo[user.pk])


def visible_cases_own(user: Any) -> QuerySet[Case]:
    return _filtered(_own_parts(user))


def access_case(*, user: Any, case_id: int, for_write: bool = False) -> Case:
    """The case `user` may see, or `CaseNotFound` (also for a case that does not exist).
    With `for_write` the caller still needs `may()` per operation; the services check it."""
    qs = visible_cases(user).filter(pk=case_id)
    if for_write:  # the service locks and reads the row again: only its identity is needed
        case = qs.only("id", "state", "department_id").first()
    else:
        case = qs.select_related("version", "variant", "item", "department", "person",
                                 "organisation", "agent").first()
    if case is None:
        raise CaseNotFound()
    return case


def open_step(case: Case) -> CaseStep | None:
    """The step of the chain being worked on now (at most one: the chain is sequential)."""
    loaded = case.prefetched("steps")
    if loaded is not None:
        working = [s for s in loaded if s.state in (StepState.OPEN, StepState.CLAIMED)]
        return min(working, key=lambda s: (s.order, -s.round), default=None)
    return (case.steps.filter(state__in=[StepState.OPEN, StepState.CLAIMED])
            .order_by("order", "-round").first())


def _may_handle_role(user: Any, role: str, case: Case) -> bool:
    if not user.has_role(role):
        return False
    if role == Role.DEPT_OFFICER:
        return _body_id(user) == case.department_id
    return True


def has_on_spot_authorisation(user: Any, case: Case) -> bool:
    return OnSpotAuthorisation.objects.filter(user=user, item_id=case.item_id,
                                              revoked_at__isnull=True).exists()


def may(user: Any, op: Operation, case: Case, step: CaseStep | None = None) -> bool:
    """The role and ownership rule of `op` on `case` (the state rule is separate)."""
    if not can_see(user, case):
        return False
    if op in (Operation.CHECK_MATERIALS, Operation.ACCEPT, Operation.REFUSE,
              Operation.CORRECTION_NOTICE, Operation.DELIVER, Operation.SPOT_CORRECTION):
        return user.has_role(Role.CLERK)
    if op is Operation.CORRECTIONS:  # handed in at the window, or online by the applicant
        return user.has_role(Role.CLERK) or is_owner(user, case)
    if op is Operation.ATTACH_FILE:
        if case.state in (CaseState.RECEIVED, CaseState.CORRECTING):
            return user.has_role(Role.CLERK) or is_owner(user, case)
        return user.has_role(*SPECIAL_ROLES) or _step_handler(user, case, step)
    if op is Operation.DECIDE_ON_SPOT:
        return (user.has_role(Role.CLERK) and case.on_the_spot
                and has_on_spot_authorisation(user, case))
    if op in (Operation.CLAIM, Operation.COMPLETE_STEP, Operation.DECIDE):
        step = step if step is not None else open_step(case)
        if step is None:
            return False
        if op is Operation.CLAIM:
            return step.state == StepState.OPEN and _may_handle_role(user, step.role, case)
        if step.state != StepState.CLAIMED or step.assignee_id != user.pk:
            return False
        return step.is_final if op is Operation.DECIDE else not step.is_final
    if op in (Operation.SPECIAL_START, Operation.SPECIAL_END, Operation.EXTENSION_REQUEST,
              Operation.HEARING_NOTICE):
        return user.has_role(*SPECIAL_ROLES) or _step_handler(user, case, step)
    if op in (Operation.MARK_JOINT, Operation.EXTENSION_GOVERNMENT):
        # The bureau decides on joint handling and enters the people's government's approval
        # of its extension (第42条第二款): a section chief or the head.
        return user.has_role(Role.CHIEF, Role.HEAD)
    if op in (Operation.EXTENSION_APPROVE, Operation.REOPEN):
        return user.has_role(Role.HEAD)
    if op is Operation.TERMINATE:
        return user.has_role(Role.CHIEF, Role.HEAD)
    if op is Operation.WITHDRAW:
        return user.has_role(Role.CLERK) or is_owner(user, case)
    return False  # SEAL is a system operation (the signing pipeline): never a person's


def _step_handler(user: Any, case: Case, step: CaseStep | None) -> bool:
    """A department officer handling the current step of his department's case."""
    step = step if step is not None else open_step(case)
    return (step is not None and step.role == Role.DEPT_OFFICER
            and _may_handle_role(user, Role.DEPT_OFFICER, case))


def allowed_actions(user: Any, case: Case) -> list[Operation]:
    """The operations to offer `user` on `case` now: allowed by the state table, by `may`,
    and by the obvious preconditions (a pending extension to approve, a defect to notify...).
    The services still check every rule when the operation is tried."""
    if not can_see(user, case):
        return []
    step = open_step(case)
    loaded = case.prefetched("extensions")

    def any_extension() -> bool:
        return bool(loaded) if loaded is not None else case.extensions.exists()

    def pending_extension() -> bool:
        if loaded is not None:
            return any(e.status == ExtensionStatus.PENDING for e in loaded)
        return case.extensions.filter(status=ExtensionStatus.PENDING).exists()

    out: list[Operation] = []
    for op in sorted(allowed_operations(CaseState(case.state)), key=list(Operation).index):
        if not may(user, op, case, step):
            continue
        if op is Operation.EXTENSION_REQUEST and any_extension():
            continue
        if op in (Operation.EXTENSION_APPROVE, Operation.EXTENSION_GOVERNMENT) and (
                (op is Operation.EXTENSION_GOVERNMENT) != case.joint
                or not pending_extension()):
            continue  # a joint case's extension is approved by the government (第42条第二款)
        if op is Operation.MARK_JOINT and (case.joint or any_extension()):
            continue
        if op is Operation.CORRECTION_NOTICE and not case.materials.filter(
                status="defective").exists():
            continue
        out.append(op)
    return out
