"""The online form's definition (申请表字段、情形引导) on an item version: set on a draft only,
copied to the next draft, refused when incomplete (and nothing changed)."""

from __future__ import annotations

import pytest

from oneseal.catalog import online_form
from oneseal.catalog import services as catalog_services
from oneseal.catalog.exceptions import VersionLockedError
from oneseal.catalog.models import FormField, GuideQuestion
from tests.cases import online_fixtures
from tests.cases.online_fixtures import FIELDS, QUESTIONS

online_item = online_fixtures.online_item  # the fixture

pytestmark = pytest.mark.django_db


def test_published_version_keeps_its_form_and_a_new_draft_copies_it(online_item):
    published = online_item.versions.get()
    assert list(published.form_fields.values_list("key", flat=True)) == [
        "shop_name", "area", "business_scope", "change_what"]
    with pytest.raises(VersionLockedError):
        online_form.form_definition_save(actor=None, version=published, fields=[],
                                         questions=[])
    assert published.form_fields.count() == 4
    draft = catalog_services.draft_create(actor=None, item=online_item)
    change = draft.form_fields.get(key="change_what")
    assert change.variant.code == "02" and change.variant.version_id == draft.pk
    assert draft.guide_questions.get().options == QUESTIONS[0]["options"]


@pytest.mark.parametrize("fields, questions, code", [
    ([{"key": "a", "label": "", "kind": "text"}], [], "invalid_form_definition"),
    ([{"key": "a", "label": "甲", "kind": "choice"}], [], "invalid_form_definition"),
    ([{"key": "a", "label": "甲", "kind": "text", "variant": "09"}], [],
     "invalid_form_definition"),
    ([FIELDS[0], FIELDS[0]], [], "invalid_form_definition"),
    ([], [{"text": "？", "options": [{"label": "是", "variant": "09"}]}],
     "invalid_form_definition"),
])
def test_incomplete_definition_is_refused_and_nothing_changes(online_item, fields, questions,
                                                              code):
    draft = catalog_services.draft_create(actor=None, item=online_item)
    before = (FormField.objects.count(), GuideQuestion.objects.count())
    with pytest.raises(online_form.FormDefinitionError) as info:
        online_form.form_definition_save(actor=None, version=draft, fields=fields,
                                         questions=questions)
    assert info.value.code == code
    assert (FormField.objects.count(), GuideQuestion.objects.count()) == before


def test_demo_food_licence_gets_its_online_form_once(demo_catalog):
    from oneseal.catalog.demo import load_forms
    from oneseal.catalog.domain.application_form import QuestionSpec, choose_variant
    from oneseal.catalog.models import Item, ItemVersion
    from oneseal.catalog.selectors import version_in_force

    assert load_forms() == 1
    item = Item.objects.get(versions__name="食品经营许可", versions__number=1)
    version = version_in_force(item)
    scope = version.form_fields.get(key="business_scope")
    assert scope.kind == "choice" and "热食类食品制售" in scope.choices
    questions = [QuestionSpec(q.text, tuple((o["label"], o["variant"]) for o in q.options))
                 for q in version.guide_questions.all()]
    assert choose_variant(questions, [1, 1]) == "03"
    assert {v.code for v in version.variants.all()} >= {"01", "02", "03", "04"}
    assert load_forms() == 0
    assert ItemVersion.objects.filter(item=item).count() == 2


# --- the editor page ----------------------------------------------------------------------

def _editor_post(draft, **extra):
    data = {"field_count": "2", "question_count": "1",
            "f-0-key": "shop_name", "f-0-label": "店铺名称", "f-0-kind": "text",
            "f-0-required": "on", "f-1-key": "", "f-1-label": "",
            "q-0-text": "您是否已持有许可证？", "q-0-options": "没有 | 01\n有，要变更 | 02"}
    data.update(extra)
    return data


def test_editor_saves_fields_and_questions_and_keeps_input_on_error(client, cast, online_item):
    from django.urls import reverse

    from tests.login_helpers import log_in

    draft = catalog_services.draft_create(actor=None, item=online_item)
    url = reverse("catalog_admin:online_form", args=[draft.pk])
    log_in(client, cast["catalog_admin"])
    assert "店铺名称" in client.get(url).content.decode()
    bad = client.post(url, _editor_post(draft, **{"f-0-kind": "choice"}))
    assert bad.status_code == 422 and 'value="shop_name"' in bad.content.decode()
    assert draft.form_fields.count() == 4  # unchanged
    assert client.post(url, _editor_post(draft)).status_code == 302
    assert list(draft.form_fields.values_list("key", flat=True)) == ["shop_name"]
    assert draft.guide_questions.get().options == [{"label": "没有", "variant": "01"},
                                                   {"label": "有，要变更", "variant": "02"}]


@pytest.mark.parametrize("who", ["applicant", "clerk", "head", "sysadmin", "outsider", None])
def test_editor_refused_to_all_but_catalog_admins_and_nothing_changes(client, cast,
                                                                      online_item, who):
    from django.urls import reverse

    from tests.login_helpers import log_in

    draft = catalog_services.draft_create(actor=None, item=online_item)
    if who is not None:
        log_in(client, cast[who])
    url = reverse("catalog_admin:online_form", args=[draft.pk])
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, _editor_post(draft)).status_code in (302, 403)
    assert draft.form_fields.count() == 4 and draft.guide_questions.count() == 1
