"""The in-Django half of bench/bench_archives.py, run as a subprocess against one database
(ONESEAL_DATA_DIR / DATABASE_URL from the environment). Prints one line `RESULT <json>`.

    python bench/archives_probe.py foundation   the demo's organisation, staff, applicants,
                                                catalogue and seals (no cases)
    python bench/archives_probe.py build N      build N packages of closed cases without one,
                                                then copy the same package folders plainly
    python bench/archives_probe.py rebuild      (demo) drop every package and its lists,
                                                rebuild them all, then copy them plainly
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneseal.config.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils.module_loading import autodiscover_modules  # noqa: E402

from oneseal.archives import storage  # noqa: E402
from oneseal.archives.models import ArchivePackage, DestructionList, TransferList  # noqa: E402
from oneseal.archives.services import build_package, closed_without_package  # noqa: E402
from oneseal.core import demo  # noqa: E402

FOUNDATION = {"org", "applicants", "catalog", "catalog-forms", "seal"}


def foundation() -> dict[str, Any]:
    autodiscover_modules("demo")
    ctx = demo.DemoContext(write=lambda _m: None)
    for name, loader in demo.registered():
        if name not in FOUNDATION:  # the others make cases bench_cases_generate refuses
            continue
        with transaction.atomic():
            loader(ctx)
    return {"ok": True}


def _build(ids: list[int]) -> dict[str, Any]:
    t0 = time.perf_counter()
    paths = [build_package(i).path for i in ids]
    seconds = time.perf_counter() - t0
    size = sum(p.stat().st_size for rel in paths
               for p in storage.package_dir(rel).rglob("*") if p.is_file())
    target = Path(tempfile.mkdtemp(prefix="oneseal-bench-copy-"))
    t0 = time.perf_counter()
    for rel in paths:  # the baseline: the same bytes copied plainly (no hashing, no PDFs)
        shutil.copytree(storage.package_dir(rel), target / rel.replace("/", "_"))
    copy_seconds = time.perf_counter() - t0
    for path in target.rglob("*"):
        path.chmod(0o700)
    shutil.rmtree(target)
    return {"count": len(paths), "seconds": seconds, "bytes": size,
            "copy_seconds": copy_seconds}


def build(count: int) -> dict[str, Any]:
    return _build(closed_without_package()[:count])


def rebuild() -> dict[str, Any]:
    for model in (DestructionList, TransferList):
        for row in model.objects.all():
            row.packages.clear()
            row.delete()
    for package in ArchivePackage.objects.all():
        storage.remove_tree(storage.package_dir(package.path))
    ArchivePackage.objects.all().delete()
    return _build(closed_without_package())


if __name__ == "__main__":
    action = sys.argv[1]
    if action == "foundation":
        result = foundation()
    elif action == "build":
        result = build(int(sys.argv[2]))
    else:
        result = rebuild()
    print("RESULT " + json.dumps(result))
