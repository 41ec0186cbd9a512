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

from fomo.chain.errors import ChainActionError
from fomo.cli import chainkit as ck
from fomo.economics.units import USDC_DECIMALS, usd_text

NANO_PER_USDC_UNIT = 1_000
PERMIT_TTL_SECONDS = 3_600


def permit_signature(
    client: Any, token: Any, spender: str, amount: int, deadline: int
) -> tuple[int, bytes, bytes] | None:
    """An EIP-2612 permit of ``amount`` for ``spender``, signed by the client's key, or
    ``None`` when the token has no permit or its domain is not the one we can rebuild."""
    from eth_account.messages import encode_typed_data

    names = {entry.get("name") for entry in token.abi if entry.get("type") == "function"}
    if not {"permit", "nonces", "DOMAIN_SEPARATOR", "name"} <= names:
        return None
    owner = client.address
    if "eip712Domain" in names:  # EIP-5267: the token says what its domain is
        _, name, version, chain_id, verifying, _, _ = token.functions.eip712Domain().call()
    else:
        name = token.functions.name().call()
        version = token.functions.version().call() if "version" in names else "1"
        chain_id, verifying = client.chain_id, token.address
    message = encode_typed_data(
        full_message={
            "types": {
                "EIP712Domain": [
                    {"name": "name", "type": "string"},
                    {"name": "version", "type": "string"},
                    {"name": "chainId", "type": "uint256"},
                    {"name": "verifyingContract", "type": "address"},
                ],
                "Permit": [
                    {"name": "owner", "type": "address"},
                    {"name": "spender", "type": "address"},
                    {"name": "value", "type": "uint256"},
                    {"name": "nonce", "type": "uint256"},
                    {"name": "deadline", "type": "uint256"},
                ],
            },
            "primaryType": "Permit",
            "domain": {
                "name": name,
                "version": version,
                "chainId": int(chain_id),
                "verifyingContract": verifying,
            },
            "message": {
                "owner": owner,
                "spender": spender,
                "value": amount,
                "nonce": int(token.functions.nonces(owner).call()),
                "deadline": deadline,
            },
        }
    )
    if bytes(message.header) != bytes(token.functions.DOMAIN_SEPARATOR().call()):
        return None  # a domain we would sign wrongly: use an approval instead
    signed = client.account.sign_message(message)
    return int(signed.v), int(signed.r).to_bytes(32, "big"), int(signed.s).to_bytes(32, "big")


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
    from fomo.cli.gateway import _gateway_url, siwe_session
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
        gateway_url = _gateway_url(gateway)

        # The gateway session comes first: the balance before the deposit is the reference.
        session: str | None = None
        before: int | None = None
        if wait and account == me and client.account is not None:
            try:
                session, _ = siwe_session(gateway_url, client.account.key.hex())
                before = gateway_balance(gateway_url, session)
            except Exception:
                session = None
                out.progress(f"the gateway at {gateway_url} does not answer; not waiting for it")

        deadline = client.timestamp() + PERMIT_TTL_SECONDS
        signature = permit_signature(client, usdc, vault.address, amount, deadline)
        if signature is not None:
            balance = int(usdc.functions.balanceOf(me).call())
            if balance < amount:
                raise ChainActionError(
                    f"Not enough USDC: this deposit needs "
                    f"{ck.fmt_units(amount, USDC_DECIMALS, USDC_DECIMALS)} USDC but {me} holds "
                    f"{ck.fmt_units(balance, USDC_DECIMALS, USDC_DECIMALS)} USDC.",
                    reason="balance",
                )
            action = vault.functions.deposit_with_permit(account, amount, deadline, *signature)
            client.call(action, contract="PaymentVault")
        else:
            action = vault.functions.deposit(account, amount)
            ck.check_spend(
                out,
                client,
                token=usdc_address,
                symbol="USDC",
                decimals=USDC_DECIMALS,
                spender=vault.address,
                amount=amount,
                action=action,
                contract="PaymentVault",
                what="this deposit",
            )
        shown = ck.fmt_units(amount, USDC_DECIMALS, USDC_DECIMALS)
        out.info(f"Deposit {shown} USDC for {account}: {usd_text(credit)} of API credit.")
        out.confirm("Send this deposit?", yes)
        if signature is None:
            ck.approve_step(out, client, usdc_address, vault.address, amount)
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
                    balance_after = gateway_balance(gateway_url, session)
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
