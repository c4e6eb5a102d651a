"""Celery tasks: thin wrappers that take ids, load rows and call services.

Every task is safe to run twice: deliveries are claimed with a conditional UPDATE, scheduled
mail carries a dedupe_key. acks_late and reject_on_worker_lost (settings) bring a task back if
its worker dies; the time limits are in settings too.
"""

from celery import shared_task

from .services.api import idempotency_keys_prune
from .services.delivery import SEND_DELIVERY_TASK, delivery_send, delivery_sweep
from .services.notifications import deadline_reminders_queue, digests_queue, escalations_queue


@shared_task(name=SEND_DELIVERY_TASK)
def send_delivery(delivery_id: int) -> str:
    return delivery_send(delivery_id=delivery_id)


@shared_task(name="campaigns.sweep_deliveries")
def sweep_deliveries() -> dict[str, int]:
    return delivery_sweep()


@shared_task(name="campaigns.send_deadline_reminders")
def send_deadline_reminders() -> int:
    return deadline_reminders_queue()


@shared_task(name="campaigns.send_escalations")
def send_escalations() -> int:
    return escalations_queue()


@shared_task(name="campaigns.prune_idempotency_keys")
def prune_idempotency_keys() -> int:
    return idempotency_keys_prune()


@shared_task(name="campaigns.send_organiser_digests")
def send_organiser_digests() -> int:
    return digests_queue()
