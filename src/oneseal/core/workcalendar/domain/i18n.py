"""Translation hooks for pure code.

Domain code cannot import Django, so user-facing text is written as Chinese msgids marked
with `gettext_noop` (which `makemessages` collects) and turned into text by a `Translate`
function the caller passes in: the identity by default, Django's `gettext` in the web layer.
"""

from __future__ import annotations

from collections.abc import Callable

Translate = Callable[[str], str]


def gettext_noop(message: str) -> str:
    """Mark a msgid for extraction without translating it."""
    return message


def identity(message: str) -> str:
    return message
