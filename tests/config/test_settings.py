"""CI must exercise the production services, not the embedded fallbacks."""

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_database_is_postgresql_in_ci(postgresql):
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        assert "PostgreSQL" in cursor.fetchone()[0]


def test_redis_is_broker_and_cache_when_configured(redis_url, settings):
    assert redis_url == settings.CELERY_BROKER_URL
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    from django.core.cache import cache

    cache.set("ping", "pong", 5)
    assert cache.get("ping") == "pong"


def test_celery_tasks_run_in_process_without_redis(monkeypatch):
    import subprocess
    import sys

    env = {k: v for k, v in __import__("os").environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER, s.DATABASES['default']['ENGINE'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert out.stdout.split() == ["True", "django.db.backends.sqlite3"]
