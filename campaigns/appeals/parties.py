"""Who the appeal addresses: targets, copy-to recipients and (to be left out) the sender, each with its channels.

The text is first cut into lines (a `|` inside a flattened header also ends one); parties come from
  1. letter address blocks: the lines above any salutation ("Dear Minister,", "Sehr geehrte ...",
     "M. le préfet,"), up to the prose before them, blank lines allowed inside; a "To ..." line inside
     the block starts a recipient and what stands above it is the writer's letterhead;
  2. cue-led blocks: a call ("send protests to", "envíen faxes a", "mandare cartoline a:") or a copy cue
     ("con copia a:", "cc:") followed by the recipients, inline ("Name (email)", a list of addresses)
     or on the lines below (names, address lines, `Label: value` lines, a headline in between);
  3. `Label: value` lines anywhere whose label names the recipient ("- Ouvidoria: x@y");
  4. the explicit object of a call when no channel is given ("a message of protest to the State
     government of Hidalgo"), unless an office already found is the same one.
Then values are read inside each party (e-mail, phone and fax with their labels, unlabelled numbers by
phonenumbers' matcher with the appeal's country as the region, postal lines by shape). A number that
cannot be put in E.164 is kept as written with a note. A party matching the issuer is the sender,
never a target; channels after an unsigned closing belong to that letter's addressee.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import phonenumbers
import regex

from ..kinds import NUMBER_KINDS
from .addresses import PO_BOX, UK_POSTCODE, address_country, is_address_start
from .channels import FoundChannel, find_channels
from .lexicon import lexicon
from .organisations import Registry, kind_of
from .places import country_in
from .text import Mark, Span, collapse, fold

if TYPE_CHECKING:
    from .letters import Letter

_FLAGS = regex.IGNORECASE | regex.VERSION1
_BULLET = regex.compile(r"^(?:[-*•·–]\s+|\d{1,2}[.)]\s+)", _FLAGS)
_PIPE = regex.compile(r"\s*\|\s*")
_POSTCODE = regex.compile(
    r"(?<![\d\-])(?:\d{2}-\d{3}|\d{4,6}|[A-Z]{2,3}\s\d{4}|\d{3}\s\d{2})(?![\d\-])\s*,?\s*\p{Lu}|\p{Lu}[\p{L}.\-]+,?\s+\d{4,6}(?!\d)",
    regex.VERSION1,
)
_DATE_LINE = regex.compile(
    r"^[\p{L}\s,.]{0,30}?(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\.?\s+\p{L}+\.?,?\s+\d{4}|"
    r"\p{L}+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2})[\s\d:\-–]*$",
    _FLAGS,
)
_PARTICLES = {"de", "del", "della", "di", "da", "do", "dos", "das", "du", "des", "van", "von", "der", "den", "la", "le", "el",
              "bin", "al", "of", "for", "and", "the", "y", "e", "et", "und", "&", "–", "-", "in", "on", "per", "für"}  # fmt: skip
_CONNECTORS = _PARTICLES | {"los", "las", "les", "il", "lo", "o", "a", "au", "aux", "ao", "à", "das", "die", "dem", "het"}
_HEADER_LABELS = regex.compile(
    r"^(?:from|to|cc|bcc|subject|date|sent|re|fwd?|autore|data|oggetto|da|de|asunto|fecha|para|von|an|betreff|datum|"
    r"objet|à|source|fuente|fonte|quelle|posted|published|url|link|web|website|more\s+information|for\s+more\s+information|"
    r"info|press|contact\s+us|tel|phone|fax|e-?mail|mail|correo)$",
    _FLAGS,
)
_CONTINUATION = regex.compile(r"^(?:and|y|e|et|und|en|и)\s+(?:also\s+)?(?:to|a|à|an|para|aan|в)\s*:?\s*$", _FLAGS)
_REFERENCE = regex.compile(
    r"^(?:ref|our\s+ref|your\s+ref|reference|r[ée]f|n/r[ée]f|referencia|unser\s+zeichen|prot(?:ocollo)?|oggetto|subject|re|asunto|objet|betreff)\b\.?\s*[:.]",
    _FLAGS,
)
_SPLIT_OBJECTS = regex.compile(r",?\s+(?:and|e|y|et|und|en|и|ve)\s+(?=\S)", _FLAGS)
_NAME_WORD = regex.compile(r"^[\p{Lu}][\p{L}\p{M}.'’\-]*$|^[\p{Lu}\d][\p{Lu}\d\-&.]+$", regex.VERSION1)
_MASKED_ARCHIVE = regex.compile(r"(?<![\w.+\-@])[\w.+\-]+@\?{2,}", _FLAGS)
_SPLIT_EMAIL = regex.compile(r"^\.\s(?P<rest>[a-z]{2,10}(?:\.[a-z]{2,10})*)(?=\s*(?:$|[),;\n]))", regex.VERSION1)
# An address broken by a space after a dot ("x@tjpa. jus.br"), at the end of a line or before a bracket.
_BROKEN_EMAIL = regex.compile(
    r"(?<![\w.+\-@])(?P<local>[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*)\.\s(?P<rest>[a-z]{2,10}(?:\.[a-z]{2,10})+|[a-z]{2,4})(?=\s*(?:$|[),;\n]))",
    regex.VERSION1,
)


@dataclass
class Line:
    start: int
    end: int
    text: str
    blank_before: bool = False
    bullet: bool = False


@dataclass
class Party:
    role: str  # target | copy_to
    name: str = ""
    kind: str = "other"
    title: str = ""
    salutation: str = ""
    country: str = ""
    note: str = ""
    channels: list[dict[str, Any]] = field(default_factory=list)
    found: list[FoundChannel] = field(default_factory=list)
    postal: list[str] = field(default_factory=list)
    postal_span: Span | None = None
    name_span: Span | None = None
    salutation_span: Span | None = None
    source: str = ""  # letter | cue | label | object
    honorific: str = ""  # "H.E. Mr", kept apart from the name

    def as_document(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "title": self.title,
            "salutation": self.salutation or None,
            "country": self.country or None,
            "note": self.note,
            "channels": self.channels,
        }

    @property
    def postal_text(self) -> str:
        return ", ".join(p.strip(" ,.") for p in self.postal if p.strip(" ,."))


@dataclass
class Parties:
    targets: list[Party] = field(default_factory=list)
    copy_to: list[Party] = field(default_factory=list)
    sections: list[Span] = field(default_factory=list)  # the call-to-action text: not the story
    notes: list[str] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)


# --- segmentation -------------------------------------------------------------------------------------


def segment(text: str) -> list[Line]:
    """Non-blank lines with their place in the text; `|` separators in a flattened header split a line too."""
    out: list[Line] = []
    pos, blank = 0, False
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        if not raw.strip():
            blank = True
            continue
        cuts = [start] + [start + m.end() for m in _PIPE.finditer(raw) if m.group().strip() == "|"]
        ends = [start + m.start() for m in _PIPE.finditer(raw) if m.group().strip() == "|"] + [end]
        for s, e in zip(cuts, ends, strict=True):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e <= s:
                continue
            value = text[s:e]
            bullet = _BULLET.match(value)
            if bullet:
                s += bullet.end()
                value = text[s:e]
            out.append(Line(s, e, value, blank_before=blank, bullet=bool(bullet)))
            blank = False
    return out


def _words(value: str) -> list[str]:
    return value.split()


@functools.lru_cache(maxsize=8192)
def _is_prose(value: str) -> bool:
    words = _words(value)
    if len(words) >= 16:
        return True
    return len(words) >= 5 and bool(regex.search(r"[.!?…]['\"”’»)]*$", value)) and not regex.search(r"\b\p{Lu}\.$", value)


def _is_date_line(value: str) -> bool:
    return bool(_DATE_LINE.match(value)) and len(value) <= 60


def _channels(text: str, line: Line) -> list[FoundChannel]:
    return list(_channels_at(text, line.start, line.end))


@functools.lru_cache(maxsize=8192)
def _channels_at(text: str, start: int, end: int) -> tuple[FoundChannel, ...]:
    """The channels of one line (cached: the engine asks about a line many times)."""
    line = Line(start, end, text[start:end])
    found = find_channels(text, line.start, line.end)
    extra: list[FoundChannel] = []
    for match in _MASKED_ARCHIVE.finditer(text, line.start, line.end):
        if not any(c.span.start <= match.start() < c.span.end for c in found):
            extra.append(FoundChannel("email", None, Span(*match.span()), masked=True))
    for match in _BROKEN_EMAIL.finditer(text, line.start, line.end):
        if not any(c.span.start < match.end() and match.start() < c.span.end for c in found if c.kind == "email"):
            value = f"{match.group('local')}.{match.group('rest')}"
            extra.append(FoundChannel("email", value, Span(*match.span())))
            found = [c for c in found if not (c.span.start < match.end() and match.start() < c.span.end)]
    joined: list[FoundChannel] = []
    for channel in found:
        if channel.kind == "email" and channel.value and not channel.masked:
            if any(channel.span.start < e.span.end and e.span.start < channel.span.end for e in extra):
                continue
            tail = _SPLIT_EMAIL.match(text[channel.span.end : line.end + 1])
            if tail:  # "corregedoria.interior@tjpa. jus.br": an address broken by a space
                channel = FoundChannel(
                    "email", f"{channel.value}.{tail.group('rest')}", Span(channel.span.start, channel.span.end + tail.end())
                )
        if channel.kind == "web" and channel.value and "@" in channel.value:
            continue
        joined.append(channel)
    return tuple(sorted(joined + extra, key=lambda c: c.span.start))


def _without(text: str, line: Line, channels: list[FoundChannel]) -> str:
    value = text[line.start : line.end]
    for channel in sorted(channels, key=lambda c: -c.span.start):
        s, e = channel.span.start - line.start, channel.span.end - line.start
        if 0 <= s <= e <= len(value):
            value = value[:s] + " " + value[e:]
    return value


@functools.cache
def _label_words() -> regex.Pattern:
    lex = lexicon()
    parts = [lex.labels[k].pattern for k in ("phone", "fax", "email", "web", "social")]
    return regex.compile("|".join(parts) + r"|\b(?:by|via|or|and|o|ou|y|e|oder|or|no\.?|n[º°])\b", _FLAGS)


def _residue(text: str, line: Line, channels: list[FoundChannel]) -> str:
    """What a line says besides its channels and their labels ("Presidente do TJ-PA" in "Presidente do TJ-PA: x@y")."""
    rest = _without(text, line, channels)
    rest = _label_words().sub(" ", rest)
    return collapse(regex.sub(r"[()\[\]:;,/\-–.]+\s*$|^\s*[()\[\]:;,/\-–.]+", " ", rest)).strip(" :;,-–()[]./")


@functools.lru_cache(maxsize=8192)
def _is_postal(value: str) -> bool:
    lex = lexicon()
    value = value.strip(" ,.-–")
    if not value or len(_words(value)) > 14:
        return False
    if PO_BOX.search(value) or UK_POSTCODE.search(value) or is_address_start(value):
        return True
    if lex.street.search(value) and (regex.search(r"\d", value) or len(_words(value)) <= 5):
        return True
    return bool(_POSTCODE.search(value))


@functools.lru_cache(maxsize=8192)
def _is_continuation(value: str) -> bool:
    value = value.strip(" ,.-–")
    if not value:
        return False
    if _is_postal(value) or country_in(value):
        return True
    words = _words(value)
    return len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() for w in words)


@functools.lru_cache(maxsize=8192)
def _nameish(value: str) -> bool:
    """A line that can name a recipient: starts with a capital (after a to-word), short, not a sentence."""
    lex = lexicon()
    stripped = lex.to_word.sub("", value).strip()
    stripped = regex.sub(r"^(?:the|el|la|le|il|lo|o|a|der|die|das)\s+", "", stripped, flags=_FLAGS)
    if not stripped or not (stripped[:1].isupper() or stripped[:1].isdigit()):
        return False
    if value.rstrip().endswith(":") or _is_prose(value):
        return False
    return len(_words(value)) <= 16


# --- values -------------------------------------------------------------------------------------------


def _e164(value: str, region: str) -> tuple[str, str]:
    """(E.164, '') or ('', why not): the text as written is kept either way."""
    raw = value.strip()
    body = regex.sub(r"^\s*(?:\+\s*\+?|00)\s*", "+", raw) if regex.match(r"^\s*(?:\+|00)", raw) else raw
    body = regex.sub(r"\(0\)", "", body)
    body = regex.split(r"\s*/\s*\d{1,2}(?:\s*/\s*\d{1,2})*\s*$", body)[0]  # 66726955/6/7: the first of a run
    if not body.startswith("+") and not region:
        return "", "no country code, and the country is not known"
    try:
        number = phonenumbers.parse(body, None if body.startswith("+") else region)
    except phonenumbers.NumberParseException as exc:
        return "", f"not readable as a number ({str(exc).split(')', 1)[-1].strip().rstrip('.').lower()})"
    if not phonenumbers.is_possible_number(number):
        return "", f"wrong length for country code +{number.country_code}"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), ""


def _matcher_numbers(text: str, line: Line, region: str, taken: list[FoundChannel]) -> list[FoundChannel]:
    """Unlabelled numbers in a recipient's lines, found by phonenumbers' matcher in the appeal's country."""
    out: list[FoundChannel] = []
    value = text[line.start : line.end]
    try:
        matches = list(phonenumbers.PhoneNumberMatcher(value, region or "ZZ", leniency=phonenumbers.Leniency.POSSIBLE))
    except Exception:
        return out
    for match in matches:
        s, e = line.start + match.start, line.start + match.end
        if any(s < c.span.end and c.span.start < e for c in taken):
            continue
        if sum(ch.isdigit() for ch in match.raw_string) < 7:
            continue
        out.append(FoundChannel("phone", match.raw_string.strip(), Span(s, e)))
    return out


