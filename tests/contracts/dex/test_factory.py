"""Factory: pair creation (sorted, deterministic CREATE2, registry, events) and fee admin."""

from __future__ import annotations

from typing import Any

import boa
from eth_utils import keccak

from .reference import create2_pair_address, sort_tokens

ZERO = "0x0000000000000000000000000000000000000000"


# EIP-1167 minimal proxy: runtime = PRE ++ implementation ++ POST, deployed by a 9-byte loader.
PROXY_LOADER = bytes.fromhex("602d3d8160093d39f3")
PROXY_PRE = bytes.fromhex("363d3d373d3d3d363d73")
PROXY_POST = bytes.fromhex("5af43d82803e903d91602b57fd5bf3")


def _proxy_runtime(implementation: str) -> bytes:
    return PROXY_PRE + bytes.fromhex(implementation[2:]) + PROXY_POST


def _pair_init_code(factory: Any) -> bytes:
    # Every pair is the same EIP-1167 proxy to the factory's one implementation.
    return PROXY_LOADER + _proxy_runtime(str(factory.PAIR_IMPLEMENTATION()))


def test_initial_state(factory: Any, admin: Any, pair_blueprint: Any) -> None:
    assert factory.feeTo() == ZERO
    assert factory.feeToSetter() == admin
    assert factory.pendingFeeToSetter() == ZERO
    assert factory.allPairsLength() == 0
    assert factory.PAIR_BLUEPRINT() == pair_blueprint.address
    assert factory.PAIR_INIT_CODE_HASH() == keccak(_pair_init_code(factory))


def test_create_pair(
    factory: Any, pair_deployer: Any, pair_blueprint: Any, token_a: Any, token_b: Any
) -> None:
    address = factory.createPair(token_b, token_a)
    logs = [e for e in factory.get_logs() if type(e).__name__ == "PairCreated"]
    t0, t1 = sort_tokens(str(token_a.address), str(token_b.address))
    assert len(logs) == 1
    assert (logs[0].token0, logs[0].token1, logs[0].pair, logs[0].allPairsLength) == (
        t0,
        t1,
        address,
        1,
    )
    assert factory.getPair(token_a, token_b) == address
    assert factory.getPair(token_b, token_a) == address
    assert factory.allPairs(0) == address
    assert factory.allPairsLength() == 1

    pair = pair_deployer.at(address)
    assert (pair.token0(), pair.token1(), pair.factory()) == (t0, t1, factory.address)
    assert pair.getReserves() == (0, 0, 0)
    assert pair.totalSupply() == 0
    assert pair.MINIMUM_LIQUIDITY() == 1000


def test_create2_address_is_deterministic(
    factory: Any, pair_blueprint: Any, token_a: Any, token_b: Any
) -> None:
    expected = create2_pair_address(
        str(factory.address),
        str(token_a.address),
        str(token_b.address),
        _pair_init_code(factory),
    )
    assert factory.createPair(token_a, token_b).lower() == expected.lower()


def test_init_code_is_the_same_for_every_pair(
    factory: Any, pair_blueprint: Any, token_deployer: Any
) -> None:
    init_code = _pair_init_code(factory)
    tokens = [token_deployer.deploy(f"T{i}", f"T{i}", 18, False, 0) for i in range(3)]
    for i, j in [(0, 1), (1, 2), (2, 0)]:
        a, b = str(tokens[i].address), str(tokens[j].address)
        assert (
            factory.createPair(a, b).lower()
            == create2_pair_address(str(factory.address), a, b, init_code).lower()
        )
    assert factory.allPairsLength() == 3


def test_create_pair_reverts(factory: Any, token_a: Any, token_b: Any) -> None:
    with boa.reverts("IDENTICAL_ADDRESSES"):
        factory.createPair(token_a, token_a)
    with boa.reverts("ZERO_ADDRESS"):
        factory.createPair(token_a, ZERO)
    with boa.reverts("ZERO_ADDRESS"):
        factory.createPair(ZERO, token_b)
    factory.createPair(token_a, token_b)
    with boa.reverts("PAIR_EXISTS"):
        factory.createPair(token_a, token_b)
    with boa.reverts("PAIR_EXISTS"):
        factory.createPair(token_b, token_a)
    with boa.reverts("INDEX_OUT_OF_RANGE"):
        factory.allPairs(1)


