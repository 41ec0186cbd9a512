"""`fomo stake stake|unstake|withdraw|show`: a deployment's MT staked (unstaking has a 7-day
cooldown). gmFLOCK locks are `cli/gm.py`, vesting schedules `cli/vesting.py`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from fomo.chain.launchpad import mt_symbol, resolve_token
from fomo.chain.spend import Spend
from fomo.chain.staking import stake_state
from fomo.cli.chainkit import (
    Conn,
    DevAccountOpt,
    JsonOpt,
    KeyOpt,
    KeystoreOpt,
    ManifestOpt,
    Out,
    RpcOpt,
    TokenSpend,
    YesOpt,
    checksum,
    connect,
    fmt_time,
    fmt_units,
    handled,
    parse_amount,
    simulate_and_send,
    spend_and_send,
    tx_json,
)
from fomo.economics.units import MT_DECIMALS

stake_app = typer.Typer(help="Stake a deployment's MT (unstaking has a 7-day cooldown).")


TokenArg = Annotated[str, typer.Argument(help="MT address or ticker.")]


@stake_app.command("stake")
def stake(
    token: TokenArg,
    amount: Annotated[str, typer.Argument(help="MT to stake.")],
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Stake MT of a graduated launch (approval handled automatically).

    Example: fomo stake stake QWENALICE 1000
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        address = resolve_token(client, token)
        value = parse_amount(amount, MT_DECIMALS)
        st = client.contract("Staking")
        action = st.functions.stake(address, value)
        symbol = mt_symbol(client, address)
        result = spend_and_send(
            out,
            client,
            TokenSpend(
                Spend(address, st.address, value, action, "Staking"),
                symbol,
                MT_DECIMALS,
                "this stake",
            ),
            prompt=f"Stake {fmt_units(value, 18)} {symbol}?",
            yes=yes,
            doing="staking",
        )
        state = stake_state(client, address, client.address)
        out.result(
            {"action": "stake", "token": address, "amount": str(value), **state, **tx_json(result)},
            lambda: out.console.print(
                f"[green]staked[/] {fmt_units(value, 18)} MT; active stake "
                f"{fmt_units(int(state['active']), 18)} MT"
            ),
        )


@stake_app.command("unstake")
def unstake(
    token: TokenArg,
    amount: Annotated[str, typer.Argument(help="MT to move into the cooldown.")],
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Start unstaking: the amount stops counting now and is withdrawable after the cooldown.

    Example: fomo stake unstake QWENALICE 400
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        address = resolve_token(client, token)
        value = parse_amount(amount, MT_DECIMALS)
        st = client.contract("Staking")
        fn = st.functions.request_unstake(address, value)
        result = simulate_and_send(
            out,
            client,
            fn,
            "Staking",
            "requesting unstake",
            f"Unstake {fmt_units(value, 18)} MT? It earns and discounts nothing during the "
            "cooldown.",
            yes,
        )
        state = stake_state(client, address, client.address)
        out.result(
            {
                "action": "unstake",
                "token": address,
                "amount": str(value),
                **state,
                **tx_json(result),
            },
            lambda: out.console.print(
                f"[green]unstake requested[/]: {fmt_units(int(state['cooling']), 18)} MT "
                f"withdrawable from {fmt_time(int(state['unlock_time']))}"
            ),
        )


@stake_app.command("withdraw")
def withdraw(
    token: TokenArg,
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Withdraw MT whose cooldown has ended.

    Example: fomo stake withdraw QWENALICE
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        address = resolve_token(client, token)
        st = client.contract("Staking")
        fn = st.functions.withdraw(address)
        result = simulate_and_send(
            out, client, fn, "Staking", "withdrawing", "Withdraw your unstaked MT?", yes
        )
        evs = client.events(result, st, "Withdrawn")
        amount = int(evs[0]["amount"]) if evs else 0
        out.result(
            {"action": "withdraw", "token": address, "amount": str(amount), **tx_json(result)},
            lambda: out.console.print(f"[green]withdrew[/] {fmt_units(amount, 18)} MT"),
        )


@stake_app.command("show")
def stake_show(
    token: TokenArg,
    account: Annotated[str | None, typer.Option("--account", help="Account to show.")] = None,
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show active stake, cooling amount and unlock time.

    Example: fomo stake show QWENALICE --dev-account 1
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account), need_key=account is None)
        address = resolve_token(client, token)
        who = checksum(account) if account else client.address
        state = stake_state(client, address, who)

        def human() -> None:
            t = Table(title=f"stake of {who}", show_header=False)
            t.add_row("active", f"{fmt_units(int(state['active']), 18)} MT")
            t.add_row("cooling", f"{fmt_units(int(state['cooling']), 18)} MT")
            t.add_row("unlocks", fmt_time(int(state["unlock_time"])))
            t.add_row("withdrawable now", f"{fmt_units(int(state['withdrawable']), 18)} MT")
            t.add_row("total active (all stakers)", f"{fmt_units(int(state['total_active']), 18)}")
            out.console.print(t)

        out.result({"token": address, "account": who, **state}, human)
