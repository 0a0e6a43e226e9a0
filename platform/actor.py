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
