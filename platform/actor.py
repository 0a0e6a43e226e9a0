"""Who is making a request: a professional (staff) or the job seeker on their own pages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    """The signed-in caller; consent decisions are made on this, never on roles alone."""

    kind: str  # "staff" | "jobseeker"
    user_id: uuid.UUID | None = None
    agency_id: uuid.UUID | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    workspace_id: uuid.UUID | None = None  # set for a job seeker: their own workspace
    name: str = ""
    email: str | None = None
    language: str = "nl"
    # An assisted session (DESIGN rule 11): a professional at the counter works *with* the job seeker
    # on the job seeker's own pages; set only for kind "jobseeker".
    assisted_by_user_id: uuid.UUID | None = None
    assisted_by_name: str = ""
    assisted_by_agency_id: uuid.UUID | None = None
    assisted_by_agency_name: str = ""

    @property
    def is_assisted(self) -> bool:
        """The job seeker's pages, used together with a professional at the counter."""
        return self.kind == "jobseeker" and self.assisted_by_user_id is not None

    @property
    def acting_user_id(self) -> uuid.UUID | None:
        """The professional behind this request: the staff user, or the helper in an assisted session."""
        return self.user_id or self.assisted_by_user_id

    @property
    def log_kind(self) -> str:
        """The actor kind the access log records: `assisted` is staff acting with the job seeker."""
        return "assisted" if self.is_assisted else self.kind

    @property
    def portal_method(self) -> str:
        """How a consent given on the job seeker's pages is recorded: alone (`portal`) or `assisted`."""
        return "assisted" if self.is_assisted else "portal"

    @property
    def is_staff(self) -> bool:
        """A professional of an agency."""
        return self.kind == "staff"

    @property
    def is_jobseeker(self) -> bool:
        """The job seeker on their own pages."""
        return self.kind == "jobseeker"

    @property
    def is_platform_admin(self) -> bool:
        """Manages agencies and users; never reads case content."""
        return "platform_admin" in self.roles

    def has_role(self, role: str) -> bool:
        """True when the actor holds the role."""
        return role in self.roles
