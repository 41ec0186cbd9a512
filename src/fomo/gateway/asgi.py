"""Minimal raw-ASGI helpers shared by the gateway and the development upstream.

The hot paths are plain ASGI callables rather than framework routes: a framework's request
object, dependency injection and middleware stack cost more than the whole budget the gateway
has for its own work (≤ 1 ms at p50), and the JSON-in/JSON-out protocol needs none of it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

JSON_HEADERS: list[tuple[bytes, bytes]] = [(b"content-type", b"application/json")]
SSE_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),
]


class BodyTooLarge(Exception):
    """The request body exceeds the configured limit."""


class ClientGone(Exception):
    """The client disconnected before its request body was read."""


def full_path(scope: Scope) -> str:
    """The request path including any mount prefix.

    Starlette ≥ 0.33 leaves ``path`` whole and appends the mount prefix to ``root_path``; older
    servers and frameworks strip the prefix from ``path``. Either way this gives the whole path.
    """
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and not path.startswith(root):
        return root + path
    return path


def route_path(scope: Scope) -> str:
    """The request path below the mount prefix (what a mounted app routes on)."""
    path = full_path(scope)
    root: str = scope.get("root_path", "")
    return path[len(root) :] or "/" if root else path


def header(scope: Scope, name: bytes) -> bytes | None:
    """The first value of header ``name`` (lower-case bytes), or None."""
    for k, v in scope["headers"]:
        if k == name:
            return v  # type: ignore[no-any-return]
    return None


async def read_body(receive: Receive, limit: int) -> bytes:
    """Read the whole request body, refusing more than ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def dumps(obj: Any) -> bytes:
    """Compact JSON bytes (no spaces: smaller on the wire and faster to write)."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


async def send_bytes(
    send: Send,
    status: int,
    body: bytes,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    hdrs = list(headers) if headers is not None else list(JSON_HEADERS)
    hdrs.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": hdrs})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def send_json(
    send: Send,
    status: int,
    obj: Any,
    extra_headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    headers = list(JSON_HEADERS)
    if extra_headers:
        headers.extend(extra_headers)
    await send_bytes(send, status, dumps(obj), headers)


def openai_error(
    message: str,
    type_: str = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
) -> dict[str, Any]:
    """OpenAI's error body: ``{"error": {"message", "type", "param", "code"}}``."""
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}
