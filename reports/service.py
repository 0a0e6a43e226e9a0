"""Report renditions: plan one per recipient at finalize, render under consent, serve the caller's own copy.

A recipient agency's copy holds the life domains where it holds BOTH `information_sharing` and
`report_distribution` consent, computed through consent.policy when the copy is planned, again when it
is rendered, and again when it is downloaded (a change re-renders it).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from w2.consent.domains import LIFE_DOMAINS
from w2.consent.policy import granted_domains, log_access, log_denial
from w2.meetings.access import get_meeting, require_coordinator
from w2.meetings.models import Meeting, MeetingInvitee, MeetingReportVersion
from w2.meetings.round_table import latest_report_version, report_data, system_scope
from w2.platform.actor import Actor
from w2.platform.db.base import utcnow
from w2.platform.errors import Conflict, Forbidden, W2Error
from w2.platform.i18n import t
from w2.platform.models import Agency, Jobseeker, User, Workspace
from w2.platform.outbox import OutboxMessage, enqueue
from w2.platform.settings import get_settings
from w2.reports.models import IntegratedRendition, ReportRendition
from w2.reports.schemas import ReportContent
from w2.reports.versions import content_from_report_data, diff

PENDING_FLAG = "reports_pending"


class Unavailable(W2Error):
    """The rendition could not be made."""

    status = 503
    kind = "report-failed"


@dataclass
class Rendering:
    """The caller's copy is being made (answered 202)."""

    rendition_id: uuid.UUID


@dataclass
class Download:
    """The caller's copy, ready to send."""

    data: bytes
    filename: str
    sha256: str


async def recipient_domains(session: AsyncSession, workspace_id: uuid.UUID, agency_id: uuid.UUID) -> set[str]:
    """Domains an agency's copy may hold: information_sharing AND report_distribution, both active now."""
    shared = await granted_domains(session, workspace_id, agency_id, "information_sharing")
    return shared & await granted_domains(session, workspace_id, agency_id, "report_distribution")


async def recipient_agencies(session: AsyncSession, meeting: Meeting) -> list[uuid.UUID]:
    """The coordinating agency and every agency with a professional invitee."""
    ws = await session.get(Workspace, meeting.workspace_id)
    assert ws is not None
    invited = await session.scalars(
        select(MeetingInvitee.agency_id).where(MeetingInvitee.meeting_id == meeting.id,
                                               MeetingInvitee.kind == "professional",
                                               MeetingInvitee.removed_at.is_(None),
                                               MeetingInvitee.agency_id.is_not(None)))
    out = [ws.coordinating_agency_id]
    out += [a for a in invited if a is not None and a not in out]
    return out


def mark_pending(session: AsyncSession) -> None:
    """Ask for a render sweep right after this transaction commits."""
    session.info[PENDING_FLAG] = True


async def plan_renditions(session: AsyncSession, meeting: Meeting, version: MeetingReportVersion) -> None:
    """At finalize (same transaction): one rendition per recipient agency, two for the job seeker."""
    for agency_id in await recipient_agencies(session, meeting):
        domains = await recipient_domains(session, meeting.workspace_id, agency_id)
        r = ReportRendition(version_id=version.id, version=version.version, meeting_id=meeting.id,
                            workspace_id=meeting.workspace_id, audience="agency", agency_id=agency_id,
                            domains=sorted(domains), status="pending" if domains else "nothing_shared")
        session.add(r)
        await session.flush()
        if not domains:
            await notify_agency(session, r, "report_nothing_shared")
    ws = await session.get(Workspace, meeting.workspace_id)
    js = await session.get(Jobseeker, ws.jobseeker_id) if ws else None
    for kind in ("full", "easy_read"):
        session.add(ReportRendition(version_id=version.id, version=version.version, meeting_id=meeting.id,
                                    workspace_id=meeting.workspace_id, audience="jobseeker", kind=kind,
                                    language=js.preferred_language if js else "nl", domains=list(LIFE_DOMAINS)))
    await session.flush()
    mark_pending(session)


async def notify_agency(session: AsyncSession, r: ReportRendition, kind: str) -> None:
    """Tell the agency's invited professionals (a link, never the PDF; no case content)."""
    users = await session.scalars(
        select(User).join(MeetingInvitee, MeetingInvitee.user_id == User.id)
        .where(MeetingInvitee.meeting_id == r.meeting_id, MeetingInvitee.agency_id == r.agency_id,
               MeetingInvitee.removed_at.is_(None)))
    recipients = list(users)
    if not recipients:
        m = await session.get(Meeting, r.meeting_id)
        coord = await session.get(User, m.coordinator_user_id) if m and m.coordinator_user_id else None
        recipients = [coord] if coord is not None and coord.agency_id == r.agency_id else []
    link = f"{get_settings().base_url}/meetings/{r.meeting_id}/verslag.pdf"
    for user in recipients:
        key = f"{kind}:{r.meeting_id}:v{r.version}:{user.id}"
        if await session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)):
            continue  # told already (a re-render after a consent change is the same news)
        await enqueue(session, key=key, kind=kind,
                      to_address=user.email, recipient_user_id=user.id, language=user.preferred_language,
                      params={"name": user.name, "link": link}, workspace_id=r.workspace_id)


