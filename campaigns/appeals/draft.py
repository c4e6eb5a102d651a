"""The draft campaign document (docs/campaign-document.md) of one appeal, with marks saying where each item was found."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

import regex
from django.utils.text import slugify

from .at_risk import find_people
from .dates import deadline, document_date, find_dates
from .demands import demand_marks, find_demands
from .events import find_events
from .letters import Letter, find_letter, find_references, represents
from .lexicon import detect_language, lexicon
from .organisations import FoundOrganisation, Registry, find_organisations, issuing_organisation
from .parties import Parties, Party, find_parties, is_channel_line, segment
from .places import countries_named, place
from .reading import AppealSource
from .text import Mark, Span, collapse, fold, lines, paragraphs, sentences, tidy_name

_BYLINE = regex.compile(
    r"^(?P<name>\p{Lu}[\p{L}\p{M}'’\-]+(?:\s+\p{Lu}[\p{L}\p{M}'’\-]+){1,3}),\s*(?P<role>[^,\n]{2,60}),\s*(?P<org>[^\n]{3,120})$",
    regex.VERSION1,
)
_SECTORS = (
    ("metal", r"foundr\w*|steel|metal\w*|smelter|metalúrgic\w*|сталь|металл\w*"),
    ("oil", r"oil|gas|petrol\w*|refiner\w*|petróleo|нефт\w*"),
    ("mining", r"mine|mines|mining|miners?|coal|minero\w*|mina|carbón|шахт\w*|угол\w*"),
    ("transport", r"port|ports|dock\w*|container|transport|rail\w*|airline|portuari\w*|transporte"),
    ("textile", r"garment|textile|factory\s+girls|maquila\w*"),
    ("agriculture", r"plantation|farm\w*|agricultur\w*|banana|tea\s+estate|campesin\w*"),
    ("health", r"hospital|nurses?|health\s+workers?|salud"),
    ("education", r"teachers?|schools?|universit\w*|docentes?|maestr[oa]s"),
)


@dataclass
class AppealDraft:
    document: dict[str, Any]
    marks: list[Mark] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: AppealSource | None = None
    owner: Any = None  # the organiser's organisation that issued the appeal, when the service knows the organiser


def draft_from_source(source: AppealSource) -> AppealDraft:
    text = source.text
    paras = paragraphs(text)
    marks: list[Mark] = []
    notes: list[str] = []

    references = find_references(text)
    marks += [Mark(s.start, s.end, "references", f"reference {value}") for value, s in references]
    reference_date, date_span = document_date(text, fallback=source.date)
    if date_span is not None:
        marks.append(Mark(date_span.start, date_span.end, "issued", "the document's date"))
    mentions = find_dates(text)
    due, due_span = deadline(text, mentions, reference_date)
    if due_span is not None:
        marks.append(Mark(due_span.start, due_span.end, "deadline", "deadline"))

    registry = find_organisations(text, paras)
    language = detect_language(text)
    byline_span, byline = _byline(text, paras, registry)
    letter = find_letter(text, is_channel_line=lambda line: is_channel_line(text, line))
    letter_spans = _letter_spans(letter)
    country = _main_country(text, paras)
    issuer = byline or _signatory_organisation(letter, registry) or issuing_organisation(text, paras, registry)
    if issuer is not None and issuer.role == "other":
        issuer.role = "issuer"

    parties = find_parties(
        text,
        registry=registry,
        country=country,
        issuer_name=issuer.name if issuer else "",
        letter=letter,
        exclude=letter_spans + ([byline_span] if byline_span else []),
    )
    if not parties.targets:
        employer = next((item for item in registry.items if item.role == "employer"), None)
        if employer is not None:
            parties.targets.append(
                Party(role="target", name=employer.name, kind="company", note="the employer the appeal names; no channel given")
            )
    marks += parties.marks
    notes += parties.notes

    title, title_span = _title(text, source, letter, reference_date)
    skip = letter_spans + parties.sections + [s for _, s in references]
    skip += [s for s in (byline_span, title_span, date_span, due_span) if s is not None]
    story = [
        p
        for p in paras
        if not any(p.start < s.end and s.start < p.end for s in skip if s.end - s.start > 0 and _covers(p, s))
        and collapse(text[p.start : p.end]) != title  # a title repeated as the page's heading
    ]

    excluded = {fold(p.name) for p in parties.targets + parties.copy_to}
    if letter is not None:
        excluded |= {fold(s.name) for s in letter.signatories}
    for item in registry.items:
        if item.contact:
            excluded.add(fold(item.contact))
    people, people_marks = find_people(
        text,
        story,
        excluded=excluded,
        excluded_targets=[p.name for p in parties.targets],
        registry=registry,
        language=language,
    )
    marks += people_marks
    demands, demand_spans = find_demands(text, story)
    marks += demand_marks(demands)
    events, event_marks = find_events(
        text,
        story,
        dates=mentions,
        reference=reference_date,
        skip=demand_spans + [s for s in (date_span, due_span, title_span) if s is not None] + [s for _, s in references],
    )
    marks += event_marks
    where, where_span = place(text, [(p.start, p.end) for p in story])
    if where_span is not None:
        marks.append(Mark(where_span[0], where_span[1], "location", "place"))
    for item in registry.items:
        for span in item.spans[:1]:
            marks.append(Mark(span.start, span.end, "organisations", f"organisation: {item.name} ({item.role})"))

    party_countries = {fold(p.name): p.country for p in parties.targets + parties.copy_to}
    organisations = [
        {
            "name": item.name,
            "short_name": item.short_name,
            "role": item.role,
            "country": party_countries.get(fold(item.name))
            or (country if item.role in ("issuer", "employer", "authority") else ""),
            "aliases": [],
            "contact": item.contact,
            "contact_role": item.contact_role,
            "note": item.note,
        }
        for item in registry.items
    ]
    document: dict[str, Any] = {
        "slug": slug_for(title),
        "title": title[:300],
        "summary": _summary(text, source, story, people=[p["name"] for p in people]),
        "text": text,
        "status": "draft",
        "language": language,
        "issued": None if letter is not None or reference_date is None else reference_date.isoformat(),
        "deadline": due.isoformat() if due else None,
        "location": {"country": country, "place": where},
        "sector": _sector(text),
        "references": [value for value, _ in references],
        "organisations": organisations,
        "targets": [p.as_document() for p in parties.targets],
        "copy_to": [p.as_document() for p in parties.copy_to],
        "demands": [{"text": d.text, "status": "open", "date": None, "evidence": ""} for d in demands],
        "people": people,
        "events": [{"date": e.date, "text": e.text, **({"day_month": e.day_month} if e.day_month else {})} for e in events],
        "updates": [],
        "actions": [],
        "responses": [],
        "sources": [{"title": title[:300], "file": source.filename, "url": ""}],
    }
    message = _message(text, parties, document, language)
    if message:
        document["message"] = message
    action = _letter_action(text, source, letter, document, registry, reference_date)
    if action:
        document["actions"].append(action)
        if action.get("represents_span"):
            start, end = action.pop("represents_span")
            marks.append(Mark(start, end, "actions", f"the letter speaks for {action['represents']:,} people"))
    if not document["targets"]:
        notes.append("no target found: add whom supporters should address")
    document["import_notes"] = notes
    return AppealDraft(document=document, marks=marks, notes=notes, source=source)


def slug_for(title: str, limit: int = 80) -> str:
    """The title as a slug of at most `limit` characters, cut at a word boundary."""
    slug = slugify(title)
    if len(slug) > limit:
        cut = slug[: limit + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut[1:] else slug[:limit]
    return slug.strip("-") or "imported-appeal"


def _message(text: str, parties: Parties, document: dict[str, Any], language: str) -> dict[str, Any] | None:
    """The model message: the appeal's own letter (from its salutation to its closing) when it has one, else
    one composed in the appeal's language from the first target, its salutation and the demands."""
    lex = lexicon()
    for party in parties.targets:
        if party.salutation_span is None:
            continue
        start = party.salutation_span.start
        end = len(text)
        for line in segment(text[start:]):
            if line.start > 0 and lex.closing.match(line.text):
                end = start + line.end
                break
        return {"subject": "", "body": text[start:end].strip(), "origin": "the appeal's letter"}
    if not document["targets"]:
        return None
    words = lex.compose(language or "en")
    target = document["targets"][0]
    salutation = (
        f"{target['salutation']},"
        if target.get("salutation")
        else words["salutation"].format(name=target.get("title") or target["name"])
    )
    demands = "\n".join(f"- {d['text']}" for d in document["demands"])
    body = "\n\n".join(filter(None, [salutation, words["intro"].format(title=document["title"]), demands, words["closing"]]))
    return {"subject": document["title"][:300], "body": body, "origin": "composed from the targets and demands"}


