"""`fomo rewards explain|claimable|claim|issuer-withdraw`: a published day's rewards of one account.

These join the reward calculator's group (`cli/main.py` loads this module with
:mod:`fomo.cli.rewards`), so they keep its start-up light: the data file is read with the
economics core, and SQLAlchemy and web3 are imported only inside the commands that use them.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Annotated, Any

import typer

from fomo.chain.errors import ChainActionError
from fomo.cli import chainkit as ck
from fomo.cli import rewards as rewards_cli
from fomo.cli.epochkit import DayOpt, chain_port, day_bytes, session_factory
from fomo.economics.epoch_claims import claims_for
from fomo.economics.epoch_explain import LockInfo, explain
from fomo.economics.epoch_file import EpochFile
from fomo.epochs.datafiles import day_label, load_day


def _claimed_from_db(settings: Any, account: str) -> dict[str, int]:
    from sqlalchemy import select

    from fomo.db.models import RewardClaim

    with session_factory(settings)() as sess:
        out: dict[str, int] = {}
        for row in sess.scalars(select(RewardClaim).where(RewardClaim.account == account)):
            out[row.token] = out.get(row.token, 0) + row.amount
        return out


@rewards_cli.app.command("explain")
def explain_cmd(
    account: Annotated[str, typer.Argument(help="The account (0x address).")],
    day: DayOpt = None,
    as_json: ck.JsonOpt = False,
) -> None:
    """Why ACCOUNT earned what it did: per MT shares, α, multiplier, scores, amounts, reasons."""
    out = ck.Out(as_json)
    with ck.handled(out):
        s = ck.settings()
        acct = ck.checksum(account, "account").lower()
        epoch, data = day_bytes(s, day)
        doc = EpochFile.from_bytes(data)
        unattributed, lock = 0, None
        try:
            from fomo.db.models import GmLock
            from fomo.epochs import gather

            with session_factory(s)() as sess:
                unattributed = gather.unattributed_spend(sess.connection(), epoch, acct)
                g = sess.get(GmLock, acct)
                lock = LockInfo(g.amount, g.unlock_time) if g is not None else None
        except Exception:  # the file alone still explains the numbers
            pass
        body = explain(doc, acct, unattributed_spend=unattributed, lock=lock)

        def human() -> None:
            out.info(
                f"[bold]{acct}[/] on {day_label(epoch)} (Season {body['season']}) · "
                f"effective gmFLOCK {body['effective_gmflock']}"
            )
            for r in body["reasons"]:
                out.info(f"  • {r}")
            for m in body["mts"]:
                out.info(
                    f"  [bold]{m['token']}[/] day {m['vintage_day']} α {m['alpha']} "
                    f"emission {m['mt_emission']} FLOCK"
                )
                if "usage_share" in m:
                    out.info(
                        f"    usage {m['usage_share']} · stake {m['stake_share']} · m "
                        f"{m['multiplier']} · global score {m['global_score']} · incentive "
                        f"{m['incentive_score']} → Global FLOCK {m['global_flock']}, Reserved "
                        f"FLOCK {m['reserved_flock']}, MT Reward {m['mt_reward']}"
                    )
                for r in m["reasons"]:
                    out.info(f"    • {r}")
            out.info(f"  today: {body['today']} · cumulative: {body['cumulative']}")

        out.result(body, human)


@rewards_cli.app.command("claimable")
def claimable_cmd(
    account: Annotated[str, typer.Argument(help="The account (0x address).")],
    day: DayOpt = None,
    rpc: ck.RpcOpt = None,
    manifest: ck.ManifestOpt = None,
    as_json: ck.JsonOpt = False,
) -> None:
    """Cumulative rewards, already claimed, claimable and the Merkle proofs of ACCOUNT."""
    out = ck.Out(as_json)
    with ck.handled(out):
        s = ck.settings()
        acct = ck.checksum(account, "account").lower()
        epoch, data = day_bytes(s, day)
        _, items = claims_for(data, acct)
        try:
            port = chain_port(ck.Conn(rpc, manifest), need_key=False)
            claimed = {i.token: port.claimed(acct, i.token) for i in items}
        except Exception:
            claimed = _claimed_from_db(s, acct)
        # The leaves and proofs are already here; only the claimed amounts were missing.
        items = [replace(i, claimed=claimed.get(i.token, 0)) for i in items]
        body = {"account": acct, "epoch": epoch, "claims": [i.to_json() for i in items]}

        def human() -> None:
            if not items:
                out.info(f"{acct} has no rewards as of {day_label(epoch)}.")
            for i in items:
                out.info(
                    f"  {i.token}: cumulative {i.cumulative} · claimed {i.claimed} · "
                    f"claimable {i.claimable}"
                )

        out.result(body, human)


@rewards_cli.app.command("claim")
def claim_cmd(
    account: Annotated[
        str | None, typer.Argument(help="Beneficiary (default: the signing account).")
    ] = None,
    day: DayOpt = None,
    token: Annotated[str | None, typer.Option("--token", help="Only this token.")] = None,
    rpc: ck.RpcOpt = None,
    manifest: ck.ManifestOpt = None,
    key: ck.KeyOpt = None,
    dev_account: ck.DevAccountOpt = None,
    yes: ck.YesOpt = False,
    as_json: ck.JsonOpt = False,
) -> None:
    """Submit the proofs of the live root: pays cumulative − already claimed, per token."""
    out = ck.Out(as_json)
    with ck.handled(out):
        s = ck.settings()
        port = chain_port(ck.Conn(rpc, manifest, key, None, dev_account), need_key=True)
        acct = ck.checksum(account or port.client.address, "account").lower()
        root, live_epoch, _ = port.live_root()
        if int(root, 16) == 0:
            raise ChainActionError(
                "No live root yet: the first root is still in its dispute window."
            )
        data = load_day(s.data_dir, live_epoch) if day is None else day_bytes(s, day)[1]
        doc, items = claims_for(data, acct)
        if doc.root != root:
            raise ChainActionError(
                f"The data file of epoch {live_epoch} does not match the live root."
            )
        items = [i for i in items if token is None or i.token == token.lower()]
        claimed = {i.token: port.claimed(acct, i.token) for i in items}
        todo = [i for i in items if i.cumulative > claimed[i.token]]
        if not todo:
            if any(claimed[i.token] > 0 for i in items):
                raise ChainActionError(
                    f"Already claimed: everything the live root (epoch {live_epoch}) gives "
                    f"{acct} has been claimed; more arrives with the next root."
                )
            out.result({"account": acct, "claims": []}, lambda: out.info("Nothing to claim."))
            return
        out.confirm(f"Claim {len(todo)} token(s) for {acct}?", yes)
        done = []
        for i in todo:
            tx = port.claim(acct, i.token, i.cumulative, i.proof)
            done.append(
                {"token": i.token, "amount": str(i.cumulative - claimed[i.token]), "tx": tx}
            )
            out.progress(f"claimed {i.cumulative - claimed[i.token]} of {i.token}: tx {tx}")
        out.result({"account": acct, "claims": done}, lambda: out.info(json.dumps(done, indent=2)))


@rewards_cli.app.command("issuer-withdraw")
def issuer_withdraw_cmd(
    token: Annotated[str, typer.Argument(help="The MT (address or ticker) you are the issuer of.")],
    to: Annotated[
        str | None,
        typer.Option("--to", help="Send the USDC here instead of the signing account."),
    ] = None,
    rpc: ck.RpcOpt = None,
    manifest: ck.ManifestOpt = None,
    key: ck.KeyOpt = None,
    dev_account: ck.DevAccountOpt = None,
    yes: ck.YesOpt = False,
    as_json: ck.JsonOpt = False,
) -> None:
    """Withdraw the issuer's 10% revenue share of TOKEN that settlements credited to you.

    Example: fomo rewards issuer-withdraw QWENALICE --to 0xYourColdWallet
    """
    from fomo.chain.launchpad import resolve_token
    from fomo.chain.revenue import issuer_revenue_owed

    out = ck.Out(as_json)
    with ck.handled(out):
        client = ck.connect(ck.Conn(rpc, manifest, key, None, dev_account))
        address = resolve_token(client, token)
        recipient = ck.checksum(to, "recipient") if to else client.address
        owed = issuer_revenue_owed(client, client.address, address)
        router = client.contract("RevenueRouter")
        out.confirm(f"Withdraw {ck.fmt_units(owed, 6, 6)} USDC to {recipient}?", yes)
        result = ck.send_step(
            out,
            client,
            "withdrawing issuer revenue",
            router.functions.claim_issuer_revenue(address, recipient),
            "RevenueRouter",
        )
        out.result(
            {
                "action": "issuer-withdraw",
                "token": address,
                "recipient": recipient,
                "amount": str(owed),
                **ck.tx_json(result),
            },
            lambda: out.console.print(
                f"[green]withdrew[/] {ck.fmt_units(owed, 6, 6)} USDC of issuer revenue "
                f"to {recipient}"
            ),
        )
