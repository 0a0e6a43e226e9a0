"""The one Celery app object that task modules declare their tasks on; platform/boot/worker.py configures it."""

from __future__ import annotations

from celery import Celery

celery_app = Celery("w2")
