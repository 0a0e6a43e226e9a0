"""Finding 6 (part): sign-in links and calendar-feed secrets never reach a log line."""

from __future__ import annotations

import secrets
import uuid


def test_access_log_lines_lose_link_and_feed_tokens(settings_env):
    from w2.platform.ops.logs import scrub

    # The portal link's token format; one in a thousand or so is letters only, like the last one here.
    for raw in [secrets.token_urlsafe(24) for _ in range(200)] + ["QvKxTrbLmWnZsPdHjYcGfAeUoIkNbMtR"]:
        for path in (f"/portal/in/{raw}", f"/m/{raw}"):
            line = f'127.0.0.1:5123 - "POST {path} HTTP/1.1" 303'
            assert raw not in scrub(line), line
    user = uuid.uuid4()
    secret = secrets.token_urlsafe(24)  # the feed secret's format (meetings/feed.py)
    out = scrub(f'127.0.0.1:5123 - "GET /agenda/{user}/{secret}.ics HTTP/1.1" 200')
    assert secret not in out and str(user) in out  # ids stay, so an operator can follow a request
