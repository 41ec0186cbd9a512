"""The demo report's rewards: the distributor's pots, every leaf of the last root against what
was claimed, and `fomo rewards explain` for a few accounts."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from fomo.demo.chain import checksum
from fomo.demo.report_checks import Check, eq
from fomo.demo.report_context import ReportContext
from fomo.demo.run import DemoRun
from fomo.economics.epoch_file import EpochFile


def reward_pots(cx: ReportContext) -> dict[str, Any]:
    """RewardDistributor: funded − retired − claimed = held, per reward token."""
    run, op, checks = cx.run, cx.op, cx.checks
    flock_addr = cx.flock_addr
    dist, flock = cx.dist, cx.flock
    grads = cx.grads
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
            eq(
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

    return pots


def account_rewards(cx: ReportContext) -> tuple[dict[str, Any], dict[str, Any]]:
    """Cumulative and claimed per account and token (last data file), and the explanations."""
    run, factory, checks, who = cx.run, cx.factory, cx.checks, cx.who
    dist = cx.dist
    sym_of = cx.sym_of
    # -- rewards per account (last data file) and claims ---------------------------------------
    rewards: dict[str, dict[str, dict[str, str]]] = {}
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

    return rewards, explained


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
