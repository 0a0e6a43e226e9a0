"""Personal link tokens: signed, expiring, and no edit turns one into a link for somebody else."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."


@pytest.fixture(scope="module")
def token_env(settings_env):
    return settings_env


@settings(max_examples=300, deadline=None)
@given(pos=st.integers(min_value=0, max_value=200), char=st.sampled_from(ALPHABET),
       other=st.uuids())
def test_mutated_token_never_names_another_invitee(token_env, pos, char, other):
    from w2.meetings.poll import LinkExpired, make_link_token, read_link_token
    from w2.platform.db.base import utcnow
    from w2.platform.errors import NotFound

    me = uuid.UUID("12345678-1234-5678-1234-567812345678")
    token = make_link_token(me, utcnow() + timedelta(days=1))
    i = pos % len(token)
    mutated = token[:i] + char + token[i + 1:]
    try:
        assert read_link_token(mutated) == me  # only a non-canonical spelling of the same bytes survives
    except (NotFound, LinkExpired):
        pass
    # a token for someone else is never accepted with my signature
    forged = make_link_token(other, utcnow() + timedelta(days=1)).split(".")[0] + "." + token.split(".")[1]
    if other != me:
        with pytest.raises(NotFound):
            read_link_token(forged)
