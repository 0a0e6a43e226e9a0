"""Agencies' own identity providers: configuration (CLI) and matching a verified e-mail to a user."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.identity.models import AgencyIdentityProvider
from w2.platform.identity.oidc import OidcClient, OidcError, issuer_problem
from w2.platform.identity.secretbox import seal, unseal
from w2.platform.models import Agency, User

STAFF_SCOPE = "openid email"


class IdpConfigError(Exception):
    """A refused identity-provider setting, with a readable Dutch message."""


@dataclass(frozen=True)
class SsoChoice:
    """One agency offering sign-in through its own provider, for the login page."""

    agency_id: uuid.UUID
    agency_name: str
    password_sign_in: bool


async def configure(
    session: AsyncSession, *, agency_id: uuid.UUID, issuer: str, client_id: str, client_secret: str,
    password_sign_in: bool | None = None, trust_email: bool | None = None,
) -> AgencyIdentityProvider:
    """Create or replace an agency's provider; the client secret is stored sealed, never echoed."""
    if await session.get(Agency, agency_id) is None:
        raise IdpConfigError(f"geen dienst met id {agency_id}")
    issuer, client_id = issuer.strip(), client_id.strip()
    if problem := issuer_problem(issuer):
        raise IdpConfigError(problem)
    if not client_id:
        raise IdpConfigError("de client-id mag niet leeg zijn")
    if not client_secret:
        raise IdpConfigError("geef het client-secret op via standaardinvoer")
    row = await session.scalar(select(AgencyIdentityProvider).where(AgencyIdentityProvider.agency_id == agency_id))
    if row is None:
        row = AgencyIdentityProvider(agency_id=agency_id, issuer=issuer, client_id=client_id,
                                     client_secret_sealed=seal(client_secret), trust_email=bool(trust_email),
                                     password_sign_in=True if password_sign_in is None else password_sign_in)
        session.add(row)
    else:
        row.issuer, row.client_id, row.client_secret_sealed = issuer, client_id, seal(client_secret)
        if password_sign_in is not None:
            row.password_sign_in = password_sign_in
        if trust_email is not None:
            row.trust_email = trust_email
    await session.flush()
    return row


async def provider_of(session: AsyncSession, agency_id: uuid.UUID) -> AgencyIdentityProvider | None:
    """The agency's provider, if it has one."""
    return await session.scalar(select(AgencyIdentityProvider).where(AgencyIdentityProvider.agency_id == agency_id))


def client_for(row: AgencyIdentityProvider, base_url: str) -> OidcClient:
    """The OpenID client w2 is at this agency's provider."""
    return OidcClient(issuer=row.issuer, client_id=row.client_id, client_secret=unseal(row.client_secret_sealed),
                      redirect_uri=f"{base_url.rstrip('/')}/login/sso/terug", scope=STAFF_SCOPE)


async def choices(session: AsyncSession) -> list[SsoChoice]:
    """Agencies with their own provider, by name."""
    rows = (await session.execute(
        select(Agency.id, Agency.name, AgencyIdentityProvider.password_sign_in)
        .join(AgencyIdentityProvider, AgencyIdentityProvider.agency_id == Agency.id).order_by(Agency.name))).all()
    return [SsoChoice(r[0], r[1], r[2]) for r in rows]


async def password_allowed(session: AsyncSession, agency_id: uuid.UUID) -> bool:
    """False when the agency switched password sign-in off (its staff use their own provider)."""
    allowed = await session.scalar(
        select(AgencyIdentityProvider.password_sign_in).where(AgencyIdentityProvider.agency_id == agency_id))
    return allowed is None or bool(allowed)


def verified_email(claims: dict[str, Any], trust_email: bool) -> str:
    """The e-mail claim, only when the provider vouches for it."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise OidcError("no_email")
    verified = claims.get("email_verified")
    if not (verified is True or verified == "true" or (trust_email and verified is None)):
        raise OidcError("email_not_verified")
    return email.strip().lower()


async def match_user(session: AsyncSession, agency_id: uuid.UUID, email: str) -> User | None:
    """The existing, active user of that agency with that address; never creates one."""
    return await session.scalar(select(User).where(func.lower(User.email) == email, User.agency_id == agency_id,
                                                   User.active.is_(True)))
