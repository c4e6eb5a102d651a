"""Campaign documents: export → import into an empty database → export, and refusal of bad documents."""

import copy
import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from campaigns import models as m
from campaigns.documents.validation import DocumentError
from campaigns.selectors.documents import campaign_document, campaigns_for_documents
from campaigns.services.actions import action_record
from campaigns.services.documents import campaign_document_load, campaign_documents_load

from ..factories import SupporterFactory


def _export(*args) -> list:
    from io import StringIO

    out = StringIO()
    call_command("export_campaigns", *args, stdout=out)
    return json.loads(out.getvalue())


def _seed_documents() -> list:
    return [json.loads(p.read_text()) for p in sorted((settings.BASE_DIR / "seeds").glob("*.json"))]


@pytest.mark.django_db
def test_export_import_export_round_trip(tmp_path, django_db_blocker):
    call_command("load_seeds", stdout=open("/dev/null", "w"))  # noqa: SIM115
    campaign = m.Campaign.objects.get(slug="irtyshskii-foundry-nationalisation")
    target = campaign.targets.get(name="Kazakhmys")
    action_record(
        campaign=campaign,
        kind="fax",
        targets=[target],
        channel=target.channels.get(kind="fax"),
        supporter=SupporterFactory(name="Ann", email="ann@example.net", consent_updates=False),
        text="Nationalise it.",
        represents=12,
        copies_sent=True,
    )
    first = _export("--include-personal")
    path = tmp_path / "export.json"
    path.write_text(json.dumps(first))

    # Into an empty database: wipe everything the export describes, then import.
    m.Action.objects.all().delete()
    m.Supporter.objects.all().delete()
    m.Campaign.objects.all().delete()
    m.Organisation.objects.all().delete()
    call_command("import_campaigns", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _export("--include-personal") == first
    # The seeds' Russian translations went out and came back with them.
    foundry = next(d for d in first if d["slug"] == "irtyshskii-foundry-nationalisation")
    assert foundry["translations"]["ru"]["demands"][0] == "Национализировать Иртышский литейный завод"
    assert m.Campaign.objects.get(slug="mangystau-oil-workers-2011").translations.filter(language_code="ru").exists()


@pytest.mark.django_db
def test_export_holds_what_domain_md_lists_for_both_appeals():
    call_command("load_seeds", stdout=open("/dev/null", "w"))  # noqa: SIM115
    documents = {d["slug"]: d for d in _export()}
    foundry = documents["irtyshskii-foundry-nationalisation"]
    assert foundry["targets"][0]["channels"][0] == {
        "kind": "fax", "value": "007-3102-768247", "e164": "+73102768247", "masked": False, "label": "",
    }  # fmt: skip
    assert {"kind": "email", "value": None, "e164": None, "masked": True, "label": ""} in foundry["targets"][0]["channels"]
    assert [e["date"] for e in foundry["events"] if e["date"]] == ["--07-01", "--07-04"]
    letter = documents["mangystau-oil-workers-2011"]["actions"][0]
    assert (letter["kind"], letter["by"], letter["targets"], letter["date"], letter["reference"], letter["represents"]) == (
        "letter", "ICEM; IMF", ["Nursultan Nazarbaev"], "2011-09-06", "ICEM-IMF11/EN LT/107", 45_000_000,
    )  # fmt: skip


@pytest.mark.django_db
def test_export_without_flag_hides_supporters_personal_data():
    call_command("load_seeds", stdout=open("/dev/null", "w"))  # noqa: SIM115
    campaign = m.Campaign.objects.get(slug="irtyshskii-foundry-nationalisation")
    action_record(campaign=campaign, kind="email", supporter=SupporterFactory(name="Secret Name", email="secret@example.net"))
    text = json.dumps(_export())
    assert "Secret Name" not in text and "secret@example.net" not in text
    assert "a supporter" in text


@pytest.mark.django_db
def test_export_of_unknown_slug_is_an_error():
    with pytest.raises(CommandError, match="no campaign with slug nope"):
        call_command("export_campaigns", "nope")


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [
        (lambda d: d.pop("title"), "title", "required"),
        (lambda d: d.update(status="winning"), "status", "not a valid choice"),
        (lambda d: d["targets"][0]["channels"][0].update(value="768247"), "targets[0].channels[0].value", "wrong length"),
        (lambda d: d["targets"][0]["channels"][0].update(e164="+70000000000"), "targets[0].channels[0].e164", "does not match"),
        (
            lambda d: d["copy_to"][1]["channels"][3].update(value="cwi@", masked=False),
            "copy_to[1].channels[3].value",
            "not a valid email",
        ),
        (lambda d: d["events"][0].update(date="1 July"), "events[0].date", "is not a date"),
        (lambda d: d["people"][0].update(status="arrested"), "people[0].status", "not a valid choice"),
        (lambda d: d["location"].update(country="Kazakhstan"), "location.country", "ISO 3166"),
        (lambda d: d["targets"].append(copy.deepcopy(d["targets"][0])), "targets[1].name", "appears twice"),
    ],
)
@pytest.mark.django_db
def test_malformed_document_is_refused_naming_the_field_and_writes_nothing(mutate, path, message):
    good, bad = _seed_documents()[0], _seed_documents()[0]
    mutate(bad)
    with pytest.raises(DocumentError) as info:
        campaign_documents_load(documents=[_seed_documents()[1], bad])
    assert info.value.path == f"[1].{path}"
    assert message in info.value.message
    assert m.Campaign.objects.count() == 0  # the good first document was rolled back too
    assert good != bad


