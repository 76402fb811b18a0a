"""The in-Django half of bench/bench_seal.py, run as a subprocess against one database
(ONESEAL_DATA_DIR / DATABASE_URL from the environment). Prints one line `RESULT <json>`.

    python bench/seal_probe.py setup          foundation demo, seals, a licence type, tokens
    python bench/seal_probe.py make N         N cases granted by the head (in-process API):
                                              their seal uses are authorised and queued
    python bench/seal_probe.py sign RUNS      render + sign one licence (baseline: render)
    python bench/seal_probe.py verify RUNS    verify one signed licence (baseline: parse)
    python bench/seal_probe.py inproc         sign every pending use in this process
    python bench/seal_probe.py count          uses by state, queued jobs, ready cases
    python bench/seal_probe.py chain          verify the audit chain
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneseal.config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils.module_loading import autodiscover_modules  # noqa: E402

from oneseal.accounts.models import User  # noqa: E402
from oneseal.accounts.services import create_token  # noqa: E402
from oneseal.applicants.models import Person  # noqa: E402
from oneseal.cases.models import Case  # noqa: E402
from oneseal.catalog.models import ChainStep, Item  # noqa: E402
from oneseal.catalog.selectors import versions_in_force  # noqa: E402
from oneseal.core import demo  # noqa: E402
from oneseal.core.audit_verify import verify_chain  # noqa: E402
from oneseal.licences.models import Licence, LicenceType  # noqa: E402
from oneseal.org.selectors import bureau  # noqa: E402
from oneseal.seal.keys import init_seals, signer_for  # noqa: E402
from oneseal.seal.models import SealUse  # noqa: E402

LIFECYCLE_ROLES = ["clerk", "reviewer", "chief", "head"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
STATE = settings.DATA_DIR / "bench-seal.json"


def setup() -> dict[str, Any]:
    """The demo foundation (calendar, org, staff, applicants, catalogue; no demo cases), the
    seals (`oneseal seal init`), and a licence type for a bureau item whose variant 01 runs
    受理 → 审查 → 审核 → 批准 (the same item as the cases benchmark)."""
    autodiscover_modules("demo")
    ctx = demo.DemoContext(write=lambda _m: None)
    for name, loader in demo.registered():
        if name == "cases":
            continue
        with transaction.atomic():
            loader(ctx)
    unit = bureau()
    init_seals(bureau_name=unit.name if unit else settings.ONESEAL_SITE_NAME,
               bureau_code=settings.ONESEAL_BUREAU_CODE)
    item_id = None
    for version in versions_in_force().filter(competent_department__isnull=False):
        variant = version.variants.filter(code="01").first()
        if variant is None or version.is_on_the_spot:
            continue
        steps = list(ChainStep.objects.filter(variant=variant).order_by("order"))
        if [s.role for s in steps] == LIFECYCLE_ROLES and not any(s.site_visit for s in steps):
            item_id = version.item_id
            break
    if item_id is None:
        raise RuntimeError("no bureau item with the chain 受理 → 审查 → 审核 → 批准")
    item = Item.objects.get(pk=item_id)
    if not LicenceType.objects.filter(item=item, active=True).exists():
        LicenceType.objects.create(code="11100000000000099", name="基准测试许可证",
                                   item=item, defining_authority="基准测试",
                                   validity_months=36, scope_label="许可范围")
    person = Person.objects.get(user__username="applicant")
    tokens = {u: create_token(actor=None, user=User.objects.get(username=u), name="bench")[0]
              for u in LIFECYCLE_ROLES}
    state = {"item_id": item_id, "person_id": person.pk, "tokens": tokens}
    STATE.write_text(json.dumps(state))
    return {"item_id": item_id, "person_id": person.pk}


def make(n: int) -> dict[str, Any]:
    """`n` cases from submission to a grant by the head, through the API in this process:
    the head may use the approval seal, so each decision authorises the seal on the
    decision and the licence and queues their signing jobs (after commit)."""
    from django.test import Client

    state = json.loads(STATE.read_text())
    tokens = state["tokens"]
    client = Client(HTTP_HOST="127.0.0.1")

    def call(path: str, body: Any, who: str) -> Any:
        response = client.post(path, data=json.dumps(body) if body is not None else None,
                               content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {tokens[who]}",
                               HTTP_PREFER="return=minimal")
        if response.status_code not in (200, 201, 204):
            raise RuntimeError(f"{path}: {response.status_code} {response.content[:300]!r}")
        return response.json() if response.content else None

    started = time.perf_counter()
    for _ in range(n):
        case = client.post("/api/v1/cases", data=json.dumps({
            "item_id": state["item_id"], "variant_code": "01",
            "applicant": {"person_id": state["person_id"]}}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens['clerk']}").json()
        base = f"/api/v1/cases/{case['id']}"
        results = [{"material": m["id"], "status": "ok" if m["required"] else "not_needed"}
                   for m in case["materials"] if m["status"] == "pending"]
        call(base + "/accept", {"results": results}, "clerk")
        for who in ("reviewer", "chief"):
            call(base + "/claim", None, who)
            call(base + "/complete-step", {"opinion": "agree"}, who)
        call(base + "/claim", None, "head")
        call(base + "/decide", {"outcome": "granted", "reasons": "符合法定条件"}, "head")
    return {"cases": n, "seconds": time.perf_counter() - started, **count()}


def _timed(fn: Callable[[], Any], runs: int) -> dict[str, Any]:
    """p50 and p95 in ms of each of ROUNDS rounds of `runs` calls (`rounds_p50`,
    `rounds_p95`), and the median round's as `p50` and `p95`: no round is picked."""
    for _ in range(3):
        fn()
    p50s, p95s = [], []
    for _ in range(ROUNDS):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        ordered = sorted(times)
        p50s.append(statistics.median(times))
        p95s.append(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))])
    return {"p50": statistics.median(p50s), "p95": statistics.median(p95s),
            "rounds_p50": p50s, "rounds_p95": p95s}


