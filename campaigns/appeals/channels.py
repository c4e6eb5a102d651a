"""Contact channels written in an appeal: e-mail (and masked e-mail), phone and fax, web forms, social handles.

Numbers are found here with their labels ("Fax:", "Tel./Fax", "PBX"), as written; turning them into
E.164 needs the recipient's country and is done by campaigns.phones.to_e164 when the party is known.
Postal addresses are `addresses`' concern.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from .text import Span

_FLAGS = regex.IGNORECASE | regex.VERSION1

_FAX = r"fax|facsimile|telefax|t[ée]l[ée]copie|факс"
_PHONE = (
    r"tel(?:ephone|[ée]fono)?|phone|ph|mob(?:ile)?|cell(?:ular)?|pbx|tfno|m[óo]vil|celular|t[ée]l|телефон|тел|"
    r"hotline|switchboard|conmutador"
)
_FAX_RE = regex.compile(_FAX, _FLAGS)
_PHONE_RE = regex.compile(rf"(?<![\p{{L}}])(?:{_PHONE})", _FLAGS)
_BOTH = rf"(?:(?:{_PHONE})\.?\s*(?:/|&|and|y|\+)\s*(?:{_FAX})|(?:{_FAX})\.?\s*(?:/|&|and|y|\+)\s*(?:{_PHONE}))"
_LABEL_END = r"\.?\s*(?:no\.?|number|n[º°]\.?)?\s*[:.\-–]?\s*"
# A number as people write it, on one line: "007-3102-768247", "++ 44 20 8988 8760", "(+57) 601 570 2000",
# "+44 (0)20 7946 0412". It ends on a digit, so "or email:" and ", Fax" stay outside.
_NUMBER = r"(?:\(?\+{1,2}[ \t]?\(?\d|\(?0{0,2}\d)[\d \t().\-/]*\d"

NUMBER_LABELLED = regex.compile(
    rf"(?<![\p{{L}}])(?P<label>{_BOTH}|{_FAX}|{_PHONE}){_LABEL_END}(?P<number>{_NUMBER})(?![\d])", _FLAGS
)
NUMBER_INTERNATIONAL = regex.compile(r"(?<![\w+/])(?P<number>\(?\+{1,2}[ \t]?\(?\d[\d \t().\-/]*\d)(?!\d)", _FLAGS)
EMAIL = regex.compile(r"(?<![\w.+\-@])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", _FLAGS)
MASKED_EMAIL = regex.compile(r"\[\s*email[\s\xa0]*protected\s*\]", _FLAGS)
URL = regex.compile(r"\b(?:https?://|www\.)[^\s<>\"'\])]+", _FLAGS)
HANDLE = regex.compile(r"(?<![\w@./])@[A-Za-z0-9_]{2,30}(?![\w@])", _FLAGS)
_SOCIAL_LABEL = regex.compile(
    r"(?P<label>twitter|x|facebook|instagram|telegram|mastodon|bluesky|tiktok|threads|vk|youtube)\s*(?:\([^)]*\))?\s*[:\-–]\s*$",
    _FLAGS,
)
_SOCIAL_HOSTS = regex.compile(
    r"^(?:https?://)?(?:www\.|m\.)?(?:twitter\.com|x\.com|facebook\.com|fb\.com|instagram\.com|t\.me|vk\.com|"
    r"youtube\.com|tiktok\.com|bsky\.app|threads\.net|linkedin\.com)/",
    _FLAGS,
)
_WEB_LABEL = regex.compile(
    r"(?:web\s*(?:form|site|page)?|website|online(?:\s+form)?|contact\s+form|formulario(?:\s+web)?|petition|petici[oó]n|"
    r"сайт|форма)\s*[:\-–]?\s*$",
    _FLAGS,
)


@dataclass(frozen=True)
class FoundChannel:
    kind: str  # email | fax | phone | web | social
    value: str | None  # as written; None when masked
    span: Span  # where the value is (the label is left out)
    masked: bool = False
    label: str = ""

    def key(self) -> tuple[str, str | None, int]:
        return (self.kind, self.value, self.span.start)


@functools.lru_cache(maxsize=1024)
def _number_kinds(label: str) -> tuple[str, ...]:
    label = label.casefold()
    has_fax = _FAX_RE.search(label) is not None
    has_phone = _PHONE_RE.search(_FAX_RE.sub("", label)) is not None
    if has_fax and has_phone:
        return ("phone", "fax")
    return ("fax",) if has_fax else ("phone",)


def find_channels(text: str, start: int = 0, end: int | None = None, *, unlabelled_numbers: bool = True) -> list[FoundChannel]:
    """Channels written in text[start:end], in order. Unlabelled numbers count only with an international prefix."""
    end = len(text) if end is None else end
    found: list[FoundChannel] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(s < te and ts < e for ts, te in taken)

    for match in MASKED_EMAIL.finditer(text, start, end):
        found.append(FoundChannel("email", None, Span(*match.span()), masked=True))
        taken.append(match.span())
    for match in EMAIL.finditer(text, start, end):
        value = match.group().rstrip(".-")
        s = match.start()
        if free(s, s + len(value)):
            found.append(FoundChannel("email", value, Span(s, s + len(value))))
            taken.append((s, s + len(value)))
    for match in URL.finditer(text, start, end):
        value = match.group().rstrip(".,;:!?")
        s, e = match.start(), match.start() + len(value)
        if not free(s, e):
            continue
        kind = "social" if _SOCIAL_HOSTS.match(value) else "web"
        found.append(FoundChannel(kind, value if value.lower().startswith("http") else f"https://{value}", Span(s, e)))
        taken.append((s, e))
    for match in NUMBER_LABELLED.finditer(text, start, end):
        s, e = match.span("number")
        if not free(s, e):
            continue
        for kind in _number_kinds(match.group("label")):
            found.append(FoundChannel(kind, match.group("number").strip(), Span(s, e)))
        taken.append((s, e))
    if unlabelled_numbers:
        for match in NUMBER_INTERNATIONAL.finditer(text, start, end):
            s, e = match.span("number")
            if free(s, e) and sum(ch.isdigit() for ch in match.group("number")) >= 7:
                found.append(FoundChannel("phone", match.group("number").strip(), Span(s, e)))
                taken.append((s, e))
    for match in HANDLE.finditer(text, start, end):
        s, e = match.span()
        if not free(s, e):
            continue
        line_start = text.rfind("\n", start, s) + 1
        label_match = _SOCIAL_LABEL.search(text[line_start:s])
        label = label_match.group("label").capitalize() if label_match else ""
        found.append(FoundChannel("social", match.group(), Span(s, e), label="X" if label == "X" else label))
        taken.append((s, e))
    return sorted(found, key=lambda c: (c.span.start, c.kind != "phone"))


def is_web_labelled(text: str, channel: FoundChannel) -> bool:
    """A URL written as a way to act ("Web form: https://...") rather than a reference link."""
    line_start = text.rfind("\n", 0, channel.span.start) + 1
    return bool(_WEB_LABEL.search(text[line_start : channel.span.start]))
