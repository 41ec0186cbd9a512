"""An epoch's :class:`~fomo.economics.epoch_input.EpochInput`, gathered from the database and the
previous day's data file, and the economics parameters the settings select."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, text

from fomo.economics.epoch import paused_gc
from fomo.economics.epoch_file import EpochFile
from fomo.economics.epoch_input import EpochInput, Key, MTState
from fomo.economics.params import DEFAULT_PARAMS, EconomicsParams
from fomo.economics.units import SECONDS_PER_DAY
from fomo.epochs import gather


def previous_state(
    doc: EpochFile | None,
) -> tuple[dict[Key, int], dict[str, tuple[int, int]]]:
    """(cumulative leaves, per-MT vintage carry) left by the previous epoch's data file."""
    if doc is None:
        return {}, {}
    carry = {
        d.token: (d.reserved_flock.carried_out, d.mt_reward.carried_out)
        for d in doc.outputs.deployments
    }
    return dict(doc.leaves), carry


def gather_input(
    conn: Connection,
    epoch: int,
    *,
    flock_token: str,
    previous: EpochFile | None,
    capacity: Mapping[str, int] | None = None,
    params: EconomicsParams = DEFAULT_PARAMS,
    global_emission: int | None = None,
) -> EpochInput:
    """The epoch's :class:`EpochInput` from the database (and the previous data file).

    ``capacity`` is what the distributor can pay per token (from the chain); without it the
    indexed fundings are used (``Funded`` events; retirements are not indexed yet).
    """
    with paused_gc():
        return _gather_input(conn, epoch, flock_token, previous, capacity, params, global_emission)


def _gather_input(
    conn: Connection,
    epoch: int,
    flock_token: str,
    previous: EpochFile | None,
    capacity: Mapping[str, int] | None,
    params: EconomicsParams,
    global_emission: int | None,
) -> EpochInput:
    flock_token = flock_token.lower()
    grads = gather.graduated(conn, epoch)
    tokens = {g.token for g in grads}
    all_spend, rev = gather.usage(conn, epoch)
    pools = gather.pools(conn, flock_token)
    prev, carry = previous_state(previous)
    spend = {k: v for k, v in all_spend.items() if k[1] in tokens}
    stake = {k: v for k, v in gather.stake_seconds(conn, epoch).items() if k[1] in tokens}
    deployments = tuple(
        MTState(
            token=g.token,
            issuer=g.issuer,
            graduation_epoch=g.graduation_epoch,
            paid_revenue=rev[g.token].paid if g.token in rev else 0,
            compute_cost=rev[g.token].compute if g.token in rev else 0,
            reserved_flock_pool=pools.get(g.token, (0, 0))[0],
            mt_reward_pool=pools.get(g.token, (0, 0))[1],
            reserved_flock_carry=carry.get(g.token, (0, 0))[0],
            mt_reward_carry=carry.get(g.token, (0, 0))[1],
        )
        for g in grads
    )
    accounts = {a for a, _ in spend} | {a for a, _ in stake}
    gm = {a: v for a, v in gather.effective_gmflock(conn, epoch, params).items() if a in accounts}
    cap = dict(capacity) if capacity is not None else gather.funded(conn)
    return EpochInput(
        epoch=epoch,
        flock_token=flock_token,
        deployments=deployments,
        spend=spend,
        stake=stake,
        gmflock=gm,
        previous=prev,
        capacity={t.lower(): v for t, v in cap.items()},
        global_emission=global_emission,
        params=params,
    )


def params_from_settings(settings: Any) -> EconomicsParams:
    """The economics parameters the platform settings select (season, emission)."""
    return DEFAULT_PARAMS.with_overrides(
        {
            "season": int(settings.season),
            "daily_emission": int(settings.emission_per_epoch),
            "dispute_window_seconds": int(settings.epoch_dispute_window_seconds),
        }
    )


def first_day(conn: Connection) -> int | None:
    """The first epoch worth computing: the day of the first graduation."""
    v = conn.execute(
        text("SELECT MIN(graduated_time) FROM launches WHERE graduated_time IS NOT NULL")
    ).scalar()
    return None if v is None else int(v) // SECONDS_PER_DAY