def test_constructor_bounds(factory_deployer: Any, pair_blueprint: Any, admin: Any) -> None:
    with boa.reverts("bad blueprint"):
        factory_deployer.deploy(boa.env.generate_address(), admin)
    with boa.reverts("ZERO_ADDRESS"):
        factory_deployer.deploy(pair_blueprint.address, ZERO)


def test_set_fee_to(factory: Any, admin: Any, alice: Any) -> None:
    with boa.env.prank(alice), boa.reverts("FORBIDDEN"):
        factory.setFeeTo(alice)
    with boa.env.prank(admin):
        factory.setFeeTo(alice)
        logs = factory.get_logs()
    assert factory.feeTo() == alice
    assert [(e.old_fee_to, e.new_fee_to) for e in logs] == [(ZERO, alice)]
    with boa.env.prank(admin):
        factory.setFeeTo(ZERO)
    assert factory.feeTo() == ZERO


def test_fee_to_setter_two_step(factory: Any, admin: Any, alice: Any, bob: Any) -> None:
    with boa.env.prank(alice), boa.reverts("FORBIDDEN"):
        factory.setFeeToSetter(alice)
    with boa.env.prank(admin):
        factory.setFeeToSetter(alice)
    # proposing does not hand over the role yet
    assert factory.feeToSetter() == admin
    assert factory.pendingFeeToSetter() == alice
    with boa.env.prank(bob), boa.reverts("FORBIDDEN"):
        factory.acceptFeeToSetter()
    with boa.env.prank(alice):
        factory.acceptFeeToSetter()
        logs = factory.get_logs()
    assert [(e.old_setter, e.new_setter) for e in logs] == [(admin, alice)]
    assert factory.feeToSetter() == alice
    assert factory.pendingFeeToSetter() == ZERO
    with boa.env.prank(admin), boa.reverts("FORBIDDEN"):
        factory.setFeeTo(admin)
    with boa.env.prank(alice), boa.reverts("FORBIDDEN"):
        factory.acceptFeeToSetter()


def test_cancel_fee_to_setter_proposal(factory: Any, admin: Any, alice: Any) -> None:
    with boa.env.prank(admin):
        factory.setFeeToSetter(alice)
        factory.setFeeToSetter(ZERO)
    with boa.env.prank(alice), boa.reverts("FORBIDDEN"):
        factory.acceptFeeToSetter()
    assert factory.feeToSetter() == admin


def test_pair_is_a_proxy_to_the_factorys_implementation(
    factory: Any, pair_deployer: Any, token_a: Any, token_b: Any
) -> None:
    impl = str(factory.PAIR_IMPLEMENTATION())
    address = factory.createPair(token_a, token_b)
    assert bytes(boa.env.evm.get_code(address)) == _proxy_runtime(impl)
    # The implementation was deployed by this factory (so only it can initialize pairs) and
    # was never given tokens itself.
    implementation = pair_deployer.at(impl)
    assert implementation.factory() == factory.address
    assert implementation.token0() == ZERO and implementation.token1() == ZERO


def test_initialize_is_factory_only_and_once(
    factory: Any, pair_deployer: Any, token_a: Any, token_b: Any, alice: Any
) -> None:
    pair = pair_deployer.at(factory.createPair(token_a, token_b))
    t0, t1 = pair.token0(), pair.token1()
    with boa.env.prank(alice), boa.reverts("FORBIDDEN"):
        pair.initialize(alice, alice)
    with boa.env.prank(factory.address), boa.reverts("ALREADY_INITIALIZED"):
        pair.initialize(alice, alice)
    implementation = pair_deployer.at(factory.PAIR_IMPLEMENTATION())
    with boa.env.prank(alice), boa.reverts("FORBIDDEN"):
        implementation.initialize(alice, alice)
    assert (pair.token0(), pair.token1()) == (t0, t1)
