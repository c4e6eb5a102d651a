"""The broker connection's repair (config/broker.py), tried without a worker: the exact state in
which a Celery consumer's clean-up after a Redis crash raised AttributeError and stopped the worker.

A channel with a message delivered and not yet acknowledged, consuming a fanout queue (as the
worker's remote-control queue does), with a BRPOP in flight; Redis dies; then what the consumer
does on losing the broker: collect the connection, then close it.
"""

from __future__ import annotations

import pytest
from kombu import Connection, Consumer, Exchange, Producer, Queue

from config.broker import BrokerConnection
from config.celery_app import app

pytestmark = pytest.mark.worker


def lose_redis_mid_brpop(connection: Connection, redis_server) -> None:
    channel = connection.default_channel
    tasks = Queue("probe", Exchange("probe"), "probe")
    broadcast = Queue("probe.broadcast", Exchange("probe.broadcast", type="fanout"), auto_delete=True)
    Producer(channel).publish({"n": 1}, exchange=tasks.exchange, routing_key="probe", declare=[tasks], serializer="json")
    received = []
    Consumer(channel, queues=[tasks], callbacks=[lambda body, message: received.append(message)], accept=["json"]).consume()
    Consumer(channel, queues=[broadcast], callbacks=[lambda body, message: None], accept=["json"]).consume()
    connection.drain_events(timeout=5)
    assert len(received) == 1 and len(channel.qos._delivered) == 1  # delivered, not acknowledged
    channel._brpop_start()  # the consumer waiting for the next message
    redis_server.kill()
    connection.collect(socket_timeout=1)  # Consumer.on_connection_error_after_connected, in order
    connection.close()


def test_the_worker_connection_survives_redis_dying_mid_brpop(redis_server):
    assert app.amqp.Connection is BrokerConnection  # the consumer's and the publishers' connections
    connection = BrokerConnection(redis_server.url, transport_options={"socket_connect_timeout": 1})
    lose_redis_mid_brpop(connection, redis_server)  # raises nothing
    # and it can connect again once Redis is back, as the consumer's restart does
    redis_server.start()
    again = BrokerConnection(redis_server.url)
    with again:
        again.ensure_connection(max_retries=3)
        assert again.default_channel.client.ping()


@pytest.mark.xfail(
    raises=AttributeError,
    strict=True,
    reason="kombu 5.7.0's own Connection: when this passes, kombu is fixed and config/broker.py can go",
)
def test_kombus_own_connection_still_fails_there(redis_server):
    connection = Connection(redis_server.url, transport_options={"socket_connect_timeout": 1})
    lose_redis_mid_brpop(connection, redis_server)
