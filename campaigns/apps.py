"""App configuration for campaigns."""

from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns"

    def ready(self) -> None:
        # Register the tasks in every process (web, commands, workers): services publish them by name
        # (services/delivery.py), so that they need not import campaigns.tasks, which imports them.
        # checks registers the deployment checks.
        from . import checks, tasks  # noqa: F401
