"""Who the appeal addresses: targets ("send protests to ...", a letter's address block) and copy-to recipients
("send copies to ...", "cc:"), each with its contact channels."""

from __future__ import annotations

from dataclasses import dataclass, field

import phonenumbers
import regex
from django.core.exceptions import ValidationError

from ..kinds import NUMBER_KINDS
from ..phones import to_e164
from .addresses import address_country, is_address_continuation, is_address_start
from .channels import FoundChannel, find_channels
from .letters import SALUTATION, Letter
from .organisations import KEYWORD_RE, Registry, kind_of
from .text import Mark, Span, collapse, fold, lines, paragraphs, sentences, tidy_name

_FLAGS = regex.IGNORECASE | regex.VERSION1

COPY_CUE = regex.compile(
    r"(?<![\p{L}])(?:send\s+(?:a\s+)?cop(?:y|ies)|cop(?:y|ies)\s+(?:of\s+\w+\s+)?to|and\s+copies|c\.?c\.?\s*:|"
    r"messages?\s+of\s+support|solidarity\s+messages?|messages?\s+of\s+solidarity|con\s+copia|copias?\s+a|"
    r"mensajes?\s+de\s+(?:apoyo|solidaridad)|копи\w*|сообщения\s+поддержки)",
    _FLAGS,
)
TARGET_CUE = regex.compile(
    r"(?<![\p{L}])(?:(?:send|write|address|direct|fax|e-?mail|phone|contact|protest)\w*\s+(?:\S+\s+){0,8}?(?:to|at)\b|"
    r"(?:protests?|appeals?|letters?|messages?)\s+(?:should\s+be\s+sent\s+)?to\s*:|"
    r"(?:env[ií]\w*|dirij\w*|escrib\w*|remit\w*)\s+(?:\S+\s+){0,8}?a\b|"
    r"(?:направ\w*|пиш\w*|отправ\w*)\s+(?:\S+\s+){0,8}?(?:в|на|по)\b)",
    _FLAGS,
)
_CONTINUATION = regex.compile(r"^\s*(?:and|y|и|et)\s+(?:also\s+)?(?:to|a|в)\s*:?\s*$", _FLAGS)
_TITLE = regex.compile(
    r"^(?:H\.?\s?E\.?\s+|His\s+Excellency\s+|Her\s+Excellency\s+|the\s+)?(?:Vice[- ]|Deputy\s+|Acting\s+|Prime\s+)?"
    r"(?:President|Minister|Secretary|Ambassador|Chargé\s+d'affaires|Governor|Mayor|Director|Managing\s+Director|Chairman|"
    r"Chairperson|Chair|Chief\s+Executive|CEO|Attorney[\s-]General|Prosecutor|Procurator|Commissioner|Head|Judge|Chief|"
    r"King|Queen|Senator|Speaker|General\s+Secretary|Secretary[\s-]General|Presidente|Presidenta|Ministr[oa]|Secretari[oa]|"
    r"Embajador[a]?|Gobernador[a]?|Alcalde(?:sa)?|Fiscal|Director[a]?|Procurador[a]?|Defensor[a]?|Президент|Министр|Посол|"
    r"Губернатор|Прокурор|Monsieur\s+le|Madame\s+la)(?![\p{L}])",
    _FLAGS,
)
_HONORIFIC = regex.compile(
    r"^(?:(?:H\.?\s?E\.?|His\s+Excellency|Her\s+Excellency|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?|Prof\.?|Sr\.?|Sra\.?|Don|Doña|Hon\.?)\s+)+",
    _FLAGS,
)
_SALUTATION_LABEL = regex.compile(r"^(?:Salutation|Saludo|Обращение)\s*:\s*(?P<value>.+)$", _FLAGS)
_PERSON = regex.compile(
    r"^\p{Lu}[\p{L}\p{M}'’\-]+(?:\s+(?:(?:de|del|la|van|von|der|da|dos|bin|al)\s+)?\p{Lu}[\p{L}\p{M}'’\-.]*){1,4}$",
    regex.VERSION1,
)
_CUE_OBJECT_KIND = (
    (
        regex.compile(r"\b(?:company|corporation|employer|management|owners?|firm|empresa|compañía|компани\w*)\b", _FLAGS),
        "company",
    ),
    (
        regex.compile(r"\b(?:government|authorities|ministry|gobierno|autoridades|правительств\w*|власт\w*)\b", _FLAGS),
        "government",
    ),
)


def _is_person(name: str) -> bool:
    """A person's name ("Juan Carlos Evangelista"), not an organisation's ("Central Unitaria de Trabajadores")."""
    return bool(_PERSON.match(name)) and not KEYWORD_RE.search(name) and kind_of(name) == "organisation"


