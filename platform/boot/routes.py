"""The composition root's web side: every domain's API handlers, pages, export parts and template folders."""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

from w2.consent.assisted import ASSISTED_PAGES
from w2.consent.controllers import ConsentController
from w2.consent.pages import PORTAL_ROUTER
from w2.consent.people_pages import PORTAL_PEOPLE_PAGES
from w2.consent.portal_export import PartReader
from w2.instruments.controllers import HANDLERS as INSTRUMENT_HANDLERS
from w2.instruments.drawing_pages import DRAWING_PAGES, PORTAL_DRAWING_PAGES
from w2.instruments.export import drawing_parts
from w2.instruments.export import export_parts as instrument_parts
from w2.instruments.pages import CARD_PAGES, INSTRUMENT_PAGES
from w2.instruments.portal_pages import PORTAL_INSTRUMENT_PAGES
from w2.meetings.agreements.controllers import AgreementController, WorkspaceAgreementController
from w2.meetings.agreements.portal import export_part as agreement_part
from w2.meetings.agreements.portal_pages import PORTAL_AGREEMENT_PAGES
from w2.meetings.controllers import HANDLERS as MEETING_HANDLERS
from w2.meetings.coordinator_pages import MEETING_PAGES as MEETING_WIZARD
from w2.meetings.export import export_parts as meeting_parts
from w2.meetings.link_pages import PAGES as MEETING_LINK_PAGES
from w2.meetings.partner_pages import PARTNER_PAGES
from w2.meetings.portal_pages import PORTAL_MEETING_PAGES
from w2.meetings.workspace_pages import WORKSPACE_PAGES
from w2.notifications.controllers import (
    JobseekerPreferencesController,
    NotificationController,
    OutboxController,
)
from w2.notifications.export import export_parts as message_parts
from w2.notifications.portal_pages import PORTAL_MESSAGE_PAGES
from w2.platform.controllers import DirectoryController, WorkspaceController
from w2.platform.health import health
from w2.platform.identity.mfa_pages import MFA_PAGES
from w2.platform.identity.staff_pages import STAFF_SSO_PAGES
from w2.platform.pages import PAGES
from w2.platform.portal_invitation_controllers import PortalInvitationController
from w2.platform.speech_pages import SPEECH_PAGES
from w2.reports.card_controllers import PAGES as CARD_PDF_PAGES
from w2.reports.drawing_controllers import PAGES as DRAWING_PDF_PAGES
from w2.reports.drawing_controllers import DrawingDocumentController
from w2.reports.export import export_parts as report_parts
from w2.reports.integrated_controllers import PDF_PAGES as INTEGRATED_PDF_PAGES
from w2.reports.integrated_controllers import IntegratedReportController
from w2.reports.integrated_pages import INTEGRATED_PAGES
from w2.reports.portal_pages import PORTAL_DOCUMENT_PAGES
from w2.reports.report_controllers import PAGES as REPORT_PAGES
from w2.reports.report_controllers import ReportController
from w2.reports.scoretabel_pages import PORTAL_SCORETABEL_PAGES, SCORETABEL_PAGES
from w2.reports.scoring_controllers import PAGES as SCORE_PAGES
from w2.reports.scoring_controllers import ScoresController
from w2.reports.trajectory_controllers import PAGES as TRAJECTORY_PDF_PAGES
from w2.reports.trajectory_controllers import TrajectoryDocumentController
from w2.reports.version_pages import REPORT_VERSION_PAGES

ROOT = Path(__file__).resolve().parents[2]


def api_handlers() -> list[Any]:
    """Handlers mounted under /api/v1."""
    return [DirectoryController, WorkspaceController, ConsentController, WorkspaceAgreementController,
            AgreementController, *MEETING_HANDLERS, NotificationController, OutboxController,
            JobseekerPreferencesController, ScoresController, ReportController, PortalInvitationController,
            *INSTRUMENT_HANDLERS, TrajectoryDocumentController, IntegratedReportController,
            DrawingDocumentController]


def page_handlers() -> list[Any]:
    """HTML pages and operational routes at the root."""
    return [health, *PAGES, *STAFF_SSO_PAGES, *MFA_PAGES, ASSISTED_PAGES, *MEETING_LINK_PAGES, PORTAL_ROUTER, PORTAL_PEOPLE_PAGES,
            PORTAL_MEETING_PAGES, PORTAL_AGREEMENT_PAGES, PARTNER_PAGES, WORKSPACE_PAGES, MEETING_WIZARD,
            *REPORT_PAGES, REPORT_VERSION_PAGES, *SCORE_PAGES, INSTRUMENT_PAGES, PORTAL_INSTRUMENT_PAGES, *TRAJECTORY_PDF_PAGES,
            SCORETABEL_PAGES, PORTAL_SCORETABEL_PAGES, PORTAL_DOCUMENT_PAGES, CARD_PAGES,
            *CARD_PDF_PAGES, PORTAL_MESSAGE_PAGES, DRAWING_PAGES, PORTAL_DRAWING_PAGES, *DRAWING_PDF_PAGES,
            SPEECH_PAGES, INTEGRATED_PAGES, *INTEGRATED_PDF_PAGES]


def export_parts() -> list[PartReader]:
    """What the domains above consent add to the job seeker's own export, in this order."""
    return [meeting_parts, agreement_part, report_parts, instrument_parts, drawing_parts, message_parts]


def template_dirs() -> list[Path | PathLike[Any] | str]:
    """Template folders of all domains (platform last, so domains can override nothing by accident)."""
    return [ROOT / "consent" / "templates", ROOT / "meetings" / "templates", ROOT / "instruments" / "templates",
            ROOT / "reports" / "page_templates", ROOT / "notifications" / "templates", ROOT / "platform" / "templates"]
