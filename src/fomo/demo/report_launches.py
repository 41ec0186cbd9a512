"""The demo report's launches and Model Tokens: raises, graduations and refunds, and each MT's
supply, holders and DEX price, balanced against their events."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fomo.chain.launchpad import read_launch
from fomo.demo.chain import balances, events, transfer_totals
from fomo.demo.report_checks import Check, eq, supply_checks
from fomo.demo.report_context import ReportContext, decimal, flock_usdc_pair, pair_price
from fomo.economics.curve import TOTAL_SUPPLY


def launches(cx: ReportContext) -> dict[str, Any]:
    """Every launch: raise, fees, graduation split or refunds; the launchpad's FLOCK balance."""
    run, op, start, checks, who = cx.run, cx.op, cx.start, cx.checks, cx.who
    lp, flock = cx.lp, cx.flock
    grads = cx.grads
    # -- launches ------------------------------------------------------------------------------
    purchases = events(lp, "Purchased", start)
    redeems = events(lp, "Redeemed", start)
    launches_out: dict[str, Any] = {}
    held_principal = 0
    for sym, token in run.tokens.items():
        view = read_launch(op, token)
        t = token.lower()
        raised = int(view.data["raised"])
        mine = [p for p in purchases if str(p["token"]).lower() == t]
        red = [x for x in redeems if str(x["token"]).lower() == t]
        entry: dict[str, Any] = {
            "token": token,
            "status": view.status_name,
            "issuer": who(str(view.data["creator"])),
            "base_model": run.bases[sym],
            "min_raise": str(view.data["min_raise"]),
            "max_raise": str(view.data["max_raise"]),
            "raised": str(raised),
            "purchases": len(mine),
            "flock_paid": str(sum(int(p["flockIn"]) for p in mine)),
            "principal": str(sum(int(p["netUsed"]) for p in mine)),
            "fees": {
                "protocol": str(sum(int(p["protocolFee"]) for p in mine)),
                "creator": str(sum(int(p["creatorFee"]) for p in mine)),
                "anti_sniper": str(sum(int(p["antiSniperFee"]) for p in mine)),
            },
            **run.launch_txs.get(sym, {}),
        }
        if t in grads:
            g = grads[t]
            entry["graduation"] = {k: str(v) for k, v in g.items() if isinstance(v, int)}
            checks.append(
                eq(
                    f"{sym}: raised = LP + Reserved FLOCK + protocol at graduation",
                    "raised",
                    int(g["raised"]),
                    "split",
                    int(g["lpFlock"]) + int(g["reservedFlock"]) + int(g["protocolFlock"]),
                )
            )
        elif view.status_name == "Failed":
            per_buyer: dict[str, int] = defaultdict(int)
            for p in mine:
                per_buyer[str(p["buyer"]).lower()] += int(p["netUsed"])
            back: dict[str, int] = defaultdict(int)
            for x in red:
                back[str(x["buyer"]).lower()] += int(x["amount"])
            entry["redeemed"] = {who(a): str(v) for a, v in back.items()}
            refund_ok = dict(per_buyer) == dict(back)
            checks.append(
                Check(
                    f"{sym}: failed launch — every buyer redeemed exactly their principal",
                    refund_ok and sum(back.values()) == raised,
                    {"raised": raised, "redeemed": sum(back.values())},
                    ", ".join(f"{who(a)} {v} → {back.get(a, 0)}" for a, v in per_buyer.items()),
                )
            )
            held_principal += raised - sum(back.values())
        else:
            held_principal += raised
        launches_out[sym] = entry
    lp_bal = int(flock.functions.balanceOf(lp.address).call())
    checks.append(
        eq(
            "FLOCK: launchpad balance = principal of launches not graduated − redeemed",
            "launchpad_balance",
            lp_bal,
            "principal_held",
            held_principal,
        )
    )

    return launches_out


def model_tokens(cx: ReportContext) -> dict[str, Any]:
    """Every MT: minted, burned, locked, staked, circulating, holders, DEX price."""
    run, w3, m, op, start, checks, who = cx.run, cx.w3, cx.m, cx.op, cx.start, cx.checks, cx.who
    flock_addr, usdc_addr = cx.flock_addr, cx.usdc_addr
    dist = cx.dist
    burned_by_token, retired = cx.burned_by_token, cx.retired
    grads = cx.grads
    # -- Model Tokens ---------------------------------------------------------------------------
    vesting_addr = m.address("Vesting")
    mts: dict[str, Any] = {}
    usdc_per_flock = pair_price(op, flock_usdc_pair(op, flock_addr, usdc_addr), flock_addr)
    for sym, token in run.tokens.items():
        t = token.lower()
        mt = op.at("ModelToken", token)
        tt = transfer_totals(w3, token, start)
        bal = balances(mt, tt.holders)
        supply = int(mt.functions.totalSupply().call())
        locked = int(mt.functions.balanceOf(vesting_addr).call())
        in_pool = int(mt.functions.balanceOf(dist.address).call())
        staked = int(mt.functions.balanceOf(m.address("Staking")).call())
        entry = {
            "token": token,
            "minted": str(tt.minted),
            "burned": str(tt.burned),
            "burned_by_buybacks": str(burned_by_token.get(t, 0)),
            "total_supply": str(supply),
            "vesting_locked": str(locked),
            "reward_pool_held": str(in_pool),
            "staked": str(staked),
            "circulating": str(supply - locked - in_pool),
            "holders": {who(a): str(v) for a, v in sorted(bal.items(), key=lambda kv: -kv[1]) if v},
        }
        pair = str(read_launch(op, token).data["pair"])
        price = pair_price(op, pair, token)
        if price is not None:
            entry["dex_price_flock_per_mt"] = decimal(price)
            if usdc_per_flock is not None:
                # MT and FLOCK both have 18 decimals, USDC 6: base-unit ratio × 1e12 is USD.
                entry["dex_price_usd_per_mt"] = decimal(price * usdc_per_flock * 10**12)
        if t in grads:
            g = grads[t]
            checks.append(
                eq(
                    f"{sym}: minted + never-minted = 1,000,000 MT",
                    "minted_plus_unminted",
                    int(g["mintedMt"]) + int(g["unmintedMt"]),
                    "total_mt",
                    TOTAL_SUPPLY,
                )
            )
            checks.append(
                eq(
                    f"{sym}: Transfer-log mints = Graduated.mintedMt",
                    "transfer_minted",
                    tt.minted,
                    "graduated_minted",
                    int(g["mintedMt"]),
                )
            )
        checks += supply_checks(sym, bal, supply, tt)
        if run.epoch_phase_supply.get(sym) is not None and t in grads:
            retired_burn = sum(
                int(x["amount"])
                for x in retired
                if bool(x["burned"]) and str(x["token"]).lower() == t
            )
            checks.append(
                eq(
                    f"{sym}: burns = total-supply decrease over the epoch days",
                    "supply_decrease",
                    run.epoch_phase_supply[sym] - supply,
                    "burned_events",
                    burned_by_token.get(t, 0) + retired_burn,
                )
            )
        mts[sym] = entry

    return mts
