"""Faxes the platform sends: an e-mail to the configured e-mail-to-fax gateway, the letter attached as a PDF."""

from __future__ import annotations

from typing import Any

import environ
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

from ..models import Campaign


def fax_enabled() -> bool:
    """Whether this site sends faxes (FAX_GATEWAY and FAX_ADDRESS are set)."""
    return bool(settings.FAX_GATEWAY and settings.FAX_ADDRESS)


def fax_address(*, e164: str) -> str:
    """The gateway's mailbox for one number: `+73102768247` -> `73102768247@fax.example`."""
    return str(settings.FAX_ADDRESS).format(e164=e164, digits=e164.lstrip("+"))


def fax_connection() -> BaseEmailBackend:
    """A mail connection to the gateway, read from FAX_GATEWAY (an e-mail URL: smtp://, smtp+ssl://, ...)."""
    config = environ.Env.email_url_config(settings.FAX_GATEWAY)
    return get_connection(
        backend=config["EMAIL_BACKEND"],
        fail_silently=False,
        host=config.get("EMAIL_HOST"),
        port=config.get("EMAIL_PORT"),
        username=config.get("EMAIL_HOST_USER") or "",
        password=config.get("EMAIL_HOST_PASSWORD") or "",
        use_tls=bool(config.get("EMAIL_USE_TLS")),
        use_ssl=bool(config.get("EMAIL_USE_SSL")),
        timeout=settings.EMAIL_TIMEOUT,
    )


def fax_letter_pdf(*, letter: dict[str, Any], campaign: Campaign | None) -> bytes:
    """Render the letter a fax delivery carries, from what `action_take` stored on the row."""
    if campaign is None:
        raise LookupError("the fax's campaign has been deleted")
    import datetime as dt

    from ..letters import letter_pdf
    from ..models import Target

    targets = list(Target.objects.filter(campaign=campaign, pk__in=letter["targets"]).prefetch_related("channels"))
    if not targets:
        raise LookupError("the fax's target has been deleted")
    return letter_pdf(
        campaign=campaign,
        targets=targets,
        subject=letter.get("subject", ""),
        text=letter.get("text", ""),
        name=letter.get("name", ""),
        organisation=letter.get("organisation", ""),
        country=letter.get("country", ""),
        date=dt.date.fromisoformat(letter["date"]) if letter.get("date") else None,
        language=letter.get("language") or "",
    )
