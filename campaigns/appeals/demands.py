"""Demands: what the appeal asks for ("we urge you to ...", "demanding the nationalisation of ...", a list after
"We call on your government to:" or "EXIGIMOS:"), one demand per action asked."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .text import Mark, Span, collapse, lines, sentences, similarity

_FLAGS = regex.IGNORECASE | regex.VERSION1

_ADDRESSEE = (
    r"(?:you|your\s+(?:government|excellency|company)|"
    r"the\s+(?:\w+\s+)?(?:authorities|government|company|management|employer|president|minister)|"
    r"them|him|her|it|las\s+autoridades|al\s+gobierno|a\s+la\s+empresa)"
)
_INLINE = regex.compile(
    r"\b(?:urg(?:e|es|ing)|call(?:s|ing)?\s+(?:up)?on|ask(?:s|ing)?|request(?:s|ing)?|insist(?:s|ing)?\s+that|press(?:es|ing)?)"
    rf"\s+{_ADDRESSEE}\s+to\s+(?P<what>.+)$"
    rf"|\bdemand(?:s|ed|ing)?(?!\s+(?:of|for|from|by|was|were|is|are)\b)\s+(?:that\s+)?(?:(?:the|their|its)\s+(?:employer|company|management|government|authorities)\s+(?:to\s+|should\s+))?(?P<what2>.+)$"
    rf"|\bcall(?:s|ing)?\s+for\s+(?P<what3>.+)$"
    r"|\b(?:exig(?:imos|ir|en|e|iendo)|pedimos|solicitamos|reclamamos|exhortamos\s+a\s+\S+(?:\s+\S+)?\s+a|instamos\s+a\s+\S+(?:\s+\S+)?\s+a)\s+(?:que\s+)?(?P<what4>.+)$"
    r"|\b(?:требу\w+|с\s+требованием)\s+(?P<what5>.+)$",
    _FLAGS | regex.DOTALL,
)
_LIST_CUE = regex.compile(
    r"(?:\b(?:urg(?:e|ing)|call(?:s|ing)?\s+(?:up)?on|ask(?:ing)?|demand(?:s|ing)?|request(?:ing)?)\b[^:\n]*:\s*$|"
    r"\b(?:demands|our\s+demands|we\s+demand|exigimos|exigencias|pedimos|reclamamos|solicitamos|требуем|требования)\b[^:\n]*:\s*$|"
    r"\b(?:calling|urging)\b[^:\n]*:\s*$|\b(?:write|send\s+appeals)\b[^:\n]*:\s*$)",
    _FLAGS,
)
_BULLET = regex.compile(r"^\s*(?:[-•*–·]|\d{1,2}[.)]|[a-h][.)])\s+(?P<item>.+)$", regex.VERSION1 | regex.DOTALL)
_BULLET_PREFIX = regex.compile(
    rf"^(?:(?:calling|urging)\s+(?:on\s+)?{_ADDRESSEE}\s+to\s+|(?:asking|urging)\s+{_ADDRESSEE}\s+to\s+|to\s+)", _FLAGS
)
VERBS = (
    "release", "free", "drop", "end", "stop", "start", "take", "investigate", "ensure", "guarantee", "respect", "reinstate",
    "pay", "improve", "lift", "quash", "disclose", "protect", "allow", "grant", "open", "withdraw", "cease", "halt", "bring",
    "hold", "recognise", "recognize", "negotiate", "provide", "restore", "compensate", "nationalise", "nationalize",
    "return", "publish", "repeal", "ratify", "implement", "comply", "rehire", "reverse", "conduct", "carry", "launch",
    "abandon", "cancel", "annul", "overturn", "liberar", "garantizar", "investigar", "sancionar", "respetar", "reintegrar",
)  # fmt: skip
_SPLIT = regex.compile(
    rf"(?:,\s*(?:and\s+)?(?:to\s+)?|;\s*(?:and\s+)?|\s+and\s+(?:to\s+)?)(?=(?:{'|'.join(VERBS)})\b)|\s+and\s+(?=the\s+\p{{Ll}})|\s+y\s+(?=(?:el|la|los|las)\s+\p{{Ll}})|\s+и\s+(?=\p{{L}}+ть\b)",
    _FLAGS,
)
_TRAILING = regex.compile(r"(?:[\s.;,:]+|\s+(?:as\s+soon\s+as\s+possible|immediately))$", _FLAGS)


@dataclass
class FoundDemand:
    text: str
    span: Span


_LEADING_THAT = regex.compile(r"^(?:that|to|the|que)\s+", _FLAGS)


def _clean(value: str) -> str:
    value = collapse(value)
    value = _LEADING_THAT.sub("", value)
    value = value.strip(" .;,:")
    return value[:1].upper() + value[1:] if value else value


def _split(text: str, start: int, end: int) -> list[FoundDemand]:
    out, pos = [], start
    chunk = text[start:end]
    for match in _SPLIT.finditer(chunk):
        if _right_to_context(chunk[: match.start()]):
            continue
        out.append((pos, start + match.start()))
        pos = start + match.end()
    out.append((pos, end))
    demands = []
    for s, e in out:
        value = _clean(text[s:e])
        if len(value.split()) >= 2:
            demands.append(FoundDemand(value, Span(s, e)))
    return demands


def _right_to_context(before: str) -> bool:
    """ "the right of workers to strike and to organise": an infinitive list inside a right, not two demands."""
    return bool(regex.search(r"\bright\s+(?:of\s+[\w\s']+?\s+)?to\s+\w+$", before.strip(), _FLAGS))


def find_demands(text: str, paragraphs: list[Span]) -> tuple[list[FoundDemand], list[Span]]:
    """Demands, and the lists they came from (lists of demands are calls to action, not events of the story)."""
    found: list[FoundDemand] = []
    used: list[Span] = []
    inline: list[Span] = []
    for index, paragraph in enumerate(paragraphs):
        para_lines = lines(text, paragraph)
        for position, line in enumerate(para_lines):
            if not _LIST_CUE.search(text[line.start : line.end]):
                continue
            items = [lns for lns in para_lines[position + 1 :] if _BULLET.match(text[lns.start : lns.end])]
            if not items and index + 1 < len(paragraphs):
                items = [lns for lns in lines(text, paragraphs[index + 1]) if _BULLET.match(text[lns.start : lns.end])]
            for item in items:
                match = _BULLET.match(text[item.start : item.end])
                assert match is not None
                s = item.start + match.start("item")
                prefix = _BULLET_PREFIX.match(text[s : item.end])
                if prefix:
                    s += prefix.end()
                value = _clean(text[s : item.end])
                if len(value.split()) >= 2:
                    found.append(FoundDemand(value, Span(s, item.end)))
                    used.append(item)
            if items:
                used.append(line)
        for sentence in sentences(text, paragraph):
            if any(u.start <= sentence.start < u.end for u in used + inline):
                continue
            match = _INLINE.search(text[sentence.start : sentence.end])
            if not match:
                continue
            group = next(g for g in ("what", "what2", "what3", "what4", "what5") if match.group(g))
            s, e = sentence.start + match.start(group), sentence.start + match.end(group)
            trailing = _TRAILING.search(text[s:e])
            if trailing:
                e = s + trailing.start()
            for demand in _split(text, s, e):
                found.append(demand)
            inline.append(sentence)
    unique: list[FoundDemand] = []
    for demand in found:
        if not any(
            similarity(demand.text, other.text) >= 0.8 and abs(len(demand.text) - len(other.text)) < 60 for other in unique
        ):
            unique.append(demand)
    return unique, used


def demand_marks(demands: list[FoundDemand]) -> list[Mark]:
    return [Mark(d.span.start, d.span.end, "demands", f"demand: {d.text}") for d in demands]