def _covers(paragraph: Span, span: Span) -> bool:
    """A skipped span removes a paragraph when it is most of it (a title line, a date line, a contact block)."""
    overlap = min(paragraph.end, span.end) - max(paragraph.start, span.start)
    return overlap >= (paragraph.end - paragraph.start) * 0.6


def _byline(text: str, paras: list[Span], registry: Registry) -> tuple[Span, FoundOrganisation] | tuple[None, None]:
    """ "Ainur Kurmanov, President, Workers' Movement of Kazakhstan": the author and the organisation issuing the appeal."""
    for para in paras[:6]:
        value = text[para.start : para.end].strip()
        match = _BYLINE.match(value)
        if not match or value.endswith(".") or len(value) > 200:
            continue
        organisation = registry.add(match.group("org"), role="issuer", span=Span(para.start + match.start("org"), para.end))
        if organisation is not None:
            organisation.contact = tidy_name(match.group("name"))
            organisation.contact_role = tidy_name(match.group("role"))
            organisation.role = "issuer"
            # The byline itself was read as one long name before: drop that reading.
            registry.items = [i for i in registry.items if i is organisation or fold(match.group("name")) not in fold(i.name)]
            return para, organisation
    return None, None


def _signatory_organisation(letter: Letter | None, registry: Registry) -> FoundOrganisation | None:
    if letter is None or not letter.signatories:
        return None
    first = None
    for signatory in letter.signatories:
        if not signatory.organisation:
            continue
        item = registry.find(signatory.organisation) or registry.add(signatory.organisation)
        if item is not None:
            item.role = "signatory"
            signatory.organisation = item.short_name or item.name
            first = first or item
    return first


