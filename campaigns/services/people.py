"""Writes about people at risk."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Person, PersonStatus, PersonStatusChange
from ..partial_dates import normalise_partial_date
from .notifications import notifications_for_person_status


@transaction.atomic
def person_status_set(*, person: Person, status: str, date: str = "", text: str = "") -> PersonStatusChange:
    """Record a new status for a person at risk: the history keeps it, the person shows it."""
    if status not in PersonStatus.values:
        raise ValidationError(
            {
                "status": _("%(status)s is not a status: use one of %(choices)s.")
                % {"status": repr(status), "choices": ", ".join(PersonStatus.values)}
            }
        )
    try:
        date = normalise_partial_date(date)
    except ValidationError as exc:
        raise ValidationError({"date": exc.messages}) from exc
    previous = Person.objects.select_for_update().values_list("status", flat=True).get(pk=person.pk)
    change = PersonStatusChange.objects.create(person=person, status=status, date=date, text=text)
    Person.objects.filter(pk=person.pk).update(status=status)
    person.status = status
    if status != previous:
        # Queued in this transaction, sent once it commits.
        notifications_for_person_status(change=change)
    return change
