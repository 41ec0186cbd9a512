"""Factory: pair creation (sorted, deterministic CREATE2, registry, events) and fee admin."""

from __future__ import annotations

from typing import Any

import boa

from .reference import create2_pair_address, sort_tokens

ZERO = "0x0000000000000000000000000000000000000000"


def _blueprint_init_code(pair_blueprint: Any) -> bytes:
    # EIP-5202 blueprint: the 3-byte preamble (0xFE71 00) precedes the init code
    code = boa.env.evm.get_code(pair_blueprint.address)
    assert code[:2] == b"\xfe\x71"
    return bytes(code[3:])


def test_initial_state(factory: Any, admin: Any, pair_blueprint: Any) -> None:
    assert factory.feeTo() == ZERO
    assert factory.feeToSetter() == admin
    assert factory.pendingFeeToSetter() == ZERO
    assert factory.allPairsLength() == 0
    assert factory.PAIR_BLUEPRINT() == pair_blueprint.address
    assert factory.pairParameters() == (ZERO, ZERO)


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
    assert factory.pairParameters() == (ZERO, ZERO)

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
        _blueprint_init_code(pair_blueprint),
    )
    assert factory.createPair(token_a, token_b).lower() == expected.lower()


def test_init_code_is_the_same_for_every_pair(
    factory: Any, pair_blueprint: Any, token_deployer: Any
) -> None:
    init_code = _blueprint_init_code(pair_blueprint)
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
