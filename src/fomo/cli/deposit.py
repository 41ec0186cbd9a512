"""`fomo credits deposit AMOUNT`: pay USDC into the PaymentVault for API credits.

One transaction when the token supports EIP-2612: the wallet signs a permit for exactly the
amount and the vault's ``deposit_with_permit`` approves and pulls in the same call, so no
allowance is ever left standing. A token without a usable permit gets the same path as the other
spending commands (balance check, simulation, exact approval, then ``deposit``). The command then
waits for the confirmations the indexer needs and for the gateway to credit the deposit, and
prints the new balance. 1 USDC base unit (1e-6 USD) is exactly 1,000 nano-USD of credit.
"""

from __future__ import annotations

import time
from typing import Any

from fomo.chain.spend import Spend, token_balance
from fomo.chain.vault import PERMIT_TTL_SECONDS, permit_signature
from fomo.cli import chainkit as ck
from fomo.economics.units import NANO_PER_USDC_UNIT, USDC_DECIMALS, usd_text


def gateway_balance(gateway: str, session: str) -> int:
    import httpx

    r = httpx.get(
        gateway + "/v1/account/balance",
        headers={"authorization": f"Bearer {session}"},
        timeout=30,
    )
    r.raise_for_status()
    return int(r.json()["balance_nano_usd"])


def deposit(
    amount_text: str,
    *,
    to: str | None,
    conn: ck.Conn,
    gateway: str | None,
    wait: bool,
    timeout: float,
    as_json: bool,
    yes: bool,
) -> None:
    from fomo.cli.gatewaykit import gateway_url, siwe_session
    from fomo.gateway.config import gateway_config_path, load_gateway_config

    out = ck.Out(as_json)
    with ck.handled(out):
        client = ck.connect(conn)
        vault = client.contract("PaymentVault")
        usdc_address = client.manifest.address("USDC")  # type: ignore[union-attr]
        usdc = client.at("DevToken", usdc_address)
        amount = ck.parse_amount(amount_text, USDC_DECIMALS, what="USDC amount")
        me = client.address
        account = ck.checksum(to, "account") if to else me
        credit = amount * NANO_PER_USDC_UNIT
        settings = ck.settings()
        gw_cfg, _ = load_gateway_config(settings, gateway_config_path(settings))
        depth = max(settings.confirmations, 1) + gw_cfg.deposit_confirmations - 1
        gw_url = gateway_url(gateway)

        # The gateway session comes first: the balance before the deposit is the reference.
        session: str | None = None
        before: int | None = None
        if wait and account == me and client.account is not None:
            try:
                session, _ = siwe_session(gw_url, client.account.key.hex())
                before = gateway_balance(gw_url, session)
            except Exception:
                session = None
                out.progress(f"the gateway at {gw_url} does not answer; not waiting for it")

        deadline = client.timestamp() + PERMIT_TTL_SECONDS
        signature = permit_signature(client, usdc, vault.address, amount, deadline)
        if signature is not None:
            action = vault.functions.deposit_with_permit(account, amount, deadline, *signature)
        else:
            action = vault.functions.deposit(account, amount)
        spend = ck.TokenSpend(
            Spend(usdc_address, vault.address, amount, action, "PaymentVault"),
            "USDC",
            USDC_DECIMALS,
            "this deposit",
        )
        if signature is not None:  # the permit is the approval: check the balance, simulate
            balance = token_balance(client, usdc_address, me)
            if balance < amount:
                raise ck.shortfall(spend, me, balance)
            client.call(action, contract="PaymentVault")
        else:
            ck.check_spend(out, client, spend)
        shown = ck.fmt_units(amount, USDC_DECIMALS, USDC_DECIMALS)
        out.info(f"Deposit {shown} USDC for {account}: {usd_text(credit)} of API credit.")
        out.confirm("Send this deposit?", yes)
        if signature is None:
            ck.approve_step(out, client, spend.spend)
        result = ck.send_step(out, client, "depositing", action, "PaymentVault")

        confirmed = False
        balance_after: int | None = None
        credited = False
        if wait:
            stop = time.monotonic() + timeout
            target = result.block + depth - 1
            while client.block_number() < target and time.monotonic() < stop:
                out.progress(
                    f"waiting for {depth} confirmation(s): block {client.block_number()} of "
                    f"{target}"
                )
                time.sleep(1.0)
            confirmed = client.block_number() >= target
            if confirmed and session is not None and before is not None:
                while time.monotonic() < stop:
                    balance_after = gateway_balance(gw_url, session)
                    if balance_after >= before + credit:
                        credited = True
                        break
                    time.sleep(0.5)
        data: dict[str, Any] = {
            "action": "deposit",
            "account": account,
            "amount": str(amount),
            "credit_nano_usd": str(credit),
            "permit": signature is not None,
            "confirmations": depth,
            "confirmed": confirmed,
            "credited": credited,
            "balance_nano_usd": None if balance_after is None else str(balance_after),
            **ck.tx_json(result),
        }

        def human() -> None:
            line = f"[green]deposited[/] {shown} USDC for {account} (tx {result.tx_hash})"
            out.console.print(line)
            if credited and balance_after is not None:
                out.console.print(
                    f"credited by the gateway: balance {usd_text(balance_after)} "
                    f"({balance_after} nano-USD)"
                )
            elif not wait:
                out.console.print(
                    f"it is credited after {depth} confirmation(s); see `fomo credits balance`"
                )
            else:
                out.console.print(
                    f"not credited yet after {timeout:g} s (needs {depth} confirmation(s) and a "
                    "running gateway); see `fomo credits balance` later"
                )

        out.result(data, human)
