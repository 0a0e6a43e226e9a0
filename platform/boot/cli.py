"""The `w2` command line (API.md "Operating it")."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import uuid
from typing import Any

from w2.platform.boot.system_session import with_system_session

# Each command imports what it needs when it runs: `w2 serve --workers N` starts web workers that
# re-import this module, and they must answer uvicorn's health ping within seconds.


def _print(obj: Any, as_json: bool) -> None:
    print(json.dumps(obj, default=str) if as_json else "\n".join(f"{k}: {v}" for k, v in obj.items()))


def _fail(message: str) -> int:
    print(f"fout: {message}", file=sys.stderr)
    return 2


def cmd_db(args: argparse.Namespace) -> int:
    """Apply migrations."""
    from w2.platform.db.migrate import upgrade
    from w2.platform.settings import get_settings

    if args.action == "upgrade":
        upgrade(get_settings().migration_database_url, args.revision)
        print("databank bijgewerkt")
    return 0


def serve_options(settings: Any) -> dict[str, Any]:
    """uvicorn options: the client address comes from X-Forwarded-For only when a trusted proxy sent it."""
    return {"proxy_headers": True, "forwarded_allow_ips": settings.forwarded_allow_ips}


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the web app with uvicorn."""
    import uvicorn

    from w2.platform.settings import get_settings

    uvicorn.run("w2.platform.boot.app:app_from_env", factory=True, host=args.host, port=args.port,
                workers=args.workers if args.workers > 1 else None, **serve_options(get_settings()),
                # The app factory configures logging (JSON, scrubbed); uvicorn must not replace it.
                log_config=None)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Run a Celery worker."""
    from w2.platform.boot.worker import configure

    app = configure()
    argv = ["worker", "--loglevel", args.loglevel, "--pool", args.pool, "--concurrency", str(args.concurrency)]
    if args.beat:
        argv += ["--beat"]
    app.worker_main(argv)
    return 0


def cmd_beat(args: argparse.Namespace) -> int:
    """Run Celery beat (exactly one per deployment)."""
    from w2.platform.boot.worker import configure
    from w2.platform.settings import get_settings

    app = configure()
    schedule = get_settings().storage_dir / "celerybeat-schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    app.start(["beat", "--loglevel", args.loglevel, "--schedule", str(schedule)])
    return 0


def cmd_agencies(args: argparse.Namespace) -> int:
    """Create an agency."""
    from w2.platform import accounts

    try:
        agency = asyncio.run(with_system_session(lambda s: accounts.create_agency(s, args.name, args.kind)))
    except accounts.AccountError as exc:
        return _fail(str(exc))
    _print({"id": str(agency.id), "name": agency.name, "kind": agency.kind}, args.json)
    return 0


def cmd_agency_oidc(args: argparse.Namespace) -> int:
    """Configure an agency's own OpenID provider for staff sign-in; the secret comes from standard input."""
    from w2.platform.identity import staff_idp

    secret = sys.stdin.readline().strip() if args.client_secret_stdin else ""
    password = None if args.password_sign_in is None else args.password_sign_in == "on"
    trust = None if args.trust_email is None else args.trust_email == "on"
    try:
        row = asyncio.run(with_system_session(lambda s: staff_idp.configure(
            s, agency_id=uuid.UUID(args.agency_id), issuer=args.issuer, client_id=args.client_id,
            client_secret=secret, password_sign_in=password, trust_email=trust)))
    except ValueError:
        return _fail(f"ongeldig dienst-id: {args.agency_id}")
    except staff_idp.IdpConfigError as exc:
        return _fail(str(exc))
    # The secret is never printed back, not even masked.
    _print({"agency_id": str(row.agency_id), "issuer": row.issuer, "client_id": row.client_id,
            "password_sign_in": "aan" if row.password_sign_in else "uit",
            "trust_email": "ja" if row.trust_email else "nee"}, args.json)
    return 0


def cmd_reset_mfa(args: argparse.Namespace) -> int:
    """Remove a user's second factor after a lost phone; they set it up again at the next sign-in."""
    from sqlalchemy import func, select

    from w2.platform.identity import mfa
    from w2.platform.models import User

    async def run(s: Any) -> bool | None:
        user = await s.scalar(select(User).where(func.lower(User.email) == args.email.strip().lower()))
        return None if user is None else await mfa.reset(s, user.id)

    removed = asyncio.run(with_system_session(run))
    if removed is None:
        return _fail(f"geen gebruiker met e-mailadres {args.email}")
    _print({"email": args.email, "mfa_removed": removed}, args.json)
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    """Create a user; the password comes from standard input."""
    from w2.platform import accounts

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    try:
        user = asyncio.run(with_system_session(lambda s: accounts.create_user(
            s, agency_id=uuid.UUID(args.agency_id), email=args.email, name=args.name,
            roles=args.role, password=password)))
    except (accounts.AccountError, ValueError) as exc:
        return _fail(str(exc))
    _print({"id": str(user.id), "email": user.email}, args.json)
    return 0