# --- building parties from lines ------------------------------------------------------------------------


def _clean_name(value: str) -> str:
    lex = lexicon()
    value = collapse(value)
    value = lex.to_word.sub("", value) if lex.to_line.match(value) or lex.to_word.match(value) else value
    value = lex.to_label.sub("", value)
    value = value.replace("’", "'").replace("‘", "'")
    return value.strip(' ,;:.-–|"“”«»').strip()


def _person_in_salutation(value: str) -> str:
    """ "Dear Mr.Vladimir Zavazal," gives "Vladimir Zavazal"; "Dear Minister," gives ''."""
    lex = lexicon()
    rest = lex.salutation.sub("", value).strip(" ,:;!")
    rest = lex.honorific.sub("", rest).strip(" ,:;!")
    words = rest.split()
    personal = 2 <= len(words) <= 4 and all(_NAME_WORD.match(w) or w.lower() in _PARTICLES for w in words)
    return rest if personal and not lex.title_word.search(rest) and not lex.audience.search(rest) else ""


def _split_inline_address(value: str) -> tuple[str, str]:
    """ "Préfecture de la région 8 bis rue Charles Nodier 25035 BESANCON" -> (name, address)."""
    lex = lexicon()
    for match in regex.finditer(r"(?<!\S)\d+[a-z]?(?:\s+(?:bis|ter))?,?\s+", value, _FLAGS):
        after = value[match.end() :]
        if lex.street.match(after) and match.start() > 0:
            return value[: match.start()].strip(" ,"), value[match.start() :].strip()
    for match in lex.street.finditer(value):
        if match.start() > 0 and regex.search(r"\d", value[match.start() :]) and value[match.start() - 1] in " ,":
            return value[: match.start()].strip(" ,"), value[match.start() :].strip()
    return value, ""


