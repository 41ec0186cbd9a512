"""The gateway's declared OpenAPI document (fomo.gateway.openapi) against the router it
describes: every path the gateway answers is declared once, and each area keeps its shapes."""

from __future__ import annotations

from typing import Any

from fomo.gateway.http import INFERENCE_PATHS, Router
from fomo.gateway.openapi import gateway_openapi


def _doc() -> dict[str, Any]:
    return gateway_openapi()


def _templated(prefix: str, paths: dict[str, Any]) -> str:
    # `/v1/keys/` in the router is `/v1/keys/{key_id}` in the document.
    (match,) = [p for p in paths if p.startswith(prefix) and p[len(prefix) :].startswith("{")]
    return match


def test_the_document_declares_exactly_the_routes_the_gateway_answers() -> None:
    paths = _doc()["paths"]
    router = Router(None)  # type: ignore[arg-type]  # the table only; no handler runs
    answered = {(m, p) for m, p in router.table}
    answered |= {(m, _templated(prefix, paths)) for m, prefix, _ in router.prefixed}
    answered |= {("POST", p) for p in INFERENCE_PATHS}
    declared = {(m.upper(), p) for p, ops in paths.items() for m in ops}
    assert declared == answered


def test_every_operation_has_a_unique_id_and_a_tag() -> None:
    ops = [op for item in _doc()["paths"].values() for op in item.values()]
    ids = [op["operationId"] for op in ops]
    assert len(ids) == len(set(ids)) == 21
    assert {t for op in ops for t in op["tags"]} == {
        "OpenAI-compatible",
        "sign-in and keys",
        "account",
        "ops",
    }


def test_errors_use_openai_shape_and_limits_share_one_schema() -> None:
    doc = _doc()
    chat = doc["paths"]["/v1/chat/completions"]["post"]
    assert set(chat["responses"]) >= {"200", "400", "401", "402", "404", "413", "429", "502"}
    assert chat["responses"]["402"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/OpenAIError"
    }
    assert "text/event-stream" in chat["responses"]["200"]["content"]
    schemas = doc["components"]["schemas"]
    # The key's and the account's limit readouts are one shape (limits.py), extended.
    for name in ("KeyOut", "AccountLimitOut", "CurrentKey"):
        assert {"limit", "limit_remaining", "limit_resets_at"} <= set(schemas[name]["properties"])
    security = doc["components"]["securitySchemes"]
    assert set(security) == {"ApiKey", "SessionOrApiKey", "SiweSession"}
