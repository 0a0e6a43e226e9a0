"""Keyset paging for the partner list: an opaque cursor on its order, and a count that stops at a cap."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, tuple_
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from w2.meetings.agreements.models import Agreement, AgreementNote
from w2.meetings.agreements.schemas import NoteOut
from w2.platform.errors import Invalid
from w2.platform.i18n import t

# Counting every readable agreement costs what the agency owns; past this a page says "1000+".
TOTAL_CAP = 1000


@dataclass
class Page:
    """One page of the partner list."""

    items: list[Agreement]
    total: int
    total_capped: bool
    has_more: bool
    next_cursor: str | None
    notes: dict[uuid.UUID, list[NoteOut]] | None = None


def encode_cursor(row: Agreement) -> str:
    """The position just after `row` in the list's order (due date, nulls last; created; id)."""
    raw = json.dumps([row.due_date.isoformat() if row.due_date else None, row.created_at.isoformat(), str(row.id)])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[date | None, datetime, uuid.UUID]:
    """Parse a cursor; 422 naming `cursor` when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        due, created, ident = json.loads(raw)
        return (date.fromisoformat(due) if due else None, datetime.fromisoformat(created), uuid.UUID(ident))
    except (ValueError, TypeError, json.JSONDecodeError):
        raise Invalid("cursor", t("agreement.error.bad_cursor")) from None


def after(cursor: str) -> ColumnElement[bool]:
    """SQL condition: rows after the cursor in (due_date IS NULL, due_date, created_at, id) order."""
    due, created, ident = decode_cursor(cursor)
    rest = tuple_(Agreement.created_at, Agreement.id) > tuple_(created, ident)
    if due is None:
        return and_(Agreement.due_date.is_(None), rest)
    return or_(Agreement.due_date.is_(None), Agreement.due_date > due, and_(Agreement.due_date == due, rest))


async def capped_count(session: AsyncSession, cond: list[Any], params: dict[str, Any] | None = None,
                       cap: int = TOTAL_CAP) -> tuple[int, bool]:
    """Count matching agreements up to `cap`; True when there are more. `params` binds the conditions' parameters."""
    inner = select(Agreement.id).where(*cond).limit(cap + 1).subquery()
    n = await session.scalar(select(func.count()).select_from(inner), params) or 0
    return (cap, True) if n > cap else (n, False)


def count_column(cond: list[Any], cap: int = TOTAL_CAP) -> Any:
    """The capped count as a column of the page query (an InitPlan: computed once, no extra round trip)."""
    inner = select(Agreement.id).where(*cond).limit(cap + 1).subquery()
    return select(func.count()).select_from(inner).scalar_subquery()


@cache
def notes_column(dialect: str) -> Any:
    """Each row's progress notes as a JSON array in the page query (PostgreSQL); None elsewhere."""
    # Built once: making the alias and its JSON expression cost a third of a list request's CPU.
    if dialect != "postgresql":
        return None
    n = aliased(AgreementNote)
    obj = func.json_build_object("id", n.id, "note", n.note, "status", n.status, "author_user_id", n.author_user_id,
                                 "author_is_jobseeker", n.author_is_jobseeker, "created_at", n.created_at)
    agg = func.json_agg(aggregate_order_by(obj, n.created_at))
    return select(agg).where(n.agreement_id == Agreement.id).scalar_subquery()


def notes_from_json(items: list[dict[str, Any]] | None) -> list[NoteOut]:
    """NoteOut values from notes_column's JSON."""
    return [NoteOut(id=uuid.UUID(n["id"]), note=n["note"], status=n["status"],
                    author_user_id=uuid.UUID(n["author_user_id"]) if n["author_user_id"] else None,
                    author_is_jobseeker=n["author_is_jobseeker"], created_at=datetime.fromisoformat(n["created_at"]))
            for n in items or []]
