"""Generate consistent synthetic rows (plain tuples) for a region: agencies, users, workspaces and content."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from w2.consent.domains import LIFE_DOMAINS
from w2.platform import rrn
from w2.platform.boot.scale import names

# Column order of every table we fill; omitted nullable columns stay NULL.
COLUMNS: dict[str, tuple[str, ...]] = {
    "agency": ("id", "name", "kind", "created_at"),
    "app_user": ("id", "agency_id", "email", "name", "roles", "function", "preferred_language", "active",
                 "created_at"),
    "jobseeker": ("id", "given_name", "family_name", "birth_date", "national_number", "email", "phone",
                  "preferred_language", "created_at"),
    "workspace": ("id", "jobseeker_id", "coordinating_agency_id", "created_by_user_id", "created_at"),
    "membership": ("id", "workspace_id", "agency_id", "contact_user_id", "question_type", "question",
                   "added_by_user_id", "created_at"),
    "pivot_assignment": ("id", "workspace_id", "user_id", "chosen_by_jobseeker", "since", "until",
                         "assigned_by_user_id"),
    "confidant": ("id", "workspace_id", "name", "relation", "email", "phone", "created_at"),
    "consent": ("id", "workspace_id", "agency_id", "purpose", "life_domains", "method", "witness_user_id",
                "granted_by", "legal_basis", "legal_reference", "recorded_by_user_id", "recorded_by_jobseeker",
                "text_version", "granted_at", "valid_until"),
    "consent_grant": ("consent_id", "life_domain", "workspace_id", "agency_id", "purpose", "valid_until"),
    "consent_revocation": ("consent_id", "revoked_at", "kind", "revoked_by_user_id", "revoked_by_jobseeker",
                           "reason"),
    "agreement": ("id", "workspace_id", "life_domain", "description", "owner_kind", "owner_agency_id",
                  "owner_user_id", "owner_confidant_id", "due_date", "status", "created_by_user_id",
                  "created_at", "updated_at"),
    "access_log": ("id", "at", "actor_kind", "actor_user_id", "actor_name", "agency_id", "workspace_id",
                   "action", "resource_type", "resource_id", "life_domain", "outcome"),
}
# Load order respects foreign keys (parents first).
CONTENT_TABLES = ("jobseeker", "workspace", "membership", "pivot_assignment", "confidant", "consent",
                  "consent_grant", "consent_revocation", "agreement", "access_log")

_V4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_V4_SET = (0x4000 << 64) | (0x8000 << 48)


@dataclass
class AgencyInfo:
    """What the generator remembers of an agency."""

    id: UUID
    kind: str
    region: int
    weight: int
    users: list[tuple[UUID, str]] = field(default_factory=list)


@dataclass
class Member:
    """A member agency of one workspace while its rows are generated."""

    agency: AgencyInfo
    info_domains: list[str]  # domains of its information_sharing consent at agreement time


class RegionGenerator:
    """Deterministic (seeded) generator; call `agencies()` once, then `workspaces(n)` per chunk."""

    def __init__(self, seed: int = 1, today: date | None = None, tag: str = "scale") -> None:
        self.rng = random.Random(seed)
        # Ids come from their own stream so a second run (another tag) never repeats a primary key.
        self._ids = random.Random(f"{seed}:{tag}")
        self.today = today or date.today()
        self.now = datetime.combine(self.today, time(12, 0), UTC)
        self.tag = tag
        self.agency_list: list[AgencyInfo] = []
        self.by_region: dict[int, list[AgencyInfo]] = defaultdict(list)
        self._rrn_used: set[str] = set()

    def uuid(self) -> UUID:
        """A version-4 UUID from the seeded generator."""
        return UUID(int=(self._ids.getrandbits(128) & _V4_CLEAR) | _V4_SET)

    def person(self) -> tuple[str, str]:
        """A fake given and family name."""
        return self.rng.choice(names.GIVEN_NAMES), self.rng.choice(names.FAMILY_NAMES)

    # -- directory -------------------------------------------------------------------------------
    def agencies(self, count: int, taken: AbstractSet[str] = frozenset()) -> dict[str, list[tuple[Any, ...]]]:
        """Agency and user rows for `count` agencies spread over the municipalities."""
        out: dict[str, list[tuple[Any, ...]]] = {"agency": [], "app_user": []}
        used = {n.lower() for n in taken}
        types, munis = names.AGENCY_TYPES, names.MUNICIPALITIES
        created = self.now - timedelta(days=4 * 365)
        for i in range(count):
            region = (i // len(types)) % len(munis)
            pattern, kind, weight = types[i % len(types)]
            base = pattern.format(m=munis[region])
            name, k = base, 1
            while name.lower() in used:
                k += 1
                name = f"{base} {k}"
            used.add(name.lower())
            info = AgencyInfo(self.uuid(), kind, region, weight)
            out["agency"].append((info.id, name, kind, created))
            for j in range(self.rng.randint(3, 12)):
                given, family = self.person()
                uid = self.uuid()
                email = f"{given}.{family}.{i}.{j}@{self.tag}.scale.invalid".lower().replace(" ", "")
                roles = ["coordinator", "worker"] if j == 0 else ["worker"]
                out["app_user"].append((uid, info.id, email, f"{given} {family}", roles,
                                        self.rng.choice(names.FUNCTIONS), "nl", True, created))
                info.users.append((uid, f"{given} {family}"))
            self.agency_list.append(info)
            self.by_region[region].append(info)
        return out

    # -- case content ----------------------------------------------------------------------------
    def workspaces(self, count: int) -> dict[str, list[tuple[Any, ...]]]:
        """All rows of `count` new workspaces with their job seekers and case content."""
        out: dict[str, list[tuple[Any, ...]]] = {t: [] for t in CONTENT_TABLES}
        for _ in range(count):
            self._workspace(out)
        return out

    def _pick_members(self) -> list[AgencyInfo]:
        rng = self.rng
        want = min(rng.randint(2, 6), len(self.agency_list))
        region = rng.choice(list(self.by_region))
        local = self.by_region[region]
        chosen: dict[UUID, AgencyInfo] = {}
        # Coordinators are mostly OCMW, VDAB or CAW.
        coord_pool = [a for a in local if a.kind in ("ocmw", "vdab", "caw")] or local
        first = rng.choice(coord_pool)
        chosen[first.id] = first
        tries = 0
        while len(chosen) < want and tries < 50:
            tries += 1
            pool = local if rng.random() < 0.8 and len(local) > len(chosen) else self.agency_list
            a = rng.choices(pool, weights=[x.weight for x in pool])[0]
            chosen.setdefault(a.id, a)
        return list(chosen.values())

    def _jobseeker(self, out: dict[str, list[tuple[Any, ...]]], created: datetime) -> UUID:
        rng = self.rng
        given, family = self.person()
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(46 * 365))
        while True:
            nn = rrn.make(birth, self._ids.randint(1, 997))
            if nn not in self._rrn_used:
                self._rrn_used.add(nn)
                break
        lang = rng.choices(("nl", "fr", "en"), weights=(85, 8, 7))[0]
        email = f"{given}.{family}{rng.randint(1, 999)}@voorbeeld.invalid".lower().replace(" ", "") \
            if rng.random() < 0.6 else None
        phone = f"+32 4{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}" \
            if rng.random() < 0.8 else None
        jid = self.uuid()
        out["jobseeker"].append((jid, given, family, birth, nn, email, phone, lang, created))
        return jid

    def _workspace(self, out: dict[str, list[tuple[Any, ...]]]) -> None:
        rng = self.rng
        created = self.now - timedelta(days=rng.randint(7, 3 * 365), minutes=rng.randrange(1440))
        jid = self._jobseeker(out, created)
        agencies = self._pick_members()
        coord = agencies[0]
        coord_user = rng.choice(coord.users)[0]
        wid = self.uuid()
        out["workspace"].append((wid, jid, coord.id, coord_user, created))
        contacts: dict[UUID, tuple[UUID, str]] = {}
        for a in agencies:
            contact = rng.choice(a.users)
            contacts[a.id] = contact
            out["membership"].append((self.uuid(), wid, a.id, contact[0], rng.choice(("advies", "doorverwijzing",
                                      "afstemming")), rng.choice(names.QUESTIONS), coord_user, created))
        self._pivots(out, wid, agencies, contacts, created, coord_user)
        confidant = None
        if rng.random() < 0.4:
            confidant = self.uuid()
            cg, cf = self.person()
            out["confidant"].append((confidant, wid, f"{cg} {cf}", rng.choice(names.RELATIONS), None, None, created))
        members = [Member(a, self._consents(out, wid, a, coord_user, created)) for a in agencies]
        self._agreements(out, wid, members, contacts, confidant, created, coord_user)
        self._access_log(out, wid, members, contacts)

    def _pivots(self, out: dict[str, list[tuple[Any, ...]]], wid: UUID, agencies: list[AgencyInfo],
                contacts: dict[UUID, tuple[UUID, str]], created: datetime, by: UUID) -> None:
        rng = self.rng
        since = created + timedelta(days=rng.randint(0, 30))
        if rng.random() < 0.2 and len(agencies) > 1:
            change = since + timedelta(days=rng.randint(30, 200))
            if change < self.now:
                out["pivot_assignment"].append((self.uuid(), wid, contacts[agencies[1].id][0], True, since,
                                                change, by))
                since = change
        out["pivot_assignment"].append((self.uuid(), wid, contacts[rng.choice(agencies).id][0],
                                        rng.random() < 0.9, since, None, by))

    def _consents(self, out: dict[str, list[tuple[Any, ...]]], wid: UUID, agency: AgencyInfo,
                  coord_user: UUID, created: datetime) -> list[str]:
        """Consents of one member agency; returns the domains it may see when agreements are made."""
        rng = self.rng
        info_domains: list[str] = []
        domains = rng.sample(LIFE_DOMAINS, rng.randint(2, 7))
        for purpose, p in (("information_sharing", 0.92), ("meeting_participation", 0.75),
                           ("report_distribution", 0.5)):
            if rng.random() >= p:
                continue
            these = domains if purpose != "report_distribution" else domains[: max(1, len(domains) - 1)]
            cid = self.uuid()
            granted = created + timedelta(days=rng.randint(0, 14), minutes=rng.randrange(600))
            method = rng.choices(("portal", "signed_form", "verbal"), weights=(30, 50, 20))[0]
            witness = rng.choice(agency.users)[0] if method == "verbal" else None
            basis, ref = ("consent", None)
            if agency.kind == "jeugdrechtbank" and rng.random() < 0.5:
                basis, ref = "legal_obligation", "AVG art. 10"
            elif rng.random() < 0.03:
                basis, ref = "case_consultation", "art. 458ter Sw."
            valid_until = None
            if rng.random() < 0.2:
                valid_until = (granted + timedelta(days=rng.randint(180, 1095))).date()
            out["consent"].append((cid, wid, agency.id, purpose, list(these), method, witness,
                                   "representative" if rng.random() < 0.08 else "jobseeker", basis, ref,
                                   None if method == "portal" else coord_user, method == "portal", "toestemming-v1",
                                   granted, valid_until))
            for d in these:
                out["consent_grant"].append((cid, d, wid, agency.id, purpose, valid_until))
            if valid_until is not None and valid_until < self.today:
                # The nightly job records an expiry as a revocation row of kind "expired".
                at = datetime.combine(valid_until + timedelta(days=1), time(2, 0), UTC)
                out["consent_revocation"].append((cid, at, "expired", None, False, None))
            elif rng.random() < 0.06:
                span = max(1, int((self.now - granted).total_seconds()))
                at = granted + timedelta(seconds=rng.randrange(span))
                by_js = rng.random() < 0.5
                out["consent_revocation"].append((cid, at, "withdrawn", None if by_js else coord_user, by_js,
                                                  "Ik wil dit niet meer delen." if by_js else None))
            if purpose == "information_sharing":
                # Agreements below were made while this consent still held, even if it ended later.
                info_domains = list(these)
        return info_domains

    def _agreements(self, out: dict[str, list[tuple[Any, ...]]], wid: UUID, members: list[Member],
                    contacts: dict[UUID, tuple[UUID, str]], confidant: UUID | None,
                    created: datetime, by: UUID) -> None:
        rng = self.rng
        age = max(1, (self.now - created).days)
        owners = [m for m in members if m.info_domains]
        for _ in range(rng.randint(5, 15)):
            made = created + timedelta(days=rng.randrange(age), minutes=rng.randrange(600))
            due = (made + timedelta(days=rng.randint(7, 120))).date()
            roll = rng.random()
            owner_agency = owner_user = owner_conf = None
            if owners and roll < 0.8:
                m = rng.choice(owners)
                domain = rng.choice(m.info_domains)
                owner_agency = m.agency.id
                if roll < 0.6:
                    kind = "agency"
                else:
                    kind, owner_user = "user", contacts[m.agency.id][0]
            elif confidant is not None and roll < 0.85:
                kind, owner_conf, domain = "confidant", confidant, "network"
            else:
                kind, domain = "jobseeker", rng.choice(LIFE_DOMAINS)
            s = rng.random()
            if due < self.today:
                status = "done" if s < 0.55 else "not_achieved" if s < 0.7 else "open" if s < 0.9 else "in_progress"
            else:
                status = "open" if s < 0.6 else "in_progress" if s < 0.95 else "done"
            updated = made if status == "open" else min(self.now, made + timedelta(days=rng.randint(1, 60)))
            out["agreement"].append((self.uuid(), wid, domain, rng.choice(names.AGREEMENTS[domain]), kind,
                                     owner_agency, owner_user, owner_conf, due, status, by, made, updated))

    def _access_log(self, out: dict[str, list[tuple[Any, ...]]], wid: UUID, members: list[Member],
                    contacts: dict[UUID, tuple[UUID, str]]) -> None:
        rng = self.rng
        for _ in range(rng.randint(2, 8)):
            m = rng.choice(members)
            uid, uname = contacts[m.agency.id]
            domain = rng.choice(LIFE_DOMAINS)
            ok = domain in m.info_domains
            at = self.now - timedelta(days=rng.randint(0, 365), seconds=rng.randrange(86400))
            out["access_log"].append((self.uuid(), at, "staff", uid, uname, m.agency.id, wid, "read",
                                      rng.choice(("agreement", "domain_note", "workspace")), None,
                                      domain, "allowed" if ok else "denied"))
