"""Organisations an appeal names: unions, movements, companies, authorities; with short names and a guess at their role."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .places import country_code
from .text import Span, fold, sentences, tidy_name

_FLAGS = regex.VERSION1
_WORD = r"\p{Lu}[\p{L}\p{M}\d'’\-&]*"
_CONNECTORS = {"of", "for", "and", "the", "a", "de", "del", "la", "las", "los", "el", "y", "des", "du", "et", "für", "der", "&"}
_KEYWORDS = (
    "Union", "Unions", "Federation", "Movement", "Committee", "Confederation", "Association", "Council", "Ministry",
    "Cabinet", "Commission", "Party", "Corporation", "Company", "Congress", "Centre", "Center", "Network", "Alliance",
    "Front", "Institute", "Foundation", "Agency", "Office", "Department", "Government", "Police", "Sindicato", "Central",
    "Federación", "Confederación", "Ministerio", "Fiscalía", "Presidencia", "Secretaría", "Asociación", "Movimiento",
    "Comité", "Gobierno", "Policía", "Defensoría", "Procuraduría", "Союз", "Профсоюз", "Министерство", "Ltd", "Inc", "plc",
    "LLC", "GmbH", "S.A.", "Group", "Holding", "International",
)  # fmt: skip
_AUTHORITY = regex.compile(
    r"\b(?:Ministry|Cabinet|Commission|Government|Police|Department|Office|Ministerio|Fiscalía|Presidencia|Secretaría|"
    r"Gobierno|Policía|Procuraduría|Defensoría|Министерство|Parliament|Court|Prosecutor)\b",
    _FLAGS,
)
_COMPANY = regex.compile(r"\b(?:Corporation|Company|Ltd|Inc|plc|LLC|GmbH|S\.A\.|Group|Holding)\b", _FLAGS)
_UNIONISH = regex.compile(
    r"\b(?:Unions?|Federation|Confederation|Sindicato|Central|Federación|Confederación|Профсоюз|Workers)\b|-(?:Sen|İş|Is)\b",
    _FLAGS,
)
_NAMED_COMPANY = regex.compile(
    r"\b(?:corporation|company|firm|employer|owner|multinational|empresa|compañía|компания)\s+(?:called\s+|named\s+|llamada\s+)?"
    r"[‘'\"“«]?(?P<name>\p{Lu}[\p{L}\p{M}\-]+(?:\s+\p{Lu}[\p{L}\p{M}\-]+){0,3})[’'\"”»]?",
    _FLAGS,
)
_WORKERS_OF = regex.compile(
    r"\b(?:[Ww]orkers|[Ee]mployees|[Mm]iners|[Ss]trikers)\s+(?:of|at)\s+(?P<name>\p{Lu}[\p{L}\p{M}\-]{3,}(?:\s+\p{Lu}[\p{L}\p{M}\-]+){0,2})",
    _FLAGS,
)
_ACRONYM_DEF = regex.compile(r"\((?P<short>\p{Lu}[\p{Lu}\d\-&]{1,14})\)", _FLAGS)
_ISSUING_VERB = regex.compile(
    r"^\s*(?:The\s+|El\s+|La\s+)?(?P<name>.{3,150}?)\s+(?:\(\p{Lu}+\)\s+)?(?:considers|calls|urges|demands|condemns|denounces|"
    r"appeals|protests|is\s+appealing|denuncia|exige|rechaza|convoca|llama|condena|требует|осуждает)\b",
    _FLAGS,
)


@dataclass
class FoundOrganisation:
    name: str
    short_name: str = ""
    role: str = "other"
    kind: str = "organisation"  # for a target: company | government | union | organisation
    country: str = ""
    contact: str = ""
    contact_role: str = ""
    note: str = ""
    spans: list[Span] = field(default_factory=list)


def kind_of(name: str) -> str:
    if _COMPANY.search(name):
        return "company"
    if _AUTHORITY.search(name):
        return "government"
    if _UNIONISH.search(name):
        return "union"
    return "organisation"


_TOKEN = regex.compile(
    rf"(?P<cap>{_WORD})|(?P<low>\p{{Ll}}[\p{{L}}\p{{M}}'’\-]*)|(?P<comma>,)|(?P<space>[ \t\xa0]+)|(?P<nl>\n)", _FLAGS
)


def _tokens(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Contiguous tokens of text[start:end]; anything else (a full stop, a bracket) appears as a 'stop' token."""
    out, pos = [], start
    for match in _TOKEN.finditer(text, start, end):
        if match.start() > pos:
            out.append(("stop", pos, match.start()))
        kind = match.lastgroup or "stop"
        out.append((kind, match.start(), match.end()))
        pos = match.end()
    if pos < end:
        out.append(("stop", pos, end))
    return out


