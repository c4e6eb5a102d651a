"""The campaign document's shape, defined once (docs/campaign-document.md).

`CampaignDocument` is the document as JSON: what selectors.documents.campaign_document builds, export
writes and the API returns. `CampaignInput` is the same shape as documents.validation.document_validate
returns it to the loader (services.documents): dates parsed, defaults filled, optional keys perhaps
absent. mypy holds the builder and the loader to these; tests/documents/test_shape.py holds the
validator and the API's OpenAPI description to them, so a field is added here first.
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, NotRequired, TypedDict, TypeVar

D = TypeVar("D", str, dt.date)  # a full date: ISO text in JSON, a date once validated


class ChannelDoc(TypedDict):
    kind: str
    value: str | None  # None when masked
    e164: str | None
    masked: bool
    label: str
    note: NotRequired[str]  # appeal import's drafts: why a number has no E.164 yet


class TargetDoc(TypedDict):
    name: str
    kind: str
    title: str
    salutation: str | None
    country: str | None
    language: str | None  # the language the target reads (campaigns.languages), None: not known
    note: str
    channels: list[ChannelDoc]


class OrganisationDoc(TypedDict):
    name: str
    short_name: str
    role: str
    country: str | None
    aliases: list[str]
    contact: str
    contact_role: str
    note: str


class DemandDoc(TypedDict):
    text: str
    status: str
    date: str | None  # partial
    evidence: str


class HistoryDoc(TypedDict):
    date: str | None  # partial
    status: str
    text: str


class PersonDoc(TypedDict):
    name: str
    role: str
    age: int | None
    status: str
    details: str
    history: list[HistoryDoc]


class EventDoc(TypedDict):
    date: str | None  # partial, or undated
    text: str


class UpdateDoc(TypedDict, Generic[D]):
    date: D
    title: str
    text: str


class ActionChannelDoc(TypedDict):
    kind: str
    value: str


class SignatoryDoc(TypedDict):
    name: str
    title: str
    organisation: str


class SupporterDoc(TypedDict):
    name: str
    email: str
    organisation: str
    country: str | None
    language: NotRequired[str | None]  # the language they act in (news is sent in it)
    consent_updates: bool


class ActionDoc(TypedDict, Generic[D]):
    kind: str
    by: str
    organisations: list[str]
    targets: list[str]  # names of the campaign's targets
    channel: ActionChannelDoc | None
    date: D
    reference: str
    salutation: str
    subject: str
    text: str
    represents: int
    copies_sent: bool
    country: str | None
    language: NotRequired[str | None]  # the language the supporter acted in
    signatories: list[SignatoryDoc]
    supporter: NotRequired[SupporterDoc | None]  # personal: only in organisers' documents
    text_public: NotRequired[bool]  # the supporter chose to publish their words (organisers' documents)


class ResponseDoc(TypedDict, Generic[D]):
    target: str
    date: D
    channel: str
    classification: str
    summary: str
    reading: str


class SourceDoc(TypedDict):
    title: str
    file: str
    url: str


class LocationDoc(TypedDict):
    country: str | None
    place: str


class MessageDoc(TypedDict):
    subject: str
    body: str


class TranslationDoc(TypedDict):
    """The campaign in one more language: any of these may be blank (that part then reads in the original)."""

    title: str
    summary: str
    message: MessageDoc
    call_to_action: str
    demands: list[str]  # the demands' texts in this language, in the campaign's order of demands


class CampaignDocumentOf(TypedDict, Generic[D]):
    slug: str
    language: str  # the original language: title, summary, message, demands and text are in it
    title: str
    summary: str
    call_to_action: str
    text: str
    status: str
    issued: str | None  # partial
    deadline: D | None
    location: LocationDoc
    sector: str
    owner: str | None
    message: MessageDoc
    translations: dict[str, TranslationDoc]  # language code → the campaign in that language
    organisations: list[OrganisationDoc]
    targets: list[TargetDoc]
    copy_to: list[TargetDoc]
    demands: list[DemandDoc]
    people: list[PersonDoc]
    events: list[EventDoc]
    updates: list[UpdateDoc[D]]
    actions: list[ActionDoc[D]] | None  # None: left out (campaign_document(include_actions=False))
    responses: list[ResponseDoc[D]]
    sources: list[SourceDoc]


CampaignDocument = CampaignDocumentOf[str]
CampaignInput = CampaignDocumentOf[dt.date]
