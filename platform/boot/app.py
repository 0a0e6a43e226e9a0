"""The Litestar application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig, SQLAlchemyPlugin
from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store
from litestar.stores.file import FileStore
from litestar.stores.redis import RedisStore
from litestar.template.config import TemplateConfig

from w2.consent.assisted import log_assisted_request
from w2.consent.metrics import consent_gauges
from w2.notifications.metrics import reminder_gauges
from w2.platform.api_kit import provide_db
from w2.platform.auth import auth_middleware, provide_actor
from w2.platform.boot.routes import api_handlers, export_parts, page_handlers, template_dirs
from w2.platform.boot.worker import configure as configure_celery
from w2.platform.db.engine import make_engine, make_sessionmaker
from w2.platform.db.scope import SYSTEM_SCOPE
from w2.platform.errors import problem_plugin
from w2.platform.headers import security_headers_middleware
from w2.platform.ops.logs import configure_logging, request_id_middleware
from w2.platform.ops.metrics import metrics_handler, outbox_gauges, pool_gauges, request_metrics_middleware
from w2.platform.sessions import RotatingSessionConfig, session_cookie_name
from w2.platform.settings import Settings, get_settings
from w2.reports.metrics import rendition_gauges

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


def _stores(settings: Settings) -> dict[str, Store]:
    if settings.broker_is_redis:
        # Sessions and sign-in counters live beside the broker; db 0 belongs to Celery.
        base = settings.broker_url.rsplit("/", 1)[0] if settings.broker_url.count("/") > 2 else settings.broker_url
        return {
            "sessions": RedisStore.with_client(url=f"{base}/1", namespace="w2-sessions"),
            # Per queue, so parallel test runs (and deployments sharing a Redis) keep their own counters.
            "signin": RedisStore.with_client(url=f"{base}/1", namespace=f"w2-signin-{settings.queue}"),
        }
    root = settings.storage_dir / "stores"
    for name in ("sessions", "signin"):
        (root / name).mkdir(parents=True, exist_ok=True)
    return {"sessions": FileStore(root / "sessions"), "signin": FileStore(root / "signin")}


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the web app for the given (or environment) settings."""
    st = settings or get_settings()
    st.storage_dir.mkdir(parents=True, exist_ok=True)
    configure_logging(st.log_format, st.log_level)
    configure_celery(st)
    engine = make_engine(st.database_url, pgbouncer=st.database_pgbouncer)
    sessionmaker = make_sessionmaker(engine)
    db_config = SQLAlchemyAsyncConfig(
        engine_instance=engine,
        session_maker=sessionmaker,
        before_send_handler="autocommit_include_redirects",
        create_all=False,
    )
    session_config = RotatingSessionConfig(
        key=session_cookie_name(st.secure_cookies), secure=st.secure_cookies, httponly=True, samesite="lax",
        max_age=8 * 3600, renew_on_access=True,
        exclude="^/static/",  # assets need no session: one Redis read less per file
    )

    # Every gauge /metrics reads, one per domain; counts only, read under the system scope.
    metrics = metrics_handler([outbox_gauges, consent_gauges, reminder_gauges, rendition_gauges],
                              st.metrics_token, make_sessionmaker(engine, rls=SYSTEM_SCOPE),
                              lambda: pool_gauges(engine))

    async def _dispose(app: Litestar) -> None:
        await engine.dispose()

    return Litestar(
        route_handlers=[
            Router(path="/api/v1", route_handlers=api_handlers()),
            *page_handlers(),
            metrics,
            create_static_files_router(path="/static", directories=[STATIC_DIR], include_in_schema=False),
        ],
        dependencies={"db": Provide(provide_db), "actor": Provide(provide_actor)},
        plugins=[SQLAlchemyPlugin(config=db_config), problem_plugin()],
        middleware=[request_id_middleware, request_metrics_middleware, security_headers_middleware, session_config.middleware, auth_middleware],
        stores=_stores(st),
        csrf_config=CSRFConfig(secret=st.secret_key, exclude=["^/api/", "^/health$"],
                               cookie_secure=st.secure_cookies, cookie_samesite="lax",
                               cookie_name="__Host-csrftoken" if st.secure_cookies else "csrftoken"),
        template_config=TemplateConfig(directory=template_dirs(), engine=JinjaTemplateEngine),
        openapi_config=OpenAPIConfig(
            title="w2 API",
            version="1",
            path="/api/v1",
            # Only the JSON: a browser UI would load scripts from a third-party CDN outside our CSP.
            render_plugins=[JsonRenderPlugin()],
            components=Components(security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")}),
            security=[{"bearer": []}],
        ),
        state=State({"settings": st, "engine": engine, "sessionmaker": sessionmaker, "db_config": db_config,
                     "export_parts": export_parts()}),
        on_shutdown=[_dispose],
        # Every request of an assisted session is logged as the professional acting with the job seeker.
        before_request=log_assisted_request,
        # Logging is ours (platform/ops/logs.py): Litestar's default config would bypass the scrubber.
        logging_config=None,
        debug=st.debug,
    )


def app_from_env() -> Any:
    """Factory for uvicorn (`--factory`)."""
    return create_app()