class _Builder:
    def __init__(self, text: str, lines: list[Line], *, country: str):
        self.text, self.lines, self.country = text, lines, country

    def party(self, role: str, lines: list[Line], *, source: str, letter: bool = False) -> Party:
        """Name, title, postal lines and channels of one recipient from its lines."""
        lex = lexicon()
        party = Party(role=role, source=source)
        names: list[str] = []
        postal: list[tuple[str, Line]] = []
        for line in lines:
            value = line.text
            channels = _channels(self.text, line)
            salutation = "" if channels else _labelled_salutation(value)
            if salutation:
                party.salutation, party.salutation_span = salutation, Span(line.start, line.end)
                continue
            if channels:
                party.found += channels
                residue = _residue(self.text, line, channels)
                label = regex.match(r"^(?P<label>[^:;]{2,120}?)\s*[:;]\s*$", _without(self.text, line, channels).strip())
                if label:
                    residue = collapse(label.group("label"))
                named = residue and not _HEADER_LABELS.match(residue) and not lex.labels["name"].fullmatch(residue)
                if named and not names and _nameish(residue):
                    parts = [p.strip() for p in residue.split(",")]
                    cut = next((i for i, p in enumerate(parts) if i and _is_postal(p)), len(parts))
                    names.append(_clean_name(", ".join(parts[:cut])))
                    party.name_span = Span(line.start, line.start + len(names[-1]))
                    if cut < len(parts):
                        postal.append((", ".join(parts[cut:]), line))
                continue
            name_label = _NAME_LABEL_VALUE.match(value)
            if name_label and lex.labels["name"].fullmatch(name_label.group("label").strip()):
                names.append(_clean_name(name_label.group("value")))
                party.name_span = party.name_span or Span(line.start + name_label.start("value"), line.end)
                continue
            if names and (_is_postal(value) or (postal and _is_continuation(value)) or (letter and party.title)):
                postal.append((value, line))
                continue
            if not names:
                name, address = _split_inline_address(value)
                names.append(_clean_name(name))
                party.name_span = Span(line.start, line.start + len(name))
                if address:
                    postal.append((address, line))
                continue
            if not party.title and lex.title_start.match(_clean_name(value)) and not postal:
                party.title = _clean_name(value)
                continue
            if letter:
                postal.append((value, line))
            elif not postal and len(names) == 1 and not party.title:
                party.title = _clean_name(value)
            else:
                party.note = "; ".join(filter(None, [party.note, collapse(value)]))
        party.name = ", ".join(n for n in names if n)
        if postal:
            party.postal = [collapse(v) for v, _ in postal]
            party.postal_span = Span(postal[0][1].start, postal[-1][1].end)
        return party

    def finish(self, party: Party, out: Parties) -> None:
        """Kind, country, and channels in the document's shape; a number is never dropped."""
        lex = lexicon()
        bare = lex.honorific.sub("", party.name).strip()
        if party.source == "letter" and len(bare.split()) >= 2 and bare != party.name:
            party.name, party.honorific = bare, party.name[: len(party.name) - len(bare)].strip()
        concepts = lex.title_concepts(f"{party.name} {party.title}")
        if "ambassador" in concepts:
            party.kind = "embassy"
        elif party.kind == "company":
            pass
        elif party.honorific or lex.honorific.match(party.name) or (party.title and _looks_personal(party.name)):
            party.kind = "official"
        else:
            party.kind = kind_of(party.name) if party.name else "other"
            if party.kind == "organisation" and concepts & {"government", "minister", "governor", "mayor", "prosecutor", "judge"}:
                party.kind = "government"
            elif party.kind == "organisation" and concepts:
                party.kind = "official"
        role = "target" if party.role == "target" else "copy to"
        postal = party.postal_text
        party.country = (address_country(postal) if postal else "") or self.country
        channels: list[dict[str, Any]] = []
        if postal:
            channels.append({"kind": "postal", "value": postal})
            if party.postal_span is not None:
                out.marks.append(
                    Mark(party.postal_span.start, party.postal_span.end, "channel", f"postal address of {party.name}")
                )
        for found in party.found:
            item: dict[str, Any] = {"kind": found.kind}
            if found.masked:
                item.update(value=None, masked=True)
            elif found.kind in NUMBER_KINDS:
                e164, why = _e164(found.value or "", party.country)
                item.update(value=found.value, e164=e164)
                if why:
                    item["note"] = f"kept as written; no E.164: {why}"
                    out.notes.append(f"{found.value}: kept as written, no E.164 ({why})")
            else:
                item["value"] = found.value
            if found.label:
                item["label"] = found.label
            if any(_same(item, other) for other in channels):
                continue
            channels.append(item)
            what = "masked e-mail (address hidden)" if found.masked else found.kind
            out.marks.append(Mark(found.span.start, found.span.end, "channel", f"{what} of {party.name} ({role})"))
        party.channels = channels
        if party.name_span is not None:
            field_name = "targets" if party.role == "target" else "copy_to"
            out.marks.append(Mark(party.name_span.start, party.name_span.end, field_name, f"{role}: {party.name}"))
        if party.salutation_span is not None:
            out.marks.append(
                Mark(party.salutation_span.start, party.salutation_span.end, "salutation", f"salutation to {party.name}")
            )


