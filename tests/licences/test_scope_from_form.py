"""The licence's scope (许可范围 / 经营项目) is what the applicant applied for: the online form's
`business_scope` field when the case has one; never the item's name (issue 11: a licence's
经营范围 comes from the application). Without one, the licence prints no scope line."""

from __future__ import annotations

from oneseal.cases import services as case_services
from oneseal.cases.models import Case
from oneseal.licences.models import Licence
from tests.cases.helpers import accepted, bureau_to_final

from .conftest import DECIDED_ON, at, granted


def test_licence_scope_is_the_scope_applied_for(cast, catalogue, person, licence_type):
    case = accepted(cast, catalogue.bureau_item, person)
    Case.objects.filter(pk=case.pk).update(form_data={"business_scope": "热食类食品制售"})
    bureau_to_final(cast, case)
    case_services.case_decide(actor=cast["head"], case=case, outcome="granted",
                              at=at(DECIDED_ON))
    assert Licence.objects.get(case=case).scope == "热食类食品制售"


def test_licence_scope_without_a_form_is_empty_never_the_item_name(cast, catalogue, person,
                                                                   licence_type):
    from oneseal.licences.render import field_rows

    case = granted(cast, catalogue, person)
    licence = Licence.objects.get(case=case)
    assert licence.scope == ""
    labels = [label for label, _value in field_rows(licence)]
    assert licence.type.scope_label not in labels and "许可事项" in labels
