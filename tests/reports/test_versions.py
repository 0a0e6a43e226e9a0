"""Report data from meetings becomes typed content; a new version says what changed, per domain."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from w2.reports.render import restrict
from w2.reports.sample import worked_case
from w2.reports.schemas import AgreementItem
from w2.reports.versions import content_from_report_data, diff


def test_adapter_reads_meetings_report_data() -> None:
    data = {
        "meeting_id": "7f0c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f", "workspace_id": "7f0c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e50",
        "coordinator": {"name": "Sara", "function": "maatschappelijk werker", "agency": "OCMW", "email": "s@o.be"},
        "pivot": None, "confidants": [], "jobseeker": {"name": "Mira Voorbeeld"},
        "partner_name": "Samir", "children_names": ["Adam"],
        "invitees": [{"id": "x", "kind": "professional", "name": "Tom", "function": "trajectbegeleider",
                      "service": "VDAB", "address": "Straat 1", "email": "t@v.be", "attendance": "present",
                      "agency_id": "7f0c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e51"}],
        "requester": {"kind": "professional", "name": "Sara", "agency": "OCMW"},
        "reason": "vast", "goal": "afstemmen",
        "preparation": {"prepared_with": {"name": "Sara"}, "participation": "second_part",
                        "non_participation_reason": None, "practical_needs": ["transport"]},
        "urgent_themes": "Arbeidskaart partner\n- Te laag inkomen\n",
        "starts_at": "2026-03-10T09:30:00+00:00", "location": "OCMW",
        "domains": [{"code": "housing", "information": "Te klein", "agreements": [
            {"id": "a1", "description": "Huurdersbond", "owner_kind": "agency", "owner_name": "VDAB",
             "due_date": "2026-03-20", "status": "open"}]}],
        "follow_up_date": "2026-04-21", "finalized_at": "2026-03-10T12:00:00+00:00",
    }
    c = content_from_report_data(data, version=1)
    assert c.requester == "Sara (OCMW)" and c.participation == "second_part" and c.prepared_by == "Sara"
    assert [u.text for u in c.urgent_themes] == ["Arbeidskaart partner", "Te laag inkomen"]
    assert all(u.life_domain == "other" for u in c.urgent_themes)
    assert len(c.domains) == 12
    housing = next(s for s in c.domains if s.domain == "housing")
    assert housing.agreements[0].owner == "VDAB" and str(housing.agreements[0].due_date) == "2026-03-20"
    assert c.invitees[0].agency == "VDAB" and c.invitees[0].attendance == "present"


def test_diff_names_changes_per_domain() -> None:
    old = worked_case()
    new = msgspec.convert(msgspec.to_builtins(old), type(old))
    new.follow_up_date = old.follow_up_date + timedelta(days=7)
    housing = next(s for s in new.domains if s.domain == "housing")
    housing.agreements.append(AgreementItem(description="Sociale woning aanvragen.", owner="OCMW Demostad"))
    fin = next(s for s in new.domains if s.domain == "finances")
    fin.information = "Schuldbemiddeling gestart."
    changes = diff(old, new)
    texts = [c.text for c in changes]
    assert any(t.startswith("De datum van de opvolging is nu") for t in texts)
    assert "Huisvesting: nieuwe afspraak – Sociale woning aanvragen." in texts
    assert "Financiën: de informatie is aangepast." in texts
    # a recipient without finances does not even learn that finances changed
    only_housing = restrict(msgspec.structs.replace(new, changes=changes, version=2), {"housing"})
    assert [c.life_domain for c in only_housing.changes] == [None, "housing"]