def _looks_personal(name: str) -> bool:
    words = lexicon().honorific.sub("", name).split()
    return 2 <= len(words) <= 5 and all(_NAME_WORD.match(w) or w.lower() in _PARTICLES for w in words)


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["kind"] != b["kind"] or a.get("masked") or b.get("masked"):
        return False
    if a["kind"] in NUMBER_KINDS:
        return cast(str, regex.sub(r"\D", "", a.get("value") or "")) == cast(str, regex.sub(r"\D", "", b.get("value") or ""))
    return cast(str, a.get("value") or "").casefold() == cast(str, b.get("value") or "").casefold()


# --- the engine ------------------------------------------------------------------------------------------


def is_channel_line(text: str, line: Span) -> bool:
    """A line that holds only contact channels and their labels ("By email: x@y", "Fax: ...")."""
    row = Line(line.start, line.end, text[line.start : line.end])
    channels = _channels(text, row)
    return bool(channels) and not _residue(text, row, channels)


def _is_salutation(line: Line) -> bool:
    lex = lexicon()
    value = line.text
    if not lex.salutation.match(value) or lex.audience.search(value) or len(_words(value)) > 9:
        return False
    return bool(regex.search(r"[,:!]\s*$", value)) or len(_words(value)) <= 5


def _cue(line: Line) -> tuple[str, regex.Match] | None:
    return _cue_of(line.text)


