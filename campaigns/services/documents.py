"""Loading campaign documents into the database: create or bring up to date, all or nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from .. import models as m
from ..documents.shape import ActionDoc, CampaignInput, DemandDoc, PersonDoc, ResponseDoc, SupporterDoc, TargetDoc, TranslationDoc
from ..documents.validation import DocumentError, document_validate
from ..rules import consent_is_possible
from .campaigns import campaign_status_set, demand_outcome_set
from .notifications import notifications_for_person_status
from .tallies import action_tallies_rebuild

Item = TypeVar("Item", bound=Mapping[str, object])


def _sync(
    existing: Iterable[models.Model],
    items: Sequence[Item],
    *,
    key_of_row: Callable[[Any], tuple[object, ...]],
    key_of_item: Callable[[Item], tuple[object, ...]],
    write: Callable[[Any, Item, int], models.Model],
    delete_missing: bool = True,
) -> None:
    """Match rows to document items by natural key (numbered when repeated), update or create, drop the rest."""
    rows: dict[tuple[tuple[object, ...], int], Any] = {}
    seen: Counter[tuple[object, ...]] = Counter()
    for row in existing:
        key = key_of_row(row)
        rows[(key, seen[key])] = row
        seen[key] += 1
    seen.clear()
    for position, item in enumerate(items):
        key = key_of_item(item)
        write(rows.pop((key, seen[key]), None), item, position)
        seen[key] += 1
    if delete_missing:
        for row in rows.values():
            row.delete()


Row = TypeVar("Row", bound=models.Model)


def _save(row: Row | None, model: type[Row], fields: dict[str, Any], **parent: Any) -> Row:
    if row is None:
        return model._default_manager.create(**parent, **fields)
    changed = [name for name, value in fields.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, fields[name])
    if changed:
        row.save(update_fields=changed)
    return row


Translatable = TypeVar("Translatable", m.Campaign, m.Demand)


def translated_fields_set(row: Translatable, *, language: str, fields: Mapping[str, str]) -> bool:
    """Write the row's translated fields in one language (creating that translation); True if anything changed.

    The row must be saved. Only this translation is written, whatever language the row was reading in before.
    """
    row.set_current_language(language, initialize=True)
    changed = False
    for name, value in fields.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    translation = row.get_translation(language)
    if changed or translation.pk is None:
        row.save_translation(translation)
        return True
    return False


def _translated_fields_init(row: Translatable, *, language: str, fields: Mapping[str, str]) -> None:
    """A new row's texts, in its original language (saved with the row)."""
    row.set_current_language(language)
    for name, value in fields.items():
        setattr(row, name, value)


def _sync_translations(campaign: m.Campaign, translations: dict[str, TranslationDoc]) -> None:
    """The document's translations are the truth: languages it lacks are removed (never the original)."""
    demands = list(campaign.demands.all())
    for language, doc in translations.items():
        translated_fields_set(
            campaign,
            language=language,
            fields={
                "title": doc["title"],
                "summary": doc["summary"],
                "message_subject": doc["message"]["subject"],
                "message_body": doc["message"]["body"],
                "call_to_action": doc["call_to_action"],
            },
        )
        texts = doc["demands"]
        for position, demand in enumerate(demands):
            text = texts[position] if position < len(texts) else ""
            if text:
                translated_fields_set(demand, language=language, fields={"text": text})
            else:
                demand.translations.filter(language_code=language).delete()
        # A translation without a title reads the original's title (the field is required in the database).
    kept = {*translations, campaign.language}
    campaign.translations.exclude(language_code__in=kept).delete()
    m.DemandTranslation.objects.filter(master__campaign=campaign).exclude(language_code__in=kept).delete()
    campaign.set_current_language(campaign.language)


def _organisation(name: str, **details: Any) -> m.Organisation:
    """The organisation of that name, created if new.

    Organisations are shared between campaigns and their owners, so a document may fill in what an
    existing organisation lacks but never overwrites what is already set.
    """
    organisation, _ = m.Organisation.objects.get_or_create(name=name)
    changed = [k for k, v in details.items() if v and not getattr(organisation, k)]
    for key in changed:
        setattr(organisation, key, details[key])
    if changed:
        organisation.save(update_fields=changed)
    return organisation


