"""Recount campaigns' totals (ActionTally) from their actions: a repair after edits outside the services."""

from django.core.management.base import BaseCommand, CommandError

from ...models import Campaign
from ...services.tallies import action_tallies_rebuild


class Command(BaseCommand):
    help = "Recompute the pre-computed totals of the named campaigns (by slug), or of all campaigns."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG")

    def handle(self, *args, slugs, **options):
        campaigns = Campaign.objects.order_by("slug")
        if slugs:
            campaigns = campaigns.filter(slug__in=slugs)
            missing = sorted(set(slugs) - set(campaigns.values_list("slug", flat=True)))
            if missing:
                raise CommandError(f"no campaign with the slug {', '.join(repr(s) for s in missing)}; nothing was changed.")
        for campaign in campaigns:
            counted = action_tallies_rebuild(campaign=campaign)
            self.stdout.write(f"{campaign.slug}: {counted} actions")