@functools.lru_cache(maxsize=8192)
def _cue_of(value: str) -> tuple[str, regex.Match] | None:
    lex = lexicon()
    line = Line(0, len(value), value)
    copy = lex.copy.search(line.text)
    call = lex.call.search(line.text)
    if call and (copy is None or call.end() <= copy.start()):
        return "target", call  # the first cue of the line; a copy cue is also a call ("send a copy to")
    if copy:
        return "copy_to", copy
    label = lex.to_label.match(line.text)
    if label and not line.text[label.end() :].strip():
        return "target", label
    return None


def find_parties(
    text: str,
    *,
    registry: Registry,
    country: str,
    issuer_name: str,
    letter: Letter | None = None,
    exclude: list[Span] | None = None,
) -> Parties:
    lex = lexicon()
    out = Parties()
    lines = segment(text)
    build = _Builder(text, lines, country=country)
    claimed: set[int] = set()
    found: list[Party] = []

    # 1. letter address blocks above salutations
    for index, line in enumerate(lines):
        if index in claimed or not _is_salutation(line):
            continue
        block: list[int] = []
        k = index - 1
        while k >= 0 and len(block) < 10 and k not in claimed:
            above = lines[k]
            value = above.text
            cue = _cue(above)
            if (
                _is_date_line(value)
                or _REFERENCE.match(value)
                or (cue and not value[cue[1].end() :].strip() and len(_words(value)) <= 4 and cue[0] == "target")
            ):
                k -= 1  # "Oslo, 06.10.2016", "By email to"
                continue
            if cue and cue[0] == "copy_to" and value[cue[1].end() :].strip():
                block.insert(0, k)  # "copie : comité de soutien"
                k -= 1
                continue
            if _is_prose(value) or cue or lex.closing.match(value) or _is_salutation(above) or lex.instruction.search(value):
                break  # "TAKE ACTION: WRITE AN APPEAL ...": a heading over a model letter is not its addressee
            if not value[:1].isupper() and not value[:1].isdigit() and not _is_postal(value):
                break
            block.insert(0, k)
            k -= 1
        starts = [i for i in block if lex.to_line.match(lines[i].text)]
        if not starts:
            starts = [i for i in block if lex.honorific.match(lines[i].text)][:1]
        if starts:
            block = [i for i in block if i >= starts[0]]
        salutation = collapse(line.text).rstrip(",:;!").strip()
        person = _person_in_salutation(line.text)
        groups: list[tuple[str, list[int]]] = []
        for i in block:
            cue = _cue(lines[i])
            if cue and cue[0] == "copy_to":
                groups.append(("copy_to", [i]))
            elif not groups or (lex.to_line.match(lines[i].text) and i in starts) or groups[-1][0] == "copy_to":
                groups.append(("target", [i]))
            else:
                groups[-1][1].append(i)
        letter_parties = []
        for role, members in groups:
            if role == "copy_to":
                row = lines[members[0]]
                cue = _cue(row)
                assert cue is not None
                sub = Line(row.start + cue[1].end(), row.end, row.text[cue[1].end() :].strip(" :"))
                party = build.party("copy_to", [sub], source="letter")
            else:
                party = build.party("target", [lines[i] for i in members], source="letter", letter=True)
                party.salutation, party.salutation_span = salutation, Span(line.start, line.end)
                letter_parties.append(party)
            if party.name or party.found or party.postal:
                found.append(party)
            claimed.update(members)
        if person and len(letter_parties) == 1:
            party = letter_parties[0]
            if not _looks_personal(party.name) or fold(person) not in fold(party.name):
                party.title = party.title or party.name
                party.name = person
        if not block and person:
            party = Party(role="target", name=person, salutation=salutation, source="letter")
            party.salutation_span = Span(line.start, line.end)
            found.append(party)
            letter_parties.append(party)
        claimed.add(index)
        # channels after the letter's closing, before anything else, belong to its addressee (a template has no signature)
        if letter_parties:
            _after_closing(text, lines, index, letter_parties[-1], claimed)

    # 2. cue-led blocks and inline recipients
    objects: list[tuple[str, str, Line]] = []
    index = 0
    last_role = ""
    while index < len(lines):
        line = lines[index]
        cue = _cue(line) if index not in claimed else None
        continuation = _CONTINUATION.match(line.text) if index not in claimed and last_role else None
        if cue is None and continuation is not None:
            cue = (last_role, continuation)  # "and to :" after "send copies to ..."
        if cue is None:
            index += 1
            continue
        role, match = cue
        last_role = role
        # every cue of the line, each reading up to the end of its sentence or the next cue
        cues = [(role, match), *list(_more_cues(line, match.end()))]
        inline: list[Party] = []
        rest = ""
        for number, (cue_role, cue_match) in enumerate(cues):
            rest_start = cue_match.end()
            limit = cues[number + 1][1].start() if number + 1 < len(cues) else len(line.text)
            sentence_end = regex.search(r"(?<!\b\p{Lu})[.!?](?:\s|$)", line.text[rest_start:limit])
            rest = line.text[rest_start : rest_start + sentence_end.start()] if sentence_end else line.text[rest_start:limit]
            inline += _inline(build, line, rest_start, len(rest), cue_role)
            role, last_role = cue_role, cue_role
        claimed.add(index)
        if inline:
            found += inline
            out.sections.append(Span(line.start, line.end))
            index += 1
            continue
        region = _region(text, lines, index + 1, claimed)
        if region:
            out.sections.append(Span(line.start, lines[region[-1]].end))
            for members in _entries(text, lines, region):
                party = build.party(role, [lines[i] for i in members], source="cue")
                if not party.name:
                    party.name = _clean_object(rest) or _named_in_registry(rest, registry)
                    if party.name and party.name == _named_in_registry(rest, registry):
                        party.kind = "company"
                if party.name or party.found or party.postal:
                    found.append(party)
            claimed.update(region)
            index = region[-1] + 1
            continue
        if role == "target":
            objects += [(role, obj, line) for obj in _objects(rest)]
        index += 1

    # 3. `Label: value` lines anywhere: "- Ouvidoria: ouvidoria@mp.pa.gov.br"
    for index, line in enumerate(lines):
        if index in claimed:
            continue
        channels = _channels(text, line)
        if not channels:
            continue
        label = regex.match(r"^(?P<label>[^:]{2,80}?)\s*:\s*", line.text)
        if not label or label.end() > channels[0].span.start - line.start + 1:
            continue
        name = collapse(label.group("label"))
        if _HEADER_LABELS.match(name) or lex.labels["name"].fullmatch(name) or not _nameish(name):
            continue
        if _is_channel_label(name):
            continue
        cue = _cue(line)
        party = build.party("copy_to" if cue and cue[0] == "copy_to" else "target", [line], source="label")
        found.append(party)
        claimed.add(index)
        out.sections.append(Span(line.start, line.end))

    # 3b. contact blocks: "Firm: Sita Suez" / "Contact: Simon Guest" / "Telephone ..." / "Fax: ..."
    index = 0
    while index < len(lines):
        run: list[int] = []
        k = index
        while k < len(lines) and k not in claimed and (_is_name_label(lines[k].text) or _channels(text, lines[k])):
            if run and lines[k].blank_before:
                break
            run.append(k)
            k += 1
        if any(_is_name_label(lines[i].text) for i in run) and any(_channels(text, lines[i]) for i in run):
            found.append(build.party("target", [lines[i] for i in run], source="label"))
            claimed.update(run)
            out.sections.append(Span(lines[run[0]].start, lines[run[-1]].end))
        index = max(k, index + 1)

    # 4. explicit objects of a call, when no office already found is the same one
    for role, obj, line in objects:
        if _redundant(obj, found):
            continue
        party = Party(role=role, name=obj, source="object", note="named in the call to action; no channel given")
        start = text.find(obj, line.start, line.end + 1)
        if start != -1:
            party.name_span = Span(start, start + len(obj))
        found.append(party)

    # roles: the issuer is the sender, never a target; nameless targets belong to the one letter addressee
    letters = [p for p in found if p.source == "letter" and p.role == "target"]
    for party in found:
        if party.role == "target" and issuer_name and party.name and _matches(party.name, issuer_name):
            out.notes.append(f"{party.name}: the appeal's own issuer, left out of the targets")
            continue
        if not party.name and party.role == "target" and len(letters) == 1 and party is not letters[0]:
            letters[0].found += party.found
            continue
        if not party.name:
            if party.role == "copy_to" and issuer_name:
                party.name, party.note = issuer_name, "no recipient named: the appeal's issuers"
            else:
                party.name = "Recipient of copies" if party.role == "copy_to" else "Target"
                out.notes.append(f"a {'copy-to recipient' if party.role == 'copy_to' else 'target'} without a name: fill it in")
        (out.copy_to if party.role == "copy_to" else out.targets).append(party)
    _merge(out.targets)
    _merge(out.copy_to)
    for party in out.targets + out.copy_to:
        hint = party.country or country
        for line in lines:
            if any(line.start <= c.span.start < line.end for c in party.found) and any(
                lex.labels[k].search(line.text) for k in ("phone", "fax")
            ):
                party.found += _matcher_numbers(text, line, hint, party.found)
        party.found.sort(key=lambda c: c.span.start)
        build.finish(party, out)
    return out


