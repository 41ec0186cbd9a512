"""Upstream pools, the pure core: which replica serves the next attempt, and each replica's breaker.

A model id is served by a pool of one or more replicas (vLLM / SGLang / Ollama / any
OpenAI-compatible server). This module decides, without I/O or a clock of its own (``now`` is
passed in, in seconds of a monotonic clock):

* **selection** — smooth weighted round-robin (nginx's): over any run of picks among the same
  replicas, each gets its weight's share, evenly interleaved, with no random numbers to seed;
* **health** — the last health check's verdict; a replica that failed it is skipped, unless no
  replica passes (then health is ignored: a wrong health-check path must not take a model down);
* **circuit breaker** per replica — ``closed`` counts consecutive failures and opens at
  ``failures``; ``open`` admits nothing until ``cooldown_s`` has passed, then is ``half_open``
  and admits exactly one trial attempt at a time; the trial's success closes it, its failure
  re-opens it for another cooldown.

A *failure* is what happened before the first byte reached the client: a connect error, a
timeout before the response began, an HTTP 5xx. The I/O side (``fomo.gateway.pools``) reports
each attempt's outcome here and tries the next replica :meth:`UpstreamPool.acquire` gives it.

State lives in one gateway process (see docs/decisions.md, "Upstream pools"): each worker learns
that a replica died from its own first failures or health check.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class BreakerState(enum.Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


BREAKER_GAUGE = {BreakerState.CLOSED: 0, BreakerState.HALF_OPEN: 1, BreakerState.OPEN: 2}
"""The breaker state as a number for the ``/metrics`` gauge (higher = less traffic)."""


@dataclass
class Breaker:
    """One replica's circuit breaker: a state machine driven by outcomes and the time."""

    failures: int
    """Consecutive failures that open the breaker."""
    cooldown_s: float
    """How long an open breaker admits nothing before it lets one trial through."""
    state: BreakerState = BreakerState.CLOSED
    consecutive_failures: int = 0
    opened_at: float = 0.0
    trial_in_flight: bool = False
    opened_count: int = 0
    """How many times it opened (for ``/metrics``)."""

    def state_at(self, now: float) -> BreakerState:
        """The state as seen at ``now``: an open breaker past its cooldown is half-open."""
        if self.state is BreakerState.OPEN and now >= self.opened_at + self.cooldown_s:
            return BreakerState.HALF_OPEN
        return self.state

    def admits(self, now: float) -> bool:
        """Would an attempt started at ``now`` be let through?"""
        state = self.state_at(now)
        if state is BreakerState.CLOSED:
            return True
        return state is BreakerState.HALF_OPEN and not self.trial_in_flight

    def retry_after(self, now: float) -> float:
        """Seconds until this breaker admits an attempt again (0 if it does now)."""
        if self.admits(now) or self.state is not BreakerState.OPEN:
            return 0.0
        return max(self.opened_at + self.cooldown_s - now, 0.0)

    def on_attempt(self, now: float) -> bool:
        """An admitted attempt starts; returns whether it is the half-open trial."""
        if self.state_at(now) is BreakerState.HALF_OPEN:
            self.state = BreakerState.HALF_OPEN
            self.trial_in_flight = True
            return True
        return False

    def on_success(self, trial: bool) -> None:
        if trial or self.state is BreakerState.CLOSED:
            self.state = BreakerState.CLOSED
            self.consecutive_failures = 0
            self.trial_in_flight = False
        # else: an attempt begun before the breaker opened; the breaker waits for its own trial

    def on_failure(self, now: float, trial: bool) -> None:
        if trial:
            self.trial_in_flight = False
        elif self.state is BreakerState.CLOSED:
            self.consecutive_failures += 1
            if self.consecutive_failures < self.failures:
                return
        else:
            return  # an attempt begun before the breaker opened: its cooldown already runs
        self.state = BreakerState.OPEN
        self.opened_at = now
        self.opened_count += 1

    def on_abandon(self, trial: bool) -> None:
        """An attempt ended with no verdict on the replica (the client left first): the trial
        slot it held is free again, nothing else changes."""
        if trial:
            self.trial_in_flight = False


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try of one replica, as :meth:`UpstreamPool.acquire` handed it out."""

    index: int
    trial: bool
    """It is the half-open breaker's one trial (its outcome closes or re-opens the breaker)."""


