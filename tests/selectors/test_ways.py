"""Which ways a supporter is offered, and the dates that tell how fresh an appeal is."""

import datetime as dt

from campaigns import models as m
from campaigns.selectors.campaigns import campaign_dates, campaign_page
from campaigns.selectors.ways import ways_for

from ..factories import ChannelFactory, TargetFactory


def _keys(targets):
    return [(w.key, w.primary) for w in ways_for(targets=targets)]


def test_a_target_with_nothing_known_can_only_get_a_letter(campaign):
    target = TargetFactory(campaign=campaign, name="Nazarbaev")
    ChannelFactory(target=target, kind="email", value="", masked=True)
    assert _keys([target]) == [("print", True)]


def test_the_platforms_ways_come_first_and_fax_only_with_a_gateway(campaign, settings):
    target = TargetFactory(campaign=campaign, name="Trust")
    ChannelFactory(target=target, kind="fax", value="+44 20 7946 0000", e164="+442079460000")
    ChannelFactory(target=target, kind="phone", value="+44 20 7946 0001", e164="+442079460001")
    assert _keys([target]) == [("print", True), ("call", False)], "a known fax number makes the letter the first way"
    settings.FAX_GATEWAY, settings.FAX_ADDRESS = "memorymail://", "{digits}@fax.example"
    ChannelFactory(target=target, kind="email", value="ceo@trust.example")
    assert _keys([target]) == [("email", True), ("fax", False), ("print", False), ("call", False), ("mail-app", False)]


def test_a_phone_alone_makes_the_call_the_first_way(campaign):
    target = TargetFactory(campaign=campaign, name="Ministry")
    ChannelFactory(target=target, kind="phone", value="+7 727 000 0000", e164="+77270000000")
    ways = ways_for(targets=[target])
    assert [(w.key, w.primary) for w in ways] == [("call", True), ("print", False)]
    assert ways[0].label == "Call Ministry"


def test_labels_name_only_the_targets_the_way_reaches(campaign):
    reached = TargetFactory(campaign=campaign, name="Kazakhmys")
    ChannelFactory(target=reached, kind="email", value="office@kazakhmys.example")
    other = TargetFactory(campaign=campaign, name="KNB")
    third = TargetFactory(campaign=campaign, name="Akimat")
    ChannelFactory(target=third, kind="email", value="akimat@example.kz")
    assert ways_for(targets=[reached, other, third])[0].label == "Send my e-mail to Kazakhmys and Akimat"


def test_an_appeal_older_than_a_year_without_news_is_stale(campaign, django_assert_num_queries):
    m.Event.objects.create(campaign=campaign, date="2011-08-24", text="Found dead")
    m.Event.objects.create(campaign=campaign, date="--07-01", text="No year")
    campaign_page(campaign=campaign)
    with django_assert_num_queries(0):
        dates = campaign_dates(campaign=campaign)
    assert dates.stale and dates.latest_fact == "2011-08-24" and dates.last_update is None
    m.Update.objects.create(campaign=campaign, title="Still", date=dt.date.today())
    campaign = m.Campaign.objects.get(pk=campaign.pk)
    dates = campaign_dates(campaign=campaign_page(campaign=campaign))
    assert not dates.stale and dates.last_update == dt.date.today()


def test_an_undated_appeal_is_not_called_stale(campaign):
    m.Event.objects.create(campaign=campaign, date="--07-01", text="No year")
    assert not campaign_dates(campaign=campaign_page(campaign=campaign)).stale