def cmd_tokens(args: argparse.Namespace) -> int:
    """Create (or revoke) an API token."""
    from w2.platform import accounts

    try:
        if args.revoke:
            n = asyncio.run(with_system_session(lambda s: accounts.revoke_tokens(s, args.email)))
            _print({"revoked": n}, args.json)
            return 0
        raw = asyncio.run(with_system_session(lambda s: accounts.create_token(s, args.email, args.label)))
    except accounts.AccountError as exc:
        return _fail(str(exc))
    _print({"token": raw}, args.json)
    return 0


def cmd_portal_link(args: argparse.Namespace) -> int:
    """Print a one-time sign-in link for the job seeker of a workspace."""
    from w2.platform.errors import W2Error
    from w2.platform.portal_auth import create_portal_link, portal_url

    try:
        workspace_id = uuid.UUID(args.workspace)
        raw = asyncio.run(with_system_session(lambda s: create_portal_link(s, workspace_id, channel=args.channel)))
    except (W2Error, ValueError) as exc:
        return _fail(getattr(exc, "detail", None) or str(exc))
    _print({"url": portal_url(raw)}, args.json)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Seed the demo and run web, worker, beat and a mail sink together."""
    from w2.platform.boot.demo import run_demo

    return run_demo(host=args.host, port=args.port, seed_only=args.seed_only)


def cmd_seed_scale(args: argparse.Namespace) -> int:
    """Fill the database with region-sized synthetic data (benchmarks)."""
    import time

    from w2.platform.boot.scale.run import seed
    from w2.platform.settings import get_settings

    if args.jobseekers < 1 or args.agencies < 2:
        return _fail("minstens 1 werkzoekende en 2 diensten")
    t0 = time.perf_counter()
    counts = asyncio.run(seed(get_settings().migration_database_url, jobseekers=args.jobseekers,
                              agencies=args.agencies, seed=args.seed, chunk=args.chunk,
                              keep_indexes=args.keep_indexes, show_progress=not args.quiet))
    _print({**dict(counts), "seconds": round(time.perf_counter() - t0, 1)}, args.json)
    return 0


def cmd_consent(args: argparse.Namespace) -> int:
    """Derive the compiled access table again from the consent log (as the owner)."""
    from w2.consent.access import rebuild_access

    rows = asyncio.run(with_system_session(rebuild_access))
    _print({"consent_access": rows}, args.json)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Write the database and the file store to one archive."""
    from pathlib import Path

    from w2.platform.ops.backup import BackupError, backup
    from w2.platform.settings import get_settings

    st = get_settings()
    try:
        manifest = backup(args.database_url or st.backup_database_url, Path(args.storage_dir or st.storage_dir),
                          Path(args.out))
    except BackupError as exc:
        return _fail(str(exc))
    _print({"archive": args.out, "tables": len(manifest["tables"]), "files": len(manifest["files"]),
            "rows": sum(t["rows"] for t in manifest["tables"].values())}, args.json)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore an archive into an empty database and file store, and check it."""
    from pathlib import Path

    from w2.platform.ops.backup import BackupError, restore
    from w2.platform.settings import get_settings

    st = get_settings()
    try:
        manifest = restore(Path(args.archive), args.database_url or st.backup_database_url,
                           Path(args.storage_dir or st.storage_dir))
    except BackupError as exc:
        return _fail(str(exc))
    _print({"restored": args.archive, "tables": len(manifest["tables"]), "files": len(manifest["files"]),
            "verified": True}, args.json)
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    """Close a workspace: every consent ends, nothing is shared any more."""
    from w2.consent.closing import close_workspace
    from w2.platform.errors import W2Error

    if not args.reason.strip():
        return _fail("geef een reden (--reason)")
    try:
        ws = asyncio.run(with_system_session(lambda s: close_workspace(s, None, uuid.UUID(args.workspace), args.reason)))
    except (W2Error, ValueError) as exc:
        return _fail(getattr(exc, "detail", None) or str(exc))
    _print({"workspace": str(ws.id), "closed_at": ws.closed_at}, args.json)
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    """Erase a closed workspace (GDPR art. 17): only a hashed reference and consent dates remain."""
    from w2.platform.boot.erasure import erase_workspace, remove_files
    from w2.platform.errors import W2Error

    if not args.reason.strip() or not args.requested_by.strip():
        return _fail("geef een reden (--reason) en wie erom vroeg (--requested-by)")
    try:
        done = asyncio.run(with_system_session(lambda s: erase_workspace(
            s, uuid.UUID(args.workspace), grounds="request", requested_by=args.requested_by, reason=args.reason)))
    except (W2Error, ValueError) as exc:
        return _fail(getattr(exc, "detail", None) or str(exc))
    files = remove_files(done.files)
    _print({"erased": done.subject_ref, "rows": sum(done.removed.values()), "files": files}, args.json)
    return 0


def cmd_ping(args: argparse.Namespace) -> int:
    """Container health: this host's worker answers, or beat wrote its schedule recently."""
    import socket
    import time

    from w2.platform.settings import get_settings

    if args.what == "beat":
        schedule = get_settings().storage_dir / "celerybeat-schedule"
        fresh = [p for p in schedule.parent.glob(schedule.name + "*") if time.time() - p.stat().st_mtime < 300]
        return 0 if fresh else _fail("beat heeft al 5 minuten zijn planning niet bijgewerkt")
    from w2.platform.boot.worker import configure

    replies = configure().control.ping(destination=[f"celery@{socket.gethostname()}"], timeout=5)
    return 0 if replies else _fail("de worker op deze machine antwoordt niet")


