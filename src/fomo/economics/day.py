"""One epoch's rewards for a set of deployments: the API the epoch engine and the CLI call.

Input amounts are integers in base units: FLOCK/MT wei, and nano-USD for revenue and spend.
Stake may be in any consistent unit (MT wei, or stake-seconds for a time-weighted stake): only
its share within the deployment matters. The function is pure: the same input gives the same
output on every machine (see :mod:`fomo.economics.exact`).

Per epoch (SPEC §8):

1. the global emission is split across deployments with paid revenue > 0 by Deployment Score;
2. inside each, ``issuer_bonus_bps`` (10%) of its emission goes to the issuer and the rest to
   participants by normalized ``global_score``;
3. the Reserved FLOCK and MT Reward available today are split by normalized ``incentive_score``;
   whatever is not paid (nobody eligible, or floor dust) rolls over to the next day.

Floor dust of the emission stays in the emission reserve and is reported as ``emission_dust``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Final

from fomo.economics import gmflock, rewards
from fomo.economics.params import DEFAULT_PARAMS, ISSUER_BONUS_MAX_BPS, EconomicsParams
from fomo.economics.units import BPS

FLOCK: Final = "FLOCK"
"""The asset key of FLOCK payouts in :meth:`DayResult.payouts` (MT payouts use the token id)."""


@dataclass(frozen=True, slots=True)
class ParticipantInput:
    """One account's activity on one deployment during the epoch."""

    account: str
    gross_spend: int
    """Gross (list-price) spend attributed to this deployment, nano-USD."""
    stake: int
    """Time-weighted stake on this deployment (only the share matters)."""
    effective_gmflock: int = 0
    """Effective gmFLOCK wei of the account (global across deployments)."""
    multiplier: Fraction | None = None
    """Override of ``m(G)``; must lie in ``[1, M]``."""


@dataclass(frozen=True, slots=True)
class DeploymentInput:
    """One deployment (MT) in the epoch."""

    token: str
    issuer: str
    age_days: Fraction
    """Days since graduation at the epoch (may be fractional)."""
    paid_revenue: int
    """Paid (after-discount) revenue in the epoch, nano-USD."""
    reserved_flock_released: int = 0
    """Reserved FLOCK wei available today (today's vintage release plus any roll-over)."""
    mt_reward_released: int = 0
    """MT Reward wei available today (today's vintage release plus any roll-over)."""
    participants: tuple[ParticipantInput, ...] = ()
    alpha: Fraction | None = None
    """Override of ``α(age)``; must lie in ``[0, 1]``."""


@dataclass(frozen=True, slots=True)
class DayInput:
    """Everything one epoch's reward computation needs."""

    deployments: tuple[DeploymentInput, ...]
    global_emission: int | None = None
    """FLOCK wei emitted today; ``None`` means ``params.daily_emission``."""
    issuer_bonus_bps: int | None = None
    """Override of ``params.issuer_bonus_bps``."""


@dataclass(frozen=True, slots=True)
class ParticipantResult:
    account: str
    usage_share: Fraction
    stake_share: Fraction
    alpha: Fraction
    multiplier: Fraction
    global_score: Fraction
    incentive_score: Fraction
    global_share: Fraction
    """Normalized global score: this account's share of the deployment's user emission."""
    incentive_share: Fraction
    """Normalized incentive score: share of Reserved FLOCK and MT Reward."""
    global_flock: int
    reserved_flock: int
    mt_reward: int


