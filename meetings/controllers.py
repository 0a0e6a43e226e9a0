"""Meetings API: thin handlers over the meetings services."""

from __future__ import annotations

import uuid

from litestar import Controller, Response, delete, get, post, put
from litestar.params import JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from w2.meetings import access, coordination, follow_up, poll, round_table, scheduling
from w2.meetings import schemas as s
from w2.meetings import service as svc
from w2.platform.actor import Actor
from w2.platform.api_kit import READ, WRITE, problems
from w2.platform.auth import public, staff


class WorkspaceMeetingsController(Controller):
    """Requesting and listing the round tables of a workspace."""

    path = "/workspaces/{workspace_id:uuid}/meetings"
    guards = [staff]
    tags = ["meetings"]

    @post("/", responses=WRITE)
    async def request(self, workspace_id: uuid.UUID, data: JSONBody[s.MeetingIn], db: AsyncSession,
                      actor: Actor) -> s.MeetingOut:
        """Request a round table (status `requested`)."""
        m = await svc.request_meeting(db, actor, workspace_id, data)
        return await svc.meeting_out(db, actor, m)

    @get("/", responses=READ)
    async def list_(self, workspace_id: uuid.UUID, db: AsyncSession, actor: Actor) -> s.MeetingListOut:
        """Round tables of the workspace the caller may see."""
        rows = await svc.list_meetings(db, actor, workspace_id)
        return s.MeetingListOut(items=[await svc.meeting_out(db, actor, m, detail=False) for m in rows],
                                total=len(rows))


