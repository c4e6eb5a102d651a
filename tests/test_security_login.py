"""Issue 11: organisers' passwords cannot be guessed without end (django-axes)."""

from django.urls import reverse

from campaigns.services.organisers import organiser_create


def _login(client, password: str, address: str = "192.0.2.50"):
    return client.post(
        reverse("admin:login"), {"username": "alice", "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def test_the_right_password_does_not_work_after_many_wrong_ones(client, organisation, settings):
    organiser_create(username="alice", password="the-right-password-42", organisation=organisation)
    codes = [_login(client, f"guess-{i}").status_code for i in range(49)]
    assert codes[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(codes[settings.AXES_FAILURE_LIMIT :]) == {429}, "locked out, not a 5xx"
    assert _login(client, "the-right-password-42").status_code == 429
    assert "_auth_user_id" not in client.session
    # Guessing from other addresses does not get round it: the account is locked too.
    assert _login(client, "the-right-password-42", address="192.0.2.51").status_code == 429


def test_a_few_mistakes_then_the_right_password_works(client, organisation):
    organiser_create(username="alice", password="the-right-password-42", organisation=organisation)
    for i in range(2):
        _login(client, f"typo-{i}")
    assert _login(client, "the-right-password-42").status_code == 302
