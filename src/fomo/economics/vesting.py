"""Linear vesting with a cliff (SPEC §2: issuer and treasury MT), exactly as ``Vesting.vy``'s
``_vested``: nothing before ``start + cliff``, then ``amount × (t − start) / duration`` floored
(so the cliff releases what accrued since ``start`` at once), everything from ``start +
duration``. ``tests/contracts/vesting/test_vesting.py`` holds this function and the contract
equal to the wei; the read API's portfolio uses it for what is vested now."""

from __future__ import annotations


def vested(amount: int, start: int, cliff: int, duration: int, t: int) -> int:
    """Base units of ``amount`` vested at time ``t`` (``cliff`` is a duration from ``start``)."""
    if t < start + cliff:
        return 0
    if t >= start + duration:
        return amount
    return amount * (t - start) // duration
