"""The portal's part of the demo (`oneseal load-demo`): after the cases are loaded, print one
case number and its query code to try the public progress page (/progress/) with. The case is
the first case under review (审查中) of the demo, so the same case on every fresh load; its
query code is random and is printed each time the demo loads."""

from __future__ import annotations

import os

from oneseal.cases.domain.states import CaseState
from oneseal.cases.models import Case
from oneseal.core import demo


def sample_case() -> Case | None:
    return (Case.objects.filter(state=CaseState.REVIEWING).order_by("id").first()
            or Case.objects.order_by("id").first())


@demo.register("progress-sample", order=900)
def load(ctx: demo.DemoContext) -> None:
    case = sample_case()
    if case is None:
        return
    port = os.environ.get("PORT", "8000")
    ctx.log(f"进度查询示例 / try the progress page: http://127.0.0.1:{port}/progress/ "
            f"办件编号 case number {case.number}，查询码 query code {case.query_code}")
