"""Spreading a campaign: share links for the networks supporters use, each tagged with its referral code (?src=)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import models as m
from ..letters import mailto_url

# One row per network: its referral code, its label and how its share link is made (None: copy only).
NETWORKS: list[tuple[str, str | Promise, str | None]] = [
    ("whatsapp", "WhatsApp", "https://wa.me/?{text}"),
    ("telegram", "Telegram", "https://t.me/share/url?{url_text}"),
    ("signal", "Signal", None),
    ("email", gettext_lazy("E-mail"), None),
    ("bluesky", "Bluesky", "https://bsky.app/intent/compose?{text}"),
    ("x", "X", "https://x.com/intent/post?{url_text}"),
    ("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?{u}"),
]


def campaign_url(*, request: HttpRequest, campaign: m.Campaign, source: str = "") -> str:
    url = request.build_absolute_uri(reverse("campaigns:campaign", args=[campaign.slug]))
    return f"{url}?{urlencode({'src': source})}" if source else url


def share_links(*, request: HttpRequest, campaign: m.Campaign) -> dict:
    """The page's own link, a short message, and a link per network (each counting its own source)."""
    message = _("Act with me for “%(title)s”: it takes a minute.") % {"title": campaign.title}
    links = []
    for code, label, pattern in NETWORKS:
        url = campaign_url(request=request, campaign=campaign, source=code)
        text = f"{message} {url}"
        if code == "email":
            href = mailto_url(to=[], subject=campaign.title, body=f"{campaign.summary}\n\n{message}\n{url}")
        elif pattern is None:
            href = ""
        else:
            href = pattern.format(
                text=urlencode({"text": text}, quote_via=quote),
                url_text=urlencode({"url": url, "text": message}, quote_via=quote),
                u=urlencode({"u": url}, quote_via=quote),
            )
        links.append({"code": code, "label": str(label), "href": href, "text": text})
    return {
        "url": campaign_url(request=request, campaign=campaign),
        "copy_url": campaign_url(request=request, campaign=campaign, source="link"),
        "message": message,
        "links": links,
        "image": request.build_absolute_uri(reverse("campaigns:share_image", args=[campaign.slug])),
    }
