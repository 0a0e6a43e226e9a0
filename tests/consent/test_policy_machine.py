"""A state machine over grant, revoke, expire, add/reassign agreement and reads through every path.

Invariant, checked on each read: an agreement is returned exactly when the model says its domain is
covered by an active information_sharing consent for the reader's agency (the job seeker sees all).
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from tests.consent.harness import Harness, World
from w2.consent import service as consents
from w2.consent.policy import ConsentMissing, today
from w2.consent.schemas import ConsentIn
from w2.meetings.agreements import service as agreements
from w2.meetings.agreements.schemas import AgreementIn, AgreementPatch, OwnerIn
from w2.platform.errors import Conflict, NotFound

DOMAINS = ["housing", "finances", "health", "justice"]
AGENCIES = 3
# Total steps per backend in the default run (the issue asks for at least 2,000 on the main backend).
STEPS = {"postgresql": int(os.environ.get("W2_POLICY_STEPS", "2000")), "sqlite": int(os.environ.get("W2_POLICY_STEPS_SQLITE", "1000"))}
STEP_COUNT = 100


@dataclass
class MConsent:
    id: object
    agency: int
    purpose: str
    domains: frozenset[str]
    until: int | None  # days after the model's start; None: no end date
    ended: bool = False


@dataclass
class MAgreement:
    id: object
    domain: str


class Ctx:
    """Shared by every example of one run: the loop and the harness."""

    loop: asyncio.AbstractEventLoop
    harness: Harness
    steps = 0


def make_machine(ctx: Ctx) -> type[RuleBasedStateMachine]:
    class PolicyMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.consents: list[MConsent] = []
            self.agreements: list[MAgreement] = []
            self.clock = 0

        def run(self, actor, fn):  # type: ignore[no-untyped-def]
            ctx.steps += 1
            return ctx.loop.run_until_complete(ctx.harness.run(actor, fn))

        @initialize()
        def world(self) -> None:
            self.w: World = ctx.loop.run_until_complete(ctx.harness.new_world(AGENCIES))

        def active(self, c: MConsent) -> bool:
            return not c.ended and (c.until is None or c.until >= self.clock)

        def may_read(self, agency: int, domain: str) -> bool:
            return any(self.active(c) and c.agency == agency and c.purpose == "information_sharing"
                       and domain in c.domains for c in self.consents)

        def expected(self, agency: int) -> set:
            return {a.id for a in self.agreements if self.may_read(agency, a.domain)}

        @rule(agency=st.integers(0, AGENCIES - 1),
              purpose=st.sampled_from(["information_sharing", "information_sharing", "meeting_participation"]),
              domains=st.frozensets(st.sampled_from(DOMAINS), min_size=1, max_size=3),
              until=st.none() | st.integers(0, 3))
        def grant(self, agency, purpose, domains, until) -> None:  # type: ignore[no-untyped-def]
            end = None if until is None else today() + timedelta(days=self.clock + until)
            data = ConsentIn(agency_id=self.w.agency_ids[agency], purpose=purpose, life_domains=sorted(domains),
                             method="signed_form", valid_until=end)
            c = self.run(self.w.coordinator, lambda s: consents.grant_consent(
                s, self.w.coordinator, self.w.workspace_id, data))
            self.consents.append(MConsent(c.id, agency, purpose, domains,
                                          None if until is None else self.clock + until))

        @rule(data=st.data(), by_jobseeker=st.booleans())
        def revoke(self, data, by_jobseeker) -> None:  # type: ignore[no-untyped-def]
            if not self.consents:
                return
            c = data.draw(st.sampled_from(self.consents))
            actor = self.w.jobseeker if by_jobseeker else self.w.coordinator
            call = lambda s: consents.revoke_consent(s, actor, self.w.workspace_id, c.id)  # noqa: E731
            if self.active(c):
                self.run(actor, call)
                c.ended = True
            else:
                with pytest.raises(Conflict):
                    self.run(actor, call)

        @rule(days=st.integers(1, 2))
        def expire(self, days) -> None:  # type: ignore[no-untyped-def]
            self.clock += days
            on = today() + timedelta(days=self.clock)
            ids = set(self.run(None, lambda s: consents.expire_due(s, on)))
            for c in self.consents:
                if c.id in ids:
                    assert not c.ended and c.until is not None and c.until < self.clock
                    c.ended = True
            # The beat job may also end consents of other examples; ours must all be handled.
            assert not any(not c.ended and c.until is not None and c.until < self.clock for c in self.consents)

        @rule(domain=st.sampled_from(DOMAINS), owner=st.none() | st.integers(0, AGENCIES - 1),
              by_jobseeker=st.booleans())
        def add_agreement(self, domain, owner, by_jobseeker) -> None:  # type: ignore[no-untyped-def]
            actor = self.w.jobseeker if by_jobseeker else self.w.coordinator
            who = OwnerIn(kind="jobseeker") if owner is None else OwnerIn(kind="agency",
                                                                         agency_id=self.w.agency_ids[owner])
            data = AgreementIn(life_domain=domain, description="afspraak", owner=who)
            ok = (by_jobseeker or self.may_read(0, domain)) and (owner is None or self.may_read(owner, domain))
            call = lambda s: agreements.create_agreement(s, actor, self.w.workspace_id, data)  # noqa: E731
            if ok:
                a = self.run(actor, call)
                self.agreements.append(MAgreement(a.id, domain))
            else:
                with pytest.raises(ConsentMissing):
                    self.run(actor, call)

        @rule(data=st.data(), owner=st.integers(0, AGENCIES - 1))
        def reassign(self, data, owner) -> None:  # type: ignore[no-untyped-def]
            if not self.agreements:
                return
            a = data.draw(st.sampled_from(self.agreements))
            patch = AgreementPatch(owner=OwnerIn(kind="agency", agency_id=self.w.agency_ids[owner]))
            call = lambda s: agreements.update_agreement(s, self.w.coordinator, a.id, patch)  # noqa: E731
            if not self.may_read(0, a.domain):
                with pytest.raises(NotFound):
                    self.run(self.w.coordinator, call)
            elif not self.may_read(owner, a.domain):
                with pytest.raises(ConsentMissing):
                    self.run(self.w.coordinator, call)
            else:
                self.run(self.w.coordinator, call)

        @rule(agency=st.integers(0, AGENCIES - 1))
        def read_workspace_list(self, agency) -> None:  # type: ignore[no-untyped-def]
            actor = self.w.readers[agency]
            rows = self.run(actor, lambda s: agreements.list_workspace_agreements(s, actor, self.w.workspace_id))
            assert {r.id for r in rows} == self.expected(agency)

        @rule(agency=st.integers(0, AGENCIES - 1), domain=st.none() | st.sampled_from(DOMAINS))
        def read_partner_list(self, agency, domain) -> None:  # type: ignore[no-untyped-def]
            actor = self.w.readers[agency]
            rows, total = self.run(actor, lambda s: agreements.partner_agreements(
                s, actor, life_domain=domain, limit=200))
            want = {a.id for a in self.agreements if self.may_read(agency, a.domain)
                    and (domain is None or a.domain == domain)}
            assert {r.id for r in rows} == want and total == len(want)

        @rule(data=st.data(), agency=st.integers(0, AGENCIES - 1))
        def read_detail(self, data, agency) -> None:  # type: ignore[no-untyped-def]
            if not self.agreements:
                return
            a = data.draw(st.sampled_from(self.agreements))
            actor = self.w.readers[agency]
            call = lambda s: agreements.get_agreement(s, actor, a.id)  # noqa: E731
            if self.may_read(agency, a.domain):
                assert self.run(actor, call).id == a.id
            else:
                with pytest.raises(NotFound):
                    self.run(actor, call)

        @rule()
        def read_as_jobseeker(self) -> None:
            js = self.w.jobseeker
            rows = self.run(js, lambda s: agreements.list_workspace_agreements(s, js, self.w.workspace_id))
            assert {r.id for r in rows} == {a.id for a in self.agreements}

        @rule()
        def read_grid(self) -> None:
            grid = self.run(None, lambda s: consents.consent_grid(s, self.w.workspace_id))
            for i, agency_id in enumerate(self.w.agency_ids):
                want = {d for c in self.consents if self.active(c) and c.agency == i
                        and c.purpose == "information_sharing" for d in c.domains}
                assert grid.get(agency_id, {}).get("information_sharing", set()) == want

    return PolicyMachine


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_reads_match_consent_exactly(backend, settings_env, sqlite_url):
    url = settings_env["W2_DATABASE_URL"] if backend == "postgresql" else sqlite_url
    ctx = Ctx()
    ctx.loop = asyncio.new_event_loop()
    ctx.harness = ctx.loop.run_until_complete(_harness(url))
    started = time.monotonic()
    try:
        machine = make_machine(ctx)
        target = STEPS[backend]
        # Run examples until the step budget is spent: every example runs STEP_COUNT steps at most.
        while ctx.steps < target:
            run_state_machine_as_test(machine, settings=settings(
                max_examples=max(1, (target - ctx.steps) // STEP_COUNT), stateful_step_count=STEP_COUNT,
                deadline=None, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
    finally:
        ctx.loop.run_until_complete(ctx.harness.close())
        ctx.loop.close()
    print(f"{backend}: {ctx.steps} service calls in {time.monotonic() - started:.1f} s")
    assert ctx.steps >= target


async def _harness(url: str) -> Harness:
    return Harness(url)
