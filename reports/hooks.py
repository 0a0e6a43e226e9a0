"""Nudge the render sweep right after a commit that planned renditions (installed by the composition root)."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import event

from w2.platform.celery_app import celery_app
from w2.platform.db.engine import W2Session
from w2.reports.service import PENDING_FLAG

log = logging.getLogger("w2.reports")
_pool: ThreadPoolExecutor | None = None


def _kick() -> None:
    global _pool
    if not celery_app.conf.get("broker_url"):
        return
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="w2-reports-kick")

    def send() -> None:
        try:
            celery_app.send_task("w2.reports.sweep")
        except Exception:  # noqa: BLE001 - the beat sweep picks pending renditions up anyway
            log.warning("could not nudge the render sweep; beat will pick it up")

    _pool.submit(send)


def _after_commit(session: Any) -> None:
    if session.info.pop(PENDING_FLAG, False):
        _kick()


def _after_rollback(session: Any) -> None:
    session.info.pop(PENDING_FLAG, None)


def install() -> None:
    """Idempotent: listen for commits of sessions that planned renditions."""
    if not event.contains(W2Session, "after_commit", _after_commit):
        event.listen(W2Session, "after_commit", _after_commit)
        event.listen(W2Session, "after_rollback", _after_rollback)

