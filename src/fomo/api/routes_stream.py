"""``/api/stream``: Server-Sent Events telling browsers that the indexer committed new blocks.

One :class:`StreamHub` per app polls the indexer's cursor (one primary-key read every
``poll_interval`` seconds, only while at least one client is connected) and fans the news out
to every connected client; clients never touch the database themselves. Each client holds one
small mailbox that *merges* pending news (latest block, union of tokens), so a slow reader
costs constant memory and never misses a token. A client that disconnects is unsubscribed at
once (the response listens for ``http.disconnect`` while streaming), the poller stops with the
last client, and :meth:`StreamHub.close` (app shutdown) ends every stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import Receive, Scope, Send

from fomo.db.models import (
    Burn,
    Buyback,
    Claim,
    IndexedBlock,
    IndexerCursor,
    Launch,
    Purchase,
    Redeem,
    StakeEvent,
)
from fomo.db.models_indexer import Graduation, PairSync, TokenTransfer
from fomo.db.models_market import PairSwap

log = logging.getLogger(__name__)

router = APIRouter(tags=["stream"])

POLL_INTERVAL = 0.5
KEEPALIVE_SECONDS = 15.0
RETRY_MS = 2000


class BlockEvent(BaseModel):
    """``data`` of an ``event: block`` message."""

    block: int = Field(description="The indexer's new cursor (last indexed block).")
    chain_time: int | None = Field(description="That block's time (unix seconds).")
    tokens: list[str] = Field(
        description="Launches (MT addresses, lower case) with indexed events in the new blocks "
        "(pair events are reported under their launch's token); after a reorg, every launch."
    )


@dataclass(frozen=True)
class _Cursor:
    block: int
    chain_time: int | None
    tokens: tuple[str, ...]


# Log tables whose rows name a launch token directly.
_TOKEN_TABLES: tuple[Any, ...] = (
    Purchase,
    Claim,
    Redeem,
    Graduation,
    TokenTransfer,
    StakeEvent,
    Buyback,
    Burn,
)


def touched_tokens(session: Session, after: int, upto: int) -> list[str]:
    """Launch tokens with an indexed event in blocks ``(after, upto]``."""
    launches = {t: pair for t, pair in session.execute(select(Launch.token, Launch.pair))}
    by_pair = {pair: token for token, pair in launches.items() if pair is not None}
    found = set(
        session.scalars(
            select(Launch.token).where(Launch.created_block > after, Launch.created_block <= upto)
        )
    )
    for model in _TOKEN_TABLES:
        found.update(
            session.scalars(
                select(model.token)
                .where(model.block_number > after, model.block_number <= upto)
                .distinct()
            )
        )
    for pair_model in (PairSync, PairSwap):
        for pair in session.scalars(
            select(pair_model.pair)
            .where(pair_model.block_number > after, pair_model.block_number <= upto)
            .distinct()
        ):
            if pair in by_pair:
                found.add(by_pair[pair])
    return sorted(t for t in found if t in launches)


def read_cursor(
    factory: sessionmaker[Session], cursor_name: str, since: int | None
) -> _Cursor | None:
    """The cursor now; tokens touched since block ``since`` (all launches if it went back)."""
    with factory() as session:
        cursor = session.get(IndexerCursor, cursor_name)
        if cursor is None:
            return None
        block = cursor.block_number
        if since is None or block == since:
            return _Cursor(block, None, ())
        indexed = session.get(IndexedBlock, block)
        if block > since:
            tokens = touched_tokens(session, since, block)
        else:  # a reorg moved the cursor back: anything may have changed
            tokens = sorted(session.scalars(select(Launch.token)))
        return _Cursor(block, None if indexed is None else indexed.block_time, tuple(tokens))


class _Mailbox:
    """One client's pending news, merged until the client reads it."""

    def __init__(self) -> None:
        self.wake = asyncio.Event()
        self.pending: BlockEvent | None = None

    def post(self, news: _Cursor) -> None:
        tokens = set(news.tokens) if self.pending is None else {*self.pending.tokens, *news.tokens}
        self.pending = BlockEvent(
            block=news.block, chain_time=news.chain_time, tokens=sorted(tokens)
        )
        self.wake.set()

    def take(self) -> BlockEvent | None:
        news, self.pending = self.pending, None
        self.wake.clear()
        return news


