"""Load a JSON list of campaign documents (as export_campaigns prints), all or nothing."""

import json
import sys
from pathlib import Path

from django.core.management.base import CommandError

from ...models import Organisation
from ...services.documents import campaign_documents_load
from ._base import DocumentCommand


class Command(DocumentCommand):
    help = "Import a JSON list of campaign documents from FILE ('-' for standard input)."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--owner", help="Name of an existing organisation to own campaigns that name none.")

    def handle(self, *args, file, owner, **options):
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text") from exc
        try:
            documents = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{file} is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
        owner_organisation = None
        if owner:
            owner_organisation = Organisation.objects.filter(name=owner).first()
            if owner_organisation is None:
                raise CommandError(f"no organisation named {owner!r}")
        campaigns = campaign_documents_load(documents=documents, owner=owner_organisation)
        self.stdout.write(f"imported {len(campaigns)} campaign(s): {', '.join(c.slug for c in campaigns)}")