def cmd_retention(args: argparse.Namespace) -> int:
    """Apply the retention periods now, or with --dry-run say what they would remove."""
    from w2.platform.boot.retention import RetentionPolicy, apply, plan, with_owner
    from w2.platform.settings import get_settings

    policy = RetentionPolicy.from_settings(get_settings())

    async def dry(sm: Any) -> dict[str, int]:
        async with sm() as session:
            return await plan(session, policy)

    counts = asyncio.run(with_owner(dry if args.dry_run else (lambda sm: apply(sm, policy))))
    _print({"dry_run": args.dry_run, **counts}, args.json)
    return 0


Arg = tuple[tuple[str, ...], dict[str, Any]]


def _arg(*flags: str, **options: Any) -> Arg:
    """One argument of a subcommand, as `add_argument` takes it."""
    return flags, options


def _command(sub: Any, name: str, fn: Any, *args: Arg, help: str | None = None, json: bool = False,
             **defaults: Any) -> None:
    """A subcommand: its arguments, then `--json` where it prints a result, and the function it runs."""
    p = sub.add_parser(name, **({"help": help} if help is not None else {}))  # no help: not listed, as before
    for flags, options in args:
        p.add_argument(*flags, **options)
    if json:
        p.add_argument("--json", action="store_true")
    p.set_defaults(fn=fn, **defaults)


HOST, PORT = _arg("--host", default="127.0.0.1"), _arg("--port", type=int, default=8000)
LOGLEVEL = _arg("--loglevel", default="INFO")
EMAIL, AGENCY_ID = _arg("--email", required=True), _arg("--agency-id", required=True)
WORKSPACE, REASON = _arg("--workspace", required=True), _arg("--reason", required=True)
BACKUP_PLACES = (_arg("--database-url", default=None, help="default: W2_BACKUP_DATABASE_URL"),
                 _arg("--storage-dir", default=None, help="default: W2_STORAGE_DIR"))


