"""Load the campaign documents in seeds/; running it again leaves the same data."""

import json
from pathlib import Path

from django.conf import settings

from ...services.documents import campaign_documents_load
from ._base import DocumentCommand


class Command(DocumentCommand):
    help = "Load the seed campaigns (seeds/*.json). Idempotent."

    def handle(self, *args, **options):
        paths = sorted((Path(settings.BASE_DIR) / "seeds").glob("*.json"))
        documents = [json.loads(path.read_text(encoding="utf-8")) for path in paths]
        campaigns = campaign_documents_load(documents=documents)
        for campaign in campaigns:
            self.stdout.write(f"loaded {campaign.slug}")
