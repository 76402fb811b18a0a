"""The search key of an item: its Chinese name, the pinyin initials and the full pinyin.

A query matches when it is a substring of the key, so any part of the name works whatever
its length (2-character queries like 食品 included, which a trigram index cannot serve),
and so do the initials (SPJY finds 食品经营许可) and the full pinyin (shipin).
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

SEPARATOR = "|"  # never in a query, so a match cannot straddle two parts of the key
MAX_QUERY = 60
_SPACE = re.compile(r"\s+")


def _latin(parts: list[str]) -> str:
    return "".join(ch for part in parts for ch in part if ch.isascii() and ch.isalnum()).upper()


def initials(name: str) -> str:
    """Pinyin initials of a name, upper case: 食品经营许可 → SPJYXK."""
    return _latin(lazy_pinyin(name, style=Style.FIRST_LETTER))


def full_pinyin(name: str) -> str:
    """Full pinyin without tones, upper case: 食品 → SHIPIN."""
    return _latin(lazy_pinyin(name, style=Style.NORMAL))


def search_key(name: str, *codes: str) -> str:
    """The denormalised search column of an item version."""
    clean = _SPACE.sub("", name)
    parts = [clean.upper(), initials(clean), full_pinyin(clean), *(c.upper() for c in codes)]
    return SEPARATOR + SEPARATOR.join(p for p in parts if p) + SEPARATOR


def normalise_query(query: str) -> str:
    """What is looked for: no spaces, upper case, no separator, at most 60 characters."""
    return _SPACE.sub("", query or "").replace(SEPARATOR, "").upper()[:MAX_QUERY]
