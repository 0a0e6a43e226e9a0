"""Instruments API: the spiral of phases, the vignet, the trajectovereenkomst (thin: one service call each)."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post, put
from litestar.params import JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from w2.instruments import cards, competences, drawings, service, trajectory, vignet
from w2.instruments.schemas import (
    CompetenceCardIn,
    CompetenceCardListOut,
    CompetenceCardOut,
    DrawingIn,
    DrawingListOut,
    DrawingOut,
    KeyCompetenceListOut,
    KeyCompetenceOut,
    PhaseChangeOut,
    PhaseHistoryOut,
    PhaseIn,
    PhaseListOut,
    SignatureIn,
    SignatureOut,
    TrajectoryAgreementIn,
    TrajectoryAgreementListOut,
    TrajectoryAgreementOut,
    VignetIn,
    VignetOut,
)
from w2.platform.actor import Actor
from w2.platform.api_kit import READ, WRITE, problems
from w2.platform.auth import staff


@get("/trajectory-phases", guards=[staff], tags=["instruments"], responses=problems(401, 403))
async def list_phases() -> PhaseListOut:
    """The spiral's phases with the handbook's names: toeleiding and selectie, cycle 1, cycles 2 and 3."""
    return PhaseListOut(items=service.catalogue())


@get("/key-competences", guards=[staff], tags=["instruments"], responses=problems(401, 403))
async def list_key_competences(lang: str = "nl") -> KeyCompetenceListOut:
    """The handbook's sleutelcompetenties with their definitions, in its order (nl; fr and en translated)."""
    return KeyCompetenceListOut(items=[KeyCompetenceOut(**i) for i in competences.glossary(lang)])


async def _vignet_out(db: AsyncSession, rows: list) -> VignetOut:
    out = await vignet.sections_out(db, rows)
    return VignetOut(sections=[o for o, r in zip(out, rows, strict=True) if r.perspective == "counsellor"],
                     jobseeker_views=[o for o, r in zip(out, rows, strict=True) if r.perspective == "jobseeker"])


class WorkspaceInstrumentsController(Controller):
    """The instruments of one workspace."""

    path = "/workspaces/{workspace_id:uuid}"
    guards = [staff]
    tags = ["instruments"]

    @post("/phase", responses=WRITE)
    async def record_phase(self, workspace_id: uuid.UUID, data: JSONBody[PhaseIn], db: AsyncSession,
                           actor: Actor) -> PhaseChangeOut:
        """Record the current phase; moving back is allowed and recorded."""
        row = await service.record_phase(db, actor, workspace_id, data)
        return (await service.phase_changes_out(db, [row]))[0]

    @get("/phase-history", responses=READ)
    async def phase_history(self, workspace_id: uuid.UUID, db: AsyncSession, actor: Actor) -> PhaseHistoryOut:
        """Every phase the trajectory went through, oldest first (empty without consent)."""
        rows = await service.phase_history(db, actor, workspace_id)
        return PhaseHistoryOut(items=await service.phase_changes_out(db, rows))

    @get("/vignet", responses=READ)
    async def get_vignet(self, workspace_id: uuid.UUID, db: AsyncSession, actor: Actor) -> VignetOut:
        """The vignet sections the caller may read."""
        return await _vignet_out(db, await vignet.read_vignet(db, actor, workspace_id))

    @put("/vignet", responses=WRITE)
    async def put_vignet(self, workspace_id: uuid.UUID, data: JSONBody[VignetIn], db: AsyncSession,
                         actor: Actor) -> VignetOut:
        """Write sections (each change a new version); sections not listed keep their text."""
        await vignet.write_vignet(db, actor, workspace_id, data)
        return await _vignet_out(db, await vignet.read_vignet(db, actor, workspace_id))

    @post("/trajectory-agreements", responses=WRITE)
    async def create_agreement(self, workspace_id: uuid.UUID, data: JSONBody[TrajectoryAgreementIn],
                               db: AsyncSession, actor: Actor) -> TrajectoryAgreementOut:
        """A new version of the trajectovereenkomst (not in force until both sides sign it)."""
        row = await trajectory.create_version(db, actor, workspace_id, data)
        return await trajectory.one_version(db, actor, row.id)

    @get("/trajectory-agreements", responses=READ)
    async def list_agreements(self, workspace_id: uuid.UUID, db: AsyncSession,
                              actor: Actor) -> TrajectoryAgreementListOut:
        """All versions, newest first, with the goals the caller may read."""
        return TrajectoryAgreementListOut(items=await trajectory.list_versions(db, actor, workspace_id))


