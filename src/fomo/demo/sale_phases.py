"""The sale: launches and buys through the anti-sniping window, graduation, a failed launch's
refunds and the claims, then staking, gmFLOCK locks and the USDC deposits (steps 1–4 of
:mod:`fomo.demo.scenario`)."""

from __future__ import annotations

from fomo.chain.errors import ChainActionError
from fomo.chain.gmflock import unlock_time_for
from fomo.chain.launchpad import quote_now, read_launch
from fomo.chain.suite import model_type_id
from fomo.demo.chain import checksum, events, now, travel_to
from fomo.demo.script import BUYS, DEPOSIT_USDC, GM_LOCKS, LAUNCHES, MINUTE, STAKES, TRAFFIC, USDC
from fomo.demo.stage import Stage
from fomo.economics.params import DEFAULT_PARAMS
from fomo.economics.units import SECONDS_PER_DAY, WAD


class SalePhases(Stage):
    """Steps 1–4: launch, the window's end, engagement."""

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
