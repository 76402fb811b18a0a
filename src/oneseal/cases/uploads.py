"""Checking and storing uploaded material files (材料文件上传).

`inspect_upload` decides what a file is from its content (magic bytes and structure), never
from its name: a PDF (`%PDF-`), a JPEG (`FF D8 FF`), a PNG (`89 50 4E 47 0D 0A 1A 0A`) or an
OFD (GB/T 33190: a ZIP whose root holds `OFD.xml`). Anything else, an empty file, a file over
`ONESEAL_UPLOAD_MAX_BYTES`, an encrypted or damaged PDF, a PDF without pages or over
`ONESEAL_UPLOAD_MAX_PAGES`, a truncated image, or a ZIP that would expand to an absurd size is
refused with `UploadRejected` and a Chinese message saying what is wrong and what is accepted.
Nothing is written anywhere by the inspection.

`store_upload` then saves the inspected file through the default storage as a `CaseFile`
(the services call both inside their transaction); when the row cannot be saved the stored
file is deleted again.

The file name kept (`safe_name`) is the base name the user gave, cleaned: directories, control
and bidirectional-format characters and the characters Windows reserves (`<>:"/\\|?*`) are
removed, Chinese is kept, at most 100 characters (and 170 bytes of UTF-8, so that the stored
`<sha256>-<name>` fits a file system's 255-byte limit). Its extension always matches the
detected kind: a last extension that already names the kind is kept (lower-cased, `.jpeg`
stays `.jpeg`); any other last extension is replaced by the kind's (`evil.pdf.exe` holding a
PNG becomes `evil.pdf.png`); a name without one gets it appended (`扫描件` -> `扫描件.pdf`).
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _

from .errors import CaseError
from .models import CaseFile, FileKind

CHUNK = 256 * 1024
MAX_NAME_CHARS = 100
MAX_NAME_BYTES = 170
DEFAULT_STEM = "材料"
OFD_MAX_ENTRIES = 10_000
OFD_EXPANSION = 10  # an OFD may expand to at most 10 x ONESEAL_UPLOAD_MAX_BYTES
OFD_MAX_RATIO = 200  # nor may one large entry expand more than 200-fold
OFD_ROOT = "OFD.xml"

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ZIP_MAGIC = b"PK\x03\x04"

EXTENSIONS: dict[str, tuple[str, ...]] = {
    FileKind.PDF: ("pdf",),
    FileKind.JPEG: ("jpg", "jpeg"),
    FileKind.PNG: ("png",),
    FileKind.OFD: ("ofd",),
}
_EXTENSION_LIKE = re.compile(r"^[A-Za-z0-9]{1,8}$")
_RESERVED = set('<>:"/\\|?*')
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT")
                                                  for n in range(1, 10)}


class UploadRejected(CaseError):
    """The uploaded file is not accepted; `detail["reason"]` says why in one word."""

    code = "upload_rejected"
    status = 422


@dataclass(frozen=True)
class UploadInfo:
    """What the inspection found. `pages` is the PDF's page count, 1 for an image, None for
    an OFD (its pages are not counted)."""

    kind: str
    size: int
    pages: int | None
    sha256: str
    safe_name: str


def _accepted() -> str:
    return _("仅接受 PDF、JPEG、PNG、OFD 格式的文件。")


def _limit_mb() -> str:
    mb = settings.ONESEAL_UPLOAD_MAX_BYTES / (1024 * 1024)
    return f"{mb:g}"


def _reject(reason: str, message: str, **detail: Any) -> UploadRejected:
    return UploadRejected(message, reason=reason, **detail)


def _damaged(kind_label: str) -> UploadRejected:
    return _reject("damaged", _("%(kind)s 文件已损坏或不完整，无法读取，请重新生成或扫描后上传。")
                   % {"kind": kind_label})


# --- the stream --------------------------------------------------------------------------


def _as_stream(upload: Any) -> IO[bytes]:
    """A seekable binary stream over `upload` (a Django UploadedFile, a file object or bytes)."""
    if isinstance(upload, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(upload))
    if not hasattr(upload, "read"):
        raise TypeError("upload must be a file object or bytes")
    seekable = getattr(upload, "seekable", None)
    if seekable is not None and not seekable():
        raise TypeError("upload must be seekable")
    return upload  # type: ignore[no-any-return]


def _digest(stream: IO[bytes], max_bytes: int | None = None) -> tuple[str, int, bytes]:
    """(sha256 hex, size, first 16 bytes), read in chunks; refuses past `max_bytes`."""
    stream.seek(0)
    sha = hashlib.sha256()
    size = 0
    head = b""
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise _too_large()
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        sha.update(chunk)
    return sha.hexdigest(), size, head


def _too_large() -> UploadRejected:
    return _reject("too_large",
                   _("文件大小超过 %(limit)s MB 的上限，请压缩或拆分后重新上传。")
                   % {"limit": _limit_mb()}, limit_mb=_limit_mb())


def _kind_of(head: bytes) -> str | None:
    if head.startswith(PDF_MAGIC):
        return FileKind.PDF
    if head.startswith(JPEG_MAGIC):
        return FileKind.JPEG
    if head.startswith(PNG_MAGIC):
        return FileKind.PNG
    if head.startswith(ZIP_MAGIC):
        return FileKind.OFD
    return None


# --- the checks per kind ----------------------------------------------------------------


def _check_pdf(stream: IO[bytes], size: int) -> int:
    """The page count of a readable, unencrypted PDF with 1..ONESEAL_UPLOAD_MAX_PAGES pages."""
    from pypdf import PdfReader

    stream.seek(max(0, size - 1024))
    if b"%%EOF" not in stream.read():  # the end-of-file marker, as readers require it
        raise _damaged("PDF")
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:  # pypdf raises many kinds of error on broken input
        raise _damaged("PDF") from exc
    if encrypted:
        raise _reject("encrypted", _("PDF 文件已加密或设有密码，请去除密码后重新上传。"))
    limit = settings.ONESEAL_UPLOAD_MAX_PAGES
    try:
        declared = reader.trailer["/Root"]["/Pages"].get("/Count")
        if isinstance(declared, int) and declared > limit:
            pages = int(declared)  # refuse before walking a huge page tree
        else:
            pages = len(reader.pages)
    except Exception as exc:
        raise _damaged("PDF") from exc
    if pages < 1:
        raise _reject("no_pages", _("PDF 文件没有任何页面，请检查后重新上传。"))
    if pages > limit:
        raise _reject("too_many_pages",
                      _("PDF 文件共 %(pages)d 页，超过 %(limit)d 页的上限，请拆分后分别上传。")
                      % {"pages": pages, "limit": limit}, pages=pages, limit=limit)
    return pages


def _check_png(stream: IO[bytes]) -> None:
    """Chunks well formed with valid CRCs, IHDR first, at least one IDAT, IEND present."""
    stream.seek(len(PNG_MAGIC))
    first, saw_data = True, False
    while True:
        header = stream.read(8)
        if len(header) < 8:
            raise _damaged("PNG")
        length, chunk_type = struct.unpack(">I4s", header)
        if length > 0x7FFFFFFF or not chunk_type.isalpha():
            raise _damaged("PNG")
        if first and (chunk_type != b"IHDR" or length != 13):
            raise _damaged("PNG")
        crc = zlib.crc32(chunk_type)
        remaining, data = length, b""
        while remaining:
            piece = stream.read(min(remaining, CHUNK))
            if not piece:
                raise _damaged("PNG")
            if first:
                data += piece
            crc = zlib.crc32(piece, crc)
            remaining -= len(piece)
        stored = stream.read(4)
        if len(stored) < 4 or struct.unpack(">I", stored)[0] != crc:
            raise _damaged("PNG")
        if first:
            width, height = struct.unpack(">II", data[:8])
            if not width or not height:
                raise _damaged("PNG")
            first = False
        saw_data = saw_data or chunk_type == b"IDAT"
        if chunk_type == b"IEND":
            if not saw_data:
                raise _damaged("PNG")
            return


_SOF_MARKERS = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _check_jpeg(stream: IO[bytes]) -> None:
    """Segments well formed up to the first scan (SOS) after a frame header (SOF) with a
    width, and the end-of-image marker (FF D9) after the scan data."""
    stream.seek(2)
    saw_frame = False
    while True:
        byte = stream.read(1)
        if byte != b"\xff":
            raise _damaged("JPEG")
        marker = stream.read(1)
        while marker == b"\xff":  # fill bytes
            marker = stream.read(1)
        if not marker:
            raise _damaged("JPEG")
        code = marker[0]
        if 0xD0 <= code <= 0xD7 or code == 0x01:
            continue  # markers without a length
        if code in (0xD8, 0xD9, 0x00):
            raise _damaged("JPEG")  # a second start, an end before any scan, or garbage
        raw = stream.read(2)
        if len(raw) < 2 or struct.unpack(">H", raw)[0] < 2:
            raise _damaged("JPEG")
        length = struct.unpack(">H", raw)[0] - 2
        if code in _SOF_MARKERS:
            frame = stream.read(length)
            if len(frame) < 5 or struct.unpack(">H", frame[3:5])[0] == 0:
                raise _damaged("JPEG")
            saw_frame = True
            continue
        stream.seek(length, io.SEEK_CUR)
        if code == 0xDA:
            break
    if not saw_frame:
        raise _damaged("JPEG")
    previous = b""
    while chunk := stream.read(CHUNK):
        if b"\xff\xd9" in previous + chunk:
            return
        previous = chunk[-1:]
    raise _damaged("JPEG")


def _check_ofd(stream: IO[bytes]) -> None:
    """A ZIP with `OFD.xml` at its root (GB/T 33190), not encrypted, and not a zip bomb: at
    most 10,000 entries, a declared expanded size of at most 10 x the upload limit, and no
    large entry expanding more than 200-fold. Only the first 64 KB of OFD.xml is read."""
    not_ofd = _reject("not_ofd", _("该 ZIP 压缩包不是 OFD 文件（根目录缺少 OFD.xml）。")
                      + _accepted())
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            if len(entries) > OFD_MAX_ENTRIES or _expands_too_much(entries):
                raise _reject("zip_bomb",
                              _("OFD 文件解压后过大或包含的条目过多，无法接受。"))
            if any(entry.flag_bits & 0x1 for entry in entries):
                raise _reject("encrypted", _("OFD 文件已加密，请去除加密后重新上传。"))
            root = next((e for e in entries if e.filename == OFD_ROOT), None)
            if root is None:
                raise not_ofd
            with archive.open(root) as handle:
                text = handle.read(64 * 1024)
    except UploadRejected:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, NotImplementedError, EOFError ...
        raise _damaged("OFD") from exc
    if not text.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") or b"OFD" not in text:
        raise not_ofd


def _expands_too_much(entries: list[zipfile.ZipInfo]) -> bool:
    total = sum(entry.file_size for entry in entries)
    if total > OFD_EXPANSION * settings.ONESEAL_UPLOAD_MAX_BYTES:
        return True
    return any(entry.file_size > 1024 * 1024
               and entry.file_size > OFD_MAX_RATIO * max(entry.compress_size, 1)
               for entry in entries)


# --- the name --------------------------------------------------------------------------


def safe_filename(name: str, kind: str) -> str:
    """The cleaned base name of `name` with the extension of `kind` (rules in the module
    docstring)."""
    text = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] == "C" or category in ("Zl", "Zp"):
            continue  # control, format (bidi overrides), private use, unassigned
        kept.append("_" if char in _RESERVED else " " if category == "Zs" else char)
    text = re.sub(r"\s+", " ", "".join(kept)).strip(" .").lstrip("-")
    stem, dot, extension = text.rpartition(".")
    if not (dot and _EXTENSION_LIKE.match(extension)):
        stem, extension = text, ""
    extension = extension.lower()
    if extension not in EXTENSIONS[kind]:
        extension = EXTENSIONS[kind][0]
    stem = stem.strip(" .")
    if stem.split(".")[0].upper() in _WINDOWS_DEVICES:
        stem = "_" + stem
    stem = stem or DEFAULT_STEM
    suffix = "." + extension
    while stem and (len(stem) + len(suffix) > MAX_NAME_CHARS
                    or len((stem + suffix).encode()) > MAX_NAME_BYTES):
        stem = stem[:-1]
    return (stem.rstrip(" .") or DEFAULT_STEM) + suffix


# --- the entry points --------------------------------------------------------------------


def inspect_upload(upload: Any, *, name: str) -> UploadInfo:
    """Check an uploaded file by its content and return what it is; raise UploadRejected
    (HTTP 422) with a Chinese message otherwise. Reads the file, writes nothing."""
    limit = settings.ONESEAL_UPLOAD_MAX_BYTES
    declared = getattr(upload, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise _too_large()
    stream = _as_stream(upload)
    sha256, size, head = _digest(stream, limit)
    if size == 0:
        raise _reject("empty", _("文件为空（0 字节），请重新选择文件。"))
    kind = _kind_of(head)
    if kind is None:
        raise _reject("unsupported_type",
                      _("无法识别该文件的格式。") + _accepted()
                      + _("（按文件内容判断，修改扩展名无效；单个文件不超过 %(limit)s MB。）")
                      % {"limit": _limit_mb()})
    pages: int | None = None
    if kind == FileKind.PDF:
        pages = _check_pdf(stream, size)
    elif kind == FileKind.PNG:
        _check_png(stream)
        pages = 1
    elif kind == FileKind.JPEG:
        _check_jpeg(stream)
        pages = 1
    else:
        _check_ofd(stream)
    stream.seek(0)
    return UploadInfo(kind=str(kind), size=size, pages=pages, sha256=sha256,
                      safe_name=safe_filename(name, kind))


def store_upload(*, case: Any, material: Any, upload: Any, info: UploadInfo, user: Any,
                 purpose: str = "material") -> CaseFile:
    """Save an inspected upload as a `CaseFile` of `case` (and `material`, if any) through
    the default storage, at `cases/<case>/<sha[:2]>/<sha256>-<name>`. If the content is not
    the one inspected, or the row cannot be saved, the stored file is deleted and the error
    raised: nothing is kept."""
    stream = _as_stream(upload)
    sha256, size, _head = _digest(stream)
    if sha256 != info.sha256 or size != info.size:
        raise ValueError("the upload changed after inspect_upload")
    row = CaseFile(case=case, material=material, name=info.safe_name, kind=info.kind,
                   size=info.size, pages=info.pages, sha256=info.sha256, purpose=purpose,
                   uploaded_by=user)
    stream.seek(0)
    row.file.save(info.safe_name, File(stream, name=info.safe_name), save=False)
    try:
        row.save()
    except BaseException:
        row.file.storage.delete(row.file.name)
        raise
    return row