@dataclass
class Party:
    role: str  # target | copy_to
    name: str = ""
    kind: str = "other"
    title: str = ""
    salutation: str = ""
    country: str = ""
    note: str = ""
    channels: list[dict] = field(default_factory=list)
    found: list[FoundChannel] = field(default_factory=list)
    postal: str = ""
    postal_span: Span | None = None
    name_span: Span | None = None
    salutation_span: Span | None = None

    def as_document(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "title": self.title,
            "salutation": self.salutation or None,
            "country": self.country or None,
            "note": self.note,
            "channels": self.channels,
        }


@dataclass
class Parties:
    targets: list[Party] = field(default_factory=list)
    copy_to: list[Party] = field(default_factory=list)
    sections: list[Span] = field(default_factory=list)  # the call-to-action text: not the story
    notes: list[str] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)


def is_channel_line(text: str, line: Span) -> bool:
    """A line that holds only contact channels and their labels ("By email: x@y", "Fax: ...")."""
    channels = find_channels(text, line.start, line.end)
    if not channels:
        return False
    rest = text[line.start : line.end]
    for channel in sorted(channels, key=lambda c: -c.span.start):
        rest = rest[: channel.span.start - line.start] + rest[channel.span.end - line.start :]
    rest = regex.sub(
        r"(?i)\b(?:by|via|or|and|to|o|y|por|e-?mail|email\s+address|fax|tel|phone|twitter|web)\b|[\p{L}\-./ ]*:|[,;/()\-–.]",
        " ",
        rest,
    )
    return not rest.split()


def _strip_labels(value: str) -> str:
    return regex.sub(
        r"(?i)\b(?:e-?mail(?:\s+address)?|correo(?:\s+electr[óo]nico)?|fax|tel\.?|phone|web(?:\s+form)?|twitter|by)\s*:?\s*$",
        "",
        value,
    )


def find_parties(
    text: str,
    *,
    registry: Registry,
    country: str,
    issuer_name: str,
    letter: Letter | None,
    exclude: list[Span],
) -> Parties:
    out = Parties()
    if letter is not None and letter.address_block is not None:
        party = Party(role="target", salutation=letter.salutation, salutation_span=letter.salutation_span)
        block_lines = lines(text, letter.address_block)
        for extra in letter.extra_blocks:
            block_lines += lines(text, extra)
        _fill(text, party, block_lines, multiline=True, registry=registry)
        if party.name:
            _finish(text, party, country=country, out=out)
            out.targets.append(party)
    role: str | None = None
    cue_object = ""
    pending: Span | None = None
    paras = [p for p in paragraphs(text) if not any(p.start < e.end and e.start < p.end for e in exclude)]
    for para in paras:
        para_text = text[para.start : para.end]
        cue = _cue(text, para)
        if cue is not None:
            role, cue_end, cue_object = cue
            block = Span(cue_end, para.end)
            if find_channels(text, block.start, block.end) or _has_address(text, block):
                out.sections.append(para)
                _blocks(text, block, role, cue_object, out, registry=registry, issuer_name=issuer_name, country=country)
            else:
                pending = para  # a cue alone ("Please send appeals to:") belongs to the call to action if recipients follow
            continue
        if role and _CONTINUATION.match(para_text):
            out.sections.append(para)
            continue
        if role and (find_channels(text, para.start, para.end) or _has_address(text, para)):
            if pending is not None:
                out.sections.append(pending)
                pending = None
            out.sections.append(para)
            _blocks(text, para, role, cue_object, out, registry=registry, issuer_name=issuer_name, country=country)
            continue
        role, pending = None, None
    _merge(out.targets)
    _merge(out.copy_to)
    return out


def _cue(text: str, para: Span) -> tuple[str, int, str] | None:
    """(role, where the recipients begin, what the cue calls them) when a paragraph opens a call to action."""
    first_sentence = sentences(text, para)[0]
    for sentence in (first_sentence, *lines(text, para)[:1]):
        value = text[sentence.start : sentence.end]
        if len(value) > 300:
            continue
        copy = COPY_CUE.search(value)
        target = TARGET_CUE.search(value)
        match, role = (copy, "copy_to") if copy else (target, "target")
        if match is None:
            continue
        # The recipients start after "to" / ":" following the cue.
        rest_start = sentence.start + match.end()
        to = regex.search(r"(?:\bto\b|\ba\b|:)\s*", text[rest_start : sentence.end + 1], _FLAGS)
        if copy and to:
            rest_start += to.end()
        colon = text.find(":", sentence.start + match.start(), sentence.end + 1)
        object_end = colon if colon != -1 else sentence.end
        cue_object = text[rest_start:object_end].strip(" .:")
        if find_channels(text, rest_start, object_end):
            cue_object = ""
        start = colon + 1 if colon != -1 and colon < sentence.end + 1 else sentence.end
        # "send protests to the company:" then the channels; "send copies to email address: x" in the same line
        if colon != -1 and find_channels(text, rest_start, colon):
            start = rest_start
        return role, start, _strip_labels(cue_object).strip(" ,.:")
    return None


