"""Errors as RFC 9457 problem+json, mapped in one place."""

from __future__ import annotations

import logging
import uuid
from http import HTTPStatus
from typing import Any

import msgspec
from litestar.exceptions import HTTPException, ValidationException
from litestar.plugins.problem_details import (
    ProblemDetailsConfig,
    ProblemDetailsException,
    ProblemDetailsPlugin,
)
from sqlalchemy.exc import IntegrityError

from w2.platform.i18n import t

log = logging.getLogger("w2.errors")
TYPE_BASE = "https://w2.invalid/problems/"


class ConsentMissing(Exception):
    """A state change needs a consent that is not there (answered as 409); raised by consent/policy.py."""

    def __init__(self, agency_id: uuid.UUID, purpose: str, life_domain: str | None, agency_name: str = ""):
        self.agency_id = agency_id
        self.purpose = purpose
        self.life_domain = life_domain
        self.agency_name = agency_name
        super().__init__(f"missing consent: agency={agency_id} purpose={purpose} life_domain={life_domain}")


class ProblemDetail(msgspec.Struct, omit_defaults=True):
    """RFC 9457 body as documented in OpenAPI."""

    status: int
    title: str
    detail: str | None = None
    type: str | None = None
    errors: list[dict[str, Any]] | None = None
    missing_consent: dict[str, Any] | None = None


class W2Error(Exception):
    """A refusal a person can understand; services raise it, the mapper turns it into problem+json."""

    status = 400
    kind = "bad-request"

    def __init__(self, detail: str, *, kind: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.kind = kind or self.kind
        self.extra = extra or {}


class NotFound(W2Error):
    """Absent, or the caller may not know it exists."""

    status = 404
    kind = "not-found"


class Forbidden(W2Error):
    """Known, but the caller may not do this."""

    status = 403
    kind = "forbidden"


class Conflict(W2Error):
    """A refused state change."""

    status = 409
    kind = "conflict"


class Invalid(W2Error):
    """Input that passed the schema but breaks a rule; `errors` names each field."""

    status = 422
    kind = "invalid-input"

    def __init__(self, field: str, message: str):
        super().__init__(message, extra={"errors": [{"key": field, "message": message, "source": "body"}]})


def _pd(status: int, detail: str | None, kind: str, extra: dict[str, Any] | None = None,
        headers: Any = None) -> ProblemDetailsException:
    return ProblemDetailsException(
        status_code=status,
        title=HTTPStatus(status).phrase,
        detail=detail,  # type: ignore[arg-type]  # None omits the member; Litestar types it as str only
        type_=TYPE_BASE + kind,
        extra=extra or None,
        headers=headers,
    )


def http_pd(exc: HTTPException) -> ProblemDetailsException:
    """Litestar HTTP errors (401, 403, 404, 405, ...)."""
    kind = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "-")
    return _pd(exc.status_code, exc.detail, kind, headers=exc.headers)


def validation_pd(exc: ValidationException) -> ProblemDetailsException:
    """Schema errors: 422 naming each bad field."""
    errors = exc.extra if isinstance(exc.extra, list) else ([exc.extra] if exc.extra else [])
    return _pd(422, t("error.validation"), "invalid-input", {"errors": errors})


def w2_pd(exc: W2Error) -> ProblemDetailsException:
    """Our own service errors."""
    return _pd(exc.status, exc.detail, exc.kind, exc.extra)


def consent_missing_text(exc: ConsentMissing, lang: str = "nl") -> str:
    """What is missing, in plain words, and the next step: the one wording for API, pages and forms."""
    return t("error.consent_missing" if exc.life_domain else "error.consent_missing_any", lang,
             agency=exc.agency_name or t("error.consent_missing_this_agency", lang),
             purpose=t(f"purpose.{exc.purpose}", lang),
             domain=t(f"domain.{exc.life_domain}", lang) if exc.life_domain else "")


def consent_pd(exc: ConsentMissing) -> ProblemDetailsException:
    """Missing consent: 409 naming the agency, purpose and domain."""
    detail = consent_missing_text(exc)
    missing = {
        "agency_id": str(exc.agency_id),
        "agency_name": exc.agency_name,
        "purpose": exc.purpose,
        "life_domain": exc.life_domain,
    }
    return _pd(409, detail, "consent-missing", {"missing_consent": missing})


def integrity_pd(exc: IntegrityError) -> ProblemDetailsException:
    """A uniqueness or reference conflict found by the database."""
    log.info("integrity error: %s", exc.orig)
    return _pd(409, t("error.integrity"), "conflict")


def internal_pd(exc: Exception) -> ProblemDetailsException:
    """Anything unexpected: logged here (Litestar would not), no internals leaked."""
    log.exception("unhandled error", exc_info=exc)
    return _pd(500, t("error.internal"), "internal")


PD_MAP = {
    HTTPException: http_pd,
    ValidationException: validation_pd,
    W2Error: w2_pd,
    ConsentMissing: consent_pd,
    IntegrityError: integrity_pd,
    Exception: internal_pd,
}


def problem_plugin() -> ProblemDetailsPlugin:
    """The plugin that renders every mapped error as problem+json."""
    return ProblemDetailsPlugin(ProblemDetailsConfig(exception_to_problem_detail_map=PD_MAP))  # type: ignore[arg-type]  # the map is keyed per exception type; Litestar wants one handler type
