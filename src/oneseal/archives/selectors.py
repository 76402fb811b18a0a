"""Reads of the archives for the pages: the index (search, filters, masked applicants),
a package's file list from its manifest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from oneseal.core.masking import mask_name

from . import storage
from .domain.bagit import MANIFEST, decode_path
from .models import ArchivePackage


def search(data: dict[str, Any]) -> QuerySet[ArchivePackage]:
    rows = ArchivePackage.objects.all()
    q = (data.get("q") or "").strip()
    if q:
        rows = rows.filter(Q(case_number__startswith=q) | Q(archive_number__startswith=q)
                           | Q(applicant_name__startswith=q))
    item = (data.get("item") or "").strip()
    if item:
        rows = rows.filter(Q(item_name__contains=item) | Q(item_code__startswith=item))
    if data.get("year"):
        rows = rows.filter(year=data["year"])
    if data.get("retention"):
        rows = rows.filter(retention=data["retention"])
    if data.get("state"):
        rows = rows.filter(state=data["state"])
    return rows.order_by("-year", "-id")


def shown_applicant(package: ArchivePackage) -> str:
    """A person's name masked (张**) in lists; an organisation's name is public."""
    if package.applicant_kind == "person":
        return mask_name(package.applicant_name)
    return package.applicant_name


@dataclass(frozen=True)
class ListedFile:
    path: str
    sha256: str
    size: int | None


def package_files(package: ArchivePackage) -> list[ListedFile]:
    root = storage.package_dir(package.path)
    try:
        lines = (root / MANIFEST).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    files = []
    for line in lines:
        digest, _sep, name = line.partition(" ")
        path = decode_path(name)
        target = root / path
        files.append(ListedFile(path, digest, target.stat().st_size if target.is_file()
                                else None))
    return files


def item_names() -> dict[int, str]:
    """Each item in force by id: its name and basic code, for the retention page."""
    from oneseal.catalog.selectors import versions_in_force

    return {v.item_id: f"{v.name}（{v.item.basic_code}）"
            for v in versions_in_force().select_related("item").order_by("name")}