class CompetenceCardController(Controller):
    """Competentiekaart 1 and 2 of a workspace (life domain work_training)."""

    path = "/workspaces/{workspace_id:uuid}/competence-cards"
    guards = [staff]
    tags = ["instruments"]

    @post("/", responses=WRITE)
    async def create(self, workspace_id: uuid.UUID, data: JSONBody[CompetenceCardIn], db: AsyncSession,
                     actor: Actor) -> CompetenceCardOut:
        """Store a card (422 names the bad field; nothing is stored then)."""
        return cards.card_out(await cards.create_card(db, actor, workspace_id, data))

    @get("/", responses=READ)
    async def list_(self, workspace_id: uuid.UUID, db: AsyncSession, actor: Actor) -> CompetenceCardListOut:
        """The cards the caller may read (empty without work_training consent)."""
        return CompetenceCardListOut(items=[cards.card_out(c) for c in await cards.list_cards(db, actor, workspace_id)])


class DrawingController(Controller):
    """The shared drawings of a workspace, as structured data with a text alternative."""

    path = "/workspaces/{workspace_id:uuid}/drawings"
    guards = [staff]
    tags = ["instruments"]

    @post("/", responses=WRITE)
    async def create(self, workspace_id: uuid.UUID, data: JSONBody[DrawingIn], db: AsyncSession,
                     actor: Actor) -> DrawingOut:
        """Save a drawing (a new version; 422 names the bad field and nothing is stored)."""
        return drawings.drawing_out(await drawings.save_drawing(db, actor, workspace_id, data), actor.language)

    @get("/", responses=READ)
    async def list_(self, workspace_id: uuid.UUID, db: AsyncSession, actor: Actor) -> DrawingListOut:
        """The drawings the caller may read."""
        rows = await drawings.list_drawings(db, actor, workspace_id)
        return DrawingListOut(items=[drawings.drawing_out(d, actor.language) for d in rows])


class TrajectoryAgreementController(Controller):
    """One version of a trajectovereenkomst."""

    path = "/trajectory-agreements/{agreement_id:uuid}"
    guards = [staff]
    tags = ["instruments"]

    @get("/", responses=READ)
    async def detail(self, agreement_id: uuid.UUID, db: AsyncSession, actor: Actor) -> TrajectoryAgreementOut:
        """One version with the goals the caller may read."""
        return await trajectory.one_version(db, actor, agreement_id)

    @post("/signatures", responses=WRITE)
    async def sign(self, agreement_id: uuid.UUID, data: JSONBody[SignatureIn], db: AsyncSession,
                   actor: Actor) -> SignatureOut:
        """One side signs; the same side twice is 409."""
        sig = await trajectory.sign(db, actor, agreement_id, data)
        names = await service.user_names(db, [sig.recorded_by_user_id])
        return SignatureOut(id=sig.id, by=sig.signed_by, method=sig.method, witness_user_id=sig.witness_user_id,
                            recorded_by=names.get(sig.recorded_by_user_id) if sig.recorded_by_user_id else None,
                            signed_at=sig.signed_at)


HANDLERS = [list_phases, list_key_competences, WorkspaceInstrumentsController, CompetenceCardController,
            DrawingController, TrajectoryAgreementController]
