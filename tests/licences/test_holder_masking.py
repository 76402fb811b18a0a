"""One home for the holder's number as shown and logged (`licences.models.masked_holder_id`)
and for the lookup log (`licences.services.record_access`). Personal information:
个人信息保护法 第28条 (a resident ID number is sensitive; a credit code is public by law)."""

from __future__ import annotations

import pytest

from oneseal.licences import services
from oneseal.licences.models import HolderIdType, LicenceAccess, masked_holder_id

RESIDENT = "11010519491231002X"
CREDIT = "91530112MA6K8XYZ1Q"
ALL_DIGIT_CREDIT = "911101080000000001"  # 18 digits, yet a credit code: the type decides


def test_pipl_article_28_resident_id_masked_credit_code_kept_by_type():
    assert masked_holder_id(RESIDENT, HolderIdType.RESIDENT_ID) == "1101**********002X"
    assert masked_holder_id(CREDIT, HolderIdType.CREDIT_CODE) == CREDIT
    assert masked_holder_id(ALL_DIGIT_CREDIT, HolderIdType.CREDIT_CODE) == ALL_DIGIT_CREDIT


def test_pipl_article_28_a_typed_query_is_judged_by_its_shape():
    assert masked_holder_id(" 11010519491231002x ") == "1101**********002X"
    assert masked_holder_id(CREDIT.lower()) == CREDIT


@pytest.mark.django_db
def test_pipl_article_28_licence_shows_its_holder_masked(licence):
    assert licence.holder_id_type == HolderIdType.RESIDENT_ID
    assert licence.holder_id_masked == masked_holder_id(licence.holder_id, "111")
    assert licence.holder_id not in licence.holder_id_masked


@pytest.mark.django_db
def test_record_access_logs_who_what_and_the_answer(cast, licence):
    row = services.record_access(user=cast["clerk"], token_label="abc", ip="127.0.0.1",
                                 kind="holder", query=masked_holder_id(RESIDENT),
                                 found=[licence])
    assert LicenceAccess.objects.get() == row
    assert (row.user_id, row.token_label, row.query_kind, row.result_count,
            row.identifiers) == (cast["clerk"].pk, "abc", "holder", 1, [licence.identifier])
    assert RESIDENT not in row.query


@pytest.mark.django_db
def test_record_access_of_an_anonymous_caller_keeps_no_user():
    from django.contrib.auth.models import AnonymousUser

    row = services.record_access(user=AnonymousUser(), token_label="session", ip=None,
                                 kind="identifier", query="x", found=[])
    assert (row.user_id, row.result_count, row.identifiers) == (None, 0, [])
