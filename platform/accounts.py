"""Agencies, users and tokens: the rules the CLI and admin pages share."""

from __future__ import annotations

import uuid

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.auth import hash_password, new_token
from w2.platform.db.base import utcnow
from w2.platform.models import AGENCY_KINDS, ROLES, Agency, ApiToken, User


class AccountError(Exception):
    """A refused account operation, with a readable message."""


async def create_agency(session: AsyncSession, name: str, kind: str) -> Agency:
    """Create an agency with a unique name."""
    name = name.strip()
    if not name:
        raise AccountError("de naam mag niet leeg zijn")
    if kind not in AGENCY_KINDS:
        raise AccountError(f"onbekende soort dienst: {kind}")
    if await session.scalar(select(Agency.id).where(func.lower(Agency.name) == name.lower())):
        raise AccountError(f"er bestaat al een dienst met de naam {name!r}")
    agency = Agency(name=name, kind=kind)
    session.add(agency)
    await session.flush()
    return agency


async def create_user(
    session: AsyncSession, *, agency_id: uuid.UUID, email: str, name: str, roles: list[str],
    password: str | None, function: str | None = None,
) -> User:
    """Create a user in an agency; the password is stored as an argon2id hash."""
    email = email.strip().lower()
    if "@" not in email:
        raise AccountError(f"ongeldig e-mailadres: {email}")
    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise AccountError(f"onbekende rol: {', '.join(bad)}")
    if await session.get(Agency, agency_id) is None:
        raise AccountError(f"geen dienst met id {agency_id}")
    if await session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise AccountError(f"er bestaat al een gebruiker met e-mailadres {email}")
    if password is not None and len(password) < 8:
        raise AccountError("het wachtwoord moet minstens 8 tekens hebben")
    user = User(agency_id=agency_id, email=email, name=name.strip(), roles=sorted(set(roles)),
                password_hash=await hash_password(password) if password else None, function=function)
    session.add(user)
    await session.flush()
    return user


async def create_token(session: AsyncSession, email: str, label: str | None = None) -> str:
    """Issue a bearer token for a user; only its hash is kept."""
    user = await session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise AccountError(f"geen gebruiker met e-mailadres {email}")
    raw, digest = new_token()
    session.add(ApiToken(user_id=user.id, token_hash=digest, label=label))
    await session.flush()
    return raw


async def revoke_tokens(session: AsyncSession, email: str) -> int:
    """Revoke every active token of a user."""
    user = await session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise AccountError(f"geen gebruiker met e-mailadres {email}")
    res = await session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    assert isinstance(res, CursorResult)  # an UPDATE's result has a row count
    return res.rowcount or 0
