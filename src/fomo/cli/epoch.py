"""``fomo epoch run|verify|show`` and ``fomo rewards explain|claimable|claim``.

The rewards commands join the existing ``fomo rewards`` group (the calculator's ``day``)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer

from fomo.chain.errors import ChainActionError
from fomo.cli import chainkit as ck
from fomo.cli.epochkit import DayOpt, chain_port, day_bytes, parse_day_option, session_factory
from fomo.economics.epoch import verify_bytes
from fomo.economics.epoch_file import EpochDataError, EpochFile
from fomo.economics.epoch_input import InsolventEpoch
from fomo.economics.units import SECONDS_PER_DAY, usd_text
from fomo.epochs import engine as eng
from fomo.epochs.activity import chain_activity

app = typer.Typer(
    name="epoch", help="Daily reward epochs: run, verify, show.", no_args_is_help=True
)


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
            port = chain_port(ck.Conn(rpc, manifest, key, None, dev_account), need_key=True)
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
        factory = session_factory(s)
        params = eng.params_from_settings(s)
        if until is not None:
            now = min(now, (parse_day_option(until) + 1) * SECONDS_PER_DAY)
        try:
            if day is not None:
                results = [
                    eng.run_day(
                        factory,
                        s.data_dir,
                        parse_day_option(day),
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
            port = chain_port(ck.Conn(rpc, manifest), need_key=False)
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
        epoch, data = day_bytes(s, day)
        summ = eng.summary(EpochFile.from_bytes(data))
        with session_factory(s)() as session:
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
