"""The signing pipeline (licences/signing.py): a decision becomes deliverable (已签章，待送达)
only once the approval seal has signed its decision document and, on a grant, its licence
(行政许可法 第44条 delivery of the decision; 用印只能用于已作出决定的办件). Signing runs after
commit as a django-tasks job and is idempotent."""

from __future__ import annotations

import hashlib

import pytest
from django_tasks_db.models import DBTaskResult

from oneseal.cases import services as case_services
from oneseal.cases.errors import IllegalState
from oneseal.core.models import AuditEvent
from oneseal.licences import signing
from oneseal.licences.models import Licence
from oneseal.licences.tasks import sign_seal_use
from oneseal.seal import services as seal_services
from oneseal.seal.errors import SealForbidden, SealRuleViolation
from oneseal.seal.models import SealUse
from oneseal.seal.sign import verify_pdf
from tests.cases.helpers import (
    VALID_ID,
    accepted,
    at,
    check,
    fresh,
    hall_to_final,
    seal_case,
    submit,
)
from tests.conftest import CAST

from .conftest import DECIDED_ON, granted

pytestmark = pytest.mark.django_db


def _signed_files(settings) -> list:
    root = settings.DATA_DIR / "signed"
    return sorted(root.rglob("*.pdf")) if root.exists() else []


def test_art44_granted_case_signed_licence_and_decision_then_ready(cast, catalogue, person,
                                                                   licence_type, seals):
    """The head decides (准予): the licence is issued and both the decision and the licence
    are authorised at once; until signed the case is 已决定，待签章 and cannot be delivered."""
    case = granted(cast, catalogue, person)
    licence = Licence.objects.get(case=case)
    uses = SealUse.objects.filter(case=case).order_by("key")
    assert sorted(u.key for u in uses) == sorted([
        f"document:{case.documents.get(kind='grant_decision').pk}", f"licence:{licence.pk}"])
    assert {u.state for u in uses} == {"authorised"} and licence.seal_use_id is not None
    with pytest.raises(IllegalState):
        case_services.case_deliver(actor=cast["clerk"], case=case, method="post",
                                   tracking_number="1", at=at("2026-09-08"))
    signing.sign_pending(case, at=at(DECIDED_ON, 17))
    assert fresh(case).state == "ready"
    licence.refresh_from_db()
    assert licence.seal_use.state == "signed"
    verification = verify_pdf(seal_services.signed_pdf(licence.seal_use))
    assert verification.valid_overall and verification.seal_code == seals["approval"].code


def test_idempotent_signing_job_run_twice_one_file_one_ledger_row_one_audit(
        cast, catalogue, person, licence_type, seals, settings):
    """A retried (or duplicated) job never signs twice: one licence, one signed file per
    use, one ledger row per use, one `seal.use` audit event per use."""
    case = granted(cast, catalogue, person)
    use_ids = list(SealUse.objects.filter(case=case).values_list("id", flat=True))
    for use_id in use_ids:
        sign_seal_use.call(use_id)
    first = {u.pk: u.signed_sha256 for u in SealUse.objects.filter(case=case)}
    files = _signed_files(settings)
    audit = AuditEvent.objects.filter(kind="seal.use").count()
    for use_id in use_ids:  # the retry
        sign_seal_use.call(use_id)
    signing.sign_pending()
    signing.authorise_case(actor=cast["head"], case=case)  # authorising again: no new row
    assert Licence.objects.filter(case=case).count() == 1
    assert SealUse.objects.filter(case=case).count() == 2
    assert {u.pk: u.signed_sha256 for u in SealUse.objects.filter(case=case)} == first
    assert _signed_files(settings) == files
    assert AuditEvent.objects.filter(kind="seal.use").count() == audit == 2
    assert fresh(case).events.filter(kind="seal").count() == 1


