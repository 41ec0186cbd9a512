"""``fomo epoch run|verify|show`` and ``fomo rewards explain|claimable|claim``.

The rewards commands join the existing ``fomo rewards`` group (the calculator's ``day``)."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import select

from fomo.chain.errors import ChainActionError
from fomo.cli import chainkit as ck
from fomo.cli import rewards as rewards_cli
from fomo.db.models import GmLock, RewardClaim
from fomo.db.session import make_engine, make_session_factory
from fomo.economics.epoch import verify_bytes
from fomo.economics.epoch_claims import claims_for
from fomo.economics.epoch_explain import LockInfo, explain
from fomo.economics.epoch_file import EpochDataError, EpochFile
from fomo.economics.epoch_input import InsolventEpoch
from fomo.economics.units import SECONDS_PER_DAY, usd_text
from fomo.epochs import engine as eng
from fomo.epochs.activity import chain_activity

app = typer.Typer(
    name="epoch", help="Daily reward epochs: run, verify, show.", no_args_is_help=True
)

DayOpt = Annotated[str | None, typer.Option("--day", help="UTC day (YYYY-MM-DD or day number).")]


def _factory(settings: Any) -> Any:
    return make_session_factory(make_engine(settings.db_url))


def _port(conn: ck.Conn, *, need_key: bool) -> Any:
    from fomo.epochs.chainport import Web3ChainPort

    return Web3ChainPort(ck.connect(conn, need_key=need_key))


def _parse_day(text: str) -> int:
    """A day typed by the user; a bad one is a sentence (``ChainActionError``), not a traceback."""
    try:
        return int(eng.parse_day(text))
    except eng.EpochError as exc:
        raise ChainActionError(f"The day {exc}.") from None


def _day_bytes(settings: Any, day: str | None) -> tuple[int, bytes]:
    d = _parse_day(day) if day else eng.latest_day(settings.data_dir)
    if d is None:
        raise ChainActionError(f"No epoch data files in {eng.epochs_dir(settings.data_dir)} yet.")
    return d, eng.load_day(settings.data_dir, d)


@app.command("run")
def run(
    day: DayOpt = None,
    no_chain: Annotated[
        bool,
        typer.Option("--no-chain", help="Compute and write the file only (no settle, no propose)."),
    ] = False,
    flock: Annotated[
        str | None, typer.Option("--flock", help="FLOCK address (default: from the manifest).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Catch up only to this day (inclusive).")
    ] = None,
    rpc: ck.RpcOpt = None,
    manifest: ck.ManifestOpt = None,
    key: ck.KeyOpt = None,
    dev_account: ck.DevAccountOpt = None,
    as_json: ck.JsonOpt = False,
) -> None:
    """Run one finished UTC day (--day), or every finished day not yet run, oldest first."""
    out = ck.Out(as_json)
    with ck.handled(out):
        s = ck.settings()
        port = None
        if not no_chain:
            port = _port(ck.Conn(rpc, manifest, key, None, dev_account), need_key=True)
            flock = flock or port.flock_token()
            now = port.client.timestamp()
        else:
            now = int(time.time())
            if flock is None:
                from fomo.chain.manifest import load_manifest

                m = load_manifest(manifest or s.manifest_file)
                if m is None:
                    raise ChainActionError("Pass --flock (no deployment manifest to read it from).")
                flock = m.address("FLOCK")
        factory = _factory(s)
        params = eng.params_from_settings(s)
        if until is not None:
            now = min(now, (_parse_day(until) + 1) * SECONDS_PER_DAY)
        try:
            if day is not None:
                results = [
                    eng.run_day(
                        factory,
                        s.data_dir,
                        _parse_day(day),
                        flock_token=flock,
                        chain=port,
                        params=params,
                        now=now,
                    )
                ]
            else:
                with factory() as sess:
                    first = eng.first_day(sess.connection())
                if first is None:
                    results = []
                else:
                    results = eng.catch_up(
                        factory,
                        s.data_dir,
                        first=first,
                        now=now,
                        flock_token=flock,
                        chain=port,
                        params=params,
                    )
        except InsolventEpoch as exc:
            raise ChainActionError(str(exc)) from None
        except eng.EpochError as exc:
            raise ChainActionError(str(exc)) from None
        rows = [
            {
                "day": eng.day_label(r.epoch),
                "epoch": r.epoch,
                "status": r.status,
                "root": r.root,
                "file": str(r.path),
                "reused": r.reused,
            }
            for r in results
        ]

        def human() -> None:
            if not rows:
                out.info("Nothing to run: no finished day is pending.")
            for r in rows:
                out.info(
                    f"{r['day']}: {r['status']}{' (already done)' if r['reused'] else ''} "
                    f"root {r['root']} → {r['file']}"
                )

        out.result({"epochs": rows}, human)


@app.command("verify")
def verify(
    file: Annotated[Path, typer.Argument(help="An epoch data file.")],
    rpc: ck.RpcOpt = None,
    manifest: ck.ManifestOpt = None,
    offline: Annotated[bool, typer.Option("--offline", help="Do not ask the chain.")] = False,
    fast: Annotated[
        bool,
        typer.Option(
            "--fast",
            help="Recompute with the integer fast path (same results; minutes faster on "
            "million-account days) instead of the reference compute_day.",
        ),
    ] = False,
    as_json: ck.JsonOpt = False,
) -> None:
    """Recompute outputs and root from the file alone; compare with the chain if reachable."""
    out = ck.Out(as_json)
    try:
        v = verify_bytes(file.read_bytes(), fast=fast)
    except (OSError, EpochDataError, InsolventEpoch) as exc:
        out.fail(ChainActionError(f"{file}: INVALID — {exc}"))
    chain: dict[str, Any] = {"checked": False}
    if not offline:
        try:
            port = _port(ck.Conn(rpc, manifest), need_key=False)
            live = port.live_root()
            pending = port.pending_root()
            chain = {
                "checked": True,
                "live_root": live[0],
                "live_epoch": live[1],
                "pending_root": pending[0],
                "pending_epoch": pending[1],
                "matches_live": live[0] == v.root and live[1] == v.epoch and live[2] == v.data_hash,
                "matches_pending": pending[0] == v.root and pending[1] == v.epoch,
            }
        except Exception as exc:  # verification from the file stands on its own
            chain = {"checked": False, "detail": f"chain not reachable ({type(exc).__name__})"}
    body = {
        "file": str(file),
        "epoch": v.epoch,
        "root": v.root,
        "data_hash": v.data_hash,
        "valid": True,
        "chain": chain,
    }

    def human() -> None:
        out.info(f"{file}: valid — epoch {v.epoch}, root {v.root}, data hash {v.data_hash}")
        if chain.get("checked"):
            if chain["matches_live"]:
                out.info("matches the chain's live root")
            elif chain["matches_pending"]:
                out.info("matches the chain's pending root (dispute window running)")
            else:
                out.info(
                    f"DIFFERS from the chain: live root {chain['live_root']} "
                    f"(epoch {chain['live_epoch']}), pending {chain['pending_root']}"
                )
        else:
            out.info(f"chain not compared: {chain.get('detail', 'offline')}")

    out.result(body, human)
    if chain.get("checked") and not (chain["matches_live"] or chain["matches_pending"]):
        raise typer.Exit(3)


@app.command("show")
def show(day: DayOpt = None, as_json: ck.JsonOpt = False) -> None:
    """Operator view of a day: revenue, settlements, buybacks and burns, emission per MT,
    roll-over/expiry, top earners."""
    out = ck.Out(as_json)
    with ck.handled(out):
        s = ck.settings()
        epoch, data = _day_bytes(s, day)
        summ = eng.summary(EpochFile.from_bytes(data))
        with _factory(s)() as session:
            summ["chain"] = chain_activity(session, epoch)

        def human() -> None:
            out.info(
                f"[bold]{summ['day']}[/] root {summ['root']} · {summ['leaves']} leaves · "
                f"emission paid {summ['emission_paid']} wei (dust {summ['emission_dust']})"
            )
            for d in summ["deployments"]:
                out.info(
                    f"  {d['token']}: paid {usd_text(int(d['paid_revenue_nano_usd']))} · "
                    f"emission {d['emission']} · issuer {d['issuer_bonus']} · "
                    f"{d['participants']} participants · MT reward paid {d['mt_reward']['paid']} "
                    f"rolled {d['mt_reward']['carried_out']} burned {d['mt_reward']['expired']}"
                )
            for a, v in summ["top_flock_earners"]:
                out.info(f"  top: {a} {v} FLOCK wei")
            chain = summ["chain"]
            for st in chain["settlements"]:
                out.info(
                    f"  settled {st['token']}: {st['usdc']} USDC units → FLOCK buyback "
                    f"{st['flock_buyback']} · treasury {st['treasury']} · MT buyback "
                    f"{st['mt_buyback']} · issuer (credited) {st['issuer']}"
                )
            for bb in chain["buybacks"]:
                out.info(
                    f"  buyback ({bb['kind']}) {bb['token']}: {bb['usdc_in']} USDC units → "
                    f"{bb['amount_out']} wei"
                )
            for token, total in chain["burned_per_token"].items():
                out.info(f"  burned {token}: {total} wei")

        out.result(summ, human)


# --- fomo rewards explain | claimable | claim ----------------------------------------------


def _claimed_from_db(settings: Any, account: str) -> dict[str, int]:
    with _factory(settings)() as sess:
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
        epoch, data = _day_bytes(s, day)
        doc = EpochFile.from_bytes(data)
        unattributed, lock = 0, None
        try:
            from fomo.epochs import gather

            with _factory(s)() as sess:
                unattributed = gather.unattributed_spend(sess.connection(), epoch, acct)
                g = sess.get(GmLock, acct)
                lock = LockInfo(g.amount, g.unlock_time) if g is not None else None
        except Exception:  # the file alone still explains the numbers
            pass
        body = explain(doc, acct, unattributed_spend=unattributed, lock=lock)

        def human() -> None:
            out.info(
                f"[bold]{acct}[/] on {eng.day_label(epoch)} (Season {body['season']}) · "
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
        epoch, data = _day_bytes(s, day)
        _, items = claims_for(data, acct)
        try:
            port = _port(ck.Conn(rpc, manifest), need_key=False)
            claimed = {i.token: port.claimed(acct, i.token) for i in items}
        except Exception:
            claimed = _claimed_from_db(s, acct)
        # The leaves and proofs are already here; only the claimed amounts were missing.
        items = [replace(i, claimed=claimed.get(i.token, 0)) for i in items]
        body = {"account": acct, "epoch": epoch, "claims": [i.to_json() for i in items]}

        def human() -> None:
            if not items:
                out.info(f"{acct} has no rewards as of {eng.day_label(epoch)}.")
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
        port = _port(ck.Conn(rpc, manifest, key, None, dev_account), need_key=True)
        acct = ck.checksum(account or port.client.address, "account").lower()
        root, live_epoch, _ = port.live_root()
        if int(root, 16) == 0:
            raise ChainActionError(
                "No live root yet: the first root is still in its dispute window."
            )
        data = eng.load_day(s.data_dir, live_epoch) if day is None else _day_bytes(s, day)[1]
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

    out = ck.Out(as_json)
    with ck.handled(out):
        client = ck.connect(ck.Conn(rpc, manifest, key, None, dev_account))
        address = resolve_token(client, token)
        recipient = ck.checksum(to, "recipient") if to else client.address
        router = client.contract("RevenueRouter")
        owed = int(router.functions.issuer_revenue(client.address, address).call())
        if owed == 0:
            raise ChainActionError(
                f"{client.address} has no issuer revenue to withdraw for {address} "
                "(not its issuer, nothing settled yet, or already withdrawn)."
            )
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
