"""The composition root: every domain's API and page handlers, and template folders."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def api_handlers() -> list[Any]:
    """Handlers mounted under /api/v1."""
    from w2.consent.controllers import ConsentController
    from w2.meetings.agreements_controllers import AgreementController, WorkspaceAgreementController
    from w2.meetings.controllers import HANDLERS as MEETING_HANDLERS
    from w2.notifications.controllers import (
        JobseekerPreferencesController,
        NotificationController,
        OutboxController,
    )
    from w2.platform.controllers import DirectoryController, WorkspaceController
    from w2.reports.controllers import ScoresController
    from w2.reports.report_api import ReportController

    return [DirectoryController, WorkspaceController, ConsentController, WorkspaceAgreementController,
            AgreementController, *MEETING_HANDLERS, NotificationController, OutboxController,
            JobseekerPreferencesController, ScoresController, ReportController]


def page_handlers() -> list[Any]:
    """HTML pages and operational routes at the root."""
    from w2.consent.pages import PORTAL_ROUTER
    from w2.meetings.coordinator_pages import MEETING_PAGES as MEETING_WIZARD
    from w2.meetings.pages import PAGES as MEETING_PAGES
    from w2.meetings.partner_pages import PARTNER_PAGES
    from w2.platform.health import health
    from w2.platform.identity.mfa_pages import MFA_PAGES
    from w2.platform.identity.staff_pages import STAFF_SSO_PAGES
    from w2.platform.pages import PAGES
    from w2.platform.workspace_pages import WORKSPACE_PAGES
    from w2.reports.controllers import PAGES as SCORE_PAGES
    from w2.reports.report_api import PAGES as REPORT_PAGES

    return [health, *PAGES, *STAFF_SSO_PAGES, *MFA_PAGES, *MEETING_PAGES, PORTAL_ROUTER, PARTNER_PAGES, WORKSPACE_PAGES, MEETING_WIZARD,
            *REPORT_PAGES, *SCORE_PAGES]


def template_dirs() -> list[Path]:
    """Template folders of all domains (platform last, so domains can override nothing by accident)."""
    here = Path(__file__).resolve().parent
    root = here.parent
    return [root / "consent" / "templates", root / "meetings" / "templates", here / "templates"]