def _supporter(data: SupporterDoc | None) -> m.Supporter | None:
    if not data:
        return None
    consent = bool(data["consent_updates"]) and consent_is_possible(consent_updates=True, email=data.get("email") or "")
    return m.Supporter.objects.create(
        name=data.get("name") or "",
        email=data.get("email") or "",
        organisation=data.get("organisation") or "",
        country=data.get("country") or "",
        language=data.get("language") or "",
        consent_updates=consent,
        consented_at=timezone.now() if consent else None,
    )


def _sync_targets(campaign: m.Campaign, role: str, items: list[TargetDoc]) -> None:
    def write(row: m.Target | None, item: TargetDoc, position: int) -> m.Target:
        target = _save(
            row,
            m.Target,
            {
                "name": item["name"],
                "kind": item["kind"],
                "title": item.get("title") or "",
                "salutation": item.get("salutation") or "",
                "country": item.get("country") or "",
                "language": item.get("language") or "",
                "note": item.get("note") or "",
                "position": position,
            },
            campaign=campaign,
            role=role,
        )
        _sync(
            target.channels.all(),
            item["channels"],
            key_of_row=lambda c: (c.kind, c.value, c.masked),
            key_of_item=lambda c: (c["kind"], c["value"], c["masked"]),
            write=lambda row, c, pos: _save(
                row,
                m.Channel,
                {
                    "kind": c["kind"],
                    "value": c["value"],
                    "e164": c["e164"],
                    "masked": c["masked"],
                    "label": c["label"],
                    "position": pos,
                },
                target=target,
            ),
        )
        return target

    _sync(
        campaign.targets.filter(role=role),
        items,
        key_of_row=lambda t: (t.name,),
        key_of_item=lambda t: (t["name"],),
        write=write,
    )


def _sync_people(campaign: m.Campaign, items: list[PersonDoc]) -> None:
    def write(row: m.Person | None, item: PersonDoc, position: int) -> m.Person:
        previous = row.status if row is not None else None
        person = _save(
            row,
            m.Person,
            {
                "name": item["name"],
                "role": item.get("role") or "",
                "age": item.get("age"),
                "status": item["status"],
                "details": item.get("details") or "",
                "position": position,
            },
            campaign=campaign,
        )
        _sync(
            person.history.all(),
            item["history"],
            key_of_row=lambda h: (h.date, h.status, h.text),
            key_of_item=lambda h: (h.get("date") or "", h["status"], h.get("text") or ""),
            write=lambda row, h, pos: _save(
                row,
                m.PersonStatusChange,
                {"date": h.get("date") or "", "status": h["status"], "text": h.get("text") or ""},
                person=person,
            ),
        )
        if previous is not None and previous != person.status:
            # A document that changes a known person's status tells supporters, as person_status_set does;
            # the change it reports is the document's own history row for that status, or a new one.
            change = person.history.filter(status=person.status).order_by("-id").first()
            if change is None:
                change = m.PersonStatusChange.objects.create(person=person, status=person.status)
            notifications_for_person_status(change=change)
        return person

    _sync(campaign.people.all(), items, key_of_row=lambda p: (p.name,), key_of_item=lambda p: (p["name"],), write=write)


