"""ModelToken: unminted at launch, minted exactly once by the launchpad, burnable, permit."""

from __future__ import annotations

from typing import Any

import boa
from eth_account import Account
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fomo.economics.curve import TOTAL_SUPPLY, WAD
from tests.contracts.launch.helpers import FAR, MODEL_TYPE_ID, Stack
from tests.contracts.permit import sign_permit


def _fresh_token(stack: Stack, minter: str, name: str = "Model", symbol: str = "MDL") -> Any:
    with boa.env.prank(minter):
        return stack.mt_deployer.deploy(name, symbol)


def test_only_minter_mints_and_only_once(stack: Stack) -> None:
    minter = stack.users[0]
    mt = _fresh_token(stack, minter)
    assert mt.totalSupply() == 0 and not mt.minting_closed()
    with boa.env.prank(stack.users[1]), boa.reverts("not minter"):
        mt.mint_once([stack.users[1]], [1])
    with boa.env.prank(minter), boa.reverts("length mismatch"):
        mt.mint_once([stack.users[1]], [1, 2])
    with boa.env.prank(minter):
        mt.mint_once([stack.users[1], stack.users[2]], [5, 7])
    assert mt.totalSupply() == 12 and mt.minting_closed()
    with boa.env.prank(minter), boa.reverts("minting closed"):
        mt.mint_once([minter], [1])
    # snekmate's own mint is not exported.
    assert not hasattr(mt, "mint") and not hasattr(mt, "set_minter")


def test_empty_metadata_rejected(stack: Stack) -> None:
    with boa.reverts("empty name"):
        stack.mt_deployer.deploy("", "X")
    with boa.reverts("empty symbol"):
        stack.mt_deployer.deploy("X", "")


def test_graduated_token_is_closed_and_burnable(stack: Stack) -> None:
    mt = stack.create(first_buy=1_000 * WAD)
    stack.fill_to_max(mt, stack.users[0])
    assert mt.minting_closed() and mt.totalSupply() == TOTAL_SUPPLY
    with boa.env.prank(stack.launchpad.address), boa.reverts("minting closed"):
        mt.mint_once([stack.users[0]], [1])
    with boa.env.prank(stack.users[0]):
        stack.launchpad.claim(mt.address)
        mt.burn(WAD)
    assert mt.totalSupply() == TOTAL_SUPPLY - WAD


def test_permit(stack: Stack) -> None:
    owner = Account.create()
    spender = stack.users[1]
    mt = _fresh_token(stack, stack.users[0])
    with boa.env.prank(stack.users[0]):
        mt.mint_once([owner.address], [100])
    deadline = boa.env.evm.patch.timestamp + 3600
    v, r, s = sign_permit(
        owner, token=mt.address, name="Model", spender=spender, value=60, nonce=0, deadline=deadline
    )
    mt.permit(
        owner.address,
        spender,
        60,
        deadline,
        v,
        r,
        s,
    )
    assert mt.allowance(owner.address, spender) == 60
    with boa.env.prank(spender):
        mt.transferFrom(owner.address, spender, 60)
    assert mt.balanceOf(spender) == 60


# EIP-1167 minimal proxy runtime code: PRE ++ implementation ++ POST.
PROXY_PRE = bytes.fromhex("363d3d373d3d3d363d73")
PROXY_POST = bytes.fromhex("5af43d82803e903d91602b57fd5bf3")


def test_launch_token_is_a_proxy_to_the_launchpads_implementation(stack: Stack) -> None:
    impl = str(stack.launchpad.MT_IMPLEMENTATION())
    mt = stack.create()
    assert bytes(boa.env.evm.get_code(mt.address)) == (
        PROXY_PRE + bytes.fromhex(impl[2:]) + PROXY_POST
    )
    implementation = stack.mt_deployer.at(impl)
    # The launchpad deployed the implementation, so it is the minter every proxy shares.
    assert implementation.minter() == mt.minter() == stack.launchpad.address
    assert implementation.totalSupply() == 0 and not implementation.minting_closed()


def test_initialize_is_minter_only_and_once(stack: Stack) -> None:
    mt = stack.create()
    name, symbol = mt.name(), mt.symbol()
    with boa.env.prank(stack.users[0]), boa.reverts("not minter"):
        mt.initialize("Evil", "EVIL")
    with boa.env.prank(stack.launchpad.address), boa.reverts("already initialized"):
        mt.initialize("Evil", "EVIL")
    implementation = stack.mt_deployer.at(stack.launchpad.MT_IMPLEMENTATION())
    with boa.env.prank(stack.launchpad.address), boa.reverts("already initialized"):
        implementation.initialize("Evil", "EVIL")
    with boa.env.prank(stack.users[0]), boa.reverts("not minter"):
        implementation.initialize("Evil", "EVIL")
    assert (mt.name(), mt.symbol()) == (name, symbol)


def test_proxy_metadata_and_permit_domain(stack: Stack) -> None:
    # Name and symbol of the longest allowed size round-trip through the packed storage, and
    # permit signs over the token's own name (EIP-712 domain), as before proxies.
    name, symbol = "N" * 31 + "z", "ABCDEFGHIJKLMNOP"
    mt = stack.create(symbol=symbol)
    assert (mt.name(), mt.symbol()) == ("Qwen Alice", symbol)
    # A direct deployment names itself through the same packed storage.
    mt = _fresh_token(stack, stack.users[0], name, symbol)
    assert (mt.name(), mt.symbol(), mt.decimals()) == (name, symbol, 18)
    domain = mt.eip712Domain()
    assert domain[1] == name and domain[4] == mt.address
    owner = Account.create()
    with boa.env.prank(stack.users[0]):
        mt.mint_once([owner.address], [100])
    deadline = boa.env.evm.patch.timestamp + 3600
    v, r, s = sign_permit(
        owner,
        token=mt.address,
        name=name,
        spender=stack.users[1],
        value=60,
        nonce=0,
        deadline=deadline,
    )
    mt.permit(owner.address, stack.users[1], 60, deadline, v, r, s)
    assert mt.allowance(owner.address, stack.users[1]) == 60 and mt.nonces(owner.address) == 1
    with boa.reverts("erc20: invalid signature"):
        mt.permit(owner.address, stack.users[1], 60, deadline, v, r, s)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=32
    ),
    symbol=st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        min_size=2,
        max_size=16,
    ),
)
def test_proxy_names_round_trip(stack: Stack, name: str, symbol: str) -> None:
    # Any name and ticker create_launch accepts reads back exactly from a proxy's packed slots.
    with boa.env.anchor(), boa.env.prank(stack.creator):
        mt = stack.mt_deployer.at(
            stack.launchpad.create_launch(MODEL_TYPE_ID, name, symbol, 0, 0, FAR)
        )
        assert (mt.name(), mt.symbol()) == (name, symbol)
        assert mt.eip712Domain()[1] == name and not mt.minting_closed()


def test_permit_expired_on_proxy(stack: Stack) -> None:
    mt = stack.create()
    owner = Account.create()
    deadline = boa.env.evm.patch.timestamp - 1
    v, r, s = sign_permit(
        owner,
        token=mt.address,
        name=mt.name(),
        spender=stack.users[1],
        value=1,
        nonce=0,
        deadline=deadline,
    )
    with boa.reverts("erc20: expired deadline"):
        mt.permit(owner.address, stack.users[1], 1, deadline, v, r, s)
