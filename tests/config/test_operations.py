"""Operations settings: Sentry only when SENTRY_DSN is set, JSON logs on request, ADMINS from the environment."""

import json
import os
import subprocess
import sys

from django.conf import settings


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("SENTRY_DSN", "LOG_FORMAT", "ADMINS", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false", "ENV_FILE": "", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_sentry_is_not_even_imported_without_a_dsn():
    result = _run("import sys; print('sentry_sdk' in sys.modules)")
    assert result.stdout.strip() == "False", result.stderr


def test_sentry_is_initialised_with_a_dsn_and_sends_no_personal_data():
    code = "import sentry_sdk; c = sentry_sdk.get_client(); print(c.is_active(), c.options['send_default_pii'])"
    result = _run(code, SENTRY_DSN="https://public@127.0.0.1:9/1")
    assert result.stdout.split() == ["True", "False"], result.stderr


def test_json_logs_are_one_object_a_line():
    result = _run("import logging; logging.getLogger('campaigns').warning('queue %s is deep', 'celery')", LOG_FORMAT="json")
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["message"] == "queue celery is deep"
    assert record["level"] == "WARNING" and record["logger"] == "campaigns"


def test_a_bad_log_format_or_admin_is_refused_with_one_line():
    assert "LOG_FORMAT must be text or json" in _run("", LOG_FORMAT="xml").stderr
    assert "ADMINS must be" in _run("", ADMINS="nobody").stderr


def test_admins_come_from_the_environment():
    result = _run("from django.conf import settings as s; print(s.ADMINS)", ADMINS="Ops Team <ops@example.org>,b@example.org")
    assert result.stdout.strip() == "[('Ops Team', 'ops@example.org'), ('', 'b@example.org')]", result.stderr