def _letter_spans(letter: Letter | None) -> list[Span]:
    if letter is None:
        return []
    spans = [letter.salutation_span, *letter.extra_blocks]
    spans += [s for s in (letter.address_block, letter.closing_span, letter.signature_span, letter.subject_span) if s is not None]
    return spans


def _main_country(text: str, paras: list[Span]) -> str:
    from .channels import find_channels

    story = [(p.start, p.end) for p in paras if not find_channels(text, p.start, p.end)]
    counts = countries_named(text, story) or countries_named(text, [(p.start, p.end) for p in paras])
    if not counts:
        return ""
    best = max(counts.values())
    for code, count in counts.items():  # first named among the most named
        if count == best:
            return code
    return ""


def _title(text: str, source: AppealSource, letter: Letter | None, reference: dt.date | None) -> tuple[str, Span | None]:
    first_lines = lines(text)[:1]
    if source.title:
        span = (
            first_lines[0] if first_lines and collapse(text[first_lines[0].start : first_lines[0].end]) == source.title else None
        )
        return collapse(source.title), span
    if letter is not None and letter.address_block is not None:
        block = [collapse(text[s.start : s.end]) for s in lines(text, letter.address_block)]
        who = ", ".join(block[:2])
        when = f", {reference.day} {reference:%B %Y}" if reference else ""
        return f"Letter to {who}{when}", None
    if first_lines:
        line = first_lines[0]
        value = collapse(text[line.start : line.end])
        if 8 <= len(value) <= 200 and not value.endswith("."):
            return value, line
    sentence = sentences(text, paragraphs(text)[0])[0]
    return collapse(text[sentence.start : sentence.end])[:120], None


def _summary(text: str, source: AppealSource, story: list[Span], *, people: list[str]) -> str:
    if source.summary:
        return collapse(source.summary)
    for para in story:
        value = collapse(text[para.start : para.end])
        if len(value) >= 120:
            if len(value) <= 600:
                return value
            cut = value[:600]
            return cut[: cut.rfind(". ") + 1] if ". " in cut else cut
    return ""


@functools.cache
def _sector_patterns() -> tuple[tuple[str, regex.Pattern[str]], ...]:
    return tuple((name, regex.compile(rf"(?i)\b(?:{pattern})\b")) for name, pattern in _SECTORS)


def _sector(text: str) -> str:
    counts = {name: len(pattern.findall(text)) for name, pattern in _sector_patterns()}
    name, count = max(counts.items(), key=lambda item: item[1])
    return name if count >= 2 else ""


def _letter_action(
    text: str,
    source: AppealSource,
    letter: Letter | None,
    document: dict[str, Any],
    registry: Registry,
    reference: dt.date | None,
) -> dict[str, Any] | None:
    """A letter is itself an action: who wrote to whom, when, under what reference, speaking for how many."""
    if letter is None or reference is None or not document["targets"]:
        return None
    target = document["targets"][0]
    organisations = []
    by = []
    for signatory in letter.signatories:
        item = registry.find(signatory.organisation) if signatory.organisation else None
        if item is not None and item.name not in organisations:
            organisations.append(item.name)
            by.append(item.short_name or item.name)
    number, span = represents(text)
    channel = None
    for item in target["channels"]:
        if item["kind"] == "email" and item.get("value") and item["value"] in source.recipients:
            channel = {"kind": "email", "value": item["value"]}
    action = {
        "kind": "letter",
        "by": "; ".join(by),
        "organisations": organisations,
        "targets": [target["name"]],
        "channel": channel,
        "date": reference.isoformat(),
        "reference": document["references"][0].split(": ", 1)[1][:100] if document["references"] else "",
        "salutation": letter.salutation,
        "subject": (source.title or letter.subject)[:300],
        "text": text,
        "represents": number or 1,
        "copies_sent": bool(document["copy_to"]),
        "signatories": [{"name": s.name, "title": s.title, "organisation": s.organisation} for s in letter.signatories],
    }
    if span is not None:
        action["represents_span"] = (span.start, span.end)
    return action
