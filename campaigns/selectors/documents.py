"""Campaigns as campaign documents (docs/campaign-document.md), for export and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from .. import models as m
from ..documents.shape import ActionDoc, CampaignDocument, ChannelDoc, SupporterDoc, TargetDoc, TranslationDoc
from ..permissions import action_text_public


def campaigns_for_documents(*, slugs: list[str] | None = None, actions: bool = True) -> QuerySet[m.Campaign]:
    """Campaigns with everything a document needs, in a fixed number of queries.

    `actions=False` leaves the actions out (for `campaign_document(..., include_actions=False)`): a viral
    campaign has millions, and views that only count them read the tallies instead.
    """
    prefetches: list[str | Prefetch[Any]] = [
        Prefetch("campaign_organisations", queryset=m.CampaignOrganisation.objects.select_related("organisation")),
        Prefetch("targets", queryset=m.Target.objects.prefetch_related("channels")),
        "translations",
        Prefetch("demands", queryset=m.Demand.objects.prefetch_related("translations")),
        Prefetch("people", queryset=m.Person.objects.prefetch_related("history")),
        "events",
        "updates",
        Prefetch("responses", queryset=m.Response.objects.select_related("target").order_by("date", "id")),
        "sources",
    ]
    if actions:
        prefetches.append(
            Prefetch(
                "actions",
                queryset=m.Action.objects.select_related("supporter", "channel")
                .prefetch_related("organisations", "targets", "signatories")
                .order_by("date", "id"),
            )
        )
    queryset = m.Campaign.objects.select_related("owner").prefetch_related(*prefetches)
    if slugs:
        queryset = queryset.filter(slug__in=slugs)
    return queryset.order_by("slug")


def _target(target: m.Target) -> TargetDoc:
    return {
        "name": target.name,
        "kind": target.kind,
        "title": target.title,
        "salutation": target.salutation or None,
        "country": str(target.country) or None,
        "language": target.language or None,
        "note": target.note,
        "channels": [_channel(c) for c in target.channels.all()],
    }


def _channel(c: m.Channel) -> ChannelDoc:
    return {"kind": c.kind, "value": None if c.masked else c.value, "e164": c.e164 or None, "masked": c.masked, "label": c.label}


def _action(action: m.Action, *, include_personal: bool) -> ActionDoc[str]:
    organisations = list(action.organisations.all())
    supporter = action.supporter
    if organisations:
        by = "; ".join(o.short_name or o.name for o in organisations)
    elif supporter and include_personal:
        by = supporter.name or supporter.organisation or "anonymous"
    else:
        by = "a supporter" if supporter else ""
    document: ActionDoc[str] = {
        "kind": action.kind,
        "by": by,
        "organisations": [o.name for o in organisations],
        "targets": [t.name for t in action.targets.all()],
        "channel": {"kind": action.channel.kind, "value": action.channel.value} if action.channel else None,
        "date": action.date.isoformat(),
        "reference": action.reference,
        "salutation": action.salutation,
        "subject": action.subject,
        "text": action.text if action_text_public(action, organiser=include_personal) else "",
        "represents": action.represents,
        "copies_sent": action.copies_sent,
        "country": str(action.country) or None,
        "signatories": [{"name": s.name, "title": s.title, "organisation": s.organisation} for s in action.signatories.all()],
    }
    if action.language:
        document["language"] = action.language
    if include_personal and action.text_public:
        document["text_public"] = True
    if include_personal and supporter:
        details: SupporterDoc = {
            "name": supporter.name,
            "email": supporter.email,
            "organisation": supporter.organisation,
            "country": str(supporter.country) or None,
            "consent_updates": supporter.consent_updates,
        }
        if supporter.language:
            details["language"] = supporter.language
        document["supporter"] = details
    return document


def _translations_by_language(obj: Any) -> dict[str, Any]:
    """The object's translation rows by language (prefetched: no query)."""
    return {t.language_code: t for t in obj.translations.all()}


