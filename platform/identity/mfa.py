"""A second factor for admins' password sign-ins: TOTP (pyotp) plus one-time recovery codes (argon2)."""

from __future__ import annotations

import asyncio
import re
import secrets
import time
import uuid

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.platform.auth import ADMIN_ROLES
from w2.platform.db.base import utcnow
from w2.platform.identity.models import RecoveryCode, UserTotp
from w2.platform.identity.secretbox import seal, unseal
from w2.platform.models import User

RECOVERY_CODES = 10
ISSUER_NAME = "w2"
# Recovery codes carry ~60 random bits, so a lighter argon2 setting than for passwords is enough.
_code_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def needs_mfa(user: User) -> bool:
    """Agency admins and platform admins need a second factor when they sign in with a password."""
    return bool(ADMIN_ROLES & set(user.roles or ()))


def new_secret() -> str:
    """A fresh base32 TOTP secret."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER_NAME)


def qr_svg(uri: str) -> str:
    """The QR code as inline SVG, drawn on the server (no external service sees the secret)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it in by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _clean_totp(code: str) -> str | None:
    digits = re.sub(r"\s", "", code or "")
    return digits if re.fullmatch(r"\d{6}", digits) else None


def accepted_step(secret: str, code: str, last_step: int | None, now: float | None = None) -> int | None:
    """The time step a valid code belongs to (one step of clock drift allowed), else None.

    A code from a step at or before `last_step` is refused: the same code never works twice.
    """
    digits = _clean_totp(code)
    if digits is None:
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now // totp.interval)
    for step in (current, current - 1, current + 1):
        if (last_step is None or step > last_step) and secrets.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


async def totp_of(session: AsyncSession, user_id: uuid.UUID) -> UserTotp | None:
    """The user's confirmed TOTP registration, if any."""
    return await session.get(UserTotp, user_id)


async def enrol(session: AsyncSession, user_id: uuid.UUID, secret: str, code: str) -> list[str] | None:
    """Confirm a new secret with a first code: store it sealed and return fresh recovery codes (shown once)."""
    if await totp_of(session, user_id) is not None:
        return None
    step = accepted_step(secret, code, None)
    if step is None:
        return None
    session.add(UserTotp(user_id=user_id, secret_sealed=seal(secret), last_step=step))
    codes = await _replace_recovery_codes(session, user_id)
    await session.flush()
    return codes


async def verify_totp(session: AsyncSession, user_id: uuid.UUID, code: str) -> bool:
    """Check a TOTP code and remember its step (with a row lock, so two requests cannot both use it)."""
    row = await session.scalar(select(UserTotp).where(UserTotp.user_id == user_id).with_for_update())
    if row is None:
        return False
    step = accepted_step(unseal(row.secret_sealed), code, row.last_step)
    if step is None:
        return False
    row.last_step = step
    await session.flush()
    return True


def normalize_recovery_code(code: str) -> str:
    """Lower case, without spaces or dashes."""
    return re.sub(r"[\s\-]", "", code or "").lower()


async def use_recovery_code(session: AsyncSession, user_id: uuid.UUID, code: str) -> int | None:
    """Use one recovery code: the number of codes left, or None when it does not match an unused code."""
    plain = normalize_recovery_code(code)
    if len(plain) != 12:
        return None
    rows = (await session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
        .with_for_update())).all()
    for row in rows:
        if await asyncio.to_thread(_matches, row.code_hash, plain):
            row.used_at = utcnow()
            await session.flush()
            return len(rows) - 1
    return None


def _matches(stored: str, plain: str) -> bool:
    try:
        return _code_hasher.verify(stored, plain)
    except (VerifyMismatchError, InvalidHashError):
        return False


async def _replace_recovery_codes(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = ["".join(secrets.choice(_CODE_ALPHABET) for _ in range(12)) for _ in range(RECOVERY_CODES)]
    for code in codes:
        session.add(RecoveryCode(user_id=user_id, code_hash=await asyncio.to_thread(_code_hasher.hash, code)))
    return [f"{c[:4]}-{c[4:8]}-{c[8:]}" for c in codes]


async def reset(session: AsyncSession, user_id: uuid.UUID) -> bool:
    """Remove a user's second factor (operator action after a lost phone); they enrol again at sign-in."""
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    res = await session.execute(delete(UserTotp).where(UserTotp.user_id == user_id))
    return bool(res.rowcount)  # type: ignore[attr-defined]  # an UPDATE's result always has a row count
