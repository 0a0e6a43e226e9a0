"""Every wiring point of w2 in one readable place: channels, send-time checks, mail kinds, hooks, catalogues.

The web app (`create_app`), the worker (`configure_worker`) and the CLI (`main`) all call `wire()`,
so a check or a mail kind never depends on which module a process happened to import.
"""

from __future__ import annotations

from pathlib import Path

from w2.consent.questions import readable_questions
from w2.meetings import checkin, coordination, ics
from w2.meetings.send_checks import invitation_still_due
from w2.notifications.channels import SIMPLE_KINDS, EmailChannel, InAppChannel, SmsChannel, render_digest
from w2.notifications.service import announce_consent_by_sms, still_entitled, still_relevant
from w2.platform import wiring
from w2.platform.mail import simple_renderer
from w2.platform.portal_invitations import KIND as PORTAL_INVITATION
from w2.platform.wiring import Renderer, Wiring
from w2.reports import hooks as report_hooks
from w2.reports.service import plan_renditions

ROOT = Path(__file__).resolve().parents[2]

# Mail kinds whose mail is the catalogue's `mail.<kind>.subject` and `.body` (no case content, a link only).
SIMPLE_MAILS = (
    "member_added", PORTAL_INVITATION, "consent_recorded", "report_ready", "report_nothing_shared",
    "report_ready_jobseeker", checkin.KIND,
    *SIMPLE_KINDS,
)
# Mail kinds with their own renderer.
CUSTOM_MAILS: dict[str, Renderer] = {
    "meeting_invitation": ics.render_invitation,
    "meeting_update": ics.render_update,
    "meeting_cancellation": ics.render_cancellation,
    "meeting_poll": ics.render_poll,
    "meeting_agreement": ics.render_agreement,
    "digest": render_digest,
    "meeting_handover": coordination.render_handover,
}
CATALOGUES = (
    ROOT / "platform" / "identity" / "locale",
    ROOT / "consent" / "locale",
    ROOT / "consent" / "locale" / "portal",
    ROOT / "consent" / "locale" / "citizen",
    ROOT / "consent" / "locale" / "people",
    ROOT / "consent" / "locale" / "export",
    ROOT / "meetings" / "locale",
    ROOT / "meetings" / "locale" / "portal",
    ROOT / "meetings" / "agreements" / "locale",
    ROOT / "instruments" / "locale",
    ROOT / "notifications" / "locale",
    ROOT / "notifications" / "locale" / "portal",
    ROOT / "reports" / "locale",
    ROOT / "reports" / "locale" / "portal",
)


def build() -> Wiring:
    """The wiring of a w2 process."""
    return Wiring(
        channels={"email": EmailChannel(), "sms": SmsChannel(), "inapp": InAppChannel()},
        inline_channels=frozenset({"inapp"}),
        # Each returns a reason to cancel a message at send time (consent withdrawn, meeting cancelled, ...).
        send_checks=(still_entitled, still_relevant, invitation_still_due),
        renderers={**{kind: simple_renderer(kind) for kind in SIMPLE_MAILS}, **CUSTOM_MAILS},
        # consent.announce.announce_consent mails the job seeker, then runs these.
        announce_hooks=(announce_consent_by_sms,),
        # meetings.round_table.finalize freezes a report version, then runs these.
        finalize_hooks=(plan_renditions,),
        catalogue_dirs=CATALOGUES,
        # The kernel's workspace API shows members' questions only through the consent policy.
        question_reader=readable_questions,
    )


def wire() -> Wiring:
    """Build and install the wiring, and the commit listener that nudges the report renderer (idempotent)."""
    w = build()
    wiring.install(w)
    report_hooks.install()
    return w
