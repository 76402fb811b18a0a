"""Issuing an electronic licence on a grant (颁发电子证照, 第44条; catalogue fields of
law.md §11): every field filled, idempotent, numbered without repeats, none on a refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from oneseal.cases import services as case_services
from oneseal.core.models import AuditEvent
from oneseal.licences import services
from oneseal.licences.domain.identifier import parse_identifier
from oneseal.licences.models import Licence, LicenceSerial
from tests.cases.helpers import check, hall_to_final, submit

from .conftest import TYPE_CODE, at, granted, granted_to_company


def test_art44_issue_licence_fills_every_catalogue_field(cast, catalogue, person, licence_type,
                                                         settings):
    case = granted(cast, catalogue, person)
    licence = services.issue_licence(case=case, actor=cast["head"])
    assert licence is not None
    parsed = parse_identifier(licence.identifier)
    assert (parsed.type_code, parsed.issuer_code, parsed.serial, parsed.version) == (
        TYPE_CODE, settings.ONESEAL_BUREAU_CODE, "2026000001", 1)
    assert licence.number == "11100000000000042-2026000001"  # type code, year, serial
    assert licence.name == "排污许可证"
    assert licence.version == 1
    assert licence.issuer_name == "昆明市西山区行政审批局"  # the seeded bureau unit
    assert licence.issuer_code == settings.ONESEAL_BUREAU_CODE
    assert licence.issued_on == dt.date(2026, 9, 7)
    assert licence.defining_authority == "生态环境部"
    assert licence.valid_from == dt.date(2026, 9, 7)
    assert licence.valid_to == dt.date(2026, 11, 6)  # 2 months less one day
    assert licence.jurisdiction == "云南省昆明市西山区"
    assert (licence.holder_name, licence.holder_id, licence.holder_id_type) == (
        "张三", "53011219800101123X", "111")
    assert licence.holder_person == person and licence.holder_organisation is None
    assert licence.item_name == case.item_name
    assert licence.item_code == catalogue.bureau_item.implementation_code
    assert licence.case == case and licence.state == "valid"
    assert licence.decision_document is not None
    assert licence.decision_document.kind == "grant_decision"
    audit = AuditEvent.objects.filter(kind="licence.issue").get()
    assert audit.subject == f"licence:{licence.pk}"


def test_issue_licence_for_an_organisation_uses_the_credit_code(cast, catalogue, company,
                                                                licence_type):
    licence = services.issue_licence(case=granted_to_company(cast, catalogue, company),
                                     actor=cast["head"])
    assert (licence.holder_id, licence.holder_id_type) == ("91530112MA6K00000C", "001")
    assert licence.holder_name == "昆明西山测试有限公司"
    assert licence.holder_organisation == company and licence.holder_person is None


def test_issue_licence_is_idempotent(cast, catalogue, person, licence_type):
    case = granted(cast, catalogue, person)
    first = services.issue_licence(case=case, actor=cast["head"])
    second = services.issue_licence(case=case, actor=cast["head"])
    assert first.pk == second.pk
    assert Licence.objects.count() == 1
    assert AuditEvent.objects.filter(kind="licence.issue").count() == 1
    assert LicenceSerial.objects.get().last == 1


def test_serials_never_repeat(cast, catalogue, person, company, licence_type):
    one = services.issue_licence(case=granted(cast, catalogue, person), actor=cast["head"])
    two = services.issue_licence(case=granted(cast, catalogue, person), actor=cast["head"])
    assert one.number == "11100000000000042-2026000001"
    assert two.number == "11100000000000042-2026000002"
    assert one.identifier != two.identifier


def test_numbers_never_repeat_across_licence_types_issued_the_same_day(
        cast, catalogue, person, licence_type):
    """Two types whose codes end alike (111…0042 and 222…0042), each issuing its first licence of
    2026 on 2026-09-07: the old numbers (last 4 of the code + year + serial) were both
    ``00422026000001``."""
    from oneseal.licences.models import LicenceType

    other = LicenceType.objects.create(
        code="22200000000000042", name="环评批复", item=catalogue.hall_item,
        defining_authority="生态环境部", validity_months=0)
    one = services.issue_licence(case=granted(cast, catalogue, person), actor=cast["head"])
    case = submit(cast, catalogue.hall_item, person, on="2026-09-01")
    check(case, cast["clerk"])
    case_services.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-01"))
    hall_to_final(cast, case)
    case = case_services.case_decide(actor=cast["dept"], case=case, outcome="granted",
                                     reasons="", at=at("2026-09-07"))
    two = services.issue_licence(case=case, actor=cast["dept"])
    assert (one.issued_on, two.issued_on) == (dt.date(2026, 9, 7), dt.date(2026, 9, 7))
    assert (one.type, two.type) == (licence_type, other)
    assert one.number == "11100000000000042-2026000001"
    assert two.number == "22200000000000042-2026000001"
    assert Licence.objects.values("number").distinct().count() == 2


def test_art38_no_licence_on_a_refusal(cast, catalogue, person, licence_type):
    case = granted(cast, catalogue, person, outcome="refused")
    assert services.issue_licence(case=case, actor=cast["head"]) is None
    assert not Licence.objects.exists()


def test_no_licence_when_the_item_has_no_active_type(cast, catalogue, person, licence_type):
    licence_type.active = False
    licence_type.save()
    case = granted(cast, catalogue, person)
    assert services.issue_licence(case=case, actor=cast["head"]) is None


def test_long_term_type_has_no_end(cast, catalogue, person, licence_type):
    licence_type.validity_months = 0
    licence_type.save()
    licence = services.issue_licence(case=granted(cast, catalogue, person), actor=cast["head"])
    assert licence.valid_to is None
    assert services.renewal_apply_by(licence) is None


def test_validity_end_clamps_to_the_month_end():
    assert services.validity_end(dt.date(2025, 12, 31), 2) == dt.date(2026, 2, 27)
    assert services.validity_end(dt.date(2026, 1, 1), 12) == dt.date(2026, 12, 31)
    assert services.validity_end(dt.date(2026, 1, 1), 0) is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_issues_of_a_type_get_serials_one_to_n(licence_type):
    """Ten decisions of the same type at the same moment in a new year: serials 1..10, no
    error (the year's counter row is created once, then locked), no duplicate."""
    import threading

    from django.db import close_old_connections, connection, transaction

    from oneseal.licences.models import LicenceSerial
    from oneseal.licences.services import _next_serial

    threads_n = 10
    barrier = threading.Barrier(threads_n)
    serials: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                serial = _next_serial(licence_type, 2031)
            with lock:
                serials.append(serial)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sorted(serials) == list(range(1, threads_n + 1))
    assert LicenceSerial.objects.get(type=licence_type, year=2031).last == threads_n


def test_article_25_department_item_licence_is_issued_in_the_departments_name(
        cast, catalogue, person, licence_type):
    """The hall item stays with its department: the licence carries the department as
    issuer, with its credit code in the identifier — not the bureau."""
    from oneseal.licences.domain.identifier import parse_identifier as parse
    from oneseal.licences.models import LicenceType

    LicenceType.objects.create(code="22200000000000042", name="环评批复",
                               item=catalogue.hall_item, defining_authority="生态环境部")
    case = submit(cast, catalogue.hall_item, person, on="2026-09-01")
    check(case, cast["clerk"])
    case_services.case_accept(actor=cast["clerk"], case=case, at=at("2026-09-01"))
    hall_to_final(cast, case)
    case = case_services.case_decide(actor=cast["dept"], case=case, outcome="granted",
                                     reasons="", at=at("2026-09-07"))
    licence = services.issue_licence(case=case, actor=cast["dept"])
    dept = catalogue.hall_item.implementing_unit
    assert (licence.issuer_name, licence.issuer_code) == (dept.name, dept.credit_code)
    assert parse(licence.identifier).issuer_code == dept.credit_code

