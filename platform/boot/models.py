"""Imports every model module so the metadata is complete (migrations, tests)."""

from __future__ import annotations

import w2.consent.models  # noqa: F401
import w2.instruments.models  # noqa: F401
import w2.meetings.agreements.models  # noqa: F401
import w2.meetings.models  # noqa: F401
import w2.notifications.models  # noqa: F401
import w2.platform.boot.scale.indexes  # noqa: F401
import w2.platform.identity.models  # noqa: F401
import w2.platform.models  # noqa: F401
import w2.platform.outbox  # noqa: F401
import w2.platform.portal_auth  # noqa: F401
import w2.reports.models  # noqa: F401
from w2.platform.db.base import Base

metadata = Base.metadata
