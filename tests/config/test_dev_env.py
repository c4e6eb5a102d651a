"""`make run`'s .env: written once with DEBUG on and a fresh key, SITE_URL following the port, others' files left alone."""

import os
import subprocess
import sys

from django.conf import settings

from config.dev_env import MARKER, dev_env_write


def _values(path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line and not line.startswith("#"))


def test_first_run_writes_debug_a_generated_key_and_the_site_url(tmp_path):
    path = tmp_path / ".env"
    dev_env_write(path=path, site_url="http://127.0.0.1:8000")
    values = _values(path)
    assert values["DEBUG"] == "true"
    assert len(values["SECRET_KEY"]) >= 50
    assert values["SITE_URL"] == "http://127.0.0.1:8000"
    other = tmp_path / "other.env"
    dev_env_write(path=other, site_url="http://127.0.0.1:8000")
    assert _values(other)["SECRET_KEY"] != values["SECRET_KEY"]


def test_another_port_moves_the_site_url_and_keeps_the_key(tmp_path):
    path = tmp_path / ".env"
    dev_env_write(path=path, site_url="http://127.0.0.1:8000")
    key = _values(path)["SECRET_KEY"]
    dev_env_write(path=path, site_url="http://127.0.0.1:8001")
    assert _values(path) == {"DEBUG": "true", "SECRET_KEY": key, "SITE_URL": "http://127.0.0.1:8001"}


def test_a_env_file_make_run_did_not_write_is_never_touched(tmp_path):
    path = tmp_path / ".env"
    path.write_text("DEBUG=false\nSECRET_KEY=production-key\n")
    assert "did not write" in dev_env_write(path=path, site_url="http://127.0.0.1:8001")
    assert path.read_text() == "DEBUG=false\nSECRET_KEY=production-key\n"
    assert not path.read_text().startswith(MARKER)


def test_manage_py_works_with_nothing_set_once_the_dev_env_exists(tmp_path):
    path = tmp_path / ".env"
    dev_env_write(path=path, site_url="http://127.0.0.1:8001")
    unset = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "SITE_URL", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["ENV_FILE"] = str(path)
    show = "from django.conf import settings as s; print(s.DEBUG, s.SITE_URL, s.DATABASES['default']['ENGINE'])"
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", show],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "http://127.0.0.1:8001", "django.db.backends.sqlite3"]
    # Without it, production still refuses to start.
    env["ENV_FILE"] = ""
    refused = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert refused.returncode != 0
    assert "SECRET_KEY must be set" in refused.stderr
