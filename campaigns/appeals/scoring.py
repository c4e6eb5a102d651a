"""Compare a draft campaign document with a hand-made one: precision and recall per field.

Values are compared normalised: numbers by E.164, e-mails and names case-folded, postal addresses by
their words (one address's words within the other's: "PO Box 3688, London, Britain, E11 1YE" is
"PO Box 3688, London, E11 1YE, Britain"), people by name and status, events by date and wording,
demands by wording. Each expected item matches at most one drafted item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import regex
from django.core.exceptions import ValidationError

from ..kinds import NUMBER_KINDS
from ..phones import to_e164
from .text import fold, similarity

FIELDS = ("channels", "targets", "copy_to", "people", "events", "demands")
TEXT_MATCH = 0.4  # share of the shorter wording's content words found in the other


@dataclass
class FieldScore:
    matched: int = 0
    extracted: int = 0
    expected: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def _channel_items(document: dict[str, Any]) -> list[tuple[Any, str]]:
    items = []
    for role in ("targets", "copy_to"):
        for party in document.get(role) or []:
            for channel in party.get("channels") or []:
                kind = channel.get("kind")
                value = channel.get("value") or ""
                if channel.get("masked"):
                    key: Any = (role, kind, "masked")
                    shown = f"{role} {party.get('name')}: {kind} (masked)"
                elif kind in NUMBER_KINDS:
                    number = channel.get("e164")
                    if not number:
                        try:
                            number = to_e164(value, default_region=party.get("country") or None)
                        except ValidationError:
                            number = value
                    key = (role, kind, number)
                    shown = f"{role} {party.get('name')}: {kind} {value}"
                elif kind == "postal":
                    key = (role, kind, frozenset(regex.findall(r"[\p{L}\d]+", value.casefold())))
                    shown = f"{role} {party.get('name')}: postal {value}"
                else:
                    key = (role, kind, value.casefold().rstrip("/").lstrip("@").removeprefix("https://").removeprefix("http://"))
                    shown = f"{role} {party.get('name')}: {kind} {value}"
                items.append((key, shown))
    return items


def _channel_match(a: Any, b: Any) -> float:
    if a[:2] != b[:2]:
        return 0.0
    if a[1] == "postal":
        return 1.0 if a[2] <= b[2] or b[2] <= a[2] else 0.0
    return 1.0 if a[2] == b[2] else 0.0


def _names(role: str) -> Callable[[dict[str, Any]], list[tuple[Any, str]]]:
    return lambda d: [(fold(p.get("name") or ""), p.get("name") or "") for p in d.get(role) or []]


def _people(document: dict[str, Any]) -> list[tuple[Any, str]]:
    return [
        ((fold(p.get("name") or ""), p.get("status") or "threatened"), f"{p.get('name')} ({p.get('status')})")
        for p in document.get("people") or []
    ]


def _events(document: dict[str, Any]) -> list[tuple[Any, str]]:
    return [
        (
            (e.get("date") or e.get("day_month") or None, e.get("text") or ""),
            f"{e.get('date') or e.get('day_month') or 'undated'}: {(e.get('text') or '')[:70]}",
        )
        for e in document.get("events") or []
    ]


def _demands(document: dict[str, Any]) -> list[tuple[Any, str]]:
    return [(d.get("text") or "", (d.get("text") or "")[:80]) for d in document.get("demands") or []]


def _equal(a: Any, b: Any) -> float:
    return 1.0 if a == b else 0.0


def _event_match(a: Any, b: Any) -> float:
    if a[0] != b[0]:
        return 0.0
    score = similarity(a[1], b[1])
    return score if score >= TEXT_MATCH else 0.0


def _demand_match(a: Any, b: Any) -> float:
    score = similarity(a, b)
    return score if score >= TEXT_MATCH else 0.0


_RULES: dict[str, tuple[Callable[[dict[str, Any]], list[tuple[Any, str]]], Callable[[Any, Any], float]]] = {
    "channels": (_channel_items, _channel_match),
    "targets": (_names("targets"), _equal),
    "copy_to": (_names("copy_to"), _equal),
    "people": (_people, _equal),
    "events": (_events, _event_match),
    "demands": (_demands, _demand_match),
}


def score(draft: dict[str, Any], expected: dict[str, Any]) -> dict[str, FieldScore]:
    """Per field: how many drafted items match an expected one (best matches first, each used once)."""
    result = {}
    for name in FIELDS:
        items_of, match = _RULES[name]
        got, want = items_of(draft), items_of(expected)
        pairs = sorted(
            ((match(g[0], w[0]), i, j) for i, g in enumerate(got) for j, w in enumerate(want)),
            key=lambda p: -p[0],
        )
        used_got: set[int] = set()
        used_want: set[int] = set()
        for value, i, j in pairs:
            if value <= 0:
                break
            if i in used_got or j in used_want:
                continue
            used_got.add(i)
            used_want.add(j)
        result[name] = FieldScore(
            matched=len(used_got),
            extracted=len(got),
            expected=len(want),
            missing=[w[1] for j, w in enumerate(want) if j not in used_want],
            extra=[g[1] for i, g in enumerate(got) if i not in used_got],
        )
    return result


def table(rows: list[tuple[str, dict[str, FieldScore]]]) -> str:
    """A plain-text table: one row per case, P/R per field."""
    header = f"{'case':<34}" + "".join(f"{name:>16}" for name in FIELDS)
    out = [header, " " * 34 + "".join(f"{'P    R':>16}" for _ in FIELDS)]
    for case, scores in rows:
        cells = "".join(f"{s.precision:>9.2f} {s.recall:>5.2f}" + " " for s in (scores[name] for name in FIELDS))
        out.append(f"{case[:33]:<34}{cells}")
    totals = {name: FieldScore() for name in FIELDS}
    for _, scores in rows:
        for name in FIELDS:
            totals[name].matched += scores[name].matched
            totals[name].extracted += scores[name].extracted
            totals[name].expected += scores[name].expected
    if len(rows) > 1:
        out.append(
            f"{'all cases (micro-average)':<34}" + "".join(f"{s.precision:>9.2f} {s.recall:>5.2f} " for s in totals.values())
        )
    return "\n".join(out)
