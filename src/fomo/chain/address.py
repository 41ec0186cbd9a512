"""Addresses typed by a person: checksummed, or refused in one sentence."""

from __future__ import annotations

from fomo.chain.errors import ChainActionError


def checksum(address: str, what: str = "address") -> str:
    """``address`` in EIP-55 checksum form; ``what`` names it in the error sentence."""
    from web3 import Web3  # imported here: the CLI's help must start without web3

    try:
        return str(Web3.to_checksum_address(address.strip()))
    except ValueError:
        raise ChainActionError(f"The {what} {address!r} is not a valid address.") from None
