"""The BagIt writer and validator (RFC 8493), without a database: every kind of damage is
named, file by file."""

from __future__ import annotations

import hashlib
import os

import pytest

from oneseal.archives.domain.bagit import (
    BAGIT_TXT,
    BagFile,
    decode_path,
    encode_path,
    validate_bag,
    write_bag,
)

FILES = [BagFile("a.txt", b"hello"), BagFile("sub/b.bin", b"\x00\x01\x02"),
         BagFile("材料/申请表.pdf", b"%PDF-1.4 x")]


def _bag(tmp_path):
    root = tmp_path / "bag"
    digest = write_bag(root, FILES, {"External-Identifier": "X001-2026-D30-1-0001"},
                       "2026-09-08")
    return root, digest


def test_written_bag_has_the_rfc_8493_files_and_verifies(tmp_path):
    root, digest = _bag(tmp_path)
    assert (root / "bagit.txt").read_text() == BAGIT_TXT
    manifest = (root / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines()
    # checked against hashlib by hand: one line per payload file, sorted by path
    assert manifest == sorted(f"{hashlib.sha256(f.data).hexdigest()} data/{f.path}"
                              for f in FILES)
    info = (root / "bag-info.txt").read_text(encoding="utf-8")
    assert "Payload-Oxum: 18.3\n" in info  # 5 + 3 + 10 octets, 3 files
    assert "Bagging-Date: 2026-09-08\n" in info
    tags = (root / "tagmanifest-sha256.txt").read_text().splitlines()
    assert {line.split(" ", 1)[1] for line in tags} == {"bagit.txt", "bag-info.txt",
                                                       "manifest-sha256.txt"}
    assert digest == hashlib.sha256((root / "tagmanifest-sha256.txt").read_bytes()).hexdigest()
    report = validate_bag(root, digest)
    assert report.ok and report.files_checked == 6


def test_every_missing_changed_and_extra_file_is_named(tmp_path):
    root, digest = _bag(tmp_path)
    (root / "data" / "a.txt").unlink()
    (root / "data" / "sub" / "b.bin").write_bytes(b"\x00\x01\x03")
    (root / "data" / "extra.txt").write_bytes(b"x")
    (root / "stray.txt").write_bytes(b"y")
    report = validate_bag(root, digest)
    assert not report.ok
    assert report.missing == ["data/a.txt"]
    assert report.changed == ["data/sub/b.bin"]
    assert report.extra == ["data/extra.txt", "stray.txt"]


def test_manifests_rewritten_to_match_a_change_are_caught_by_the_recorded_fingerprint(tmp_path):
    root, digest = _bag(tmp_path)
    (root / "data" / "a.txt").write_bytes(b"HELLO")
    new = hashlib.sha256(b"HELLO").hexdigest()
    manifest = root / "manifest-sha256.txt"
    lines = [f"{new} data/a.txt" if line.endswith(" data/a.txt") else line
             for line in manifest.read_text().splitlines()]
    manifest.write_text("\n".join(lines) + "\n")
    tagm = root / "tagmanifest-sha256.txt"
    tag_lines = [f"{hashlib.sha256(manifest.read_bytes()).hexdigest()} manifest-sha256.txt"
                 if line.endswith(" manifest-sha256.txt") else line
                 for line in tagm.read_text().splitlines()]
    tagm.write_text("\n".join(tag_lines) + "\n")
    assert validate_bag(root).ok  # consistent in itself ...
    report = validate_bag(root, digest)  # ... but not the bag that was written
    assert report.changed == ["tagmanifest-sha256.txt"]


def test_payload_oxum_mismatch_is_an_error(tmp_path):
    root, _digest = _bag(tmp_path)
    info = root / "bag-info.txt"
    info.write_text(info.read_text().replace("Payload-Oxum: 18.3", "Payload-Oxum: 19.3"))
    report = validate_bag(root)
    assert report.changed == ["bag-info.txt"]
    assert any("Payload-Oxum" in e for e in report.errors)


def test_paths_are_percent_encoded_and_unsafe_paths_refused(tmp_path):
    assert encode_path("a%b\nc\rd") == "a%25b%0Ac%0Dd"
    assert decode_path(encode_path("a%0Ab\n")) == "a%0Ab\n"
    for bad in ("../x", "/etc/passwd", "a//b", "a/./b"):
        with pytest.raises(ValueError, match="unsafe"):
            write_bag(tmp_path / bad.replace("/", "_"), [BagFile(bad, b"")], {}, "2026-01-01")


def test_a_bag_is_written_once_never_into_a_folder_with_files(tmp_path):
    root, _digest = _bag(tmp_path)
    with pytest.raises(FileExistsError):
        write_bag(root, FILES, {}, "2026-09-09")


def test_missing_bag_is_reported(tmp_path):
    report = validate_bag(tmp_path / "nothing")
    assert report.missing == ["."] and not report.ok
    os.makedirs(tmp_path / "empty")
    report = validate_bag(tmp_path / "empty")
    assert "bagit.txt" in report.missing and "tagmanifest-sha256.txt" in report.missing
