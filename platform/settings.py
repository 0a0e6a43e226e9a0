"""Typed settings read once from W2_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """All runtime configuration; defaults give the embedded (SQLite) setup."""

    database_url: str
    migration_database_url: str
    backup_database_url: str
    broker_url: str
    smtp_url: str
    base_url: str
    secret_key: str
    storage_dir: Path
    timezone: str
    mail_from: str
    debug: bool
    secure_cookies: bool
    dev_pages: bool
    queue: str
    forwarded_allow_ips: str
    log_format: str
    metrics_token: str | None
    retention: dict[str, int]
    log_level: str
    sms_provider: str
    digest_hour: int | None  # None: whichever hour (tests)
    beat_seconds: float | None  # tests only: run the every-minute beat entries every N seconds
    outbox_max_attempts: int
    outbox_backoff_seconds: float
    outbox_backoff_cap_seconds: float
    outbox_redrive_seconds: float
    render_timeout_seconds: float
    render_memory_mb: int
    # Citizen sign-in through OpenID Connect (itsme, CSAM); off while the issuer is empty.
    citizen_oidc_issuer: str = ""
    citizen_oidc_client_id: str = ""
    citizen_oidc_client_secret: str = field(default="", repr=False)
    citizen_oidc_national_number_claim: str = "rrn"
    citizen_oidc_scope: str = "openid"
    citizen_oidc_acr_values: str = ""
    # W2_DATABASE_URL points at PgBouncer in transaction pooling mode: no server-side statement cache.
    database_pgbouncer: bool = False
    # Read-aloud made on the server (for phones without a voice in the page's language); empty: off.
    speech_command: str = "espeak-ng"

    @property
    def citizen_oidc_enabled(self) -> bool:
        """True when citizen OpenID Connect sign-in is configured."""
        return bool(self.citizen_oidc_issuer and self.citizen_oidc_client_id)

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded default database."""
        return self.database_url.startswith("sqlite")

    @property
    def broker_is_redis(self) -> bool:
        """True when Celery talks to Redis."""
        return self.broker_url.startswith(("redis://", "rediss://"))


# Retention periods (docs/ops/retention.md gives the reasoning); W2_RETAIN_<KEY> overrides each.
RETENTION_DEFAULTS = {
    "closed_case_days": 5 * 365,
    "sent_message_days": 90,
    "failed_message_days": 365,
    "read_inbox_days": 365,
    "reminder_ledger_days": 400,
    "superseded_rendition_days": 365,
    "access_log_months": 60,
}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} moet een geheel getal zijn, niet {raw!r}") from None
    if value < 1:
        raise ValueError(f"{name} moet minstens 1 zijn")
    return value


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def load_settings() -> Settings:
    """Build settings from the environment (uncached; tests use this)."""
    env = os.environ
    storage = Path(env.get("W2_STORAGE_DIR") or REPO_ROOT / "var").resolve()
    db_url = env.get("W2_DATABASE_URL") or f"sqlite+aiosqlite:///{storage / 'w2.db'}"
    base_url = (env.get("W2_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
    return Settings(
        database_url=db_url,
        migration_database_url=env.get("W2_MIGRATION_DATABASE_URL") or db_url,
        # pg_dump must see every row: in production this role has BYPASSRLS (docs/ops/runbook.md).
        backup_database_url=env.get("W2_BACKUP_DATABASE_URL") or env.get("W2_MIGRATION_DATABASE_URL") or db_url,
        broker_url=env.get("W2_BROKER_URL") or f"sqla+sqlite:///{storage / 'broker.db'}",
        smtp_url=env.get("W2_SMTP_URL") or "smtp://127.0.0.1:8025",
        base_url=base_url,
        # The fallback is only for the embedded demo; production sets W2_SECRET_KEY.
        secret_key=env.get("W2_SECRET_KEY") or "w2-demo-secret-change-me-in-production-0000",
        storage_dir=storage,
        timezone=env.get("W2_TIMEZONE") or "Europe/Brussels",
        mail_from=env.get("W2_MAIL_FROM") or "w2 <no-reply@w2.invalid>",
        debug=_flag("W2_DEBUG", False),
        secure_cookies=_flag("W2_SECURE_COOKIES", base_url.startswith("https://")),
        dev_pages=_flag("W2_DEV_PAGES", False),
        queue=env.get("W2_QUEUE") or "w2",
        # Only these peers may say who the client is (X-Forwarded-For); everyone else is taken at their word.
        forwarded_allow_ips=env.get("W2_FORWARDED_ALLOW_IPS") or "127.0.0.1",
        log_format=(env.get("W2_LOG_FORMAT") or "json").lower(),
        # Without a token /metrics does not exist (404): nothing is public by accident.
        metrics_token=env.get("W2_METRICS_TOKEN") or None,
        retention={key: _int(f"W2_RETAIN_{key.upper()}", default) for key, default in RETENTION_DEFAULTS.items()},
        log_level=(env.get("W2_LOG_LEVEL") or "INFO").upper(),
        sms_provider=env.get("W2_SMS_PROVIDER") or "sink",
        digest_hour=None if (env.get("W2_DIGEST_HOUR") or "7") == "any" else int(env.get("W2_DIGEST_HOUR") or 7),
        beat_seconds=float(env["W2_BEAT_SECONDS"]) if env.get("W2_BEAT_SECONDS") else None,
        outbox_max_attempts=int(env.get("W2_OUTBOX_MAX_ATTEMPTS") or 8),
        outbox_backoff_seconds=float(env.get("W2_OUTBOX_BACKOFF_SECONDS") or 30),
        outbox_backoff_cap_seconds=float(env.get("W2_OUTBOX_BACKOFF_CAP_SECONDS") or 3600),
        outbox_redrive_seconds=float(env.get("W2_OUTBOX_REDRIVE_SECONDS") or 180),
        render_timeout_seconds=float(env.get("W2_RENDER_TIMEOUT_SECONDS") or 60),
        render_memory_mb=int(env.get("W2_RENDER_MEMORY_MB") or 1536),
        citizen_oidc_issuer=(env.get("W2_CITIZEN_OIDC_ISSUER") or "").strip(),
        citizen_oidc_client_id=(env.get("W2_CITIZEN_OIDC_CLIENT_ID") or "").strip(),
        citizen_oidc_client_secret=env.get("W2_CITIZEN_OIDC_CLIENT_SECRET") or "",
        citizen_oidc_national_number_claim=(env.get("W2_CITIZEN_OIDC_NATIONAL_NUMBER_CLAIM") or "rrn").strip(),
        citizen_oidc_scope=(env.get("W2_CITIZEN_OIDC_SCOPE") or "openid").strip(),
        citizen_oidc_acr_values=(env.get("W2_CITIZEN_OIDC_ACR_VALUES") or "").strip(),
        database_pgbouncer=_flag("W2_DATABASE_PGBOUNCER", False),
        speech_command=(env.get("W2_SPEECH_COMMAND", "espeak-ng")).strip(),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read on first use."""
    return load_settings()
