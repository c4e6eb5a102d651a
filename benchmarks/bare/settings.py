"""Settings for the bare baseline: no middleware, one app, persistent connections (benchmarks/intake.py)."""

import os

import environ

env = environ.Env()

DEBUG = False
SECRET_KEY = "bare-benchmark-only-not-a-secret-0123456789"  # noqa: S105 - serves a benchmark on loopback
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["benchmarks.bare"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "benchmarks.bare.urls"
DATABASES = {"default": env.db("DATABASE_URL")}
# Persistent connections, checked before reuse (BARE_CONN_MAX_AGE=0 gives a new connection per request).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("BARE_CONN_MAX_AGE", "600"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
