"""Launch → buy from several accounts → graduate → claim → stake → vesting, through the CLI
(`--json`), every result checked on-chain; and the failed-launch redeem path."""

from __future__ import annotations

import pytest

from fomo.chain.dev_accounts import DevAccount
from fomo.economics.curve import ISSUER_ALLOCATION, SALE_SUPPLY
from tests.chain.conftest import CliFn, Deployment

pytestmark = pytest.mark.anvil

WAD = 10**18
DAY = 86_400
MODEL = "qwen3-30b-a3b-instruct"


def _create(cli: CliFn, creator: DevAccount, symbol: str, *extra: str) -> dict:
    res = cli(
        "launch",
        "create",
        MODEL,
        f"{symbol} model",
        symbol,
        *extra,
        "--json",
        "--yes",
        key=creator.private_key,
    )
    data = res.json
    assert data["ok"] and data["action"] == "create"
    return data


def test_full_launch_lifecycle(
    cli: CliFn, deployment: Deployment, accounts: list[DevAccount]
) -> None:
    lp = deployment.contract("Launchpad")
    flock = deployment.contract("FLOCK")
    creator, alice, bob, carol = accounts[1], accounts[2], accounts[3], accounts[4]

    created = _create(cli, creator, "QWENALICE", "--first-buy", "20000")
    token = created["token"]
    assert lp.functions.creator_of(token).call() == creator.address
    assert int(created["first_buy"]["flock_in"]) == 20_000 * WAD
    # Bundled first buy pays the base fee only: 1.5% of 20,000 FLOCK.
    assert lp.functions.principal_of(token, creator.address).call() == 20_000 * WAD * 9850 // 10000

    # Right after the start the anti-sniper tax is near 99%: the quote says so.
    early = cli("launch", "quote", "QWENALICE", "1000", "--json").json["quote"]
    assert early["tax_bps"] >= 9800 and int(early["anti_sniper_fee"]) > 0

    deployment.travel(100 * 60)  # tax decays 1 point per minute down to the 1.5% base fee
    buys = {}
    for buyer, amount in ((alice, "50000"), (bob, "45000.5")):
        before = flock.functions.balanceOf(buyer.address).call()
        data = cli("launch", "buy", token, amount, "--json", "--yes", key=buyer.private_key).json
        assert data["quote"]["tax_bps"] == 150
        assert int(data["anti_sniper_fee"]) == 0
        paid = before - flock.functions.balanceOf(buyer.address).call()
        assert (
            paid
            == int(data["flock_in"])
            == int(amount.replace(".5", "")) * WAD + (WAD // 2 if amount.endswith(".5") else 0)
        )
        assert lp.functions.allocation_of(token, buyer.address).call() == int(data["mt_allocated"])
        assert lp.functions.principal_of(token, buyer.address).call() == int(data["net"])
        assert int(data["mt_allocated"]) == int(data["quote"]["mt_out"])
        buys[buyer.address] = data

    shown = cli("launch", "show", "qwenalice", "--json", key=alice.private_key).json
    assert shown["status"] == "Live"
    assert shown["account"]["allocation"] == buys[alice.address]["mt_allocated"]
    listed = cli("launch", "list", "--json", key=creator.private_key).json["launches"]
    mine = next(entry for entry in listed if entry["token"] == token)
    assert mine["owned"] is True and mine["status"] == "Live"
    assert int(mine["raised"]) == lp.functions.launches(token).call()[13]
    others = cli("launch", "list", "--json", key=alice.private_key).json["launches"]
    assert next(e for e in others if e["token"] == token)["owned"] is False

    # Graduating before the window ends is refused with a sentence.
    early_grad = cli(
        "launch", "graduate", token, "--json", "--yes", key=carol.private_key, ok=False
    )
    assert early_grad.exit_code == 1
    assert early_grad.json["reason"] == "sale live"
    assert "still live" in early_grad.json["error"]

    deployment.travel(7 * DAY)
    grad = cli("launch", "graduate", token, "--json", "--yes", key=carol.private_key).json
    assert grad["ok"]
    assert lp.functions.is_graduated(token).call()
    assert cli("launch", "show", token, "--json").json["status"] == "Graduated"

    mt = deployment.token(token)
    claim = cli("launch", "claim", token, "--json", "--yes", key=alice.private_key).json
    assert int(claim["amount"]) == int(buys[alice.address]["mt_allocated"])
    assert mt.functions.balanceOf(alice.address).call() == int(claim["amount"])
    assert mt.functions.totalSupply().call() <= 1_000_000 * WAD
    assert lp.functions.launches(token).call()[14] <= SALE_SUPPLY  # sold

    # Staking with a cooldown.
    staking = deployment.contract("Staking")
    st = cli("stake", "stake", "QWENALICE", "1000", "--json", "--yes", key=alice.private_key).json
    assert staking.functions.active_stake(token, alice.address).call() == 1000 * WAD
    assert st["active"] == str(1000 * WAD)
    un = cli("stake", "unstake", token, "400", "--json", "--yes", key=alice.private_key).json
    assert staking.functions.active_stake(token, alice.address).call() == 600 * WAD
    assert un["cooling"] == str(400 * WAD) and un["unlock_time"] >= deployment.now() + 7 * DAY - 5
    early_wd = cli("stake", "withdraw", token, "--json", "--yes", key=alice.private_key, ok=False)
    assert early_wd.exit_code == 1 and early_wd.json["reason"] == "cooldown active"
    deployment.travel(7 * DAY + 1)
    before = mt.functions.balanceOf(alice.address).call()
    wd = cli("stake", "withdraw", token, "--json", "--yes", key=alice.private_key).json
    assert int(wd["amount"]) == 400 * WAD
    assert mt.functions.balanceOf(alice.address).call() == before + 400 * WAD

    # Vesting: nothing before the 90-day cliff, then the linear part from graduation.
    mine = cli("vesting", "list", "--json", key=creator.private_key).json["schedules"]
    sched = next(s for s in mine if s["token"] == token)
    assert int(sched["amount"]) == ISSUER_ALLOCATION
    too_early = cli(
        "vesting", "release", str(sched["id"]), "--json", "--yes", key=carol.private_key, ok=False
    )
    assert too_early.json["reason"] == "nothing to release"
    deployment.travel(90 * DAY)
    rel = cli("vesting", "release", str(sched["id"]), "--json", "--yes", key=carol.private_key).json
    assert int(rel["amount"]) > 0
    assert mt.functions.balanceOf(creator.address).call() == int(rel["amount"])


def test_buy_that_fills_the_raise_graduates_and_refunds(
    cli: CliFn, deployment: Deployment, accounts: list[DevAccount]
) -> None:
    lp = deployment.contract("Launchpad")
    flock = deployment.contract("FLOCK")
    token = _create(cli, accounts[1], "QWENFULL")["token"]
    deployment.travel(100 * 60)
    buyer = accounts[5]
    before = flock.functions.balanceOf(buyer.address).call()
    data = cli("launch", "buy", "QWENFULL", "600000", "--json", "--yes", key=buyer.private_key).json
    assert data["graduated"] is True
    assert int(data["quote"]["refund"]) > 0
    assert before - flock.functions.balanceOf(buyer.address).call() == int(data["flock_in"])
    assert int(data["flock_in"]) < 600_000 * WAD
    assert int(data["mt_allocated"]) == SALE_SUPPLY
    assert lp.functions.is_graduated(token).call()


def test_failed_launch_is_redeemed(
    cli: CliFn, deployment: Deployment, accounts: list[DevAccount]
) -> None:
    lp = deployment.contract("Launchpad")
    flock = deployment.contract("FLOCK")
    token = _create(cli, accounts[1], "QWENBOB")["token"]
    deployment.travel(100 * 60)
    buyer = accounts[3]
    bought = cli("launch", "buy", token, "10000", "--json", "--yes", key=buyer.private_key).json
    deployment.travel(7 * DAY)
    assert cli("launch", "show", token, "--json").json["status"] == "Failed"

    grad = cli("launch", "graduate", token, "--json", "--yes", key=buyer.private_key, ok=False)
    assert grad.json["reason"] == "below min"
    assert "minimum raise" in grad.json["error"]

    before = flock.functions.balanceOf(buyer.address).call()
    red = cli("launch", "redeem", "QWENBOB", "--json", "--yes", key=buyer.private_key).json
    # Principal (net of fees) comes back; fees are kept.
    assert int(red["amount"]) == int(bought["net"]) < 10_000 * WAD
    assert flock.functions.balanceOf(buyer.address).call() == before + int(bought["net"])
    assert lp.functions.principal_of(token, buyer.address).call() == 0
    again = cli("launch", "redeem", token, "--json", "--yes", key=buyer.private_key, ok=False)
    assert again.json["reason"] == "nothing to redeem"


def test_tickers_are_unique_in_any_case_and_checked_before_sending(
    cli: CliFn, deployment: Deployment, accounts: list[DevAccount]
) -> None:
    lp = deployment.contract("Launchpad")
    token = _create(cli, accounts[1], "Unique1")["token"]
    count = lp.functions.launch_count().call()
    block = deployment.w3.eth.block_number
    for clash in ("UNIQUE1", "unique1"):
        res = cli(
            "launch", "create", MODEL, "Clash", clash, "--json", "--yes",
            key=accounts[2].private_key, ok=False,
        )  # fmt: skip
        assert res.exit_code == 1
        assert res.json["error"] == (
            f"The ticker {clash!r} is taken by the launch at {token} (tickers are unique, in any "
            "case, until that launch fails); choose another."
        )
    for bad in ("X", "TOO-LONG!", "A" * 17):
        res = cli(
            "launch", "create", MODEL, "Bad", bad, "--json", "--yes",
            key=accounts[2].private_key, ok=False,
        )  # fmt: skip
        assert "is not allowed: use 2-16 ASCII letters or digits" in res.json["error"]
    res = cli(
        "launch", "create", MODEL, " padded", "GOODONE", "--json", "--yes",
        key=accounts[2].private_key, ok=False,
    )  # fmt: skip
    assert "without a leading or trailing space" in res.json["error"]
    assert lp.functions.launch_count().call() == count
    assert deployment.w3.eth.block_number == block  # nothing was sent, not even an approval
    # Any case resolves to the one launch.
    assert cli("launch", "show", "uNiQuE1", "--json").json["token"] == token


def test_a_failed_launch_frees_its_ticker_and_the_ticker_names_the_new_one(
    cli: CliFn, deployment: Deployment, accounts: list[DevAccount]
) -> None:
    old = _create(cli, accounts[1], "REUSE")["token"]
    deployment.travel(7 * DAY + 1)
    assert cli("launch", "show", "REUSE", "--json").json["status"] == "Failed"
    new = _create(cli, accounts[2], "reuse")["token"]
    shown = cli("launch", "show", "REUSE", "--json").json
    assert shown["token"] == new != old and shown["status"] == "Live"
    # The old one is still reachable by address.
    assert cli("launch", "show", old, "--json").json["status"] == "Failed"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 200


def test_create_with_metadata_stores_the_document_and_commits_its_hash(
    cli: CliFn, deployment: Deployment, accounts: list[DevAccount], tmp_path
) -> None:
    import hashlib

    from sqlalchemy import create_engine, text

    db_url = f"sqlite:///{tmp_path / 'platform.db'}"
    env = {"FOMO_DATABASE_URL": db_url}
    lp = deployment.contract("Launchpad")
    image = tmp_path / "logo.png"
    image.write_bytes(PNG)
    meta = ("--description", "SQL copilot.", "--image", str(image), "--link", "https://sql.example")

    # Not migrated yet: one sentence, nothing sent.
    block = deployment.w3.eth.block_number
    res = cli(
        "launch", "create", MODEL, "Meta model", "META", *meta, "--json", "--yes",
        key=accounts[1].private_key, ok=False, env=env,
    )  # fmt: skip
    assert res.exit_code == 1 and "is not migrated (run `fomo db upgrade`" in res.json["error"]
    assert deployment.w3.eth.block_number == block

    cli("db", "upgrade", env=env)
    data = cli(
        "launch", "create", MODEL, "Meta model", "META", *meta, "--json", "--yes",
        key=accounts[1].private_key, env=env,
    ).json  # fmt: skip
    content_hash = data["metadata"]["content_hash"]
    assert "0x" + lp.functions.metadata_hash(data["token"]).call().hex() == content_hash
    assert cli("launch", "show", "meta", "--json").json["metadata_hash"] == content_hash
    plain = _create(cli, accounts[2], "NOMETA")["token"]
    assert cli("launch", "show", plain, "--json").json["metadata_hash"] is None
    engine = create_engine(db_url)
    with engine.connect() as conn:
        document, stored_image = conn.execute(
            text("SELECT document, image FROM launch_metadata WHERE content_hash = :h"),
            {"h": content_hash},
        ).one()
    engine.dispose()
    assert "0x" + hashlib.sha256(document.encode()).hexdigest() == content_hash
    assert stored_image == PNG and '"description":"SQL copilot."' in document

    # Past the limits: one sentence each, nothing sent.
    big = tmp_path / "big.png"
    big.write_bytes(PNG + b"\x00" * 256 * 1024)
    gif = tmp_path / "logo.gif"
    gif.write_bytes(b"GIF89a" + b"\x00" * 20)
    block = deployment.w3.eth.block_number
    for extra, needle in (
        (("--description", "x" * 2001), "the limit is 2,000"),
        (("--image", str(big)), "the limit is 262,144 bytes (256 KiB)"),
        (("--image", str(gif)), "must be a PNG, JPEG or WebP"),
        (("--link", "http://insecure.example"), "must be an https:// URL"),
        (tuple(x for i in range(6) for x in ("--link", f"https://l{i}.example")), "limit is 5"),
    ):
        res = cli(
            "launch", "create", MODEL, "Too much", "TOOMUCH", *extra, "--json", "--yes",
            key=accounts[1].private_key, ok=False, env=env,
        )  # fmt: skip
        assert res.exit_code == 1 and needle in res.json["error"], res.json
    assert deployment.w3.eth.block_number == block
