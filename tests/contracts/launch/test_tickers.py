"""Tickers: 2-16 ASCII letters/digits, unique case-insensitively among launches that are not
Failed (a failed launch frees its ticker), so the platform's model id
``<base>-<ticker lower>`` can never name two live or graduated deployments. Names: 1-32
printable ASCII characters, no leading or trailing space."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from fomo.economics.curve import WAD
from fomo.launches.tickers import TickerError, check_name, check_ticker
from tests.contracts.launch.helpers import FAILED, FAR, MODEL_TYPE_ID, SALE, Stack

ZERO = "0x" + "00" * 20


def _create(stack: Stack, symbol: str, name: str = "Some Model", who: Any = None) -> Any:
    with boa.env.prank(who or stack.creator):
        return stack.launchpad.create_launch(MODEL_TYPE_ID, name, symbol, 0, 0, FAR)


def test_same_ticker_in_any_case_is_refused_while_the_first_is_live(stack: Stack) -> None:
    first = _create(stack, "QwenAlice")
    for clash in ("QWENALICE", "qwenalice", "qWeNaLiCe"):
        with boa.reverts("ticker taken"):
            _create(stack, clash, who=stack.users[0])
    assert not stack.launchpad.ticker_available("QWENALICE")
    assert stack.launchpad.token_of_ticker("qwenALICE") == first
    assert stack.launchpad.ticker_available("QWENBOB")
    assert stack.launchpad.token_of_ticker("QWENBOB") == ZERO


def test_graduating_and_graduated_launches_keep_their_ticker(stack: Stack) -> None:
    mt = stack.mt_deployer.at(_create(stack, "KEEP"))
    boa.env.time_travel(seconds=2 * 3600)
    stack.buy(mt, stack.users[0], 150_000 * WAD)  # above min, below max
    boa.env.time_travel(seconds=SALE)
    assert stack.launchpad.status(mt.address) == 3  # Graduating
    with boa.reverts("ticker taken"):
        _create(stack, "keep")
    stack.launchpad.graduate(mt.address)
    with boa.reverts("ticker taken"):
        _create(stack, "Keep")


def test_a_failed_launch_frees_its_ticker(stack: Stack) -> None:
    old = _create(stack, "AGAIN")
    boa.env.time_travel(seconds=SALE)
    assert stack.launchpad.status(old) == FAILED
    assert stack.launchpad.ticker_available("again")
    new = _create(stack, "again", who=stack.users[1])
    assert stack.launchpad.token_of_ticker("AGAIN") == new
    with boa.reverts("ticker taken"):
        _create(stack, "AGAIN")


@pytest.mark.parametrize(
    "symbol",
    ["", "A", "A" * 17, "QWEN-ALICE", "QWEN ALICE", "QWEN_1", "Ünï", "QWEN.", "$QWEN", "qw\x00en"],
)
def test_bad_tickers_revert(stack: Stack, symbol: str) -> None:
    if len(symbol.encode()) > 16:
        with pytest.raises(Exception):  # noqa: B017 - the ABI encoder refuses String[16]
            _create(stack, symbol)
        return
    with boa.reverts("bad ticker"):
        _create(stack, symbol)


@pytest.mark.parametrize("symbol", ["AB", "A" * 16, "QWEN2", "0x1", "abcXYZ09"])
def test_good_tickers_pass(stack: Stack, symbol: str) -> None:
    token = _create(stack, symbol)
    assert stack.mt_deployer.at(token).symbol() == symbol  # case kept on the token


@pytest.mark.parametrize("name", ["", " Lead", "Trail ", "tab\there", "new\nline", "é"])
def test_bad_names_revert(stack: Stack, name: str) -> None:
    with boa.reverts("bad name"):
        _create(stack, "NAMETEST", name=name)


@pytest.mark.parametrize("name", ["Q", "Qwen Alice v2 (fine-tuned)!", "x" * 32, "a  b"])
def test_good_names_pass(stack: Stack, name: str) -> None:
    token = _create(stack, "NAMETEST", name=name)
    assert stack.mt_deployer.at(token).name() == name


ALPHABET = "aAbB1"  # few letters in both cases: clashes are frequent


class TickerMachine(RuleBasedStateMachine):
    """Random creates (colliding tickers in mixed case), buys and time travel: no two launches
    that are not Failed ever share a lower-case ticker, and a create succeeds exactly when the
    Python model says the ticker is free."""

    stack: Stack

    def __init__(self) -> None:
        super().__init__()
        self._anchor = boa.env.anchor()
        self._anchor.__enter__()
        self.tokens: list[str] = []
        self.lp = self.stack.launchpad

    def teardown(self) -> None:
        self._anchor.__exit__(None, None, None)

    @initialize()
    def start(self) -> None:
        pass

    def _held(self, lower: str) -> bool:
        return any(
            self.lp.status(t) != FAILED and self.stack.mt_deployer.at(t).symbol().lower() == lower
            for t in self.tokens
        )

    @rule(symbol=st.text(alphabet=ALPHABET, min_size=2, max_size=3), user=st.integers(0, 3))
    def create(self, symbol: str, user: int) -> None:
        expect_ok = not self._held(symbol.lower())
        assert bool(self.lp.ticker_available(symbol)) == expect_ok
        if expect_ok:
            self.tokens.append(_create(self.stack, symbol, who=self.stack.users[user]))
        else:
            with boa.reverts("ticker taken"):
                _create(self.stack, symbol, who=self.stack.users[user])

    @rule(index=st.integers(0, 20), big=st.booleans())
    def buy(self, index: int, big: bool) -> None:
        if not self.tokens:
            return
        token = self.tokens[index % len(self.tokens)]
        if self.lp.status(token) != 1:
            return
        with boa.env.prank(self.stack.users[0]):
            self.lp.buy(token, (150_000 if big else 1_000) * WAD, 0, FAR)

    @rule(days=st.sampled_from([1, 3, 8]))
    def wait(self, days: int) -> None:
        boa.env.time_travel(seconds=days * 86_400)

    @invariant()
    def no_two_non_failed_launches_share_a_lowercase_ticker(self) -> None:
        live = [
            self.stack.mt_deployer.at(t).symbol().lower()
            for t in self.tokens
            if self.lp.status(t) != FAILED
        ]
        assert len(live) == len(set(live))
        for lower in set(live):
            holder = self.lp.token_of_ticker(lower)
            assert self.lp.status(holder) != FAILED
            assert self.stack.mt_deployer.at(holder).symbol().lower() == lower


def test_ticker_uniqueness_stateful(stack: Stack) -> None:
    TickerMachine.stack = stack
    run_state_machine_as_test(
        TickerMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=14,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


_CHARS = st.sampled_from(list("aZ09-_ .$é\x00\tQw"))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(symbol=st.text(alphabet=_CHARS, max_size=18).filter(lambda s: len(s.encode()) <= 16))
def test_python_ticker_rule_matches_the_contract(stack: Stack, symbol: str) -> None:
    """`fomo.launches.tickers.check_ticker` (used by the CLI) accepts exactly what the
    launchpad accepts."""
    try:
        check_ticker(symbol)
        python_ok = True
    except TickerError:
        python_ok = False
    if python_ok:
        assert stack.launchpad.ticker_available(symbol)
    else:
        with boa.reverts("bad ticker"):
            stack.launchpad.ticker_available(symbol)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(alphabet=_CHARS, max_size=34).filter(lambda s: len(s.encode()) <= 32))
def test_python_name_rule_matches_the_contract(stack: Stack, name: str) -> None:
    try:
        check_name(name)
        python_ok = True
    except TickerError:
        python_ok = False
    with boa.env.anchor():
        if python_ok:
            _create(stack, "NAMEDIFF", name=name)
        else:
            with boa.reverts("bad name"):
                _create(stack, "NAMEDIFF", name=name)