@dataclass(frozen=True, slots=True)
class Replica:
    """Where one replica is and how much of the traffic it takes."""

    url: str
    """Base URL including ``/v1`` (no trailing slash)."""
    api_key: str = ""
    weight: int = 1
    model: str | None = None
    """Model name this replica expects, if it differs from the pool's (e.g. Ollama's tags)."""
    name: str = ""
    """Label in ``/metrics`` and ``/healthz`` (default ``host:port``; never the key)."""


@dataclass(frozen=True, slots=True)
class ReplicaView:
    """One replica's state, for ``/metrics`` and ``/healthz``."""

    name: str
    weight: int
    healthy: bool
    breaker: BreakerState
    available: bool
    attempts: int
    failures: int
    breaker_opened: int


@dataclass
class _Slot:
    replica: Replica
    breaker: Breaker
    healthy: bool = True
    """Assumed healthy until a health check says otherwise (start-up does not wait for one)."""
    current: int = 0
    """Smooth weighted round-robin's running score."""
    attempts: int = 0
    failure_count: int = 0


@dataclass
class UpstreamPool:
    """The replicas of one upstream, their health and breakers; synchronous, so an acquire's
    check-and-reserve of a half-open trial cannot interleave with another request's."""

    slots: list[_Slot] = field(default_factory=list)

    @classmethod
    def of(cls, replicas: Iterable[Replica], failures: int, cooldown_s: float) -> UpstreamPool:
        return cls([_Slot(r, Breaker(failures, cooldown_s)) for r in replicas])

    def __len__(self) -> int:
        return len(self.slots)

    def replica(self, index: int) -> Replica:
        return self.slots[index].replica

    def acquire(self, now: float, tried: Iterable[int] = ()) -> Attempt | None:
        """The replica for the next attempt (reserved: a half-open breaker's trial is taken),
        or ``None`` when no replica not yet ``tried`` is admitted."""
        excluded = set(tried)
        open_ = [i for i, s in enumerate(self.slots) if i not in excluded and s.breaker.admits(now)]
        healthy = [i for i in open_ if self.slots[i].healthy]
        # Health is advice: if no admitted replica passes its check, use them all anyway.
        candidates = healthy or open_
        if not candidates:
            return None
        chosen = smooth_weighted_pick(self.slots, candidates)
        slot = self.slots[chosen]
        slot.attempts += 1
        return Attempt(chosen, slot.breaker.on_attempt(now))

    def on_success(self, attempt: Attempt) -> None:
        self.slots[attempt.index].breaker.on_success(attempt.trial)

    def on_failure(self, attempt: Attempt, now: float) -> None:
        slot = self.slots[attempt.index]
        slot.failure_count += 1
        slot.breaker.on_failure(now, attempt.trial)

    def on_abandon(self, attempt: Attempt) -> None:
        self.slots[attempt.index].breaker.on_abandon(attempt.trial)

    def on_health(self, index: int, ok: bool) -> None:
        self.slots[index].healthy = ok

    def retry_after(self, now: float) -> float:
        """Seconds until some replica's breaker admits an attempt again (0: one does now)."""
        waits = [s.breaker.retry_after(now) for s in self.slots]
        return min(waits) if waits else 0.0

    def views(self, now: float) -> list[ReplicaView]:
        any_healthy = any(s.healthy and s.breaker.admits(now) for s in self.slots)
        out = []
        for s in self.slots:
            admitted = s.breaker.admits(now)
            out.append(
                ReplicaView(
                    name=s.replica.name,
                    weight=s.replica.weight,
                    healthy=s.healthy,
                    breaker=s.breaker.state_at(now),
                    available=admitted and (s.healthy or not any_healthy),
                    attempts=s.attempts,
                    failures=s.failure_count,
                    breaker_opened=s.breaker.opened_count,
                )
            )
        return out


def smooth_weighted_pick(slots: list[_Slot], candidates: list[int]) -> int:
    """nginx's smooth weighted round-robin over ``candidates`` (indexes into ``slots``): each
    adds its weight to its score, the highest score wins and gives back the candidates' total.
    Ties go to the lower index, so the sequence is deterministic."""
    total = 0
    best = candidates[0]
    for i in candidates:
        s = slots[i]
        s.current += s.replica.weight
        total += s.replica.weight
        if s.current > slots[best].current:
            best = i
    slots[best].current -= total
    return best
