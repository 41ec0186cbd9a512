"""`fomo launch create` helpers that need no chain: the launchpad-too-old sentence."""

from __future__ import annotations

import pytest
from web3 import Web3

from fomo.chain import launchpad
from fomo.chain.errors import ChainActionError

OLD_ABI = [
    {
        "type": "function",
        "name": "create_launch",
        "stateMutability": "nonpayable",
        "inputs": [],
        "outputs": [],
    }
]


def test_a_launchpad_without_ticker_views_is_one_sentence() -> None:
    lp = Web3().eth.contract(address="0x" + "11" * 20, abi=OLD_ABI)
    for call in (
        lambda: launchpad.check_ticker_free(lp, "QWEN"),
        lambda: launchpad.token_of_ticker(lp, "QWEN"),
    ):
        with pytest.raises(ChainActionError, match="predates unique tickers"):
            call()
