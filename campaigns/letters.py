"""What a supporter's message looks like on its way out: the email body, the mailto: link and the printed letter."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from .appeals.lexicon import lexicon
from .models import Campaign, Channel, Target

# The greeting when neither the supporter, the target nor the model message gives one, in the letter's
# language (its msgid carries its punctuation: "Estimados señores:", "Sehr geehrte Damen und Herren,").
DEFAULT_SALUTATION = gettext_lazy("Dear Sir or Madam,")


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
    footer = _("Sent by a supporter of the campaign “%(title)s” through %(site)s/.") % {
        "title": campaign.title,
        "site": settings.SITE_URL,
    }
    if reply_to:
        footer += " " + _("Replying to this message answers the supporter.")
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


@functools.cache
def _salutation_opening() -> re.Pattern[str]:
    """How a salutation opens in any language the lexicon knows ("Dear Mr. President," / "To Kazakhmys," /
    "Уважаемые господа," / "Sehr geehrte Damen und Herren,")."""

    words = [word for entry in lexicon().data.values() for word in entry.get("salutations", [])]
    return re.compile(r"(?:to\s|(?:" + "|".join(words) + r")\b)", re.IGNORECASE)


def _is_salutation(paragraph: str) -> bool:
    line = paragraph.strip()
    if "\n" in line or len(line) > 80 or not line.endswith((",", ":", "!")):
        return False
    return bool(_salutation_opening().match(line))


def letter_salutation(*, text: str, target: Target) -> tuple[str, list[str]]:
    """One salutation and the paragraphs that follow it.

    The supporter's own first line wins when it is a salutation; otherwise the target's salutation,
    then the model message's own, then "Dear Sir or Madam". Every other salutation among the first
    paragraphs (the model's "To Kazakhmys," under a line the supporter added) is dropped, so a letter
    never greets twice.
    """
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    found = [i for i, p in enumerate(paragraphs[:4]) if _is_salutation(p)]
    if found and found[0] == 0:
        salutation = paragraphs[0]
    elif target.salutation:
        salutation = target.salutation.rstrip(",") + ","
    elif found:
        salutation = paragraphs[found[0]]
    else:
        salutation = str(DEFAULT_SALUTATION)
    return salutation, [p for i, p in enumerate(paragraphs) if i not in found]


@dataclass(frozen=True)
class LetterPage:
    target: Target
    address: list[str]
    salutation: str
    paragraphs: list[str]


def _postal_lines(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


def letter_address(target: Target) -> list[str]:
    """The address block: name, title, the postal address (or the country), then the fax number."""
    lines = [target.name]
    if target.title:
        lines.append(target.title)
    channels = [c for c in target.channels.all() if not c.masked]
    postal = next((c for c in channels if c.kind == Channel.Kind.POSTAL), None)
    fax = next((c for c in channels if c.kind == Channel.Kind.FAX), None)
    if postal is not None:
        lines += _postal_lines(postal.value)
    elif target.country:
        lines.append(countries.name(target.country))
    if fax is not None:
        lines.append(_("Fax: %(number)s") % {"number": fax.e164 or fax.value})
    return lines


def copy_lines(copy_to: Sequence[Target]) -> list[str]:
    """The "cc:" lines of a letter: each copy-to recipient, with a postal address or e-mail when known."""
    lines = []
    for target in copy_to:
        channels = [c for c in target.channels.all() if not c.masked]
        where = next((c for c in channels if c.kind == Channel.Kind.POSTAL), None) or next(
            (c for c in channels if c.kind == Channel.Kind.EMAIL), None
        )
        detail = ", ".join(_postal_lines(where.value)) if where else ""
        lines.append(_("cc: %(name)s") % {"name": target.name} + (f", {detail}" if detail else ""))
    return lines


def fax_cover(*, campaign: Campaign, target: Target, number: Channel) -> str:
    """The e-mail body a fax job carries to the gateway (many print it as a cover note)."""
    return _(
        "Fax for %(target)s (%(number)s): a letter from a supporter of the campaign “%(title)s”, attached as a PDF.\n"
        "Sent through %(site)s/."
    ) % {"target": target.name, "number": number.e164, "title": campaign.title, "site": settings.SITE_URL}


def webmail_urls(*, to: Sequence[str], cc: Sequence[str] = (), subject: str = "", body: str = "") -> dict[str, str]:
    """Compose links for the webmails many supporters use instead of a mail app (mailto: opens nothing for them)."""
    from urllib.parse import urlencode

    body = body.replace("\r\n", "\n")
    gmail = {"view": "cm", "fs": "1", "to": ",".join(to), "cc": ",".join(cc), "su": subject, "body": body}
    outlook = {"to": ",".join(to), "cc": ",".join(cc), "subject": subject, "body": body}
    return {
        "gmail": "https://mail.google.com/mail/?" + urlencode({k: v for k, v in gmail.items() if v}, quote_via=quote),
        "outlook": "https://outlook.office.com/mail/deeplink/compose?"
        + urlencode({k: v for k, v in outlook.items() if v}, quote_via=quote),
    }


def _first_sentences(paragraph: str, limit: int = 2) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(paragraph.split()))
    return " ".join(sentences[:limit])


def call_script(*, campaign: Campaign, target: Target, name: str = "") -> list[str]:
    """A short script for a phone call, from the model message: who is calling, why, what they ask, a polite close."""
    who = _("My name is %(name)s.") % {"name": name} if name else _("I am a supporter of the workers.")
    lines = [
        _("Hello. %(who)s I am calling %(target)s about: %(title)s.")
        % {"who": who, "target": target.name, "title": campaign.title}
    ]
    paragraphs = [p.strip() for p in campaign.message_body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    opening = next((p for p in paragraphs if not _is_salutation(p) and not p.rstrip().endswith(":")), "")
    if opening:
        lines.append(_first_sentences(opening))
    demands = [d.text.rstrip(".") for d in campaign.demands.all()][:3]
    if demands:
        lines.append(_("I ask you to: %(demands)s.") % {"demands": "; ".join(demands)})
    lines.append(_("Please pass this message on to those responsible. Thank you."))
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
    language: str = "",
) -> bytes:
    """A printable letter, one page per target, for fax or post (WeasyPrint), with "cc:" lines for the copies.

    With `language` (the targets'), its salutation, date and labels are in that language, whatever the supporter's.
    """
    with translation.override(language or None):
        return _letter_pdf(
            campaign=campaign,
            targets=targets,
            subject=subject,
            text=text,
            name=name,
            organisation=organisation,
            country=country,
            date=date,
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
        )


def _letter_pdf(
    *,
    campaign: Campaign,
    targets: Sequence[Target],
    subject: str,
    text: str,
    name: str,
    organisation: str,
    country: str,
    date: dt.date | None,
    language: str,
) -> bytes:
    from weasyprint import HTML

    pages = []
    for target in targets:
        salutation, paragraphs = letter_salutation(text=text, target=target)
        pages.append(LetterPage(target=target, address=letter_address(target), salutation=salutation, paragraphs=paragraphs))
    copy_to = Target.objects.filter(campaign=campaign, role=Target.Role.COPY_TO).prefetch_related("channels")
    html = render_to_string(
        "campaigns/letter.html",
        {
            "campaign": campaign,
            "language": language,
            "pages": pages,
            "subject": subject,
            "date": date or timezone.localdate(),
            "sender": signature_lines(name=name, organisation=organisation, country=country),
            "copies": copy_lines(list(copy_to)),
        },
    )
    return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the letter loads nothing from outside: {url}")
