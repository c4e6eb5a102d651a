"""Real processes for the fault tests: Celery workers (with beat), a private Redis, an SMTP server.

The workers run `celery -A config worker -B` with the production settings module against the test
database, so they and the test see the same rows. Redis is a private `redis-server` on a free port
(the machine's binary), because one test restarts it and the machine's Redis is shared; it keeps
nothing on disk, like the machine's. Everything is on 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.conftest import require_service
from tests.smtp import SmtpServer, free_port

FIGURES: list[str] = []

# Short clocks so a test sees a retry, a sweep and an expired lease in seconds. Their ratios keep
# the production invariants: lease > hard time limit, grace > the time a task takes to arrive.
WORKER_ENV = {
    "DELIVERY_MAX_PER_MINUTE_PER_ADDRESS": "0",
    "DELIVERY_SWEEP_SECONDS": "1",
    "DELIVERY_SWEEP_GRACE_SECONDS": "2",
    "TASK_SOFT_TIME_LIMIT": "4",
    "TASK_TIME_LIMIT": "5",
    "DELIVERY_SENDING_LEASE_SECONDS": "6",
    "DELIVERY_RETRY_BASE_SECONDS": "0.5",
    "DELIVERY_RETRY_MAX_SECONDS": "2",
    "DELIVERY_MAX_ATTEMPTS": "30",
    "EMAIL_TIMEOUT": "3",
}


def wait_until(predicate: Callable[[], object], *, timeout: float, what: str | Callable[[], str], interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"gave up after {timeout} s waiting for {what() if callable(what) else what}")


def report(line: str) -> None:
    """A measured figure: printed at the end of the run (and with -s, at once)."""
    FIGURES.append(line)
    print(line)


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("fault test figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


class PrivateRedis:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        import redis

        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_until(answers, timeout=10, what="redis-server to answer")
        return self

    def kill(self) -> None:
        """Like a crash or a restart of a Redis that keeps nothing on disk: every message is gone."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


class Worker:
    def __init__(self, *, name: str, env: dict[str, str], workdir: Path, concurrency: int) -> None:
        self.name = name
        self.log = workdir / f"{name}.log"
        self.concurrency = concurrency
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-B",
            "--schedule", str(workdir / f"{name}-beat-schedule"),
            "--concurrency", str(concurrency), "--loglevel", "INFO", "--hostname", f"{name}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        with self.log.open("w") as log:
            # Its own process group: SIGKILL reaches the main process, the pool and beat at once.
            self.process = subprocess.Popen(
                command, cwd=django_settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            wait_until(
                lambda: "ready." in self.log.read_text() or self.process.poll() is not None, timeout=60, what=f"{name} to start"
            )
        except AssertionError:
            self.kill()  # not yet in the fixture's list: nothing else would stop it
            raise
        if self.process.poll() is not None:
            raise AssertionError(f"worker {name} exited:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL, no warning: nothing is acknowledged, nothing is cleaned up."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def database_url(transactional_db) -> str:
    """The test database, committed rows and all, as a URL a worker process can open."""
    require_service("PostgreSQL", connection.vendor == "postgresql", f"DATABASE_URL gives {connection.vendor}")
    s = connection.settings_dict
    credentials = quote(s["USER"] or "", safe="") + (":" + quote(s["PASSWORD"], safe="") if s["PASSWORD"] else "")
    return f"postgres://{credentials}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def redis_server(tmp_path) -> Iterator[PrivateRedis]:
    require_service("redis-server", shutil.which("redis-server") is not None, "no redis-server binary on PATH")
    server = PrivateRedis(tmp_path).start()
    yield server
    server.kill()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def _reset_publisher(app) -> None:
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(redis_server):
    """This process publishes to the private Redis, as the web process does in production."""
    from config.celery_app import app

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = redis_server.url, False
    _reset_publisher(app)
    yield redis_server
    app.conf.broker_url, app.conf.task_always_eager = saved
    _reset_publisher(app)


@pytest.fixture
def start_worker(database_url, broker, smtp_server, tmp_path, settings) -> Iterator[Callable[..., Worker]]:
    """start_worker(**env overrides) -> a running worker; all are stopped before the database is flushed."""
    settings.DELIVERY_MAX_PER_MINUTE_PER_ADDRESS = 0  # this process takes slots as the workers do
    workers: list[Worker] = []
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE")}

    def start(concurrency: int = 2, **overrides: str) -> Worker:
        env = {
            **base,
            **WORKER_ENV,
            **overrides,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": "worker-test-secret-key-0123456789-abcdefghijklmnop",
            "DATABASE_URL": database_url,
            "REDIS_URL": broker.url,
            "EMAIL_URL": smtp_server.url,
            "LOG_LEVEL": "INFO",
        }
        worker = Worker(name=f"w{len(workers) + 1}", env=env, workdir=tmp_path, concurrency=concurrency)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
        # Shown by pytest only when the test failed: what the worker saw.
        print(f"--- {worker.name} log (last 200 lines) ---")
        print("\n".join(worker.log.read_text().splitlines()[-200:]))