def _after_closing(text: str, lines: list[Line], salutation: int, party: Party, claimed: set[int]) -> None:
    lex = lexicon()
    for k in range(salutation + 1, min(len(lines), salutation + 80)):
        if _is_salutation(lines[k]) or lex.to_line.match(lines[k].text):
            return
        if lex.closing.match(lines[k].text):
            after = []
            for j in range(k + 1, min(len(lines), k + 4)):
                if _is_salutation(lines[j]) or lex.to_line.match(lines[j].text):
                    break
                after.append(j)
            rows = [j for j in after if _channels(text, lines[j])]
            only_channels = all(is_channel_line(text, Span(lines[j].start, lines[j].end)) for j in after[: len(rows)])
            if rows and only_channels and rows == after[: len(rows)]:
                for j in rows:
                    party.found += _channels(text, lines[j])
                    claimed.add(j)
            return


def _more_cues(line: Line, after: int) -> list[tuple[str, regex.Match]]:
    lex = lexicon()
    found = [("copy_to", m) for m in lex.copy.finditer(line.text, after)]
    found += [("target", m) for m in lex.call.finditer(line.text, after)]
    found = [
        c for c in found if not any(o[1].start() <= c[1].start() < o[1].end() for o in found if o is not c and o[0] == "copy_to")
    ]
    return sorted(found, key=lambda c: c[1].start())


