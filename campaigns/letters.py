"""What a supporter's message looks like on its way out: the email body, the mailto: link and the printed letter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django_countries import countries

from .models import Campaign, Channel, Target

DEFAULT_SALUTATION = "Dear Sir or Madam"


def signature_lines(*, name: str = "", organisation: str = "", country: str = "") -> list[str]:
    return [line for line in (name.strip(), organisation.strip(), countries.name(country) if country else "") if line]


def signed_text(*, text: str, name: str = "", organisation: str = "", country: str = "") -> str:
    """The message as the supporter wrote it, followed by their name, organisation and country if given."""
    signature = "\n".join(signature_lines(name=name, organisation=organisation, country=country))
    return "\n\n".join(part for part in (text.strip(), signature) if part)


def email_body(
    *, campaign: Campaign, text: str, name: str = "", organisation: str = "", country: str = "", reply_to: bool = False
) -> str:
    """The email the platform sends: the signed message and a footer saying who sent it and where replies go."""
    footer = f"Sent by a supporter of the campaign “{campaign.title}” through {settings.SITE_URL}/."
    if reply_to:
        footer += " Replying to this message answers the supporter."
    return f"{signed_text(text=text, name=name, organisation=organisation, country=country)}\n\n--\n{footer}\n"


def mailto_url(*, to: Sequence[str], cc: Sequence[str] = (), subject: str = "", body: str = "") -> str:
    """A mailto: link (RFC 6068) with recipients, copies, subject and body filled in."""
    query = []
    if cc:
        query.append("cc=" + ",".join(quote(address, safe="@") for address in cc))
    if subject:
        query.append("subject=" + quote(subject, safe=""))
    if body:
        query.append("body=" + quote(body.replace("\r\n", "\n").replace("\n", "\r\n"), safe=""))
    return "mailto:" + ",".join(quote(address, safe="@") for address in to) + ("?" + "&".join(query) if query else "")


def _starts_with_salutation(text: str) -> bool:
    """Whether the message opens with its own salutation ("Dear Mr. President," / "To Kazakhmys,")."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first.lower().startswith("dear ") or (first.endswith(",") and len(first) <= 60)


@dataclass(frozen=True)
class LetterPage:
    target: Target
    address: list[str]
    salutation: str
    paragraphs: list[str]


def letter_address(target: Target) -> list[str]:
    """The address block: name, title, then the postal address, or else the fax number."""
    lines = [target.name]
    if target.title:
        lines.append(target.title)
    channels = [c for c in target.channels.all() if not c.masked]
    postal = next((c for c in channels if c.kind == Channel.Kind.POSTAL), None)
    fax = next((c for c in channels if c.kind == Channel.Kind.FAX), None)
    if postal is not None:
        lines += [part.strip() for part in postal.value.replace("\n", ",").split(",") if part.strip()]
    elif fax is not None:
        lines.append(f"Fax: {fax.e164 or fax.value}")
    elif target.country:
        lines.append(countries.name(target.country))
    return lines


def letter_pdf(
    *,
    campaign: Campaign,
    targets: Sequence[Target],
    subject: str,
    text: str,
    name: str = "",
    organisation: str = "",
    country: str = "",
    date: dt.date | None = None,
) -> bytes:
    """A printable letter, one page per target, for fax or post (WeasyPrint)."""
    from weasyprint import HTML

    own_salutation = _starts_with_salutation(text)
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    pages = [
        LetterPage(
            target=target,
            address=letter_address(target),
            salutation="" if own_salutation else (target.salutation or DEFAULT_SALUTATION).rstrip(",") + ",",
            paragraphs=paragraphs,
        )
        for target in targets
    ]
    html = render_to_string(
        "campaigns/letter.html",
        {
            "campaign": campaign,
            "pages": pages,
            "subject": subject,
            "date": date or timezone.localdate(),
            "sender": signature_lines(name=name, organisation=organisation, country=country),
        },
    )
    return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the letter loads nothing from outside: {url}")
