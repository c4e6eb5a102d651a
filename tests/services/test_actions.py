"""Services refuse bad input with errors keyed by field, and write nothing then."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from campaigns import models as m
from campaigns.services.actions import action_record
from campaigns.services.people import person_status_set
from campaigns.services.responses import response_record

from ..factories import CampaignFactory, ChannelFactory, TargetFactory


@pytest.fixture
def target(campaign):
    return TargetFactory(campaign=campaign, name="Kazakhmys")


def test_action_record_links_targets_channel_and_signatories(campaign, target):
    channel = ChannelFactory(target=target, kind="fax", value="007-3102-768247", e164="+73102768247")
    action = action_record(
        campaign=campaign, kind="fax", targets=[target], channel=channel, represents=300,
        signatories=[{"name": "Ann", "title": "Secretary"}],
    )  # fmt: skip
    assert list(action.targets.all()) == [target]
    assert action.channel == channel and action.represents == 300
    assert [s.name for s in action.signatories.all()] == ["Ann"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "telegram"}, "kind"),
        ({"represents": 0}, "represents"),
        ({"date": dt.date.today() + dt.timedelta(days=30)}, "date"),
    ],
)
def test_action_record_refuses_bad_input(campaign, target, changes, field):
    with pytest.raises(ValidationError) as info:
        action_record(**{"campaign": campaign, "kind": "email", "targets": [target], **changes})
    assert field in info.value.message_dict
    assert not m.Action.objects.exists()


def test_action_record_refuses_another_campaigns_target(campaign):
    stranger = TargetFactory(campaign=CampaignFactory())
    with pytest.raises(ValidationError) as info:
        action_record(campaign=campaign, kind="email", targets=[stranger])
    assert "Not targets of this campaign" in info.value.message_dict["targets"][0]


def test_action_record_refuses_a_masked_channel(campaign, target):
    masked = m.Channel.objects.create(target=target, kind="email", masked=True)
    with pytest.raises(ValidationError) as info:
        action_record(campaign=campaign, kind="email", targets=[target], channel=masked)
    assert "not known yet" in info.value.message_dict["channel"][0]


def test_person_status_set_keeps_the_history(campaign):
    person = m.Person.objects.create(campaign=campaign, name="Natalia Sokolova", status="charged")
    person_status_set(person=person, status="sentenced", date="2011-08-08", text="Six years.")
    person_status_set(person=person, status="released", date="2012-03")
    person.refresh_from_db()
    assert person.status == "released"
    assert [(h.status, h.date) for h in person.history.all()] == [("sentenced", "2011-08-08"), ("released", "2012-03")]


@pytest.mark.parametrize(("status", "date", "field"), [("arrested", "", "status"), ("detained", "8 August", "date")])
def test_person_status_set_refuses_bad_input(campaign, status, date, field):
    person = m.Person.objects.create(campaign=campaign, name="X")
    with pytest.raises(ValidationError) as info:
        person_status_set(person=person, status=status, date=date)
    assert field in info.value.message_dict
    assert not person.history.exists()


def test_response_record(campaign, target, organiser):
    response = response_record(
        campaign=campaign, target=target, classification="acknowledged", summary="  Received.  ", recorded_by=organiser
    )
    assert (response.summary, response.recorded_by) == ("Received.", organiser)


def test_response_record_refuses_bad_input(campaign, target):
    with pytest.raises(ValidationError) as info:
        response_record(campaign=campaign, target=TargetFactory(), classification="angry", summary=" ")
    assert set(info.value.message_dict) == {"target", "classification", "summary"}
    assert not m.Response.objects.exists()


def _settings_import(**env):
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_import(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert _settings_import(DEBUG="false", SECRET_KEY="short").returncode != 0
    assert _settings_import(DEBUG="false", SECRET_KEY="x" * 50).returncode == 0
    assert _settings_import(DEBUG="true").returncode == 0
