"""One real anvil + deployed suite per session for the indexer and read-API tests.

Each test indexes into its own fresh database (SQLite file; also PostgreSQL when
``FOMO_TEST_POSTGRES_URL`` is set), always from the deployment block, so tests share the chain
but never each other's rows. Tests that rewind the chain (reorg) restore it with a snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from sqlalchemy.orm import Session, sessionmaker
from web3 import Web3

from fomo.chain.anvil import Anvil
from fomo.chain.client import ChainClient, TxResult
from fomo.chain.deploy import DeployOptions, deploy_suite, model_type_id
from fomo.chain.dev_accounts import DevAccount, dev_accounts
from fomo.chain.manifest import Manifest
from fomo.config import ANVIL_MNEMONIC
from fomo.db.migrate import upgrade
from fomo.db.session import make_engine, make_session_factory
from fomo.indexer.core import Indexer, IndexerConfig
from fomo.indexer.rpc import ChainReader
from fomo.launches.metadata import build_document
from tests.db.backends import PostgresSession, postgres_admin_url
from tests.services import missing_service
from tests.support import free_port

N_ACCOUNTS = 6
WAD = 10**18
DAY = 86_400
MODEL = "qwen3-30b-a3b-instruct"
# A tiny "PNG" (the platform checks the magic bytes and the size, it does not decode images).
ALPHA_IMAGE = b"\x89PNG\r\n\x1a\n" + b"alpha" * 20
ALPHA_METADATA = build_document(
    "Alpha: Qwen3 30B tuned for code review.", ["https://alpha.example/docs"], ALPHA_IMAGE
)


# tests/api re-exports these fixtures; its conftest registers them again, so the session objects
# are memoized here to get one anvil, one deployment and one scenario per test process.
_SHARED: dict[str, Any] = {}


@pytest.fixture(scope="session")
def node(anvil_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Anvil]:
    if "node" in _SHARED:
        yield _SHARED["node"]
        return
    log = tmp_path_factory.mktemp("idx-anvil") / "anvil.log"
    anvil = Anvil(port=free_port(), binary=anvil_binary, log_file=log, accounts=N_ACCOUNTS)
    with anvil:
        _SHARED["node"] = anvil
        yield anvil


@pytest.fixture(scope="session")
def accounts() -> list[DevAccount]:
    return dev_accounts(ANVIL_MNEMONIC, N_ACCOUNTS)


class Chain:
    """The deployed suite plus one-line helpers for every user action the indexer follows."""

    def __init__(self, url: str, manifest: Manifest, accounts: list[DevAccount]) -> None:
        self.url = url
        self.manifest = manifest
        self.w3 = Web3(Web3.HTTPProvider(url))
        self.accounts = accounts

    def client(self, who: DevAccount) -> ChainClient:
        return ChainClient(
            self.w3, manifest=self.manifest, account=Account.from_key(who.private_key)
        )

    def contract(self, name: str) -> Any:
        return self.client(self.accounts[0]).contract(name)

    def token(self, address: str) -> Any:
        return self.client(self.accounts[0]).at("ModelToken", address)

    def rpc(self, method: str, params: list[Any] | None = None) -> Any:
        response = self.w3.provider.make_request(method, params or [])  # type: ignore[arg-type]
        assert "error" not in response, response
        return response["result"]

    def travel(self, seconds: int) -> None:
        self.rpc("evm_increaseTime", [seconds])
        self.rpc("evm_mine")

    def mine(self, blocks: int = 1) -> None:
        self.rpc("anvil_mine", [hex(blocks)])

    def now(self) -> int:
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def head(self) -> int:
        return int(self.w3.eth.block_number)

    def snapshot(self) -> str:
        return str(self.rpc("evm_snapshot"))

    def revert(self, snap: str) -> None:
        assert self.rpc("evm_revert", [snap]) is True

    # --- actions ---------------------------------------------------------------------------

    def _approve_flock(self, who: DevAccount, spender: str, amount: int) -> None:
        c = self.client(who)
        flock = c.contract("FLOCK")
        c.send(flock.functions.approve(Web3.to_checksum_address(spender), amount))

    def create_launch(self, who: DevAccount, symbol: str, first_buy: int = 0) -> str:
        c = self.client(who)
        lp = c.contract("Launchpad")
        fee = int(lp.functions.launch_creation_fee().call())
        self._approve_flock(who, lp.address, fee + first_buy)
        result = c.send(
            lp.functions.create_launch(
                model_type_id(MODEL), f"{symbol} model", symbol, first_buy, 0, self.now() + 3600
            )
        )
        (event,) = c.events(result, lp, "LaunchCreated")
        return str(event["token"]).lower()

    def set_metadata(self, who: DevAccount, token: str, content_hash: str) -> TxResult:
        c = self.client(who)
        lp = c.contract("Launchpad")
        fn = lp.functions.set_metadata(
            Web3.to_checksum_address(token), bytes.fromhex(content_hash[2:])
        )
        return c.send(fn)

    def buy(self, who: DevAccount, token: str, amount: int) -> TxResult:
        c = self.client(who)
        lp = c.contract("Launchpad")
        self._approve_flock(who, lp.address, amount)
        return c.send(
            lp.functions.buy(Web3.to_checksum_address(token), amount, 0, self.now() + 3600)
        )

    def call_lp(self, who: DevAccount, fn: str, token: str) -> TxResult:
        c = self.client(who)
        lp = c.contract("Launchpad")
        return c.send(getattr(lp.functions, fn)(Web3.to_checksum_address(token)))

    def stake(self, who: DevAccount, token: str, amount: int) -> None:
        c = self.client(who)
        staking = c.contract("Staking")
        mt = c.at("ModelToken", token)
        c.send(mt.functions.approve(staking.address, amount))
        c.send(staking.functions.stake(Web3.to_checksum_address(token), amount))

    def unstake(self, who: DevAccount, token: str, amount: int) -> None:
        c = self.client(who)
        staking = c.contract("Staking")
        c.send(staking.functions.request_unstake(Web3.to_checksum_address(token), amount))

    def withdraw_stake(self, who: DevAccount, token: str) -> None:
        c = self.client(who)
        staking = c.contract("Staking")
        c.send(staking.functions.withdraw(Web3.to_checksum_address(token)))

    def gm_lock(self, who: DevAccount, amount: int, days: int) -> None:
        c = self.client(who)
        gm = c.contract("GmFlock")
        self._approve_flock(who, gm.address, amount)
        c.send(gm.functions.create_lock(amount, self.now() + days * DAY))

    def transfer_mt(self, who: DevAccount, token: str, to: str, amount: int) -> None:
        c = self.client(who)
        c.send(c.at("ModelToken", token).functions.transfer(Web3.to_checksum_address(to), amount))


@pytest.fixture(scope="session")
def chain(
    node: Anvil,
    accounts: list[DevAccount],
    artifacts_cache: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Chain:
    if "chain" in _SHARED:
        return _SHARED["chain"]  # type: ignore[no-any-return]
    data_dir = tmp_path_factory.mktemp("idx-data")
    w3 = Web3(Web3.HTTPProvider(node.url))
    manifest = deploy_suite(
        w3,
        accounts[0].private_key,
        dev=True,
        artifacts_dir=artifacts_cache,
        manifest_path=data_dir / "deployment.json",
        options=DeployOptions(dev_accounts=[a.address for a in accounts]),
    )
    _SHARED["chain"] = Chain(node.url, manifest, accounts)
    return _SHARED["chain"]  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def pg_session() -> Iterator[PostgresSession | None]:
    admin = postgres_admin_url()
    if admin is None:
        yield None
        return
    pg = PostgresSession(admin)
    yield pg
    pg.drop()


BACKENDS = ["sqlite", "postgresql"]


@dataclass
class Db:
    url: str
    factory: sessionmaker[Session]

    def session(self) -> Session:
        return self.factory()


def _db(url: str) -> Iterator[Db]:
    upgrade(url)
    engine = make_engine(url)
    try:
        yield Db(url, make_session_factory(engine))
    finally:
        engine.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Db]:
    yield from _db(f"sqlite:///{tmp_path / 'fomo.db'}")


@pytest.fixture(params=BACKENDS)
def db(
    request: pytest.FixtureRequest, tmp_path: Path, pg_session: PostgresSession | None
) -> Iterator[Db]:
    """A fresh migrated database: SQLite always, PostgreSQL when FOMO_TEST_POSTGRES_URL is set."""
    if request.param == "sqlite":
        yield from _db(f"sqlite:///{tmp_path / 'fomo.db'}")
        return
    if pg_session is None:
        missing_service("PostgreSQL tests need FOMO_TEST_POSTGRES_URL")
    with pg_session.schema_url() as url:
        yield from _db(url)


def make_indexer(chain: Chain, db: Db, url: str | None = None, **overrides: Any) -> Indexer:
    config = IndexerConfig.from_manifest(chain.manifest, **overrides)
    return Indexer(config, ChainReader(url or chain.url, timeout=2.0), db.factory)


@dataclass
class Scenario:
    """What :func:`scenario` did on the chain (the expected facts the tests check)."""

    graduated: str  # launch that graduated (ALPHA)
    failed: str  # launch that failed and was redeemed (BETA)
    creator: DevAccount
    alice: DevAccount
    bob: DevAccount
    carol: DevAccount
    dave: DevAccount
    issuer_vesting_id: int
    stake_times: list[tuple[int, int]]  # (block time, alice's active stake after)


@pytest.fixture(scope="session")
def scenario(chain: Chain) -> Scenario:
    """A whole season on the chain: a bundled launch that graduates (buys from three accounts,
    claims, staking with cooldown and withdrawal, an MT transfer, a vesting release), a launch
    that fails (redeem), a gmFLOCK lock."""
    if "scenario" in _SHARED:
        return _SHARED["scenario"]  # type: ignore[no-any-return]
    _, creator, alice, bob, carol, dave = chain.accounts
    alpha = chain.create_launch(creator, "ALPHA", first_buy=20_000 * WAD)
    chain.set_metadata(creator, alpha, ALPHA_METADATA.content_hash())
    beta = chain.create_launch(carol, "BETA")
    chain.travel(100 * 60)  # anti-sniper tax decayed to the base fee
    chain.buy(alice, alpha, 60_000 * WAD)
    chain.buy(bob, alpha, 45_000 * WAD)
    chain.buy(dave, beta, 10_000 * WAD)
    chain.travel(7 * DAY)
    grad = chain.call_lp(bob, "graduate", alpha)
    lp = chain.contract("Launchpad")
    (event,) = chain.client(bob).events(grad, lp, "Graduated")
    chain.call_lp(alice, "claim", alpha)
    chain.call_lp(creator, "claim", alpha)
    chain.call_lp(dave, "redeem", beta)
    staking = chain.contract("Staking")
    times: list[tuple[int, int]] = []

    def record() -> None:
        times.append(
            (
                chain.now(),
                int(
                    staking.functions.active_stake(
                        Web3.to_checksum_address(alpha), alice.address
                    ).call()
                ),
            )
        )

    chain.stake(alice, alpha, 10_000 * WAD)
    record()
    chain.travel(3600)
    chain.unstake(alice, alpha, 4_000 * WAD)
    record()
    chain.travel(8 * DAY)
    chain.withdraw_stake(alice, alpha)
    chain.transfer_mt(alice, alpha, bob.address, 1_000 * WAD)
    chain.gm_lock(alice, 1_000 * WAD, 60)
    chain.travel(100 * DAY)
    c = chain.client(dave)
    vesting = c.contract("Vesting")
    c.send(vesting.functions.release(int(event["issuerVestingId"])))
    _SHARED["scenario"] = Scenario(
        graduated=alpha,
        failed=beta,
        creator=creator,
        alice=alice,
        bob=bob,
        carol=carol,
        dave=dave,
        issuer_vesting_id=int(event["issuerVestingId"]),
        stake_times=times,
    )
    return _SHARED["scenario"]  # type: ignore[no-any-return]


def chain_log_keys(chain: Chain) -> set[tuple[str, int]]:
    """Ground truth: (tx hash, log index) of every log the indexer should hold — every log of
    the followed contracts and of every Model Token and pair the chain has — up to the head."""
    from fomo.indexer.core import FOLLOWED

    addresses = [
        chain.manifest.contracts[n].address for n in FOLLOWED if n in chain.manifest.contracts
    ]
    lp = chain.contract("Launchpad")
    count = int(lp.functions.launch_count().call())
    for i in range(count):
        token = lp.functions.launch_at(i).call()
        addresses.append(token)
        pair = lp.functions.launches(token).call()[16]
        if int(pair, 16) != 0:
            addresses.append(pair)
    logs = chain.w3.eth.get_logs(
        {
            "fromBlock": chain.manifest.block,
            "toBlock": "latest",
            "address": [Web3.to_checksum_address(a) for a in addresses],
        }
    )
    return {("0x" + bytes(lg["transactionHash"]).hex(), int(lg["logIndex"])) for lg in logs}


def stored_log_keys(db: Db) -> list[tuple[str, int]]:
    from sqlalchemy import select

    from fomo.db.models import EventLog

    with db.session() as s:
        return [
            (str(a), int(b)) for a, b in s.execute(select(EventLog.tx_hash, EventLog.log_index))
        ]


def dump(db: Db) -> dict[str, list[tuple[Any, ...]]]:
    """Every indexed table's rows (minus surrogate ids and wall-clock stamps), for comparing two
    databases that indexed the same chain."""
    from sqlalchemy import select

    from fomo.db.base import Base
    from fomo.db.metadata import target_metadata

    target_metadata()
    skip = {"id", "updated_at", "recorded_at"}
    out: dict[str, list[tuple[Any, ...]]] = {}
    wanted = {
        "event_logs", "launches", "launch_params", "purchases", "claims", "redeems",
        "graduations", "stake_events", "stakes", "gm_lock_events", "gm_locks",
        "vesting_schedules", "vesting_releases", "token_transfers", "token_balances",
        "pair_syncs", "pair_swaps", "deposits", "reward_root_events", "reward_fundings",
        "reward_claims", "revenue_settlements", "buybacks", "burns", "chain_model_types",
        "indexer_cursors", "launch_metadata_sets",
    }  # fmt: skip
    with db.session() as s:
        for name, table in Base.metadata.tables.items():
            if name not in wanted:
                continue
            cols = [c for c in table.columns if c.name not in skip]
            rows = s.execute(select(*cols)).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out
