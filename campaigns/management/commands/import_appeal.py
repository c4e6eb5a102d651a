"""Import an appeal (text, HTML, PDF or .eml): print its draft campaign document, or save it as a draft campaign."""

import json
import sys
from pathlib import Path

from django.core.management.base import CommandError

from ...appeals.reading import AppealReadError, check_size
from ...models import Organisation
from ...services.appeals import appeal_draft, appeal_save
from ._base import DocumentCommand


class Command(DocumentCommand):
    help = (
        "Turn an appeal into a draft campaign. FILE: plain text (any common encoding), HTML, PDF or .eml; '-' for standard input."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Print the draft campaign document as JSON; save nothing.")
        parser.add_argument("--owner", metavar="ORGNAME", help="Name of an existing organisation to own the campaign.")

    def handle(self, *args, file, dry_run, owner, **options):
        owner_organisation = None
        if owner:
            owner_organisation = Organisation.objects.filter(name=owner).first()
            if owner_organisation is None:
                raise CommandError(f"no organisation named {owner!r}")
        try:
            data = self._read(file)
            draft = appeal_draft(data=data, filename="" if file == "-" else file, check_existing=not dry_run)
        except AppealReadError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        if dry_run:
            self.stdout.write(json.dumps(draft.document, ensure_ascii=False, indent=2))
            return
        campaign = appeal_save(document=draft.document, owner=owner_organisation)
        for note in draft.notes:  # a campaign with the same title or target is among them
            self.stderr.write(f"note: {note}")
        self.stdout.write(campaign.slug)

    def _read(self, file: str) -> bytes:
        if file == "-":
            return sys.stdin.buffer.read()
        path = Path(file)
        try:
            if path.is_dir():
                raise CommandError(f"{file} is a directory, not an appeal")
            check_size(path.stat().st_size)
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
