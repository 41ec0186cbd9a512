"""The issue's story through the browser: launch with a first buy in the wizard, two buys watched
live from a second browser, Graduate Token, Claim, Stake, sign in and pay for the API, call it
with the `openai` client, see the usage; a failed raise redeemed; a revert shown as a sentence.

Every action is a click in the web app (dev wallet, devnet clock toolbar, forms, transaction
dialog). Only the launch that is meant to fail is created with the CLI (setup, not the story).
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from fomo.chain.errors import REVERT_SENTENCES
from tests.web.conftest import DESKTOP, PHONE, Platform, Visit, fomo_cli, wait_indexed

pytestmark = [pytest.mark.browser, pytest.mark.anvil, pytest.mark.xdist_group("browser")]

WAIT = 20_000  # ms: the indexer, the event stream or a poll brings every change well within this


def connect_dev(visit: Visit, index: int) -> None:
    page = visit.page
    if page.get_by_test_id("wallet-address").count():
        page.get_by_test_id("wallet-button").click()
        page.get_by_test_id("wallet-disconnect").click()
    page.get_by_test_id("wallet-button").click()
    page.get_by_test_id(f"dev-account-{index}").click()
    page.get_by_test_id("wallet-address").wait_for()


def sign(visit: Visit, name: str) -> str:
    """Review → Confirm and sign in the transaction dialog; returns the final status."""
    page = visit.page
    dialog = page.get_by_test_id("tx-dialog")
    dialog.wait_for()
    visit.shot(f"{name}-review")
    page.get_by_test_id("tx-confirm").click()
    status = page.locator(
        '[data-testid="tx-status"][data-status="confirmed"], [data-testid="tx-error"]'
    )
    status.first.wait_for(timeout=60_000)
    visit.shot(f"{name}-result")
    final = str(page.get_by_test_id("tx-status").get_attribute("data-status"))
    page.get_by_test_id("tx-close").click()
    return final


def buy(visit: Visit, amount: str, name: str) -> None:
    page = visit.page
    page.get_by_test_id("buy-amount").fill(amount)
    page.get_by_test_id("buy-quote").wait_for()
    page.get_by_test_id("buy-submit").click()
    assert sign(visit, name) == "confirmed"


def progress(visit: Visit) -> int:
    return int(visit.page.get_by_test_id("progress-bar").get_attribute("data-progress-bps") or -1)


def flock_balance(platform: Platform, owner: str) -> int:
    data = "0x70a08231" + owner[2:].lower().rjust(64, "0")  # balanceOf(address)
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "eth_call",
        "params": [{"to": platform.contracts["FLOCK"], "data": data}, "latest"],
    }
    return int(httpx.post(platform.rpc_url, json=body, timeout=10).json()["result"], 16)


def flock_allowance(platform: Platform, owner: str, spender: str) -> int:
    args = owner[2:].lower().rjust(64, "0") + spender[2:].lower().rjust(64, "0")
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "eth_call",
        "params": [{"to": platform.contracts["FLOCK"], "data": "0xdd62ed3e" + args}, "latest"],
    }
    return int(httpx.post(platform.rpc_url, json=body, timeout=10).json()["result"], 16)


def pledge(platform: Platform, owner: str, token: str) -> dict[str, Any]:
    portfolio = platform.api(f"/api/accounts/{owner}/portfolio")
    return next(p for p in portfolio["pledges"] if p["token"].lower() == token.lower())


@pytest.fixture(scope="module")
def failing_launch(platform: Platform) -> str:
    model = fomo_cli(platform, "launch", "models")["model_types"][0]["base_model"]
    lose = fomo_cli(platform, "launch", "create", model, "Story Lose", "STLOSE", "--yes", account=4)
    wait_indexed(platform, lose["token"])
    return str(lose["token"])


def launch_in_the_wizard(web: Visit) -> str:
    """Dev account 1 launches STWIN with a bundled first buy; returns the new token's address."""
    page = web.go("/launch", "story-launch-empty")
    connect_dev(web, 1)
    page.get_by_test_id("launch-name").fill("Story Win")
    page.get_by_test_id("launch-symbol").fill("STWIN")
    page.get_by_test_id("launch-description").fill("The browser test's launch.")
    page.get_by_test_id("launch-first-buy").fill("1000")
    page.get_by_test_id("first-buy-quote").wait_for()
    page.get_by_test_id("launch-fee-confirm").check()
    web.shot("story-launch-filled")
    page.get_by_test_id("launch-submit").click()
    assert sign(web, "story-launch") == "confirmed"
    page.wait_for_url(re.compile(r"/token/0x[0-9a-fA-F]{40}$"), timeout=WAIT)
    return page.url.rsplit("/", 1)[1]


