"""The Chinese font of every PDF the bureau writes: the legal documents (`cases.documents`),
the licences (`licences.render`) and the seal picture (`seal.picture`), so that a seal and
the document it sits on use one typeface.

A TrueType CJK font is embedded (subset) when one can be used, so that the document looks
the same in every reader: `settings.ONESEAL_CJK_FONT`, else the first usable font of
`FONT_CANDIDATES`. Fonts with PostScript (CFF) outlines, such as Noto Sans CJK, cannot be
embedded by reportlab and are skipped. When none can be used the documents fall back to the
built-in CID font STSong-Light, which every PDF reader supplies but which is not embedded;
a warning is logged. Fonts are registered once per process.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
CID_FALLBACK = "STSong-Light"

_lock = threading.Lock()
_chosen: dict[str, str] = {}  # ONESEAL_CJK_FONT value -> registered font name
_by_path: dict[str, str | None] = {}  # font file -> registered name (None: unusable)


def cjk_font() -> str:
    """The registered name of the font to write Chinese with (see the module docstring)."""
    configured = getattr(settings, "ONESEAL_CJK_FONT", "") or ""
    with _lock:
        if configured not in _chosen:
            _chosen[configured] = _choose(configured)
        return _chosen[configured]


def is_embedded(font_name: str) -> bool:
    return font_name != CID_FALLBACK


def _choose(configured: str) -> str:
    paths: list[str] = []
    if configured:
        if Path(configured).is_file():
            paths.append(configured)
        else:
            logger.warning("ONESEAL_CJK_FONT=%s 不存在，改用系统中已安装的中文字体。"
                           " The configured CJK font does not exist.", configured)
    paths += [path for path in FONT_CANDIDATES if path not in paths and Path(path).is_file()]
    for path in paths:
        name = _register_truetype(path)
        if name is not None:
            return name
    logger.warning("未找到可嵌入的 TrueType 中文字体，法律文书改用阅读器内置的 %s 字体（未嵌入）。"
                   " No usable TrueType CJK font; falling back to the non-embedded CID font.",
                   CID_FALLBACK)
    if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CID_FALLBACK


def _register_truetype(path: str) -> str | None:
    if path in _by_path:
        return _by_path[path]
    name = f"OneSealCJK{len(_by_path) + 1}"
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    except Exception as exc:  # bad file, CFF outlines, no embedding permission ...
        logger.warning("字体 %s 无法嵌入（%s），跳过。 Cannot embed this font.", path, exc)
        _by_path[path] = None
        return None
    _by_path[path] = name
    return name
