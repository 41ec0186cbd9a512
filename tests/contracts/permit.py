"""EIP-2612 permit signatures for the token tests (DevToken, ModelToken, PaymentVault)."""

from __future__ import annotations

from typing import Any

import boa
from eth_account import Account
from eth_account.signers.local import LocalAccount

PERMIT_TYPES = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}


def sign_permit(
    owner: LocalAccount,
    *,
    token: Any,
    name: str,
    spender: Any,
    value: int,
    nonce: int,
    deadline: int,
) -> tuple[int, bytes, bytes]:
    """(v, r, s) of ``owner``'s permit on ``token`` (an address), domain version "1"."""
    domain = {
        "name": name,
        "version": "1",
        "chainId": boa.env.evm.patch.chain_id,
        "verifyingContract": str(token),
    }
    message = {
        "owner": owner.address,
        "spender": str(spender),
        "value": value,
        "nonce": nonce,
        "deadline": deadline,
    }
    sig = Account.sign_typed_data(owner.key, domain, PERMIT_TYPES, message)
    return sig.v, sig.r.to_bytes(32, "big"), sig.s.to_bytes(32, "big")


def sign_token_permit(
    token: Any, owner: LocalAccount, spender: Any, value: int, deadline: int
) -> tuple[int, bytes, bytes]:
    """``sign_permit`` with the domain name and the nonce read from the token contract."""
    return sign_permit(
        owner,
        token=token.address,
        name=token.name(),
        spender=spender,
        value=value,
        nonce=token.nonces(owner.address),
        deadline=deadline,
    )
