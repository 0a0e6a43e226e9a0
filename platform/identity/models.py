"""Tables for sign-in: an agency's own identity provider, and admins' second factor."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from w2.platform.db.base import Base, CreatedMixin, IdMixin, UTCDateTime


class AgencyIdentityProvider(IdMixin, CreatedMixin, Base):
    """An agency's OpenID provider for staff sign-in; the client secret is stored sealed."""

    __tablename__ = "agency_identity_provider"
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), unique=True)
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(300))
    client_secret_sealed: Mapped[str] = mapped_column(Text)
    # Entra ID sends no email_verified claim; the agency vouches for its own addresses instead.
    trust_email: Mapped[bool] = mapped_column(Boolean, default=False)
    password_sign_in: Mapped[bool] = mapped_column(Boolean, default=True)


class UserTotp(CreatedMixin, Base):
    """A user's confirmed TOTP secret (sealed) and the last time step used (no code twice)."""

    __tablename__ = "user_totp"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    secret_sealed: Mapped[str] = mapped_column(Text)
    last_step: Mapped[int | None] = mapped_column(BigInteger, default=None)


class RecoveryCode(IdMixin, CreatedMixin, Base):
    """A one-time recovery code; only its argon2 hash is stored."""

    __tablename__ = "mfa_recovery_code"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