def _a_licence() -> Licence:
    licence = Licence.objects.select_related("type", "seal_use").order_by("id").first()
    if licence is None:
        raise RuntimeError("no licence: run `make` first")
    return licence


def sign(runs: int) -> dict[str, Any]:
    """Render one licence (the same template, QR code and CJK font every licence gets) and
    sign it with the approval seal: PAdES, visible seal, the key from the key store."""
    from oneseal.licences.render import render_licence
    from oneseal.seal.services import seal_for
    from oneseal.seal.sign import sign_pdf

    licence = _a_licence()
    seal = seal_for("approval")
    signer = signer_for(seal)

    def render_only() -> Any:
        return render_licence(licence)

    def render_and_sign() -> bytes:
        rendered = render_licence(licence)
        box = rendered.seal_box
        return sign_pdf(rendered.pdf, seal=seal, signer=signer,
                        box=(box.page, box.x, box.y, box.size),
                        reason="行政审批专用章", location=seal.unit.name)

    return {"render": _timed(render_only, runs), "render_sign": _timed(render_and_sign, runs),
            "render_document": _timed(_a_decision_renderer(licence), runs)}


def _a_decision_renderer(licence: Licence) -> Callable[[], bytes]:
    """Render the 准予行政许可决定书 of the licence's case (the layout and CJK font every case
    document gets), as tests/cases/test_documents.py once timed after a warm-up."""
    from oneseal.cases import documents
    from oneseal.cases.models import CaseDocument, DocumentKind

    document = CaseDocument.objects.filter(
        case_id=licence.case_id, kind=DocumentKind.GRANT_DECISION).order_by("id").first()
    if document is None:
        raise RuntimeError("the licence's case has no grant decision: run `make` first")
    return lambda: documents.render_pdf(document)


def verify(runs: int) -> dict[str, Any]:
    """Verify one signed licence as /verify does (signature, our seal, changes after
    signing, the ledger and the licence's state); baseline: parsing the file and finding
    its signature, without any cryptography."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from oneseal.licences.verification import verify_document
    from oneseal.seal.services import signed_pdf

    licence = _a_licence()
    if licence.seal_use is None or licence.seal_use.state != "signed":
        raise RuntimeError("the first licence is not signed: run `inproc` first")
    data = signed_pdf(licence.seal_use)
    answer = verify_document(data)
    if not answer["valid"]:
        raise RuntimeError(f"the licence does not verify: {answer['problems']}")

    def parse_only() -> Any:
        return PdfFileReader(io.BytesIO(data)).embedded_signatures[0].byte_range

    return {"parse": _timed(parse_only, runs),
            "verify": _timed(lambda: verify_document(data), runs)}


def inproc() -> dict[str, Any]:
    """Sign every pending use here, one after the other (what one worker does, without the
    queue): the baseline of the worker's throughput."""
    from oneseal.licences.signing import sign_pending

    pending = SealUse.objects.filter(state__in=("authorised", "failed")).count()
    licences = SealUse.objects.filter(state__in=("authorised", "failed"),
                                      key__startswith="licence:").count()
    started = time.perf_counter()
    done = sign_pending()
    seconds = time.perf_counter() - started
    return {"pending": pending, "licences": licences, "signed": len(done),
            "seconds": seconds, **count()}


def count() -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    uses = dict(SealUse.objects.values_list("state").annotate(n=Count("id")))
    licence_uses = dict(SealUse.objects.filter(key__startswith="licence:")
                        .values_list("state").annotate(n=Count("id")))
    return {"uses": uses, "licence_uses": licence_uses,
            "queued": DBTaskResult.objects.filter(status="READY").count(),
            "ready_cases": Case.objects.filter(state="ready").count(),
            "decided_cases": Case.objects.filter(state="decided").count()}


def main() -> None:
    what = sys.argv[1]
    if what == "setup":
        result: Any = setup()
    elif what == "make":
        result = make(int(sys.argv[2]))
    elif what == "sign":
        result = sign(int(sys.argv[2]))
    elif what == "verify":
        result = verify(int(sys.argv[2]))
    elif what == "inproc":
        result = inproc()
    elif what == "count":
        result = count()
    elif what == "chain":
        r = verify_chain()
        result = {"ok": r.ok, "rows": r.rows_checked}
    else:
        raise SystemExit(__doc__)
    print("RESULT " + json.dumps(result, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
