"""The platform side seen from a real browser: the served build, same-origin JSON-RPC, devnet
endpoints — independent of what the pages show (those are test_smoke.py and test_story.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Platform, Visit

pytestmark = [pytest.mark.browser, pytest.mark.anvil, pytest.mark.xdist_group("browser")]


def test_the_build_is_served_at_root_and_at_deep_links(
    web: Visit, platform: Platform, web_build: Path
) -> None:
    for path in ("/", "/token/0x5FbDB2315678afecb367f032d93F642f64180aa3"):
        response = web.page.goto(path)
        assert response is not None and response.status == 200
        assert response.headers["cache-control"] == "no-cache"
        assert response.text() == (web_build / "index.html").read_text()
    assets = sorted((web_build / "assets").glob("*.js"))
    if assets:
        asset = web.page.request.get(f"/assets/{assets[0].name}")
        assert asset.status == 200 and "immutable" in asset.headers["cache-control"]


def test_the_page_reaches_the_chain_through_the_same_origin_proxy(
    web: Visit, platform: Platform
) -> None:
    web.page.goto("/")
    answer: dict[str, Any] = web.page.evaluate(
        """async () => {
            const call = (method, params = []) => fetch('/rpc', {
                method: 'POST', headers: {'content-type': 'application/json'},
                body: JSON.stringify({jsonrpc: '2.0', id: 1, method, params}),
            }).then(r => r.json());
            return {
                chain: await call('eth_chainId'),
                refused: await call('anvil_setBalance', ['0x' + '11'.repeat(20), '0x1']),
                accounts: await fetch('/api/devnet/accounts').then(r => r.json()),
            };
        }"""
    )
    assert answer["chain"]["result"] == hex(31337)
    assert answer["refused"]["error"]["code"] == -32601
    addresses = [a["address"] for a in answer["accounts"]["accounts"]]
    assert addresses == [a["address"] for a in platform.accounts]
