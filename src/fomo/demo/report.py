"""The demo's report: figures and conservation checks, all read back from the chain (and the
database / epoch data files for off-chain figures). Integers in base units throughout; JSON
carries them as decimal strings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from fomo.chain.launchpad import read_launch
from fomo.db.models_gateway import CreditEntry
from fomo.demo.chain import TransferTotals, balances, checksum, events, transfer_totals
from fomo.demo.scenario import DemoRun
from fomo.economics.curve import TOTAL_SUPPLY
from fomo.economics.epoch_file import EpochFile
from fomo.economics.units import NANO_PER_USDC_UNIT, fraction_text


@dataclass
class Check:
    name: str
    ok: bool
    numbers: dict[str, int]
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "result": "PASS" if self.ok else "FAIL",
            "numbers": {k: str(v) for k, v in self.numbers.items()},
            "detail": self.detail,
        }


def _eq(name: str, left_name: str, left: int, right_name: str, right: int, **extra: int) -> Check:
    return Check(name, left == right, {left_name: left, right_name: right, **extra})


def _supply_checks(sym: str, bal: dict[str, int], supply: int, tt: TransferTotals) -> list[Check]:
    """An ERC-20 whose every balance change is logged: Σ balances = supply = minted − burned."""
    return [
        _eq(
            f"{sym}: Σ balances of all {len(bal)} holders = total supply",
            "sum_balances",
            sum(bal.values()),
            "total_supply",
            supply,
        ),
        _eq(
            f"{sym}: total supply = minted − burned (Transfer logs)",
            "total_supply",
            supply,
            "minted_minus_burned",
            tt.minted - tt.burned,
            minted=tt.minted,
            burned=tt.burned,
        ),
    ]


def decimal(value: Fraction, places: int = 12) -> str:
    """An exact rational as a truncated decimal string (display only), 12 places by default."""
    return fraction_text(value, places)


def _pair_price(client: Any, pair: str, base: str) -> Fraction | None:
    """Quote-token per ``base`` token at the pair's reserves (raw base units ratio)."""
    if int(pair, 16) == 0:
        return None
    p = client.at("Pair", pair)
    r0, r1, _ = p.functions.getReserves().call()
    token0 = str(p.functions.token0().call()).lower()
    if r0 == 0 or r1 == 0:
        return None
    if token0 == base.lower():
        return Fraction(int(r1), int(r0))
    return Fraction(int(r0), int(r1))


