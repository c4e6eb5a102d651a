"""Reads for the public pages and the organisers' dashboard, each in a fixed number of queries."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Model, Prefetch, Q, QuerySet, Value, When, prefetch_related_objects
from django.utils import timezone

from .. import models as m
from ..languages import language_active, language_choose, language_normalise
from ..partial_dates import PartialDate
from ..permissions import campaigns_visible_to


def campaigns_public_list(
    *, user: AbstractBaseUser | AnonymousUser, query: str = "", country: str = "", status: str = ""
) -> QuerySet[m.Campaign]:
    """Published campaigns (and the user's own drafts), active first, newest first; searched and filtered."""
    campaigns = campaigns_visible_to(user)
    if query:
        campaigns = campaigns.filter(
            Q(
                pk__in=m.CampaignTranslation.objects.filter(Q(title__icontains=query) | Q(summary__icontains=query)).values(
                    "master"
                )
            )
            | Q(place__icontains=query)
            | Q(sector__icontains=query)
        )
    if country:
        campaigns = campaigns.filter(country=country)
    if status:
        campaigns = campaigns.filter(status=status)
    active_first = Case(When(status=m.Campaign.Status.ACTIVE, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        campaigns.annotate(active_first=active_first).prefetch_related("translations").order_by("active_first", "-created", "-id")
    )


def campaign_countries(*, user: AbstractBaseUser | AnonymousUser) -> list[str]:
    """The countries that campaigns visible to the user are in, for the list's filter."""
    return sorted({str(c) for c in campaigns_visible_to(user).exclude(country="").values_list("country", flat=True).order_by()})


def target_queryset() -> QuerySet[m.Target]:
    return m.Target.objects.prefetch_related("channels")


def campaign_page(*, campaign: m.Campaign) -> m.Campaign:
    """The campaign with what its public page shows loaded: targets and channels, demands, people, updates ..."""
    prefetch_related_objects(
        [campaign],
        Prefetch("targets", queryset=target_queryset()),
        Prefetch("campaign_organisations", queryset=m.CampaignOrganisation.objects.select_related("organisation")),
        "translations",
        Prefetch("demands", queryset=m.Demand.objects.prefetch_related("translations")),
        Prefetch("people", queryset=m.Person.objects.prefetch_related("history")),
        "events",
        "updates",
        "sources",
    )
    return campaign


def organisation_actions(*, campaign: m.Campaign, limit: int = 10) -> list[m.Action]:
    """Actions organisations took (a federation's letter): public facts, unlike what a supporter did."""
    actions = (
        m.Action.objects.filter(campaign=campaign, organisations__isnull=False)
        .distinct()
        .prefetch_related("organisations", "targets")
        .order_by("-date", "-id")[:limit]
    )
    return list(actions)


def campaign_targets(*, campaign: m.Campaign, role: str = m.Target.Role.TARGET) -> QuerySet[m.Target]:
    return target_queryset().filter(campaign=campaign, role=role)


def channels_known(*, targets: Iterable[m.Target], kind: str) -> list[tuple[m.Target, m.Channel]]:
    """Each target's addresses of one kind whose value is known (not masked), from prefetched channels."""
    return [(t, c) for t in targets for c in t.channels.all() if c.kind == kind and not c.masked]


def recent_actions(*, campaign: m.Campaign, limit: int = 25) -> list[m.Action]:
    """The latest actions with who did them: for organisers of the campaign only (personal data)."""
    actions = (
        m.Action.objects.filter(campaign=campaign)
        .select_related("supporter", "channel")
        .prefetch_related("targets", "organisations")
        .order_by("-created", "-id")[:limit]
    )
    return list(actions)


def delivery_summary(*, campaign: m.Campaign, limit: int = 15) -> dict[str, Any]:
    """Deliveries by state, the latest ones and the latest failures."""
    deliveries = m.Delivery.objects.filter(campaign=campaign)
    counts = dict(deliveries.values_list("state").annotate(n=Count("id")).order_by())
    return {
        "by_state": {state: counts.get(state, 0) for state in m.Delivery.State.values},
        "recent": list(deliveries.select_related("channel__target").order_by("-created", "-id")[:limit]),
        "failures": list(deliveries.filter(state=m.Delivery.State.FAILED).order_by("-created", "-id")[:limit]),
    }


def campaign_responses(*, campaign: m.Campaign) -> list[m.Response]:
    return list(m.Response.objects.filter(campaign=campaign).select_related("target", "recorded_by").order_by("-date", "-id"))


EXPORT_COLUMNS = [
    "id", "created", "date", "kind", "via", "targets", "channel", "represents", "country", "organisations",
    "reference", "subject", "text", "supporter_name", "supporter_email", "supporter_organisation",
    "supporter_country", "supporter_consents_to_updates",
]  # fmt: skip
_EXPORT_FIELDS = (
    "id", "created", "date", "kind", "via", "channel__kind", "channel__value", "represents", "country", "reference",
    "subject", "text", "supporter__name", "supporter__email", "supporter__organisation", "supporter__country",
    "supporter__consent_updates",
)  # fmt: skip


def _names_by_action(
    through: type[Model], name_field: str, *, campaign: m.Campaign, after: int, upto: int
) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = (
        through._default_manager.filter(action__campaign=campaign, action_id__gt=after, action_id__lte=upto)
        .order_by("action_id", "id")
        .values_list("action_id", name_field)
    )
    for action_id, name in rows:
        names.setdefault(action_id, []).append(name)
    return names


def actions_export_rows(*, campaign: m.Campaign, chunk_size: int = 5000) -> Iterator[list[Any]]:
    """Every action of the campaign in EXPORT_COLUMNS order, oldest first, with who did it (organisers only).

    Plain rows in chunks walked by id, three queries per chunk: a million actions stream in little
    memory, without building a model instance per row.
    """
    after = 0
    while True:
        chunk = list(
            m.Action.objects.filter(campaign=campaign, pk__gt=after).order_by("pk").values_list(*_EXPORT_FIELDS)[:chunk_size]
        )
        if not chunk:
            return
        upto = chunk[-1][0]
        targets = _names_by_action(m.Action.targets.through, "target__name", campaign=campaign, after=after, upto=upto)
        organisations = _names_by_action(
            m.Action.organisations.through, "organisation__name", campaign=campaign, after=after, upto=upto
        )
        for (pk, created, date, kind, via, channel_kind, channel_value, represents, country, reference, subject, text,
             name, email, organisation, supporter_country, consent) in chunk:  # fmt: skip
            yield [
                pk, created.isoformat(), date.isoformat(), kind, via, "; ".join(targets.get(pk, ())),
                f"{channel_kind}: {channel_value}" if channel_kind else "", represents, country,
                "; ".join(organisations.get(pk, ())), reference, subject, text, name or "", email or "",
                organisation or "", supporter_country or "", "yes" if consent else "no",
            ]  # fmt: skip
        after = upto


@dataclass(frozen=True)
class CampaignDates:
    """The dates a supporter needs to judge an appeal's freshness."""

    issued: str  # partial ISO date, or ""
    deadline: dt.date | None
    last_update: dt.date | None  # the latest update organisers posted
    latest_fact: str  # the latest dated fact (an event, a status, a letter) as a partial ISO date, or ""
    stale: bool  # older than a year with nothing newer


def _latest_day(value: str) -> dt.date | None:
    """The last day a partial date can mean (`2011` -> 31 Dec 2011); None without a year."""
    try:
        date = PartialDate.parse(value)
    except ValidationError:
        return None
    if date.year is None:
        return None
    month = date.month or 12
    return dt.date(date.year, month, date.day or calendar.monthrange(date.year, month)[1])


def campaign_dates(*, campaign: m.Campaign, organisation_actions: Iterable[m.Action] = ()) -> CampaignDates:
    """Issued, deadline, last update and whether the appeal is older than a year without an update.

    Reads what `campaign_page` prefetched (updates, events, people's history, demands): no query.
    """
    updates = [u.date for u in campaign.updates.all()]
    facts = [campaign.issued, *(e.date for e in campaign.events.all()), *(d.date for d in campaign.demands.all())]
    facts += [h.date for p in campaign.people.all() for h in p.history.all()]
    facts += [a.date.isoformat() for a in organisation_actions]
    dated = [(day, text) for text in facts if text for day in [_latest_day(text)] if day is not None]
    latest_fact = max(dated)[1] if dated else ""
    newest = max([*updates, *(day for day, _text in dated)], default=None)
    year_ago = timezone.localdate() - dt.timedelta(days=365)
    return CampaignDates(
        issued=campaign.issued,
        deadline=campaign.deadline,
        last_update=max(updates, default=None),
        latest_fact=latest_fact,
        stale=newest is not None and newest < year_ago,
    )


def recent_public_actions(*, campaign: m.Campaign, limit: int = 5) -> list[dict[str, Any]]:
    """The latest actions as the public may see them: only kind, country and time, never who or what was said."""
    rows = (
        m.Action.objects.filter(campaign=campaign, organisations__isnull=True)
        .order_by("-created", "-id")
        .values("kind", "country", "created")[:limit]
    )
    return [dict(row) for row in rows]


def campaigns_like_draft(*, title: str, target_names: list[str], limit: int = 5) -> list[tuple[m.Campaign, str]]:
    """Existing campaigns an imported appeal may repeat: the same title, or a target of the same name, with why."""
    names = [n for n in target_names if n and n not in ("Target", "Recipient of copies")]
    query = (
        Q(pk__in=m.CampaignTranslation.objects.filter(title__iexact=title.strip()).values("master"))
        if title.strip()
        else Q(pk__in=[])
    )
    if names:
        query |= Q(targets__role="target", targets__name__in=names)
    out = []
    for campaign in m.Campaign.objects.filter(query).distinct().order_by("-id")[:limit]:
        same_title = campaign.title.strip().casefold() == title.strip().casefold()
        out.append((campaign, "the same title" if same_title else "the same target"))
    return out


@dataclass(frozen=True)
class Reading:
    """Which language a campaign's page shows it in, which is its original, and which others it has."""

    shown: str
    original: str
    available: tuple[str, ...]  # the original first

    @property
    def translated(self) -> bool:
        return self.shown != self.original

    @property
    def others(self) -> tuple[str, ...]:
        return tuple(code for code in self.available if code != self.shown)


def campaign_languages(*, campaign: m.Campaign) -> tuple[str, ...]:
    """The languages the campaign can be read in, its original first (its translations prefetched: no query)."""
    others = sorted({t.language_code for t in campaign.translations.all()} - {campaign.language})
    return (campaign.language, *others)


def campaign_reading(*, campaign: m.Campaign, wanted: str = "", demands: bool = True) -> Reading:
    """Show the campaign (and, with `demands`, its prefetched demands) in `wanted` (default: the active language)
    where it is translated, else in its original. Sets the language the campaign's fields read in."""
    available = campaign_languages(campaign=campaign)
    wanted = language_normalise(wanted) or language_active()
    shown = language_choose(wanted=wanted, available=available, original=campaign.language)
    campaign.set_current_language(shown)
    for demand in campaign.demands.all() if demands else ():
        demand.set_current_language(shown)
    return Reading(shown=shown, original=campaign.language, available=available)


def targets_language(*, targets: Iterable[m.Target]) -> str:
    """The language the chosen targets read, when they all read one (and it is known); else ''."""
    languages = {t.language for t in targets}
    return languages.pop() if len(languages) == 1 else ""


def campaign_message(*, campaign: m.Campaign, language: str) -> tuple[str, str] | None:
    """The model message (subject, body) in that language, if the campaign has it (translations prefetched)."""
    rows = {t.language_code: t for t in campaign.translations.all()}
    row = rows.get(language)
    if row is None or not row.message_body.strip():
        return None
    original = rows.get(campaign.language)
    return row.message_subject or (original.message_subject if original is not None else ""), row.message_body


@dataclass(frozen=True)
class LetterVersions:
    """The model message twice: in the targets' language, which is sent, and in the supporter's, to read."""

    language: str
    subject: str
    body: str
    read_language: str
    read_subject: str
    read_body: str


def letter_versions(*, campaign: m.Campaign, targets: Iterable[m.Target], reading: str) -> LetterVersions | None:
    """Both versions when the targets read a language the model message exists in and the supporter reads
    another; None otherwise (the one message shown is the one sent)."""
    language = targets_language(targets=targets)
    sent = campaign_message(campaign=campaign, language=language) if language else None
    if sent is None or language == reading:
        return None
    read_language = reading if campaign_message(campaign=campaign, language=reading) else campaign.language
    read = campaign_message(campaign=campaign, language=read_language)
    if read is None or read_language == language:
        return None
    return LetterVersions(language, sent[0], sent[1], read_language, read[0], read[1])
