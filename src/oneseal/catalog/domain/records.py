"""An item record: every element of an item (law.md §13) as plain data, the shape shared by
the JSON and Excel formats, the publish check and the content hash.

`normalise` fills the defaults and tidies strings; `validate` lists every problem at once
(never the first only), each with the path of the field it concerns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from . import codes, limits
from .enums import (
    CLOCK_STOPPING_KINDS,
    ItemType,
    JointHandling,
    OnlineDepth,
    PaperSize,
    ResultKind,
    SpecialKind,
)
from .problems import Problem

Record = dict[str, Any]

# 第…条 with Chinese or Arabic numerals: a legal basis must name the article (law.md §13);
# State Council decisions list items (项) rather than articles, e.g. 国务院令第412号 附件第101项.
ARTICLE_RE = re.compile(r"第[一二三四五六七八九十百千零〇两\d]+[条项]")
MAX_TEXT = 4000
MAX_NAME = 200
MAX_VISITS = 5

_SCALARS: dict[str, Any] = {
    "implementation_code": "", "basic_code": "", "exercise_level": None,
    "implementing_body_code": "", "competent_department_code": "", "name": "",
    "item_type": "", "acceptance_conditions": "", "review_standard": "",
    "statutory_limit_days": None, "statutory_limit_basis": "", "promised_limit_days": None,
    "statutory_limit_unit": limits.DEFAULT_UNIT, "statutory_limit_start": limits.DEFAULT_START,
    "extension_limit_days": None, "extension_limit_basis": "",
    "joint_handling": "", "joint_handling_basis": "",
    "handling_type": "", "fee_free": None, "online_depth": None, "visits_required": None,
    "street_available": False, "in_hall": True, "window": "", "address": "", "hours": "",
    "phone": "", "valid_from": "", "valid_to": "",
}
_LISTS: dict[str, dict[str, Any]] = {
    "legal_bases": {"law": "", "article": "", "text": ""},
    "special_procedures": {"kind": "", "usual_days": None, "legal_basis": "",
                           "stops_clock": None},
    "fees": {"name": "", "amount": "", "basis": ""},
    "results": {"name": "", "kind": "licence", "validity": ""},
    "faqs": {"question": "", "answer": ""},
}
_VARIANT = {"code": "", "name": ""}
_MATERIAL = {"name": "", "originals": 1, "copies": 0, "paper_size": "A4", "required": True,
             "shareable": False, "share_source": "", "legal_basis": "", "note": ""}
_STEP = {"name": "", "role": "", "limit_days": None, "skippable_on_spot": False,
         "site_visit": False}
_TRANSFER = {"from_department_code": "", "effective_on": "", "document_no": "",
             "approval_duty": "", "supervision_duty": ""}
_SIGNATORY = {"name": "", "unit": "", "title": "", "signed_on": ""}
# What the content hash leaves out: validity is when, not what; the memo is not versioned.
_NOT_HASHED = ("valid_from", "valid_to", "transfer")
# Step keys added after versions were first published, hashed only when they differ from
# their default: a version published before the key existed keeps its stored hash (the
# audit chain records it), and re-importing its file still finds it unchanged.
_STEP_HASHED_UNLESS_DEFAULT = {"site_visit": False}
# The same for the item's own limit (unit, start, extension cap: issue 11): a version
# counted as 第42条 counts keeps its hash.
_HASHED_UNLESS_DEFAULT: dict[str, Any] = {
    "statutory_limit_unit": limits.DEFAULT_UNIT, "statutory_limit_start": limits.DEFAULT_START,
    "extension_limit_days": None, "extension_limit_basis": "",
    # and joint handling set by the item's law (第26条, 第42条第二款; issue 11)
    "joint_handling": "", "joint_handling_basis": ""}


def _tidy(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _fill(raw: Any, template: dict[str, Any]) -> dict[str, Any]:
    data = raw if isinstance(raw, dict) else {}
    out = {key: _tidy(data.get(key, default)) for key, default in template.items()}
    for key in data.keys() - template.keys():  # unknown keys are kept, and reported
        out[key] = data[key]
    return out


def _fill_list(raw: Any, template: dict[str, Any]) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        return raw  # type: ignore[no-any-return]  # reported by validate
    return [_fill(row, template) for row in raw]


def normalise(raw: Record) -> Record:
    """The record with every key present, defaults filled and codes in upper case."""
    rec = _fill(raw, _SCALARS)
    for key in ("implementation_code", "basic_code", "implementing_body_code",
                "competent_department_code"):
        if isinstance(rec[key], str):
            rec[key] = rec[key].upper()
    if not rec["implementation_code"]:
        try:
            rec["implementation_code"] = codes.implementation_code(
                str(rec["implementing_body_code"]), rec["exercise_level"], str(rec["basic_code"]))
        except (ValueError, TypeError):
            pass  # validate() names the bad part
    for key in ("statutory_limit_unit", "statutory_limit_start"):
        if rec[key] in (None, ""):
            rec[key] = _SCALARS[key]
    if rec["extension_limit_days"] == "":
        rec["extension_limit_days"] = None
    if rec["joint_handling"] is None:
        rec["joint_handling"] = ""
    if rec["statutory_limit_days"] in (None, ""):
        rec["statutory_limit_days"] = limits.DEFAULT_STATUTORY_LIMIT
        rec["statutory_limit_basis"] = rec["statutory_limit_basis"] or (
            limits.DEFAULT_STATUTORY_BASIS)
    for key, template in _LISTS.items():
        rec[key] = _fill_list(raw.get(key), template)
    for proc in rec["special_procedures"] if isinstance(rec["special_procedures"], list) else []:
        if proc.get("stops_clock") is None:
            proc["stops_clock"] = proc.get("kind") in CLOCK_STOPPING_KINDS
    for fee in rec["fees"] if isinstance(rec["fees"], list) else []:
        fee["amount"] = _money(fee.get("amount"))
    if rec["fee_free"] is None and isinstance(rec["fees"], list):
        rec["fee_free"] = not rec["fees"]
    if not rec["handling_type"] and isinstance(rec["promised_limit_days"], int):
        rec["handling_type"] = limits.handling_type(rec["promised_limit_days"]).value
    variants = raw.get("variants")
    rec["variants"] = _fill_list(variants, _VARIANT)
    if isinstance(rec["variants"], list):
        for variant, source in zip(rec["variants"], variants or [], strict=False):
            src = source if isinstance(source, dict) else {}
            variant["materials"] = _fill_list(src.get("materials"), _MATERIAL)
            variant["steps"] = _fill_list(src.get("steps"), _STEP)
    transfer = raw.get("transfer")
    if transfer:
        rec["transfer"] = _fill(transfer, _TRANSFER)
        rec["transfer"]["from_department_code"] = str(
            rec["transfer"]["from_department_code"] or "").upper()
        rec["transfer"]["signatories"] = _fill_list(
            transfer.get("signatories") if isinstance(transfer, dict) else None, _SIGNATORY)
    else:
        rec["transfer"] = None
    return rec


def _money(value: Any) -> Any:
    if value in (None, ""):
        return ""
    try:
        return str(Decimal(str(value)).quantize(Decimal("0.01")))
    except (InvalidOperation, ValueError):
        return value


def _hashed_step(step: Any) -> Any:
    if not isinstance(step, dict):
        return step
    return {k: v for k, v in step.items()
            if not (k in _STEP_HASHED_UNLESS_DEFAULT and v is _STEP_HASHED_UNLESS_DEFAULT[k])}


def _hashed_variant(variant: Any) -> Any:
    if not isinstance(variant, dict) or not isinstance(variant.get("steps"), list):
        return variant
    return {**variant, "steps": [_hashed_step(s) for s in variant["steps"]]}


def content_hash(rec: Record) -> str:
    """SHA-256 of the canonical JSON of a normalised record, less validity and memo: two
    files that say the same about an item have the same hash (idempotent re-import).

    A step's `site_visit` counts only when true, so the hashes of versions published before
    the flag existed (all of them without a site visit) stay what they were."""
    body = {k: v for k, v in rec.items() if k not in _NOT_HASHED and not (
        k in _HASHED_UNLESS_DEFAULT and v == _HASHED_UNLESS_DEFAULT[k])}
    if isinstance(body.get("variants"), list):
        body["variants"] = [_hashed_variant(v) for v in body["variants"]]
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- validation ---------------------------------------------------------------------------

def _text(rec: dict[str, Any], key: str, *, required: bool, maximum: int = MAX_TEXT,
          path: tuple[str | int, ...] = ()) -> list[Problem]:
    value = rec.get(key)
    if value is None or value == "":
        return [Problem("required", (*path, key))] if required else []
    if not isinstance(value, str):
        return [Problem("not_text", (*path, key), {"value": value})]
    if len(value) > maximum:
        return [Problem("too_long", (*path, key), {"maximum": maximum, "length": len(value)})]
    return []


def _integer(rec: dict[str, Any], key: str, minimum: int, maximum: int,
             path: tuple[str | int, ...] = ()) -> list[Problem]:
    value = rec.get(key)
    if value is None or value == "":
        return [Problem("required", (*path, key))]
    if isinstance(value, bool) or not isinstance(value, int):
        return [Problem("not_integer", (*path, key), {"value": value})]
    if not minimum <= value <= maximum:
        return [Problem("out_of_range", (*path, key),
                        {"value": value, "minimum": minimum, "maximum": maximum})]
    return []


def _boolean(rec: dict[str, Any], key: str, path: tuple[str | int, ...] = ()) -> list[Problem]:
    if not isinstance(rec.get(key), bool):
        return [Problem("not_boolean", (*path, key), {"value": rec.get(key)})]
    return []


def _choice(rec: dict[str, Any], key: str, allowed: Iterable[str],
            path: tuple[str | int, ...] = ()) -> list[Problem]:
    value = rec.get(key)
    if value in (None, ""):
        return [Problem("required", (*path, key))]
    if value not in set(allowed):
        return [Problem("not_a_choice", (*path, key), {"value": value})]
    return []


def _date(value: Any, path: tuple[str | int, ...], *, required: bool) -> list[Problem]:
    if value in (None, ""):
        return [Problem("required", path)] if required else []
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return [Problem("not_date", path, {"value": value})]
    return []


def _datetime(value: Any, path: tuple[str | int, ...]) -> list[Problem]:
    if value in (None, ""):
        return []
    try:
        dt.datetime.fromisoformat(str(value))
    except ValueError:
        return [Problem("not_datetime", path, {"value": value})]
    return []


def _unknown(rec: dict[str, Any], template: dict[str, Any], path: tuple[str | int, ...],
             extra: Iterable[str] = ()) -> list[Problem]:
    known = set(template) | set(extra)
    return [Problem("unknown_field", (*path, key)) for key in rec if key not in known]


def _rows(rec: Record, key: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    rows = rec.get(key)
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        return [], [Problem("not_list", (key,))]
    return rows, []


def validate(rec: Record, *, roles: Iterable[str]) -> list[Problem]:
    """Every problem of a normalised record (law.md §13 elements), none left out."""
    p: list[Problem] = _unknown(rec, _SCALARS, (), [*_LISTS, "variants", "transfer"])
    p += codes.implementation_code_problems(
        rec.get("implementation_code"), str(rec.get("implementing_body_code") or ""),
        rec.get("exercise_level"), str(rec.get("basic_code") or ""))
    p += codes.uscc_problems(str(rec.get("competent_department_code") or ""),
                             "competent_department_code")
    p += _text(rec, "name", required=True, maximum=MAX_NAME)
    p += _choice(rec, "item_type", list(ItemType))
    p += _text(rec, "acceptance_conditions", required=True)
    p += _text(rec, "review_standard", required=True)
    p += limits.limit_problems(rec.get("statutory_limit_days"), rec.get("promised_limit_days"),
                               rec.get("statutory_limit_unit"))
    p += _choice(rec, "statutory_limit_start", limits.LIMIT_STARTS)
    if not limits.is_default_limit(rec.get("statutory_limit_days"),
                                   rec.get("statutory_limit_unit"),
                                   rec.get("statutory_limit_start")) and not rec.get(
            "statutory_limit_basis"):
        # Only a law or regulation may set a limit other than the 20 working days from
        # acceptance of 第42条 (its amount, unit or start).
        p.append(Problem("statutory_basis_missing", ("statutory_limit_basis",)))
    p += _text(rec, "statutory_limit_basis", required=False, maximum=500)
    p += limits.extension_problems(rec.get("extension_limit_days"),
                                   rec.get("extension_limit_basis"))
    p += _text(rec, "extension_limit_basis", required=False, maximum=500)
    p += _joint_handling(rec)
    promised = rec.get("promised_limit_days")
    if isinstance(promised, int) and not isinstance(promised, bool):
        expected = limits.handling_type(promised).value
        if rec.get("handling_type") != expected:
            p.append(Problem("handling_type_mismatch", ("handling_type",),
                             {"value": rec.get("handling_type"), "expected": expected}))
    p += _integer(rec, "online_depth", OnlineDepth.GUIDE, OnlineDepth.FULL)
    p += _integer(rec, "visits_required", 0, MAX_VISITS)
    for key in ("street_available", "in_hall", "fee_free"):
        p += _boolean(rec, key)
    for key in ("window", "address", "hours", "phone"):
        p += _text(rec, key, required=False, maximum=200)
    p += _datetime(rec.get("valid_from"), ("valid_from",))
    p += _datetime(rec.get("valid_to"), ("valid_to",))
    p += _legal_bases(rec)
    p += _special_procedures(rec)
    p += _fees(rec)
    p += _results_and_faqs(rec)
    p += _variants(rec, set(roles), promised if isinstance(promised, int) else None)
    p += _transfer(rec)
    return p


def _joint_handling(rec: Record) -> list[Problem]:
    """Joint handling set by the item (行政许可法 第26条, 第42条第二款): none, or 统一办理,
    联合办理 or 集中办理 with the law or regulation that prescribes it — it gives every case
    of the item 45 working days instead of 20."""
    value = rec.get("joint_handling")
    if value not in {j.value for j in JointHandling}:
        return [Problem("not_a_choice", ("joint_handling",), {"value": value})]
    p = _text(rec, "joint_handling_basis", required=False, maximum=500)
    if value and not p and not rec.get("joint_handling_basis"):
        p.append(Problem("joint_basis_missing", ("joint_handling_basis",)))
    return p


def _legal_bases(rec: Record) -> list[Problem]:
    """At least one legal basis, each naming its law and article (设定依据, law.md §13)."""
    rows, p = _rows(rec, "legal_bases")
    if not p and not rows:
        p.append(Problem("legal_basis_missing", ("legal_bases",)))
    for i, row in enumerate(rows):
        path = ("legal_bases", i)
        p += _unknown(row, _LISTS["legal_bases"], path)
        p += _text(row, "law", required=True, maximum=200, path=path)
        p += _text(row, "article", required=True, maximum=100, path=path)
        p += _text(row, "text", required=False, path=path)
        article = row.get("article")
        if isinstance(article, str) and article and not ARTICLE_RE.search(article):
            p.append(Problem("article_format", (*path, "article"), {"value": article}))
    return p


def _special_procedures(rec: Record) -> list[Problem]:
    """Only the procedures of 行政许可法 第45条 stop the clock; each has a usual length."""
    rows, p = _rows(rec, "special_procedures")
    seen: set[str] = set()
    for i, row in enumerate(rows):
        path = ("special_procedures", i)
        p += _unknown(row, _LISTS["special_procedures"], path)
        p += _choice(row, "kind", list(SpecialKind), path)
        p += _integer(row, "usual_days", 1, limits.MAX_LIMIT, path)
        p += _text(row, "legal_basis", required=False, maximum=500, path=path)
        p += _boolean(row, "stops_clock", path)
        if row.get("stops_clock") is True and row.get("kind") in set(SpecialKind) and (
                row["kind"] not in CLOCK_STOPPING_KINDS):
            p.append(Problem("does_not_stop_clock", (*path, "stops_clock"),
                             {"kind": row["kind"]}))
        if row.get("kind") in seen:
            p.append(Problem("duplicate", (*path, "kind"), {"value": row.get("kind")}))
        seen.add(str(row.get("kind")))
    return p


def _fees(rec: Record) -> list[Problem]:
    """Either no fee, or each fee with an amount and the basis that allows it (law.md §13,
    §14: a fee without basis is an anomaly for electronic supervision)."""
    rows, p = _rows(rec, "fees")
    if rec.get("fee_free") is True and rows:
        p.append(Problem("fee_free_with_fees", ("fee_free",)))
    if rec.get("fee_free") is False and not rows and not p:
        p.append(Problem("fees_missing", ("fees",)))
    for i, row in enumerate(rows):
        path = ("fees", i)
        p += _unknown(row, _LISTS["fees"], path)
        p += _text(row, "name", required=True, maximum=200, path=path)
        p += _text(row, "basis", required=True, maximum=500, path=path)
        amount = row.get("amount")
        try:
            if amount in (None, "") or Decimal(str(amount)) < 0:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            p.append(Problem("amount_invalid", (*path, "amount"), {"value": amount}))
    return p


def _results_and_faqs(rec: Record) -> list[Problem]:
    rows, p = _rows(rec, "results")
    for i, row in enumerate(rows):
        path = ("results", i)
        p += _unknown(row, _LISTS["results"], path)
        p += _text(row, "name", required=True, maximum=200, path=path)
        p += _choice(row, "kind", list(ResultKind), path)
        p += _text(row, "validity", required=False, maximum=200, path=path)
    faqs, q = _rows(rec, "faqs")
    p += q
    for i, row in enumerate(faqs):
        path = ("faqs", i)
        p += _unknown(row, _LISTS["faqs"], path)
        p += _text(row, "question", required=True, maximum=500, path=path)
        p += _text(row, "answer", required=True, path=path)
    return p


def _variants(rec: Record, roles: set[str], promised: int | None) -> list[Problem]:
    rows, p = _rows(rec, "variants")
    if not p and not rows:
        p.append(Problem("variants_missing", ("variants",)))
    codes_seen: set[str] = set()
    for i, variant in enumerate(rows):
        path: tuple[str | int, ...] = ("variants", i)
        p += _unknown(variant, _VARIANT, path, ["materials", "steps"])
        p += _text(variant, "code", required=True, maximum=20, path=path)
        p += _text(variant, "name", required=True, maximum=100, path=path)
        if variant.get("code") in codes_seen:
            p.append(Problem("duplicate", (*path, "code"), {"value": variant.get("code")}))
        codes_seen.add(str(variant.get("code")))
        materials = variant.get("materials")
        if not isinstance(materials, list):
            p.append(Problem("not_list", (*path, "materials")))
            materials = []
        for j, material in enumerate(materials):
            p += [q.at(*path, "materials", j) for q in _material(material)]
        steps = variant.get("steps")
        if not isinstance(steps, list):
            p.append(Problem("not_list", (*path, "steps")))
            steps = []
        p += [q.at(*path) for q in _steps(steps, roles, promised)]
    return p


def _material(row: dict[str, Any]) -> list[Problem]:
    """A material: counts, paper size, and for 免提交 the source it is shared from
    (国务院令第716号 第7条)."""
    p = _unknown(row, _MATERIAL, ())
    p += _text(row, "name", required=True, maximum=200)
    p += _integer(row, "originals", 0, 20)
    p += _integer(row, "copies", 0, 20)
    p += _choice(row, "paper_size", list(PaperSize))
    p += _boolean(row, "required")
    p += _boolean(row, "shareable")
    for key in ("legal_basis", "note", "share_source"):
        p += _text(row, key, required=False, maximum=500)
    if row.get("shareable") is True and not row.get("share_source"):
        p.append(Problem("share_source_missing", ("share_source",)))
    counts = (row.get("originals"), row.get("copies"))
    if all(isinstance(c, int) for c in counts) and row.get("shareable") is False and (
            sum(counts) == 0):  # type: ignore[arg-type]
        p.append(Problem("no_copies", ("copies",)))
    return p


def _steps(steps: list[Any], roles: set[str], promised: int | None) -> list[Problem]:
    p: list[Problem] = []
    if not steps:
        return [Problem("steps_missing", ("steps",))]
    pairs: list[tuple[int, bool]] = []
    for k, step in enumerate(steps):
        path = ("steps", k)
        if not isinstance(step, dict):
            p.append(Problem("not_list", path))
            continue
        p += _unknown(step, _STEP, path)
        p += _text(step, "name", required=True, maximum=50, path=path)
        p += _choice(step, "role", roles, path)
        p += _integer(step, "limit_days", 0, limits.MAX_LIMIT, path)
        p += _boolean(step, "skippable_on_spot", path)
        p += _boolean(step, "site_visit", path)
        pairs.append((step.get("limit_days"), step.get("skippable_on_spot") is True))  # type: ignore[arg-type]
    if not p and promised is not None:
        p += limits.chain_limit_problems(promised, pairs)
    p += _site_visit_problems(steps, promised)
    return p


def _site_visit_problems(steps: list[Any], promised: int | None) -> list[Problem]:
    """Where a step verifies the substance of an application on site (现场核查), 行政许可法
    第34条 requires two or more staff to be assigned to it. So such a step

    - is a review step: not the first step (受理, done by accepting the case at the window)
      nor the last (the decision, taken on the review), which take no site staff;
    - cannot be part of an on-the-spot item (即办件, promise 0) unless it is skipped when the
      item is decided at once: nobody goes on site while the applicant waits.
    """
    p: list[Problem] = []
    for k, step in enumerate(steps):
        if not isinstance(step, dict) or step.get("site_visit") is not True:
            continue
        where = ("steps", k, "site_visit")
        if k == 0:
            p.append(Problem("site_visit_first_step", where))
        elif k == len(steps) - 1:
            p.append(Problem("site_visit_last_step", where))
        if promised == 0 and step.get("skippable_on_spot") is not True:
            p.append(Problem("site_visit_on_the_spot", where))
    return p


def _transfer(rec: Record) -> list[Problem]:
    """A transfer memo (划转备忘录): the department it comes from, the effective date and the
    boundary of responsibilities (行政许可法 第25条)."""
    memo = rec.get("transfer")
    if memo is None:
        return []
    if not isinstance(memo, dict):
        return [Problem("not_list", ("transfer",))]
    path = ("transfer",)
    p = _unknown(memo, _TRANSFER, path, ["signatories"])
    p += [q.at("transfer") for q in codes.uscc_problems(
        str(memo.get("from_department_code") or ""), "from_department_code")]
    if memo.get("from_department_code") == rec.get("implementing_body_code"):
        p.append(Problem("transfer_to_itself", (*path, "from_department_code")))
    p += _date(memo.get("effective_on"), (*path, "effective_on"), required=True)
    p += _text(memo, "document_no", required=False, maximum=80, path=path)
    p += _text(memo, "approval_duty", required=True, path=path)
    p += _text(memo, "supervision_duty", required=True, path=path)
    signatories = memo.get("signatories")
    if not isinstance(signatories, list):
        return [*p, Problem("not_list", (*path, "signatories"))]
    for i, person in enumerate(signatories):
        where = (*path, "signatories", i)
        p += _unknown(person, _SIGNATORY, where)
        p += _text(person, "name", required=True, maximum=50, path=where)
        p += _text(person, "unit", required=True, maximum=100, path=where)
        p += _text(person, "title", required=False, maximum=50, path=where)
        p += _date(person.get("signed_on"), (*where, "signed_on"), required=False)
    return p
