"""Smoke tests through a real browser: the app loads at `/` and at deep links, the marketplace
lists launches made with the CLI, the dev wallet exists only on the devnet, and every page is
axe-clean at 1440 px and 390 px (screenshots of each in tests/web/screenshots/)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import PHONE, Platform, Visit, fomo_cli, wait_indexed

pytestmark = [pytest.mark.browser, pytest.mark.anvil, pytest.mark.xdist_group("browser")]

PAGES = ("/", "/launch", "/stake", "/gmflock", "/rewards", "/api-platform", "/protocol")


@pytest.fixture(scope="module")
def launches(platform: Platform) -> list[dict[str, Any]]:
    """Two launches created with the CLI by dev accounts 1 and 2 (one with a bundled first buy)."""
    model = fomo_cli(platform, "launch", "models")["model_types"][0]["base_model"]
    made = [
        fomo_cli(platform, "launch", "create", model, "Smoke Alpha", "SMOKEA", "--yes", account=1),
        fomo_cli(
            platform,
            "launch",
            "create",
            model,
            "Smoke Beta",
            "SMOKEB",
            "--first-buy",
            "1000",
            "--yes",
            account=2,
        ),
    ]
    for launch in made:
        wait_indexed(platform, launch["token"])
    return made


def test_marketplace_lists_the_launches(web: Visit, launches: list[dict[str, Any]]) -> None:
    page = web.go("/", "marketplace")
    for launch in launches:
        card = page.get_by_test_id(f"launch-card-{launch['symbol']}")
        card.wait_for(timeout=15_000)
        assert launch["name"] in card.inner_text()
        assert card.get_attribute("data-token").lower() == launch["token"].lower()
    assert not web.errors, web.errors


def test_a_deep_link_opens_the_token_page(web: Visit, launches: list[dict[str, Any]]) -> None:
    token = launches[1]["token"]
    page = web.go(f"/token/{token}", "token")
    page.get_by_text(launches[1]["symbol"]).first.wait_for(timeout=15_000)
    assert not web.errors, web.errors
    # A path the app does not know is its own "not found" page, not the server's.
    web.go("/no/such/page", "not-found")
    assert page.locator("#root").inner_text().strip()


def test_the_dev_wallet_is_offered_on_the_devnet(web: Visit, platform: Platform) -> None:
    page = web.go("/", "wallet-menu-closed")
    page.get_by_test_id("wallet-button").click()
    page.get_by_test_id("dev-wallet").wait_for()
    for index in range(len(platform.accounts)):
        page.get_by_test_id(f"dev-account-{index}").wait_for()
    web.shot("wallet-menu-devnet")
    web.axe('[role="dialog"][aria-label="Wallet"]')  # the menu; whole pages: test below
    page.get_by_test_id("dev-account-1").click()
    shown = page.get_by_test_id("wallet-address")
    shown.wait_for()
    assert shown.get_attribute("data-address").lower() == platform.accounts[1]["address"].lower()


def test_the_dev_wallet_is_never_offered_on_another_chain(web: Visit, platform: Platform) -> None:
    """The same app against a platform that says it is chain 8453 (Base), not a devnet."""
    info = platform.api("/api/info")
    info.update(chain_id=8453, devnet=False)
    page = web.page
    page.route("**/api/info", lambda route: route.fulfill(json=info))
    page.route("**/api/devnet/**", lambda route: route.fulfill(status=404, json={"detail": "no"}))
    web.go("/", "wallet-menu-other-chain")
    page.get_by_test_id("wallet-button").click()
    page.get_by_test_id("connect-injected").wait_for()
    web.shot("wallet-menu-other-chain")
    assert page.get_by_test_id("dev-wallet").count() == 0
    assert page.get_by_test_id("dev-account-0").count() == 0


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_page_is_axe_clean(
    web: Visit, phone: Visit, launches: list[dict[str, Any]], viewport: str
) -> None:
    visit = phone if viewport == "phone" else web
    failures = []
    for path in (*PAGES, f"/token/{launches[1]['token']}"):
        name = "home" if path == "/" else path.strip("/").split("/")[0]
        visit.go(path, f"page-{name}")
        try:
            visit.axe()
        except pytest.fail.Exception as exc:
            failures.append(str(exc))
        if visit is phone:  # nothing may force sideways scrolling on a phone
            width = visit.page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                failures.append(f"{path} is {width} px wide at {PHONE['width']} px")
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)
    assert not visit.errors, visit.errors