class StreamHub:
    """The app's one cursor poller and its subscribers (see the module docstring)."""

    def __init__(
        self,
        session_factory: Callable[[], sessionmaker[Session]],
        *,
        cursor_name: str = "chain",
        poll_interval: float = POLL_INTERVAL,
        keepalive: float = KEEPALIVE_SECONDS,
    ) -> None:
        self._factory = session_factory
        self.cursor_name = cursor_name
        self.poll_interval = poll_interval
        self.keepalive = keepalive
        self.closed = False
        self._mailboxes: set[_Mailbox] = set()
        self._poller: asyncio.Task[None] | None = None
        self._last: int | None = None
        self._start_lock: asyncio.Lock | None = None

    @property
    def subscribers(self) -> int:
        return len(self._mailboxes)

    @property
    def polling(self) -> bool:
        return self._poller is not None and not self._poller.done()

    async def _read(self) -> _Cursor | None:
        return await asyncio.to_thread(read_cursor, self._factory(), self.cursor_name, self._last)

    async def subscribe(self) -> _Mailbox:
        """A new mailbox. Returns once the poller knows the current cursor, so every block the
        indexer commits after this call is announced to it."""
        if self._start_lock is None:
            self._start_lock = asyncio.Lock()
        async with self._start_lock:
            if not self.polling:
                self._last = None
                try:
                    first = await self._read()
                except Exception:  # the poller takes the baseline at its first good read
                    log.warning("stream: reading the indexer cursor failed", exc_info=True)
                    first = None
                self._last = None if first is None else first.block
                self._poller = asyncio.create_task(self._run(), name="fomo-stream-poller")
            box = _Mailbox()
            self._mailboxes.add(box)
            return box

    def unsubscribe(self, box: _Mailbox) -> None:
        self._mailboxes.discard(box)
        if not self._mailboxes and self._poller is not None:
            self._poller.cancel()
            self._poller = None

    def close(self) -> None:
        """End every stream and the poller (app shutdown); idempotent."""
        self.closed = True
        for box in list(self._mailboxes):
            box.wake.set()
        if self._poller is not None:
            self._poller.cancel()
            self._poller = None

    async def _run(self) -> None:
        while not self.closed:
            await asyncio.sleep(self.poll_interval)
            try:
                news = await self._read()
            except Exception:  # a database hiccup must not end the live updates
                log.warning("stream poller: reading the indexer cursor failed", exc_info=True)
                continue
            if news is None or news.block == self._last:
                continue
            if self._last is None:  # first sight of the cursor: a baseline, not news
                self._last = news.block
                continue
            self._last = news.block
            for box in list(self._mailboxes):
                box.post(news)

    async def events(self) -> AsyncIterator[str]:
        """One client's SSE stream: ``retry``, then ``block`` events and keep-alive comments."""
        if self.closed:
            return
        box = await self.subscribe()
        try:
            yield f"retry: {RETRY_MS}\n: connected\n\n"
            while not self.closed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(box.wake.wait(), self.keepalive)
                if self.closed:
                    break
                news = box.take()
                if news is None:
                    yield ": keepalive\n\n"
                else:
                    yield f"event: block\ndata: {json.dumps(news.model_dump())}\n\n"
        finally:
            self.unsubscribe(box)


class EventStreamResponse(StreamingResponse):
    """A streaming response that always watches for the client going away. Starlette does so
    only for servers declaring ASGI < 2.4 (uvicorn declares 2.3 today); on a 2.4 server it would
    notice a hang-up only at the next write, up to a keep-alive interval later."""

    media_type = "text/event-stream"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with anyio.create_task_group() as group:

            async def stream() -> None:
                with contextlib.suppress(OSError):
                    await self.stream_response(send)
                group.cancel_scope.cancel()

            group.start_soon(stream)
            await self.listen_for_disconnect(receive)
            group.cancel_scope.cancel()


def hub_of(app: Any) -> StreamHub | None:
    state = getattr(app, "state", None)
    hub = getattr(state, "stream_hub", None)
    return hub if isinstance(hub, StreamHub) else None


def close_streams(app: Any) -> None:
    """End the app's live streams: call before a server waits for open connections to finish
    (uvicorn's graceful shutdown would otherwise wait for every SSE client forever)."""
    hub = hub_of(app)
    if hub is not None:
        hub.close()


_EVENT_SCHEMA = {
    "type": "string",
    "description": "`retry: 2000`, then `event: block` messages whose `data` is a BlockEvent "
    "JSON object, and a `: keepalive` comment every 15 s.",
}


@router.get(
    "/api/stream",
    response_class=EventStreamResponse,
    summary="Live updates (Server-Sent Events)",
    responses={
        200: {
            "description": "An endless text/event-stream.",
            "content": {
                "text/event-stream": {"schema": _EVENT_SCHEMA},
                "application/json": {"schema": BlockEvent.model_json_schema()},
            },
        }
    },
)
async def stream(request: Request) -> EventStreamResponse:
    """`event: block` with data `{"block", "chain_time", "tokens"}` each time the indexer commits
    new blocks (within a poll interval, 0.5 s, of the commit), `: keepalive` every 15 s.
    `application/json` above only documents the shape of one event's `data`."""
    hub = hub_of(request.app)
    assert hub is not None  # installed with the router by install()
    return EventStreamResponse(
        hub.events(),
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def install(app: FastAPI) -> StreamHub:
    """Add ``/api/stream`` to ``app`` with its hub, closed when the app's lifespan ends."""
    hub = StreamHub(lambda: app.state.ctx.session_factory)
    app.state.stream_hub = hub
    app.include_router(router)
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app_: Any) -> AsyncIterator[Any]:
        try:
            async with inner(app_) as state:
                yield state
        finally:
            hub.close()

    app.router.lifespan_context = lifespan
    return hub


__all__ = ["BlockEvent", "StreamHub", "close_streams", "install", "router"]
