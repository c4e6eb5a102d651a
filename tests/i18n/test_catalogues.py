"""The shipped catalogues are whole: every string in the code, translated, nothing fuzzy, each .po compiles.

A new string (a `{% translate %}`, a `gettext`) fails here until `make messages` has put it in every
catalogue and someone has translated it: the message lists what is missing, per language.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from ..conftest import require_service

ROOT = Path(__file__).resolve().parent.parent.parent
LOCALE = ROOT / "campaigns" / "locale"
SOURCE = "en"  # the msgids are the English text
SHIPPED = [code for code, _name in settings.LANGUAGES if code != SOURCE]


def _catalogue(code: str) -> Path:
    return LOCALE / code / "LC_MESSAGES" / "django.po"


def _key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def _shown(keys) -> str:
    return "\n".join(f"    {key.replace(chr(4), ' | ')!r}" for key in sorted(keys))


def _needs_gettext() -> None:
    require_service("GNU gettext", shutil.which("msgfmt") is not None, "msgfmt is not installed (apt-get install gettext)")


def test_the_source_language_is_english_and_every_other_one_ships_a_catalogue():
    assert settings.LANGUAGE_CODE == SOURCE
    assert {"es", "fr", "de", "pt", "ru", "tr"} <= set(SHIPPED)
    missing = [code for code in SHIPPED if not _catalogue(code).is_file()]
    assert not missing, f"no catalogue for {missing}: run `make messages`"


@pytest.mark.parametrize("code", SHIPPED)
def test_the_catalogue_compiles(code):
    _needs_gettext()
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(_catalogue(code))], capture_output=True, text=True
    )
    assert result.returncode == 0, f"{code}: msgfmt --check refuses {_catalogue(code).relative_to(ROOT)}:\n{result.stderr}"


def test_every_message_is_translated_and_none_is_fuzzy():
    problems = []
    for code in SHIPPED:
        po = polib.pofile(str(_catalogue(code)))
        entries = [e for e in po if not e.obsolete]
        untranslated = [_key(e) for e in entries if not e.translated() and "fuzzy" not in e.flags]
        fuzzy = [_key(e) for e in entries if "fuzzy" in e.flags]
        if untranslated:
            problems.append(f"{code}: {len(untranslated)} untranslated:\n{_shown(untranslated)}")
        if fuzzy:
            problems.append(f"{code}: {len(fuzzy)} fuzzy (check the translation, then drop the fuzzy flag):\n{_shown(fuzzy)}")
    assert not problems, "translate these in campaigns/locale/<lang>/LC_MESSAGES/django.po:\n" + "\n".join(problems)


def test_plural_forms_fit_the_language():
    # Russian has three forms (one, few, many), the others two; a wrong header miscounts every plural.
    expected = {"ru": 3}
    for code in SHIPPED:
        po = polib.pofile(str(_catalogue(code)))
        header = po.metadata.get("Plural-Forms", "")
        assert f"nplurals={expected.get(code, 2)};" in header.replace(" ", ""), f"{code}: Plural-Forms is {header!r}"
        for entry in po:
            if entry.msgid_plural and not entry.obsolete:
                assert len(entry.msgstr_plural) == expected.get(code, 2), f"{code}: {entry.msgid!r} has the wrong forms"


@pytest.fixture(scope="module")
def msgids_in_the_code(tmp_path_factory) -> set[str]:
    """Every msgid the code has, as `make messages` would extract it, from a copy of the code (so the
    real catalogues are not touched)."""
    _needs_gettext()
    copy = tmp_path_factory.mktemp("extract")
    ignore = shutil.ignore_patterns("locale", "__pycache__", "*.pyc", "vendor")
    for package in ("campaigns", "config"):
        shutil.copytree(ROOT / package, copy / package, ignore=ignore)
    (copy / "campaigns" / "locale").mkdir()
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {"PATH": "/usr/bin:/bin", "ENV_FILE": "", "SECRET_KEY": "extract-only-key-0123456789-abcdefghijklmnopqrst"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", f"--locale={SOURCE}", "--no-wrap", "--ignore=.*"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    po = polib.pofile(str(copy / "campaigns" / "locale" / SOURCE / "LC_MESSAGES" / "django.po"))
    keys = {_key(e) for e in po}
    assert len(keys) > 100, "the extraction found almost nothing: is makemessages reading the code?"
    return keys


def test_every_msgid_in_the_code_is_in_every_catalogue(msgids_in_the_code):
    problems = []
    for code in SHIPPED:
        known = {_key(e) for e in polib.pofile(str(_catalogue(code))) if not e.obsolete}
        missing = msgids_in_the_code - known
        if missing:
            problems.append(f"{code}: {len(missing)} missing:\n{_shown(missing)}")
    assert not problems, "run `make messages`, then translate the new strings:\n" + "\n".join(problems)
