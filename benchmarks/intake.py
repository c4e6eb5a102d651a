"""Benchmark: action intake over HTTP, side by side with a bare Django insert, in one run.

Starts gunicorn (sync workers) twice on loopback: the project (config.wsgi, with the environment's
Redis as cache and broker, as deployed) and the bare baseline (benchmarks/bare: a view inserting
one 10-column row from a JSON body, no middleware, persistent connections). Then drives each with
wrk at every concurrency, in turn, and prints actions/s, p50/p99 latency, worker CPU per request
and the ratio project/bare. Every request is a new supporter, so none is a repeat. It measures;
it asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h12bench REDIS_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python benchmarks/intake.py --duration 10 --concurrency 8,32,128

The database is created if missing, migrated and emptied of actions first: give it one of its own,
never production. Needs `wrk` (Debian package) and PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent
SLUG = "benchmark-intake"

SCENARIOS = {
    # name: (server, wrk mode, path)
    "bare": ("bare", "json", "/insert/"),
    "api": ("project", "json", "/api/v1/actions/"),
    "form": ("project", "form", f"/c/{SLUG}/record/"),
}


@dataclass
class Result:
    scenario: str
    concurrency: int
    ok_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    cpu_ms_per_request: float


def database_ensure(url: str) -> None:
    """Create the database named in `url` if it does not exist."""
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit("benchmarks/intake.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    params = {"host": config["HOST"] or "127.0.0.1", "port": config["PORT"] or 5432, "user": config["USER"]}
    if config["PASSWORD"]:
        params["password"] = config["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def prepare() -> tuple[int, int]:
    """Migrate, empty last run's rows, and make the campaign; returns (campaign id, target id)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.bare.models import CREATE_TABLE
    from campaigns import models as m

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
        tables = [
            m.Action._meta.db_table,
            m.ActionTally._meta.db_table,
            m.Supporter._meta.db_table,
            m.IdempotencyKey._meta.db_table,
            m.Delivery._meta.db_table,
            "bench_bare_action",
        ]
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    owner, _ = m.Organisation.objects.get_or_create(name="Benchmark Federation")
    campaign, _ = m.Campaign.objects.update_or_create(
        slug=SLUG, defaults={"title": "Benchmark intake", "status": "active", "owner": owner, "country": "KZ"}
    )
    target = m.Target.objects.filter(campaign=campaign).first() or m.Target.objects.create(
        campaign=campaign, name="The Ministry", position=0
    )
    m.Channel.objects.get_or_create(target=target, kind="email", defaults={"value": "ministry@bench.example"})
    connection.close()
    return campaign.pk, target.pk