def _has_address(text: str, span: Span) -> bool:
    return any(is_address_start(part) for line in lines(text, span) for part in text[line.start : line.end].split(","))


def _blocks(text, block: Span, role, cue_object, out: Parties, *, registry, issuer_name, country) -> None:
    block_lines = lines(text, block)
    if not block_lines:
        return
    # One recipient per line ("cc:" lists), a line wrapped in a PDF continuing on the next; or one per block.
    entries: list[list[Span]] = []
    for line in block_lines:
        value = text[line.start : line.end]
        if entries and (is_channel_line(text, line) or value[:1].islower() or text[entries[-1][-1].end - 1] == ","):
            entries[-1].append(line)
        else:
            entries.append([line])
    per_line = len(entries) >= 2 and all(find_channels(text, e[0].start, e[-1].end) for e in entries)
    groups = entries if per_line else [block_lines]
    for group in groups:
        party = Party(role=role)
        _fill(text, party, group, multiline=not per_line and len(group) > 1, registry=registry)
        if not party.found and not party.postal:
            continue
        if not party.name:
            _name_from_cue(party, cue_object, registry=registry, issuer_name=issuer_name)
        if not party.name:
            out.notes.append(f"a {'copy-to recipient' if role == 'copy_to' else 'target'} without a name: fill it in")
            party.name = "Recipient of copies" if role == "copy_to" else "Target"
        _finish(text, party, country=country, out=out)
        (out.copy_to if role == "copy_to" else out.targets).append(party)


def _name_from_cue(party: Party, cue_object: str, *, registry: Registry, issuer_name: str) -> None:
    """No name in the block: "send protests to the company" names the employer; copies with no name go to the issuers."""
    obj = regex.sub(r"^(?:the|el|la|los|las)\s+", "", cue_object.strip(), flags=_FLAGS)
    for pattern, kind in _CUE_OBJECT_KIND:
        if obj and pattern.search(obj):
            for item in registry.items:
                if item.kind == kind and (kind != "company" or item.role == "employer"):
                    party.name, party.kind, party.note = item.name, kind, f"named in the appeal as {cue_object!r}"
                    return
    if obj and obj[:1].isupper() and len(obj.split()) <= 8:
        party.name = tidy_name(obj)
        party.kind = kind_of(party.name)
        return
    if party.role == "copy_to" and issuer_name:
        party.name, party.kind, party.note = issuer_name, "organisation", "no recipient named: the appeal's issuers"


def _fill(text: str, party: Party, block_lines: list[Span], *, multiline: bool, registry: Registry) -> None:
    """Name, title, address, salutation and channels of one recipient from its lines."""
    start, end = block_lines[0].start, block_lines[-1].end
    party.found = [
        c for c in find_channels(text, start, end) if any(line.start <= c.span.start < line.end for line in block_lines)
    ]
    units: list[Span] = []
    for index, line in enumerate(block_lines):
        if is_channel_line(text, line):
            continue
        value = text[line.start : line.end]
        labelled = _SALUTATION_LABEL.match(value)
        if labelled:  # "Salutation: Dear Secretary"
            party.salutation = labelled.group("value").strip().rstrip(",")
            party.salutation_span = Span(line.start + labelled.start("value"), line.end)
            continue
        if index and SALUTATION.match(value):  # "Dear Minister," under the address
            party.salutation = value.strip().rstrip(",")
            party.salutation_span = line
            continue
        if not multiline or not units:
            units.extend(_comma_parts(text, line))  # "Committee ..., PO Box 3688, London, ..."
        else:
            units.append(line)
    address: list[Span] = []
    notes: list[str] = []
    for unit in units:
        if any(unit.start <= c.span.start < unit.end for c in party.found):
            continue  # "Tel: ++ 44 20 ...", "email: ..."
        value = tidy_name(text[unit.start : unit.end]) if not multiline else collapse(text[unit.start : unit.end]).strip(" ,")
        if not value or regex.fullmatch(r"(?i)(?:e-?mail|fax|tel|phone|correo)[\w\s.]*:?", value):
            continue
        if is_address_start(value) or (address and is_address_continuation(value)):
            address.append(unit)
            continue
        if not party.name:
            if _TITLE.match(value) and not party.title and not _is_person(_HONORIFIC.sub("", value)):
                # An office named for itself ("Minister of Labour and Social Security"), unless a person follows.
                party.name, party.name_span = value, unit
                continue
            party.name = _HONORIFIC.sub("", value).strip()
            acronym = regex.search(r"\s*\((?P<short>[\p{Lu}\d\-]{2,15})\)$", party.name, regex.VERSION1)
            if acronym:
                party.name = party.name[: acronym.start()].strip()
            party.name_span = unit
            continue
        if not party.title and _TITLE.match(value) and _is_person(party.name):
            party.title = value
            continue
        if multiline and address == [] and not party.title and _is_person(party.name) and len(value.split()) <= 12:
            party.title = value
            continue
        notes.append(value)
    if address:
        party.postal = ", ".join(collapse(text[a.start : a.end]).strip(" ,") for a in address)
        party.postal_span = Span(address[0].start, address[-1].end)
        notes = [n for n in notes if n not in party.postal]
    if notes:
        party.note = "; ".join(notes)


