"""Beat tasks: reminder scans and daily digests (every minute; each run is safe to repeat)."""

from __future__ import annotations

from celery.signals import worker_ready

from w2.notifications import digests, reminders
from w2.platform import runtime
from w2.platform.celery_app import celery_app
from w2.platform.tasks import relay


@celery_app.task(name="w2.notifications.scan", ignore_result=True)
def scan() -> int:
    """Fire due reminders, then hand the new messages to the relay."""
    fired = runtime.run(reminders.run_all)
    if fired:
        relay.delay()
    return fired


@celery_app.task(name="w2.notifications.digest", ignore_result=True)
def digest() -> int:
    """Queue today's digests at the configured local hour."""
    queued = runtime.run(digests.run_digests)
    if queued:
        relay.delay()
    return queued


@worker_ready.connect
def _catch_up(sender: object = None, **_: object) -> None:
    """A worker that (re)starts runs the scans and the relay at once instead of waiting for beat."""
    scan.delay()
    relay.delay()
