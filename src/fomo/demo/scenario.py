"""The `fomo demo` scenario: a fresh devnet driven through the whole franchise loop.

Cast (anvil dev accounts): ``operator`` deploys and holds the publisher/settler/keeper roles;
``alice`` and ``bob`` are issuers; ``carol``, ``dave``, ``erin``, ``frank``, ``grace`` and
``heidi`` are supporters and API users.

1. alice launches ALPHA with a bundled first buy; bob launches BETA and GAMMA.
2. Supporters buy through the anti-sniping window (a sniper at minute 1, one buyer at minute 45,
   the rest after the tax decayed); erin's buy fills ALPHA to its max: partial fill, refund and
   automatic graduation in that transaction.
3. Seven days later BETA (above its min) is graduated by heidi, a third party; GAMMA (below its
   min) failed and its buyers redeem their principal. Buyers claim their MT.
4. Users stake MT (discount tiers), lock gmFLOCK, deposit USDC into the PaymentVault.
5. Each simulated day: API traffic through the gateway to the dev upstream (discounts from the
   indexed stakes), then advance anvil past midnight, index, run the epoch (settle revenue →
   buybacks → rewards root), advance past the dispute window, and every rewarded user claims.

Nothing is faked: every figure in the report is read back from the chain, the database or the
epoch data files; a step that cannot run is recorded in ``skipped`` with the reason.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from web3 import Web3

from fomo.chain.anvil import Anvil
from fomo.chain.deploy import DeployOptions, deploy_suite, model_type_id
from fomo.chain.dev_accounts import dev_accounts
from fomo.chain.errors import ChainActionError
from fomo.chain.gmflock import unlock_time_for
from fomo.chain.launchpad import quote_now, read_launch
from fomo.chain.manifest import Manifest
from fomo.config import ANVIL_MNEMONIC
from fomo.db.migrate import upgrade
from fomo.db.session import make_engine, make_session_factory
from fomo.demo.chain import Actor, checksum, events, make_actor, now, travel_to
from fomo.economics.params import DEFAULT_PARAMS
from fomo.economics.units import SECONDS_PER_DAY, WAD

USDC = 10**6
MINUTE = 60

CAST = ("operator", "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")

# (symbol, issuer, base model, bundled first buy in FLOCK)
LAUNCHES = (
    ("ALPHA", "alice", "qwen3-235b-a22b-instruct", 40_000),
    ("BETA", "bob", "deepseek-v3.2", 0),
    ("GAMMA", "bob", "kimi-k2-thinking", 0),
)
# (minute after the sale start, buyer, symbol, FLOCK) — in order
BUYS = (
    (1, "erin", "ALPHA", 2_000),  # a sniper: 98% tax, almost nothing enters the curve
    (45, "frank", "BETA", 10_000),  # still inside the anti-sniping window (54% tax)
    (100, "carol", "ALPHA", 200_000),
    (100, "dave", "ALPHA", 200_000),
    (101, "grace", "BETA", 90_000),
    (101, "heidi", "BETA", 20_000),
    (102, "frank", "GAMMA", 30_000),
    (102, "grace", "GAMMA", 25_000),
    (110, "erin", "ALPHA", 150_000),  # passes max_raise: partial fill + auto graduation
)
# (user, symbol, MT staked) — tiers: ≥1k 5%, ≥10k 10%, ≥50k 15%, ≥100k 20%
STAKES = (
    ("carol", "ALPHA", 60_000),
    ("dave", "ALPHA", 100_000),
    ("grace", "BETA", 12_000),
    ("frank", "BETA", 2_000),
)
GM_LOCKS = (("carol", 100_000, 365), ("grace", 20_000, 60))
DEPOSIT_USDC = 20
# Per simulated day: (user, symbol or base model id, requests at full / fast speed)
TRAFFIC = (
    ("carol", "ALPHA", 6, 2),
    ("dave", "ALPHA", 8, 3),
    ("erin", "ALPHA", 4, 2),
    ("erin", "BETA", 3, 1),
    ("frank", "BETA", 5, 2),
    ("grace", "BETA", 6, 2),
    ("grace", "deepseek-v3.2", 2, 1),  # a base model id: counts toward no MT in Season 2
)

RUN_FILES = (
    "anvil-state.json",
    "anvil.log",
    "anvil.pid",
    "deployment.json",
    "fomo.db",
    "gateway-journal",
    "epochs",
    "report.json",
    "supply.png",
    "burns.png",
    "rewards.png",
)


@dataclass
class DemoConfig:
    data_dir: Path
    artifacts_dir: Path
    days: int = 7
    fast: bool = False
    rpc: str | None = None

    @property
    def prompt_words(self) -> int:
        return 2_000 if self.fast else 6_000


@dataclass
class Snapshot:
    """Supplies and cumulative burns at one moment (for the charts)."""

    label: str
    time: int
    supply: dict[str, int]
    burned: dict[str, int]


@dataclass
class DemoRun:
    """Everything the report needs that the chain alone does not say."""

    config: DemoConfig
    manifest: Manifest
    w3: Web3
    actors: dict[str, Actor]
    tokens: dict[str, str]  # symbol -> MT address (checksummed)
    bases: dict[str, str]  # symbol -> base model
    db_url: str
    start_block: int
    epoch_phase_block: int = 0
    epoch_phase_supply: dict[str, int] = field(default_factory=dict)
    snapshots: list[Snapshot] = field(default_factory=list)
    epochs: list[dict[str, Any]] = field(default_factory=list)
    traffic: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    launch_txs: dict[str, Any] = field(default_factory=dict)

    def actor_names(self) -> dict[str, str]:
        return {a.lower: n for n, a in self.actors.items()}


Step = Callable[[str], None]


class Scenario:
    """Runs the scenario; ``step(label)`` is called before each step (progress bars)."""

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

    # -- lifecycle --------------------------------------------------------------------------

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

    # -- helpers ----------------------------------------------------------------------------

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

    # -- the scenario -----------------------------------------------------------------------

    def launch_phase(self) -> None:
        r = self.r
        w3 = r.w3
        lp = self.contract("Launchpad")
        # Start on a clean UTC day so simulated days line up with epochs.
        t0 = (now(w3) // SECONDS_PER_DAY + 1) * SECONDS_PER_DAY + 10 * MINUTE
        travel_to(w3, t0)
        self.step("issuers launch ALPHA (bundled first buy), BETA and GAMMA")
        fee = int(lp.functions.launch_creation_fee().call())
        for sym, issuer, base, first in LAUNCHES:
            first_wei = first * WAD
            self.approve(issuer, r.manifest.address("FLOCK"), lp.address, fee + first_wei)
            res = self.send(
                issuer,
                lp.functions.create_launch(
                    model_type_id(base), f"{sym} model", sym, first_wei, 0, now(w3) + 3600
                ),
                "Launchpad",
            )
            (ev,) = self.a(issuer).client.events(res, lp, "LaunchCreated")
            r.tokens[sym] = checksum(str(ev["token"]))
            r.bases[sym] = base
            r.launch_txs[sym] = {"create": res.tx_hash, "bundled_flock": str(first_wei)}
        sale_start = now(w3)
        self.step("supporters buy through the anti-sniping window")
        for minute, buyer, sym, amount in BUYS:
            travel_to(w3, sale_start + minute * MINUTE)
            client = self.a(buyer).client
            token = r.tokens[sym]
            view = read_launch(client, token)
            quote = quote_now(client, view, amount * WAD)  # local curve == on-chain, to the wei
            self.approve(buyer, r.manifest.address("FLOCK"), lp.address, amount * WAD)
            res = self.send(
                buyer,
                lp.functions.buy(token, amount * WAD, quote.mt_out, now(w3) + 600),
                "Launchpad",
            )
            grads = client.events(res, lp, "Graduated")
            if grads:
                r.launch_txs[sym]["auto_graduated_by"] = {"buyer": buyer, "tx": res.tx_hash}
        status = read_launch(self.a("operator").client, r.tokens["ALPHA"]).status_name
        if status != "Graduated":
            raise ChainActionError(f"ALPHA should have graduated at its max, it is {status}.")

    def window_end_phase(self) -> None:
        r = self.r
        w3 = r.w3
        lp = self.contract("Launchpad")
        view = read_launch(self.a("operator").client, r.tokens["BETA"])
        travel_to(w3, int(view.data["sale_end"]) + MINUTE)
        self.step("heidi (a third party) graduates BETA after the window")
        for sym in ("BETA", "GAMMA"):
            r.launch_txs[sym]["status_after_window"] = read_launch(
                self.a("operator").client, r.tokens[sym]
            ).status_name
        res = self.send("heidi", lp.functions.graduate(r.tokens["BETA"]), "Launchpad")
        r.launch_txs["BETA"]["graduated_by"] = {"who": "heidi", "tx": res.tx_hash}
        self.step("GAMMA failed: its buyers redeem their principal")
        for buyer in ("frank", "grace"):
            self.send(buyer, lp.functions.redeem(r.tokens["GAMMA"]), "Launchpad")
        self.step("buyers claim their MT")
        for sym in ("ALPHA", "BETA"):
            buyers = {
                str(e["buyer"]).lower()
                for e in events(lp, "Purchased", r.start_block)
                if str(e["token"]).lower() == r.tokens[sym].lower()
            }
            for name, actor in r.actors.items():
                if actor.lower in buyers:
                    self.send(name, lp.functions.claim(r.tokens[sym]), "Launchpad")

    def engagement_phase(self) -> None:
        r = self.r
        w3 = r.w3
        staking = self.contract("Staking")
        gm = self.contract("GmFlock")
        vault = self.contract("PaymentVault")
        self.step("users stake MT and lock gmFLOCK")
        for who, sym, amount in STAKES:
            self.approve(who, r.tokens[sym], staking.address, amount * WAD)
            self.send(who, staking.functions.stake(r.tokens[sym], amount * WAD), "Staking")
        for who, amount, days in GM_LOCKS:
            self.approve(who, r.manifest.address("FLOCK"), gm.address, amount * WAD)
            self.send(
                who,
                gm.functions.create_lock(amount * WAD, unlock_time_for(now(w3), days)),
                "GmFlock",
            )
        self.step("API users deposit USDC into the PaymentVault")
        users = sorted({u for u, *_ in TRAFFIC})
        for who in users:
            self.approve(who, r.manifest.address("USDC"), vault.address, DEPOSIT_USDC * USDC)
            self.send(
                who,
                vault.functions.deposit(self.a(who).address, DEPOSIT_USDC * USDC),
                "PaymentVault",
            )
        self.step("the treasury funds the global FLOCK emission")
        emission = DEFAULT_PARAMS.daily_emission * self.cfg.days
        flock = self.contract("FLOCK")
        dist = self.contract("RewardDistributor")
        self.send("operator", flock.functions.mint(self.a("operator").address, emission), "FLOCK")
        self.approve("operator", flock.address, dist.address, emission)
        self.send(
            "operator",
            dist.functions.fund(flock.address, emission, "0x" + "00" * 20),
            "RewardDistributor",
        )
        self.step("indexing the chain; starting the gateway and the dev upstream")
        self.index()
        from fomo.demo.traffic import Traffic
        from fomo.gateway.config import DeploymentSpec

        specs = [
            DeploymentSpec(base_model=r.bases[s], ticker=s, token=r.tokens[s].lower())
            for s in ("ALPHA", "BETA")
        ]
        self.traffic = Traffic(r.config.data_dir, r.db_url, specs, int(w3.eth.chain_id))
        self.traffic.sync()
        r.epoch_phase_block = int(w3.eth.block_number)
        self.snapshot("start")
        r.epoch_phase_supply = dict(r.snapshots[-1].supply)

    def model_id(self, target: str) -> str:
        r = self.r
        if target in r.tokens:
            return f"{r.bases[target]}-{target.lower()}"
        return target

    def day_phase(self, index: int) -> None:
        from fomo.economics.epoch_input import InsolventEpoch
        from fomo.epochs import engine as eng
        from fomo.epochs.chainport import Web3ChainPort

        r = self.r
        w3 = r.w3
        router = self.contract("RevenueRouter")
        # Simulated days follow each other: the first one starts at the next midnight.
        day = self._next_day if self._next_day else now(w3) // SECONDS_PER_DAY + 1
        self._next_day = day + 1
        travel_to(w3, max(now(w3) + 1, day * SECONDS_PER_DAY + 5 * MINUTE))
        label = eng.day_label(day)
        self.step(f"day {index + 1} ({label}): API traffic through the gateway")
        for token in [r.manifest.address("FLOCK"), *(r.tokens[s] for s in ("ALPHA", "BETA"))]:
            self.send("operator", router.functions.poke(token), "RevenueRouter")
        plan = [
            (self.a(u).lower, self.model_id(t), fast if self.cfg.fast else full)
            for u, t, full, fast in TRAFFIC
        ]
        with self.traffic.clock.at(now(w3)):
            day_traffic = self.traffic.day(plan, self.cfg.prompt_words, seed=day)
        r.traffic.append(
            {
                "day": label,
                "epoch": day,
                "requests": day_traffic.requests,
                "ok": day_traffic.ok,
                "by_status": {str(k): v for k, v in sorted(day_traffic.by_status.items())},
                "by_model": dict(sorted(day_traffic.by_model.items())),
            }
        )
        self.step(f"day {index + 1}: midnight passes; keeper records TWAP observations")
        travel_to(w3, (day + 1) * SECONDS_PER_DAY + 2 * MINUTE)
        for token in [r.manifest.address("FLOCK"), *(r.tokens[s] for s in ("ALPHA", "BETA"))]:
            self.send("operator", router.functions.poke(token), "RevenueRouter")
        self.step(f"day {index + 1}: indexing")
        self.index()
        self.traffic.sync()
        self.step(f"day {index + 1}: epoch — settle revenue, buybacks, rewards root")
        port = Web3ChainPort(self.a("operator").client)
        params = DEFAULT_PARAMS.with_overrides(
            {
                "dispute_window_seconds": int(
                    self.contract("RewardDistributor").functions.dispute_window().call()
                )
            }
        )
        entry: dict[str, Any] = {"day": label, "epoch": day}
        try:
            result = eng.run_day(
                self.factory,
                r.config.data_dir,
                day,
                flock_token=r.manifest.address("FLOCK").lower(),
                chain=port,
                params=params,
                now=now(w3),
            )
        except (InsolventEpoch, eng.EpochError) as exc:
            entry["skipped"] = str(exc)
            r.skipped.append({"step": f"epoch {label}", "reason": str(exc)})
            r.epochs.append(entry)
            self.step(f"day {index + 1}: (epoch skipped)")
            self.step(f"day {index + 1}: (no claims)")
            return
        entry.update(status=result.status, root=result.root, file=str(result.path))
        entry["chain_notes"] = list(port.notes)
        r.notes.extend(f"{label}: {n}" for n in port.notes)
        self.step(f"day {index + 1}: dispute window passes")
        window = int(self.contract("RewardDistributor").functions.dispute_window().call())
        travel_to(w3, now(w3) + window + 1)
        self.step(f"day {index + 1}: users claim their rewards, issuers their revenue share")
        entry["claims"] = self.claim_all(result.path.read_bytes()) if result.root else []
        entry["issuer_withdrawals"] = self.withdraw_issuer_revenue()
        self.index()
        r.epochs.append(entry)
        self.snapshot(label)

    def claim_all(self, data: bytes) -> list[dict[str, Any]]:
        """Every account in the live root submits its own claims (fomo rewards claim's path)."""
        from fomo.economics.epoch_claims import claims_for
        from fomo.economics.epoch_file import EpochFile
        from fomo.epochs.chainport import Web3ChainPort

        r = self.r
        done: list[dict[str, Any]] = []
        names = r.actor_names()
        accounts = {a for a, _t in EpochFile.from_bytes(data).leaves}
        for account in sorted(accounts):
            name = names.get(account)
            who = self.a(name) if name is not None else self.a("operator")
            port = Web3ChainPort(who.client)
            root, live_epoch, _ = port.live_root()
            doc, items = claims_for(data, account)
            if doc.root != root:
                raise ChainActionError("The live root does not match the epoch's data file.")
            for item in items:
                already = port.claimed(account, item.token)
                if item.cumulative <= already:
                    continue
                tx = port.claim(account, item.token, item.cumulative, item.proof)
                done.append(
                    {
                        "account": account,
                        "name": name or account,
                        "token": item.token,
                        "amount": str(item.cumulative - already),
                        "cumulative": str(item.cumulative),
                        "epoch": live_epoch,
                        "tx": tx,
                    }
                )
        return done

    def withdraw_issuer_revenue(self) -> list[dict[str, Any]]:
        """Each issuer pulls the 10% revenue share the settlements credited to it (the
        RevenueRouter never pushes it: `fomo rewards issuer-withdraw`'s path)."""
        router = self.contract("RevenueRouter")
        done: list[dict[str, Any]] = []
        for sym, issuer, _base, _first in LAUNCHES:
            token = self.r.tokens.get(sym)
            if token is None:
                continue
            who = self.a(issuer)
            owed = int(router.functions.issuer_revenue(who.address, checksum(token)).call())
            if owed == 0:
                continue
            fn = router.functions.claim_issuer_revenue(checksum(token), who.address)
            res = self.send(issuer, fn, "RevenueRouter")
            done.append({"issuer": issuer, "token": sym, "usdc": str(owed), "tx": res.tx_hash})
        return done

    def execute(self) -> DemoRun:
        run = self.start()
        self.launch_phase()
        self.window_end_phase()
        self.engagement_phase()
        for i in range(self.cfg.days):
            self.day_phase(i)
        return run