def _upsert_actions(campaign: m.Campaign, items: list[ActionDoc[dt.date]]) -> None:
    """Add or update the document's actions; actions are records of what people did, never deleted by a load."""
    targets = {t.name: t for t in campaign.targets.all()}

    def write(row: m.Action | None, item: ActionDoc[dt.date], position: int) -> m.Action:
        supporter = row.supporter if row is not None else _supporter(item.get("supporter"))
        channel, wanted = None, item.get("channel")
        if wanted:
            channel = m.Channel.objects.filter(
                target__campaign=campaign, kind=wanted["kind"], value=wanted.get("value") or ""
            ).first()
        fields = {
            "kind": item["kind"],
            "date": item["date"],
            "reference": item.get("reference") or "",
            "salutation": item.get("salutation") or "",
            "subject": item.get("subject") or "",
            "text": item.get("text") or "",
            "text_public": bool(item.get("text_public")),
            "represents": item["represents"],
            "copies_sent": item["copies_sent"],
            "country": item.get("country") or "",
            "language": item.get("language") or "",
            "channel": channel,
        }
        if row is None:
            fields.update(supporter=supporter, via=m.Action.Via.IMPORTED)
        action = _save(row, m.Action, fields, campaign=campaign)
        action.organisations.set([_organisation(name) for name in item["organisations"]])
        action.targets.set([targets[name] for name in item["targets"]])
        _sync(
            action.signatories.all(),
            item["signatories"],
            key_of_row=lambda s: (s.name,),
            key_of_item=lambda s: (s["name"],),
            write=lambda row, s, pos: _save(
                row,
                m.Signatory,
                {"name": s["name"], "title": s.get("title") or "", "organisation": s.get("organisation") or "", "position": pos},
                action=action,
            ),
        )
        return action

    _sync(
        campaign.actions.all(),
        items,
        key_of_row=lambda a: (a.kind, a.date, a.reference, a.subject, a.text),
        key_of_item=lambda a: (a["kind"], a["date"], a.get("reference") or "", a.get("subject") or "", a.get("text") or ""),
        write=write,
        delete_missing=False,
    )


def _upsert_responses(campaign: m.Campaign, items: list[ResponseDoc[dt.date]]) -> None:
    targets = {t.name: t for t in campaign.targets.all()}
    _sync(
        campaign.responses.select_related("target"),
        items,
        key_of_row=lambda r: (r.target.name, r.date, r.classification, r.summary),
        key_of_item=lambda r: (r["target"], r["date"], r["classification"], r["summary"]),
        write=lambda row, r, pos: _save(
            row,
            m.Response,
            {
                "target": targets[r["target"]],
                "date": r["date"],
                "channel": r.get("channel") or "",
                "classification": r["classification"],
                "summary": r["summary"],
                "reading": r.get("reading") or "",
            },
            campaign=campaign,
        ),
        delete_missing=False,
    )


def _original_text(demand: m.Demand, language: str) -> str:
    rows = {t.language_code: t.text for t in demand.translations.all()}
    return str(rows.get(language, demand.text))


