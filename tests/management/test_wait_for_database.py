"""wait_for_database: returns once the database answers, migrates under a lock, gives up with one line."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

from ..smtp import free_port


@pytest.mark.django_db
def test_returns_when_the_database_answers_and_migrates(capsys):
    call_command("wait_for_database", "--timeout", "5", "--migrate", verbosity=0)
    assert "is up" in capsys.readouterr().out


def test_gives_up_with_one_readable_line():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = f"postgres://nobody@127.0.0.1:{free_port()}/nothing"
    result = subprocess.run(
        [sys.executable, "manage.py", "wait_for_database", "--timeout", "1"],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings_test"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("CommandError: the database did not answer within 1 s:")
    assert len(result.stderr.strip().splitlines()) == 1
