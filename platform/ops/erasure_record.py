"""The one thing that outlives an erased person: proof that consents existed, without who they were."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from w2.platform.db.base import Base, CreatedMixin, IdMixin, JSONDict, JSONList


class ErasureRecord(IdMixin, CreatedMixin, Base):
    """An erasure (GDPR art. 17 or end of retention): hashed reference, dates and counts only."""

    __tablename__ = "erasure_record"
    # HMAC of the erased workspace id with the server's secret: lets the platform answer "did a case
    # with this id exist and when was it erased" to whoever already holds the id, and nobody else.
    subject_ref: Mapped[str] = mapped_column(String(64), index=True)
    grounds: Mapped[str] = mapped_column(String(30))  # request | retention
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    requested_by: Mapped[str] = mapped_column(String(200))
    consent_proof: Mapped[list[dict[str, object]]] = mapped_column(JSONList, default=list)
    removed: Mapped[dict[str, int]] = mapped_column(JSONDict, default=dict)
    files_removed: Mapped[int] = mapped_column(Integer, default=0)
