"""The migrations have exactly one head: a new branch must merge before it lands."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from w2.platform.db.migrate import alembic_config


def test_one_alembic_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"several Alembic heads {heads}: add a merge revision (alembic merge)"
