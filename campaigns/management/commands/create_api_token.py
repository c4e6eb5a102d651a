"""Print a user's API token (creating it if needed), for `Authorization: Token <key>`."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ...services.api import api_token_create


class Command(BaseCommand):
    help = "Print USERNAME's API token, creating it if needed; --reset replaces it (the old key stops working)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="Replace the token with a new one.")

    def handle(self, *args, username, reset, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r} (create one with create_organiser first)")
        if not user.is_active:
            raise CommandError(f"{username!r} is not active; an inactive user's token would not work")
        token = api_token_create(user=user, reset=reset)
        self.stdout.write(token.key)