def _comma_parts(text: str, line: Span) -> list[Span]:
    out, pos = [], line.start
    value = text[line.start : line.end]
    depth = 0
    last = 0
    for index, char in enumerate(value):
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth <= 0:
            out.append(Span(pos + last, pos + index))
            last = index + 1
    out.append(Span(pos + last, line.end))
    return [s for s in (_strip(text, s) for s in out) if s.end > s.start]


def _strip(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    return Span(start, end)


def _finish(text: str, party: Party, *, country: str, out: Parties) -> None:
    """Kind, country, and channels in the campaign document's shape (numbers in E.164 for the party's country)."""
    if party.kind == "other":
        if _is_person(party.name):
            title = party.title.casefold()
            party.kind = "embassy" if ("ambassador" in title or "embassy" in title or "embajador" in title) else "official"
        elif _TITLE.match(party.name):
            party.kind = "official"
        else:
            party.kind = kind_of(party.name)
            if party.kind == "organisation" and regex.search(r"(?i)\bembass|embajada|посольств", party.name):
                party.kind = "embassy"
    party.country = address_country(party.postal) if party.postal else ""
    if not party.country:
        party.country = _country_from_numbers(party.found, country) or country
    channels: list[dict] = []
    if party.postal and party.postal_span is not None:
        channels.append({"kind": "postal", "value": party.postal})
        span = party.postal_span
        out.marks.append(Mark(span.start, span.end, "channel", f"postal address of {party.name} ({_role(party)})"))
    for found in party.found:
        item: dict = {"kind": found.kind}
        if found.masked:
            item.update(value=None, masked=True)
        elif found.kind in NUMBER_KINDS:
            try:
                item.update(value=found.value, e164=to_e164(found.value or "", default_region=party.country or None))
            except ValidationError as exc:
                out.notes.append(f"{found.value}: {exc.messages[0]} (left out)")
                continue
        else:
            item["value"] = found.value
        if found.label:
            item["label"] = found.label
        if any(_same(item, other) for other in channels):
            continue
        channels.append(item)
        what = "masked e-mail (address hidden)" if found.masked else found.kind
        out.marks.append(Mark(found.span.start, found.span.end, "channel", f"{what} of {party.name} ({_role(party)})"))
    party.channels = channels
    if party.name_span is not None:
        out.marks.append(
            Mark(
                party.name_span.start,
                party.name_span.end,
                "targets" if party.role == "target" else "copy_to",
                f"{_role(party)}: {party.name}",
            )
        )
    if party.salutation_span is not None:
        out.marks.append(
            Mark(party.salutation_span.start, party.salutation_span.end, "salutation", f"salutation to {party.name}")
        )


def _same(a: dict, b: dict) -> bool:
    return a["kind"] == b["kind"] and not a.get("masked") and a.get("value") == b.get("value")


def _role(party: Party) -> str:
    return "target" if party.role == "target" else "copy to"


def _country_from_numbers(found: list[FoundChannel], country: str) -> str:
    for channel in found:
        if channel.kind not in NUMBER_KINDS or not channel.value:
            continue
        try:
            e164 = to_e164(channel.value)
        except ValidationError:
            continue
        number = phonenumbers.parse(e164)
        if country and phonenumbers.country_code_for_region(country) == number.country_code:
            return country  # +7 is Russia and Kazakhstan: the appeal's country decides
        region = phonenumbers.region_code_for_number(number)
        if region and region != "001":
            return region
    return ""


def _merge(parties: list[Party]) -> None:
    """The same recipient named twice (two blocks): one party with all channels."""
    seen: dict[str, Party] = {}
    for party in list(parties):
        key = fold(party.name)
        if key in seen:
            first = seen[key]
            first.channels += [c for c in party.channels if not any(_same(c, o) for o in first.channels) or c.get("masked")]
            parties.remove(party)
        else:
            seen[key] = party
