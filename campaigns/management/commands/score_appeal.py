"""Compare the draft of one appeal with a hand-made campaign document: precision and recall per field."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...appeals.reading import AppealReadError
from ...appeals.scoring import FIELDS, score
from ...services.appeals import appeal_draft


def draft_and_expected(file: str, expected: str) -> tuple[dict, dict]:
    """The draft of FILE and the hand-made document EXPECTED, or CommandError with one line."""
    try:
        data = Path(file).read_bytes()
        hand_made = json.loads(Path(expected).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"cannot read {exc.filename}: {exc.strerror}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{expected} is not a JSON campaign document ({exc})") from exc
    try:
        return appeal_draft(data=data, filename=file).document, hand_made
    except AppealReadError as exc:
        raise CommandError(f"{file}: {exc}") from exc


def report(scores, *, verbose: bool) -> list[str]:
    out = [f"{'field':<10}{'precision':>10}{'recall':>8}{'matched':>9}{'drafted':>9}{'expected':>9}"]
    for name in FIELDS:
        s = scores[name]
        out.append(f"{name:<10}{s.precision:>10.2f}{s.recall:>8.2f}{s.matched:>9}{s.extracted:>9}{s.expected:>9}")
        if verbose:
            out += [f"    missing  {item}" for item in s.missing]
            out += [f"    extra    {item}" for item in s.extra]
    return out


class Command(BaseCommand):
    help = "Score appeal import: compare the draft of FILE with the hand-made campaign document EXPECTED.json."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("expected", metavar="EXPECTED.json")
        parser.add_argument("--verbose", "-V", action="store_true", help="List what is missing and what is extra.")

    def handle(self, *args, file, expected, verbose, **options):
        draft, hand_made = draft_and_expected(file, expected)
        self.stdout.write("\n".join(report(score(draft, hand_made), verbose=verbose)))
