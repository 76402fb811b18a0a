"""The online hall's demo: drafts for `applicant` and `company`, and an online application of
食品经营许可 waiting for corrections, whose form's 经营项目 is kept on the case; once."""

from __future__ import annotations

import pytest

from oneseal.cases.demo_online import load_online
from oneseal.cases.models import ApplicationDraft, Case
from oneseal.catalog.demo import load_catalog, load_forms

pytestmark = pytest.mark.django_db


def test_demo_gives_drafts_and_a_case_to_correct_once(org, cast, person, company):
    load_catalog()
    load_forms()
    assert "waiting for corrections" in load_online()
    case = Case.objects.get(channel="online")
    assert (case.state, case.person_id) == ("correcting", person.pk)
    assert case.form_data["business_scope"] == "热食类食品制售"
    assert case.correction_notices.get().defects[0]["name"].startswith("经营场所平面图")
    drafts = ApplicationDraft.objects.filter(case__isnull=True)
    assert {(d.owner.username, d.organisation_id) for d in drafts} == {
        ("applicant", None), ("company", company.pk)}
    assert load_online() == "unchanged"
    assert Case.objects.count() == 1 and drafts.count() == 2
