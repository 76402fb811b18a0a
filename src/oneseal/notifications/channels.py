"""The three channels of the outbox. Each sender hands one message to its channel and
raises `ChannelDown` when the channel cannot take it now (the outbox tries again later).

SMS goes through `oneseal.core.sms.send_sms` (the backend chosen by settings); e-mail through
Django's mail (``EMAIL_BACKEND``); the message box (消息中心) is this database, where a
delivery marked sent is a message the applicant sees."""

from __future__ import annotations

from django.core.mail import send_mail

from oneseal.core.sms import SmsError
from oneseal.core.sms import send_sms as sms_backend

from .models import Channel, Delivery


class ChannelDown(Exception):
    """The channel did not take the message; try again later."""


def send_sms(phone: str, text: str) -> None:
    """The SMS backend (`oneseal.core.sms`), its failure as `ChannelDown`."""
    try:
        sms_backend(phone, text)
    except SmsError as exc:
        raise ChannelDown(str(exc)) from exc


def send_email(address: str, subject: str, text: str) -> None:
    try:
        send_mail(subject, text, None, [address])
    except OSError as exc:  # SMTP refused, connection refused, timeout
        raise ChannelDown(str(exc)) from exc


def send_inbox(delivery: Delivery) -> None:
    """Nothing to hand over: the message box reads the delivery once it is marked sent."""


def send(delivery: Delivery) -> None:
    note = delivery.notification
    if delivery.channel == Channel.SMS:
        send_sms(delivery.address, f"{note.title}。{note.text}")
    elif delivery.channel == Channel.EMAIL:
        send_email(delivery.address, note.title, note.text)
    else:
        send_inbox(delivery)