def build_report(run: DemoRun, factory: sessionmaker[Session]) -> dict[str, Any]:
    w3 = run.w3
    m = run.manifest
    op = run.actors["operator"].client
    names = run.actor_names()
    checks: list[Check] = []
    start = run.start_block
    flock_addr, usdc_addr = m.address("FLOCK"), m.address("USDC")
    lp = op.contract("Launchpad")
    router = op.contract("RevenueRouter")
    vault = op.contract("PaymentVault")
    dist = op.contract("RewardDistributor")
    flock = op.contract("FLOCK")
    usdc = op.contract("USDC")
    contract_names = {c.address.lower(): n for n, c in m.contracts.items()}
    contract_names[_flock_usdc_pair(op, flock_addr, usdc_addr).lower()] = "FLOCK/USDC pool"
    for sym, token in run.tokens.items():
        pair = str(read_launch(op, token).data["pair"])
        if int(pair, 16):
            contract_names[pair.lower()] = f"{sym}/FLOCK pool"

    def who(addr: str) -> str:
        a = addr.lower()
        return names.get(a) or contract_names.get(a) or a

    # -- router events (revenue, buybacks, burns) -------------------------------------------
    settled = events(router, "Settled", start)
    buybacks = events(router, "BuybackExecuted", start)
    burned_ev = events(router, "Burned", start)
    burned_by_token: dict[str, int] = defaultdict(int)
    for b in burned_ev:
        burned_by_token[str(b["token"]).lower()] += int(b["amount"])
    retired = events(dist, "Retired", start)

    # -- FLOCK and USDC: every unit accounted for -------------------------------------------
    tokens_out: dict[str, Any] = {}
    for sym, contract, addr in (("FLOCK", flock, flock_addr), ("USDC", usdc, usdc_addr)):
        tt = transfer_totals(w3, addr, start)
        bal = balances(contract, tt.holders)
        supply = int(contract.functions.totalSupply().call())
        checks += _supply_checks(sym, bal, supply, tt)
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
            _eq(
                "FLOCK: burns = total-supply decrease over the epoch days",
                "supply_decrease",
                run.epoch_phase_supply["FLOCK"] - flock_now,
                "router_burned_events",
                flock_burned_phase,
            )
        )

    # -- PaymentVault and RevenueRouter USDC -------------------------------------------------
    deposits = events(vault, "Deposited", start)
    total_dep = int(vault.functions.total_deposited().call())
    total_wd = int(vault.functions.total_withdrawn().call())
    vault_bal = int(usdc.functions.balanceOf(vault.address).call())
    checks.append(
        _eq(
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
        _eq(
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
        _eq(
            "USDC: settled revenue = FLOCK buyback + treasury + MT buyback + issuer (30/30/30/10)",
            "settled",
            s_total,
            "sum_of_parts",
            sum(s_parts.values()),
            **s_parts,
        )
    )
    checks.append(
        _eq(
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
        _eq(
            "USDC: buyback shares − spent on buybacks = router reserve",
            "shares_minus_spent",
            s_parts["flock_buyback"] + s_parts["mt_buyback"] - spent,
            "total_reserved",
            reserved,
        )
    )
    checks.append(
        _eq(
            "USDC: issuer shares credited − withdrawn = owed to issuers",
            "credited_minus_claimed",
            s_parts["issuer_amount"] - issuer_claimed,
            "total_issuer_owed",
            issuer_owed,
        )
    )
    checks.append(
        _eq(
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
        _eq(
            "credits: gateway ledger deposit credits = Σ vault deposits × 1,000 nano-USD",
            "ledger_nano",
            credited,
            "deposits_nano",
            total_dep * NANO_PER_USDC_UNIT,
        )
    )

    # -- launches ------------------------------------------------------------------------------
    purchases = events(lp, "Purchased", start)
    redeems = events(lp, "Redeemed", start)
    grads = {str(g["token"]).lower(): g for g in events(lp, "Graduated", start)}
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
                _eq(
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
        _eq(
            "FLOCK: launchpad balance = principal of launches not graduated − redeemed",
            "launchpad_balance",
            lp_bal,
            "principal_held",
            held_principal,
        )
    )

    # -- Model Tokens ---------------------------------------------------------------------------
    vesting_addr = m.address("Vesting")
    mts: dict[str, Any] = {}
    usdc_per_flock = _pair_price(op, _flock_usdc_pair(op, flock_addr, usdc_addr), flock_addr)
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
        price = _pair_price(op, pair, token)
        if price is not None:
            entry["dex_price_flock_per_mt"] = decimal(price)
            if usdc_per_flock is not None:
                # MT and FLOCK both have 18 decimals, USDC 6: base-unit ratio × 1e12 is USD.
                entry["dex_price_usd_per_mt"] = decimal(price * usdc_per_flock * 10**12)
        if t in grads:
            g = grads[t]
            checks.append(
                _eq(
                    f"{sym}: minted + never-minted = 1,000,000 MT",
                    "minted_plus_unminted",
                    int(g["mintedMt"]) + int(g["unmintedMt"]),
                    "total_mt",
                    TOTAL_SUPPLY,
                )
            )
            checks.append(
                _eq(
                    f"{sym}: Transfer-log mints = Graduated.mintedMt",
                    "transfer_minted",
                    tt.minted,
                    "graduated_minted",
                    int(g["mintedMt"]),
                )
            )
        checks += _supply_checks(sym, bal, supply, tt)
        if run.epoch_phase_supply.get(sym) is not None and t in grads:
            retired_burn = sum(
                int(x["amount"])
                for x in retired
                if bool(x["burned"]) and str(x["token"]).lower() == t
            )
            checks.append(
                _eq(
                    f"{sym}: burns = total-supply decrease over the epoch days",
                    "supply_decrease",
                    run.epoch_phase_supply[sym] - supply,
                    "burned_events",
                    burned_by_token.get(t, 0) + retired_burn,
                )
            )
        mts[sym] = entry

    # -- RewardDistributor: funded − retired − claimed = held -------------------------------
    pots: dict[str, Any] = {}
    reward_tokens = {"FLOCK": flock_addr} | {
        s: t for s, t in run.tokens.items() if t.lower() in grads
    }
    for sym, token in reward_tokens.items():
        d = dist.functions
        funded = int(d.funded(token).call())
        ret = int(d.retired(token).call())
        claimed = int(d.claimed_total(token).call())
        erc = op.at("ModelToken", token) if sym != "FLOCK" else flock
        held = int(erc.functions.balanceOf(dist.address).call())
        pots[sym] = {
            "funded": str(funded),
            "retired": str(ret),
            "claimed": str(claimed),
            "held": str(held),
        }
        checks.append(
            _eq(
                f"RewardDistributor {sym}: funded − retired − claimed = held",
                "funded_minus_out",
                funded - ret - claimed,
                "held",
                held,
                funded=funded,
                retired=ret,
                claimed=claimed,
            )
        )

    # -- rewards per account (last data file) and claims ---------------------------------------
    rewards: dict[str, dict[str, dict[str, str]]] = {}
    sym_of = {t.lower(): s for s, t in run.tokens.items()} | {flock_addr.lower(): "FLOCK"}
    last = next((e for e in reversed(run.epochs) if e.get("root")), None)
    leaves: list[tuple[str, str, int]] = []
    explained: dict[str, Any] = {}
    if last is not None:
        with open(last["file"], "rb") as f:
            doc = EpochFile.from_bytes(f.read())
        leaves = [(a, t, v) for (a, t), v in doc.leaves.items()]
        paid_all = True
        total_cum = total_claimed = 0
        for a, t, v in leaves:
            claimed = int(dist.functions.claimed(checksum(a), checksum(t)).call())
            rewards.setdefault(who(a), {})[sym_of.get(t, t)] = {
                "cumulative": str(v),
                "claimed": str(claimed),
            }
            paid_all = paid_all and claimed == v
            total_cum += v
            total_claimed += claimed
        checks.append(
            Check(
                "claims: every leaf of the last root claimed exactly its cumulative amount",
                paid_all,
                {"claimable": total_cum, "claimed": total_claimed, "leaves": len(leaves)},
            )
        )
        explained = _explain(run, factory, doc, int(last["epoch"]), sym_of)

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

    return {
        "ok": all(c.ok for c in checks),
        "chain_id": m.chain_id,
        "days": run.config.days,
        "fast": run.config.fast,
        "data_dir": str(run.config.data_dir),
        "contracts": {n: c.address for n, c in m.contracts.items()},
        "accounts": {n: a.address for n, a in run.actors.items()},
        "launches": launches_out,
        "tokens": tokens_out,
        "mt": mts,
        "revenue": revenue,
        "reward_pots": pots,
        "rewards": rewards,
        "explain": explained,
        "epochs": run.epochs,
        "traffic": run.traffic,
        "timeline": [
            {
                "label": s.label,
                "time": s.time,
                "supply": {k: str(v) for k, v in s.supply.items()},
                "burned": {k: str(v) for k, v in s.burned.items()},
            }
            for s in run.snapshots
        ],
        "skipped": run.skipped,
        "notes": run.notes,
        "checks": [c.to_json() for c in checks],
    }


def _flock_usdc_pair(client: Any, flock: str, usdc: str) -> str:
    factory = client.contract("Factory")
    return str(factory.functions.getPair(checksum(flock), checksum(usdc)).call())


EXPLAINED = ("carol", "erin", "grace")


def _explain(
    run: DemoRun,
    factory: sessionmaker[Session],
    doc: EpochFile,
    epoch: int,
    sym_of: dict[str, str],
) -> dict[str, Any]:
    """`fomo rewards explain` for a few accounts on the last epoch (why they earned it);
    ``doc`` is that epoch's loaded data file."""
    from fomo.db.models import GmLock
    from fomo.economics.epoch_explain import LockInfo, explain
    from fomo.epochs import gather

    out: dict[str, Any] = {}
    for name in EXPLAINED:
        acct = run.actors[name].lower
        with factory() as s:
            unattributed = gather.unattributed_spend(s.connection(), epoch, acct)
            g = s.get(GmLock, acct)
            lock = LockInfo(int(g.amount), int(g.unlock_time)) if g is not None else None
        body = explain(doc, acct, unattributed_spend=unattributed, lock=lock)
        out[name] = {
            "reasons": list(body["reasons"]),
            "effective_gmflock": str(body["effective_gmflock"]),
            "mts": {
                sym_of.get(str(m["token"]), str(m["token"])): {
                    k: str(m[k])
                    for k in (
                        "usage_share",
                        "stake_share",
                        "multiplier",
                        "alpha",
                        "global_flock",
                        "reserved_flock",
                        "mt_reward",
                    )
                    if k in m
                }
                | {"reasons": list(m["reasons"])}
                for m in body["mts"]
            },
        }
    return out
