"""One simulated day: API traffic through the gateway, midnight, indexing, the epoch (settle,
buybacks, rewards root), the dispute window, and every rewarded user's claim (step 5 of
:mod:`fomo.demo.scenario`)."""

from __future__ import annotations

from typing import Any

from fomo.chain.errors import ChainActionError
from fomo.demo.chain import checksum, now, travel_to
from fomo.demo.script import LAUNCHES, MINUTE, TRAFFIC
from fomo.demo.stage import Stage
from fomo.economics.params import DEFAULT_PARAMS
from fomo.economics.units import SECONDS_PER_DAY


class DayPhases(Stage):
    """Step 5, once per simulated day."""

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