@pytest.mark.django_db
def test_action_naming_an_unknown_target_is_refused():
    document = _seed_documents()[1]
    document["actions"][0]["targets"] = ["Someone Else"]
    with pytest.raises(DocumentError, match=r"actions\[0\].targets: 'Someone Else' is not one of this campaign's targets"):
        campaign_document_load(document=document)


@pytest.mark.django_db
def test_document_removes_what_it_no_longer_lists():
    document = _seed_documents()[0]
    campaign = campaign_document_load(document=document)
    document["people"] = document["people"][:1]
    document["targets"][0]["channels"] = document["targets"][0]["channels"][:1]
    campaign_document_load(document=document)
    assert list(campaign.people.values_list("name", flat=True)) == ["Ivan Bulgakov"]
    assert campaign.targets.get(name="Kazakhmys").channels.count() == 1


@pytest.mark.django_db
def test_document_queries_do_not_grow_with_campaigns(django_assert_max_num_queries):
    for document in _seed_documents():
        campaign_document_load(document=document)
    with django_assert_max_num_queries(18):  # 16, and the campaigns' and the demands' translations
        [campaign_document(campaign=c) for c in campaigns_for_documents()]


@pytest.mark.django_db(transaction=True)
def test_import_command_exits_non_zero_with_one_readable_line(tmp_path):
    cases = {
        "missing.json": None,
        "notjson.json": "{not json",
        "notlist.json": json.dumps({"slug": "x", "title": "y"}),
        "badfield.json": json.dumps([{"slug": "x", "title": "y", "deadline": "soon"}]),
    }
    for name, content in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_text(content)
        result = subprocess.run(
            [sys.executable, "manage.py", "import_campaigns", str(path)],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"},
        )
        assert result.returncode != 0, name
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "deadline" in lines[0]


@pytest.mark.django_db
def test_reloading_an_edited_document_updates_rows_in_place():
    document = _seed_documents()[0]
    campaign = campaign_document_load(document=document)
    target = campaign.targets.get(name="Kazakhmys")
    fax = target.channels.get(kind="fax")
    document["targets"][0]["salutation"] = "Dear Board"
    document["targets"][0]["channels"][0]["label"] = "head office"
    document["people"][0]["status"] = "detained"
    campaign_document_load(document=document)
    target.refresh_from_db()
    fax.refresh_from_db()
    assert target.salutation == "Dear Board"
    assert fax.label == "head office"  # the same row, updated
    assert campaign.people.get(name="Ivan Bulgakov").status == "detained"


@pytest.mark.django_db
def test_a_document_fills_in_but_never_overwrites_a_shared_organisation():
    m.Organisation.objects.create(name="Committee for a Workers' International", short_name="CWI-UK")
    m.Organisation.objects.create(name="Kazakhmys")
    campaign_document_load(document=_seed_documents()[0])
    assert m.Organisation.objects.get(name="Committee for a Workers' International").short_name == "CWI-UK"
    assert m.Organisation.objects.get(name="Kazakhmys").country == "KZ"  # was blank: filled in
