"""Consents of a workspace as a FHIR R5 Bundle of Consent resources."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from w2.consent.schemas import ConsentOut
from w2.platform.db.base import utcnow

BASE = "https://w2.invalid/fhir"
SYSTEM = f"{BASE}/CodeSystem"
FHIR_STATUS = {"active": "active", "revoked": "inactive", "expired": "inactive"}
# How the consent was captured, and the basis, in our own code systems (no national ones exist yet).
LEGAL_BASIS_TEXT = {
    "consent": "Toestemming (AVG art. 6.1.a / 9.2.a)",
    "case_consultation": "Casusoverleg (art. 458ter Strafwetboek)",
    "legal_obligation": "Wettelijke verplichting (AVG art. 6.1.c)",
}


def _ref(kind: str, ident: Any, display: str | None = None) -> dict[str, Any]:
    ref: dict[str, Any] = {"reference": f"{kind}/{ident}"}
    if display:
        ref["display"] = display
    return ref


def consent_resource(c: ConsentOut, jobseeker_id: Any, agency_names: dict[Any, str]) -> dict[str, Any]:
    """One FHIR R5 Consent for one of our consent rows."""
    grantor_kind = "Patient" if c.granted_by == "jobseeker" else "RelatedPerson"
    grantor = _ref("Patient", jobseeker_id) if c.granted_by == "jobseeker" else {
        "type": grantor_kind, "display": "wettelijke vertegenwoordiger"}
    period: dict[str, Any] = {"start": c.granted_at.isoformat()}
    end: datetime | None = c.revoked_at
    if end is not None:
        period["end"] = end.isoformat()
    elif c.valid_until is not None:
        period["end"] = c.valid_until.isoformat()
    res: dict[str, Any] = {
        "resourceType": "Consent",
        "id": str(c.id),
        "identifier": [{"system": f"{BASE}/consent-id", "value": str(c.id)}],
        "status": FHIR_STATUS[c.status],
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}]}],
        "subject": _ref("Patient", jobseeker_id),
        "date": c.granted_at.date().isoformat(),
        "period": period,
        "grantor": [grantor],
        "grantee": [_ref("Organization", c.agency_id, agency_names.get(c.agency_id))],
        "regulatoryBasis": [{
            "coding": [{"system": f"{SYSTEM}/legal-basis", "code": c.legal_basis}],
            "text": LEGAL_BASIS_TEXT[c.legal_basis] + (f" — {c.legal_reference}" if c.legal_reference else ""),
        }],
        "policyBasis": {"url": f"https://w2.invalid/consent-text/{c.text_version}"},
        "decision": "permit",
        "provision": [{
            "period": period,
            "actor": [{
                "role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                     "code": "IRCP", "display": "information recipient"}]},
                "reference": _ref("Organization", c.agency_id, agency_names.get(c.agency_id)),
            }],
            "purpose": [{"system": f"{SYSTEM}/purpose", "code": c.purpose}],
            "documentType": [{"system": f"{SYSTEM}/life-domain", "code": d} for d in c.life_domains],
        }],
        "extension": [{"url": f"{BASE}/StructureDefinition/consent-method", "valueCode": c.method}],
    }
    if c.recorded_by_user_id is not None or c.witness_user_id is not None:
        verification: dict[str, Any] = {"verified": True, "verificationType": {
            "coding": [{"system": f"{SYSTEM}/verification", "code": c.method}]}}
        if c.witness_user_id is not None:
            verification["verifiedBy"] = _ref("Practitioner", c.witness_user_id)
        elif c.recorded_by_user_id is not None:
            verification["verifiedBy"] = _ref("Practitioner", c.recorded_by_user_id)
        verification["verificationDate"] = [c.granted_at.isoformat()]
        res["verification"] = [verification]
    return res


def consent_bundle(items: list[ConsentOut], jobseeker_id: Any, agency_names: dict[Any, str]) -> dict[str, Any]:
    """A `collection` Bundle holding every consent of the workspace."""
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": utcnow().isoformat(),
        "entry": [
            {"fullUrl": f"urn:uuid:{c.id}", "resource": consent_resource(c, jobseeker_id, agency_names)}
            for c in items
        ],
    }
