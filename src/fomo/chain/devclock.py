"""Time travel on a dev chain: the one code path behind `fomo chain advance` and the web app's
``POST /api/devnet/advance`` (so both move the clock the same way)."""

from __future__ import annotations

from fomo.chain.client import ChainClient
from fomo.chain.errors import ChainActionError
from fomo.config import DEV_CHAIN_IDS


def advance_chain_time(client: ChainClient, seconds: int) -> int:
    """Move the chain's clock ``seconds`` forward and mine a block; return that block's timestamp.

    Only on a dev chain (31337/1337): a real chain's clock cannot be moved.
    """
    if client.chain_id not in DEV_CHAIN_IDS:
        raise ChainActionError(
            f"Time travel works on a dev chain (31337/1337) only, not chain {client.chain_id}."
        )
    if seconds <= 0:
        raise ChainActionError("The time to skip must be a positive number of seconds.")
    client.rpc("evm_increaseTime", [seconds])
    client.rpc("evm_mine")
    return client.timestamp()
