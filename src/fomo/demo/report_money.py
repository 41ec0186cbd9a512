"""The demo report's money: FLOCK and USDC supplies, the vault, the router and the gateway's
credits, each balanced against the events that moved them; and the revenue summary."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select, text

from fomo.db.models_gateway import CreditEntry
from fomo.demo.chain import balances, events, transfer_totals
from fomo.demo.report_checks import Check, eq, supply_checks
from fomo.demo.report_context import ReportContext
from fomo.economics.units import NANO_PER_USDC_UNIT


def token_supplies(cx: ReportContext) -> dict[str, Any]:
    """FLOCK and USDC: every unit accounted for (holders, mints, burns)."""
    run, w3, start, checks, who = cx.run, cx.w3, cx.start, cx.checks, cx.who
    flock_addr, usdc_addr = cx.flock_addr, cx.usdc_addr
    flock, usdc = cx.flock, cx.usdc
    burned_by_token = cx.burned_by_token
    # -- FLOCK and USDC: every unit accounted for -------------------------------------------
    tokens_out: dict[str, Any] = {}
    for sym, contract, addr in (("FLOCK", flock, flock_addr), ("USDC", usdc, usdc_addr)):
        tt = transfer_totals(w3, addr, start)
        bal = balances(contract, tt.holders)
        supply = int(contract.functions.totalSupply().call())
        checks += supply_checks(sym, bal, supply, tt)
        top = sorted(bal.items(), key=lambda kv: -kv[1])
        tokens_out[sym] = {
            "address": addr,
            "total_supply": str(supply),
            "minted": str(tt.minted),
            "burned": str(tt.burned),
            "holders": {who(a): str(v) for a, v in top if v},
        }
    flock_burned_phase = burned_by_token.get(flock_addr.lower(), 0)
    if run.epoch_phase_supply:
        flock_now = int(flock.functions.totalSupply().call())
        checks.append(
            eq(
                "FLOCK: burns = total-supply decrease over the epoch days",
                "supply_decrease",
                run.epoch_phase_supply["FLOCK"] - flock_now,
                "router_burned_events",
                flock_burned_phase,
            )
        )

    return tokens_out


def usdc_flows(cx: ReportContext) -> dict[str, Any]:
    """The PaymentVault's and the RevenueRouter's USDC and the gateway's metering and credits."""
    run, factory, start, checks = cx.run, cx.factory, cx.start, cx.checks
    router, vault, usdc = cx.router, cx.vault, cx.usdc
    settled, buybacks = cx.settled, cx.buybacks
    # -- PaymentVault and RevenueRouter USDC -------------------------------------------------
    deposits = events(vault, "Deposited", start)
    total_dep = int(vault.functions.total_deposited().call())
    total_wd = int(vault.functions.total_withdrawn().call())
    vault_bal = int(usdc.functions.balanceOf(vault.address).call())
    checks.append(
        eq(
            "USDC: PaymentVault deposited − withdrawn = vault balance",
            "deposited_minus_withdrawn",
            total_dep - total_wd,
            "vault_balance",
            vault_bal,
            deposited=total_dep,
            withdrawn=total_wd,
        )
    )
    checks.append(
        eq(
            "USDC: Σ Deposited events = vault total_deposited",
            "sum_events",
            sum(int(d["amount"]) for d in deposits),
            "total_deposited",
            total_dep,
        )
    )
    s_total = sum(int(s["usdc_amount"]) for s in settled)
    s_parts = {
        k: sum(int(s[k]) for s in settled)
        for k in ("flock_buyback", "treasury_amount", "mt_buyback", "issuer_amount")
    }
    checks.append(
        eq(
            "USDC: settled revenue = FLOCK buyback + treasury + MT buyback + issuer (30/30/30/10)",
            "settled",
            s_total,
            "sum_of_parts",
            sum(s_parts.values()),
            **s_parts,
        )
    )
    checks.append(
        eq(
            "USDC: PaymentVault total_settled = Σ router settlements",
            "vault_total_settled",
            int(vault.functions.total_settled().call()),
            "router_settled",
            s_total,
        )
    )
    spent = sum(int(b["usdc_in"]) for b in buybacks)
    reserved = int(router.functions.total_reserved().call())
    issuer_owed = int(router.functions.total_issuer_owed().call())
    issuer_claimed = sum(int(c["amount"]) for c in events(router, "IssuerRevenueClaimed", start))
    router_bal = int(usdc.functions.balanceOf(router.address).call())
    checks.append(
        eq(
            "USDC: buyback shares − spent on buybacks = router reserve",
            "shares_minus_spent",
            s_parts["flock_buyback"] + s_parts["mt_buyback"] - spent,
            "total_reserved",
            reserved,
        )
    )
    checks.append(
        eq(
            "USDC: issuer shares credited − withdrawn = owed to issuers",
            "credited_minus_claimed",
            s_parts["issuer_amount"] - issuer_claimed,
            "total_issuer_owed",
            issuer_owed,
        )
    )
    checks.append(
        eq(
            "USDC: router reserve + owed to issuers = router balance",
            "reserved_plus_owed",
            reserved + issuer_owed,
            "router_balance",
            router_bal,
            total_reserved=reserved,
            total_issuer_owed=issuer_owed,
        )
    )
    with factory() as s:
        credited = sum(
            int(v)
            for v in s.scalars(
                select(CreditEntry.amount_nano_usd).where(CreditEntry.kind == "deposit")
            )
        )
        usage = s.execute(
            text(
                "SELECT deployment, SUM(gross_nano_usd), SUM(paid_nano_usd), "
                "SUM(compute_cost_nano_usd), COUNT(*) FROM gateway_usage WHERE charged "
                "GROUP BY deployment"
            )
        ).all()
        metered = {
            int(d): int(n)
            for d, n in s.execute(
                text("SELECT day, COUNT(*) FROM gateway_usage WHERE charged GROUP BY day")
            )
        }
    answered = {int(t["epoch"]): int(t["ok"]) for t in run.traffic}
    checks.append(
        Check(
            "usage: every answered request is metered once, on its simulated day",
            metered == answered,
            {"answered": sum(answered.values()), "metered": sum(metered.values())},
            "" if metered == answered else f"answered {answered} metered {metered}",
        )
    )
    checks.append(
        eq(
            "credits: gateway ledger deposit credits = Σ vault deposits × 1,000 nano-USD",
            "ledger_nano",
            credited,
            "deposits_nano",
            total_dep * NANO_PER_USDC_UNIT,
        )
    )

    return {
        "s_total": s_total,
        "s_parts": s_parts,
        "reserved": reserved,
        "issuer_owed": issuer_owed,
        "usage": usage,
    }


