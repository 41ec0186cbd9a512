"""The upstream client's pure parts: SSE splitting and the mapping of upstream errors."""

from __future__ import annotations

import pytest

from fomo.economics.pricing import PriceTier
from fomo.gateway.routing import Route
from fomo.gateway.upstream import SseEvents, error_for_status, headers_for

TIER = PriceTier(1, 1, 1)


def _route(key: str) -> Route:
    return Route("m", "m", None, "http://u/v1", key, "m-up", TIER, TIER)


def test_events_split_across_chunks_are_whole_once_terminated() -> None:
    sse = SseEvents()
    assert sse.feed(b'data: {"a"') == []
    assert sse.feed(b":1}\n") == []
    assert sse.feed(b"\ndata: [DONE]\n\n") == [
        (b'data: {"a":1}\n\n', b'{"a":1}'),
        (b"data: [DONE]\n\n", b"[DONE]"),
    ]
    assert sse.buf == b""


def test_crlf_line_ends_even_split_between_chunks_become_lf() -> None:
    sse = SseEvents()
    assert sse.feed(b"data: x\r\n\r") == []
    assert sse.feed(b"\ndata:y\r\n\r\n") == [(b"data: x\n\n", b"x"), (b"data:y\n\n", b"y")]


def test_comments_and_keep_alives_are_dropped() -> None:
    sse = SseEvents()
    assert sse.feed(b": ping\n\nevent: noop\n\ndata: z\n\n") == [(b"data: z\n\n", b"z")]


@pytest.mark.parametrize(
    ("status", "code", "client_status"),
    [
        (400, "upstream_rejected", 400),
        (404, "upstream_rejected", 404),
        (413, "upstream_rejected", 413),
        (422, "upstream_rejected", 422),
        (429, "upstream_rate_limited", 429),
        (500, "upstream_error", 502),
        (503, "upstream_error", 502),
    ],
)
def test_upstream_statuses_map_to_what_the_client_sees(
    status: int, code: str, client_status: int
) -> None:
    err = error_for_status(status, b'{"error": {"message": "context too long"}}')
    assert err.status == client_status
    assert err.body["error"]["code"] == code
    assert err.body["error"]["message"] == "upstream: context too long"


def test_an_upstream_error_without_a_message_names_the_status() -> None:
    err = error_for_status(500, b"<html>oops</html>")
    assert err.body["error"]["message"] == "upstream returned HTTP 500"


def test_the_upstream_key_is_sent_only_when_configured() -> None:
    assert headers_for(_route("")) == {"content-type": "application/json"}
    assert headers_for(_route("k"))["authorization"] == "Bearer k"