def build_parser() -> argparse.ArgumentParser:
    """All subcommands."""
    p = argparse.ArgumentParser(prog="w2", description="w2: werk-welzijnsoverleg")
    sub = p.add_subparsers(dest="command", required=True)

    _command(sub, "db", cmd_db, _arg("action", choices=["upgrade"]), _arg("revision", nargs="?", default="heads"),
             help="database migrations")
    _command(sub, "serve", cmd_serve, HOST, PORT, _arg("--workers", type=int, default=1), help="run the web app")
    _command(sub, "worker", cmd_worker, _arg("--pool", default="prefork"), _arg("--concurrency", type=int, default=2),
             LOGLEVEL, _arg("--beat", action="store_true", help="embed beat (single-process setups only)"),
             help="run a Celery worker")
    _command(sub, "beat", cmd_beat, LOGLEVEL, help="run the Celery scheduler")

    ag = sub.add_parser("agencies", help="manage agencies").add_subparsers(dest="action", required=True)
    _command(ag, "create", cmd_agencies, _arg("--name", required=True),
             _arg("--kind", required=True, choices=["vdab", "ocmw", "caw", "jeugdrechtbank", "other"]), json=True)
    _command(ag, "oidc", cmd_agency_oidc, AGENCY_ID,
             _arg("--issuer", required=True, help="e.g. https://login.microsoftonline.com/<tenant>/v2.0"),
             _arg("--client-id", required=True),
             _arg("--client-secret-stdin", action="store_true", required=True,
                  help="read the client secret from standard input (never from the command line)"),
             _arg("--password-sign-in", choices=["on", "off"], default=None,
                  help="off: this agency's staff can no longer sign in with a password"),
             _arg("--trust-email", choices=["on", "off"], default=None,
                  help="on: accept the e-mail claim without email_verified (Entra ID)"),
             json=True, help="staff sign-in through the agency's own OpenID provider")

    us = sub.add_parser("users", help="manage users").add_subparsers(dest="action", required=True)
    _command(us, "create", cmd_users, AGENCY_ID, EMAIL, _arg("--name", required=True),
             _arg("--role", required=True, action="append",
                  choices=["coordinator", "worker", "agency_admin", "platform_admin"]),
             _arg("--password-stdin", action="store_true"), json=True)
    _command(us, "reset-mfa", cmd_reset_mfa, EMAIL, json=True, help="remove a user's second factor (lost phone)")

    tk = sub.add_parser("tokens", help="manage API tokens").add_subparsers(dest="action", required=True)
    _command(tk, "create", cmd_tokens, EMAIL, _arg("--label", default=None), json=True, revoke=False)
    _command(tk, "revoke", cmd_tokens, EMAIL, json=True, revoke=True, label=None)

    _command(sub, "portal-link", cmd_portal_link, WORKSPACE,
             _arg("--channel", default="cli", choices=["cli", "email", "sms", "letter"]), json=True,
             help="one-time sign-in link for a job seeker")
    _command(sub, "demo", cmd_demo, HOST, PORT, _arg("--seed-only", action="store_true"),
             help="seed demo data and run everything")
    _command(sub, "consent", cmd_consent, _arg("action", choices=["rebuild-access"]), json=True,
             help="consent maintenance")
    _command(sub, "seed-scale", cmd_seed_scale, _arg("--jobseekers", type=int, required=True),
             _arg("--agencies", type=int, required=True),
             _arg("--seed", type=int, default=1, help="random seed (same seed, same data)"),
             _arg("--chunk", type=int, default=None, help="workspaces per batch"),
             _arg("--keep-indexes", action="store_true", help="do not drop and rebuild indexes (PostgreSQL)"),
             _arg("--quiet", action="store_true"), json=True,
             help="fill the database with synthetic data for benchmarks")

    ws = sub.add_parser("workspaces", help="close a case").add_subparsers(dest="action", required=True)
    _command(ws, "close", cmd_close, WORKSPACE, REASON, json=True)
    _command(sub, "erase", cmd_erase, WORKSPACE, REASON,
             _arg("--requested-by", required=True, help="who asked (the person, their lawyer, ...)"), json=True,
             help="erase a closed workspace (GDPR art. 17)")

    _command(sub, "ping", cmd_ping, _arg("what", choices=["worker", "beat"]),
             help="container health check of a worker or of beat")
    _command(sub, "retention", cmd_retention,
             _arg("--dry-run", action="store_true", help="only count what would be removed"), json=True,
             help="remove what is past its retention period (W2_RETAIN_*)")
    _command(sub, "backup", cmd_backup, _arg("--out", required=True, help="archive to write (.tar)"), *BACKUP_PLACES,
             json=True, help="back up the database and the file store to one archive")
    _command(sub, "restore", cmd_restore, _arg("archive"), *BACKUP_PLACES, json=True,
             help="restore a backup into an empty database and file store")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of `w2`."""
    from celery import signals

    from w2.platform.boot.wiring import wire
    from w2.platform.ops.logs import configure_logging
    from w2.platform.settings import get_settings

    args = build_parser().parse_args(argv)
    st = get_settings()
    configure_logging(st.log_format, st.log_level)
    wire()
    # Celery would otherwise install its own (unscrubbed) handlers in workers and beat.
    signals.setup_logging.connect(lambda **_: None, weak=False, dispatch_uid="w2-keep-logging")
    return int(args.fn(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
