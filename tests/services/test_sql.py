"""insert_unless_conflict: one statement that inserts, or finds the unique key taken."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from campaigns.models import IdempotencyKey
from campaigns.services.sql import insert_unless_conflict


@pytest.mark.django_db
def test_inserts_once_per_unique_key_in_one_statement():
    first = IdempotencyKey(scope="anonymous", key="k", fingerprint="a")
    with CaptureQueriesContext(connection) as queries:
        assert insert_unless_conflict(first) is True
    assert len(queries) == 1 and first.pk is not None
    again = IdempotencyKey(scope="anonymous", key="k", fingerprint="b")
    assert insert_unless_conflict(again) is False and again.pk is None
    assert list(IdempotencyKey.objects.values_list("fingerprint", flat=True)) == ["a"]
    assert insert_unless_conflict(IdempotencyKey(scope="user:1", key="k", fingerprint="c")) is True


@pytest.mark.django_db
def test_other_constraints_still_raise():
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_unless_conflict(IdempotencyKey(scope="anonymous", key="k", fingerprint="a", status_code=-1))
