"""``POST /rpc``: a same-origin JSON-RPC proxy to the chain, for the web app's wallet transport.

The browser talks to one origin (the platform) and never needs the chain node's address, CORS or
a second port. The proxy is deliberately narrow: only the read and broadcast methods a dapp needs
pass (:data:`ALLOWED_METHODS`); node-control methods (``anvil_*``, ``evm_*``, ``hardhat_*``),
unlocked-account signing (``eth_sendTransaction``, ``eth_sign``) and anything else get a JSON-RPC
error without reaching the node. Transactions are signed in the browser (dev wallet or injected
wallet) and arrive as ``eth_sendRawTransaction``. Batches are filtered item by item.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["chain"])

ALLOWED_METHODS = frozenset(
    {
        "eth_chainId",
        "eth_blockNumber",
        "eth_call",
        "eth_estimateGas",
        "eth_getBalance",
        "eth_getCode",
        "eth_getTransactionCount",
        "eth_getTransactionReceipt",
        "eth_getTransactionByHash",
        "eth_getBlockByNumber",
        "eth_getLogs",
        "eth_gasPrice",
        "eth_maxPriorityFeePerGas",
        "eth_feeHistory",
        "eth_sendRawTransaction",
        "net_version",
    }
)
MAX_BODY_BYTES = 512 * 1024  # a signed transaction is a few KB; a batch of 100 reads far less
MAX_BATCH = 100
UPSTREAM_TIMEOUT = 30.0

# JSON-RPC 2.0 error codes.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_ALLOWED = -32601  # "method not found / not available"
INTERNAL_ERROR = -32603


def _error(code: int, message: str, id_: Any = None) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": id_, "error": {"code": code, "message": message}}


def _check(item: Any) -> dict[str, Any] | None:
    """``None`` when ``item`` may be forwarded, else the JSON-RPC error answering it."""
    if not isinstance(item, dict):
        return _error(INVALID_REQUEST, "a JSON-RPC request must be an object")
    id_ = item.get("id")
    method = item.get("method")
    if item.get("jsonrpc") != "2.0" or not isinstance(method, str):
        return _error(INVALID_REQUEST, 'a request needs "jsonrpc": "2.0" and a method', id_)
    if method not in ALLOWED_METHODS:
        return _error(
            METHOD_NOT_ALLOWED,
            f"method {method[:64]} is not available through the platform's RPC proxy",
            id_,
        )
    params = item.get("params", [])
    if not isinstance(params, list | dict):
        return _error(INVALID_REQUEST, "params must be an array or an object", id_)
    return None


async def _read_bounded(request: Request) -> bytes | None:
    """The body, or ``None`` once it exceeds :data:`MAX_BODY_BYTES` (stops reading there)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY_BYTES:
            return None
    return bytes(body)


async def _forward(rpc_url: str, payload: Any) -> Any:
    async with httpx.AsyncClient(timeout=UPSTREAM_TIMEOUT) as client:
        response = await client.post(rpc_url, json=payload)
    return response.json()


@router.post(
    "/rpc",
    summary="JSON-RPC proxy to the chain (allow-listed methods)",
    response_model=None,
)
async def rpc_proxy(request: Request) -> JSONResponse:
    """Forward a JSON-RPC request or batch to the platform's chain node.

    Allowed methods: ``eth_chainId``, ``eth_blockNumber``, ``eth_call``, ``eth_estimateGas``,
    ``eth_getBalance``, ``eth_getCode``, ``eth_getTransactionCount``,
    ``eth_getTransactionReceipt``, ``eth_getTransactionByHash``, ``eth_getBlockByNumber``,
    ``eth_getLogs``, ``eth_gasPrice``, ``eth_maxPriorityFeePerGas``, ``eth_feeHistory``,
    ``eth_sendRawTransaction``, ``net_version``. Any other method is answered with JSON-RPC error
    -32601 without reaching the node. Bodies over 512 KiB get HTTP 413; batches hold at most 100.
    """
    raw = await _read_bounded(request)
    if raw is None:
        return JSONResponse(
            _error(INVALID_REQUEST, f"request body over {MAX_BODY_BYTES} bytes"), status_code=413
        )
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return JSONResponse(_error(PARSE_ERROR, "the request body is not valid JSON"))
    rpc_url: str = request.app.state.ctx.rpc_url

    if not isinstance(payload, list):
        refused = _check(payload)
        if refused is not None:
            return JSONResponse(refused)
        try:
            return JSONResponse(await _forward(rpc_url, payload))
        except (httpx.HTTPError, ValueError):
            return JSONResponse(
                _error(INTERNAL_ERROR, "the chain node did not answer", payload.get("id")),
                status_code=502,
            )

    if not payload:
        return JSONResponse(_error(INVALID_REQUEST, "an empty batch"))
    if len(payload) > MAX_BATCH:
        return JSONResponse(_error(INVALID_REQUEST, f"a batch holds at most {MAX_BATCH} requests"))
    answers: list[dict[str, Any] | None] = [_check(item) for item in payload]
    passing = [item for item, answer in zip(payload, answers, strict=True) if answer is None]
    if passing:
        try:
            forwarded = await _forward(rpc_url, passing)
        except (httpx.HTTPError, ValueError):
            return JSONResponse(
                _error(INTERNAL_ERROR, "the chain node did not answer"), status_code=502
            )
        if not isinstance(forwarded, list):  # the node refused the whole batch
            forwarded = [forwarded] * len(passing)
        by_id = {json.dumps(r.get("id")): r for r in forwarded if isinstance(r, dict)}
        for i, item in enumerate(payload):
            if answers[i] is None:
                answers[i] = by_id.get(json.dumps(item.get("id"))) or _error(
                    INTERNAL_ERROR, "the chain node gave no answer", item.get("id")
                )
    return JSONResponse(answers)