async def notify_jobseeker(session: AsyncSession, r: ReportRendition) -> None:
    """Tell the job seeker once per version that their copies are ready (a link behind sign-in, no content)."""
    ws = await session.get(Workspace, r.workspace_id)
    js = await session.get(Jobseeker, ws.jobseeker_id) if ws else None
    if js is None:
        return
    channel, address = ("email", js.email) if js.email else ("sms", js.phone)
    if not address:
        return  # no address of their own: the spilfiguur tells them in person
    key = f"report_ready_jobseeker:{r.meeting_id}:v{r.version}"
    if await session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)):
        return  # the other copy (easy-read or full) of this version already said so
    await enqueue(session, key=key, kind="report_ready_jobseeker", channel=channel, to_address=address,
                  language=js.preferred_language or "nl", workspace_id=r.workspace_id,
                  params={"name": js.given_name, "link": f"{get_settings().base_url}/portal/documenten"})


async def version_content(session: AsyncSession, version: MeetingReportVersion) -> ReportContent:
    """Typed content of a frozen version, with what changed since the one before."""
    changes = []
    if version.version > 1:
        prev = await session.scalar(select(MeetingReportVersion).where(
            MeetingReportVersion.meeting_id == version.meeting_id,
            MeetingReportVersion.version == version.version - 1))
        if prev is not None:
            changes = diff(content_from_report_data(prev.content, prev.version),
                           content_from_report_data(version.content, version.version))
    return content_from_report_data(version.content, version.version, changes)


def storage_path(key: str) -> Path:
    """Where a stored PDF lives."""
    return get_settings().storage_dir / key


def sha256_of(data: bytes) -> str:
    """Hex SHA-256 of stored bytes."""
    return hashlib.sha256(data).hexdigest()


def store(r: ReportRendition | IntegratedRendition, data: bytes, key: str | None = None) -> None:
    """Write the PDF and record its SHA-256 and size."""
    key = key or f"reports/{getattr(r, 'meeting_id', None)}/{r.id}.pdf"
    path = storage_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    r.storage_key, r.sha256, r.size_bytes = key, sha256_of(data), len(data)
    r.status, r.rendered_at, r.error = "ready", utcnow(), None


def take_twin_file(r: ReportRendition | IntegratedRendition, twin: ReportRendition | IntegratedRendition) -> bool:
    """Serve `r` the file already made for its scope, after checking it against its hash; False if it is not intact."""
    path = storage_path(twin.storage_key or "")
    if not path.is_file() or sha256_of(path.read_bytes()) != twin.sha256:
        r.status, r.error = "pending", None  # the twin's file is gone or altered: render afresh next sweep
        twin.status, twin.error = "failed", "stored file does not match its hash"
        return False
    r.storage_key, r.sha256, r.size_bytes = twin.storage_key, twin.sha256, twin.size_bytes
    r.status, r.rendered_at, r.error = "ready", utcnow(), None
    return True


def first_of_each_scope(rows: Iterable[tuple[uuid.UUID, str, tuple[object, ...], list[str] | None]]) -> list[uuid.UUID]:
    """From pending (id, audience, document key, domains): one id per consent scope; its task serves the rest."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for rid, audience, document, domains in rows:
        scope = (*document, tuple(sorted(domains or []))) if audience == "agency" else (rid,)
        if scope not in seen:
            seen.add(scope)
            out.append(rid)
    return out


async def _latest(session: AsyncSession, version_id: uuid.UUID, audience: str, agency_id: uuid.UUID | None,
                  kind: str) -> ReportRendition | None:
    cond = [ReportRendition.version_id == version_id, ReportRendition.audience == audience,
            ReportRendition.kind == kind]
    cond.append(ReportRendition.agency_id == agency_id if agency_id else ReportRendition.agency_id.is_(None))
    return await session.scalar(select(ReportRendition).where(*cond)
                                .order_by(ReportRendition.created_at.desc()).limit(1))


async def caller_rendition(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID,
                           kind: str = "full") -> Download | Rendering:
    """The caller's own copy of the newest version: 409 before finalize, Rendering while it is made."""
    m = await get_meeting(session, actor, meeting_id)
    version = await latest_report_version(session, m.id)
    if m.status != "finalized" or version is None:
        raise Conflict(t("error.report_not_final"), kind="report-not-final")
    if actor.is_jobseeker:
        r = await _latest(session, version.id, "jobseeker", None, kind)
        if r is None:
            r = ReportRendition(version_id=version.id, version=version.version, meeting_id=m.id,
                                workspace_id=m.workspace_id, audience="jobseeker", kind=kind,
                                domains=list(LIFE_DOMAINS))
            session.add(r)
            await session.flush()
            mark_pending(session)
        return await _serve(session, actor, r)
    if kind != "full" or actor.agency_id is None:
        raise Forbidden(t("error.forbidden"))
    if actor.agency_id not in await recipient_agencies(session, m):
        raise Forbidden(t("error.report_not_invited"))
    domains = await recipient_domains(session, m.workspace_id, actor.agency_id)
    r = await _latest(session, version.id, "agency", actor.agency_id, "full")
    if not await usable_agency_copy(session, actor, r, domains, "report", m.workspace_id, m.id):
        r = ReportRendition(version_id=version.id, version=version.version, meeting_id=m.id,
                            workspace_id=m.workspace_id, audience="agency", agency_id=actor.agency_id,
                            domains=sorted(domains))
        session.add(r)
        await session.flush()
        mark_pending(session)
    return await _serve(session, actor, r)


