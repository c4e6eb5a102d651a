"""Totals come from pre-computed tallies: counted with each action, equal to a recount, cheap to read."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from campaigns import models as m
from campaigns.selectors.totals import campaign_totals, campaigns_totals
from campaigns.services.actions import action_record
from campaigns.services.tallies import action_tallies_rebuild

from ..factories import CampaignFactory, ChannelFactory, SupporterFactory, TargetFactory


@pytest.fixture
def targets(campaign):
    return TargetFactory(campaign=campaign, name="Kazakhmys"), TargetFactory(campaign=campaign, name="Ministry")


def _record_some(campaign, targets):
    company, ministry = targets
    fax = ChannelFactory(target=company, kind="fax", value="007-3102-768247", e164="+73102768247")
    today = dt.date.today()
    action_record(campaign=campaign, kind="fax", targets=[company], channel=fax, country="GB", date=today)
    action_record(campaign=campaign, kind="email", targets=[company, ministry], country="FR", represents=300, date=today)
    action_record(
        campaign=campaign, kind="rally", country="GB", represents=40, date=today - dt.timedelta(days=1), source="WhatsApp"
    )
    action_record(campaign=campaign, kind="donation", source="bad code!")


def test_totals_count_each_action_by_every_dimension(campaign, targets):
    _record_some(campaign, targets)
    today = dt.date.today()
    totals = campaign_totals(campaign=campaign)
    assert totals == {
        "actions": 4,
        "people": 1 + 300 + 40 + 1,
        "by_kind": {"donation": 1, "email": 1, "fax": 1, "rally": 1},
        "by_target": {"Kazakhmys": 2, "Ministry": 1},
        "by_target_id": {targets[0].pk: 2, targets[1].pk: 1},
        "by_channel": {"fax": 1},
        "by_country": {"GB": 2, "FR": 1},
        "countries": 2,
        "by_day": {(today - dt.timedelta(days=1)).isoformat(): 1, today.isoformat(): 3},
        "by_source": {"whatsapp": 1},
    }


def test_a_rebuild_gives_the_same_totals_in_fewer_rows(campaign, targets):
    _record_some(campaign, targets)
    counted = campaign_totals(campaign=campaign)
    assert action_tallies_rebuild(campaign=campaign) == 4
    assert campaign_totals(campaign=campaign) == counted
    assert set(m.ActionTally.objects.filter(campaign=campaign).values_list("shard", flat=True)) == {0}


def test_rebuild_tallies_command_repairs_the_totals(campaign, targets):
    _record_some(campaign, targets)
    counted = campaign_totals(campaign=campaign)
    m.ActionTally.objects.all().delete()
    other = CampaignFactory(slug="other")
    action_record(campaign=other, kind="email")
    m.ActionTally.objects.all().delete()
    out = []
    call_command("rebuild_tallies", campaign.slug, stdout=type("W", (), {"write": lambda self, s: out.append(s)})())
    assert campaign_totals(campaign=campaign) == counted
    assert campaign_totals(campaign=other)["actions"] == 0, "only the campaign named"
    call_command("rebuild_tallies", stdout=open("/dev/null", "w"))  # noqa: SIM115 - all campaigns
    assert campaign_totals(campaign=other)["actions"] == 1
    assert "foundry: 4 actions" in "".join(out)


def test_rebuild_tallies_refuses_an_unknown_slug_in_one_line(db):
    with pytest.raises(CommandError, match="no campaign with the slug 'nope'"):
        call_command("rebuild_tallies", "nope")


def test_a_repeat_counts_once(campaign, targets):
    company, ministry = targets
    ann = SupporterFactory(email="Ann@Example.org")
    ann_again = SupporterFactory(email="ann@example.org ")
    first = action_record(campaign=campaign, kind="email", targets=[company, ministry], supporter=ann)
    again = action_record(campaign=campaign, kind="email", targets=[ministry, company], supporter=ann_again)
    assert (first.repeat, again.repeat, again.pk) == (False, True, first.pk)
    # Another way, or another target, is another action.
    assert not action_record(campaign=campaign, kind="fax", targets=[company, ministry], supporter=ann).repeat
    assert not action_record(campaign=campaign, kind="email", targets=[company], supporter=ann).repeat
    assert campaign_totals(campaign=campaign)["actions"] == m.Action.objects.count() == 3


def test_anonymous_actions_are_not_deduplicated_but_a_resubmitted_form_is(campaign, targets):
    company, _ = targets
    action_record(campaign=campaign, kind="fax", targets=[company])
    action_record(campaign=campaign, kind="fax", targets=[company], supporter=SupporterFactory(email=""))
    first = action_record(campaign=campaign, kind="fax", targets=[company], submission="form-1")
    again = action_record(campaign=campaign, kind="fax", targets=[company], submission="form-1")
    assert again.repeat and again.pk == first.pk
    assert m.Action.objects.count() == 3
    assert not action_record(campaign=campaign, kind="fax", targets=[company], dedupe=False, submission="form-1").repeat


def test_untargeted_actions_of_one_supporter_on_different_days_both_count(campaign):
    ann = SupporterFactory(email="ann@example.org")
    today = dt.date.today()
    action_record(campaign=campaign, kind="rally", supporter=ann, date=today - dt.timedelta(days=7))
    assert not action_record(campaign=campaign, kind="rally", supporter=ann, date=today).repeat
    assert action_record(campaign=campaign, kind="rally", supporter=ann, date=today).repeat


def test_campaigns_totals_for_a_list(campaign, targets):
    _record_some(campaign, targets)
    empty = CampaignFactory()
    assert campaigns_totals(campaigns=[campaign, empty]) == {
        campaign.pk: {"actions": 4, "people": 342, "countries": 2},
        empty.pk: {"actions": 0, "people": 0, "countries": 0},
    }


def test_totals_read_in_two_queries_however_many_actions(campaign, targets, django_assert_num_queries):
    _record_some(campaign, targets)
    with django_assert_num_queries(2):
        campaign_totals(campaign=campaign)
    for _ in range(30):
        action_record(campaign=campaign, kind="email", targets=list(targets), country="DE")
    with django_assert_num_queries(2):
        assert campaign_totals(campaign=campaign)["actions"] == 34


def test_loading_a_document_with_actions_counts_them(db):
    call_command("load_seeds", stdout=open("/dev/null", "w"))  # noqa: SIM115
    mangystau = m.Campaign.objects.get(slug="mangystau-oil-workers-2011")
    totals = campaign_totals(campaign=mangystau)
    assert (totals["actions"], totals["people"], totals["by_target"]) == (1, 45_000_000, {"Nursultan Nazarbaev": 1})


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_actions_all_count_and_repeats_once(postgresql):
    """Many requests at once on PostgreSQL: no lost increment, no deadlock, a duplicate twin counts once."""
    campaign = CampaignFactory(slug="busy")
    target = TargetFactory(campaign=campaign)
    errors = []
    barrier = threading.Barrier(12)

    def act(i: int) -> None:
        try:
            barrier.wait()
            supporter = m.Supporter.objects.create(email="twin@example.org" if i < 4 else f"s{i}@example.org")
            action_record(campaign=campaign, kind="email", targets=[target], supporter=supporter, country="GB")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert m.Action.objects.filter(campaign=campaign).count() == 9  # 4 twins count once
    totals = campaign_totals(campaign=campaign)
    assert (totals["actions"], totals["by_target"], totals["by_country"]) == (9, {target.name: 9}, {"GB": 9})


def test_actions_added_or_deleted_in_the_admin_are_recounted(client, superuser, campaign, targets):
    company, _ = targets
    client.force_login(superuser)
    response = client.post(
        "/admin/campaigns/action/add/",
        {
            "campaign": campaign.pk, "kind": "letter", "date": "2026-01-05", "targets": [company.pk], "represents": 45,
            "country": "DE", "reference": "", "salutation": "", "subject": "", "text": "",
            "signatories-TOTAL_FORMS": 0, "signatories-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    totals = campaign_totals(campaign=campaign)
    assert (totals["actions"], totals["people"], totals["by_target"]) == (1, 45, {"Kazakhmys": 1})
    assert totals["by_country"] == {"DE": 1}
    action = m.Action.objects.get()
    client.post(f"/admin/campaigns/action/{action.pk}/delete/", {"post": "yes"})
    assert campaign_totals(campaign=campaign)["actions"] == 0