def _inline(build: _Builder, line: Line, rest_start: int, rest_len: int, role: str) -> list[Party]:
    """Recipients in the cue's own sentence: "write to A (a@x) and B (b@x)", "copies to a@x; b@x and c@x"."""
    text = build.text
    start, end = line.start + rest_start, line.start + rest_start + rest_len
    channels = [c for c in _channels(text, line) if start <= c.span.start < max(end, line.end if rest_len == 0 else end)]
    if not channels:
        return []
    parties: list[Party] = []
    loose: list[FoundChannel] = []
    boundary = start
    for channel in channels:
        opening = text.rfind("(", boundary, channel.span.start)
        if opening != -1 and not text[opening + 1 : channel.span.start].strip(" :").count(" ") > 2:
            name = _name_before(text[boundary:opening])
            party = Party(role=role, name=name, found=[channel], source="cue")
            if name:
                party.name_span = Span(opening - len(name) - 1, opening - 1)
            parties.append(party)
            close = text.find(")", channel.span.end, line.end)
            boundary = close + 1 if close != -1 else channel.span.end
        else:
            loose.append(channel)
            boundary = channel.span.end
    if loose:
        obj = _clean_object(text[start : loose[0].span.start])
        parties.append(Party(role=role, name=obj, found=loose, source="cue"))
    return parties


def _named_in_registry(cue_object: str, registry: Registry) -> str:
    """ "send protests to the company:" names the employer the story speaks of; "the government" its authority."""
    words = set(regex.findall(r"\p{L}+", cue_object.casefold()))
    if words & {
        "company",
        "employer",
        "management",
        "owners",
        "owner",
        "empresa",
        "entreprise",
        "azienda",
        "firma",
        "компании",
        "компания",
    }:
        item = next((i for i in registry.items if i.role == "employer"), None) or next(
            (i for i in registry.items if i.kind == "company"), None
        )
        return item.name if item else ""
    return ""


def _name_before(value: str) -> str:
    """The capitalised run just before a bracket: "... to write to Luigi Lazzareschi (" -> "Luigi Lazzareschi"."""
    tokens = value.strip().split()
    run: list[str] = []
    for token in reversed(tokens):
        bare = token.strip(",;")
        elided = regex.match(r"^\p{Ll}+['’](?P<rest>\p{Lu}.*)$", bare, regex.VERSION1)
        if elided:
            run.insert(0, elided.group("rest"))
            break
        if _NAME_WORD.match(bare) or (run and bare.lower() in _PARTICLES):
            run.insert(0, bare)
            if token.endswith(","):
                break
            continue
        break
    while run and run[0].lower() in _PARTICLES:
        run.pop(0)
    return " ".join(run).strip(" ,")


def _clean_object(value: str) -> str:
    objects = _objects(value)
    return objects[0] if objects else ""


def _objects(rest: str) -> list[str]:
    """Whom the call names: "the State government of Hidalgo", "Vienna International management"."""
    lex = lexicon()
    out = []
    for part in _SPLIT_OBJECTS.split(rest):
        part = lex.to_word.sub("", part.strip(" :,")).strip()
        tokens = regex.findall(r"[^\s,]+|,", part)
        kept: list[str] = []
        for token in tokens:
            bare = token.strip('"“”«»()')
            elided = regex.match(r"^\p{Ll}+['’](?P<rest>\S+)$", bare, regex.VERSION1)
            if elided and not kept:
                bare = elided.group("rest")
            if bare == ",":
                kept.append(",")
                continue
            if _NAME_WORD.match(bare) or bare.lower() in _CONNECTORS or lex.object_noun.match(bare):
                if kept == [","]:
                    kept = []
                kept.append(bare)
                continue
            break
        while kept and (kept[-1].lower() in _CONNECTORS or kept[-1] == ","):
            kept.pop()
        while kept and kept[0].lower() in _CONNECTORS:
            kept.pop(0)
        phrase = " ".join(kept).replace(" ,", ",")
        capitals = [w for w in kept if w[:1].isupper()]
        if (
            phrase
            and len(phrase.split()) <= 10
            and capitals
            and (len(kept) > 1 or lex.object_noun.match(kept[0]) or len(capitals[0]) > 3)
        ):
            out.append(phrase)
        elif not out:
            # "writing to express my concern at the arrest of A and B": the call's object is no name, so what
            # follows "and" is the story's, not a second recipient
            break
    return out


def _region(text: str, lines: list[Line], start: int, claimed: set[int]) -> list[int]:
    """The recipient lines after a cue: names, addresses and channels, blank lines and a headline allowed between."""
    out: list[int] = []
    k = start
    while k < len(lines) and k not in claimed:
        line = lines[k]
        if _is_salutation(line) or lexicon().closing.match(line.text) or _cue(line):
            break
        channels = _channels(text, line)
        if channels or _is_postal(line.text) or _nameish(line.text) or (out and country_in(line.text)):
            out.append(k)
            k += 1
            continue
        following = lines[k + 1] if k + 1 < len(lines) else None
        if (
            out
            and following is not None
            and (_channels(text, following) or _is_postal(following.text))
            and len(_words(line.text)) <= 12
        ):
            k += 1  # a headline between a company's name and its address
            continue
        break
    # a region is recipients only if it holds a channel or an address, or is a list of names after "Para:"
    if not any(_channels(text, lines[i]) or _is_postal(lines[i].text) for i in out):
        return out if out and all(_nameish(lines[i].text) for i in out) and _cue_is_label(lines, start - 1) else []
    return out


