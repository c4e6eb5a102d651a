"""Create or update an organiser account for one or more organisations, and print how to log in."""

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...models import Organisation
from ...services.organisers import organiser_create


class Command(BaseCommand):
    help = "Create (or reset) an organiser who runs the given organisations' campaigns."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--organisation", action="append", required=True, help="Organisation name; repeat for several.")
        parser.add_argument("--password", help="Default: a new random password, printed.")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, organisation, password, email, **options):
        organisations = []
        for name in organisation:
            found = Organisation.objects.filter(name=name).first()
            if found is None:
                raise CommandError(f"no organisation named {name!r} (load the seeds or create it in the admin first)")
            organisations.append(found)
        password = password or secrets.token_urlsafe(9)
        for found in organisations:
            organiser_create(username=username, password=password, organisation=found, email=email)
        self.stdout.write(
            f"Organiser login: {settings.SITE_URL}/admin/  username: {username}  password: {password}\n"
            f"  runs the campaigns of: {', '.join(o.name for o in organisations)}"
        )
