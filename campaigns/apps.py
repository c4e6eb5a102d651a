"""App configuration for campaigns."""

from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns"

    def ready(self) -> None:
        # Register the tasks in every process (web, commands, workers): services publish them by name
        # (services/delivery.py), so that they need not import campaigns.tasks, which imports them.
        from . import tasks  # noqa: F401
        from . import checks  # noqa: F401 - registers the deploy checks
