"""Celery tasks: thin wrappers that take ids, load rows and call services."""

from celery import shared_task

from .services.delivery import delivery_send


@shared_task(name="campaigns.send_delivery")
def send_delivery(delivery_id: int) -> None:
    delivery_send(delivery_id=delivery_id)
