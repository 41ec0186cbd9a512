"""Simulating an action that spends a token as if it were already approved, so a revert is
one sentence before anything is signed (`eth_call` with a state override of the ERC-20's
allowance slot, found once per token and cached)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fomo.chain.errors import ChainActionError, explain_revert, reason_from_message

if TYPE_CHECKING:  # web3 loads only when a simulation runs: `fomo --help` must stay light
    from fomo.chain.client import ChainClient

# Probe range for the allowance mapping's storage slot (Vyper and Solidity layouts).
_SLOT_CANDIDATES = 64
_allowance_slots: dict[tuple[int, str], tuple[int, str] | None] = {}


def _mapping_slot(base: int, key: str, vyper: bool) -> int:
    from eth_utils.crypto import keccak

    slot = base.to_bytes(32, "big")
    padded = bytes.fromhex(key.removeprefix("0x").rjust(64, "0"))
    return int.from_bytes(keccak(slot + padded if vyper else padded + slot), "big")


def _allowance_slot(base: int, owner: str, spender: str, vyper: bool) -> int:
    inner = _mapping_slot(base, owner, vyper)
    return _mapping_slot(inner, spender, vyper)


def _slot_hex(slot: int) -> str:
    return "0x" + slot.to_bytes(32, "big").hex()


def find_allowance_slot(client: ChainClient, token: str, owner: str, spender: str) -> int | None:
    """The storage slot holding ``allowance(owner, spender)`` of ``token``, or ``None``.

    Found with one ``eth_call`` of ``allowance`` under a state override that writes a distinct
    marker into every candidate slot (mapping at slot 0…63, Vyper and Solidity key order): the
    marker the call returns names the slot. ``None`` when the node does not support state
    overrides or the token lays out its storage differently; the caller then skips the
    simulation (the balance check still runs).
    """
    from web3 import Web3

    key = (client.chain_id, token.lower())
    if key in _allowance_slots:
        cached = _allowance_slots[key]
        if cached is None:
            return None
        base, layout = cached
        return _allowance_slot(base, owner, spender, layout == "vyper")
    erc20 = client.at("DevToken", token)
    marker_base = 0xF0F0 << 200
    slots: dict[int, tuple[int, str]] = {}
    diff: dict[str, str] = {}
    for base in range(_SLOT_CANDIDATES):
        for layout in ("vyper", "solidity"):
            slot = _allowance_slot(base, owner, spender, layout == "vyper")
            marker = marker_base + len(slots) + 1
            slots[marker] = (base, layout)
            diff[_slot_hex(slot)] = _slot_hex(marker)
    override: Any = {Web3.to_checksum_address(token): {"stateDiff": diff}}
    try:
        value = int(
            erc20.functions.allowance(
                Web3.to_checksum_address(owner), Web3.to_checksum_address(spender)
            ).call(block_identifier="latest", state_override=override)
        )
    except Exception:
        value = 0
    found = slots.get(value)
    _allowance_slots[key] = found
    if found is None:
        return None
    return _allowance_slot(found[0], owner, spender, found[1] == "vyper")


def simulate_with_allowance(
    client: ChainClient, fn: Any, contract: str, token: str, spender: str, amount: int
) -> bool:
    """``eth_call`` the action as if ``spender`` were already allowed ``amount`` of ``token``.

    A revert raises :class:`ChainActionError` with its sentence, before anything is signed.
    Returns False when the simulation could not run (no state overrides on this node).
    """
    from web3 import Web3
    from web3.exceptions import ContractLogicError

    owner = client.address
    slot = find_allowance_slot(client, token, owner, spender)
    if slot is None:
        return False
    override: Any = {
        Web3.to_checksum_address(token): {"stateDiff": {_slot_hex(slot): _slot_hex(amount)}}
    }
    try:
        fn.call({"from": owner}, block_identifier="latest", state_override=override)
    except ContractLogicError as exc:
        reason = reason_from_message(str(exc.message or exc))
        raise ChainActionError(explain_revert(reason, contract), reason=reason) from None
    return True
