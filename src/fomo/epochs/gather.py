"""Gather one epoch's inputs from the database, aggregated in SQL.

The hot paths are single ``GROUP BY`` queries, so the cost grows with the number of *groups*
((account, MT) pairs), never with Python work per usage row:

* gross spend per (account, MT) = ``SUM(gross_nano_usd)`` of the day's charged usage records.
  Season 1/2 attribution is already in the record (``deployment``, set by the gateway at request
  time from the model id and — Season 1 only — the user's most-staked deployment of the base
  model); usage on a base model id under Season 2 has no deployment and counts toward no MT;
* paid revenue and compute cost per MT = ``SUM`` of the same records per deployment;
* time-weighted stake over ``[S, E)``: the active stake changes only at stake events
  (``stake`` +amount, ``unstake`` −amount; ``withdraw`` empties the cooldown, which never
  counted), so ``∫ stake dt = Σ_{t_ev < E} δ_ev · (E − max(t_ev, S))`` — one ``SUM`` per group.
  Amounts are uint256 stored as text on SQLite (``fomo.db.base.Amount``); SQLite integers are
  64-bit, so the sum is taken over nine 9-digit slices of the text and recombined exactly in
  Python. PostgreSQL's ``NUMERIC`` sums exactly as is.
* effective gmFLOCK at ``E``: the lock events before ``E`` folded per account (these rows are
  few — one per lock action, not per request), then ``amount × remaining / 365 d``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from sys import intern
from typing import Any

from sqlalchemy import Connection, text

from fomo.economics import gmflock
from fomo.economics.epoch_input import Key
from fomo.economics.params import DEFAULT_PARAMS, EconomicsParams
from fomo.economics.units import SECONDS_PER_DAY

# An encoded Amount is "0" + 78 digits: one 6-digit head slice, then eight 9-digit slices.
_SLICES = ((2, 6), *((8 + 9 * j, 9) for j in range(8)))


@dataclass(frozen=True, slots=True)
class Revenue:
    gross: int
    paid: int
    compute: int


@dataclass(frozen=True, slots=True)
class Graduated:
    token: str
    issuer: str
    graduation_epoch: int


def _sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def usage(conn: Connection, epoch: int) -> tuple[dict[Key, int], dict[str, Revenue]]:
    """One scan of the day's charged, attributed usage: (gross spend per (account, MT),
    gross/paid/compute per MT). The per-MT totals are summed from the per-pair groups (one
    Python step per group, never per usage row)."""
    rows = conn.execute(
        text(
            "SELECT account, deployment, SUM(gross_nano_usd), SUM(paid_nano_usd), "
            "SUM(compute_cost_nano_usd) FROM gateway_usage "
            "WHERE day = :day AND deployment IS NOT NULL AND charged "
            # the order of ix_gateway_usage_epoch: a covering range scan, no sort
            "GROUP BY deployment, account"
        ),
        {"day": epoch},
    )
    spend: dict[Key, int] = {}
    totals: dict[str, list[int]] = {}
    for a, t, g, p, c in rows:
        # one string object per account and per MT, not one per row (millions of pairs)
        a, t = intern(a), intern(t)
        if g:
            spend[(a, t)] = int(g)
        acc = totals.get(t)
        if acc is None:
            acc = totals[t] = [0, 0, 0]
        acc[0] += int(g or 0)
        acc[1] += int(p or 0)
        acc[2] += int(c or 0)
    return spend, {t: Revenue(v[0], v[1], v[2]) for t, v in totals.items()}


def spend(conn: Connection, epoch: int) -> dict[Key, int]:
    """Gross spend (nano-USD) per (account, MT) of the day's charged, attributed usage."""
    return usage(conn, epoch)[0]


def revenue(conn: Connection, epoch: int) -> dict[str, Revenue]:
    """Gross, paid and compute cost (nano-USD) per MT for the day."""
    rows = conn.execute(
        text(
            "SELECT deployment, SUM(gross_nano_usd), SUM(paid_nano_usd), "
            "SUM(compute_cost_nano_usd) FROM gateway_usage "
            "WHERE day = :day AND deployment IS NOT NULL AND charged GROUP BY deployment"
        ),
        {"day": epoch},
    )
    return {t: Revenue(int(g or 0), int(p or 0), int(c or 0)) for t, g, p, c in rows}


def unattributed_spend(conn: Connection, epoch: int, account: str) -> int:
    """Gross spend of ``account`` on base model ids that counted toward no MT (explainer)."""
    v = conn.execute(
        text(
            "SELECT SUM(gross_nano_usd) FROM gateway_usage "
            "WHERE day = :day AND account = :a AND deployment IS NULL AND charged"
        ),
        {"day": epoch, "a": account},
    ).scalar()
    return int(v or 0)