def _is_channel_label(value: str) -> bool:
    lex = lexicon()
    value = collapse(value).strip(" .")
    return any(lex.labels[k].fullmatch(value) for k in ("phone", "fax", "email", "web", "social")) or bool(
        regex.fullmatch(
            r"(?:(?:tel|phone|fax|e-?mail|web)\.?\s*(?:/|&|and|y|e)\s*)+(?:tel|phone|fax|e-?mail|web)\.?", value, _FLAGS
        )
    )


_NAME_LABEL_AHEAD = regex.compile(r"^(?P<label>[\p{L} .]{2,30}?)\s*:\s*\S", regex.VERSION1)
_NAME_LABEL_VALUE = regex.compile(r"^(?P<label>[\p{L} .]{2,30}?)\s*:\s*(?P<value>\S.*)$", regex.VERSION1)
_NAME_LABEL_ONLY = regex.compile(r"^[\p{L} .]{2,30}?\s*:", regex.VERSION1)
_ANY_LABEL = regex.compile(r"^(?P<label>[^:]{2,80}?)\s*:")


def _labelled_salutation(value: str) -> str:
    """ "Salutation: Dear Secretary" (a line of a recipient's block): the salutation, or ''."""
    match = _NAME_LABEL_VALUE.match(value)
    if match and lexicon().labels["salutation"].fullmatch(match.group("label").strip()):
        return collapse(match.group("value")).rstrip(",:;!").strip()
    return ""


def _is_name_label(value: str) -> bool:
    match = _NAME_LABEL_AHEAD.match(value)
    return bool(match) and bool(lexicon().labels["name"].fullmatch(match.group("label").strip()))


def _cue_is_label(lines: list[Line], index: int) -> bool:
    if index < 0:
        return False
    value = lines[index].text.rstrip()
    return value.endswith(":")


def _entries(text: str, lines: list[Line], region: list[int]) -> list[list[int]]:
    lex = lexicon()
    entries: list[list[int]] = []
    state: dict[str, bool] = {}
    for i in region:
        line = lines[i]
        channels = _channels(text, line)
        postal = not channels and (
            _is_postal(line.text) or (state.get("postal", False) and len(_words(line.text)) <= 3 and bool(country_in(line.text)))
        )
        label = _ANY_LABEL.match(line.text)
        labelled = (
            bool(channels)
            and bool(label)
            and not _is_channel_label(label.group("label"))
            and bool(_residue(text, line, channels))
        )
        name_label = _NAME_LABEL_ONLY.match(line.text)
        is_name_label = bool(name_label) and bool(lex.labels["name"].fullmatch(name_label.group().rstrip(": ")))
        if entries and not channels and _labelled_salutation(line.text):
            entries[-1].append(i)  # how to address the recipient above: part of its block, not a new one
            continue
        if labelled and not is_name_label:
            entries.append([i])
            state = {"closed": True}
            continue
        if not channels and not postal:
            new = (
                not entries
                or state.get("closed")
                or state.get("contact")
                or line.bullet
                or bool(lex.honorific.match(line.text))
                or (state.get("name") and not is_name_label and not lex.title_start.match(line.text))
            )
            if is_name_label and entries and not state.get("contact") and not state.get("closed"):
                new = False
            if new:
                entries.append([i])
                state = {"name": True}
            else:
                entries[-1].append(i)
                state["name"] = True
            continue
        if not entries or state.get("closed"):
            entries.append([i])
            state = {}
        else:
            entries[-1].append(i)
        state["contact"] = True
        state["postal"] = postal
    return entries


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().casefold()


def _distinctive(value: str) -> set[str]:
    lex = lexicon()
    stripped = lex.title_word.sub(" ", value)
    words = set(regex.findall(r"[a-z0-9]+", _fold(stripped)))
    return {w for w in words if len(w) > 2 and w not in _CONNECTORS and w not in {"des", "della", "dei", "the", "his", "her"}}


def _redundant(obj: str, parties: list[Party]) -> bool:
    """The object names an office or body already found (in another language, or by its address)."""
    lex = lexicon()
    concepts = lex.title_concepts(obj)
    capitals = set(regex.findall(r"[a-z0-9]+", _fold(" ".join(t for t in obj.split() if t[:1].isupper()))))
    for party in parties:
        if party.role != "target":
            continue
        known = f"{party.name} {party.title} {party.postal_text}"
        if concepts and concepts & lex.title_concepts(f"{party.name} {party.title}"):
            return True
        words = set(regex.findall(r"[a-z0-9]+", _fold(known)))
        if capitals and capitals <= words:
            return True
        if _distinctive(obj) and _distinctive(obj) & _distinctive(party.name):
            return True
    return False


def _matches(name: str, issuer: str) -> bool:
    a, b = fold(name), fold(issuer)
    return a == b or (len(b) > 6 and (a.startswith(b) or b in a.split(",")[0]))


def _merge(parties: list[Party]) -> None:
    """The same recipient named twice: one party with all channels."""
    seen: dict[str, Party] = {}
    for party in list(parties):
        key = fold(party.name)
        if key in seen:
            first = seen[key]
            first.found += [c for c in party.found if not any(c.value == o.value and c.kind == o.kind for o in first.found)]
            if not first.postal:
                first.postal, first.postal_span = party.postal, party.postal_span
            parties.remove(party)
        else:
            seen[key] = party
