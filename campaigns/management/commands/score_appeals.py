"""Score appeal import on every case: the seed appeals and seeds/appeals/, one row per case."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from ...appeals.scoring import score, table
from .score_appeal import draft_and_expected, report


def cases() -> list[tuple[Path, Path]]:
    """(appeal, hand-made document) pairs: seeds/NAME.txt with seeds/NAME.json, seeds/appeals/NAME.* with NAME.expected.json."""
    seeds = Path(settings.BASE_DIR) / "seeds"
    pairs = [(p, p.with_suffix(".json")) for p in sorted(seeds.glob("*.txt")) if p.with_suffix(".json").exists()]
    for expected in sorted((seeds / "appeals").glob("*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        pairs += [(p, expected) for p in sorted(expected.parent.glob(f"{stem}.*")) if p != expected]
    return pairs


class Command(BaseCommand):
    help = "Score appeal import on every case (seeds/*.txt and seeds/appeals/): precision and recall per field."

    def add_arguments(self, parser):
        parser.add_argument("--verbose", "-V", action="store_true", help="Per case: list what is missing and what is extra.")

    def handle(self, *args, verbose, **options):
        rows = []
        for appeal, expected in cases():
            draft, hand_made = draft_and_expected(str(appeal), str(expected))
            scores = score(draft, hand_made)
            rows.append((appeal.name, scores))
            if verbose:
                self.stdout.write(f"{appeal.name}\n" + "\n".join(report(scores, verbose=True)) + "\n")
        self.stdout.write(table(rows))
