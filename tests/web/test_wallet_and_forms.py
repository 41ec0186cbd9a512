"""A browser wallet that rejects the signature, and bad amounts stopped in the form: both end in
one sentence, and nothing reaches the chain."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.web.conftest import Platform, Visit, fomo_cli, wait_indexed

pytestmark = [pytest.mark.browser, pytest.mark.anvil, pytest.mark.xdist_group("browser")]

# A minimal EIP-1193 wallet (what MetaMask injects): it knows one account, answers reads through
# the platform's /rpc, and rejects every signature request as a person clicking "Reject" would.
FAKE_WALLET = """
(() => {
  const account = %s;
  const rejected = () => Object.assign(new Error("User rejected the request."), {code: 4001});
  const listeners = {};
  window.ethereum = {
    isMetaMask: true,
    on(event, fn) { (listeners[event] ||= []).push(fn); },
    removeListener(event, fn) {
      listeners[event] = (listeners[event] || []).filter((f) => f !== fn);
    },
    async request({method, params}) {
      switch (method) {
        case "eth_requestAccounts": case "eth_accounts": return [account];
        case "eth_chainId": return "0x7a69";
        case "wallet_requestPermissions": case "wallet_getPermissions":
          return [{parentCapability: "eth_accounts"}];
        case "wallet_switchEthereumChain": return null;
        case "eth_sendTransaction": case "personal_sign": case "eth_signTypedData_v4":
          throw rejected();
      }
      const r = await fetch("/rpc", {method: "POST", headers: {"content-type": "application/json"},
        body: JSON.stringify({jsonrpc: "2.0", id: 1, method, params: params || []})});
      const body = await r.json();
      if (body.error) throw Object.assign(new Error(body.error.message), body.error);
      return body.result;
    },
  };
  window.dispatchEvent(new Event("ethereum#initialized"));
})();
"""
REJECTED = "You rejected the request in your wallet; nothing was sent."


@pytest.fixture(scope="module")
def live_launch(platform: Platform) -> dict[str, Any]:
    model = fomo_cli(platform, "launch", "models")["model_types"][0]["base_model"]
    made = fomo_cli(platform, "launch", "create", model, "Form Check", "FORMCK", "--yes", account=1)
    wait_indexed(platform, made["token"])
    return made


def nonce(platform: Platform, address: str) -> int:
    body = {"jsonrpc": "2.0", "id": 1, "method": "eth_getTransactionCount"}
    body["params"] = [address, "latest"]  # type: ignore[assignment]
    return int(httpx.post(platform.rpc_url, json=body, timeout=10).json()["result"], 16)


def test_a_rejected_signature_is_one_sentence_and_sends_nothing(
    web: Visit, platform: Platform, live_launch: dict[str, Any]
) -> None:
    account = platform.accounts[4]["address"]
    web.page.add_init_script(FAKE_WALLET % json.dumps(account))
    page = web.go(f"/token/{live_launch['token']}", "wallet-injected-token")
    page.get_by_test_id("wallet-button").click()
    page.get_by_test_id("connect-injected").click()
    shown = page.get_by_test_id("wallet-address")
    shown.wait_for()
    assert (shown.get_attribute("data-address") or "").lower() == account.lower()
    sent_before = nonce(platform, account)
    page.get_by_test_id("buy-amount").fill("10")
    page.get_by_test_id("buy-quote").wait_for()
    page.get_by_test_id("buy-submit").click()
    page.get_by_test_id("tx-confirm").click()
    error = page.get_by_test_id("tx-error")
    error.wait_for(timeout=20_000)
    web.shot("wallet-rejected")
    assert error.inner_text().strip() == REJECTED
    assert nonce(platform, account) == sent_before


@pytest.mark.parametrize(
    ("amount", "case"),
    [
        ("-5", "negative"),
        ("1.0000000000000000001", "19 decimals"),
        ("5000000", "over balance"),
        ("abc", "not a number"),
    ],
)
def test_bad_amounts_are_stopped_in_the_form(
    web: Visit, platform: Platform, live_launch: dict[str, Any], amount: str, case: str
) -> None:
    page = web.go(f"/token/{live_launch['token']}", "form-check")
    page.get_by_test_id("wallet-button").click()
    page.get_by_test_id("dev-account-2").click()
    page.get_by_test_id("wallet-address").wait_for()
    page.get_by_test_id("buy-amount").fill(amount)
    error = page.get_by_test_id("buy-amount-error")
    error.wait_for(timeout=10_000)
    web.shot(f"form-check-{case.replace(' ', '-')}")
    sentence = error.inner_text().strip()
    assert sentence.endswith(".") and "0x" not in sentence, sentence
    assert page.get_by_test_id("buy-submit").is_disabled()
    assert page.get_by_test_id("tx-dialog").count() == 0
