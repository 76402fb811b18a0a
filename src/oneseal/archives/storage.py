"""Where packages live: ``<ONESEAL_DATA_DIR>/archives/packages/<year>/<档号>/`` (a BagIt
bag; once complete, files 0400 and folders 0500: personal data, owner only), built in
``archives/tmp/`` and moved into place with one atomic rename, so a package is either absent or
complete, and never rewritten.
Settings read here (docs/archives.md): ``ONESEAL_ARCHIVE_FONDS`` (全宗号, default X001)."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from django.conf import settings

DEFAULT_FONDS = "X001"


def fonds_code() -> str:
    return str(getattr(settings, "ONESEAL_ARCHIVE_FONDS", "")
               or os.environ.get("ONESEAL_ARCHIVE_FONDS", "") or DEFAULT_FONDS)


def archive_root() -> Path:
    return Path(settings.DATA_DIR) / "archives"


def package_dir(relative: str) -> Path:
    return archive_root() / relative


def tmp_dir() -> Path:
    path = archive_root() / "tmp"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def make_read_only(root: Path) -> None:
    """Files 0400 and folders 0500, deepest first (the bag is finished)."""
    for dirpath, dirs, names in os.walk(root, topdown=False):
        for name in names:
            os.chmod(Path(dirpath) / name, stat.S_IRUSR)
        for name in dirs:
            os.chmod(Path(dirpath) / name, 0o500)
    os.chmod(root, 0o500)


def remove_tree(root: Path) -> None:
    """Remove a read-only package (destruction, or a half-built temporary bag)."""
    if not root.exists():
        return
    for dirpath, dirs, _names in os.walk(root):
        os.chmod(dirpath, 0o700)
        for name in dirs:
            os.chmod(Path(dirpath) / name, 0o700)
    shutil.rmtree(root)


def place(built: Path, relative: str) -> Path:
    """Move the finished bag `built` to its place with one rename; an older folder left at
    the place by a build that never committed is moved aside to ``archives/orphans/``."""
    target = package_dir(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        orphans = archive_root() / "orphans"
        orphans.mkdir(exist_ok=True)
        os.chmod(target, 0o700)  # moving a folder to another parent rewrites its '..'
        target.rename(orphans / f"{target.name}.{os.getpid()}.{built.name}")
    os.replace(built, target)
    make_read_only(target)
    return target