def campaign_translations(*, campaign: m.Campaign) -> dict[str, TranslationDoc]:
    """The campaign in each language other than its original, as the document's `translations`."""
    demands = [_translations_by_language(d) for d in campaign.demands.all()]
    documents: dict[str, TranslationDoc] = {}
    for code, row in sorted(_translations_by_language(campaign).items()):
        if code == campaign.language:
            continue
        texts = [d[code].text if code in d else "" for d in demands]
        while texts and not texts[-1]:
            texts.pop()
        documents[code] = {
            "title": row.title,
            "summary": row.summary,
            "message": {"subject": row.message_subject, "body": row.message_body},
            "call_to_action": row.call_to_action,
            "demands": texts,
        }
    return documents


def _original(obj: Any, language: str, field: str) -> str:
    """A translated field in the original language (the document's own text), whatever language is active."""
    row = _translations_by_language(obj).get(language)
    return str(getattr(row, field)) if row is not None else str(getattr(obj, field))


def campaign_document(*, campaign: m.Campaign, include_personal: bool = False, include_actions: bool = True) -> CampaignDocument:
    """The campaign document. Supporters' personal data only when `include_personal` (organisers' export).

    Without `include_actions` its `actions` is None (and the campaign needs none prefetched).
    """
    targets = list(campaign.targets.all())
    organisations = list(campaign.campaign_organisations.all())
    return {
        "slug": campaign.slug,
        "language": campaign.language,
        "title": _original(campaign, campaign.language, "title"),
        "summary": _original(campaign, campaign.language, "summary"),
        "call_to_action": _original(campaign, campaign.language, "call_to_action"),
        "status": campaign.status,
        "issued": campaign.issued or None,
        "deadline": campaign.deadline.isoformat() if campaign.deadline else None,
        "location": {"country": str(campaign.country) or None, "place": campaign.place},
        "sector": campaign.sector,
        "owner": campaign.owner.name if campaign.owner else None,
        "message": {
            "subject": _original(campaign, campaign.language, "message_subject"),
            "body": _original(campaign, campaign.language, "message_body"),
        },
        "translations": campaign_translations(campaign=campaign),
        "organisations": [
            {
                "name": co.organisation.name,
                "short_name": co.organisation.short_name,
                "role": co.role,
                "country": str(co.organisation.country) or None,
                "aliases": co.organisation.aliases,
                "contact": co.contact,
                "contact_role": co.contact_role,
                "note": co.note,
            }
            for co in organisations
        ],
        "targets": [_target(t) for t in targets if t.role == m.Target.Role.TARGET],
        "copy_to": [_target(t) for t in targets if t.role == m.Target.Role.COPY_TO],
        "demands": [
            {"text": _original(d, campaign.language, "text"), "status": d.status, "date": d.date or None, "evidence": d.evidence}
            for d in campaign.demands.all()
        ],
        "people": [
            {
                "name": p.name,
                "role": p.role,
                "age": p.age,
                "status": p.status,
                "details": p.details,
                "history": [{"date": h.date or None, "status": h.status, "text": h.text} for h in p.history.all()],
            }
            for p in campaign.people.all()
        ],
        "events": [{"date": e.date or None, "text": e.text} for e in campaign.events.all()],
        "updates": [{"date": u.date.isoformat(), "title": u.title, "text": u.text} for u in campaign.updates.all()],
        "actions": [_action(a, include_personal=include_personal) for a in campaign.actions.all()] if include_actions else None,
        "responses": [
            {
                "target": r.target.name,
                "date": r.date.isoformat(),
                "channel": r.channel,
                "classification": r.classification,
                "summary": r.summary,
                "reading": r.reading,
            }
            for r in campaign.responses.all()
        ],
        "sources": [{"title": s.title, "file": s.file, "url": s.url} for s in campaign.sources.all()],
        "text": campaign.text,
    }