def rows_count() -> dict[str, int]:
    from django.db import connection

    from campaigns import models as m

    counts = {"project": m.Action.objects.filter(campaign__slug=SLUG).count()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_bare_action")
        counts["bare"] = cursor.fetchone()[0]
    connection.close()
    return counts


class Server:
    """A gunicorn on loopback; `cpu_seconds` sums its workers' user+system time."""

    def __init__(self, *, app: str, port: int, workers: int, env: dict[str, str], threads: int = 0):
        self.port = port
        log = open(HERE / f".gunicorn-{port}.log", "w")  # noqa: SIM115 - closed with the server
        self.log = log
        command = [sys.executable, "-m", "gunicorn", app, "-w", str(workers), "-b", f"127.0.0.1:{port}"]
        command += ["--worker-class", "gthread", "--threads", str(threads)] if threads else ["--worker-class", "sync"]
        command += ["--timeout", "30", "--backlog", "2048"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    def wait(self, path: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn on port {self.port} exited: see {self.log.name}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2)
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                time.sleep(0.2)
        sys.exit(f"gunicorn on port {self.port} did not answer in {timeout:.0f} s: see {self.log.name}")

    def cpu_seconds(self) -> float:
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        for pid in children.read_text().split() if children.exists() else []:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def wrk(
    *, port: int, path: str, mode: str, concurrency: int, duration: float, target: int, csrf: str, timeout: str = "10s"
) -> dict:
    command = ["wrk", "-t", str(min(2, concurrency)), "-c", str(concurrency), "-d", f"{duration:g}s", "--latency"]
    command += ["--timeout", timeout, "-s", str(HERE / "post.lua"), f"http://127.0.0.1:{port}{path}"]
    command += ["--", mode, path, SLUG, str(target), csrf]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    requests, elapsed = re.search(r"(\d+) requests in ([\d.]+(?:us|ms|s|m))", out).groups()  # type: ignore[union-attr]
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failures = errors + (sum(int(g) for g in socket.groups()) if socket else 0)
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)\s*$", out, re.MULTILINE))
    if "50" not in percentiles or "99" not in percentiles:
        sys.exit(f"could not read wrk's output:\n{out}")
    statuses = {int(code): int(n) for code, n in re.findall(r"^status (\d+): (\d+)$", out, re.MULTILINE)}
    timeouts = int(socket.group(4)) if socket else 0
    return {
        "statuses": statuses,
        "timeouts": timeouts,
        "requests": int(requests),
        "seconds": _ms(elapsed) / 1000,
        "failures": failures,
        "p50": _ms(percentiles["50"]),
        "p99": _ms(percentiles["99"]),
        "raw": out,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per measurement (default 10)")
    parser.add_argument("--concurrency", default="8,32,128", help="comma-separated wrk connections (default 8,32,128)")
    parser.add_argument("--scenarios", default="bare,api,form", help=f"comma-separated, of {', '.join(SCENARIOS)}")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server (default 2)")
    parser.add_argument("--port", type=int, default=8120, help="the project's port; the bare one is the next")
    parser.add_argument("--verbose", action="store_true", help="print wrk's own output too")
    parser.add_argument(
        "--overload",
        type=int,
        default=5,
        help="then drive the API at this many times the highest concurrency, against a threaded server "
        "(gthread, 16 threads a worker) with the intake limit, for 1 s client time-outs (0: skip; default 5)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("benchmarks/intake.py needs wrk: apt-get install -y wrk")
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("set DATABASE_URL=postgres://... to a database of the benchmark's own (it is emptied)")
    database_ensure(database_url)
    _, target = prepare()
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    levels = [int(c) for c in args.concurrency.split(",")]
    csrf = secrets.token_hex(16)  # a 32-character CSRF secret, sent as both the cookie and the form field

    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
    project_env = {**base, "DJANGO_SETTINGS_MODULE": "config.settings", "API_SUPPORTER_ACTIONS_RATE": "1000000/s"}
    # The write path, not the abuse limits (tests/test_security_limits.py), is what this measures.
    project_env |= {"ACTIONS_RATE_PER_CAMPAIGN": "1000000/s", "FORM_MIN_FILL_SECONDS": "0"}
    project_env["LOG_LEVEL"] = "WARNING"
    bare_env = {**base, "DJANGO_SETTINGS_MODULE": "benchmarks.bare.settings"}
    servers: dict[str, Server] = {}
    try:
        if any(SCENARIOS[s][0] == "project" for s in scenarios):
            servers["project"] = Server(app="config.wsgi", port=args.port, workers=args.workers, env=project_env)
            servers["project"].wait("/api/v1/")
        if "bare" in scenarios:
            servers["bare"] = Server(app="benchmarks.bare.wsgi", port=args.port + 1, workers=args.workers, env=bare_env)
            servers["bare"].wait("/insert/")
        results: list[Result] = []
        for concurrency in levels:
            for name in scenarios:
                server_name, mode, path = SCENARIOS[name]
                server = servers[server_name]
                cpu = server.cpu_seconds()
                out = wrk(
                    port=server.port,
                    path=path,
                    mode=mode,
                    concurrency=concurrency,
                    duration=args.duration,
                    target=target,
                    csrf=csrf,
                )
                cpu = server.cpu_seconds() - cpu
                if args.verbose:
                    print(out["raw"])
                ok = max(0, out["requests"] - out["failures"])
                results.append(
                    Result(
                        scenario=name,
                        concurrency=concurrency,
                        ok_per_second=ok / out["seconds"],
                        p50_ms=out["p50"],
                        p99_ms=out["p99"],
                        requests=out["requests"],
                        errors=out["failures"],
                        cpu_ms_per_request=1000 * cpu / max(1, out["requests"]),
                    )
                )
                print(
                    f"  {name:5} c={concurrency:<4} {ok / out['seconds']:8.0f}/s  p50 {out['p50']:7.1f} ms  "
                    f"p99 {out['p99']:7.1f} ms  errors {out['failures']}",
                    flush=True,
                )
        if args.overload:
            for server in servers.values():
                server.stop()
            servers.clear()
            overload = overload_run(args=args, env=project_env, target=target, csrf=csrf, concurrency=args.overload * max(levels))
    finally:
        for server in servers.values():
            server.stop()
    report(results, workers=args.workers, duration=args.duration)
    counts = rows_count()
    print(f"\nrows written: project {counts['project']}, bare {counts['bare']}")
    if args.overload:
        print(overload)


def overload_run(*, args, env: dict[str, str], target: int, csrf: str, concurrency: int) -> str:
    """The API at `concurrency` connections whose clients give up after 1 s; what was answered against what was recorded."""
    limit = int(env.get("INTAKE_MAX_CONCURRENT", "2"))
    threaded = {**env, "INTAKE_MAX_CONCURRENT": str(limit)}
    server = Server(app="config.wsgi", port=args.port + 2, workers=args.workers, env=threaded, threads=16)
    try:
        server.wait("/api/v1/")
        before = rows_count()["project"]
        out = wrk(
            port=server.port,
            path=SCENARIOS["api"][2],
            mode="json",
            concurrency=concurrency,
            duration=args.duration,
            target=target,
            csrf=csrf,
            timeout="1s",
        )
        time.sleep(2)  # what was in flight when wrk stopped finishes
    finally:
        server.stop()
    recorded = rows_count()["project"] - before
    statuses = out["statuses"]
    ok = sum(n for code, n in statuses.items() if 200 <= code < 300)
    other = {code: n for code, n in statuses.items() if not (200 <= code < 300 or code in (429, 503))}
    in_flight = args.workers * limit
    return (
        f"\nOverload: API at c={concurrency} ({args.overload}x), gthread {args.workers}x16 threads, "
        f"INTAKE_MAX_CONCURRENT={limit}, clients give up after 1 s\n"
        f"| answers | 2xx | 503 | 429 | other | client time-outs | p99 ms | recorded | answered 2xx but not recorded (lost) "
        f"| recorded but unanswered (at most {in_flight} in flight when wrk stopped) |\n"
        f"|---|---|---|---|---|---|---|---|---|---|\n"
        f"| {sum(statuses.values())} | {ok} | {statuses.get(503, 0)} | {statuses.get(429, 0)} | {sum(other.values())} | "
        f"{out['timeouts']} | {out['p99']:.0f} | {recorded} | {max(0, ok - recorded)} | {max(0, recorded - ok)} |"
    )


def report(results: list[Result], *, workers: int, duration: float) -> None:
    bare = {r.concurrency: r for r in results if r.scenario == "bare"}
    print(f"\nIntake, gunicorn {workers} sync workers each, wrk {duration:g} s per row ({os.cpu_count()} cores)\n")
    print("| scenario | c | ok/s | p50 ms | p99 ms | errors | worker CPU ms/req | ratio to bare |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        base = bare.get(r.concurrency)
        ratio = f"{r.ok_per_second / base.ok_per_second:.2f}" if base and base.ok_per_second and r.scenario != "bare" else ""
        print(
            f"| {r.scenario} | {r.concurrency} | {r.ok_per_second:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{r.errors} | {r.cpu_ms_per_request:.1f} | {ratio} |"
        )


if __name__ == "__main__":
    main()
