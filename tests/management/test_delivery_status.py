"""Queue depth and failures: the admin's outbox page and `manage.py delivery_status`."""

import datetime as dt
import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Delivery
from campaigns.selectors.delivery import broker_status

from ..factories import CampaignFactory


def make(campaign, subject, state, **fields):
    return Delivery.objects.create(
        campaign=campaign,
        to=[f"{subject}@example.org"],
        recipient=f"{subject}@example.org",
        subject=subject,
        body=".",
        state=state,
        **fields,
    )


def test_organiser_sees_their_outbox_with_its_queue_and_failures(client, organiser, campaign, django_assert_max_num_queries):
    long_ago = timezone.now() - dt.timedelta(minutes=30)
    make(campaign, "waiting", "queued", not_before=long_ago)
    make(campaign, "later", "queued", not_before=timezone.now() + dt.timedelta(hours=1))
    make(campaign, "done", "sent")
    make(campaign, "bounced", "failed", last_error="SMTP 550 No such mailbox")
    theirs = CampaignFactory(title="Another federation's draft", status="draft")
    make(theirs, "theirs", "failed", last_error="not for our eyes")
    Delivery.objects.create(to=["digest@example.org"], subject="digest", body=".", state="sent")  # no campaign
    client.force_login(organiser)
    # 11: one of them reads the campaign filter's titles from their translations (django-parler), once a page.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("admin:campaigns_delivery_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>queued</strong> 2 · <strong>sending</strong> 0 · <strong>sent</strong> 1 · <strong>failed</strong> 1" in html
    assert "1 of the queued wait for their time" in html and "waiting since 30" in html
    assert "SMTP 550 No such mailbox" in html
    assert "theirs" not in html and "not for our eyes" not in html and "digest" not in html
    assert "Another federation" not in html, "not even in the campaign filter"
    assert "Broker (Redis)" not in html, "the broker is the operators' business"


def test_organiser_queues_a_failed_delivery_again(client, organiser, campaign, outsider, django_capture_on_commit_callbacks):
    from django.core import mail

    failed = make(campaign, "bounced", "failed", attempts=6, last_error="gave up")
    url = reverse("admin:campaigns_delivery_changelist")
    client.force_login(outsider)
    client.post(url, {"action": "queue_again", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.state == "failed", "another organisation's organiser cannot touch it"
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "queue_again", "_selected_action": [failed.pk]}, follow=True)
    assert "1 delivery queued again." in response.content.decode()
    failed.refresh_from_db()
    assert failed.state == "sent" and [m.subject for m in mail.outbox] == ["bounced"]


def test_superuser_sees_all_mail_and_the_broker(client, superuser, campaign, settings):
    settings.REDIS_URL, settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0", "redis://127.0.0.1:1/0"  # nobody there
    Delivery.objects.create(to=["digest@example.org"], subject="digest", body=".", state="sent")
    client.force_login(superuser)
    html = client.get(reverse("admin:campaigns_delivery_changelist")).content.decode()
    assert "digest" in html and "Broker (Redis): unreachable: ConnectionError" in html


def test_delivery_status_command(campaign, settings):
    settings.REDIS_URL = ""
    make(campaign, "waiting", "queued", not_before=timezone.now() - dt.timedelta(minutes=5))
    make(campaign, "bounced", "failed", last_error="SMTP 550 No such mailbox", claimed_at=timezone.now())
    out = io.StringIO()
    call_command("delivery_status", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:4] == ["queued         1", "sending        0", "sent           0", "failed         1"]
    assert "oldest due message waiting for 5\xa0minutes" in lines
    assert "broker: none (REDIS_URL unset: tasks run in-process)" in lines
    assert "failed in the last 24 hours: 1" in lines
    assert any(line.endswith("to bounced@example.org: SMTP 550 No such mailbox") for line in lines)


def test_broker_status_reads_the_redis_queue(redis_url, settings):
    settings.CELERY_BROKER_URL = redis_url
    status = broker_status(queue="test-delivery-status-queue")
    assert status.error == "" and status.waiting == 0 and isinstance(status.reserved, int)