@dataclass(frozen=True, slots=True)
class DeploymentResult:
    token: str
    issuer: str
    age_days: Fraction
    alpha: Fraction
    age_factor: Fraction
    score: Fraction
    """Deployment Score: paid revenue (nano-USD) × age factor."""
    emission_share: Fraction
    emission: int
    """FLOCK wei of the global emission allotted to this deployment."""
    issuer_bonus: int
    users_emission: int
    global_paid: int
    global_dust: int
    """Part of ``users_emission`` not paid (floor dust, or all when nobody used the MT)."""
    reserved_flock_released: int
    reserved_flock_paid: int
    reserved_flock_rolled_over: int
    mt_reward_released: int
    mt_reward_paid: int
    mt_reward_rolled_over: int
    participants: tuple[ParticipantResult, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class DayResult:
    global_emission: int
    issuer_bonus_bps: int
    emission_allocated: int
    """Sum of the deployments' emission allotments (the rest is the MT-level floor dust)."""
    emission_paid: int
    emission_dust: int
    """``global_emission − emission_paid``: stays in the emission reserve."""
    deployments: tuple[DeploymentResult, ...]

    def payouts(self) -> dict[tuple[str, str], int]:
        """Total per (account, asset): asset :data:`FLOCK` or the MT's token id; zeros omitted."""
        out: dict[tuple[str, str], int] = {}

        def add(account: str, asset: str, amount: int) -> None:
            if amount:
                out[(account, asset)] = out.get((account, asset), 0) + amount

        for dep in self.deployments:
            add(dep.issuer, FLOCK, dep.issuer_bonus)
            for p in dep.participants:
                add(p.account, FLOCK, p.global_flock + p.reserved_flock)
                add(p.account, dep.token, p.mt_reward)
        return out


def validate_day(day: DayInput, params: EconomicsParams = DEFAULT_PARAMS) -> None:
    """Check ``day`` as :func:`compute_day` does; raises ``ValueError`` naming the offending
    field. Public so that other evaluators of a :class:`DayInput` apply the very same checks."""
    m_max = params.q(params.gm_max_multiplier)
    seen_tokens: set[str] = set()
    account_gm: dict[str, tuple[int, Fraction | None]] = {}
    if day.global_emission is not None and day.global_emission < 0:
        raise ValueError("global_emission must not be negative")
    bonus = day.issuer_bonus_bps
    if bonus is not None and not 0 <= bonus <= ISSUER_BONUS_MAX_BPS:
        raise ValueError(f"issuer_bonus_bps must lie in [0, {ISSUER_BONUS_MAX_BPS}]")
    for i, dep in enumerate(day.deployments):
        where = f"deployments[{i}] ({dep.token})"
        if not dep.token:
            raise ValueError(f"deployments[{i}]: token must not be empty")
        if dep.token in seen_tokens:
            raise ValueError(f"{where}: token listed twice")
        seen_tokens.add(dep.token)
        if dep.age_days < 0:
            raise ValueError(f"{where}: age_days must not be negative")
        for name in ("paid_revenue", "reserved_flock_released", "mt_reward_released"):
            if getattr(dep, name) < 0:
                raise ValueError(f"{where}: {name} must not be negative")
        if dep.alpha is not None and not 0 <= dep.alpha <= 1:
            raise ValueError(f"{where}: alpha must lie in [0, 1]")
        seen_accounts: set[str] = set()
        for j, p in enumerate(dep.participants):
            pwhere = f"{where}.participants[{j}] ({p.account})"
            if not p.account:
                raise ValueError(f"{where}.participants[{j}]: account must not be empty")
            if p.account in seen_accounts:
                raise ValueError(f"{pwhere}: account listed twice in one deployment")
            seen_accounts.add(p.account)
            for name in ("gross_spend", "stake", "effective_gmflock"):
                if getattr(p, name) < 0:
                    raise ValueError(f"{pwhere}: {name} must not be negative")
            if p.multiplier is not None and not 1 <= p.multiplier <= m_max:
                raise ValueError(f"{pwhere}: multiplier must lie in [1, {m_max}]")
            gm = (p.effective_gmflock, p.multiplier)
            if account_gm.setdefault(p.account, gm) != gm:
                raise ValueError(
                    f"{pwhere}: gmFLOCK is global per account, but this account has a different "
                    "effective_gmflock or multiplier in another deployment"
                )


def _deployment(
    dep: DeploymentInput,
    emission: int,
    emission_share: Fraction,
    score: Fraction,
    bonus_bps: int,
    params: EconomicsParams,
) -> DeploymentResult:
    a = dep.alpha if dep.alpha is not None else rewards.alpha(dep.age_days, params)
    ps = dep.participants
    usage = rewards.shares([p.gross_spend for p in ps])
    stake = rewards.shares([p.stake for p in ps])
    mult = [
        p.multiplier
        if p.multiplier is not None
        else gmflock.multiplier(p.effective_gmflock, params)
        for p in ps
    ]
    g_scores = [
        rewards.global_score(u, s, a, m) for u, s, m in zip(usage, stake, mult, strict=True)
    ]
    i_scores = [
        rewards.incentive_score(u, s, m) for u, s, m in zip(usage, stake, mult, strict=True)
    ]
    g_shares, i_shares = rewards.shares(g_scores), rewards.shares(i_scores)

    bonus = emission * bonus_bps // BPS
    g_split = rewards.split_floor(emission - bonus, g_scores)
    r_split = rewards.split_floor(dep.reserved_flock_released, i_scores)
    m_split = rewards.split_floor(dep.mt_reward_released, i_scores)

    results = tuple(
        ParticipantResult(
            account=p.account,
            usage_share=usage[k],
            stake_share=stake[k],
            alpha=a,
            multiplier=mult[k],
            global_score=g_scores[k],
            incentive_score=i_scores[k],
            global_share=g_shares[k],
            incentive_share=i_shares[k],
            global_flock=g_split.amounts[k],
            reserved_flock=r_split.amounts[k],
            mt_reward=m_split.amounts[k],
        )
        for k, p in enumerate(ps)
    )
    return deployment_result(
        dep, a, score, emission_share, emission, bonus, g_split, r_split, m_split, params, results
    )


def deployment_result(
    dep: DeploymentInput,
    alpha: Fraction,
    score: Fraction,
    emission_share: Fraction,
    emission: int,
    issuer_bonus: int,
    global_split: rewards.Split,
    reserved_split: rewards.Split,
    mt_split: rewards.Split,
    params: EconomicsParams,
    participants: tuple[ParticipantResult, ...] = (),
) -> DeploymentResult:
    """A deployment's totals from its three pool splits (shared with the integer fast path)."""
    return DeploymentResult(
        token=dep.token,
        issuer=dep.issuer,
        age_days=dep.age_days,
        alpha=alpha,
        age_factor=rewards.age_factor(dep.age_days, params),
        score=score,
        emission_share=emission_share,
        emission=emission,
        issuer_bonus=issuer_bonus,
        users_emission=emission - issuer_bonus,
        global_paid=global_split.paid,
        global_dust=global_split.dust,
        reserved_flock_released=dep.reserved_flock_released,
        reserved_flock_paid=reserved_split.paid,
        reserved_flock_rolled_over=reserved_split.dust,
        mt_reward_released=dep.mt_reward_released,
        mt_reward_paid=mt_split.paid,
        mt_reward_rolled_over=mt_split.dust,
        participants=participants,
    )


DeploymentFn = Callable[[DeploymentInput, int, Fraction, Fraction, int], DeploymentResult]
"""``(deployment, its emission allotment, emission share, Deployment Score, issuer bonus bps)``
→ its result: the per-deployment step of :func:`evaluate_day`."""


def evaluate_day(day: DayInput, params: EconomicsParams, deployment: DeploymentFn) -> DayResult:
    """The day-level part of the computation (emission split across deployments by Deployment
    Score, totals), with the per-deployment step supplied: :func:`compute_day` and the integer
    fast path differ only there. Does not validate ``day``."""
    emission = params.daily_emission if day.global_emission is None else day.global_emission
    bonus_bps = params.issuer_bonus_bps if day.issuer_bonus_bps is None else day.issuer_bonus_bps
    deps: Sequence[DeploymentInput] = day.deployments
    scores = [rewards.deployment_score(d.paid_revenue, d.age_days, params) for d in deps]
    emission_shares = rewards.shares(scores)
    allot = rewards.split_floor(emission, scores)
    results = tuple(
        deployment(d, allot.amounts[k], emission_shares[k], scores[k], bonus_bps)
        for k, d in enumerate(deps)
    )
    paid = sum(r.issuer_bonus + r.global_paid for r in results)
    return DayResult(
        global_emission=emission,
        issuer_bonus_bps=bonus_bps,
        emission_allocated=allot.paid,
        emission_paid=paid,
        emission_dust=emission - paid,
        deployments=results,
    )


def compute_day(day: DayInput, params: EconomicsParams = DEFAULT_PARAMS) -> DayResult:
    """Compute one epoch's rewards. Raises ``ValueError`` naming the offending field."""
    validate_day(day, params)
    return evaluate_day(
        day, params, lambda d, e, share, score, bps: _deployment(d, e, share, score, bps, params)
    )
