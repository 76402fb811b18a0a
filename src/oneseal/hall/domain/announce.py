"""The call announcement (语音叫号): the text shown on the screens and spoken by the
browser's speech synthesis, e.g. 请A012号到3号窗口办理.

Pure Python, no Django: the sentence is marked with `gettext_noop` and translated by the
caller (the screens' JSON carries the translated text). The spoken form spells the ticket's
digits one by one (A012 → "A零一二"), the way halls call numbers: a Chinese voice otherwise
reads "012" as a quantity (十二) and the citizen holding A012 does not recognise it.
"""

from __future__ import annotations

from oneseal.core.workcalendar.domain.i18n import gettext_noop

CALL_SENTENCE = gettext_noop("请%(ticket)s号到%(window)s号窗口办理")

_DIGITS = str.maketrans("0123456789", "零一二三四五六七八九")


def call_text(ticket: str, window: str | int, sentence: str = CALL_SENTENCE) -> str:
    """The written announcement: `sentence` (already translated, or the Chinese original)
    filled with the ticket number and the window number."""
    return sentence % {"ticket": ticket.strip(), "window": str(window).strip()}


def spoken_ticket(ticket: str) -> str:
    """The ticket number as a voice should read it: the letters kept, each digit spelled
    (A012 → A零一二; 一 is read yāo by nobody's rule here, hall voices say yī)."""
    return ticket.strip().upper().translate(_DIGITS)


def speech_text(ticket: str, window: str | int, sentence: str = CALL_SENTENCE) -> str:
    """The spoken announcement: as `call_text`, with the ticket's digits spelled so the
    synthesiser reads them one by one; the window number stays a number (3号 is read 三号)."""
    return sentence % {"ticket": spoken_ticket(ticket), "window": str(window).strip()}
