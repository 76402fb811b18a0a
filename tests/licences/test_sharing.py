"""Back-office verification of materials (证明材料后台核验, 国务院令第716号 第7条): a material
obtainable by sharing is attached from the holder's valid licence with its provenance, and
not from a suspended, expired or someone else's licence, nor from another type."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.cases.models import CaseMaterial
from oneseal.core.models import AuditEvent
from oneseal.licences.models import Licence, LicenceType, MaterialProvenance
from oneseal.licences.sharing import attach_shared
from tests.cases.helpers import submit

SUBMITTED = "2026-09-01"


def business_licence(kind: LicenceType, holder, *, state: str = "valid",
                     valid_to: dt.date | None = dt.date(2030, 12, 31), serial: int = 1):
    """A 营业执照 in the library (issued by the market regulator, not by a case here)."""
    person = holder if hasattr(holder, "id_number") else None
    org = None if person else holder
    return Licence.objects.create(
        identifier=f"1.2.156.3005.2.{kind.code}.91530000MA6K0000XX.{serial}.001.X",
        type=kind, number=f"YZ{serial:04d}", name=kind.name, issuer_name="西山区市场监督管理局",
        issuer_code="11530112MB1234567X", issued_on=dt.date(2025, 3, 1),
        defining_authority=kind.defining_authority, valid_from=dt.date(2025, 3, 1),
        valid_to=valid_to, jurisdiction="云南省昆明市西山区",
        holder_name=holder.name, holder_id=person.id_number if person else org.credit_code,
        holder_id_type="111" if person else "001", holder_person=person,
        holder_organisation=org, item_name="企业登记", item_code="X", state=state)


def _material(case, name="营业执照"):
    return CaseMaterial.objects.get(case=case, name=name)


def test_order716_art7_valid_licence_is_attached_on_submission(cast, catalogue, company,
                                                               business_licence_type):
    held = business_licence(business_licence_type, company)
    case = submit(cast, catalogue.bureau_item, organisation=company, on=SUBMITTED)
    material = _material(case)
    assert material.status == "shared"
    assert material.checked_by is None and material.checked_at is not None
    provenance = material.provenance
    assert (provenance.licence, provenance.identifier, provenance.version) == (
        held, held.identifier, 1)
    assert _material(case, "申请表").status == "pending"  # not shareable: untouched
    audit = AuditEvent.objects.filter(kind="licence.share").get()
    assert audit.subject == f"case:{case.pk}"
    assert audit.payload["materials"][0]["identifier"] == held.identifier


def test_order716_art7_attach_shared_directly_and_idempotently(cast, catalogue, person,
                                                               business_licence_type):
    case = submit(cast, catalogue.bureau_item, person, on=SUBMITTED)
    assert _material(case).status == "pending"  # nothing in the library yet
    business_licence(business_licence_type, person)
    made = attach_shared(case)
    assert [p.material.name for p in made] == ["营业执照"]
    assert attach_shared(case) == []
    assert MaterialProvenance.objects.count() == 1


@pytest.mark.parametrize("state", ["suspended", "revoked", "cancelled", "expired", "penalty"])
def test_order716_art7_licence_not_in_force_is_not_attached(cast, catalogue, company,
                                                            business_licence_type, state):
    business_licence(business_licence_type, company, state=state)
    case = submit(cast, catalogue.bureau_item, organisation=company, on=SUBMITTED)
    assert _material(case).status == "pending"
    assert not MaterialProvenance.objects.exists()


def test_order716_art7_licence_past_its_end_is_not_attached_even_before_the_job(
        cast, catalogue, company, business_licence_type):
    business_licence(business_licence_type, company, valid_to=dt.date(2026, 8, 31))
    case = submit(cast, catalogue.bureau_item, organisation=company, on=SUBMITTED)
    assert _material(case).status == "pending"


def test_order716_art7_licence_valid_on_its_last_day_is_attached(cast, catalogue, company,
                                                                 business_licence_type):
    business_licence(business_licence_type, company, valid_to=dt.date(2026, 9, 1))
    case = submit(cast, catalogue.bureau_item, organisation=company, on=SUBMITTED)
    assert _material(case).status == "shared"


def test_order716_art7_someone_elses_licence_is_not_attached(cast, catalogue, company, person,
                                                             business_licence_type):
    business_licence(business_licence_type, person)  # held by 张三, not by the company
    case = submit(cast, catalogue.bureau_item, organisation=company, on=SUBMITTED)
    assert _material(case).status == "pending"


def test_order716_art7_licence_of_another_type_is_not_attached(cast, catalogue, company,
                                                               business_licence_type,
                                                               licence_type):
    business_licence(licence_type, company)  # 排污许可证: no rule for 营业执照
    case = submit(cast, catalogue.bureau_item, organisation=company, on=SUBMITTED)
    assert _material(case).status == "pending"


def test_provenance_snippet_shows_the_licence(cast, catalogue, company, business_licence_type):
    from django.template.loader import render_to_string

    held = business_licence(business_licence_type, company)
    case = submit(cast, catalogue.bureau_item, organisation=company, on=SUBMITTED)
    html = render_to_string("licences/_provenance.html", {"material": _material(case)})
    assert held.identifier in html and "营业执照" in html
    assert render_to_string("licences/_provenance.html",
                            {"material": _material(case, "申请表")}).strip() == ""


def test_order716_art7_rule_without_valid_licence_asks_the_clerk(cast, catalogue, company,
                                                                 business_licence_type):
    """The intake marks shareable materials 共享获取 up front; when the library is the named
    source (a rule exists) and holds nothing valid, the material goes back to 待核验."""
    case = submit(cast, catalogue.bureau_item, organisation=company, on=SUBMITTED)
    assert _material(case).status == "pending"


def test_shareable_material_without_a_rule_keeps_the_intake_status(cast, catalogue, company):
    case = submit(cast, catalogue.bureau_item, organisation=company, on=SUBMITTED)
    assert _material(case).status == "shared"
    assert not MaterialProvenance.objects.exists()
