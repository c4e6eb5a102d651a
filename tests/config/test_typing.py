"""mypy --strict holds the services, selectors, the document, the registries and appeals/ (pyproject.toml, run by CI)."""

import tomllib
from pathlib import Path

STRICT = {
    "disallow_untyped_defs",
    "disallow_incomplete_defs",
    "disallow_untyped_calls",
    "disallow_untyped_decorators",
    "disallow_any_generics",
    "disallow_subclassing_any",
    "warn_return_any",
    "warn_unused_ignores",
    "no_implicit_reexport",
    "strict_equality",
    "extra_checks",
}
MODULES = {
    "campaigns.services.*",
    "campaigns.selectors.*",
    "campaigns.documents.*",
    "campaigns.kinds",
    "campaigns.rules",
    "campaigns.appeals",
    "campaigns.appeals.*",
}


def test_the_strict_modules_have_every_strict_flag():
    config = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    overrides = config["tool"]["mypy"]["overrides"]
    strict = [o for o in overrides if set(o["module"]) >= MODULES]
    assert len(strict) == 1
    assert {flag for flag in STRICT if strict[0].get(flag) is True} == STRICT
    # The one exception, and why, is written beside it: DRF has no types.
    loosened = [o for o in overrides if o is not strict[0]]
    assert all(
        set(o) - {"module"} <= {"disallow_subclassing_any"}
        for o in loosened
        if set(o["module"]) & {"campaigns.documents.validation"}
    )
