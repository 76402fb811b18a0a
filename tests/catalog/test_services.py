"""Drafts, publishing and versions: a published version is never changed, a new one is; a
case binds to the version in force when it was submitted; every publish is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oneseal.catalog import services
from oneseal.catalog.exceptions import CatalogError, CatalogValidationError, VersionLockedError
from oneseal.catalog.models import Item, ItemVersion, VersionStatus
from oneseal.catalog.selectors import effective_until, version_in_force
from oneseal.core.models import AuditEvent

from .helpers import build_draft

T0 = timezone.make_aware(dt.datetime(2024, 1, 1, 9, 0))


def test_law_13_item_create_composes_the_implementation_code(org):
    draft = build_draft(None, org["dept-env"])
    assert draft.item.implementation_code == org["dept-env"].credit_code + "4" + "000100088000"
    assert draft.status == VersionStatus.DRAFT and draft.number == 1


def test_law_13_item_create_refuses_a_bad_basic_code_and_writes_nothing(org):
    with pytest.raises(CatalogValidationError) as exc:
        services.item_create(actor=None, implementing_unit=org["dept-env"], exercise_level=4,
                             basic_code="12-34", name="x", item_type="licensing",
                             competent_department=org["dept-env"])
    assert "基本编码" in exc.value.message
    assert not Item.objects.exists()


def test_duplicate_implementation_code_refused(org):
    build_draft(None, org["dept-env"])
    with pytest.raises(CatalogError, match="已存在"):
        build_draft(None, org["dept-env"])
    assert Item.objects.count() == 1


def test_article_42_draft_update_refuses_promise_beyond_statutory_limit(org):
    draft = build_draft(None, org["dept-env"])
    with pytest.raises(CatalogValidationError, match="不得超过法定办结时限"):
        services.draft_update(actor=None, version=draft, promised_limit_days=25)
    draft.refresh_from_db()
    assert draft.promised_limit_days == 10


def test_publish_reports_every_missing_element_and_leaves_the_draft(org):
    draft = services.item_create(
        actor=None, implementing_unit=org["dept-env"], exercise_level=4,
        basic_code="000100077000", name="不完整事项", item_type="licensing",
        competent_department=org["dept-env"])
    events = AuditEvent.objects.count()
    with pytest.raises(CatalogValidationError) as exc:
        services.version_publish(actor=None, version=draft)
    codes = {p.code for p in exc.value.problems}
    assert {"legal_basis_missing", "variants_missing", "required"} <= codes
    paths = {p.path for p in exc.value.problems}
    assert ("acceptance_conditions",) in paths and ("review_standard",) in paths
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT and draft.valid_from is None
    assert AuditEvent.objects.count() == events


def test_publish_makes_the_version_read_only_and_writes_an_audit_event(org, cast):
    actor = cast["catalog_admin"]
    draft = build_draft(actor, org["dept-env"])
    version = services.version_publish(actor=actor, version=draft, valid_from=T0)
    assert version.status == VersionStatus.PUBLISHED
    assert len(version.content_hash) == 64 and "|PSXK" in version.listing.search_key
    event = AuditEvent.objects.filter(kind="catalog.publish").latest("seq")
    assert event.subject == f"item:{version.item_id}"
    assert event.actor_id == actor.pk
    assert event.payload["content_hash"] == version.content_hash
    assert event.payload["version"] == 1
    with pytest.raises(VersionLockedError):
        services.draft_update(actor=actor, version=version, name="改名")
    with pytest.raises(VersionLockedError):
        services.draft_set_rows(actor=actor, version=version, kind="legal_bases", rows=[])
    with pytest.raises(VersionLockedError):
        services.variant_save(actor=actor, version=version, code="02", name="变更")
    version.refresh_from_db()
    assert version.name == "排水许可（测试）"
    assert version.legal_bases.count() == 1 and version.variants.count() == 1


def test_a_new_version_binds_cases_from_its_valid_from(org):
    v1 = services.version_publish(actor=None, version=build_draft(None, org["dept-env"]),
                                  valid_from=T0)
    draft = services.draft_create(actor=None, item=v1.item)
    assert draft.number == 2 and draft.variants.get().materials.count() == 1
    services.draft_update(actor=None, version=draft, promised_limit_days=6)
    t1 = T0 + dt.timedelta(days=30)
    v2 = services.version_publish(actor=None, version=draft, valid_from=t1)
    item = v1.item
    assert version_in_force(item, T0 - dt.timedelta(seconds=1)) is None
    assert version_in_force(item, T0) == v1
    assert version_in_force(item, t1 - dt.timedelta(seconds=1)) == v1
    assert version_in_force(item, t1) == v2
    assert effective_until(v1) == t1 and effective_until(v2) is None
    v1.refresh_from_db()
    assert (v1.promised_limit_days, v2.promised_limit_days) == (10, 6)  # v1 untouched


def test_new_version_must_start_after_the_current_one(org):
    v1 = services.version_publish(actor=None, version=build_draft(None, org["dept-env"]),
                                  valid_from=T0)
    draft = services.draft_create(actor=None, item=v1.item)
    with pytest.raises(CatalogValidationError, match="必须晚于现行版本"):
        services.version_publish(actor=None, version=draft, valid_from=T0)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_version_with_an_end_lapses(org):
    end = T0 + dt.timedelta(days=10)
    v1 = services.version_publish(actor=None, version=build_draft(None, org["dept-env"]),
                                  valid_from=T0, valid_to=end)
    assert version_in_force(v1.item, end - dt.timedelta(seconds=1)) == v1
    assert version_in_force(v1.item, end) is None


def test_draft_create_returns_the_open_draft_and_discard_deletes_it(org):
    v1 = services.version_publish(actor=None, version=build_draft(None, org["dept-env"]),
                                  valid_from=T0)
    draft = services.draft_create(actor=None, item=v1.item)
    assert services.draft_create(actor=None, item=v1.item) == draft
    services.draft_discard(actor=None, version=draft)
    assert list(ItemVersion.objects.values_list("number", flat=True)) == [1]
    with pytest.raises(VersionLockedError):
        services.draft_discard(actor=None, version=v1)


def test_on_the_spot_item_steps_must_take_no_time(org):
    draft = build_draft(None, org["dept-env"], promised=10)
    services.draft_update(actor=None, version=draft, promised_limit_days=0)
    with pytest.raises(CatalogValidationError, match="即办件"):
        services.version_publish(actor=None, version=draft)