def test_the_whole_story_through_the_ui(
    browser: Any, web: Visit, platform: Platform, failing_launch: str
) -> None:
    lose = failing_launch
    win = launch_in_the_wizard(web)
    wait_indexed(platform, win)
    watcher = Visit(browser, platform.url, {"width": 1440, "height": 900}, "watcher")
    try:
        # A second person watches the raise; their page is never reloaded below.
        watcher.go(f"/token/{win}", "story-watcher-start")
        watched = progress(watcher)

        # The buyer waits out the anti-sniper tax with the devnet clock (two hours).
        web.go(f"/token/{win}", "story-token-live")
        connect_dev(web, 2)
        clock = web.page.get_by_test_id("chain-clock")
        for _ in range(2):
            before = clock.inner_text()
            web.page.get_by_test_id("advance-1h").click()
            web.page.wait_for_function(
                "([el, t]) => el.textContent !== t", arg=[clock.element_handle(), before]
            )

        for account in (2, 3):
            # Straight after the previous buy: the quote comes from the chain, not from the
            # indexer (which may be a block behind), so it does not revert on slippage.
            connect_dev(web, account)
            buy(web, "60000", f"story-buy-{account}")
            watcher.page.wait_for_function(
                "([el, bps]) => Number(el.dataset.progressBps) > bps",
                arg=[watcher.page.get_by_test_id("progress-bar").element_handle(), watched],
                timeout=WAIT,
            )
            watched = progress(watcher)
            watcher.shot(f"story-watcher-after-buy-{account}")

        # A small pledge in the launch that will fail (still dev account 3: the dev wallet's
        # choice survives navigation).
        web.go(f"/token/{lose}", "story-lose-live")
        buy(web, "1000", "story-buy-lose")

        # A revert in words: the review is opened while the sale is live, then the sale ends
        # (the watcher moves the clock 7 days) before the buyer confirms.
        web.go(f"/token/{win}", "story-token-before-revert")
        web.page.get_by_test_id("buy-amount").fill("10")
        web.page.get_by_test_id("buy-quote").wait_for()
        web.page.get_by_test_id("buy-submit").click()
        web.page.get_by_test_id("tx-dialog").wait_for()
        watcher.page.get_by_test_id("advance-7d").click()
        watcher.page.get_by_test_id("graduate-button").wait_for(timeout=WAIT)  # live, no reload
        watcher.shot("story-watcher-graduating")
        buyer = platform.accounts[3]["address"]
        allowed = flock_allowance(platform, buyer, platform.contracts["Launchpad"])
        web.page.get_by_test_id("tx-confirm").click()
        error = web.page.get_by_test_id("tx-error")
        error.wait_for(timeout=WAIT)
        web.shot("story-revert-sentence")
        assert error.inner_text().strip() == REVERT_SENTENCES["sale closed"]
        # Found before anything was signed: the approval was never sent.
        assert web.page.get_by_test_id("tx-step-0").inner_text().strip() == "not sent"
        assert flock_allowance(platform, buyer, platform.contracts["Launchpad"]) == allowed
        web.page.get_by_test_id("tx-close").click()

        # Anyone may graduate; then the buyer claims the MT allocation.
        web.go(f"/token/{win}", "story-graduating")
        web.page.get_by_test_id("graduate-button").click()
        assert sign(web, "story-graduate") == "confirmed"
        web.page.locator('[data-testid="token-page"][data-status="Graduated"]').wait_for(
            timeout=WAIT
        )
        claim = web.page.get_by_test_id("claim-button")
        claim.wait_for(timeout=WAIT)
        claimable = int(pledge(platform, buyer, win)["claimable_mt"])
        assert claimable > 0
        claim.click()
        assert sign(web, "story-claim") == "confirmed"
        web.page.get_by_test_id("swap-form").wait_for(timeout=WAIT)
        web.shot("story-graduated")
        # The auto-scaled chart comes with its move stated exactly (format.ts priceChangePercent).
        change = web.page.get_by_test_id("price-change")
        change.wait_for(timeout=WAIT)
        assert re.fullmatch(
            r"From [\d.,]+ to [\d.,]+ FLOCK( \([+−]?\d+\.\d\d%\))? over the period shown; "
            r"the axis is scaled to fit\.",
            change.inner_text().strip(),
        ), change.inner_text()

        # The failed raise: Redeem returns exactly the principal (fees are not refundable).
        redeemer = platform.accounts[3]["address"]
        web.go(f"/token/{lose}", "story-failed")
        principal = int(pledge(platform, redeemer, lose)["redeemable_flock"])
        assert principal > 0
        before = flock_balance(platform, redeemer)
        web.page.get_by_test_id("redeem-button").click()
        assert sign(web, "story-redeem") == "confirmed"
        assert flock_balance(platform, redeemer) - before == principal

        stake_and_use_the_api(web, platform, win)
        the_days_rewards_are_claimed_and_explained(web, platform)
    finally:
        watcher.close()
    assert not web.errors and not watcher.errors, web.errors + watcher.errors


