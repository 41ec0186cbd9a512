"""`fomo stake …` (MT staking with cooldown), `fomo gm …` (gmFLOCK locks) and
`fomo vesting …` (release vested MT)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from fomo.chain.gmflock import lock_state, unlock_time_for
from fomo.chain.launchpad import resolve_token
from fomo.chain.staking import stake_state, vesting_schedule
from fomo.cli.chainkit import (
    Conn,
    DevAccountOpt,
    JsonOpt,
    KeyOpt,
    KeystoreOpt,
    ManifestOpt,
    Out,
    RpcOpt,
    YesOpt,
    checksum,
    connect,
    fmt_units,
    handled,
    parse_amount,
    send_step,
    spend_and_send,
    tx_json,
)
from fomo.economics.units import FLOCK_DECIMALS, MT_DECIMALS

if TYPE_CHECKING:
    from fomo.chain.client import ChainClient, TxResult

stake_app = typer.Typer(help="Stake a deployment's MT (unstaking has a 7-day cooldown).")
gm_app = typer.Typer(help="gmFLOCK: lock FLOCK for 30–365 days for a global reward multiplier.")
vesting_app = typer.Typer(help="Vesting schedules (issuer and treasury MT).")


TokenArg = Annotated[str, typer.Argument(help="MT address or ticker.")]


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC") if ts else "-"


# --- staking -----------------------------------------------------------------------------------


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
        symbol = str(client.at("ModelToken", address).functions.symbol().call())
        result = spend_and_send(
            out,
            client,
            token=address,
            symbol=symbol,
            decimals=MT_DECIMALS,
            spender=st.address,
            amount=value,
            action=action,
            contract="Staking",
            what="this stake",
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
        client.call(fn, contract="Staking")
        out.confirm(
            f"Unstake {fmt_units(value, 18)} MT? It earns and discounts nothing during the "
            "cooldown.",
            yes,
        )
        result = send_step(out, client, "requesting unstake", fn, "Staking")
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
                f"withdrawable from {_iso(int(state['unlock_time']))}"
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
        client.call(fn, contract="Staking")
        out.confirm("Withdraw your unstaked MT?", yes)
        result = send_step(out, client, "withdrawing", fn, "Staking")
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
            t.add_row("unlocks", _iso(int(state["unlock_time"])))
            t.add_row("withdrawable now", f"{fmt_units(int(state['withdrawable']), 18)} MT")
            t.add_row("total active (all stakers)", f"{fmt_units(int(state['total_active']), 18)}")
            out.console.print(t)

        out.result({"token": address, "account": who, **state}, human)


# --- gmFLOCK -----------------------------------------------------------------------------------


DaysOpt = Annotated[int, typer.Option("--days", help="Lock length in days (30–365).")]


@gm_app.command("lock")
def gm_lock(
    amount: Annotated[str, typer.Argument(help="FLOCK to lock.")],
    days: DaysOpt = 365,
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Lock FLOCK into gmFLOCK (non-transferable; weight = amount × time left / 365 days).

    Example: fomo gm lock 10000 --days 180
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        gm = client.contract("GmFlock")
        value = parse_amount(amount, FLOCK_DECIMALS)
        unlock = unlock_time_for(client.timestamp(), days)
        action = gm.functions.create_lock(value, unlock)
        result = _spend_flock_on_gm(
            out,
            client,
            gm,
            value,
            action,
            "this lock",
            f"Lock {fmt_units(value, 18)} FLOCK until {_iso(unlock)}?",
            yes,
            "locking",
        )
        state = lock_state(client, client.address)
        out.result(
            {"action": "lock", "amount": str(value), **state, **tx_json(result)},
            lambda: out.console.print(
                f"[green]locked[/] {fmt_units(value, 18)} FLOCK until "
                f"{_iso(int(state['unlock_time']))}; gmFLOCK now "
                f"{fmt_units(int(state['gmflock']), 18)}"
            ),
        )


@gm_app.command("add")
def gm_add(
    amount: Annotated[str, typer.Argument(help="FLOCK to add to your lock.")],
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Add FLOCK to your live lock (unlock time unchanged).

    Example: fomo gm add 5000
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        gm = client.contract("GmFlock")
        value = parse_amount(amount, FLOCK_DECIMALS)
        action = gm.functions.increase_amount(value)
        result = _spend_flock_on_gm(
            out,
            client,
            gm,
            value,
            action,
            "adding to the lock",
            f"Add {fmt_units(value, 18)} FLOCK to your lock?",
            yes,
            "adding",
        )
        state = lock_state(client, client.address)
        out.result(
            {"action": "add", "amount": str(value), **state, **tx_json(result)},
            lambda: out.console.print(
                f"[green]lock is now[/] {fmt_units(int(state['locked']), 18)} FLOCK"
            ),
        )


@gm_app.command("extend")
def gm_extend(
    days: DaysOpt = 365,
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Move your lock's unlock time to `--days` days from now (must be later than today's).

    Example: fomo gm extend --days 365
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        gm = client.contract("GmFlock")
        unlock = unlock_time_for(client.timestamp(), days)
        fn = gm.functions.extend_lock(unlock)
        client.call(fn, contract="GmFlock")
        out.confirm(f"Extend your lock to {_iso(unlock)}?", yes)
        result = send_step(out, client, "extending", fn, "GmFlock")
        state = lock_state(client, client.address)
        out.result(
            {"action": "extend", **state, **tx_json(result)},
            lambda: out.console.print(
                f"[green]lock extended[/] to {_iso(int(state['unlock_time']))}"
            ),
        )


@gm_app.command("withdraw")
def gm_withdraw(
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Withdraw your FLOCK after the lock expired.

    Example: fomo gm withdraw
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        gm = client.contract("GmFlock")
        fn = gm.functions.withdraw()
        client.call(fn, contract="GmFlock")
        out.confirm("Withdraw your expired lock?", yes)
        result = send_step(out, client, "withdrawing", fn, "GmFlock")
        evs = client.events(result, gm, "Withdrawn")
        amount = int(evs[0]["amount"]) if evs else 0
        out.result(
            {"action": "withdraw", "amount": str(amount), **tx_json(result)},
            lambda: out.console.print(f"[green]withdrew[/] {fmt_units(amount, 18)} FLOCK"),
        )


@gm_app.command("show")
def gm_show(
    account: Annotated[str | None, typer.Option("--account", help="Account to show.")] = None,
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a gmFLOCK lock and its current weight.

    Example: fomo gm show --dev-account 1
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account), need_key=account is None)
        who = checksum(account) if account else client.address
        state = lock_state(client, who)
        out.result(
            {"account": who, **state},
            lambda: out.console.print(
                f"{who}: {fmt_units(int(state['locked']), 18)} FLOCK locked until "
                f"{_iso(int(state['unlock_time']))}, gmFLOCK {fmt_units(int(state['gmflock']), 18)}"
            ),
        )


# --- vesting -----------------------------------------------------------------------------------


@vesting_app.command("list")
def vesting_list(
    account: Annotated[
        str | None, typer.Option("--account", help="Only this beneficiary's schedules.")
    ] = None,
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List vesting schedules (yours when a key is given).

    Example: fomo vesting list --dev-account 0
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account), need_key=False)
        who = (
            checksum(account)
            if account
            else (client.account.address if client.account is not None else None)
        )
        count = int(client.contract("Vesting").functions.schedule_count().call())
        rows = [vesting_schedule(client, sid) for sid in range(1, count + 1)]
        if who is not None:
            rows = [r for r in rows if r["beneficiary"].lower() == who.lower()]

        def human() -> None:
            t = Table(title="vesting schedules")
            for col in (
                "id",
                "token",
                "beneficiary",
                "amount",
                "released",
                "releasable",
                "cliff",
                "end",
            ):
                t.add_column(col)
            for r in rows:
                t.add_row(
                    str(r["id"]),
                    r["token"],
                    r["beneficiary"],
                    fmt_units(int(r["amount"]), 18),
                    fmt_units(int(r["released"]), 18),
                    fmt_units(int(r["releasable"]), 18),
                    _iso(r["cliff_end"]),
                    _iso(r["end"]),
                )
            out.console.print(t)

        out.result({"schedules": rows}, human)


@vesting_app.command("release")
def vesting_release(
    schedule_id: Annotated[int, typer.Argument(help="Schedule id (see `fomo vesting list`).")],
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Release the vested part of a schedule to its beneficiary (anyone may call).

    Example: fomo vesting release 1
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        v = client.contract("Vesting")
        sched = vesting_schedule(client, schedule_id)
        fn = v.functions.release(schedule_id)
        client.call(fn, contract="Vesting")
        out.confirm(
            f"Release {fmt_units(int(sched['releasable']), 18)} to {sched['beneficiary']}?", yes
        )
        result = send_step(out, client, "releasing", fn, "Vesting")
        evs = client.events(result, v, "Released")
        amount = int(evs[0]["amount"]) if evs else 0
        out.result(
            {
                "action": "release",
                "id": schedule_id,
                "amount": str(amount),
                "beneficiary": sched["beneficiary"],
                **tx_json(result),
            },
            lambda: out.console.print(
                f"[green]released[/] {fmt_units(amount, 18)} to {sched['beneficiary']}"
            ),
        )


def _spend_flock_on_gm(
    out: Out,
    client: ChainClient,
    gm: Any,
    value: int,
    action: Any,
    what: str,
    prompt: str,
    yes: bool,
    doing: str,
) -> TxResult:
    """Lock or add: FLOCK pulled into GmFlock through the one spend flow."""
    return spend_and_send(
        out,
        client,
        token=client.manifest.address("FLOCK"),  # type: ignore[union-attr]
        symbol="FLOCK",
        decimals=FLOCK_DECIMALS,
        spender=gm.address,
        amount=value,
        action=action,
        contract="GmFlock",
        what=what,
        prompt=prompt,
        yes=yes,
        doing=doing,
    )
