"""import_appeal, score_appeal and score_appeals: JSON on stdout, a slug when saving, one error line for bad input."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from campaigns import models as m

SEEDS = settings.BASE_DIR / "seeds"
FOUNDRY = SEEDS / "000_5746010bd4fc8c14.txt"


def _call(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_dry_run_prints_the_draft_document_and_saves_nothing():
    document = json.loads(_call("import_appeal", str(FOUNDRY), "--dry-run"))
    assert document["status"] == "draft"
    assert document["targets"][0]["name"] == "Kazakhmys"
    assert document["text"] == FOUNDRY.read_text(encoding="utf-8")
    assert not m.Campaign.objects.exists()


@pytest.mark.django_db
def test_import_saves_a_draft_campaign_and_prints_its_slug(organisation):
    slug = _call("import_appeal", str(SEEDS / "appeals" / "union-letter-mersin.eml"), "--owner", organisation.name).strip()
    campaign = m.Campaign.objects.get(slug=slug)
    assert (campaign.status, campaign.owner) == ("draft", organisation)
    assert campaign.actions.get().reference == "TDWU/INT/2024/117"
    assert set(campaign.people.values_list("name", flat=True)) == {"Ayşe Demir", "Kemal Aksoy", "Hasan Çelik"}


@pytest.mark.django_db
def test_an_unknown_owner_is_refused():
    with pytest.raises(CommandError, match="no organisation named 'Nobody'"):
        _call("import_appeal", str(FOUNDRY), "--owner", "Nobody")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty."),
        (bytes(range(256)) * 30, "looks like binary data"),
        (bytes(range(128, 256)) * 10, "cannot tell the text's encoding"),
    ],
)
def test_bad_files_are_one_error_line(tmp_path, content, message):
    path = tmp_path / "appeal.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError) as caught:
        _call("import_appeal", str(path), "--dry-run")
    assert str(caught.value) == f"{path}: {message}" or message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.django_db
def test_missing_files_and_directories(tmp_path):
    with pytest.raises(CommandError, match=r"cannot read .*: No such file or directory"):
        _call("import_appeal", str(tmp_path / "nope.txt"))
    with pytest.raises(CommandError, match="is a directory"):
        _call("import_appeal", str(tmp_path))


@pytest.mark.django_db
@override_settings(APPEAL_MAX_BYTES=100)
def test_a_file_over_the_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(CommandError, match="the file is 2 KB, over the limit of 0 KB"):
        _call("import_appeal", str(path))


def test_the_command_line_shows_one_line_and_exits_non_zero(tmp_path):
    path = tmp_path / "junk.bin"
    path.write_bytes(bytes(range(256)) * 30)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", "DATABASE_URL": "sqlite:///:memory:"}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_appeal", str(path), "--dry-run"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"CommandError: {path}: the file is not text, HTML, PDF or an e-mail (it looks like binary data)."
    ]


def test_score_appeal_prints_precision_and_recall_per_field():
    out = _call("score_appeal", str(FOUNDRY), str(FOUNDRY.with_suffix(".json")), "--verbose")
    lines = out.splitlines()
    assert lines[0].split() == ["field", "precision", "recall", "matched", "drafted", "expected"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:] if not line.startswith(" ")}
    assert rows["channels"] == ["1.00", "1.00", "7", "7", "7"]
    assert rows["people"][-1] == "2"  # people are measured on real appeals: test_score_appeals_on_shared_cases_...
    assert "    missing  Stop the dismantling of the factory equipment" in lines


def test_score_appeal_refuses_a_bad_expected_document(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="is not a JSON campaign document"):
        _call("score_appeal", str(FOUNDRY), str(bad))


def test_score_appeals_prints_a_row_per_case_and_the_average():
    out = _call("score_appeals")
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[2:]] == [
        "000_5746010bd4fc8c14.txt",
        "004_8067bee6afad8926.txt",
        "es-llamamiento-cesar.txt",
        "ru-prizyv-zhanaozen.txt",
        "ua-port-workers.html",
        "union-letter-mersin.eml",
        "all",
    ]
    assert lines[2].split()[1:7] == ["1.00"] * 6  # channels, targets and copy-to of the foundry appeal


# CI keeps ../shared beside the clone; APPEALS_DEV_DIR points elsewhere (a worktree, a developer's copy).
SHARED = Path(os.environ.get("APPEALS_DEV_DIR") or Path(__file__).resolve().parents[2].parent / "shared" / "appeals-dev")


def _shared_cases():
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED} is missing: CI keeps ../shared beside the clone")
        pytest.skip(f"{SHARED} is not beside this checkout (it is in CI)")
    return SHARED


def test_score_appeals_on_shared_cases_prints_each_field_and_holds_the_floors():
    out = _call("score_appeals", "--cases", str(_shared_cases()))
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.split()}
    for name in ("channels", "targets", "people", "events"):
        precision, recall, floor_p, floor_r = map(float, rows[name])
        assert precision >= floor_p and recall >= floor_r
    assert "invented 0, invalid drafts 0" in out


def test_score_appeals_fails_below_its_floors_and_on_a_missing_folder(tmp_path):
    case = tmp_path / "01_x.txt"
    case.write_text("source: test\nPlease send protests to the Ministry of Labour, fax: +44 20 7946 0412.\n")
    (tmp_path / "01_x.json").write_text(
        '{"targets": [{"name": "Someone Else", "channels": [{"kind": "email", "value": "a@b.org"}]}], "copy_to": [],'
        ' "people_at_risk": [], "events": []}'
    )
    with pytest.raises(CommandError, match="below its floors: channels P"):
        _call("score_appeals", "--cases", str(tmp_path))
    with pytest.raises(CommandError, match="no such folder"):
        _call("score_appeals", "--cases", str(tmp_path / "nope"))
