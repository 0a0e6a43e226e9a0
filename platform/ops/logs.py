"""JSON log lines with a request id, scrubbed of personal data and tokens before they leave the process."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("w2_request_id", default=None)

_RID_OK = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# Keys whose values are personal data whatever they hold; they never reach a log line.
PERSONAL_KEYS = {"name", "given_name", "family_name", "email", "phone", "national_number", "to_address",
                 "address", "birth_date", "password", "token", "secret", "authorization", "cookie"}
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # SQLAlchemy appends the statement's bound values; they can hold anything a person typed.
    (re.compile(r"\[parameters: .*?\](?=\s*(\n|\(Background|$))", re.S), "[parameters: weggelaten]"),
    (re.compile(r"(DETAIL:\s+Key \(.*?\)=)\(.*?\)( already exists| is not present)?", re.S), r"\1(…)\2"),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+"), r"\1 [token]"),
    (re.compile(r"(?i)([?&](?:token|code|state|t|key)=)[^&\s\"']+"), r"\1[token]"),
    # Routes whose last path segment is a secret (portal link, personal vote link, calendar feed):
    # replaced whatever it looks like, so an all-letter token cannot slip past the heuristic below.
    (re.compile(r"(/(?:portal/in|m|agenda/[0-9a-fA-F-]{36})/)[^\s/\"?]+"), r"\1[token]"),
    # Query strings on request lines can carry search terms (names); keep only the path.
    (re.compile(r"(\"(?:GET|POST|PUT|PATCH|DELETE|HEAD) [^\s?\"]+)\?[^\s\"]*"), r"\1?[…]"),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[e-mail]"),
    (re.compile(r"(?<![\w.-])\d{2}[.\s-]?\d{2}[.\s-]?\d{2}[.\s-]?\d{3}[.\s-]?\d{2}(?![\w-])"), "[rijksregisternummer]"),
    (re.compile(r"(?<![\w.-])\+?\d(?:[\s./-]?\d){8,13}(?![\w-])"), "[telefoon]"),
]
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_TOKENISH = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{24,}(?![A-Za-z0-9_-])")


def _token_or_keep(m: re.Match[str]) -> str:
    word = m.group(0)
    # Ids (UUIDs) stay: they are how an operator follows a request; random secrets mix letters and digits.
    if _UUID.match(word) or word.isalpha() or word.isdigit() or "_" not in word and "-" in word and word.islower():
        return word
    return "[token]"


def scrub(text: str) -> str:
    """The text with national numbers, e-mail addresses, phone numbers and tokens replaced."""
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return _TOKENISH.sub(_token_or_keep, text)


def scrub_value(key: str, value: Any) -> Any:
    """A structured field, redacted by key or scrubbed by content."""
    if key.lower() in PERSONAL_KEYS:
        return "[weggelaten]"
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: scrub_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_value(key, v) for v in value]
    return value


_STD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, extra fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": scrub(record.getMessage()),
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid:
            out["request_id"] = rid
        for key, value in record.__dict__.items():
            if key not in _STD and key != "request_id" and not key.startswith("_"):
                out[key] = scrub_value(key, value)
        if record.exc_info:
            out["exc"] = scrub(self.formatException(record.exc_info))
        return json.dumps(out, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Readable lines for the demo, scrubbed the same way."""

    def format(self, record: logging.LogRecord) -> str:
        rid = request_id.get()
        line = super().format(record)
        return scrub(f"{line} [{rid}]" if rid else line)


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to sys.stderr as it is at each line: a test runner or a tool may swap it, and a handler
    holding the old one would write into a closed file."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure_logging(fmt: str = "json", level: str = "INFO", stream: Any = None) -> logging.Handler:
    """Route every logger (ours, Litestar, uvicorn, Celery, SQLAlchemy) through one scrubbing handler."""
    handler = logging.StreamHandler(stream) if stream is not None else _CurrentStderr()
    handler.setFormatter(JsonFormatter() if fmt == "json" else
                         TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_w2", False):
            root.removeHandler(old)
    handler._w2 = True  # type: ignore[attr-defined]  # marks our handler so reconfiguring replaces it
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.access", "uvicorn.error", "celery", "litestar"):
        lg = logging.getLogger(name)
        lg.handlers = []
        lg.propagate = True
    # Chatty at INFO without telling an operator anything.
    for name in ("weasyprint", "fontTools", "alembic.runtime.plugins"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler


def new_request_id(incoming: str | None = None) -> str:
    """Keep a well-formed id from a proxy, else make one."""
    return incoming if incoming and _RID_OK.match(incoming) else uuid.uuid4().hex


def request_id_middleware(app: Any) -> Any:
    """Give every HTTP request an id (kept from a proxy's X-Request-ID when well formed), echoed back."""

    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        rid = new_request_id(incoming)
        token = request_id.set(rid)

        async def send_wrapper(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await app(scope, receive, send_wrapper)
        finally:
            request_id.reset(token)

    return middleware


HEADER = "w2_request_id"


def _publish(headers: dict[str, Any] | None = None, **_: Any) -> None:
    rid = request_id.get()
    if headers is not None and rid:
        headers[HEADER] = rid


def _prerun(task: Any = None, **_: Any) -> None:
    rid = getattr(getattr(task, "request", None), HEADER, None)
    if rid is None and task is not None:
        rid = (getattr(task.request, "headers", None) or {}).get(HEADER)
    request_id.set(rid if isinstance(rid, str) and _RID_OK.match(rid) else None)


def carry_request_ids_into_tasks() -> None:
    """A task runs under the request id of whatever enqueued it (wired once by the composition root)."""
    from celery import signals

    signals.before_task_publish.connect(_publish, weak=False, dispatch_uid="w2-rid-publish")
    signals.task_prerun.connect(_prerun, weak=False, dispatch_uid="w2-rid-prerun")
