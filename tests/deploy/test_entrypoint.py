"""The production roles, started as a deployment starts them: deploy/entrypoint.sh with a runtime-only install.

Docker images cannot be pulled here, so this runs what the image runs: the entrypoint for web
(gunicorn), worker and beat, with DEBUG off, against the machine's PostgreSQL (a fresh database)
and Redis, using the interpreter of a virtualenv made from requirements.txt alone
(`make install-runtime VENV=.venv-runtime`; .ci/run makes it). It checks the site, a message the
worker sends, beat's mark and /healthz through them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from ..conftest import require_service
from ..smtp import SmtpServer, free_port

ROOT = Path(settings.BASE_DIR)
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"
RUNTIME_VENV = Path(os.environ.get("RUNTIME_VENV", ROOT / ".venv-runtime"))
MAX_RUNTIME_MB = 300


def wait_until(predicate: Callable[[], object], *, timeout: float, what: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s: {what()}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def runtime_python() -> Path:
    python = RUNTIME_VENV / "bin" / "python"
    why = f"{python} is missing (make install-runtime VENV=.venv-runtime)"
    require_service("a runtime-only virtualenv", python.exists(), why)
    return python


def test_the_runtime_install_is_small_and_holds_no_dev_tools(runtime_python):
    size_mb = int(subprocess.run(["du", "-sm", str(RUNTIME_VENV)], capture_output=True, text=True, check=True).stdout.split()[0])
    print(f"runtime install: {size_mb} MB in {RUNTIME_VENV}")
    assert size_mb < MAX_RUNTIME_MB
    for tool in ("pytest", "playwright", "mypy", "faker", "schemathesis"):
        found = subprocess.run([runtime_python, "-c", f"import {tool}"], capture_output=True)
        assert found.returncode != 0, f"{tool} is in the runtime install"


@pytest.fixture
def deploy_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the machine's server, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    require_service("PostgreSQL", url.startswith("postgres"), "DATABASE_URL is not a PostgreSQL URL")
    import psycopg

    name = f"deploy_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Role:
    """One process started through the entrypoint, in its own process group, logging to a file."""

    def __init__(self, role: str, *args: str, env: dict[str, str], log: Path) -> None:
        self.log = log
        self._file = log.open("wb")
        self.process = subprocess.Popen(
            [str(ENTRYPOINT), role, *args], cwd=ROOT, env=env, stdout=self._file, stderr=subprocess.STDOUT, start_new_session=True
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._file.close()


def _get(url: str, accept: str = "text/html") -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept": accept})  # noqa: S310 - our own server on loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own server on loopback
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)
    except OSError:
        return 0, "", {}


def test_web_worker_and_beat_start_from_the_entrypoint_and_healthz_is_green(runtime_python, deploy_database, redis_url, tmp_path):
    smtp = SmtpServer().start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHON": str(runtime_python),
        "ENV_FILE": "",
        "DEBUG": "false",
        "SECRET_KEY": "deploy-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": deploy_database,
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": base,
        "SECURE_COOKIES": "false",
        "EMAIL_URL": smtp.url,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "WORKER_CONCURRENCY": "1",
        "BEAT_SCHEDULE_FILE": str(tmp_path / "celerybeat-schedule"),
        "DELIVERY_MAX_PER_MINUTE_PER_ADDRESS": "0",
    }
    roles: list[Role] = []
    try:
        web = Role("web", env=env, log=tmp_path / "web.log")
        roles.append(web)
        # A first start without collected files compresses some 40 MB of them: minutes on a busy machine.
        wait_until(lambda: _get(f"{base}/")[0] == 200 or not web.alive(), timeout=600, what=web.output)
        assert web.alive(), web.output()

        worker = Role("worker", env=env, log=tmp_path / "worker.log")
        beat = Role("beat", env=env, log=tmp_path / "beat.log")
        roles += [worker, beat]
        seeded = subprocess.run(
            [str(ENTRYPOINT), "manage", "load_seeds"], cwd=ROOT, env={**env, "MIGRATE": "0"}, capture_output=True, text=True
        )
        assert seeded.returncode == 0, seeded.stdout + seeded.stderr

        # The site, with DEBUG off: pages, hashed static files through WhiteNoise, its own 404.
        status, page, _ = _get(f"{base}/")
        assert status == 200
        assert "Foundry workers fight for nationalisation" in page
        stylesheet = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        assert stylesheet != "/static/campaigns/site.css"  # collected, hashed
        status, css, headers = _get(base + stylesheet, accept="text/css")
        assert status == 200 and css
        assert "immutable" in headers.get("Cache-Control", "")
        status, missing, _ = _get(f"{base}/no-such-page/")
        assert status == 404 and "Page not found" in missing
        status, api, _ = _get(f"{base}/api/v1/campaigns/", accept="application/json")
        assert status == 200 and json.loads(api)["count"] == 2

        # The worker: a message queued by the site's service goes out through SMTP.
        queue = (
            "from campaigns.services.delivery import delivery_queue; "
            "delivery_queue(to=['target@example.org'], subject='Deployment check', body='Sent by the worker.')"
        )
        command = [str(ENTRYPOINT), "manage", "shell", "-c", queue]
        queued = subprocess.run(command, cwd=ROOT, env={**env, "MIGRATE": "0"}, capture_output=True, text=True)
        assert queued.returncode == 0, queued.stdout + queued.stderr
        wait_until(
            lambda: any(m.subject == "Deployment check" for m in smtp.messages),
            timeout=180,
            what=lambda: "the worker sent nothing:\n" + worker.output(),
        )

        # Beat marks its runs; /healthz is green once every check passes.
        def healthz() -> dict:
            status, body, _ = _get(f"{base}/healthz/?format=json", accept="application/json")
            return json.loads(body) if body.startswith("{") else {"status": status}

        wait_until(
            lambda: healthz() and all(v == "OK" for v in healthz().values()),
            timeout=180,
            what=lambda: f"/healthz: {healthz()}\nbeat:\n{beat.output()}",
        )
        checks = healthz()
        assert any(k.startswith("BeatLastRun") for k in checks), checks
        assert any(k.startswith("OutboxQueue") for k in checks), checks
        assert any(k.startswith("Redis") for k in checks), checks
        assert all(role.alive() for role in roles), [r.output() for r in roles if not r.alive()]
    finally:
        for role in roles:
            role.stop()
        smtp.stop()


def test_an_unknown_role_is_one_readable_line(runtime_python):
    result = subprocess.run([str(ENTRYPOINT), "sing"], cwd=ROOT, env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert result.returncode == 64
    assert result.stderr.strip() == "entrypoint: unknown role 'sing' (web, worker, beat, migrate or manage ...)"