def stake_seconds(conn: Connection, epoch: int) -> dict[Key, int]:
    """Active stake integrated over the epoch, wei·seconds, per (account, MT).

    This SQL mirrors the rule's one home, :func:`fomo.economics.staking.stake_seconds`;
    ``tests/epochs/test_gather_run.py::test_sql_aggregates_match_the_python_reference`` holds
    the two equal, so change them together."""
    start, end = epoch * SECONDS_PER_DAY, (epoch + 1) * SECONDS_PER_DAY
    sign = "(CASE kind WHEN 'stake' THEN 1 WHEN 'unstake' THEN -1 ELSE 0 END)"
    dt = (
        "(:end - MAX(block_time, :start))"
        if _sqlite(conn)
        else "(:end - GREATEST(block_time, :start))"
    )
    params = {"start": start, "end": end}
    out: dict[Key, int] = {}
    if _sqlite(conn):
        # Each slice's products stay far below 2**63 (< 10**9 × 86,400 per event).
        sums = ", ".join(
            f"SUM({sign} * {dt} * CAST(substr(amount, {pos}, {n}) AS INTEGER))"
            for pos, n in _SLICES
        )
        rows = conn.execute(
            text(
                f"SELECT account, token, {sums} FROM stake_events "
                "WHERE block_time < :end AND kind IN ('stake', 'unstake') GROUP BY account, token"
            ),
            params,
        )
        for row in rows:
            total = 0
            for (_, n), part in zip(_SLICES, row[2:], strict=True):
                total = total * 10**n + int(part or 0)
            if total:
                out[(intern(row[0]), intern(row[1]))] = total
        return out
    rows = conn.execute(
        text(
            f"SELECT account, token, SUM({sign} * {dt} * amount) FROM stake_events "
            "WHERE block_time < :end AND kind IN ('stake', 'unstake') GROUP BY account, token"
        ),
        params,
    )
    for a, t, v in rows:
        if v:
            out[(a, t)] = int(Decimal(v))
    return out


def _amount(value: Any) -> int:
    """A raw Amount column value (SQLite text encoding or PostgreSQL NUMERIC) as int."""
    if isinstance(value, str):
        magnitude = int(value[1:])
        return magnitude - 10**78 if value[0] == "-" else magnitude
    return int(value)


def effective_gmflock(
    conn: Connection, epoch: int, params: EconomicsParams = DEFAULT_PARAMS
) -> dict[str, int]:
    """Effective gmFLOCK wei per account at the epoch's end (locks as of just before it)."""
    end = (epoch + 1) * SECONDS_PER_DAY
    rows = conn.execute(
        text(
            "SELECT account, kind, amount, unlock_time FROM gm_lock_events "
            "WHERE block_time < :end ORDER BY account, block_number, log_index"
        ),
        {"end": end},
    )
    locks: dict[str, tuple[int, int]] = {}
    for account, kind, raw, unlock in rows:
        amount, _ = locks.get(account, (0, 0))
        if kind == "create":
            locks[account] = (_amount(raw), unlock)
        elif kind == "increase":
            locks[account] = (amount + _amount(raw), unlock)
        elif kind == "extend":
            locks[account] = (amount, unlock)
        else:
            locks[account] = (0, 0)
    out = {}
    for account, (amount, unlock) in locks.items():
        g = gmflock.effective_balance(amount, unlock - end, params)
        if g:
            out[account] = g
    return out


def graduated(conn: Connection, epoch: int) -> list[Graduated]:
    """Deployments graduated before the epoch's end, issuer = the launch's creator."""
    end = (epoch + 1) * SECONDS_PER_DAY
    rows = conn.execute(
        text(
            "SELECT token, creator, graduated_time FROM launches "
            "WHERE graduated_time IS NOT NULL AND graduated_time < :end ORDER BY token"
        ),
        {"end": end},
    )
    return [Graduated(t, c, int(g) // SECONDS_PER_DAY) for t, c, g in rows]


def pools(conn: Connection, flock_token: str) -> dict[str, tuple[int, int]]:
    """Per MT, (Reserved FLOCK, MT Reward) funded into the distributor for its pool."""
    rows = conn.execute(text("SELECT pool, token, amount FROM reward_fundings"))
    out: dict[str, list[int]] = {}
    for pool, token, raw in rows:
        if pool == "0x" + "00" * 20:
            continue
        entry = out.setdefault(pool, [0, 0])
        if token == flock_token:
            entry[0] += _amount(raw)
        elif token == pool:
            entry[1] += _amount(raw)
    return {p: (v[0], v[1]) for p, v in out.items()}


def funded(conn: Connection) -> dict[str, int]:
    """Per token, everything funded into the distributor (indexed ``Funded`` events)."""
    out: dict[str, int] = {}
    for token, raw in conn.execute(text("SELECT token, amount FROM reward_fundings")):
        out[token] = out.get(token, 0) + _amount(raw)
    return out


def revenue_carry(conn: Connection, epoch: int) -> dict[str, int]:
    """Per MT, the net revenue carried out of its latest settled epoch before ``epoch``."""
    rows = conn.execute(
        text(
            "SELECT s.token, s.carry_forward_nano_usd FROM settlements s "
            "WHERE s.epoch = (SELECT MAX(epoch) FROM settlements x "
            "WHERE x.token = s.token AND x.epoch < :e)"
        ),
        {"e": epoch},
    )
    return {t: _amount(v) for t, v in rows}
