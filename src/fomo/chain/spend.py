"""The chain reads before an action that pulls tokens from the sender (a buy, a launch, a stake,
a gmFLOCK lock, a deposit): the sender's balance and allowance, and a simulation of the action
as if approved. The CLI renders the answer and asks for confirmation; nothing here signs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fomo.chain.simulate import simulate_with_allowance

if TYPE_CHECKING:  # web3 loads only when a command connects
    from fomo.chain.client import ChainClient


@dataclass(frozen=True)
class Spend:
    """An action (a contract call not yet sent) that pulls ``amount`` of ``token`` into
    ``spender``; ``contract`` names the called contract so a revert reads in its words."""

    token: str
    spender: str
    amount: int
    action: Any
    contract: str


@dataclass(frozen=True)
class SpendCheck:
    """What the chain said before anything was signed."""

    owner: str
    balance: int
    """The owner's balance of the token, base units."""
    enough: bool
    """The balance covers the amount; when it does not, nothing was simulated."""
    simulated: bool
    """The action was simulated and would succeed (a revert raises instead). False when the
    balance is short, or when the node cannot simulate before the approval."""


def token_balance(client: ChainClient, token: str, owner: str) -> int:
    return int(client.at("DevToken", token).functions.balanceOf(owner).call())


def check_spend(client: ChainClient, spend: Spend) -> SpendCheck:
    """The balance first; then, if it covers the amount, the action simulated as if approved:
    a plain ``eth_call`` when the allowance already suffices, else with the allowance slot
    overridden. A revert raises :class:`fomo.chain.errors.ChainActionError` with its sentence."""
    owner = client.address
    balance = token_balance(client, spend.token, owner)
    if balance < spend.amount:
        return SpendCheck(owner, balance, enough=False, simulated=False)
    erc20 = client.at("DevToken", spend.token)
    allowance = int(erc20.functions.allowance(owner, spend.spender).call())
    if allowance >= spend.amount:
        client.call(spend.action, contract=spend.contract)  # already approved
        simulated = True
    else:
        simulated = simulate_with_allowance(
            client, spend.action, spend.contract, spend.token, spend.spender, spend.amount
        )
    return SpendCheck(owner, balance, enough=True, simulated=simulated)
