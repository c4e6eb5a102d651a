"""Each rule once: the forms, the API and the services say the same about the same input."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaigns import rules
from campaigns.api.serializers import SupporterSerializer
from campaigns.services.actions import action_record
from campaigns.services.supporters import supporter_details_clean
from campaigns.web.forms import RecordActionForm, SupporterForm


@pytest.mark.parametrize("days, future", [(0, False), (1, False), (2, True)])
def test_the_form_and_the_service_agree_on_the_future(campaign, days, future):
    date = timezone.localdate() + dt.timedelta(days=days)
    assert rules.date_is_future(date) is future
    form = RecordActionForm(data={"kind": "rally", "date": date.isoformat(), "represents": "1"}, targets=campaign.targets.none())
    assert ("date" in form.errors) is future
    if future:
        with pytest.raises(ValidationError, match="has not come yet"):
            action_record(campaign=campaign, kind="rally", date=date)
    else:
        assert action_record(campaign=campaign, kind="rally", date=date).pk


def test_consent_needs_an_email_everywhere(campaign):
    assert SupporterForm(data={"consent_updates": "on"}).errors["email"] == [rules.CONSENT_NEEDS_EMAIL]
    serializer = SupporterSerializer(data={"consent_updates": True})
    assert not serializer.is_valid() and serializer.errors["consent_updates"] == [rules.CONSENT_NEEDS_EMAIL]
    with pytest.raises(ValidationError, match="Give an email address"):
        supporter_details_clean(name="Ana", consent_updates=True)
    assert SupporterForm(data={"consent_updates": "on", "email": "ana@example.net"}).is_valid()