class MeetingController(Controller):
    """One round table: preparation, invitees, poll, scheduling, the table, finalize."""

    path = "/meetings/{meeting_id:uuid}"
    guards = [staff]
    tags = ["meetings"]

    @get("/", responses=READ)
    async def detail(self, meeting_id: uuid.UUID, db: AsyncSession, actor: Actor) -> s.MeetingOut:
        """The meeting with invitees, ranked slots, attendance and the notes the caller may read."""
        m = await access.get_meeting(db, actor, meeting_id)
        return await svc.meeting_out(db, actor, m)

    @put("/preparation", responses=WRITE)
    async def preparation(self, meeting_id: uuid.UUID, data: JSONBody[s.PreparationIn], db: AsyncSession,
                          actor: Actor) -> s.MeetingOut:
        """Record the preparation with the job seeker; a request moves to `preparing`."""
        m = await svc.update_preparation(db, actor, meeting_id, data)
        return await svc.meeting_out(db, actor, m)

    @post("/invitees", responses=WRITE)
    async def add_invitee(self, meeting_id: uuid.UUID, data: JSONBody[s.InviteeIn], db: AsyncSession,
                          actor: Actor) -> s.InviteeOut:
        """Invite a professional (needs meeting_participation consent), the job seeker or a confidant."""
        inv = await svc.add_invitee(db, actor, meeting_id, data)
        return await svc.invitee_out(db, inv)

    @delete("/invitees/{invitee_id:uuid}", status_code=200, responses=WRITE)
    async def remove_invitee(self, meeting_id: uuid.UUID, invitee_id: uuid.UUID, db: AsyncSession,
                             actor: Actor) -> s.InviteeOut:
        """Take someone off the list (the job seeker must agree again)."""
        inv = await svc.remove_invitee(db, actor, meeting_id, invitee_id)
        return await svc.invitee_out(db, inv)

    @get("/invitees/{invitee_id:uuid}/link", responses=READ)
    async def invitee_link(self, meeting_id: uuid.UUID, invitee_id: uuid.UUID, db: AsyncSession,
                           actor: Actor) -> s.InviteeLinkOut:
        """A personal answer link to pass on (no account needed)."""
        return await poll.invitee_link(db, actor, meeting_id, invitee_id)

    @post("/jobseeker-agreement", status_code=200, responses=WRITE)
    async def jobseeker_agreement(self, meeting_id: uuid.UUID, data: JSONBody[s.JobseekerAgreementIn],
                                  db: AsyncSession, actor: Actor) -> s.JobseekerAgreementOut:
        """The job seeker agrees to the meeting and the invitee list as it stands."""
        row = await svc.record_jobseeker_agreement(db, actor, meeting_id, data)
        return s.JobseekerAgreementOut(method=row.method, witness_user_id=row.witness_user_id,
                                       agreed_at=row.agreed_at, invitee_list_version=row.invitee_list_version,
                                       current=True)

    @post("/slots", responses=WRITE)
    async def add_slot(self, meeting_id: uuid.UUID, data: JSONBody[s.SlotIn], db: AsyncSession,
                       actor: Actor) -> s.SlotOut:
        """Propose a moment; the first opens the poll."""
        slot = await poll.add_slot(db, actor, meeting_id, data)
        m = await access.get_meeting(db, actor, meeting_id)
        return next(x for x in await poll.ranked_slots(db, m) if x.id == slot.id)

    @get("/slots", responses=READ)
    async def slots(self, meeting_id: uuid.UUID, db: AsyncSession, actor: Actor) -> s.SlotListOut:
        """Proposed moments, best first."""
        m = await access.get_meeting(db, actor, meeting_id)
        return s.SlotListOut(items=await poll.ranked_slots(db, m))

    @post("/slots/{slot_id:uuid}/votes", responses=WRITE)
    async def vote(self, meeting_id: uuid.UUID, slot_id: uuid.UUID, data: JSONBody[s.VoteIn], db: AsyncSession,
                   actor: Actor) -> s.VoteOut:
        """Record an invitee's answer for a slot."""
        v = await poll.vote(db, actor, meeting_id, slot_id, data)
        return s.VoteOut(slot_id=v.slot_id, invitee_id=v.invitee_id, answer=v.answer)

    @post("/poll-invitations", status_code=202, responses=WRITE)
    async def poll_invitations(self, meeting_id: uuid.UUID, db: AsyncSession, actor: Actor) -> dict[str, int]:
        """Mail every invitee with an address their personal answer link."""
        return {"sent": await poll.send_poll_invitations(db, actor, meeting_id)}

    @post("/schedule", status_code=200, responses=WRITE)
    async def schedule(self, meeting_id: uuid.UUID, data: JSONBody[s.ScheduleIn], db: AsyncSession,
                       actor: Actor) -> s.MeetingOut:
        """Fix moment and place; invitations (or updates) go out by mail."""
        m = await scheduling.schedule(db, actor, meeting_id, data)
        return await svc.meeting_out(db, actor, m)

    @post("/cancel", status_code=200, responses=WRITE)
    async def cancel(self, meeting_id: uuid.UUID, data: JSONBody[s.CancelIn], db: AsyncSession,
                     actor: Actor) -> s.MeetingOut:
        """Cancel; whoever was invited gets METHOD:CANCEL."""
        m = await scheduling.cancel(db, actor, meeting_id, data)
        return await svc.meeting_out(db, actor, m)

    @get("/invite.ics", responses=problems(401, 403, 404, 409), media_type="text/calendar")
    async def invite_ics(self, meeting_id: uuid.UUID, db: AsyncSession, actor: Actor) -> Response[bytes]:
        """The caller's own calendar invitation."""
        body = await scheduling.caller_invitation(db, actor, meeting_id)
        return Response(body, media_type="text/calendar",
                        headers={"Content-Disposition": 'attachment; filename="invite.ics"'})

    @put("/attendance", responses=WRITE)
    async def attendance(self, meeting_id: uuid.UUID, data: JSONBody[s.AttendanceIn], db: AsyncSession,
                         actor: Actor) -> s.MeetingOut:
        """Present, absent or excused per invitee."""
        m = await round_table.record_attendance(db, actor, meeting_id, data)
        return await svc.meeting_out(db, actor, m)

    @put("/notes/{life_domain:str}", responses=WRITE)
    async def note(self, meeting_id: uuid.UUID, life_domain: str, data: JSONBody[s.NoteIn], db: AsyncSession,
                   actor: Actor) -> s.NoteOut:
        """Information shared in one life domain (needs information_sharing consent for it)."""
        n = await round_table.write_note(db, actor, meeting_id, life_domain, data)
        return s.NoteOut(life_domain=n.life_domain, information=n.information, updated_at=n.updated_at,
                         improved=n.improved, title=n.title)

    @post("/follow-up", status_code=201, responses=WRITE)
    async def follow_up(self, meeting_id: uuid.UUID, data: JSONBody[s.FollowUpIn], db: AsyncSession,
                        actor: Actor) -> s.MeetingOut:
        """Plan the follow-up of a finalized meeting: same invitees proposed, still-open agreements carried."""
        m = await follow_up.plan_follow_up(db, actor, meeting_id)
        return await svc.meeting_out(db, actor, m)

    @put("/coordinator", responses=WRITE)
    async def coordinator(self, meeting_id: uuid.UUID, data: JSONBody[s.CoordinatorIn], db: AsyncSession,
                          actor: Actor) -> s.MeetingOut:
        """Hand this meeting's coordination to a professional of a member agency (logged, both are told)."""
        m = await coordination.hand_over(db, actor, meeting_id, data)
        return await svc.meeting_out(db, actor, m)

    @post("/finalize", status_code=202, responses=WRITE)
    async def finalize(self, meeting_id: uuid.UUID, data: JSONBody[s.FinalizeIn], db: AsyncSession,
                       actor: Actor) -> s.FinalizeOut:
        """Close the meeting and freeze the report; renditions are made by workers."""
        row = await round_table.finalize(db, actor, meeting_id, data)
        m = await access.get_meeting(db, actor, meeting_id)
        return s.FinalizeOut(id=m.id, status=m.status, report_version=row.version, follow_up_date=m.follow_up_date)


class MeetingLinkController(Controller):
    """Personal answer links: no account, only dates, times and places."""

    path = "/meeting-links/{token:str}"
    tags = ["meetings"]
    security = [{}]

    @get("/", guards=[public], responses=problems(404, 409))
    async def view(self, token: str, db: AsyncSession) -> s.LinkViewOut:
        """What the link shows."""
        return await poll.link_view(db, token)

    @post("/", guards=[public], status_code=200, responses=problems(400, 404, 409, 422))
    async def answer(self, token: str, data: JSONBody[s.LinkAnswerIn], db: AsyncSession) -> s.LinkViewOut:
        """Answer the poll, or reply to the invitation."""
        return await poll.link_answer(db, token, data)


HANDLERS = [WorkspaceMeetingsController, MeetingController, MeetingLinkController]
