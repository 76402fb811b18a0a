"""Builders of the marketplace tests: the services, intermediaries that entered the market
through the services (credit code, qualification approved by the catalogue administrator,
a published fee), and postings. Dates on the 2026 schedule (10-01..10-07 National Day,
Saturday 10-10 a make-up working day)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from oneseal.accounts.roles import Role
from oneseal.core.identity import make_credit_code
from oneseal.intermediaries.models import Service
from oneseal.intermediaries.services import registry, selection
from tests.cases.conftest import at
from tests.factories import UserFactory

__all__ = ["at", "make_intermediary", "make_service", "operator", "post"]


def make_service(code: str = "ZJ001", name: str = "环境影响评价") -> Service:
    return Service.objects.get_or_create(code=code, defaults={
        "name": name, "legal_basis": "《中华人民共和国环境影响评价法》第十六条",
        "compulsory": True})[0]


def operator(n: int) -> Any:
    return UserFactory(username=f"agency{n}", roles=[Role.AGENT])


def make_intermediary(n: int, service: Service, cast: dict, *, fee: str = "50000",
                      days: int = 20, approve: bool = True) -> Any:
    """Intermediary number `n`, operated by user agency<n>, qualified for `service`."""
    user = operator(n)
    code = make_credit_code(f"91530112MA{n:07d}")
    found = registry.register_intermediary(
        actor=user, name=f"测试中介机构{n:02d}", credit_code=code, legal_representative="李四",
        no_ties_declared=True, at=at("2026-09-01"))
    q = registry.submit_qualification(
        actor=user, intermediary_id=found.pk, service_id=service.pk, name="资质",
        certificate_number=f"ZZ-{n:04d}", issuer="省生态环境厅", valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2028, 12, 31), at=at("2026-09-01"))
    if approve:
        registry.review_qualification(actor=cast["catalog_admin"], qualification_id=q.pk,
                                      approve=True, at=at("2026-09-02"))
    registry.publish_fee(actor=user, intermediary_id=found.pk, service_id=service.pk,
                         max_fee=Decimal(fee), basis="按项目规模", promised_days=days,
                         at=at("2026-09-02"))
    found.refresh_from_db()
    return found


def post(owner: Any, service: Service, *, method: str = "draw", cap: str = "60000",
         state_funded: bool = False, on: str = "2026-09-21", close: str = "2026-09-28") -> Any:
    return selection.post_need(
        actor=owner, service_id=service.pk, project="西山区某厂房建设项目",
        scope="编制环境影响报告表", budget_cap=cap, method=method, offers_close_at=at(close, 17),
        state_funded=state_funded, at=at(on))


def bid(found: Any, posting: Any, price: str = "40000", days: int = 15,
        on: str = "2026-09-22") -> Any:
    user = found.users.first()
    return selection.submit_bid(actor=user, posting_id=posting.pk, intermediary_id=found.pk,
                                price=price, days=days, at=at(on))