def test_article_25_hall_item_waits_for_its_departments_seal_never_the_bureaus(
        cast, catalogue, person, seals, client, settings):
    """A department that keeps its item decides it in its own name under its own seal (行政
    许可法 第25条). Decided while the department has no seal yet, the case waits in the 用印
    审批 queue; the bureau head may not put a department's seal on it (403, nothing
    authorised); once `seal init` has made the department's seals, its officer authorises
    and the signing job makes it ready."""
    from oneseal.licences.selectors import waiting_cases
    from oneseal.seal.keys import init_seals
    from tests.login_helpers import log_in

    case = accepted(cast, catalogue.hall_item, person)
    hall_to_final(cast, case)
    case = case_services.case_decide(actor=cast["dept"], case=case, outcome="granted",
                                     at=at("2026-09-04"))
    assert not SealUse.objects.filter(case=case).exists()
    assert list(waiting_cases(cast["head"])) == [case]
    dept = catalogue.hall_item.implementing_unit
    report = init_seals(bureau_name=seals["approval"].unit.name,
                        bureau_code=settings.ONESEAL_BUREAU_CODE, units=[dept])
    approval = next(s for s in report.seals if s.unit_id == dept.pk and s.kind == "approval")
    assert approval.name == f"{dept.name}行政许可专用章"
    assert not seal_services.may_use(cast["head"], approval, at("2026-09-04").date())
    log_in(client, cast["head"])
    response = client.post(f"/workbench/licences/seal-queue/cases/{case.pk}/authorise/")
    assert response.status_code == 403 and not SealUse.objects.filter(case=case).exists()
    uses = signing.authorise_case(actor=cast["dept"], case=case, at=at("2026-09-04", 15))
    assert {u.seal_id for u in uses} == {approval.pk}
    assert {u.authorised_by_id for u in uses} == {cast["dept"].pk}
    signing.sign_pending(case, at=at("2026-09-04", 17))
    assert fresh(case).state == "ready"


def test_article_25_department_officer_seals_its_decision_at_once_with_its_own_seal(
        cast, catalogue, person, seals, settings):
    """With the department's seals made, its officer's decision is sealed at once with the
    department's approval seal — not the bureau's — and the decision is in its name."""
    from oneseal.cases.models import DocumentKind
    from oneseal.seal.keys import init_seals

    dept = catalogue.hall_item.implementing_unit
    init_seals(bureau_name=seals["approval"].unit.name,
               bureau_code=settings.ONESEAL_BUREAU_CODE, units=[dept])
    case = accepted(cast, catalogue.hall_item, person)
    hall_to_final(cast, case)
    case = case_services.case_decide(actor=cast["dept"], case=case, outcome="granted",
                                     at=at("2026-09-04"))
    uses = SealUse.objects.filter(case=case)
    assert uses.exists()
    assert {u.seal.unit_id for u in uses} == {dept.pk}
    assert seals["approval"].pk not in {u.seal_id for u in uses}
    decision = case.documents.get(kind=DocumentKind.GRANT_DECISION)
    assert decision.context["issuer"] == dept.name



def test_seal_use_refused_on_an_undecided_case(cast, catalogue, person, seals):
    """用印只能用于已作出决定的办件: the head cannot authorise the approval seal on a case
    still under review, and nothing is written."""
    case = accepted(cast, catalogue.bureau_item, person)
    audit = AuditEvent.objects.count()
    with pytest.raises(SealRuleViolation) as exc:
        signing.authorise_case(actor=cast["head"], case=case)
    assert exc.value.code == "case_not_decided"
    assert not SealUse.objects.exists() and AuditEvent.objects.count() == audit


def _refused_at_the_window(cast, catalogue, person, *, on="2026-09-04", moment=None):
    """The bureau's 即办件 refused on the spot by the window clerk (authorised for the item),
    who may not use the bureau's approval seal: the decision waits for the seal."""
    case_services.grant_on_spot_authorisation(actor=cast["head"], user=cast["clerk"],
                                              item=catalogue.on_spot_item)
    case = submit(cast, catalogue.on_spot_item, person, on=on)
    check(case, cast["clerk"], on=on)
    return case_services.case_decide_on_spot(actor=cast["clerk"], case=case,
                                             outcome="refused", reasons="不符合条件。",
                                             at=moment or at(on))


def test_seal_use_refused_for_someone_who_may_not_use_the_seal(cast, catalogue, person,
                                                               seals):
    case = _refused_at_the_window(cast, catalogue, person)
    for who in ("clerk", "chief", "dept", "supervisor"):
        with pytest.raises(SealForbidden):
            signing.authorise_case(actor=cast[who], case=case)
    assert not SealUse.objects.exists()


def test_delegate_authorises_at_the_decision(cast, catalogue, person,
                                                            licence_type, seals):
    """A delegate (用印授权, recorded with dates) may use the seal like the head, on the
    days the delegation covers: here the decision's day."""
    import datetime as dt

    seal_services.grant_delegation(actor=cast["head"], seal=seals["approval"],
                                   user=cast["clerk"], valid_from=dt.date(2026, 9, 4),
                                   valid_to=dt.date(2026, 9, 4))
    case = _refused_at_the_window(cast, catalogue, person)
    assert [u.authorised_by for u in SealUse.objects.filter(case=case)] == [cast["clerk"]]


