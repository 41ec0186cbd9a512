"""The stage a demo plays on: a fresh devnet (anvil, the deployed suite, the database, the cast's
wallets), torn down after, and the helpers every phase uses (send, approve, index, snapshot)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from typing import Any

from web3 import Web3

from fomo.chain.anvil import Anvil
from fomo.chain.deploy import DeployOptions, deploy_suite
from fomo.chain.dev_accounts import dev_accounts
from fomo.chain.errors import ChainActionError
from fomo.config import ANVIL_MNEMONIC
from fomo.db.migrate import upgrade
from fomo.db.session import make_engine, make_session_factory
from fomo.demo.chain import Actor, checksum, events, make_actor, now
from fomo.demo.run import DemoConfig, DemoRun, Snapshot
from fomo.demo.script import CAST, RUN_FILES

Step = Callable[[str], None]


class Stage:
    """Starts and stops the devnet; ``step(label)`` is called before each step (progress bars)."""

    def __init__(self, config: DemoConfig, step: Step = lambda _label: None) -> None:
        self.cfg = config
        self.step = step
        self.anvil: Anvil | None = None
        self.traffic: Any = None
        self.run: DemoRun | None = None
        self._next_day = 0

    @staticmethod
    def total_steps(days: int) -> int:
        return 12 + 6 * days

    def start(self) -> DemoRun:
        cfg = self.cfg
        cfg.data_dir.mkdir(parents=True, exist_ok=True)
        # A fresh devnet: what an earlier run left in this directory would be reloaded
        # (anvil state) or mixed in (database, journal, epoch files), so it goes first.
        for name in RUN_FILES:
            path = cfg.data_dir / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        if cfg.rpc is None:
            self.step("starting anvil on a free loopback port")
            from fomo.chain.anvil import free_port

            self.anvil = Anvil(
                port=free_port(),
                accounts=len(CAST),
                state_file=cfg.data_dir / "anvil-state.json",
                log_file=cfg.data_dir / "anvil.log",
                pid_file=cfg.data_dir / "anvil.pid",
            ).start()
            url = self.anvil.url
        else:
            self.step(f"using the running chain at {cfg.rpc}")
            url = cfg.rpc
        w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 60}))
        accounts = dev_accounts(ANVIL_MNEMONIC, len(CAST))
        self.step("deploying the contract suite")
        manifest = deploy_suite(
            w3,
            accounts[0].private_key,
            dev=True,
            artifacts_dir=cfg.artifacts_dir,
            manifest_path=cfg.data_dir / "deployment.json",
            options=DeployOptions(dev_accounts=[a.address for a in accounts[1:]]),
        )
        missing = [n for n in ("RevenueRouter", "PaymentVault", "GmFlock") if n in manifest.skipped]
        if missing:
            raise ChainActionError(f"The suite deployed without {', '.join(missing)}.")
        db_path = cfg.data_dir / "fomo.db"
        db_url = f"sqlite:///{db_path}"
        upgrade(db_url)
        actors = {n: make_actor(w3, manifest, n, a) for n, a in zip(CAST, accounts, strict=True)}
        self.run = DemoRun(
            config=cfg,
            manifest=manifest,
            w3=w3,
            actors=actors,
            tokens={},
            bases={},
            db_url=db_url,
            start_block=manifest.block,
        )
        self.engine = make_engine(db_url)
        self.factory = make_session_factory(self.engine)
        return self.run

    def close(self) -> None:
        if self.traffic is not None:
            self.traffic.close()
            self.traffic = None
        if getattr(self, "engine", None) is not None:
            self.engine.dispose()
        if self.anvil is not None:
            self.anvil.stop()
            self.anvil = None

    @property
    def r(self) -> DemoRun:
        assert self.run is not None
        return self.run

    def a(self, name: str) -> Actor:
        return self.r.actors[name]

    def contract(self, name: str) -> Any:
        return self.a("operator").client.contract(name)

    def send(self, who: str, fn: Any, contract: str | None = None) -> Any:
        return self.a(who).client.send(fn, contract=contract)

    def approve(self, who: str, token: str, spender: str, amount: int) -> None:
        self.a(who).client.ensure_allowance(checksum(token), checksum(spender), amount)

    def index(self) -> None:
        from fomo.indexer.core import Indexer, IndexerConfig
        from fomo.indexer.rpc import ChainReader

        if not hasattr(self, "_indexer"):
            config = IndexerConfig.from_manifest(self.r.manifest, confirmations=1)
            url = str(self.r.w3.provider.endpoint_uri)  # type: ignore[attr-defined]
            self._indexer = Indexer(config, ChainReader(url, timeout=30), self.factory)
        self._indexer.sync()

    def snapshot(self, label: str) -> None:
        r = self.r
        router = self.contract("RevenueRouter")
        supply: dict[str, int] = {}
        burned: dict[str, int] = {}
        flock = self.contract("FLOCK")
        supply["FLOCK"] = int(flock.functions.totalSupply().call())
        for sym, token in r.tokens.items():
            mt = self.a("operator").client.at("ModelToken", token)
            supply[sym] = int(mt.functions.totalSupply().call())
        burns = events(router, "Burned", r.start_block)
        addr_sym = {t.lower(): s for s, t in r.tokens.items()}
        addr_sym[r.manifest.address("FLOCK").lower()] = "FLOCK"
        for sym in supply:
            burned[sym] = 0
        for b in burns:
            hit = addr_sym.get(str(b["token"]).lower())
            if hit is not None:
                burned[hit] += int(b["amount"])
        r.snapshots.append(Snapshot(label, now(r.w3), supply, burned))
