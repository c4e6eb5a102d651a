"""Print campaigns as a JSON list of campaign documents."""

import json

from django.core.management.base import CommandError

from ...selectors.documents import campaign_document, campaigns_for_documents
from ._base import DocumentCommand


class Command(DocumentCommand):
    help = "Print a JSON list of campaign documents (all campaigns, or the SLUGs given)."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG")
        parser.add_argument(
            "--include-personal",
            action="store_true",
            help="Include supporters' names and contact details (handle the output as personal data).",
        )

    def handle(self, *args, slugs, include_personal, **options):
        campaigns = list(campaigns_for_documents(slugs=slugs or None))
        missing = sorted(set(slugs) - {c.slug for c in campaigns})
        if missing:
            raise CommandError(f"no campaign with slug {', '.join(missing)}")
        documents = [campaign_document(campaign=c, include_personal=include_personal) for c in campaigns]
        self.stdout.write(json.dumps(documents, indent=2, ensure_ascii=False))
