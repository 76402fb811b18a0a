"""The expert pool and the reproducible draw: commitment before, seed revealed after,
recusal (same unit, listed relation, recent use), recorded in the audit chain, recomputable
by anyone (the algorithm of docs/coordination.md, recomputed here by hand with hmac)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest

from oneseal.coordination import experts
from oneseal.coordination.common import Forbidden, Refused
from oneseal.coordination.domain import draw as algo
from oneseal.core.audit_verify import verify_chain
from oneseal.core.models import AuditEvent
from tests.cases.conftest import at


def test_draw_order_is_hmac_sha256_of_id_by_hand():
    seed = bytes(range(32))
    ids = [5, 2, 9, 7]
    by_hand = sorted(ids, key=lambda i: hmac.new(seed, str(i).encode(), hashlib.sha256)
                     .hexdigest())
    assert algo.draw_order(seed, ids) == by_hand
    assert algo.draw(seed, ids, 2) == by_hand[:2]
    assert algo.commitment(seed) == hashlib.sha256(seed).hexdigest()
    assert algo.seed_matches(seed, hashlib.sha256(seed).hexdigest().upper())
    assert not algo.seed_matches(b"x" + seed[1:], algo.commitment(seed))


def test_recusal_rules():
    c = algo.Candidate(1, "昆明 西山测试有限公司", ("云南某设计院",), None)
    assert algo.recusal(c, applicant_names=["昆明西山测试有限公司"], recent_days=30) \
        == algo.RECUSE_SAME_UNIT
    assert algo.recusal(c, applicant_names=["云南某设计院"], recent_days=30) \
        == algo.RECUSE_RELATION
    recent = algo.Candidate(2, "A大学", (), 29)
    assert algo.recusal(recent, applicant_names=["X"], recent_days=30) == algo.RECUSE_RECENT
    old = algo.Candidate(3, "A大学", (), 30)
    assert algo.recusal(old, applicant_names=["X"], recent_days=30) == ""


@pytest.fixture
def pool(cast):
    rows = [("甲", "云南大学"), ("乙", "昆明理工大学"), ("丙", "昆明西山测试有限公司"),
            ("丁", "云南省环科院"), ("戊", "西南林业大学"), ("己", "云南师范大学")]
    made = [experts.save_expert(actor=cast["chief"], name=n, field="环境工程",
                                title="高级工程师", unit_name=u) for n, u in rows]
    made[3].relations = ["昆明西山测试有限公司"]
    made[3].save()
    experts.save_expert(actor=cast["chief"], name="庚", field="环境工程", title="教授",
                        unit_name="云南农业大学", available=False)
    experts.save_expert(actor=cast["chief"], name="辛", field="水利", title="教授",
                        unit_name="云南农业大学")
    return made


def test_draw_commit_reveal_recusal_and_audit(cast, catalogue, company, pool):
    from tests.licences.conftest import granted_to_company
    case = granted_to_company(cast, catalogue, company)
    row = experts.commit_draw(actor=cast["reviewer"], field="环境工程", count=2,
                              case_id=case.pk, at=at("2026-09-08"))
    commit_event = AuditEvent.objects.get(seq=row.commit_audit_seq)
    assert commit_event.payload["commitment"] == row.commitment
    assert "seed" not in commit_event.payload
    row = experts.run_draw(actor=cast["reviewer"], draw_id=row.pk, at=at("2026-09-08", 11))
    assert hashlib.sha256(bytes.fromhex(row.seed)).hexdigest() == row.commitment
    # 丙 same unit, 丁 relation; 庚 unavailable; 辛 another field
    assert row.recused == {str(pool[2].pk): "same_unit", str(pool[3].pk): "relation"}
    assert row.eligible_ids == sorted([pool[0].pk, pool[1].pk, pool[4].pk, pool[5].pk])
    result = experts.recompute(seed_hex=row.seed, commitment=row.commitment,
                               eligible_ids=row.eligible_ids, count=row.count)
    assert result["matches"] and result["selected"] == row.selected_ids
    assert len(row.selected_ids) == 2
    draw_event = AuditEvent.objects.get(seq=row.draw_audit_seq)
    assert draw_event.payload["selected"] == row.selected_ids
    assert draw_event.seq > commit_event.seq
    with pytest.raises(Refused):
        experts.run_draw(actor=cast["reviewer"], draw_id=row.pk)
    # the next draw within 30 days recuses those just drawn
    nxt = experts.commit_draw(actor=cast["chief"], field="环境工程", count=2,
                              at=at("2026-09-20"))
    nxt = experts.run_draw(actor=cast["chief"], draw_id=nxt.pk, at=at("2026-09-20", 11))
    assert all(nxt.recused.get(str(pk)) == "recent" for pk in row.selected_ids)
    assert set(nxt.selected_ids).isdisjoint(row.selected_ids)
    assert verify_chain().ok


def test_too_few_experts_refused(cast, pool):
    row = experts.commit_draw(actor=cast["chief"], field="水利", count=2)
    with pytest.raises(Refused) as err:
        experts.run_draw(actor=cast["chief"], draw_id=row.pk)
    assert err.value.code == "too_few"


def test_recompute_detects_a_wrong_seed(cast, pool):
    row = experts.commit_draw(actor=cast["chief"], field="环境工程", count=1)
    row = experts.run_draw(actor=cast["chief"], draw_id=row.pk)
    other = "00" * 32
    assert not experts.recompute(seed_hex=other, commitment=row.commitment,
                                 eligible_ids=row.eligible_ids, count=1)["matches"]
    with pytest.raises(Refused):
        experts.recompute(seed_hex="zz", commitment=row.commitment, eligible_ids=[1], count=1)


@pytest.mark.parametrize("name", ["dept", "clerk", "supervisor", "applicant", "company",
                                  "outsider", "helper", "sysadmin", "catalog_admin"])
def test_pool_and_draw_refused_roles(cast, name):
    with pytest.raises(Forbidden):
        experts.save_expert(actor=cast[name], name="x", field="y", title="z", unit_name="u")
    with pytest.raises(Forbidden):
        experts.commit_draw(actor=cast[name], field="y", count=1)


def test_unavailable_until_a_date(cast, pool):
    pool[0].unavailable_until = dt.date(2026, 9, 30)
    pool[0].save()
    row = experts.commit_draw(actor=cast["chief"], field="环境工程", count=1)
    row = experts.run_draw(actor=cast["chief"], draw_id=row.pk, at=at("2026-09-29"))
    assert pool[0].pk not in row.eligible_ids
