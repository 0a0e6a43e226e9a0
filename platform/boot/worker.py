"""The worker side of the composition root: task modules, the beat schedule and the reliability options (DESIGN.md)."""

from __future__ import annotations

from celery import Celery
from celery.schedules import crontab

from w2.consent import tasks as consent_tasks
from w2.notifications import tasks as notification_tasks
from w2.platform import tasks as platform_tasks
from w2.platform.boot import retention
from w2.platform.boot.wiring import wire
from w2.platform.celery_app import celery_app
from w2.platform.ops.logs import carry_request_ids_into_tasks
from w2.platform.settings import Settings, get_settings
from w2.reports import integrated_tasks as integrated_report_tasks
from w2.reports import tasks as report_tasks

# Every module that declares tasks, so that every worker knows every task name.
TASK_MODULES = [m.__name__ for m in (platform_tasks, consent_tasks, notification_tasks, report_tasks,
                                     integrated_report_tasks, retention)]
BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "outbox-relay": {"task": "w2.outbox.relay", "schedule": crontab()},
    "consent-expire": {"task": "w2.consent.expire", "schedule": crontab(minute="*/15")},
    "notifications-scan": {"task": "w2.notifications.scan", "schedule": crontab()},
    "notifications-digest": {"task": "w2.notifications.digest", "schedule": crontab()},
    # A safety net only (finalize nudges the sweep right after commit): a plain 60 s, never sped up in tests.
    "reports-sweep": {"task": "w2.reports.sweep", "schedule": 60.0},
    # Daily at 03:17 UTC, away from the full hour when other jobs of the host tend to run.
    "retention": {"task": "w2.retention.run", "schedule": crontab(hour="3", minute="17")},
}


def _beat_schedule(st: Settings) -> dict[str, dict[str, object]]:
    # W2_BEAT_SECONDS (tests only) runs the every-minute entries every N seconds instead.
    every = st.beat_seconds
    if not every:
        return BEAT_SCHEDULE
    return {name: {**entry, "schedule": every} if entry["schedule"] == crontab() else entry
            for name, entry in BEAT_SCHEDULE.items()}


def configure(settings: Settings | None = None) -> Celery:
    """Wire the process and apply settings to the shared Celery app (idempotent)."""
    st = settings or get_settings()
    wire()
    broker = st.broker_url
    celery_app.conf.update(
        broker_url=broker,
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=300,
        task_soft_time_limit=240,
        task_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        enable_utc=True,
        beat_schedule=_beat_schedule(st),
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        include=TASK_MODULES,
        task_default_queue=st.queue,
    )
    # The sqla transport passes every transport option to create_engine, so only Redis gets these.
    if st.broker_is_redis:
        celery_app.conf.broker_transport_options = {"visibility_timeout": 3600}
    else:
        celery_app.conf.broker_transport_options = {}
    carry_request_ids_into_tasks()
    return celery_app