def stake_and_use_the_api(web: Visit, platform: Platform, win: str) -> None:
    """Dev account 3 (holding claimed STWIN) stakes, signs in, pays for and uses the API."""
    page = web.go("/stake", "story-stake")
    page.get_by_test_id("stake-token").select_option(label="$STWIN · Story Win")
    page.get_by_test_id("stake-amount").fill("1000")
    page.get_by_test_id("stake-submit").click()
    assert sign(web, "story-stake") == "confirmed"
    page.get_by_test_id("discount-tier").filter(has_text="5").wait_for(timeout=WAIT)
    web.shot("story-staked")

    page = web.go("/api-platform", "story-api-signed-out")
    page.get_by_test_id("siwe-signin").click()
    page.get_by_test_id("credit-balance").wait_for(timeout=WAIT)
    page.get_by_test_id("deposit-amount").fill("25")
    page.get_by_test_id("deposit-submit").click()
    assert sign(web, "story-deposit") == "confirmed"
    page.get_by_test_id("credit-balance").filter(has_text="25").wait_for(timeout=60_000)
    page.get_by_test_id("key-name").fill("story")
    page.get_by_test_id("key-create").click()
    key = page.get_by_test_id("new-key").inner_text().strip()
    web.shot("story-api-key")

    from openai import OpenAI

    client = OpenAI(base_url=f"{platform.url}/v1", api_key=key)
    model = next(m.id for m in client.models.list().data if m.id.endswith("-stwin"))
    reply = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "Say hello to the browser test."}]
    )
    assert reply.choices[0].message.content
    page.get_by_test_id("usage-table").get_by_text(model).wait_for(timeout=60_000)
    web.shot("story-api-usage")
    the_request_log_and_the_prices(web, platform, key, model)


def nano_usd_text(nano: int) -> str:
    """The web app's exact dollars for integer nano-USD (`formatNanoUsd`): 1500000000 → $1.5."""
    whole, frac = divmod(nano, 10**9)
    tail = f"{frac:09d}".rstrip("0")
    return f"${whole:,}" + (f".{tail}" if tail else "")


def the_request_log_and_the_prices(web: Visit, platform: Platform, key: str, model: str) -> None:
    """The call just made is in the page's request log, paid exactly what the day's usage says;
    the model table lists the deployment's model id with the gateway's prices."""
    page = web.page
    auth = {"Authorization": f"Bearer {key}"}
    usage = httpx.get(f"{platform.url}/v1/account/usage", headers=auth, timeout=10).json()
    paid = sum(int(r["paid_nano_usd"]) for r in usage["data"] if r["model"] == model)
    assert paid > 0, usage  # one request, charged
    row = page.locator(f'[data-testid="request-row"][data-model="{model}"]')
    row.first.wait_for(timeout=60_000)
    assert row.count() == 1  # the one request to this model, listed once
    assert row.get_attribute("data-paid-nano-usd") == str(paid)
    assert row.get_by_test_id("request-paid").inner_text().strip() == nano_usd_text(paid)
    # The filter narrows the log to the model (and keeps the request).
    page.get_by_test_id("requests-model-filter").select_option(value=model)
    page.wait_for_function(
        "m => [...document.querySelectorAll('[data-testid=\"request-row\"]')]"
        ".every(r => r.dataset.model === m)",
        arg=model,
        timeout=WAIT,
    )
    assert row.count() == 1

    entry = next(
        m
        for m in httpx.get(f"{platform.url}/v1/models", headers=auth, timeout=10).json()["data"]
        if m["id"] == model
    )
    listed = page.get_by_test_id(f"model-row-{model}")
    listed.wait_for(timeout=WAIT)
    ticker = entry["deployment"]["ticker"]
    assert ticker.upper() == "STWIN", entry
    assert listed.get_by_role("link").inner_text().strip() == f"${ticker}"
    for cell, field in (("input", "input"), ("cached", "cached_input"), ("output", "output")):
        shown = listed.get_by_test_id(f"model-price-{cell}").inner_text().strip()
        assert shown == "$" + entry["pricing"][f"{field}_usd_per_million"], (cell, shown)
    web.shot("story-api-log-and-models")
    web.axe('[data-testid="requests-card"]')
    web.axe('[data-testid="models-card"]')
    # Usable on a phone: the signed-in page with both tables does not scroll sideways.
    page.set_viewport_size(PHONE)
    try:
        web.shot("story-api-platform-390")
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            "w => [...document.querySelectorAll('body *')].filter(e =>"
            " e.getBoundingClientRect().right > w).slice(0, 5).map(e => e.outerHTML.slice(0, 80))",
            PHONE["width"],
        )
        assert width <= PHONE["width"], wide
    finally:
        page.set_viewport_size(DESKTOP)


