"""Schemathesis over the gateway's declared OpenAPI (fomo.gateway.openapi), against a real
gateway (uvicorn, SQLite, the dev upstream): no answer may be a 5xx, and every answer must match
the schema (status code, content type, body). Fixed seed, bounded examples: deterministic."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fomo.gateway.openapi import gateway_openapi

from .conftest import GatewayHandle, ServerThread, make_db, start_gateway

SEED = 20_261_127
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def fuzzed(
    upstream: ServerThread, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[GatewayHandle, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("gw-fuzz")
    url = make_db("sqlite", tmp)
    for gh in start_gateway(tmp, url, upstream.url):
        _, key = gh.new_account(credits_usd=1_000)
        # Key management is fuzzed by another account, so no DELETE /v1/keys/{id} can revoke
        # the key the other operations use.
        manager, _ = gh.new_account(credits_usd=5)
        session, _ = gh.store.create_session(manager, 3600)
        gh.sync()
        # one metered request first, so the usage and balance answers have rows to validate
        first = httpx.post(
            gh.url + "/v1/chat/completions",
            headers={"authorization": f"Bearer {key}"},
            json={"model": "deepseek-v3.2", "messages": [{"role": "user", "content": "hi"}]},
            timeout=30,
        )
        assert first.status_code == 200, first.text
        yield gh, {"key": key, "session": session}


schema = schemathesis.openapi.from_dict(
    gateway_openapi(), config=schemathesis.Config.from_dict({"seed": SEED})
)


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_gateway_answers_match_its_schema(
    case: Any, fuzzed: tuple[GatewayHandle, dict[str, str]]
) -> None:
    gh, creds = fuzzed
    path = case.path
    token = creds["session"] if path.startswith("/v1/keys") else creds["key"]
    headers = {"authorization": f"Bearer {token}"}
    case.call_and_validate(base_url=gh.url, headers=headers, checks=CHECKS)
