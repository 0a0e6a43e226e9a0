"""Round tables with invitees for the scale data, when the meetings tables are part of this build.

Columns are read from the models at run time, so the generator keeps working while the meetings
domain adds columns: every column we do not set gets its model default (or NULL).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import Any

from w2.consent.domains import LIFE_DOMAINS

REASONS = (
    ("De begeleiding zit vast.", "Samen kijken wie wat kan doen."),
    ("Er is nood aan afstemming tussen de diensten.", "Eén plan maken met duidelijke afspraken."),
    ("Na een crisis thuis.", "Rust brengen en de volgende stappen kiezen."),
    ("Zoeken naar passende hulp.", "Een dienst vinden die past."),
)
NOTE = "Kort overzicht van wat gedeeld is in dit domein."


def _default(col: Any) -> Any:
    d = col.default
    if d is None or d.arg is None:
        return None
    if callable(d.arg):
        try:
            return d.arg(None)
        except TypeError:
            return d.arg()
    return d.arg


class MeetingRows:
    """Generates meeting, meeting_invitee (and meeting_note when present) rows for a batch."""

    def __init__(self, tables: dict[str, Any]) -> None:
        self.tables = tables
        self.columns = {name: tuple(c.name for c in t.columns) for name, t in tables.items()}
        self._defaults = {name: {c.name: c for c in t.columns} for name, t in tables.items()}

    def _row(self, table: str, values: dict[str, Any]) -> tuple[Any, ...]:
        cols = self._defaults[table]
        return tuple(values[c] if c in values else _default(cols[c]) for c in self.columns[table])

    def rows(self, gen: Any, batch: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
        """Rows for the batch's workspaces: 0-3 round tables each, with consenting agencies invited."""
        rng = gen.rng
        out: dict[str, list[tuple[Any, ...]]] = {t: [] for t in self.columns}
        members: dict[Any, list[tuple[Any, Any]]] = defaultdict(list)
        for m in batch["membership"]:
            members[m[1]].append((m[2], m[3]))  # workspace -> (agency, contact user)
        invitable: set[tuple[Any, Any]] = set()
        ended = {r[0] for r in batch["consent_revocation"]}
        for c in batch["consent"]:
            if c[3] == "meeting_participation" and c[0] not in ended:
                invitable.add((c[1], c[2]))
        confidants = {c[1]: c[0] for c in batch["confidant"]}
        for ws in batch["workspace"]:
            wid, created, coord_user = ws[0], ws[4], ws[3]
            for _ in range(rng.choices((0, 1, 2, 3), weights=(25, 45, 20, 10))[0]):
                self._meeting(gen, out, wid, created, coord_user, members[wid], invitable, confidants.get(wid))
        return out

    def _meeting(self, gen: Any, out: dict[str, list[tuple[Any, ...]]], wid: Any, created: datetime,
                 coord_user: Any, members: list[tuple[Any, Any]], invitable: set[tuple[Any, Any]],
                 confidant: Any) -> None:
        rng, now = gen.rng, gen.now
        asked = created + timedelta(days=rng.randint(1, max(2, (now - created).days)))
        starts = datetime.combine((asked + timedelta(days=rng.randint(7, 30))).date(),
                                  time(rng.choice((8, 9, 12, 13)), rng.choice((0, 30))), asked.tzinfo)
        ends = starts + timedelta(hours=1, minutes=30)
        if starts > now:
            status = rng.choices(("requested", "preparing", "polling", "scheduled"), weights=(10, 15, 15, 60))[0]
        else:
            status = rng.choices(("finalized", "held", "cancelled"), weights=(75, 15, 10))[0]
        scheduled = status in ("scheduled", "held", "finalized")
        reason, goal = rng.choice(REASONS)
        mid = gen.uuid()
        values: dict[str, Any] = {
            "id": mid, "workspace_id": wid, "status": status, "reason": reason, "goal": goal,
            "requested_by_kind": "professional", "requested_by_user_id": coord_user,
            "created_by_user_id": coord_user, "coordinator_user_id": coord_user, "jobseeker_informed": True,
            "jobseeker_participation": rng.choices(("full", "second_part", "none"), weights=(75, 15, 10))[0],
            "practical_needs": rng.sample(("transport", "childcare", "interpreter"), rng.randint(0, 2)),
            "children_names": [], "ics_uid": f"{mid}@w2.scale", "ics_sequence": 0, "invitee_list_version": 1,
            "starts_at": starts if scheduled else None, "ends_at": ends if scheduled else None,
            "location": "Sociaal huis, vergaderzaal 2" if scheduled else None,
            "scheduled_at": asked + timedelta(days=3) if scheduled else None,
            "held_at": ends if status in ("held", "finalized") else None,
            "finalized_at": ends + timedelta(days=2) if status == "finalized" else None,
            "follow_up_date": (starts + timedelta(days=90)).date() if status == "finalized" else None,
            "cancelled_at": asked + timedelta(days=5) if status == "cancelled" else None,
            "cancel_reason": "De werkzoekende is ziek." if status == "cancelled" else None,
            "created_at": asked, "updated_at": asked,
        }
        out["meeting"].append(self._row("meeting", values))
        held = status in ("held", "finalized")

        def attendance() -> str | None:
            return rng.choices(("present", "absent", "excused"), weights=(85, 5, 10))[0] if held else None

        invitees = [{"kind": "jobseeker"}]
        for agency, user in members:
            if (wid, agency) in invitable:
                invitees.append({"kind": "professional", "agency_id": agency, "user_id": user})
        if confidant is not None and rng.random() < 0.5:
            invitees.append({"kind": "confidant", "confidant_id": confidant})
        for inv in invitees:
            out["meeting_invitee"].append(self._row("meeting_invitee", {
                "id": gen.uuid(), "meeting_id": mid, "attendance": attendance(), "created_at": asked,
                "invited_sequence": 0 if scheduled else None, "added_by_user_id": coord_user, **inv}))
        if "meeting_note" in self.columns and held:
            for domain in rng.sample(LIFE_DOMAINS, rng.randint(1, 3)):
                out["meeting_note"].append(self._row("meeting_note", {
                    "id": gen.uuid(), "meeting_id": mid, "workspace_id": wid, "life_domain": domain,
                    "information": NOTE, "updated_by_user_id": coord_user, "updated_at": ends}))


def extra() -> MeetingRows | None:
    """A row generator for meeting tables, or None when the meetings domain has no tables yet."""
    try:
        import w2.meetings.models  # noqa: F401
    except ImportError:
        return None
    from w2.platform.boot.models import metadata

    wanted = ("meeting", "meeting_invitee", "meeting_note")
    tables = {name: metadata.tables[name] for name in wanted if name in metadata.tables}
    if "meeting" not in tables or "meeting_invitee" not in tables:
        return None
    return MeetingRows(tables)
