"""An epoch's inputs (already aggregated per account and MT), their validation, the day they
give to :func:`fomo.economics.day.compute_day`, and the solvency check (pure: no I/O, no clock).

1. per graduated MT, today's Reserved FLOCK and MT Reward = the vintage's daily release
   (:mod:`fomo.economics.vintage`, day ``d = epoch − graduation epoch``) + yesterday's roll-over;
2. participants of an MT = every account with gross spend *or* time-weighted stake on it
   (stakers without usage earn nothing but still count in the stake total, so nobody's
   ``stake_share`` is inflated);
3. solvency: per token, the cumulative total must not exceed what the distributor can ever pay
   (``funded − retired``), else :class:`InsolventEpoch`.

The computation itself is :func:`fomo.economics.epoch.assemble`; the data file is
:mod:`fomo.economics.epoch_file`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from fomo.economics import vintage
from fomo.economics.day import DayInput, DeploymentInput, ParticipantInput
from fomo.economics.params import DEFAULT_PARAMS, EconomicsParams
from fomo.economics.units import SECONDS_PER_DAY

Key = tuple[str, str]
"""(account, token), both lower-case 0x addresses."""


@dataclass(frozen=True, slots=True)
class Shortfall:
    token: str
    required: int
    capacity: int

    @property
    def missing(self) -> int:
        return self.required - self.capacity


class InsolventEpoch(RuntimeError):
    """The epoch would promise more of some token than the distributor can pay. Never publish."""

    def __init__(self, epoch: int, shortfalls: Iterable[Shortfall]) -> None:
        self.epoch = epoch
        self.shortfalls = tuple(shortfalls)
        lines = [
            f"  token {s.token}: cumulative rewards {s.required} > funded−retired {s.capacity} "
            f"(short by {s.missing})"
            for s in self.shortfalls
        ]
        super().__init__(
            f"REFUSING TO PUBLISH epoch {epoch}: the RewardDistributor cannot cover it\n"
            + "\n".join(lines)
        )


@dataclass(frozen=True, slots=True)
class MTState:
    """One graduated deployment as the epoch sees it."""

    token: str
    issuer: str
    graduation_epoch: int
    """UTC day of graduation = vintage day 0 (age 0)."""
    paid_revenue: int = 0
    """Paid revenue in the epoch, nano-USD (drives the Deployment Score)."""
    compute_cost: int = 0
    """Compute cost in the epoch, nano-USD (published; the net is settled, not rewarded)."""
    reserved_flock_pool: int = 0
    """Whole Reserved FLOCK pool of the vintage, wei."""
    mt_reward_pool: int = 0
    """Whole MT Reward pool of the vintage, wei."""
    reserved_flock_carry: int = 0
    """Reserved FLOCK rolled over from the previous epoch."""
    mt_reward_carry: int = 0
    """MT Reward rolled over from the previous epoch."""


@dataclass(frozen=True, slots=True)
class EpochInput:
    epoch: int
    """UTC day number (days since 1970-01-01)."""
    flock_token: str
    """FLOCK address: the token of Global and Reserved FLOCK leaves."""
    deployments: tuple[MTState, ...]
    spend: Mapping[Key, int]
    """Gross spend, nano-USD, per (account, MT) — already attributed (Season 1/2)."""
    stake: Mapping[Key, int]
    """Time-weighted stake (wei·seconds over the epoch) per (account, MT)."""
    gmflock: Mapping[str, int]
    """Effective gmFLOCK wei per account at the epoch's end."""
    previous: Mapping[Key, int]
    """Cumulative rewards per (account, token) after the previous epoch."""
    capacity: Mapping[str, int]
    """Per token, what the distributor can ever pay: ``funded − retired``."""
    global_emission: int | None = None
    issuer_bonus_bps: int | None = None
    params: EconomicsParams = DEFAULT_PARAMS

    @property
    def start_time(self) -> int:
        return self.epoch * SECONDS_PER_DAY

    @property
    def end_time(self) -> int:
        return (self.epoch + 1) * SECONDS_PER_DAY


