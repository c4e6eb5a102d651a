"""Other people's clients against a live server: published OSDI clients, and one generated from our OpenAPI schema.

They live in their own virtualenv (`.venv-clients`, from requirements-clients.txt; .ci/run makes it):
they bring their own, older dependencies. The client is generated at test time from the schema the live
server serves, so it can never drift from the API the way a committed copy could.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from campaigns import models as m
from campaigns.services.api import api_token_create

from ..conftest import require_service
from ..factories import ActionFactory, SupporterFactory

HERE = Path(__file__).resolve().parent
CLIENTS_VENV = Path(os.environ.get("CLIENTS_VENV", Path(settings.BASE_DIR) / ".venv-clients"))
FOUNDRY = "irtyshskii-foundry-nationalisation"
MANGYSTAU = "mangystau-oil-workers-2011"


@pytest.fixture
def clients_python() -> Path:
    python = CLIENTS_VENV / "bin" / "python"
    why = f"{python} is missing (python3.11 -m venv .venv-clients && .venv-clients/bin/pip install -r requirements-clients.txt)"
    require_service("the published clients' virtualenv", python.exists(), why)
    return python


@pytest.fixture
def seeded(transactional_db, organisation, settings):
    settings.API_SUPPORTER_ACTIONS_RATE = "1000/minute"
    call_command("load_seeds", stdout=io.StringIO())
    foundry = m.Campaign.objects.get(slug=FOUNDRY)
    action = ActionFactory(campaign=foundry, supporter=SupporterFactory(name="Ann Client", email="ann.client@example.net"))
    action.targets.set([foundry.targets.get(name="Kazakhmys")])
    return foundry


def _run(python: Path, *args: str) -> dict:
    result = subprocess.run([str(python), *args], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_published_osdi_clients_list_get_filter_paginate_and_record(clients_python, seeded, organiser, live_server):
    token = api_token_create(user=organiser).key
    base = f"{live_server.url}/api/osdi/v1/"
    got = _run(clients_python, str(HERE / "drive_osdi.py"), base, token, "ann.client@example.net", FOUNDRY)
    assert sorted(got["list"]) == sorted([FOUNDRY, MANGYSTAU])  # two pages of one, followed by `next`
    assert got["get"] == {"name": FOUNDRY, "browser_url": f"{live_server.url}/c/{FOUNDRY}/"}
    assert got["filter_people"] == ["ann.client@example.net"]
    assert got["filter_modified"] == 2
    assert got["outreach"]["origin_system"] == "Union CRM"
    assert "union_crm:outreach-1" in got["outreach"]["identifiers"]
    assert got["outreach_found"] == 1
    assert got["an_get_person"] == ["ann.client@example.net"]  # pyActionNetwork: people/?filter=... with a slash
    assert got["an_resource"] == 2
    action = m.Action.objects.get(external_identifiers__value="union_crm:outreach-1")
    assert action.supporter.email == "dana@example.net"
    assert action.supporter.external_identifiers.get().value == "union_crm:person-1"


def test_a_client_generated_from_the_schema_lists_reads_and_records_anonymously(clients_python, seeded, live_server, tmp_path):
    schema = tmp_path / "schema.json"
    with __import__("urllib.request").request.urlopen(f"{live_server.url}/api/schema/?format=json", timeout=30) as response:
        schema.write_bytes(response.read())
    generated = tmp_path / "solidarity_client"
    generator = CLIENTS_VENV / "bin" / "openapi-python-client"
    result = subprocess.run(
        [str(generator), "generate", "--path", str(schema), "--output-path", str(generated), "--meta", "none"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    got = _run(clients_python, str(HERE / "drive_openapi.py"), str(generated), live_server.url)
    assert sorted(got["list"]) == sorted([FOUNDRY, MANGYSTAU]) and got["count"] == 2
    assert got["read"]["slug"] == got["list"][0] and got["read"]["targets"]
    assert (got["record_status"], got["record"]) == (202, "ActionReceipt")
    assert m.Action.objects.filter(supporter__email="gen@example.net").count() == 1
