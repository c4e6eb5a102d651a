"""Wait until the database answers (a container starting beside PostgreSQL), then optionally migrate.

The deployment entrypoint runs it before every role. With --migrate, concurrent starts (web,
worker and beat at once) take turns under a PostgreSQL advisory lock, so one migrates and the
others find nothing left to do.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection

# An arbitrary constant of ours: the advisory lock that serialises migrations across processes.
MIGRATION_LOCK = 7_315_001


class Command(BaseCommand):
    help = "Wait for the database to accept connections (and with --migrate, apply migrations one process at a time)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=60, help="Give up after this many seconds (default 60).")
        parser.add_argument("--migrate", action="store_true", help="Then apply migrations.")

    def handle(self, *args, timeout, migrate, **options):
        deadline = time.monotonic() + timeout
        while True:
            try:
                connection.ensure_connection()
                break
            except OperationalError as exc:
                if time.monotonic() >= deadline:
                    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                    raise CommandError(f"the database did not answer within {timeout:g} s: {reason}") from exc
                time.sleep(1)
        self.stdout.write(f"database {connection.vendor} is up")
        if not migrate:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
                try:
                    call_command("migrate", interactive=False, verbosity=options["verbosity"])
                finally:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
        else:
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
