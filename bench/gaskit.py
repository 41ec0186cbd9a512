"""Transaction-level gas estimates for the gas benches (bench/gas_*.py).

Each call runs in titanoboa's in-process EVM as if it were its own transaction: pending writes
are locked in first, so SSTORE is priced against the right original values (EIP-2200), and
py-evm's ``lock_changes`` also makes every account and slot cold again (EIP-2929). The figure
is 21,000 intrinsic + calldata (4 gas per zero byte, 16 per non-zero byte) + execution gas -
refund (capped at 1/5, EIP-3529).
"""

from __future__ import annotations

from typing import Any

import boa

TX_BASE = 21_000


def calldata_gas(data: bytes) -> int:
    return sum(4 if b == 0 else 16 for b in data)


def measure_call(contract: Any, fn_name: str, *args: Any, sender: Any) -> tuple[int, Any]:
    """Transaction gas of ``contract.fn_name(*args)`` sent by ``sender``, and its result."""
    fn = getattr(contract, fn_name)
    calldata = fn.prepare_calldata(*args)
    boa.env.evm.vm.state.lock_changes()
    with boa.env.prank(sender):
        result = fn(*args)
    comp = contract._computation
    gross = TX_BASE + calldata_gas(calldata) + comp.get_gas_used()
    return gross - min(comp.get_gas_refund(), gross // 5), result


def measure(contract: Any, fn_name: str, *args: Any, sender: Any) -> int:
    """Transaction gas of ``contract.fn_name(*args)`` sent by ``sender``."""
    return measure_call(contract, fn_name, *args, sender=sender)[0]