def wait_for_api(platform: Platform, path: str, ready: Any, timeout: float = 120.0) -> Any:
    """Poll the read API until ``ready(body)`` (the epoch scheduler works every 30 s)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        response = httpx.get(platform.url + path, timeout=10)
        if response.status_code == 200 and ready(response.json()):
            return response.json()
        assert time.monotonic() < deadline, f"{path} not ready after {timeout} s: {response.text}"
        time.sleep(1.0)


def the_days_rewards_are_claimed_and_explained(web: Visit, platform: Platform) -> None:
    """The story's last chapter (in the same test, so no state passes between tests): dev
    account 3 used STWIN's model and staked STWIN yesterday."""
    account = platform.accounts[3]["address"]
    page = web.go("/rewards", "story-rewards-before")
    connect_dev(web, 3)
    # The day ends: the scheduler settles it and proposes its rewards root ...
    page.get_by_test_id("advance-1d").click()
    proposed = lambda body: any(e["status"] == "proposed" for e in body["epochs"])  # noqa: E731
    wait_for_api(platform, "/api/epochs", proposed)
    # Proposed is not claimable: the page says when claims open and offers no Claim button.
    pending = page.locator('[data-testid="pending-status"][data-status="proposed"]')
    pending.wait_for(timeout=WAIT)
    web.shot("story-rewards-pending")
    assert "claims open at" in pending.inner_text()
    assert page.get_by_test_id("claim-reward-FLOCK").count() == 0
    # ... whose dispute window (counted from the proposal) passes a day later: the root goes
    # live and rewards are claimable.
    page.get_by_test_id("advance-1d").click()
    live = lambda body: any(e["status"] == "live" for e in body["epochs"])  # noqa: E731
    epochs = wait_for_api(platform, "/api/epochs", live)["epochs"]
    paid_day = next(e["day"] for e in epochs if e["status"] == "live")
    claim = page.get_by_test_id("claim-reward-FLOCK")
    claim.wait_for(timeout=WAIT)
    web.shot("story-rewards-claimable")
    claimable = page.get_by_test_id("claimable-FLOCK").inner_text()
    before = flock_balance(platform, account)
    claim.click()
    assert sign(web, "story-claim-rewards") == "confirmed"
    gained = flock_balance(platform, account) - before
    assert gained > 0 and claimable.replace(",", "").startswith(str(gained // 10**18))
    # The page catches up with the claim by itself: nothing left to claim in FLOCK.
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"claimable-FLOCK\"]')?.textContent === '0'",
        timeout=60_000,
    )
    # Unchosen, the explainer opens on the latest day that paid this account (the old page
    # stayed on "Latest day", which may have paid nothing).
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"explain-day\"]')?.value !== ''",
        timeout=WAIT,
    )
    page.get_by_test_id("explain-day").select_option(value=paid_day)
    reasons = page.get_by_test_id("explain-reasons")
    reasons.wait_for(timeout=WAIT)
    web.shot("story-rewards-explained")
    assert reasons.inner_text().strip()
    # The reasons for STWIN: this account's share of its usage and of its stake that day.
    why = page.get_by_test_id("explain-mt-STWIN").inner_text().lower()
    assert "usage share" in why and "stake share" in why, why
    assert "usage share\n100%" in why, why  # the only account that used STWIN's model that day

    # The rest of the platform as the story left it, for docs/web.md's screenshots.
    for path, name in (("/", "marketplace"), ("/gmflock", "gmflock"), ("/protocol", "protocol")):
        web.go(path, f"story-{name}")
    web.page.set_viewport_size(PHONE)
    try:
        web.go("/", "story-marketplace-390")
    finally:
        web.page.set_viewport_size(DESKTOP)
