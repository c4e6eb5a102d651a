"""Template helpers: labels for stored choice values, countries' names, the actions-by-day chart."""

from __future__ import annotations

import datetime as dt

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .. import models as m
from ..kinds import ACTIONS, CHANNELS, ChannelKind, channel_is_number, channel_link
from ..languages import language_active, language_name
from ..partial_dates import partial_date_text

register = template.Library()

LABELS = {
    "kind": dict(m.Action.Kind.choices),
    "channel": dict(m.Channel.Kind.choices),
    "via": dict(m.Action.Via.choices),
}


@register.filter
def kind_label(value: str) -> str:
    return str(LABELS["kind"].get(value, value))


# Languages that write their nouns with a capital letter mid-sentence ("Deine Aktion (Fax)").
NOUNS_CAPITALISED = frozenset({"de"})


@register.filter
def in_sentence(label: str) -> str:
    """A choice label as a word inside a sentence: lower-cased ("your fax"), except in languages that capitalise nouns."""
    return str(label) if (get_language() or "").split("-")[0] in NOUNS_CAPITALISED else str(label).lower()


@register.filter
def channel_label(value: str) -> str:
    return str(LABELS["channel"].get(value, value))


@register.filter
def channel_link_kind(kind: str) -> str:
    """How a page shows a value of this kind (campaigns/kinds.py): mailto, tel, web, copy, or '' for text."""
    spec = CHANNELS.get(ChannelKind(kind)) if kind in ChannelKind.values else None
    return (spec.link or "") if spec else ""


@register.simple_tag
def channel_value(channel: m.Channel) -> SafeString:
    """A channel's value as a page shows it: the link its kind makes (campaigns/kinds.py), with the E.164 form of a number."""
    if channel.masked:
        return format_html('<em class="muted">{}</em>', _("address not yet known"))
    href, external = channel_link(kind=channel.kind, value=channel.value, e164=channel.e164)
    if not href:
        return SafeString(linebreaksbr(channel.value, autoescape=True))
    rel = " nofollow noopener" if external else ""
    link = format_html('<a href="{}"{}>{}</a>', href, format_html(' rel="{}"', rel.strip()) if rel else "", channel.value)
    if channel_is_number(channel.kind) and channel.e164 and channel.e164 != channel.value:
        return format_html('{} <span class="muted">({})</span>', link, channel.e164)
    return link


@register.filter
def country_name(code: str) -> str:
    return countries.name(code) or code if code else ""


@register.filter
def number(value) -> str:
    """45000000 → 45,000,000 in English, 45.000.000 in German, 45 000 000 in French and Russian."""
    try:
        return number_format(int(value), use_l10n=True, force_grouping=True)
    except (TypeError, ValueError):
        return str(value)


@register.filter
def partial_date(value: str) -> str:
    """`2011-08-08` → 8 August 2011, `2011-07` → July 2011, `--07-01` → 1 July (year unknown), in the page's language."""
    return partial_date_text(value)


@register.inclusion_tag("campaigns/_day_chart.html")
def day_chart(by_day: dict[str, int], days: int = 30) -> dict:
    """Bars for `days` days: the last ones up to today, or up to the last day with actions if all are older."""
    today = timezone.localdate()
    parsed = {dt.date.fromisoformat(day): n for day, n in by_day.items()}
    end = today
    if parsed and max(parsed) < today - dt.timedelta(days=days - 1):
        end = max(parsed)
    start = end - dt.timedelta(days=days - 1)
    bars = [(start + dt.timedelta(days=i), parsed.get(start + dt.timedelta(days=i), 0)) for i in range(days)]
    peak = max([n for _, n in bars] + [1])
    width, height = 12, 100
    return {
        "bars": [
            {"day": day, "n": n, "x": i * width, "h": round(height * n / peak, 1), "y": round(height - height * n / peak, 1)}
            for i, (day, n) in enumerate(bars)
        ],
        "width": width * days,
        "height": height,
        "peak": peak,
        "start": start,
        "end": end,
        "earlier": sum(n for day, n in parsed.items() if day < start),
        "total": sum(n for _, n in bars),
    }


@register.filter
def join_names(targets) -> str:
    """Targets' names as a sentence: `Kazakhmys`, `A and B`, `A, B and C`."""
    from ..selectors.ways import names_list

    return names_list([t.name for t in targets])


@register.filter
def pending(deliveries) -> bool:
    """Whether any of these deliveries is still on its way (the page keeps polling)."""
    return any(d.state in (m.Delivery.State.QUEUED, m.Delivery.State.SENDING) for d in deliveries)


RECENT_KINDS = {kind: spec.a for kind, spec in ACTIONS.items()}  # the kind with its article (campaigns/kinds.py)


@register.filter
def recent_action(row: dict) -> str:
    """`a fax from Germany, 3 minutes ago`: the kind, the country and the time, nothing about who."""
    what = RECENT_KINDS.get(row["kind"], _("an action"))
    seconds = (timezone.now() - row["created"]).total_seconds()
    when = _("just now") if seconds < 60 else _("%(time)s ago") % {"time": timesince(row["created"], depth=1)}
    if row.get("country"):
        return _("%(what)s from %(country)s, %(when)s") % {"what": what, "country": countries.name(row["country"]), "when": when}
    return _("%(what)s, %(when)s") % {"what": what, "when": when}


def _same_language(a: str, b: str) -> bool:
    return a.split("-")[0] == b.split("-")[0]


@register.simple_tag
def lang_attr(obj, field: str = "", language: str = "") -> SafeString:
    """` lang="ru"` (and `dir`) on a block of content whose language is not the page's; nothing otherwise.

    `{% lang_attr campaign "title" %}` asks the object which language that field reads in; `{% lang_attr None "" "ru" %}`
    names the language directly.
    """
    code = language or (obj.field_language(field) if obj is not None else "")
    if not code or _same_language(code, language_active()):
        return SafeString("")
    try:
        bidi = get_language_info(code)["bidi"]
    except KeyError:
        bidi = False
    return format_html(' lang="{}"{}', code, SafeString(' dir="rtl"') if bidi else SafeString(""))


@register.filter
def language_label(code: str) -> str:
    """A language's name in the page's language: "Russian", "ruso"."""
    return language_name(code)


@register.filter
def language_own_name(code: str) -> str:
    """A language's name in itself, for links to read in it: "Русский", "Español"."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code
