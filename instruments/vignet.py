"""The vignet (the job seeker's profile): sections per life domain, versioned, consent-filtered in SQL."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.policy import can_read_domain, log_access
from w2.instruments.models import VignetSection, VignetSectionVersion
from w2.instruments.schemas import SectionIn, SectionOut, VignetIn
from w2.instruments.service import log_reads, no_admin, require_write, user_names
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.errors import Conflict, Invalid
from w2.platform.i18n import t
from w2.platform.workspaces import get_workspace

KEYS: tuple[str, ...] = ("objective_traits", "life_story", "welfare_strengths", "welfare_obstacles",
                         "work_strengths", "work_obstacles", "course_so_far", "what_gives_strength")
# The domain a section gets when the job seeker writes it without choosing one.
DEFAULT_DOMAIN: dict[str, str] = {
    "objective_traits": "other", "life_story": "other", "welfare_strengths": "other",
    "welfare_obstacles": "other", "work_strengths": "work_training", "work_obstacles": "work_training",
    "course_so_far": "work_training", "what_gives_strength": "network",
}
PERSPECTIVES = ("counsellor", "jobseeker")


def check_sections(sections: list[SectionIn]) -> list[SectionIn]:
    """Each section valid, or Invalid naming the field; texts are trimmed."""
    if not sections:
        raise Invalid("sections", t("instruments.error.sections_empty"))
    seen: set[str] = set()
    out = []
    for i, sec in enumerate(sections):
        if sec.key not in KEYS:
            raise Invalid(f"sections[{i}].key", t("instruments.error.vignet_key", keys=", ".join(KEYS)))
        if sec.key in seen:
            raise Invalid(f"sections[{i}].key", t("instruments.error.vignet_duplicate"))
        seen.add(sec.key)
        if sec.life_domain not in LIFE_DOMAINS:
            raise Invalid(f"sections[{i}].life_domain", t("instruments.error.domain"))
        if not sec.text.strip():
            raise Invalid(f"sections[{i}].text", t("instruments.error.text_empty"))
        out.append(SectionIn(key=sec.key, life_domain=sec.life_domain, text=sec.text.strip(),
                             sensitive=sec.sensitive))
    return out


async def write_vignet(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID, data: VignetIn,
                       perspective: str | None = None) -> list[VignetSection]:
    """Write sections as a new version each; the job seeker writes their own view, staff the counsellor's."""
    no_admin(actor)
    ws = await get_workspace(session, actor, workspace_id)
    sections = check_sections(data.sections)
    perspective = perspective or ("jobseeker" if actor.is_jobseeker else "counsellor")
    if actor.is_staff and perspective != "counsellor":
        raise Invalid("perspective", t("error.forbidden"))
    await require_write(session, actor, ws.id, {s.life_domain for s in sections}, "vignet")
    written = []
    for sec in sections:
        row = await session.scalar(select(VignetSection).where(
            VignetSection.workspace_id == ws.id, VignetSection.key == sec.key,
            VignetSection.perspective == perspective,
            can_read_domain(actor, VignetSection.workspace_id, VignetSection.life_domain)))
        if row is not None and (row.text, row.life_domain, row.sensitive) == (sec.text, sec.life_domain,
                                                                                sec.sensitive):
            written.append(row)
            continue
        if row is None:
            row = VignetSection(workspace_id=ws.id, key=sec.key, perspective=perspective, version=0,
                                life_domain=sec.life_domain, text=sec.text, sensitive=sec.sensitive)
            try:
                async with session.begin_nested():
                    session.add(row)
                    await session.flush()
            except IntegrityError as exc:  # the section exists in a domain this agency may not read
                raise Conflict(t("instruments.error.section_hidden", section=sec.key)) from exc
        row.version += 1
        row.life_domain, row.text, row.sensitive = sec.life_domain, sec.text, sec.sensitive
        row.updated_at = utcnow()
        row.updated_by_user_id = actor.user_id
        row.updated_by_jobseeker = actor.is_jobseeker
        session.add(VignetSectionVersion(section_id=row.id, version=row.version, life_domain=sec.life_domain,
                                         text=sec.text, sensitive=sec.sensitive, written_by_user_id=actor.user_id,
                                         written_by_jobseeker=actor.is_jobseeker))
        await session.flush()
        await log_access(session, actor, action="write", resource_type="vignet", workspace_id=ws.id,
                         resource_id=row.id, life_domain=sec.life_domain)
        written.append(row)
    await session.flush()
    return written


async def read_vignet(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[VignetSection]:
    """Sections the caller may read (filtered in the query), in the handbook's order; reads are logged."""
    no_admin(actor)
    ws = await get_workspace(session, actor, workspace_id)
    rows = list(await session.scalars(select(VignetSection).where(
        VignetSection.workspace_id == ws.id,
        can_read_domain(actor, VignetSection.workspace_id, VignetSection.life_domain))))
    rows.sort(key=lambda r: (KEYS.index(r.key), PERSPECTIVES.index(r.perspective)))
    await log_reads(session, actor, ws.id, {r.life_domain for r in rows}, "vignet")
    return rows


async def sections_out(session: AsyncSession, rows: list[VignetSection]) -> list[SectionOut]:
    """API shapes with the writer's name."""
    names = await user_names(session, [r.updated_by_user_id for r in rows])
    return [SectionOut(key=r.key, life_domain=r.life_domain, text=r.text, sensitive=r.sensitive, version=r.version,
                       updated_at=r.updated_at,
                       updated_by=t("instruments.jobseeker") if r.updated_by_jobseeker
                       else names.get(r.updated_by_user_id) if r.updated_by_user_id else None)
            for r in rows]


async def section_versions(session: AsyncSession, actor: Actor, workspace_id: uuid.UUID) -> list[VignetSectionVersion]:
    """Every version of the sections the caller may read (for the job seeker's export)."""
    rows = await read_vignet(session, actor, workspace_id)
    if not rows:
        return []
    return list(await session.scalars(select(VignetSectionVersion).where(
        VignetSectionVersion.section_id.in_([r.id for r in rows]))
        .order_by(VignetSectionVersion.section_id, VignetSectionVersion.version)))
