"""Run the beat schedule's tasks once, in this process: for the embedded default, which has no beat."""

from django.core.management.base import BaseCommand, CommandError

from config.celery_app import app, beat_schedule


class Command(BaseCommand):
    help = (
        "Run scheduled tasks once, now (all, or the NAMEs given): the outbox sweep that retries mail, "
        "reminders, escalations, digests. With Redis, celery beat does this; without it, run this from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", metavar="NAME")

    def handle(self, *args, names, **options):
        schedule = beat_schedule()
        unknown = [name for name in names if name not in schedule]
        if unknown:
            raise CommandError(f"no scheduled task named {', '.join(unknown)}; there are: {', '.join(schedule)}")
        app.loader.import_default_modules()  # the tasks modules, as a worker would find them
        for name in names or schedule:
            result = app.tasks[schedule[name]["task"]].apply(throw=True).get()
            self.stdout.write(f"{name}: {result}")