def revenue(cx: ReportContext, flows: dict[str, Any]) -> dict[str, Any]:
    """Usage, settlements, buybacks and burns per token (figures only; checked above)."""
    settled, buybacks, burned_by_token = cx.settled, cx.buybacks, cx.burned_by_token
    sym_of = cx.sym_of
    s_total, s_parts, reserved, issuer_owed, usage = (
        flows["s_total"],
        flows["s_parts"],
        flows["reserved"],
        flows["issuer_owed"],
        flows["usage"],
    )
    revenue = {
        "usage": {
            (sym_of.get(str(d), str(d)) if d else "base models (no MT)"): {
                "requests": int(n),
                "gross_nano_usd": str(int(g or 0)),
                "paid_nano_usd": str(int(p or 0)),
                "compute_cost_nano_usd": str(int(c or 0)),
            }
            for d, g, p, c, n in usage
        },
        "settled_usdc": str(s_total),
        "split_usdc": {k: str(v) for k, v in s_parts.items()},
        "buybacks": [
            {
                "token": sym_of.get(str(b["token"]).lower(), str(b["token"])),
                "usdc_in": str(b["usdc_in"]),
                "amount_out": str(b["amount_out"]),
                "reserve_left": str(b["reserve_left"]),
            }
            for b in buybacks
        ],
        "burned": {sym_of.get(t, t): str(v) for t, v in burned_by_token.items()},
        "buyback_reserve_usdc": str(reserved),
        "issuer_owed_usdc": str(issuer_owed),
    }
    per_token: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for ev in settled:
        pt = per_token[sym_of.get(str(ev["token"]).lower(), str(ev["token"]))]
        for k in ("usdc_amount", "flock_buyback", "treasury_amount", "mt_buyback", "issuer_amount"):
            pt[k] += int(ev[k])
    revenue["per_token"] = {k: {kk: str(vv) for kk, vv in v.items()} for k, v in per_token.items()}

    return revenue
