"""The dependency declarations and their locks agree: pyproject.toml says what runs, the locks pin it."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_ONLY = {"pytest", "pytest-django", "playwright", "mypy", "schemathesis", "hypothesis", "faker", "factory-boy", "ruff"}


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pins(lock: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / lock).read_text().splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, version = line.split("==", 1)
            pins[_name(name)] = version.split()[0]
    return pins


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_every_declared_dependency_is_pinned_in_its_lock():
    runtime, dev = _pins("requirements.txt"), _pins("requirements-dev.txt")
    assert {_name(r) for r in _project()["dependencies"]} <= runtime.keys()
    assert {_name(r) for r in _project()["optional-dependencies"]["dev"]} <= dev.keys()


def test_the_dev_lock_keeps_the_runtime_pins():
    runtime, dev = _pins("requirements.txt"), _pins("requirements-dev.txt")
    assert {name: dev.get(name) for name in runtime} == runtime


def test_the_runtime_lock_has_no_test_or_lint_tools():
    assert not DEV_ONLY & _pins("requirements.txt").keys()
    # phonenumberslite: the same module without 40 MB of geocoder data the project never reads.
    assert "phonenumbers" not in _pins("requirements-dev.txt")
