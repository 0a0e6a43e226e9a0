"""Which table lands where in the job seeker's export (GDPR art. 15), and which is left out and why.

Every table that holds rows about one person (the erasure's own list, `erasure._owned_predicates`)
is either exported under a JSON key or listed in EXCLUDED with a reason; a test fails on a new
table that is neither, so a new kind of data cannot be forgotten.
"""

from __future__ import annotations

# table -> the top-level key of the JSON export that holds its rows
EXPORTED: dict[str, str] = {
    "jobseeker": "jobseeker",
    "workspace": "workspace",
    "membership": "members",
    "pivot_assignment": "pivot_history",
    "confidant": "confidants",
    "consent": "consents",
    "consent_revocation": "consents",
    "consent_notice": "consents",
    "portal_invitation": "sign_in_links",
    "access_log": "access_log",
    "meeting": "meetings",
    "meeting_invitee": "meetings",
    "meeting_jobseeker_agreement": "meetings",
    "meeting_slot": "meetings",
    "meeting_vote": "meetings",
    "meeting_coordinator_change": "meetings",
    "meeting_urgent_theme": "meetings",
    "meeting_note": "meeting_notes",
    "meeting_report_version": "report_versions",
    "report_rendition": "report_copies",
    "integrated_rendition": "integrated_report_copies",
    "score_entry": "scores",
    "agreement": "agreements",
    "agreement_note": "agreements",
    "phase_change": "phase_history",
    "vignet_section": "vignet",
    "vignet_section_version": "vignet",
    "trajectory_agreement": "trajectory_agreements",
    "trajectory_goal": "trajectory_agreements",
    "trajectory_signature": "trajectory_agreements",
    "competence_card": "competence_cards",
    "integrated_report": "integrated_reports",
    "integrated_report_section": "integrated_reports",
    "drawing": "drawings",
    "outbox_message": "messages",
    "notification_preference": "preferences",
}

# table -> why its rows are not in the export (they say nothing new about the person)
EXCLUDED: dict[str, str] = {
    "consent_grant": "one row per life domain of a consent: the same facts as `consents.life_domains`",
    "consent_access": "a compiled copy of the active consents, for fast checks: the same facts as `consents`",
    "portal_link": "the hash of a one-time sign-in link: a secret, not information about the person; "
                   "when a link was sent is in `sign_in_links`",
    "notification": "in-app notices to professionals (a kind and a link to the workspace, no case content); "
                    "every read they lead to is in `access_log`",
    "reminder_fired": "a technical ledger so that each reminder goes out once; the reminder itself is in `messages`",
}
