"""Scores drafts against hand-checked truth in the shared appeals format (`NN_slug.txt` + `NN_slug.json`).

The matching rules are those of the shared scorer (`appeals-dev/score_import.py`), so the figures agree:
one-to-one, accent-folded and case-blind; channels of the same kind (phone/fax by their last 7 digits,
postal by >= 80% of the truth's words, e-mail exact, web by containment, social by handle); a target by a
shared distinctive word; a person by last name (and one more word for longer names); a dated event by its
date at the truth's precision. A phone, fax or e-mail whose value is not in the text is counted as invented.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..kinds import NUMBER_KINDS

FIELDS = ("channels", "targets", "people", "events")
GENERIC = set(
    """the of and de del la el los las le les du des da do dos di a an to for in on at by mr mrs ms dr sr sra
h e he his her excellency excellence majesty president presidente presidenta prime minister ministro ministra ministry
ministerio government embassy embajada ambasciata ambassade ambassador embaixador office republic republica state
general secretary head chief public national federal council minister's not named group via care""".split()  # noqa: SIM905
)


def _fold(s: str | None) -> str:
    return unicodedata.normalize("NFKD", s or "").encode("ascii", "ignore").decode().lower()


def _toks(s: str | None) -> list[str]:
    return re.findall(r"[a-z0-9]+", _fold(s))


def _digits(s: str | None) -> str:
    return re.sub(r"\D", "", s or "")


def channel_match(t: dict[str, Any], d: dict[str, Any]) -> bool:
    tk, dk = t["kind"], (d.get("kind") or "").lower()
    tv, dv = t.get("value") or "", str(d.get("value") or "")
    if dk != tk:
        return False
    if tk in NUMBER_KINDS:
        a, b = _digits(tv), _digits(dv) or _digits(d.get("e164"))
        n = min(7, len(a))
        return (n >= 6 and b.endswith(a[-n:])) or (len(b) >= 7 and a.endswith(b[-7:]))
    if tk == "postal":
        tw, dw = set(_toks(tv)), set(_toks(dv))
        return bool(tw) and len(tw & dw) / len(tw) >= 0.8
    if tk == "social":
        return tv.lower().lstrip("@") == dv.lower().lstrip("@")
    if tk == "web":
        return tv.lower().rstrip("/") in dv.lower() or dv.lower().rstrip("/") in tv.lower()
    return tv.lower() == dv.lower()


def target_match(t: str, d: str) -> bool:
    if len(_toks(d)) > 14:
        return False
    a = {w for w in _toks(t) if w not in GENERIC and len(w) > 1}
    b = {w for w in _toks(d) if w not in GENERIC and len(w) > 1}
    return bool(a & b) if a else bool(set(_toks(t)) & set(_toks(d)))


def person_match(t: str, d: str) -> bool:
    if len(_toks(d)) > 8:
        return False
    a, b = _toks(t), set(_toks(d))
    if not a or a[-1] not in b:
        return False
    return len(a) == 1 or any(w in b for w in a[:-1])


def event_match(t: str, d: str) -> bool:
    return d.startswith(t) and (len(d) == len(t) or len(t) == 10 or d[len(t)] == "-")


def _one_to_one(truth: list[Any], got: list[Any], match: Callable[[Any, Any], bool]) -> int:
    used: set[int] = set()
    hits = 0
    for t in truth:
        for i, d in enumerate(got):
            if i not in used and match(t, d):
                used.add(i)
                hits += 1
                break
    return hits


@dataclass
class CaseScore:
    name: str
    counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # field -> (hits, truth, drafted)
    invented: int = 0
    masked: tuple[int, int] = (0, 0)
    failed: str = ""


def score_case(name: str, text: str, truth: dict[str, Any], doc: dict[str, Any] | None) -> CaseScore:
    """One case: `text` is the appeal without its `source:` line, `doc` the draft (None when the tool failed)."""
    out = CaseScore(name)
    doc = doc or {}
    flat = re.sub(r"\s+", "", text.lower())
    tch = [c for e in truth["targets"] + truth["copy_to"] for c in e["channels"]]
    all_d = [c for role in ("targets", "copy_to") for e in doc.get(role) or [] for c in e.get("channels") or []]
    dch = [c for c in all_d if not c.get("masked") and c.get("value")]
    masked = sum(1 for c in all_d if (c.get("kind") or "").lower() == "email" and (c.get("masked") or not c.get("value")))
    for c in dch:
        kind, value = (c.get("kind") or "").lower(), str(c.get("value") or "")
        if (kind in NUMBER_KINDS and _digits(value)[-7:] not in _digits(text)) or (
            kind == "email" and re.sub(r"\s+", "", value.lower()) not in flat
        ):
            out.invented += 1
    tn = [t["name"] for t in truth["targets"]]
    dn = [t.get("name") or "" for t in doc.get("targets") or []]
    tp = [p["name"] for p in truth["people_at_risk"] if "not named" not in p["name"]]
    dp = [p.get("name") or "" for p in doc.get("people") or [] if "not named" not in (p.get("name") or "")]
    te = [e["date"] for e in truth["events"] if e.get("date")]
    de = [str(e.get("date")) for e in doc.get("events") or [] if e.get("date")]
    out.counts = {
        "channels": (_one_to_one(tch, dch, channel_match), len(tch), len(dch)),
        "targets": (_one_to_one(tn, dn, target_match), len(tn), len(dn)),
        "people": (_one_to_one(tp, dp, person_match), len(tp), len(dp)),
        "events": (_one_to_one(te, de, event_match), len(te), len(de)),
    }
    expected_masked = int(truth.get("masked_emails", 0))
    out.masked = (min(expected_masked, masked), expected_masked)
    return out


def totals(cases: list[CaseScore]) -> dict[str, tuple[float, float]]:
    """Micro-averaged (precision, recall) per field; 1.0 where there is nothing to find or nothing drafted."""
    out = {}
    for name in FIELDS:
        hits = sum(c.counts.get(name, (0, 0, 0))[0] for c in cases)
        truth = sum(c.counts.get(name, (0, 0, 0))[1] for c in cases)
        drafted = sum(c.counts.get(name, (0, 0, 0))[2] for c in cases)
        out[name] = (hits / drafted if drafted else 1.0, hits / truth if truth else 1.0)
    return out
