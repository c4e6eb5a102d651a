"""Appeal import: a draft campaign from an appeal's text or file, and saving a reviewed draft as a draft campaign."""

from __future__ import annotations

import copy
from typing import Any

from django.db import transaction

from .. import models as m
from ..appeals.draft import AppealDraft, draft_from_source
from ..appeals.reading import AppealReadError, appeal_read, source_from_text
from ..documents.validation import DocumentError
from .documents import campaign_document_load

__all__ = ["AppealReadError", "appeal_draft", "appeal_save"]


def appeal_draft(*, text: str | None = None, data: bytes | None = None, filename: str = "") -> AppealDraft:
    """The draft campaign document of an appeal given as pasted text or as a file's bytes.

    Raises AppealReadError (one line for the organiser) for input that cannot be read.
    """
    if data is not None:
        source = appeal_read(data, filename=filename)
    elif text is not None:
        source = source_from_text(text)
    else:
        raise AppealReadError("paste an appeal's text or choose a file.")
    return draft_from_source(source)


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
