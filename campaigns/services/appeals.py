"""Appeal import: a draft campaign from an appeal's text or file, and saving a reviewed draft as a draft campaign."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse

from .. import models as m
from ..appeals.draft import AppealDraft, draft_from_source
from ..appeals.reading import AppealReadError, appeal_read, source_from_text
from ..appeals.text import fold
from ..documents.validation import DocumentError
from ..selectors.campaigns import campaigns_like_draft
from .documents import campaign_document_load

__all__ = ["AppealReadError", "appeal_draft", "appeal_save"]


def appeal_draft(
    *,
    text: str | None = None,
    data: bytes | None = None,
    filename: str = "",
    organisations: Iterable[m.Organisation] | None = None,
    check_existing: bool = False,
) -> AppealDraft:
    """The draft campaign document of an appeal given as pasted text or as a file's bytes.

    With the organiser's `organisations`, the appeal's issuer becomes the owner when it is one of them.
    With `check_existing`, a campaign that already has the same title or target is named, with its link,
    in the draft's notes (a dry run or a score reads no campaigns).
    Raises AppealReadError (one line for the organiser) for input that cannot be read.
    """
    if data is not None:
        source = appeal_read(data, filename=filename)
    elif text is not None:
        source = source_from_text(text)
    else:
        raise AppealReadError("paste an appeal's text or choose a file.")
    draft = draft_from_source(source)
    document = draft.document
    if organisations is not None:
        owner = appeal_owner(document=document, organisations=organisations)
        if owner is not None:
            document["owner"] = owner.name
            draft.owner = owner
    document["similar_campaigns"] = []
    if not check_existing:
        return draft
    similar = campaigns_like_draft(title=document["title"], target_names=[t["name"] for t in document["targets"]])
    for campaign, why in similar:
        url = reverse("campaigns:campaign", args=[campaign.slug])
        document["similar_campaigns"].append({"slug": campaign.slug, "title": campaign.title, "url": url, "why": why})
        note = f"{campaign.title} ({url}) already has {why}: is this the same campaign?"
        draft.notes.append(note)
        document["import_notes"].append(note)
    return draft


def appeal_owner(*, document: dict[str, Any], organisations: Iterable[m.Organisation]) -> m.Organisation | None:
    """The organiser's organisation that issued the appeal (by name or short name), or None."""
    issuers = [o for o in document.get("organisations") or [] if o.get("role") in ("issuer", "signatory")]
    keys = {fold(v) for o in issuers for v in (o.get("name"), o.get("short_name")) if v}
    for organisation in organisations:
        names = {fold(organisation.name)} | ({fold(organisation.short_name)} if organisation.short_name else set())
        if keys & names:
            return organisation
    return None


def _free_slug(slug: str) -> str:
    base, number = slug[:90].strip("-") or "imported-appeal", 1
    candidate = base
    while m.Campaign.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@transaction.atomic
def appeal_save(*, document: dict[str, Any], owner: m.Organisation | None, publish: bool = False) -> m.Campaign:
    """Save a reviewed draft as a new campaign owned by `owner`: a draft, unless the organiser publishes it.

    Never touches an existing campaign: the slug is made unique. The document cannot choose its owner.
    Raises DocumentError naming the first bad field; nothing is written then.
    """
    if not isinstance(document, dict):
        raise DocumentError("", "a campaign document must be a JSON object.")
    document = copy.deepcopy(document)
    document.pop("owner", None)
    document.pop("import_notes", None)
    document["status"] = m.Campaign.Status.ACTIVE if publish else m.Campaign.Status.DRAFT
    if not isinstance(document.get("slug"), str) or not document["slug"].strip():
        raise DocumentError("slug", "This field is required.")
    document["slug"] = _free_slug(document["slug"])
    return campaign_document_load(document=document, owner=owner)
