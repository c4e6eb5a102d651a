"""System checks for a deployment (`manage.py check --deploy`): what would make production misbehave."""

from __future__ import annotations

from django.core.checks import Tags, Warning, register


@register(Tags.staticfiles, deploy=True)
def static_files_collected(app_configs, **kwargs):
    from django.contrib.staticfiles.storage import staticfiles_storage

    if getattr(staticfiles_storage, "collected", True):
        return []
    return [
        Warning(
            "collectstatic has not run: static files are served unhashed from the apps, without long-lived caching.",
            hint="Run `python manage.py collectstatic --no-input` (the Docker image and the entrypoint do).",
            id="campaigns.W001",
        )
    ]
