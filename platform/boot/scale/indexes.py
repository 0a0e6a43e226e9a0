"""Indexes designed for region-sized data (migration 0003_scale_indexes); see docs/performance.md."""

from __future__ import annotations

from sqlalchemy import Index, text

from w2.meetings.agreements.models import Agreement
from w2.platform.models import Membership

OPEN_DUE = "status IN ('open', 'in_progress')"

# Reminder scans walk open agreements in (due_date, id) order, a batch at a time: this partial index
# serves every batch as a short range instead of re-sorting all due rows per batch.
ix_agreement_due_open = Index(
    "ix_agreement_due_open", Agreement.due_date, Agreement.id,
    postgresql_where=text(OPEN_DUE), sqlite_where=text(OPEN_DUE),
)
# The policy's membership check and "workspaces of my agency" read (agency, workspace) pairs only:
# with both in the key they come from the index without touching the table.
ix_membership_agency_ws = Index("ix_membership_agency_ws", Membership.agency_id, Membership.workspace_id)
# A reminder pass also reads the open agreements changed since the last pass (migration perf_0006).
ix_agreement_open_updated = Index(
    "ix_agreement_open_updated", Agreement.updated_at,
    postgresql_where=text(OPEN_DUE), sqlite_where=text(OPEN_DUE),
)
