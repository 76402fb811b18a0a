"""The call announcement (语音叫号): what the screens show and what the voice says."""

from __future__ import annotations

from oneseal.hall.domain.announce import CALL_SENTENCE, call_text, speech_text, spoken_ticket


def test_call_text_is_the_halls_sentence():
    assert call_text("A012", 3) == "请A012号到3号窗口办理"
    assert call_text(" B105 ", "12") == "请B105号到12号窗口办理"


def test_call_text_uses_the_translated_sentence_given():
    english = "Number %(ticket)s, please go to window %(window)s"
    assert call_text("A012", "3", english) == "Number A012, please go to window 3"


def test_spoken_ticket_spells_each_digit():
    assert spoken_ticket("A012") == "A零一二"
    assert spoken_ticket("c100") == "C一零零"
    assert spoken_ticket("AB9") == "AB九"


def test_speech_text_spells_the_ticket_but_keeps_the_window_number():
    assert speech_text("A012", 3) == "请A零一二号到3号窗口办理"


def test_sentence_is_the_chinese_original():
    assert CALL_SENTENCE == "请%(ticket)s号到%(window)s号窗口办理"
