"""Benchmark: in-process extraction time of appeal import on a 3-page appeal (goal: median <= 100 ms).

The appeal is the two seed appeals (an appeal with its contact blocks and a federation's letter)
repeated to about three pages (~9,000 characters), read as pasted text. It times, in one run and
side by side, the whole draft (`draft_from_source`), the party reading alone, and a baseline of one
pass of the e-mail and number regexes over the same text, and prints medians and the ratio to the
baseline. The first draft (which compiles the lexicon) is timed apart. It measures; it asserts nothing.

Every run is cold: the per-text caches of campaigns.appeals (sentences, dates, channels of a line ...)
are emptied before it, as for an appeal the process has never seen. Beside the wall-clock median it
prints the CPU-time median (time.process_time): on a shared, loaded machine the wall clock mostly
measures the wait for a core, the CPU time what extraction costs.

    .venv/bin/python benchmarks/appeal_import.py [--runs 30] [--pages 3]
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import pkgutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from campaigns.appeals.channels import EMAIL, NUMBER_LABELLED
from campaigns.appeals.draft import draft_from_source
from campaigns.appeals.organisations import find_organisations
from campaigns.appeals.parties import find_parties
from campaigns.appeals.reading import source_from_text
from campaigns.appeals.text import paragraphs

PAGE = 3000  # characters on a printed page of an appeal


def appeal(pages: int) -> str:
    names = ("000_5746010bd4fc8c14.txt", "004_8067bee6afad8926.txt")
    seeds = [(ROOT / "seeds" / name).read_text(encoding="utf-8") for name in names]
    text = "\n\n".join(seeds)
    while len(text) < pages * PAGE:
        text += "\n\n" + seeds[0]
    return text[: pages * PAGE]


def value_caches() -> list:
    """The memoised functions of campaigns.appeals that take arguments (compiled lexicons and patterns stay)."""
    import campaigns.appeals as package

    found = []
    for info in pkgutil.walk_packages(package.__path__, "campaigns.appeals."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            memoised = hasattr(value, "cache_clear") and getattr(value, "__module__", "") == info.name
            if memoised and inspect.signature(value).parameters:
                found.append(value)
    return found


def timed(function, runs: int, caches: list) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(runs):
        for cache in caches:
            cache.cache_clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pages", type=int, default=3)
    args = parser.parse_args()
    text = appeal(args.pages)
    start = time.perf_counter()
    draft_from_source(source_from_text(text))
    first = (time.perf_counter() - start) * 1000

    def whole():
        draft_from_source(source_from_text(text))

    def parties():
        registry = find_organisations(text, paragraphs(text))
        find_parties(text, registry=registry, country="", issuer_name="")

    def baseline():
        list(EMAIL.finditer(text))
        list(NUMBER_LABELLED.finditer(text))

    caches = value_caches()
    rows = [
        ("draft (whole extraction)", *timed(whole, args.runs, caches)),
        ("parties alone", *timed(parties, args.runs, caches)),
    ]
    base, base_cpu = timed(baseline, args.runs, caches)
    base_median = statistics.median(base)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"appeal: {len(text):,} characters (~{len(text) / PAGE:.1f} pages), {args.runs} cold runs; "
        f"first draft {first:.1f} ms; load average {load:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'what':<28} {'median ms':>10} {'p90 ms':>8} {'CPU ms':>8} {'x baseline':>11}")
    for name, values, cpu in [*rows, ("baseline: e-mail+number scan", base, base_cpu)]:
        median = statistics.median(values)
        p90 = sorted(values)[int(len(values) * 0.9) - 1]
        print(f"{name:<28} {median:>10.1f} {p90:>8.1f} {statistics.median(cpu):>8.1f} {median / base_median:>11.1f}")


if __name__ == "__main__":
    main()
