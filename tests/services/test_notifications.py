"""News to supporters who asked for it, and one-click unsubscribe."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Delivery, Demand, Person, Supporter
from campaigns.services.campaigns import demand_outcome_set, update_post
from campaigns.services.delivery import delivery_queue
from campaigns.services.notifications import notifications_for_update, supporter_unsubscribe
from campaigns.services.people import person_status_set

from ..factories import ActionFactory, CampaignFactory, SupporterFactory


def consenting(email: str, **fields) -> Supporter:
    return SupporterFactory(email=email, consent_updates=True, consented_at=timezone.now(), **fields)


@pytest.fixture
def supporters(campaign):
    """Who acted on the campaign, and whether they asked for news."""
    ana = consenting("ana@example.net")
    ben = consenting("ben@example.net")
    ben_again = consenting("Ben@Example.net")  # acted twice, a Supporter row each time
    quiet = SupporterFactory(email="quiet@example.net")  # did not ask for news
    elsewhere = consenting("elsewhere@example.net")  # acted on another campaign only
    for supporter in (ana, ben, ben_again, quiet):
        ActionFactory(campaign=campaign, supporter=supporter)
    ActionFactory(campaign=campaign, supporter=ana)  # a second action: still one message
    ActionFactory(campaign=CampaignFactory(), supporter=elsewhere)
    ActionFactory(campaign=campaign, supporter=None)  # anonymous
    return {"ana": ana, "ben": ben, "ben_again": ben_again, "quiet": quiet, "elsewhere": elsewhere}


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_an_update_reaches_each_consenting_supporter_once(campaign, organiser, supporters, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        update = update_post(campaign=campaign, title="Bulgakov released", text="He walked free this morning.", author=organiser)
    assert recipients() == ["ana@example.net", "ben@example.net"]
    message = next(m for m in mail.outbox if m.to == ["ana@example.net"])
    assert message.subject == "Foundry workers: Bulgakov released"
    assert "He walked free this morning." in message.body
    assert f"http://127.0.0.1:8000/c/{campaign.slug}/" in message.body
    token = supporters["ana"].unsubscribe_token
    assert f"http://127.0.0.1:8000/unsubscribe/{token}/" in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000/unsubscribe/{token}/one-click/>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(Delivery.objects.values_list("purpose", "campaign_id")) == {("notification", campaign.pk)}

    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_for_update(update=update) == 0, "running it again queues nothing"
    assert len(mail.outbox) == 2


def test_nothing_leaves_if_the_update_is_rolled_back(campaign, supporters, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        update_post(campaign=campaign, title="Bulgakov released")
        raise RuntimeError("the request failed after the update")
    assert mail.outbox == [] and not Delivery.objects.exists()


def test_a_draft_campaign_sends_no_news(supporters, campaign, django_capture_on_commit_callbacks):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT)
    campaign.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        update_post(campaign=campaign, title="Not yet public")
    assert mail.outbox == []


def test_a_change_of_status_of_a_person_at_risk(campaign, supporters, django_capture_on_commit_callbacks):
    person = Person.objects.create(campaign=campaign, name="Ivan Bulgakov", role="trade union leader")
    with django_capture_on_commit_callbacks(execute=True):
        person_status_set(person=person, status="threatened", text="Still threatened.")  # no change: no news
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        person_status_set(person=person, status="detained", date="2011-07-04", text="Taken from his home at night.")
    assert recipients() == ["ana@example.net", "ben@example.net"]
    assert mail.outbox[0].subject == "Foundry workers: Ivan Bulgakov detained"
    assert "Ivan Bulgakov, trade union leader, is now detained (2011-07-04)." in mail.outbox[0].body
    assert "Taken from his home at night." in mail.outbox[0].body


def test_an_outcome_recorded_on_a_demand(campaign, supporters, django_capture_on_commit_callbacks):
    demand = Demand.objects.create(campaign=campaign, text="Nationalise the foundry")
    with django_capture_on_commit_callbacks(execute=True):
        demand_outcome_set(demand=demand, status="open", evidence="Talks go on.")
    assert mail.outbox == [], "still open: nothing to announce"
    with django_capture_on_commit_callbacks(execute=True):
        demand_outcome_set(demand=demand, status="met", date="2011-10", evidence="Decree 12 of the Cabinet.")
        demand_outcome_set(demand=demand, status="met", date="2011-10", evidence="Decree 12, published.")  # same outcome
    assert recipients() == ["ana@example.net", "ben@example.net"]
    assert mail.outbox[0].subject == "Foundry workers: a demand met"
    assert "Decree 12 of the Cabinet." in mail.outbox[0].body


def test_unsubscribe_page_asks_first_then_unsubscribes(client, campaign, supporters, django_capture_on_commit_callbacks):
    ben = supporters["ben"]
    url = reverse("unsubscribe:confirm", args=[ben.unsubscribe_token])
    response = client.get(url)
    assert response.status_code == 200 and b"<button" in response.content
    assert Supporter.objects.get(pk=ben.pk).consent_updates, "a GET (a link checker) changes nothing"

    csrf_client = Client(enforce_csrf_checks=True)
    page = csrf_client.get(url)
    token = page.cookies["csrftoken"].value
    response = csrf_client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200 and b"You are unsubscribed" in response.content
    # Every row with that address stops, whichever link was used.
    assert list(Supporter.objects.filter(email__iexact="ben@example.net").values_list("consent_updates", flat=True)) == [
        False,
        False,
    ]
    with django_capture_on_commit_callbacks(execute=True):
        update_post(campaign=campaign, title="Bulgakov released")
    assert recipients() == ["ana@example.net"]
    assert b"You are not subscribed" in client.get(url).content


def test_one_click_unsubscribe_needs_no_csrf_token(campaign, supporters):
    ana = supporters["ana"]
    url = reverse("unsubscribe:one_click", args=[ana.unsubscribe_token])
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.get(url).status_code == 405
    response = csrf_client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not Supporter.objects.get(pk=ana.pk).consent_updates


def test_an_unknown_token_is_not_found(client, db):
    assert client.get(reverse("unsubscribe:confirm", args=["nope"])).status_code == 404
    assert client.post(reverse("unsubscribe:one_click", args=["nope"])).status_code == 404
    assert supporter_unsubscribe(token="nope") is False


def test_unsubscribing_cancels_news_still_queued_but_not_other_mail(campaign, supporters, settings):
    settings.DELIVERY_MAX_PER_MINUTE_PER_ADDRESS = 6
    news = delivery_queue(to=["ana@example.net"], subject="news", body=".", purpose="notification")  # not committed: queued
    protest = delivery_queue(to=["ana@example.net"], subject="her protest", body=".", purpose="action")
    supporter_unsubscribe(token=supporters["ana"].unsubscribe_token)
    news.refresh_from_db()
    protest.refresh_from_db()
    assert (news.state, news.last_error) == ("failed", "cancelled: the supporter unsubscribed")
    assert protest.state == "queued"


def test_news_goes_to_each_supporter_in_their_language(campaign, organiser, django_capture_on_commit_callbacks):
    """The campaign reads in the supporter's language where it is translated, else in its original."""
    from campaigns.services.documents import translated_fields_set
    from campaigns.services.supporters import SupporterDetails

    translated_fields_set(campaign, language="es", fields={"title": "Obreros de la fundición"})
    translated_fields_set(campaign, language="tr", fields={"title": "Dökümhane işçileri"})
    for email, language in (("ana@example.net", "es"), ("ayse@example.net", "tr"), ("hans@example.net", "de")):
        ActionFactory(campaign=campaign, supporter=consenting(email, language=language))
    with django_capture_on_commit_callbacks(execute=True):
        update_post(campaign=campaign, title="Bulgakov released", text="", author=organiser)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "ana@example.net": "Obreros de la fundición: Bulgakov released",
        "ayse@example.net": "Dökümhane işçileri: Bulgakov released",
        "hans@example.net": "Foundry workers: Bulgakov released",  # no German: the original
    }
    assert SupporterDetails(language="pt-BR").normalised().language == "pt-br"


def test_a_deadline_reminder_is_dated_in_the_supporters_language(campaign):
    import datetime as dt

    from campaigns.services.notifications import deadline_reminders_queue

    campaign.deadline = dt.date(2026, 12, 3)
    campaign.status = Campaign.Status.ACTIVE
    campaign.save(update_fields=["deadline", "status"])
    ActionFactory(campaign=campaign, supporter=consenting("olga@example.net", language="ru"))
    assert deadline_reminders_queue(today=dt.date(2026, 12, 1)) == 1
    assert "3 декабря 2026" in Delivery.objects.get().body