@transaction.atomic
def campaign_document_load(*, document: Any, owner: m.Organisation | None = None, path: str = "") -> m.Campaign:
    """Create or update the campaign a document describes, so that loading it again changes nothing.

    The document's lists are the truth for the campaign's description (targets, demands, people, ...):
    items missing from it are removed. Actions and responses are only added or updated.
    Raises DocumentError naming the first bad field; nothing is written then.
    """
    data: CampaignInput = document_validate(document, path=path)
    location = data.get("location") or {}
    message = data.get("message") or {}
    if owner_name := data.get("owner"):
        owner = _organisation(owner_name)
    campaign = m.Campaign.objects.filter(slug=data["slug"]).first()
    language = data["language"]
    fields: dict[str, Any] = {
        "slug": data["slug"],
        "language": language,
        "text": data.get("text") or "",
        # The status changes through campaign_status_set below, so that its history and news follow.
        "status": campaign.status if campaign else m.Campaign.Status.DRAFT,
        "issued": data.get("issued") or "",
        "deadline": data.get("deadline"),
        "country": location.get("country") or "",
        "place": location.get("place") or "",
        "sector": data.get("sector") or "",
    }
    if owner is not None:
        fields["owner"] = owner
    original = {
        "title": data["title"],
        "summary": data.get("summary") or "",
        "message_subject": message.get("subject") or "",
        "message_body": message.get("body") or "",
        "call_to_action": data.get("call_to_action") or "",
    }
    if campaign is None:
        campaign = m.Campaign(**fields)
        _translated_fields_init(campaign, language=language, fields=original)
        campaign.save()
    else:
        campaign = _save(campaign, m.Campaign, fields)
        translated_fields_set(campaign, language=language, fields=original)
    campaign_status_set(campaign=campaign, status=data["status"])

    _sync(
        campaign.campaign_organisations.select_related("organisation"),
        data["organisations"],
        key_of_row=lambda co: (co.organisation.name, co.role),
        key_of_item=lambda o: (o["name"], o["role"]),
        write=lambda row, o, pos: _save(
            row,
            m.CampaignOrganisation,
            {
                "organisation": _organisation(
                    o["name"],
                    short_name=o.get("short_name") or "",
                    country=o.get("country") or "",
                    aliases=o.get("aliases") or [],
                ),
                "role": o["role"],
                "contact": o.get("contact") or "",
                "contact_role": o.get("contact_role") or "",
                "note": o.get("note") or "",
                "position": pos,
            },
            campaign=campaign,
        ),
    )
    _sync_targets(campaign, m.Target.Role.TARGET, data["targets"])
    _sync_targets(campaign, m.Target.Role.COPY_TO, data["copy_to"])

    def write_demand(row: m.Demand | None, d: DemandDoc, pos: int) -> m.Demand:
        # The outcome changes through demand_outcome_set, so that supporters hear of it.
        if row is None:
            demand = m.Demand(campaign=campaign, position=pos)
            _translated_fields_init(demand, language=language, fields={"text": d["text"]})
            demand.save()
        else:
            demand = _save(row, m.Demand, {"position": pos})
            translated_fields_set(demand, language=language, fields={"text": d["text"]})
        outcome = (d["status"], d.get("date") or "", d.get("evidence") or "")
        if (demand.status, demand.date, demand.evidence) != outcome:
            demand_outcome_set(demand=demand, status=outcome[0], date=outcome[1], evidence=outcome[2])
        return demand

    _sync(
        campaign.demands.prefetch_related("translations"),
        data["demands"],
        key_of_row=lambda d: (_original_text(d, language),),
        key_of_item=lambda d: (d["text"],),
        write=write_demand,
    )
    _sync_translations(campaign, data["translations"])
    _sync_people(campaign, data["people"])
    _sync(
        campaign.events.all(),
        data["events"],
        key_of_row=lambda e: (e.date, e.text),
        key_of_item=lambda e: (e.get("date") or "", e["text"]),
        write=lambda row, e, pos: _save(
            row, m.Event, {"date": e.get("date") or "", "text": e["text"], "position": pos}, campaign=campaign
        ),
    )
    _sync(
        campaign.updates.all(),
        data["updates"],
        key_of_row=lambda u: (u.date, u.title),
        key_of_item=lambda u: (u["date"], u["title"]),
        write=lambda row, u, pos: _save(
            row, m.Update, {"date": u["date"], "title": u["title"], "text": u.get("text") or ""}, campaign=campaign
        ),
    )
    _sync(
        campaign.sources.all(),
        data["sources"],
        key_of_row=lambda s: (s.title,),
        key_of_item=lambda s: (s["title"],),
        write=lambda row, s, pos: _save(
            row, m.Source, {"title": s["title"], "file": s.get("file") or "", "url": s.get("url") or ""}, campaign=campaign
        ),
    )
    _upsert_actions(campaign, data["actions"] or [])
    _upsert_responses(campaign, data["responses"])
    if data["actions"]:
        action_tallies_rebuild(campaign=campaign)  # the document's actions count in the totals too
    return campaign


@transaction.atomic
def campaign_documents_load(*, documents: Any, owner: m.Organisation | None = None) -> list[m.Campaign]:
    """Load a list of documents in one transaction: one bad document and none is written."""
    if not isinstance(documents, list):
        raise DocumentError("", "expected a JSON list of campaign documents.")
    slugs = [d.get("slug") for d in documents if isinstance(d, dict)]
    for index, slug in enumerate(slugs):
        if slug and slugs.index(slug) != index:
            raise DocumentError(f"[{index}].slug", f"{slug!r} appears twice in the list.")
    return [campaign_document_load(document=d, owner=owner, path=f"[{i}]") for i, d in enumerate(documents)]