async def usable_agency_copy(session: AsyncSession, actor: Actor, r: ReportRendition | IntegratedRendition | None,
                             domains: set[str], resource_type: str, workspace_id: uuid.UUID,
                             resource_id: uuid.UUID) -> bool:
    """Whether the agency's latest copy `r` may be served under the consent that holds now.

    With nothing shared the copy goes stale, the refusal is logged, and the answer is 403. A copy planned
    under other consent goes stale and is never served: False, and the caller plans a fresh one."""
    if not domains:
        if r is not None and r.status != "nothing_shared":
            r.status = "stale"
            await session.flush()
        await log_denial(session, actor, action="download", resource_type=resource_type, workspace_id=workspace_id,
                         resource_id=resource_id)
        raise Forbidden(t("error.report_nothing_shared"), kind="nothing-shared")
    if r is None or r.status in ("nothing_shared", "stale"):
        return False
    if r.status in ("ready", "pending") and set(r.domains) != domains:
        r.status = "stale"
        return False
    return True


async def _serve(session: AsyncSession, actor: Actor, r: ReportRendition) -> Download | Rendering:
    name = "verslag-eenvoudig" if r.kind == "easy_read" else "verslag"
    return await serve_stored(session, actor, r, "report", r.id, f"{name}-v{r.version}.pdf")


async def serve_stored(session: AsyncSession, actor: Actor, r: ReportRendition | IntegratedRendition,
                       resource_type: str, resource_id: uuid.UUID, filename: str) -> Download | Rendering:
    """A rendition's file once ready, checked against its SHA-256; one access-log line per domain in it."""
    if r.status == "pending":
        return Rendering(r.id)
    if r.status != "ready" or not r.storage_key:
        raise Unavailable(t("error.report_failed"))
    data = storage_path(r.storage_key).read_bytes()
    if hashlib.sha256(data).hexdigest() != r.sha256:
        r.status, r.error = "failed", "stored file does not match its hash"
        await session.flush()
        raise Unavailable(t("error.report_failed"))
    for domain in r.domains if r.audience == "agency" else [None]:
        await log_access(session, actor, action="download", resource_type=resource_type, workspace_id=r.workspace_id,
                         resource_id=resource_id, life_domain=domain)
    await session.flush()
    return Download(data=data, filename=filename, sha256=r.sha256 or "")


async def reissue(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID) -> MeetingReportVersion:
    """A correction after finalize: freeze the report again as the next version, if anything changed."""
    m, _ = await require_coordinator(session, actor, meeting_id)
    current = await latest_report_version(session, m.id)
    if m.status != "finalized" or current is None:
        raise Conflict(t("error.report_not_final"), kind="report-not-final")
    async with system_scope(session):
        data = await report_data(session, m.id)
    if msgspec.json.encode(content_from_report_data(data)) == msgspec.json.encode(
            content_from_report_data(current.content)):
        raise Conflict(t("error.report_unchanged"), kind="report-unchanged")
    row = MeetingReportVersion(meeting_id=m.id, workspace_id=m.workspace_id, version=current.version + 1,
                               content=data, created_by_user_id=actor.user_id)
    session.add(row)
    await session.flush()
    await plan_renditions(session, m, row)
    return row


async def agency_name(session: AsyncSession, agency_id: uuid.UUID | None) -> str | None:
    """Display name of an agency."""
    agency = await session.get(Agency, agency_id) if agency_id else None
    return agency.name if agency else None


__all__ = ["Download", "Rendering", "caller_rendition", "plan_renditions", "recipient_domains", "reissue",
           "sha256_of", "utcnow"]