def _line_is_prose(text: str, pos: int) -> bool:
    """A line break inside wrapped prose (the line before it is long) joins words; one in a block of short lines does not."""
    line_start = text.rfind("\n", 0, pos) + 1
    return pos - line_start >= 60


_REACH = 200  # how far a name can grow either side
_NEAR = 40  # most names stop growing within this: read that much first, the whole reach only when needed


def _expand(text: str, start: int, end: int, *, left: bool = True, right: bool = True, commas: bool = False) -> tuple[int, int]:
    """Grow a span over neighbouring capitalised words and name connectors ("of", "de la", ", Energy,")."""
    if left:
        far = max(0, start - _REACH)
        # a window that starts just after a space or line break starts on a token's boundary
        near = max(text.rfind(" ", far, start - _NEAR), text.rfind("\n", far, start - _NEAR)) + 1
        grown = _grow_left(text, start, _tokens(text, near, start), commas=commas) if near > far else None
        if grown is None:
            grown = _grow_left(text, start, _tokens(text, far, start), commas=commas, last=True)
        assert grown is not None  # the whole reach always answers
        start = grown
    if right:
        grown = _grow_right(text, end, _tokens(text, end, min(len(text), end + _NEAR)))
        if grown is None:
            grown = _grow_right(text, end, _tokens(text, end, min(len(text), end + _REACH)), last=True)
        assert grown is not None
        end = grown
    return start, end


def _grow_left(text: str, start: int, tokens: list[tuple[str, int, int]], *, commas: bool, last: bool = False) -> int | None:
    """The span's new start; None when the tokens ran out before the name ended (read a wider window)."""
    for index in range(len(tokens) - 1, -1, -1):
        kind, s, e = tokens[index]
        if kind == "space":
            continue
        if kind == "nl":
            if not _line_is_prose(text, s):
                return start
            continue
        if kind == "cap":
            start = s
            continue
        if kind == "low" or (kind == "comma" and commas):
            if kind == "low" and text[s:e] not in _CONNECTORS:
                return start
            previous = next((t for t in reversed(tokens[:index]) if t[0] != "space"), None)
            if previous is None and not last:
                return None
            if previous is None or (
                previous[0] != "cap" and not (previous[0] == "low" and text[previous[1] : previous[2]] in _CONNECTORS)
            ):
                return start
            continue
        return start
    return start if last else None


def _grow_right(text: str, end: int, tokens: list[tuple[str, int, int]], *, last: bool = False) -> int | None:
    """The span's new end; None when the window's last token was reached (it may be cut: read a wider window)."""
    for index, (kind, s, e) in enumerate(tokens):
        if index == len(tokens) - 1 and not last:
            return None
        if kind == "space":
            continue
        if kind == "nl":
            if not _line_is_prose(text, s):
                return end
            continue
        if kind == "cap":
            end = e
            continue
        if kind == "low" and text[s:e] in _CONNECTORS:
            nxt = next((t for t in tokens[index + 1 :] if t[0] != "space"), None)
            if nxt is None and not last:
                return None
            if nxt and (nxt[0] == "cap" or (nxt[0] == "low" and text[nxt[1] : nxt[2]] in _CONNECTORS)):
                continue
        return end
    return end if last else None


def _clean(name: str) -> str:
    name = tidy_name(name)
    words = name.split()
    while words and words[0].casefold() in _CONNECTORS | {"dear", "to", "on", "in", "by", "with"}:
        words.pop(0)
    while words and words[-1].casefold() in _CONNECTORS:
        words.pop()
    return " ".join(words).strip(" ,")


def _contains_words(whole: str, part: str) -> bool:
    """`part` occurs in `whole` between spaces, commas or the ends."""
    at = whole.find(part)
    while at >= 0:
        before, after = whole[at - 1 : at], whole[at + len(part) : at + len(part) + 1]
        if (not before or before.isspace() or before == ",") and (not after or after.isspace() or after == ","):
            return True
        at = whole.find(part, at + 1)
    return False


