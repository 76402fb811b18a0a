"""The organisation tree of Xishan District, Kunming (昆明市西山区), as the demo and a fresh
installation load it.

Departments are those named in the 2018 work plan on relatively concentrated licensing power
(区发展改革局, 区环保局, 区住房城乡建设局, 区交通运输局, 区城管综合执法局, 区园林绿化局,
区农林局, 区水务局, 区文化旅游体育局; and, as lead or responsible units, 区政务服务局,
区工业和信息化局, 区商务和投资促进局) plus others an approval bureau deals with every day
(区市场监管局, 区卫生健康局, 区教育局). The public utilities are those the plan names for
connection services (供水, 昆明供电局西山分局). Four of Xishan's streets are included with a few
of their communities; the list of communities is illustrative, not complete.

Every legal body gets a valid unified social credit code with Xishan's administrative
division code 530112 in positions 3-8. Positions 1-2: 11 (机构编制 / 机关) for government
bodies and streets, 55 (民政 / 居民委员会) for communities, 91 (市场监管 / 企业) for the
utilities. The bureau's code is `settings.ONESEAL_BUREAU_CODE`; the others are made up for
the demo (positions 9-17 derived from the unit's internal code, check character computed).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

from oneseal.accounts.models import User
from oneseal.core.identity import make_credit_code, normalize_credit_code

from .models import Unit, UnitKind

REGION = "530112"  # 西山区
BUREAU_CODE = "bureau"

GOV, BUREAU, SECTION, DEPT, STREET, COMMUNITY, UTILITY, OTHER = (
    UnitKind.GOVERNMENT, UnitKind.BUREAU, UnitKind.SECTION, UnitKind.DEPARTMENT,
    UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.PUBLIC_SERVICE, UnitKind.OTHER,
)


@dataclass(frozen=True)
class SeedUnit:
    code: str
    name: str
    kind: str
    parent: str | None
    short_name: str = ""


SEED_UNITS: tuple[SeedUnit, ...] = (
    SeedUnit("xishan-gov", "昆明市西山区人民政府", GOV, None, "西山区人民政府"),
    # the bureau and its sections (内设科室)
    SeedUnit(BUREAU_CODE, "昆明市西山区行政审批局", BUREAU, "xishan-gov", "西山区行政审批局"),
    SeedUnit("bureau-office", "办公室", SECTION, BUREAU_CODE),
    SeedUnit("bureau-intake", "综合受理科", SECTION, BUREAU_CODE),
    SeedUnit("bureau-review-1", "审批一科（投资建设类）", SECTION, BUREAU_CODE, "审批一科"),
    SeedUnit("bureau-review-2", "审批二科（市场经营类）", SECTION, BUREAU_CODE, "审批二科"),
    SeedUnit("bureau-review-3", "审批三科（社会事务类）", SECTION, BUREAU_CODE, "审批三科"),
    SeedUnit("bureau-survey", "现场勘验科", SECTION, BUREAU_CODE),
    SeedUnit("bureau-legal", "政策法规与监督科", SECTION, BUREAU_CODE),
    # competent departments (行政主管部门)
    SeedUnit("dept-dev", "西山区发展和改革局", DEPT, "xishan-gov", "区发展改革局"),
    SeedUnit("dept-env", "西山区环境保护局", DEPT, "xishan-gov", "区环保局"),
    SeedUnit("dept-housing", "西山区住房和城乡建设局", DEPT, "xishan-gov", "区住房城乡建设局"),
    SeedUnit("dept-transport", "西山区交通运输局", DEPT, "xishan-gov", "区交通运输局"),
    SeedUnit("dept-urban", "西山区城市管理综合行政执法局", DEPT, "xishan-gov",
             "区城管综合执法局"),
    SeedUnit("dept-landscape", "西山区园林绿化局", DEPT, "xishan-gov", "区园林绿化局"),
    SeedUnit("dept-agri", "西山区农林局", DEPT, "xishan-gov", "区农林局"),
    SeedUnit("dept-water", "西山区水务局", DEPT, "xishan-gov", "区水务局"),
    SeedUnit("dept-culture", "西山区文化旅游体育局", DEPT, "xishan-gov", "区文化旅游体育局"),
    SeedUnit("dept-industry", "西山区工业和信息化局", DEPT, "xishan-gov", "区工业和信息化局"),
    SeedUnit("dept-commerce", "西山区商务和投资促进局", DEPT, "xishan-gov",
             "区商务和投资促进局"),
    SeedUnit("dept-market", "西山区市场监督管理局", DEPT, "xishan-gov", "区市场监管局"),
    SeedUnit("dept-health", "西山区卫生健康局", DEPT, "xishan-gov", "区卫生健康局"),
    SeedUnit("dept-education", "西山区教育局", DEPT, "xishan-gov", "区教育局"),
    SeedUnit("gov-services", "西山区政务服务管理局", OTHER, "xishan-gov", "区政务服务局"),
    # streets (街道办事处) and some of their communities (社区居民委员会)
    SeedUnit("street-jinbi", "西山区金碧街道办事处", STREET, "xishan-gov", "金碧街道"),
    SeedUnit("jinbi-shulin", "书林社区居民委员会", COMMUNITY, "street-jinbi", "书林社区"),
    SeedUnit("jinbi-dongsi", "东寺社区居民委员会", COMMUNITY, "street-jinbi", "东寺社区"),
    SeedUnit("jinbi-jinbi", "金碧社区居民委员会", COMMUNITY, "street-jinbi", "金碧社区"),
    SeedUnit("street-yongchang", "西山区永昌街道办事处", STREET, "xishan-gov", "永昌街道"),
    SeedUnit("yongchang-xiba", "西坝社区居民委员会", COMMUNITY, "street-yongchang", "西坝社区"),
    SeedUnit("yongchang-rixin", "日新社区居民委员会", COMMUNITY, "street-yongchang", "日新社区"),
    SeedUnit("street-qianwei", "西山区前卫街道办事处", STREET, "xishan-gov", "前卫街道"),
    SeedUnit("qianwei-qianwei", "前卫社区居民委员会", COMMUNITY, "street-qianwei", "前卫社区"),
    SeedUnit("qianwei-runcheng", "润城社区居民委员会", COMMUNITY, "street-qianwei", "润城社区"),
    SeedUnit("qianwei-xinglong", "兴隆社区居民委员会", COMMUNITY, "street-qianwei", "兴隆社区"),
    SeedUnit("street-fuhai", "西山区福海街道办事处", STREET, "xishan-gov", "福海街道"),
    SeedUnit("fuhai-fuhai", "福海社区居民委员会", COMMUNITY, "street-fuhai", "福海社区"),
    SeedUnit("fuhai-fubao", "福保社区居民委员会", COMMUNITY, "street-fuhai", "福保社区"),
    # public utilities (公共服务单位)
    SeedUnit("util-water", "昆明通用水务自来水有限公司西山分公司", UTILITY, None, "供水公司"),
    SeedUnit("util-power", "云南电网有限责任公司昆明西山供电局", UTILITY, None,
             "昆明供电局西山分局"),
)

_PREFIX = {GOV: "11", BUREAU: "11", DEPT: "11", STREET: "11", OTHER: "11",
           COMMUNITY: "55", UTILITY: "91"}


def bureau_credit_code() -> str:
    """`settings.ONESEAL_BUREAU_CODE`, checked."""
    try:
        return normalize_credit_code(settings.ONESEAL_BUREAU_CODE)
    except ValidationError as exc:
        raise ImproperlyConfigured(
            f"ONESEAL_BUREAU_CODE 不是有效的统一社会信用代码 / is not a valid unified social "
            f"credit code: {settings.ONESEAL_BUREAU_CODE!r} ({'; '.join(exc.messages)})"
        ) from exc


def credit_code_for(seed: SeedUnit) -> str | None:
    """The unit's credit code: none for internal sections, the setting for the bureau, and
    for the others 17 characters derived from the internal code plus the check character."""
    if seed.kind == BUREAU:
        return bureau_credit_code()
    prefix = _PREFIX.get(seed.kind)
    if prefix is None:
        return None
    digits = str(int(hashlib.sha256(seed.code.encode()).hexdigest(), 16))[:7]
    body = ("MA" if seed.kind == UTILITY else "MB") + digits
    return make_credit_code(prefix + REGION + body)


def load_org_tree(*, actor: User | None = None) -> dict[str, Unit]:
    """Create the units of `SEED_UNITS` that are missing and bring the others back to the
    seed's values (name, kind, parent, credit code, order). Idempotent: a second run finds
    nothing to change and writes nothing. Returns the units by internal code."""
    from .services import create_unit, update_unit

    bureau_credit_code()  # a wrong setting stops the load before anything is written
    existing = {u.code: u for u in Unit.objects.filter(code__in=[s.code for s in SEED_UNITS])}
    units: dict[str, Unit] = {}
    for position, seed in enumerate(SEED_UNITS):
        parent = units[seed.parent] if seed.parent else None
        wanted = {
            "name": seed.name, "short_name": seed.short_name, "kind": seed.kind,
            "parent": parent, "credit_code": credit_code_for(seed),
            "sort_order": (position + 1) * 10,
        }
        unit = existing.get(seed.code)
        if unit is None:
            unit = create_unit(actor=actor, code=seed.code, **wanted)
        else:
            changes = {k: v for k, v in wanted.items()
                       if (getattr(unit, k + "_id") if k == "parent" else getattr(unit, k))
                       != (v.pk if isinstance(v, Unit) else v)}
            if changes:
                unit = update_unit(actor=actor, unit=unit, **changes)
        units[seed.code] = unit
    return units
