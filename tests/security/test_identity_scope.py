"""Finding 10: contact details and birth date only for the coordinator and the pivot's agency; questions need consent."""

from __future__ import annotations

from tests.factories import new_workspace


async def test_member_agency_sees_name_and_language_only(client, factory):
    coord = await factory.person(kind="ocmw")
    vdab = await factory.person(kind="vdab", roles=("worker",))
    caw = await factory.person(kind="caw", roles=("worker",))
    ws = await new_workspace(client, coord, birth_date="1985-07-30", email="mira@example.be", phone="+32470112233",
                             national_number="85073003328", preferred_language="fr")
    base = f"/api/v1/workspaces/{ws['id']}"
    for who, question in ((vdab, "Werk zoeken"), (caw, "Schulden bekijken")):
        r = await client.post(f"{base}/members", headers=coord.headers,
                              json={"agency_id": str(who.agency_id), "question_type": "advies", "question": question})
        assert r.status_code == 201, r.text
    seen = (await client.get(base, headers=vdab.headers)).json()
    js = seen["jobseeker"]
    assert js["given_name"] and js["preferred_language"] == "fr"
    assert js["birth_date"] is None and js["email"] is None and js["phone"] is None and js["national_number"] is None
    questions = {m["agency_id"]: m["question"] for m in seen["members"]}
    assert questions[str(vdab.agency_id)] == "Werk zoeken"  # its own question
    assert questions[str(caw.agency_id)] is None  # another agency's question reveals their situation
    full = (await client.get(base, headers=coord.headers)).json()
    assert full["jobseeker"]["email"] == "mira@example.be" and full["jobseeker"]["birth_date"] == "1985-07-30"
    # Once VDAB's professional is the pivot (spilfiguur), VDAB sees the contact details too.
    witness = await factory.person(agency_id=coord.agency_id, roles=("worker",))
    r = await client.put(f"{base}/pivot", headers=coord.headers,
                         json={"user_id": str(vdab.user_id), "chosen_by_jobseeker": True,
                               "witness_user_id": str(witness.user_id)})
    assert r.status_code == 200, r.text
    pivot_view = (await client.get(base, headers=vdab.headers)).json()
    assert pivot_view["jobseeker"]["phone"] == "+32470112233"
    # Being the pivot opens contact details, not case content: CAW's question needs consent for its
    # life domain (tests/security/test_member_questions.py).
    assert {m["question"] for m in pivot_view["members"]} == {"Werk zoeken", None}
    caw_view = (await client.get(base, headers=caw.headers)).json()
    assert caw_view["jobseeker"]["email"] is None