def test_enqueue_happens_only_after_commit(cast, catalogue, person, licence_type, seals,
                                          django_capture_on_commit_callbacks):
    """The job is enqueued by `transaction.on_commit`: nothing is queued while the decision's
    transaction is open (a rolled-back decision signs nothing); after commit, one job per
    use, with the use id."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = granted(cast, catalogue, person)
        assert not DBTaskResult.objects.exists()
    assert DBTaskResult.objects.count() == 0 and callbacks
    for callback in callbacks:
        callback()
    uses = set(SealUse.objects.filter(case=case).values_list("id", flat=True))
    queued = list(DBTaskResult.objects.filter(task_path__endswith="sign_seal_use"))
    assert {row.args_kwargs["args"][0] for row in queued} == uses and len(queued) == 2


def test_notice_by_a_clerk_with_an_acceptance_delegation_is_signed(cast, catalogue, person,
                                                                   seals):
    """受理通知书 gets the acceptance seal when the clerk issuing it holds a delegation;
    without one it stays unsigned and listed in the queue."""

    import datetime as dt

    from oneseal.licences.selectors import unsealed_notices

    first = accepted(cast, catalogue.bureau_item, person)
    notice = first.documents.get(kind="acceptance_notice")
    assert list(unsealed_notices(cast["head"])) == [notice]
    seal_services.grant_delegation(actor=cast["head"], seal=seals["acceptance"],
                                   user=cast["clerk"], valid_from=dt.date(2026, 9, 1),
                                   valid_to=dt.date(2026, 9, 30))
    second = accepted(cast, catalogue.bureau_item, person)
    use = SealUse.objects.get(case=second)
    assert use.seal == seals["acceptance"] and use.state == "authorised"
    signing.sign_pending(second)
    use.refresh_from_db()
    data = seal_services.signed_pdf(use)
    assert hashlib.sha256(data).hexdigest() == use.signed_sha256
    assert verify_pdf(data).seal_code == seals["acceptance"].code


def test_case_page_and_api_show_the_seal_status_and_the_licence(client, cast, catalogue,
                                                                person, licence_type, seals):
    from tests.login_helpers import log_in

    case = granted(cast, catalogue, person)
    log_in(client, cast["clerk"])
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    licence = Licence.objects.get(case=case)
    assert "待签章" in page and licence.identifier in page
    seal_case(cast, case, on=DECIDED_ON)
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert "已签章" in page and f"/workbench/licences/{licence.pk}/" in page
    assert VALID_ID not in page


QUEUE_URL = "/workbench/licences/seal-queue/"
QUEUE_READERS = {"clerk", "chief", "head"}


@pytest.mark.parametrize("who", ["anonymous", *CAST])
def test_seal_queue_page_and_authorise_for_the_whole_cast(client, cast, catalogue, person,
                                                          seals, who):
    """The queue is shown to the head, the chiefs and the window clerks (the workbench
    feature); only the head (or a delegate) may authorise: everyone else gets 403 (the
    anonymous user the login page) and nothing is written."""
    from tests.login_helpers import log_in

    case = _refused_at_the_window(cast, catalogue, person)
    if who != "anonymous":
        log_in(client, cast[who])
    page = client.get(QUEUE_URL)
    post = client.post(f"{QUEUE_URL}cases/{case.pk}/authorise/")
    if who == "anonymous":
        assert page.status_code == 302 and "/login" in page["Location"]
        assert post.status_code == 302 and "/login" in post["Location"]
    elif who in QUEUE_READERS:
        assert page.status_code == 200 and case.number in page.content.decode()
        assert post.status_code == (302 if who == "head" else 403)
    else:
        assert page.status_code == 403 and post.status_code == 403
    assert SealUse.objects.filter(case=case).exists() == (who == "head")


def test_law12_delegation_must_cover_the_day_of_the_decision(cast, catalogue, person,
                                                             licence_type, seals):
    """A delegation that starts the day after the decision does not cover it: the case waits
    in the 用印审批 queue, and the ledger's authorisation time is the decision's moment when
    it does cover it."""
    import datetime as dt

    seal_services.grant_delegation(actor=cast["head"], seal=seals["approval"],
                                   user=cast["clerk"], valid_from=dt.date(2026, 9, 5),
                                   valid_to=dt.date(2026, 9, 30))
    late = _refused_at_the_window(cast, catalogue, person)
    assert not SealUse.objects.filter(case=late).exists()
    moment = at("2026-09-07")
    covered = _refused_at_the_window(cast, catalogue, person, on="2026-09-07", moment=moment)
    uses = [u for u in SealUse.objects.filter(case=covered) if u.seal.kind == "approval"]
    assert [u.authorised_by for u in uses] == [cast["clerk"]]
    assert uses[0].authorised_at == moment
