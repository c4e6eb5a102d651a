"""The benchmark harnesses run end to end at a tiny scale: their figures are not checked, their working is."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parent.parent.parent


def _free_port_pair() -> int:
    """A port p with p + 1 free too (the harness serves the bare baseline on the next port)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        try:
            with socket.socket() as first, socket.socket() as second:
                first.bind(("127.0.0.1", port))
                second.bind(("127.0.0.1", port + 1))
        except OSError:
            continue
        return port
    raise RuntimeError("no two free ports in a row")


def _bench_database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        require_service("PostgreSQL", False, "the intake harness serves gunicorn against PostgreSQL")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}_intake_smoke"


def test_intake_harness_prints_the_side_by_side_table():
    require_service("wrk", shutil.which("wrk") is not None, "apt-get install -y wrk")
    env = {**os.environ, "DATABASE_URL": _bench_database_url()}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "benchmarks/intake.py", "--duration", "1", "--concurrency", "2", "--workers", "1"]
    command += ["--port", str(_free_port_pair())]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for scenario in ("bare", "api", "form"):
        assert f"| {scenario} | 2 |" in out, out
    assert "| errors |" in out and "ratio to bare" in out
    # Every scenario answered without errors, and both servers wrote rows.
    rows = [line.split("|") for line in out.splitlines() if line.startswith(("| bare ", "| api ", "| form "))]
    assert all(row[6].strip() == "0" for row in rows), out
    written = out.rsplit("rows written: ", 1)[1]
    assert "project 0," not in written.splitlines()[0] and not written.splitlines()[0].endswith("bare 0"), out
    assert "Overload: API at c=10 (5x)" in out, out
