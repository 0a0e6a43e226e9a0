"""Atomic attempt counters for sign-in: one INCR per attempt, so parallel guesses cannot slip past."""

from __future__ import annotations

import asyncio

from litestar.stores.base import Store
from litestar.stores.redis import RedisStore

# The embedded demo runs one process with a file store; a lock makes its read-then-write atomic there.
_FILE_LOCK = asyncio.Lock()


async def take(store: Store, key: str, window_seconds: int) -> int:
    """Count one attempt under `key` and return how many were counted in the current window."""
    if isinstance(store, RedisStore):
        name = store._make_key(key)
        async with store._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, window_seconds, nx=True)  # the window starts at the first attempt
            count, _ = await pipe.execute()
        return int(count)
    async with _FILE_LOCK:
        count = int(await store.get(key) or 0) + 1
        await store.set(key, str(count), expires_in=window_seconds)
        return count


async def give_back(store: Store, key: str) -> None:
    """Undo one counted attempt (a successful sign-in does not use up the address's budget)."""
    if isinstance(store, RedisStore):
        await store._redis.decr(store._make_key(key))
        return
    async with _FILE_LOCK:
        count = int(await store.get(key) or 0)
        if count > 0:
            await store.set(key, str(count - 1), expires_in=await store.expires_in(key) or 1)


async def forget(store: Store, key: str) -> None:
    """Clear a counter."""
    await store.delete(key)
