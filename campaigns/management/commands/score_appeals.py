"""Score appeal import: on a folder of real appeals in the shared format (--cases DIR), or on our own cases."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...appeals.scoring import score, table
from ...appeals.shared_scoring import FIELDS, score_case, totals
from ...documents.validation import DocumentError, document_validate
from ...services.appeals import appeal_draft
from .score_appeal import draft_and_expected, report

# The floors CI holds appeal import to on ../shared/appeals-dev: what it reached (precision, recall), rounded down.
FLOORS = {"channels": (1.0, 1.0), "targets": (1.0, 1.0), "people": (1.0, 1.0), "events": (1.0, 1.0)}


def own_cases() -> list[tuple[Path, Path]]:
    """(appeal, hand-made document) pairs: seeds/NAME.txt with seeds/NAME.json, seeds/appeals/NAME.* with NAME.expected.json."""
    seeds = Path(settings.BASE_DIR) / "seeds"
    pairs = [(p, p.with_suffix(".json")) for p in sorted(seeds.glob("*.txt")) if p.with_suffix(".json").exists()]
    for expected in sorted((seeds / "appeals").glob("*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        pairs += [(p, expected) for p in sorted(expected.parent.glob(f"{stem}.*")) if p != expected]
    return pairs


class Command(BaseCommand):
    help = (
        "Score appeal import. With --cases DIR: every NN_slug.txt (first line `source: ...`) of DIR against its "
        "NN_slug.json truth, precision and recall per field; fails below the floors. Without: our own cases."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", metavar="DIR", help="A folder of real appeals in the shared format (texts stay there).")
        parser.add_argument("--verbose", "-V", action="store_true", help="One row per case.")
        parser.add_argument("--no-floors", action="store_true", help="Report only; do not fail below the floors.")

    def handle(self, *args, cases: str | None, verbose: bool, no_floors: bool, **options):
        if cases:
            self._shared(Path(cases), verbose=verbose, floors=not no_floors)
            return
        rows = []
        for appeal, expected in own_cases():
            draft, hand_made = draft_and_expected(str(appeal), str(expected))
            scores = score(draft, hand_made)
            rows.append((appeal.name, scores))
            if verbose:
                self.stdout.write(f"{appeal.name}\n" + "\n".join(report(scores, verbose=True)) + "\n")
        self.stdout.write(table(rows))

    def _shared(self, folder: Path, *, verbose: bool, floors: bool) -> None:
        if not folder.is_dir():
            raise CommandError(f"{folder}: no such folder of appeals")
        truths = [p for p in sorted(folder.glob("*.json")) if p.with_suffix(".txt").exists()]
        if not truths:
            raise CommandError(f"{folder}: no NN_slug.txt / NN_slug.json pairs")
        results, invalid = [], []
        for path in truths:
            raw = path.with_suffix(".txt").read_text(encoding="utf-8")
            text = raw.split("\n", 1)[1] if raw.startswith("source:") else raw
            truth = json.loads(path.read_text(encoding="utf-8"))
            try:
                document = appeal_draft(text=text).document
                document_validate(document)
            except (DocumentError, ValueError) as exc:
                invalid.append(f"{path.stem}: {exc}")
                document = None
            result = score_case(path.stem, text, truth, document)
            results.append(result)
            if verbose:
                cells = ", ".join(f"{name} {h}/{t} (drafted {d})" for name, (h, t, d) in result.counts.items())
                self.stdout.write(f"{path.stem}: {cells}, invented {result.invented}")
        summary = totals(results)
        self.stdout.write(f"{'field':<10} {'precision':>9} {'recall':>7} {'floor P':>8} {'floor R':>8}")
        for name in FIELDS:
            p, r = summary[name]
            self.stdout.write(f"{name:<10} {p:>9.2f} {r:>7.2f} {FLOORS[name][0]:>8.2f} {FLOORS[name][1]:>8.2f}")
        invented = sum(r.invented for r in results)
        masked = (sum(r.masked[0] for r in results), sum(r.masked[1] for r in results))
        self.stdout.write(
            f"{len(results)} appeals in {folder}: masked {masked[0]}/{masked[1]}, "
            f"invented {invented}, invalid drafts {len(invalid)}"
        )
        for line in invalid:
            self.stdout.write(f"invalid draft: {line}")
        below = [
            f"{name} {kind} {value:.2f} < {floor:.2f}"
            for name in FIELDS
            for kind, value, floor in (("P", summary[name][0], FLOORS[name][0]), ("R", summary[name][1], FLOORS[name][1]))
            if value < floor
        ]
        if floors and (below or invented or invalid):
            problems = (
                below
                + ([f"{invented} invented values"] if invented else [])
                + ([f"{len(invalid)} invalid drafts"] if invalid else [])
            )
            raise CommandError("appeal import is below its floors: " + "; ".join(problems))
        if os.environ.get("CI") and not floors:
            self.stdout.write("(floors not checked)")


cases = own_cases  # the name tests and score_appeal import
