"""A small BagIt writer and validator (RFC 8493, BagIt 1.0; registered as RFC 8500's
neighbour in the IETF series and used by archives for fixity).

What is written, in the bag's directory:

``bagit.txt``
    ``BagIt-Version: 1.0`` and ``Tag-File-Character-Encoding: UTF-8`` (RFC 8493 §2.1.1).
``data/``
    the payload (§2.1.2).
``manifest-sha256.txt``
    one line per payload file: ``<sha256 hex> <path>`` with the path relative to the bag,
    ``/`` as separator, and CR, LF and ``%`` percent-encoded (§2.1.3).
``bag-info.txt``
    ``Label: value`` lines (§2.2.2), including ``Bagging-Date`` and ``Payload-Oxum``
    (``<octets>.<files>``).
``tagmanifest-sha256.txt``
    the SHA-256 of every tag file above (§2.2.1).

`validate_bag` re-reads every file and reports each missing, changed and extra file of the
payload and of the tag files, and a wrong Payload-Oxum, instead of stopping at the first.
The writer is plain code of this project; it reads the RFC, not another implementation.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"
BAG_INFO = "bag-info.txt"
CHUNK = 1 << 20


def encode_path(path: str) -> str:
    """Percent-encode what a manifest line cannot hold (RFC 8493 §2.1.3): % first."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def decode_path(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0d", "\r").replace("%0A", "\n") \
        .replace("%0a", "\n").replace("%25", "%")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def safe_relpath(name: str) -> str:
    """A payload path that stays inside ``data/``: no absolute path, no ``..``, no empty
    part; refused otherwise (ValueError)."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"unsafe payload path: {name!r}")
    return "/".join(parts)


@dataclass(frozen=True)
class BagFile:
    """One payload file: its path under ``data/`` and its bytes."""

    path: str
    data: bytes


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as handle:  # never overwrite a file inside a bag being written
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _manifest_text(entries: Iterable[tuple[str, str]]) -> str:
    return "".join(f"{digest} {encode_path(path)}\n" for path, digest in sorted(entries))


def _info_text(info: Mapping[str, str]) -> str:
    lines = []
    for label, value in info.items():
        if ":" in label or "\n" in label or not label.strip():
            raise ValueError(f"bad bag-info label: {label!r}")
        lines.append(f"{label}: {' '.join(str(value).split())}\n")
    return "".join(lines)


def write_bag(root: Path, files: Iterable[BagFile], info: Mapping[str, str],
              bagging_date: str) -> str:
    """Write a complete bag into the empty or missing directory `root` and return the
    SHA-256 of its tag manifest (the fingerprint of the whole bag: it fixes every tag file,
    which fix every payload file)."""
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise FileExistsError(f"bag directory not empty: {root}")
    payload: dict[str, str] = {}
    octets = 0
    for item in files:
        rel = "data/" + safe_relpath(item.path)
        if rel in payload:
            raise ValueError(f"duplicate payload path: {rel}")
        _write(root / rel, item.data)
        payload[rel] = hashlib.sha256(item.data).hexdigest()
        octets += len(item.data)
    if not payload:
        (root / "data").mkdir(exist_ok=True)
    tags: dict[str, bytes] = {
        "bagit.txt": BAGIT_TXT.encode("utf-8"),
        MANIFEST: _manifest_text(payload.items()).encode("utf-8"),
    }
    full_info = {**info, "Bagging-Date": bagging_date,
                 "Payload-Oxum": f"{octets}.{len(payload)}"}
    tags[BAG_INFO] = _info_text(full_info).encode("utf-8")
    for name, data in tags.items():
        _write(root / name, data)
    tag_lines = _manifest_text((n, hashlib.sha256(d).hexdigest()) for n, d in tags.items())
    tag_bytes = tag_lines.encode("utf-8")
    _write(root / TAGMANIFEST, tag_bytes)
    return hashlib.sha256(tag_bytes).hexdigest()


@dataclass
class BagReport:
    """What `validate_bag` found; `ok` when nothing is missing, changed or extra."""

    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    files_checked: int = 0
    tagmanifest_sha256: str = ""

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.extra or self.errors)


def _read_manifest(path: Path, report: BagReport) -> dict[str, str]:
    entries: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        report.missing.append(path.name)
        return entries
    for number, line in enumerate(text.splitlines(), 1):
        digest, sep, name = line.partition(" ")
        if not sep or len(digest) != 64:
            report.errors.append(f"{path.name}:{number}: malformed line")
            continue
        entries[decode_path(name.lstrip(" "))] = digest.lower()
    return entries


def _listing(root: Path) -> set[str]:
    found = set()
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            found.add((Path(dirpath) / name).relative_to(root).as_posix())
    return found


def _check(root: Path, expected: Mapping[str, str], report: BagReport) -> None:
    for rel, digest in sorted(expected.items()):
        target = root / rel
        if not target.is_file():
            report.missing.append(rel)
            continue
        report.files_checked += 1
        if sha256_file(target) != digest:
            report.changed.append(rel)


def _oxum(root: Path, payload: Mapping[str, str], report: BagReport) -> None:
    info = root / BAG_INFO
    try:
        lines = info.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return
    for line in lines:
        label, _sep, value = line.partition(":")
        if label.strip() == "Payload-Oxum":
            octets = sum((root / p).stat().st_size for p in payload if (root / p).is_file())
            if value.strip() != f"{octets}.{len(payload)}":
                report.errors.append(f"Payload-Oxum {value.strip()} != {octets}.{len(payload)}")


def validate_bag(root: Path, expected_tagmanifest: str | None = None) -> BagReport:
    """Check the bag at `root` completely; `expected_tagmanifest` (the fingerprint recorded
    when the bag was written) also catches a bag whose manifests were rewritten to match
    changed files."""
    report = BagReport()
    if not root.is_dir():
        report.missing.append(".")
        return report
    if (root / "bagit.txt").is_file():
        if (root / "bagit.txt").read_bytes() != BAGIT_TXT.encode("utf-8"):
            report.errors.append("bagit.txt: not BagIt 1.0 UTF-8")
    else:
        report.missing.append("bagit.txt")
    tag_path = root / TAGMANIFEST
    tags = _read_manifest(tag_path, report)
    if tag_path.is_file():
        report.tagmanifest_sha256 = sha256_file(tag_path)
        if expected_tagmanifest and report.tagmanifest_sha256 != expected_tagmanifest:
            report.changed.append(TAGMANIFEST)
    payload = _read_manifest(root / MANIFEST, report)
    _check(root, tags, report)
    _check(root, payload, report)
    listed = set(tags) | set(payload) | {TAGMANIFEST}
    for rel in sorted(_listing(root) - listed):
        report.extra.append(rel)
    for rel in payload:
        if not rel.startswith("data/"):
            report.errors.append(f"manifest path outside data/: {rel}")
    _oxum(root, payload, report)
    return report
