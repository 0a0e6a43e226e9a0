"""verslag: the handbook's template fields, urgent themes per life domain, follow-up links, coordinator handovers

Revision ID: 0005_verslag
Revises: 0002_meetings
"""
import re
import uuid

import sqlalchemy as sa
from alembic import op

import w2.platform.db.base
from w2.platform.db import roles

revision = "0005_verslag"
down_revision = "0002_meetings"
branch_labels = None
depends_on = None

UTC = w2.platform.db.base.UTCDateTime(timezone=True)
JSON_LIST = w2.platform.db.base.JSONList


def upgrade() -> None:
    op.create_table(
        "meeting_urgent_theme",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("life_domain", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], name="fk_meeting_urgent_theme_meeting_id_meeting"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"],
                                name="fk_meeting_urgent_theme_workspace_id_workspace"),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["app_user.id"],
                                name="fk_meeting_urgent_theme_created_by_user_id_app_user"),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_urgent_theme"),
    )
    op.create_index("ix_meeting_urgent_theme_meeting", "meeting_urgent_theme", ["meeting_id", "position"])
    op.create_table(
        "meeting_coordinator_change",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("from_user_id", sa.Uuid(), nullable=True),
        sa.Column("to_user_id", sa.Uuid(), nullable=False),
        sa.Column("by_user_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"],
                                name="fk_meeting_coordinator_change_meeting_id_meeting"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"],
                                name="fk_meeting_coordinator_change_workspace_id_workspace"),
        sa.ForeignKeyConstraint(["from_user_id"], ["app_user.id"],
                                name="fk_meeting_coordinator_change_from_user_id_app_user"),
        sa.ForeignKeyConstraint(["to_user_id"], ["app_user.id"],
                                name="fk_meeting_coordinator_change_to_user_id_app_user"),
        sa.ForeignKeyConstraint(["by_user_id"], ["app_user.id"],
                                name="fk_meeting_coordinator_change_by_user_id_app_user"),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_coordinator_change"),
    )
    op.create_index("ix_meeting_coordinator_change_meeting_id", "meeting_coordinator_change", ["meeting_id"])
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("started_because", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("professional_questions", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("strengths", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("follow_up_of_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("carried_agreement_ids", JSON_LIST, nullable=False,
                                      server_default=sa.text("'[]'")))
        batch_op.create_foreign_key("fk_meeting_follow_up_of_id_meeting", "meeting", ["follow_up_of_id"], ["id"])
        batch_op.create_index("ix_meeting_follow_up_of_id", ["follow_up_of_id"])
    with op.batch_alter_table("meeting_note", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("improved", sa.Text(), nullable=True))
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("informs", sa.String(length=300), nullable=True))
    _move_urgent_themes()
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("urgent_themes")
    dialect = op.get_bind().dialect.name
    for stmt in roles.append_only_sql("meeting_coordinator_change", dialect):
        op.execute(stmt)
    if dialect == "postgresql":
        # Urgent themes are case content per life domain; handovers belong to the workspace's members.
        for stmt in roles.rls_domain_table_sql("meeting_urgent_theme") + roles.rls_workspace_table_sql(
                "meeting_coordinator_change"):
            op.execute(stmt)


def _move_urgent_themes() -> None:
    """Free-text themes become items, one per line or semicolon, tagged `other` (nobody chose a domain)."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, workspace_id, created_at, urgent_themes FROM meeting "
                                "WHERE urgent_themes IS NOT NULL")).fetchall()
    table = sa.table("meeting_urgent_theme", sa.column("id", sa.Uuid()), sa.column("meeting_id", sa.Uuid()),
                     sa.column("workspace_id", sa.Uuid()), sa.column("life_domain", sa.String()),
                     sa.column("text", sa.Text()), sa.column("position", sa.Integer()),
                     sa.column("created_at", UTC))
    items = []
    for mid, wid, created, text in rows:
        parts = [p.strip(" -•\t") for p in re.split(r"[\n;]", text or "")]
        items += [{"id": uuid.uuid4(), "meeting_id": _uuid(mid), "workspace_id": _uuid(wid), "life_domain": "other",
                   "text": p, "position": n, "created_at": created} for n, p in enumerate(x for x in parts if x)]
    if items:
        op.bulk_insert(table, items)


def _uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for stmt in roles.rls_drop_sql("meeting_coordinator_change") + roles.rls_drop_sql("meeting_urgent_theme"):
            op.execute(stmt)
    for stmt in roles.append_only_drop_sql("meeting_coordinator_change", dialect):
        op.execute(stmt)
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("urgent_themes", sa.Text(), nullable=True))
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_column("informs")
    with op.batch_alter_table("meeting_note", schema=None) as batch_op:
        batch_op.drop_column("improved")
        batch_op.drop_column("title")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_follow_up_of_id")
        batch_op.drop_constraint("fk_meeting_follow_up_of_id_meeting", type_="foreignkey")
        for col in ("carried_agreement_ids", "follow_up_of_id", "strengths", "professional_questions",
                    "started_because"):
            batch_op.drop_column(col)
    op.drop_table("meeting_coordinator_change")
    op.drop_table("meeting_urgent_theme")
