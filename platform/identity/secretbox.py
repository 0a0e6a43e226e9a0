"""Encrypt small secrets at rest (IdP client secrets, TOTP seeds) with a key derived from W2_SECRET_KEY."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from w2.platform.settings import get_settings


class SecretUnreadable(Exception):
    """A stored secret no longer decrypts (W2_SECRET_KEY changed)."""


def _fernet(secret_key: str | None = None, purpose: str = "w2 secretbox v1") -> Fernet:
    # A separate derived key per purpose: the raw W2_SECRET_KEY also signs CSRF cookies.
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
    key = hkdf.derive((secret_key or get_settings().secret_key).encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(plain: str, secret_key: str | None = None) -> str:
    """Encrypt and authenticate `plain`; the result is safe to store."""
    return _fernet(secret_key).encrypt(plain.encode()).decode()


def unseal(sealed: str, secret_key: str | None = None) -> str:
    """Decrypt a value made by `seal`."""
    try:
        return _fernet(secret_key).decrypt(sealed.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("stored secret cannot be decrypted with the current W2_SECRET_KEY") from exc
