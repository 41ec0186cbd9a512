"""Shared plumbing of the user-action commands (launch, stake, gm, vesting, faucet, chain).

Every command takes the same connection options (``--rpc``, ``--manifest``, ``--key``,
``--keystore``, ``--dev-account``), ``--json`` (one JSON object on stdout, nothing else) and,
where it sends a transaction, ``--yes`` (no confirmation prompt). Failures print one plain
sentence (``error: …``; with ``--json`` an ``{"ok": false, "error": …, "reason": …}`` object) and
exit with code 1 — never a traceback.

Amounts are typed in whole tokens with optional decimals (``1000``, ``0.5``, ``1_000_000``) and
converted exactly (no floats); JSON output carries base units as decimal strings.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from fomo.chain.address import checksum as checksum  # every command parses addresses
from fomo.chain.errors import ChainActionError
from fomo.chain.spend import Spend
from fomo.chain.spend import check_spend as chain_check_spend
from fomo.economics.units import parse_units

if TYPE_CHECKING:  # web3, eth-account and pydantic load only when a command connects
    from rich.console import Console

    from fomo.chain.client import ChainClient, TxResult
    from fomo.config import Settings

# Same names as fomo.chain.client's, which imports web3.
PRIVATE_KEY_ENV = "FOMO_PRIVATE_KEY"
KEYSTORE_ENV = "FOMO_KEYSTORE"

# --- options shared by every command -----------------------------------------------------------

RpcOpt = Annotated[
    str | None,
    typer.Option("--rpc", help="Chain RPC URL (default: FOMO_RPC_URL or the local anvil)."),
]
ManifestOpt = Annotated[
    Path | None,
    typer.Option("--manifest", help="Deployment manifest (default: <data_dir>/deployment.json)."),
]
KeyOpt = Annotated[
    str | None,
    typer.Option(
        "--key", help="Private key (hex). Prefer FOMO_PRIVATE_KEY: flags end up in shell history."
    ),
]
KeystoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--keystore", help="Encrypted JSON keystore (password from FOMO_KEYSTORE_PASSWORD)."
    ),
]
DevAccountOpt = Annotated[
    int | None,
    typer.Option(
        "--dev-account",
        min=0,
        help="Use dev account N of the anvil mnemonic (dev chains only).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object, no tables.")]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


@dataclass
class Conn:
    """Connection options of one command invocation."""

    rpc: str | None = None
    manifest: Path | None = None
    key: str | None = None
    keystore: Path | None = None
    dev_account: int | None = None


def settings() -> Settings:
    from fomo.config import Settings

    try:
        return Settings.load()
    except (ValueError, FileNotFoundError) as exc:
        raise ChainActionError(f"Invalid configuration: {exc}") from None


def connect(conn: Conn, *, need_key: bool = True, need_manifest: bool = True) -> ChainClient:
    """A client for the configured chain and deployment, with the signing key if needed."""
    from fomo.chain.client import ChainClient, load_key
    from fomo.chain.manifest import Manifest, load_manifest
    from fomo.config import DEV_CHAIN_IDS

    s = settings()
    rpc = conn.rpc or s.chain_rpc_url
    manifest: Manifest | None = None
    manifest_path = conn.manifest or s.manifest_file
    try:
        manifest = load_manifest(manifest_path)
    except ValueError as exc:
        raise ChainActionError(str(exc)) from None
    if manifest is None and need_manifest:
        raise ChainActionError(
            f"No deployment manifest at {manifest_path}: run `fomo up` or `fomo chain deploy`, "
            "or pass --manifest."
        )
    client = ChainClient.connect(rpc, manifest=manifest)
    if manifest is not None and client.chain_id != manifest.chain_id:
        raise ChainActionError(
            f"The manifest is for chain {manifest.chain_id} but {rpc} is chain {client.chain_id}."
        )
    key_in_env = bool(os.environ.get(PRIVATE_KEY_ENV) or os.environ.get(KEYSTORE_ENV))
    if need_key or key_in_env or conn.key or conn.keystore or conn.dev_account is not None:
        if conn.dev_account is not None:
            if client.chain_id not in DEV_CHAIN_IDS:
                raise ChainActionError("--dev-account works on a dev chain (31337/1337) only.")
            from fomo.chain.dev_accounts import dev_accounts

            accounts = dev_accounts(s.anvil_mnemonic, conn.dev_account + 1)
            client.account = load_key(accounts[conn.dev_account].private_key)
        else:
            client.account = load_key(conn.key, conn.keystore)
    return client


# --- amounts -------------------------------------------------------------------------------


def parse_amount(text: str, decimals: int, *, what: str = "amount") -> int:
    """``"1000.5"`` whole tokens → base units, exactly; refuses more decimals than the token has."""
    cleaned = text.strip().replace("_", "").replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ChainActionError(f"The {what} {text!r} is not a number.") from None
    if not value.is_finite() or value <= 0:
        raise ChainActionError(f"The {what} must be a positive number (got {text!r}).")
    try:
        # parse_units scales exactly; Decimal.scaleb would round past 28 significant digits.
        return parse_units(cleaned, decimals)
    except ValueError:
        raise ChainActionError(f"The {what} {text!r} has more than {decimals} decimals.") from None


def fmt_units(value: int, decimals: int, places: int = 4) -> str:
    """Base units → ``"12,345.6789"`` (truncated to ``places`` decimals, never rounded up)."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole, frac = divmod(value, 10**decimals)
    text = f"{whole:,}"
    if places and frac:
        digits = str(frac).rjust(decimals, "0")[:places].rstrip("0")
        if digits:
            text += "." + digits
    return sign + text


