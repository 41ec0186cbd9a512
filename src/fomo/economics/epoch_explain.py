"""Why an account earned what it did in an epoch (SPEC §8.7), from the data file alone.

For each MT the account used or staked on, the MT's own computation is replayed with
:func:`fomo.economics.day.compute_day` — a one-deployment day whose emission is the MT's recorded
allotment gives exactly the same participant results as the full day, because inside an MT
nothing depends on other MTs. Reasons are plain sentences; the database can add two facts the
file does not hold (usage on base model ids under Season 2, and the gmFLOCK lock's unlock time).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from fomo.economics.day import DayInput, ParticipantResult, compute_day
from fomo.economics.epoch_file import EpochFile
from fomo.economics.epoch_input import EpochInput, day_input
from fomo.economics.exact import floor_to_places
from fomo.economics.units import NANO_PER_USD, SECONDS_PER_DAY, format_units

NEAR_UNLOCK_DAYS = 30


@dataclass(frozen=True, slots=True)
class LockInfo:
    amount: int
    unlock_time: int


def _ratio_text(x: Fraction) -> str:
    """A share or factor for reading: floored to 6 places, trailing zeros dropped."""
    return floor_to_places(x, 6).rstrip("0").rstrip(".") if x else "0"


def _tok(wei: int) -> str:
    return format_units(wei, 18, strip=True)


def _usd(nano: int) -> str:
    return format_units(nano, 9, strip=True)


def _relevant(i: EpochInput, account: str) -> EpochInput:
    """The inputs restricted to the MTs ``account`` used, staked on or issued, with every
    participant of those MTs (shares need them all) — a day with millions of pairs is not
    recomputed for one account, and inside an MT nothing depends on other MTs."""
    tokens = {t for a, t in i.spend if a == account}
    tokens |= {t for a, t in i.stake if a == account}
    tokens |= {d.token for d in i.deployments if d.issuer == account}
    spend = {k: v for k, v in i.spend.items() if k[1] in tokens}
    stake = {k: v for k, v in i.stake.items() if k[1] in tokens}
    people = {a for a, _ in spend} | {a for a, _ in stake}
    return replace(
        i,
        deployments=tuple(d for d in i.deployments if d.token in tokens),
        spend=spend,
        stake=stake,
        gmflock={a: v for a, v in i.gmflock.items() if a in people},
        previous={},
    )


def explain(
    doc: EpochFile,
    account: str,
    *,
    unattributed_spend: int = 0,
    lock: LockInfo | None = None,
) -> dict[str, Any]:
    """The explanation of ``account`` in the epoch ``doc`` (a read data file)."""
    account = account.lower()
    inp = _relevant(doc.inputs, account)
    outputs = {d.token: d for d in doc.outputs.deployments}
    day = day_input(inp)
    params = inp.params
    end = inp.end_time
    gm = inp.gmflock.get(account, 0)
    general: list[str] = []
    if unattributed_spend:
        general.append(
            f"${_usd(unattributed_spend)} of your usage was on a base model id, which under "
            f"Season {params.season} counts toward no MT"
            + (
                "; call a deployment's own model id (<base>-<ticker>) to earn on its MT."
                if params.season == 2
                else " (you had no stake on a deployment of that base model)."
            )
        )
    if lock is not None and lock.amount and lock.unlock_time - end > 0:
        left = (lock.unlock_time - end) / SECONDS_PER_DAY
        if left < NEAR_UNLOCK_DAYS:
            general.append(
                f"Your gmFLOCK lock unlocks in {left:.1f} days, so its effective balance "
                f"(amount × time left / {params.gm_full_weight_days} days) is nearly zero and "
                "your multiplier is close to 1; extend the lock to keep it."
            )
    elif lock is not None and lock.amount and lock.unlock_time <= end:
        general.append("Your gmFLOCK lock has expired: it no longer raises your multiplier.")
    if not gm:
        general.append(
            f"No effective gmFLOCK: multiplier m = 1 (locking FLOCK raises it up to "
            f"{params.gm_max_multiplier})."
        )
    mts = []
    for dep in day.deployments:
        mine = next((p for p in dep.participants if p.account == account), None)
        is_issuer = dep.issuer == account
        if mine is None and not is_issuer:
            continue
        out = outputs[dep.token]
        one = compute_day(
            DayInput(
                deployments=(dep,),
                global_emission=out.emission,
                issuer_bonus_bps=inp.issuer_bonus_bps,
            ),
            params,
        )
        res = one.deployments[0]
        p: ParticipantResult | None = next(
            (x for x in res.participants if x.account == account), None
        )
        reasons: list[str] = []
        entry: dict[str, Any] = {
            "token": dep.token,
            "vintage_day": out.vintage_day,
            "alpha": _ratio_text(res.alpha),
            "mt_emission": _tok(res.emission),
            "mt_paid_revenue_usd": _usd(dep.paid_revenue),
        }
        if is_issuer:
            entry["issuer_bonus"] = _tok(res.issuer_bonus)
            reasons.append(f"You are this MT's issuer: {_tok(res.issuer_bonus)} FLOCK bonus.")
        if mine is not None and p is not None:
            entry.update(
                {
                    "gross_spend_usd": _usd(mine.gross_spend),
                    "stake_seconds": str(mine.stake),
                    "usage_share": _ratio_text(p.usage_share),
                    "stake_share": _ratio_text(p.stake_share),
                    "multiplier": _ratio_text(p.multiplier),
                    "global_score": _ratio_text(p.global_score),
                    "incentive_score": _ratio_text(p.incentive_score),
                    "global_share": _ratio_text(p.global_share),
                    "incentive_share": _ratio_text(p.incentive_share),
                    "global_flock": _tok(p.global_flock),
                    "reserved_flock": _tok(p.reserved_flock),
                    "mt_reward": _tok(p.mt_reward),
                }
            )
            if dep.paid_revenue == 0:
                reasons.append(
                    "Nobody paid for this MT today, so it got no share of the global emission."
                )
            if mine.gross_spend == 0:
                reasons.append(
                    "No usage on this MT's model id today: usage share 0, so no rewards "
                    "(staking alone earns nothing)."
                )
            if mine.stake == 0 and mine.gross_spend:
                reasons.append(
                    f"No stake on this MT: your global score uses only the floor "
                    f"α = {_ratio_text(res.alpha)}, and Reserved FLOCK and MT Reward need both "
                    "usage and stake, so you get 0 of them."
                )
            elif mine.gross_spend and p.stake_share < Fraction(1, 100):
                reasons.append(
                    f"Your stake is {_ratio_text(p.stake_share * 100)}% of this MT's stake: the "
                    "√stake term and the incentive score stay small."
                )
            if res.alpha < params.q(params.alpha_start) and mine.stake == 0 and mine.gross_spend:
                reasons.append(
                    f"This MT is {out.vintage_day} days old: α has fallen to "
                    f"{_ratio_text(res.alpha)}, so non-stakers get less of the emission than "
                    "early on."
                )
            if out.vintage_day >= params.vintage_days:
                reasons.append(
                    "The MT's 180-day Reserved FLOCK / MT Reward vintage is over: only the global "
                    "emission remains."
                )
            elif mine.stake and mine.gross_spend and dep.reserved_flock_released == 0:
                reasons.append("No Reserved FLOCK or MT Reward was released for this MT today.")
            if p.usage_share and dep.paid_revenue and p.global_flock == 0:
                reasons.append("Your share rounded down to zero base units.")
        entry["reasons"] = reasons
        mts.append(entry)
    if not mts:
        general.append(
            "No usage of, or stake on, any graduated MT this day: nothing to earn."
            if not unattributed_spend
            else "None of your usage counted toward an MT this day."
        )
    flock = inp.flock_token
    cumulative = {t: v for (a, t), v in doc.leaves.items() if a == account and v}
    today = {t: v for (a, t), v in doc.outputs.payouts.items() if a == account and v}
    return {
        "account": account,
        "epoch": inp.epoch,
        "effective_gmflock": _tok(gm),
        "season": params.season,
        "reasons": general,
        "mts": mts,
        "today": {("FLOCK" if t == flock else t): _tok(v) for t, v in sorted(today.items())},
        "cumulative": {
            ("FLOCK" if t == flock else t): _tok(v) for t, v in sorted(cumulative.items())
        },
        "spend_total_usd": _usd(sum(v for (a, _), v in inp.spend.items() if a == account)),
        "nano_per_usd": NANO_PER_USD,
    }
