"""现场核查 (site visit) in an item record: 行政许可法 第34条 requires two or more staff where
the substance of an application is verified on site. The flag is part of a step's record,
defaults to false (files from before it existed still read), must be a boolean, may only
mark a review step, and cannot stay in an on-the-spot item unless skipped."""

from __future__ import annotations

import copy
import hashlib
import json

from oneseal.catalog.domain import records
from oneseal.catalog.messages import describe

from .test_records import GOOD, ROLES

# content_hash of GOOD computed before the site_visit flag existed: versions published then
# must keep their hash (the audit chain recorded it; re-imports compare against it).
GOOD_HASH_BEFORE_SITE_VISIT = "49bab38a3cc7143e94a09b9628ba2fba18fa102c9a33122e0124d703df4f9fdc"


def with_steps(steps, **changes):
    raw = copy.deepcopy(GOOD)
    raw["variants"][0]["steps"] = steps
    raw.update(changes)
    rec = records.normalise(raw)
    return rec, records.validate(rec, roles=ROLES)


def chain(*, site_at: int | None = None, promised: int = 3, skip_site: bool = False):
    days = 0 if promised == 0 else 1
    steps = [{"name": "受理", "role": "clerk", "limit_days": days},
             {"name": "审查", "role": "reviewer", "limit_days": days},
             {"name": "批准", "role": "chief", "limit_days": days}]
    if promised == 0:
        for s in steps[1:]:
            s["skippable_on_spot"] = True
    if site_at is not None:
        steps[site_at]["site_visit"] = True
        steps[site_at]["skippable_on_spot"] = skip_site or steps[site_at].get(
            "skippable_on_spot", False)
    return steps


def old_hash(rec):
    """The content hash as computed before the flag existed (no site_visit key at all)."""
    body = {k: v for k, v in copy.deepcopy(rec).items()
            if k not in ("valid_from", "valid_to", "transfer")}
    # nor the item-limit keys added later still (issue 11), at their defaults here
    for key in ("statutory_limit_unit", "statutory_limit_start", "extension_limit_days",
                "extension_limit_basis", "joint_handling", "joint_handling_basis"):
        body.pop(key, None)
    for variant in body["variants"]:
        for step in variant["steps"]:
            step.pop("site_visit", None)
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_article_34_site_visit_defaults_to_false_for_records_without_it():
    rec, problems = with_steps(chain())
    assert problems == []
    assert [s["site_visit"] for s in rec["variants"][0]["steps"]] == [False, False, False]


def test_article_34_site_visit_must_be_a_boolean():
    steps = chain()
    steps[1]["site_visit"] = "是"
    _, problems = with_steps(steps)
    assert [(p.code, p.path) for p in problems] == [
        ("not_boolean", ("variants", 0, "steps", 1, "site_visit"))]
    assert describe(problems[0]) == (
        "业务办理项 1 › 审批环节 2 › 现场核查：应为“是”或“否”（现为“是”）")
    steps[1]["site_visit"] = 1
    _, problems = with_steps(steps)
    assert [p.code for p in problems] == ["not_boolean"]


def test_article_34_site_visit_on_a_review_step_is_valid():
    rec, problems = with_steps(chain(site_at=1))
    assert problems == []
    assert [s["site_visit"] for s in rec["variants"][0]["steps"]] == [False, True, False]


def test_article_34_on_the_spot_item_cannot_keep_a_site_visit_step():
    """A 即办件 is decided while the applicant waits: nobody can go on site, so a site-visit
    step must be one that is skipped when the item is decided at once."""
    steps = chain(site_at=1, promised=0)
    steps[1]["skippable_on_spot"] = False
    _, problems = with_steps(steps, promised_limit_days=0)
    assert [(p.code, p.path) for p in problems] == [
        ("site_visit_on_the_spot", ("variants", 0, "steps", 1, "site_visit"))]
    text = describe(problems[0])
    assert text.startswith("业务办理项 1 › 审批环节 2 › 现场核查：即办件当场办结")
    assert "两名以上工作人员" in text and "第三十四条" in text
    # skipped on the spot: allowed; the same chain in a promised item: allowed
    _, problems = with_steps(chain(site_at=1, promised=0), promised_limit_days=0)
    assert problems == []
    _, problems = with_steps(steps)
    assert problems == []


def test_article_34_site_visit_is_neither_the_acceptance_nor_the_decision_step():
    _, problems = with_steps(chain(site_at=0))
    assert [(p.code, p.path) for p in problems] == [
        ("site_visit_first_step", ("variants", 0, "steps", 0, "site_visit"))]
    assert "不能设在受理环节" in describe(problems[0])
    _, problems = with_steps(chain(site_at=2))
    assert [(p.code, p.path) for p in problems] == [
        ("site_visit_last_step", ("variants", 0, "steps", 2, "site_visit"))]
    assert "不能设在最后的决定环节" in describe(problems[0])


def test_article_34_flag_off_keeps_the_hashes_of_earlier_versions():
    rec, _ = with_steps(copy.deepcopy(GOOD["variants"][0]["steps"]))
    assert records.content_hash(rec) == GOOD_HASH_BEFORE_SITE_VISIT == old_hash(rec)
    explicit = copy.deepcopy(GOOD)
    for step in explicit["variants"][0]["steps"]:
        step["site_visit"] = False
    assert records.content_hash(records.normalise(explicit)) == GOOD_HASH_BEFORE_SITE_VISIT
    explicit["variants"][0]["steps"][1]["site_visit"] = True
    flagged = records.normalise(explicit)
    assert records.content_hash(flagged) != GOOD_HASH_BEFORE_SITE_VISIT
    assert explicit["variants"][0]["steps"][1]["site_visit"] is True  # input not changed
    assert flagged["variants"][0]["steps"][1]["site_visit"] is True  # nor the record
