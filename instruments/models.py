"""Tables of the instruments: phase history, vignet sections with versions, trajectovereenkomsten."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from w2.platform.db.base import Base, CreatedMixin, IdMixin, JSONList, UTCDateTime, utcnow


class PhaseChange(IdMixin, CreatedMixin, Base):
    """The trajectory entered a phase of the spiral (forward or back); case content in PHASE_DOMAIN."""

    __tablename__ = "phase_change"
    __table_args__ = (Index("ix_phase_change_ws_since", "workspace_id", "since"),)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    life_domain: Mapped[str] = mapped_column(String(30))
    code: Mapped[str] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(10))  # start | forward | back | same
    note: Mapped[str | None] = mapped_column(Text, default=None)
    since: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    recorded_by_jobseeker: Mapped[bool] = mapped_column(Boolean, default=False)


class VignetSection(IdMixin, CreatedMixin, Base):
    """The current text of one vignet section (one row per workspace, key and perspective)."""

    __tablename__ = "vignet_section"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key", "perspective", name="uq_vignet_section_ws_key_persp"),
        Index("ix_vignet_section_ws_domain", "workspace_id", "life_domain"),
    )
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    key: Mapped[str] = mapped_column(String(40))
    perspective: Mapped[str] = mapped_column(String(20))  # counsellor | jobseeker (their own view)
    life_domain: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    updated_by_jobseeker: Mapped[bool] = mapped_column(Boolean, default=False)


class VignetSectionVersion(IdMixin, CreatedMixin, Base):
    """Every text a section ever had, with who wrote it and when (never changed)."""

    __tablename__ = "vignet_section_version"
    __table_args__ = (UniqueConstraint("section_id", "version", name="uq_vignet_version_section_version"),)
    section_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vignet_section.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    life_domain: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    written_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    written_by_jobseeker: Mapped[bool] = mapped_column(Boolean, default=False)


class TrajectoryAgreement(IdMixin, CreatedMixin, Base):
    """One version of the trajectovereenkomst; an adjustment is a new version needing new signatures."""

    __tablename__ = "trajectory_agreement"
    __table_args__ = (UniqueConstraint("workspace_id", "version", name="uq_trajectory_agreement_ws_version"),)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)


class TrajectoryGoal(IdMixin, CreatedMixin, Base):
    """A SMART goal on work or welfare, with its actions; case content in its life domain."""

    __tablename__ = "trajectory_goal"
    __table_args__ = (Index("ix_trajectory_goal_ws_domain", "workspace_id", "life_domain"),)
    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("trajectory_agreement.id"), index=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    position: Mapped[int] = mapped_column(Integer)
    area: Mapped[str] = mapped_column(String(10))  # work | welfare
    life_domain: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date] = mapped_column(Date)
    helped_by: Mapped[str | None] = mapped_column(String(300), default=None)
    actions: Mapped[list[str]] = mapped_column(JSONList, default=list)


class TrajectorySignature(IdMixin, CreatedMixin, Base):
    """One side's signature on one version (at most one per side)."""

    __tablename__ = "trajectory_signature"
    __table_args__ = (UniqueConstraint("agreement_id", "signed_by", name="uq_trajectory_signature_side"),)
    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("trajectory_agreement.id"), index=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    signed_by: Mapped[str] = mapped_column(String(20))  # jobseeker | counsellor
    method: Mapped[str] = mapped_column(String(20))
    witness_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    recorded_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CompetenceCard(IdMixin, CreatedMixin, Base):
    """Competentiekaart 1 (a job, its tasks and their competences) or 2 (the job seeker's profile)."""

    __tablename__ = "competence_card"
    __table_args__ = (Index("ix_competence_card_ws_domain", "workspace_id", "life_domain"),)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    life_domain: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(10))  # job | profile
    named_by: Mapped[str] = mapped_column(String(20))  # counsellor | jobseeker
    job_title: Mapped[str | None] = mapped_column(String(300), default=None)
    tasks: Mapped[list[dict[str, object]]] = mapped_column(JSONList, default=list)
    key_competences: Mapped[list[str]] = mapped_column(JSONList, default=list)
    technical_competences: Mapped[list[str]] = mapped_column(JSONList, default=list)
    job_targets: Mapped[list[str]] = mapped_column(JSONList, default=list)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)


class Drawing(IdMixin, CreatedMixin, Base):
    """A shared drawing as data: draaglast-draagkracht, afgebakende weegschaal or ecogram (each save a version)."""

    __tablename__ = "drawing"
    __table_args__ = (Index("ix_drawing_ws_domain", "workspace_id", "life_domain"),)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    life_domain: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(10))  # balance | scale | ecogram
    title: Mapped[str | None] = mapped_column(String(300), default=None)
    items: Mapped[list[dict[str, object]]] = mapped_column(JSONList, default=list)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    created_by_jobseeker: Mapped[bool] = mapped_column(Boolean, default=False)


class IntegratedReport(IdMixin, CreatedMixin, Base):
    """Het geïntegreerd werk-welzijnsverslag for one evaluation month; its sections carry their life domain."""

    __tablename__ = "integrated_report"
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"), index=True)
    evaluation_month: Mapped[str] = mapped_column(String(7))
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"), default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)  # raised by each edit; older PDFs go stale


class IntegratedReportSection(IdMixin, CreatedMixin, Base):
    """One of the nine sections; case content in its life domain (section 1 is identity: `identity`)."""

    __tablename__ = "integrated_report_section"
    __table_args__ = (Index("ix_integrated_report_section_ws_domain", "workspace_id", "life_domain"),)
    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("integrated_report.id"), index=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(30))
    life_domain: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    prefilled: Mapped[bool] = mapped_column(Boolean, default=False)
