"""Shared plumbing for our commands: one readable error line and a non-zero exit, never a traceback."""

from django.core.management.base import BaseCommand, CommandError

from ...documents.validation import DocumentError


class DocumentCommand(BaseCommand):
    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except DocumentError as exc:
            raise CommandError(f"refused, nothing was written: {exc}") from exc