# -- validation ----------------------------------------------------------------------------


_ADDRESS = re.compile(r"0x[0-9a-f]{40}")


def _addr(value: str, what: str) -> str:
    if not isinstance(value, str) or _ADDRESS.fullmatch(value) is None:
        raise ValueError(f"{what} must be a lower-case 0x address, got {value!r}")
    return value


def _amount(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative int, got {value!r}")
    return value


def validate(inp: EpochInput) -> None:
    if inp.epoch < 0:
        raise ValueError("epoch must not be negative")
    _addr(inp.flock_token, "flock_token")
    tokens = set()
    for m in inp.deployments:
        _addr(m.token, "deployment token")
        _addr(m.issuer, f"issuer of {m.token}")
        if m.token in tokens:
            raise ValueError(f"deployment {m.token} listed twice")
        if m.token == inp.flock_token:
            raise ValueError("a deployment token cannot be the FLOCK token")
        tokens.add(m.token)
        if m.graduation_epoch > inp.epoch:
            raise ValueError(f"{m.token} graduates after epoch {inp.epoch}")
        for name in (
            "paid_revenue",
            "compute_cost",
            "reserved_flock_pool",
            "mt_reward_pool",
            "reserved_flock_carry",
            "mt_reward_carry",
        ):
            _amount(getattr(m, name), f"{m.token}.{name}")
    for what, table in (("spend", inp.spend), ("stake", inp.stake)):
        for (account, token), v in table.items():
            _addr(account, f"{what} account")
            if token not in tokens:
                raise ValueError(f"{what} of {account} on unknown deployment {token!r}")
            _amount(v, f"{what}[{account}, {token}]")
    for account, v in inp.gmflock.items():
        _addr(account, "gmflock account")
        _amount(v, f"gmflock[{account}]")
    for (account, token), v in inp.previous.items():
        _addr(account, "previous account")
        _addr(token, "previous token")
        _amount(v, f"previous[{account}, {token}]")
    for token, v in inp.capacity.items():
        _addr(token, "capacity token")
        _amount(v, f"capacity[{token}]")


# -- the day --------------------------------------------------------------------------------


def day_input(inp: EpochInput) -> DayInput:
    """The :class:`DayInput` of the epoch (deployments and participants in sorted order)."""
    params = inp.params
    by_token: dict[str, dict[str, list[int]]] = {m.token: {} for m in inp.deployments}
    for (account, token), v in inp.spend.items():
        by_token[token].setdefault(account, [0, 0])[0] = v
    for (account, token), v in inp.stake.items():
        by_token[token].setdefault(account, [0, 0])[1] = v
    deps = []
    for m in sorted(inp.deployments, key=lambda d: d.token):
        d = inp.epoch - m.graduation_epoch
        people = by_token[m.token]
        deps.append(
            DeploymentInput(
                token=m.token,
                issuer=m.issuer,
                age_days=Fraction(d),
                paid_revenue=m.paid_revenue,
                reserved_flock_released=vintage.daily_release(m.reserved_flock_pool, d, params)
                + m.reserved_flock_carry,
                mt_reward_released=vintage.daily_release(m.mt_reward_pool, d, params)
                + m.mt_reward_carry,
                participants=tuple(
                    ParticipantInput(
                        account=a,
                        gross_spend=people[a][0],
                        stake=people[a][1],
                        effective_gmflock=inp.gmflock.get(a, 0),
                    )
                    for a in sorted(people)
                    if people[a][0] or people[a][1]
                ),
            )
        )
    return DayInput(
        deployments=tuple(deps),
        global_emission=inp.global_emission,
        issuer_bonus_bps=inp.issuer_bonus_bps,
    )


def solvency(cumulative: Mapping[Key, int], capacity: Mapping[str, int]) -> list[Shortfall]:
    totals: dict[str, int] = {}
    for (_, token), v in cumulative.items():
        totals[token] = totals.get(token, 0) + v
    return [
        Shortfall(token, total, capacity.get(token, 0))
        for token, total in sorted(totals.items())
        if total > capacity.get(token, 0)
    ]
