"""The PaymentVault's deposit path over a `ChainClient`: the EIP-2612 permit that lets one
``deposit_with_permit`` transaction approve and pull exactly the deposited USDC."""

from __future__ import annotations

from typing import Any

PERMIT_TTL_SECONDS = 3_600
"""How long a signed deposit permit stays valid (chain time)."""


def permit_signature(
    client: Any, token: Any, spender: str, amount: int, deadline: int
) -> tuple[int, bytes, bytes] | None:
    """An EIP-2612 permit of ``amount`` for ``spender``, signed by the client's key, or
    ``None`` when the token has no permit or its domain is not the one we can rebuild."""
    from eth_account.messages import encode_typed_data

    names = {entry.get("name") for entry in token.abi if entry.get("type") == "function"}
    if not {"permit", "nonces", "DOMAIN_SEPARATOR", "name"} <= names:
        return None
    owner = client.address
    if "eip712Domain" in names:  # EIP-5267: the token says what its domain is
        _, name, version, chain_id, verifying, _, _ = token.functions.eip712Domain().call()
    else:
        name = token.functions.name().call()
        version = token.functions.version().call() if "version" in names else "1"
        chain_id, verifying = client.chain_id, token.address
    message = encode_typed_data(
        full_message={
            "types": {
                "EIP712Domain": [
                    {"name": "name", "type": "string"},
                    {"name": "version", "type": "string"},
                    {"name": "chainId", "type": "uint256"},
                    {"name": "verifyingContract", "type": "address"},
                ],
                "Permit": [
                    {"name": "owner", "type": "address"},
                    {"name": "spender", "type": "address"},
                    {"name": "value", "type": "uint256"},
                    {"name": "nonce", "type": "uint256"},
                    {"name": "deadline", "type": "uint256"},
                ],
            },
            "primaryType": "Permit",
            "domain": {
                "name": name,
                "version": version,
                "chainId": int(chain_id),
                "verifyingContract": verifying,
            },
            "message": {
                "owner": owner,
                "spender": spender,
                "value": amount,
                "nonce": int(token.functions.nonces(owner).call()),
                "deadline": deadline,
            },
        }
    )
    if bytes(message.header) != bytes(token.functions.DOMAIN_SEPARATOR().call()):
        return None  # a domain we would sign wrongly: use an approval instead
    signed = client.account.sign_message(message)
    return int(signed.v), int(signed.r).to_bytes(32, "big"), int(signed.s).to_bytes(32, "big")