class Registry:
    """The organisations found so far, merged by name and short name."""

    def __init__(self) -> None:
        self.items: list[FoundOrganisation] = []

    def find(self, name: str) -> FoundOrganisation | None:
        key = fold(name)
        for item in self.items:
            if key in (fold(item.name), fold(item.short_name)):
                return item
        return None

    def add(
        self, name: str, *, short_name: str = "", role: str = "", span: Span | None = None, kind: str = ""
    ) -> FoundOrganisation | None:
        name = _clean(name)
        if len(name) < 2 or country_code(name) or name.casefold() in {"the", "mr", "mrs", "dear"}:
            return None
        item = self.find(name) or (self.find(short_name) if short_name else None)
        if item is None:
            # A shorter form of a name already known ("International Federation of Chemical" of the full ICEM name)
            for other in self.items:
                if len(name.split()) >= 2 and _contains_words(fold(other.name), fold(name)):
                    item = other
                    break
        if item is None:
            item = FoundOrganisation(name=name, kind=kind or kind_of(name))
            self.items.append(item)
        if short_name and not item.short_name and short_name != item.name:
            item.short_name = short_name
        if role and (item.role == "other" or role in ("issuer", "signatory")):
            item.role = role
        if span is not None:
            item.spans.append(span)
        return item


_KEYWORD_ORDER = {k: i for i, k in enumerate(_KEYWORDS)}
# One scan for every keyword (none can match inside another at a word boundary, so it finds what one scan each would).
_ANY_KEYWORD = regex.compile(
    r"(?<![\p{L}])(?:" + "|".join(regex.escape(k) for k in sorted(_KEYWORDS, key=len, reverse=True)) + r")(?![\p{L}])",
    _FLAGS,
)


def _keyword_matches(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """(keyword, start, end) of every keyword in text[start:end], keyword by keyword in _KEYWORDS' order."""
    found = [(m.group(), m.start(), m.end()) for m in _ANY_KEYWORD.finditer(text, start, end)]
    return sorted(found, key=lambda item: (_KEYWORD_ORDER[item[0]], item[1]))


def find_organisations(text: str, spans: list[Span]) -> Registry:
    """Organisations named within the given spans (the appeal's body)."""
    registry = Registry()
    for span in spans:
        chunk_end = span.end
        for match in _ACRONYM_DEF.finditer(text, span.start, chunk_end):
            start, _ = _expand(text, match.start(), match.start(), right=False, commas=True)
            name = text[start : match.start()]
            if len(_clean(name).split()) >= 2:
                registry.add(name, short_name=match.group("short"), span=Span(start, match.end()))
        for keyword, s, e in _keyword_matches(text, span.start, chunk_end):
            start, end = _expand(text, s, e)
            name = _clean(text[start:end])
            if keyword in ("Central", "Office", "Department", "Group") and len(name.split()) < 2:
                continue
            if keyword == "International" and not name.endswith("International"):
                continue
            if name.endswith(("Jail", "Prison", "Terminal", "Declaration", "Convention", "Conventions", "Summit")):
                continue
            if len(name.split()) >= 2 or keyword in ("Sindicato",):
                registry.add(name, span=Span(start, end))
        for match in _NAMED_COMPANY.finditer(text, span.start, chunk_end):
            registry.add(match.group("name"), role="employer", kind="company", span=Span(*match.span("name")))
        for match in _WORKERS_OF.finditer(text, span.start, chunk_end):
            name = match.group("name")
            if not country_code(name) and not registry.find(name) and not KEYWORD_RE.search(name):
                registry.add(name, role="employer", kind="company", span=Span(*match.span("name")))
    for item in registry.items:
        if item.role == "other":
            if item.kind == "government":
                item.role = "authority"
            elif item.kind == "company":
                item.role = "employer"
    # An acronym written alone is the short name of what it stands for ("SINTRACARBOCES" after its definition).
    return registry


KEYWORD_RE = regex.compile(r"\b(?:" + "|".join(regex.escape(k) for k in _KEYWORDS) + r")\b", _FLAGS)


def issuing_organisation(text: str, paragraphs: list[Span], registry: Registry) -> FoundOrganisation | None:
    """The organisation the appeal speaks for, when a sentence opens with it acting ("X denuncia", "X considers")."""
    for paragraph in paragraphs:
        for span in sentences(text, paragraph):
            match = _ISSUING_VERB.match(tidy_name(text[span.start : span.end]))
            if not match:
                continue
            head = fold(match.group("name"))
            for item in registry.items:
                for name in (item.name, item.short_name):
                    if name and head.endswith(fold(name)) and len(head) - len(name) <= 6:
                        return item
    return None
