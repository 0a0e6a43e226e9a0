"""Run Alembic migrations programmatically (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from w2.platform.db.roles import ensure_app_role
from w2.platform.settings import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at our migrations and the given database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads", app_url: str | None = None) -> None:
    """Apply all migrations up to `revision`, then make sure the app's own role may use the tables.

    `app_url` defaults to W2_DATABASE_URL; when its user differs from `url`'s (PostgreSQL), that role
    is created if missing and granted data access (see platform/db/roles.py).
    """

    command.upgrade(alembic_config(url), revision)
    if app_url is None:

        app_url = get_settings().database_url
    ensure_app_role(url, app_url)