def fmt_bps(bps: int) -> str:
    return f"{bps // 100}.{bps % 100:02d}%"


def fmt_time(ts: int) -> str:
    """A chain timestamp as a UTC minute (``-`` for zero, i.e. not set)."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC") if ts else "-"


# --- output ----------------------------------------------------------------------------------


class Out:
    """Human (rich, stderr for chatter) or machine (one JSON object on stdout) output."""

    def __init__(self, as_json: bool) -> None:
        from rich.console import Console

        self.as_json = as_json
        self.console: Console = Console(highlight=False, soft_wrap=True)
        self.err: Console = Console(stderr=True, highlight=False, soft_wrap=True)

    def info(self, text: str) -> None:
        if not self.as_json:
            self.console.print(text)

    def progress(self, text: str) -> None:
        if not self.as_json:
            self.err.print(f"[dim]{text}[/]")

    def result(self, data: dict[str, Any], human: Callable[[], None] | None = None) -> None:
        if self.as_json:
            sys.stdout.write(json.dumps({"ok": True, **data}, default=_json_default) + "\n")
            sys.stdout.flush()
        elif human is not None:
            human()

    def fail(self, exc: ChainActionError) -> NoReturn:
        if self.as_json:
            body = {"ok": False, "error": exc.sentence, "reason": exc.reason}
            sys.stdout.write(json.dumps(body) + "\n")
            sys.stdout.flush()
        else:
            self.err.print(f"[red]error:[/] {exc.sentence}")
        raise typer.Exit(1)

    def confirm(self, question: str, yes: bool) -> None:
        """Ask unless ``--yes``; a "no" exits with code 1 and nothing sent."""
        if yes:
            return
        if not sys.stdin.isatty() and self.as_json:
            raise ChainActionError("Refusing to prompt in --json mode: pass --yes to confirm.")
        import click

        try:
            agreed = typer.confirm(question, default=False, err=True)
        except (click.exceptions.Abort, EOFError, KeyboardInterrupt):
            agreed = False
        except Exception as exc:  # typer's vendored click raises its own Abort
            if type(exc).__name__ != "Abort":
                raise
            agreed = False
        if not agreed:
            raise ChainActionError("Cancelled: nothing was sent.")


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


@contextmanager
def handled(out: Out) -> Iterator[None]:
    """Turn every expected failure into one sentence and exit code 1."""
    try:
        yield
    except ChainActionError as exc:
        out.fail(exc)
    except (ConnectionError, OSError) as exc:
        out.fail(ChainActionError(f"Cannot reach the chain RPC ({exc.__class__.__name__})."))
    except Exception as exc:
        if exc.__class__.__module__.startswith("requests"):
            out.fail(ChainActionError(f"Cannot reach the chain RPC ({exc.__class__.__name__})."))
        raise


def tx_json(result: TxResult) -> dict[str, Any]:
    return result.to_json()


def send_step(out: Out, client: ChainClient, label: str, fn: Any, contract: str) -> TxResult:
    """Send one transaction with a progress line (human mode)."""
    out.progress(f"{label} …")
    result = client.send(fn, contract=contract)
    out.progress(f"{label}: tx {result.tx_hash} in block {result.block}")
    return result


def simulate_and_send(
    out: Out, client: ChainClient, fn: Any, contract: str, doing: str, prompt: str, yes: bool
) -> TxResult:
    """The flow of an action that pulls no tokens: simulated first (a revert is its sentence,
    before the prompt), then the confirmation ``prompt`` (unless ``yes``), then sent with the
    progress label ``doing``."""
    client.call(fn, contract=contract)
    out.confirm(prompt, yes)
    return send_step(out, client, doing, fn, contract)


def approve_step(out: Out, client: ChainClient, spend: Spend) -> None:
    """Approve exactly what the next action needs, if the allowance is short.

    Call :func:`check_spend` first: it checks the balance and simulates the action.
    """
    out.progress("checking allowance …")
    result = client.ensure_allowance(spend.token, spend.spender, spend.amount)
    if result is not None:
        out.progress(f"approved: tx {result.tx_hash}")


# --- spending a token: balance check, simulation, exact approval -----------------------------


@dataclass(frozen=True)
class TokenSpend:
    """A spend as the CLI words it: the chain's :class:`~fomo.chain.spend.Spend`, the token's
    symbol and decimals, and what the action is called in a sentence (``"this buy"``)."""

    spend: Spend
    symbol: str
    decimals: int
    what: str


def shortfall(spend: TokenSpend, owner: str, balance: int) -> ChainActionError:
    """The sentence for a balance short of the amount, naming the token and both amounts."""
    amount, d, sym = spend.spend.amount, spend.decimals, spend.symbol
    return ChainActionError(
        f"Not enough {sym}: {spend.what} needs {fmt_units(amount, d, d)} {sym} "
        f"but {owner} holds {fmt_units(balance, d, d)} {sym}.",
        reason="balance",
    )


def check_spend(out: Out, client: ChainClient, spend: TokenSpend) -> None:
    """Check, before anything is signed, that the action will succeed: the balance first (a
    shortfall is one sentence naming the token, the balance and the amount needed), then a
    simulation of the action as if approved (a revert is its sentence); the reads are
    :func:`fomo.chain.spend.check_spend`. Call it before the confirmation prompt; after it,
    approve with :func:`approve_step` (exactly the amount) and send. Permit is not used here:
    the Launchpad, Staking and GmFlock take no permit, so a permit would be a transaction like
    the approval.
    """
    checked = chain_check_spend(client, spend.spend)
    if not checked.enough:
        raise shortfall(spend, checked.owner, checked.balance)
    if not checked.simulated:
        out.progress("this node cannot simulate before approving; the balance was checked")


def spend_and_send(
    out: Out, client: ChainClient, spend: TokenSpend, *, prompt: str, yes: bool, doing: str
) -> TxResult:
    """The whole flow of an action that pulls tokens: :func:`check_spend` (balance and
    simulation, before anything is signed), the confirmation ``prompt``, the exact approval,
    then the action itself (progress label ``doing``)."""
    check_spend(out, client, spend)
    out.confirm(prompt, yes)
    approve_step(out, client, spend.spend)
    return send_step(out, client, doing, spend.spend.action, spend.spend.contract)
