"""The broker connection Celery uses here: kombu's, with one repair so a worker survives a Redis restart.

The fault: Celery 5.7's consumer, on losing the broker, calls `connection.collect()` and then
`connection.close()` (celery.worker.consumer.Consumer.on_connection_error_after_connected).
With the Redis transport, `collect()` closes the default channel and then detaches the transport
(`transport.client = None`) but keeps the channel. When Redis died while that channel had a
BRPOP in flight and consumed a fanout queue (the worker's remote-control queue is one), the close
stops at the dead socket, so the channel stays open. `close()` then closes it again; this time it
gets as far as restoring the unacknowledged messages, which needs a new connection pool, whose
parameters come from the detached transport's client: `AttributeError: 'NoneType' object has no
attribute 'hostname'` in kombu.transport.redis.Channel._connparams. That is not a connection
error, so the consumer does not reconnect: the worker logs "Unrecoverable error" and exits.
Present in celery 5.7.0 with kombu 5.7.0 (the newest releases); celery 5.6 did not close after
collecting. tests/worker/test_broker.py reproduces it without a worker.

The repair: a collected connection forgets its default channel along with its transport, as it
forgets its socket. Nothing is lost by not closing it again: its sockets are dead, and the
messages it held unacknowledged are gone with the Redis that died or come back after the
visibility timeout; the outbox sweep re-publishes their deliveries long before
(campaigns.services.delivery.delivery_sweep).
"""

from __future__ import annotations

from celery.app.amqp import AMQP
from kombu import Connection


class BrokerConnection(Connection):
    def collect(self, socket_timeout: float | None = None) -> None:
        try:
            super().collect(socket_timeout=socket_timeout)
        finally:
            channel, self._default_channel = self._default_channel, None
            if channel is not None and not channel.closed and channel._qos is not None:
                # Its restore of unacknowledged messages would otherwise run at process exit,
                # against whichever Redis is there then; a close that succeeds tries it once, now.
                channel._qos._on_collect.cancel()


class BrokerAMQP(AMQP):
    """Celery's AMQP helpers, making every broker connection (consumer, publisher pools) a BrokerConnection."""

    Connection = BrokerConnection
    BrokerConnection = BrokerConnection
