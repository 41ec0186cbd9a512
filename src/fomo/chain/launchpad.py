"""The Launchpad, read and quoted over a `ChainClient`: one launch's state as a typed view,
tickers resolved to tokens, and the buy quote from `fomo.economics.curve` checked against the
contract's own `quote_buy`.

Commands (`fomo launch …`, `fomo stake …`) and the demo call these; nothing here prints."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from web3.contract import Contract

from fomo.chain.address import checksum
from fomo.chain.client import ChainClient
from fomo.chain.errors import ChainActionError
from fomo.chain.suite import model_type_id
from fomo.economics.curve import (
    SALE_SUPPLY,
    STATUS_NAMES,
    BuyQuote,
    Curve,
    FeeConfig,
    quote_buy,
    tax_bps,
)
from fomo.economics.units import fraction_text
from fomo.launches.tickers import TickerError, check_ticker

STATUS_LIVE = STATUS_NAMES.index("Live")


def require_views(lp: Any) -> None:
    """A launchpad deployed before unique tickers lacks their views: say so in one sentence."""
    names = {str(item.get("name")) for item in lp.abi if item.get("type") == "function"}
    if not {"ticker_available", "token_of_ticker", "set_metadata"} <= names:
        raise ChainActionError(
            "The deployed Launchpad predates unique tickers and launch metadata; redeploy the "
            "contracts (e.g. `fomo up` with a fresh data directory)."
        )


def token_of_ticker(lp: Any, symbol: str) -> str:
    """The latest launch created with ``symbol`` in any case (the zero address if none)."""
    require_views(lp)
    return str(lp.functions.token_of_ticker(symbol).call())


def check_ticker_free(lp: Any, symbol: str) -> None:
    """Refuse a ticker held (in any case) by a launch that is not Failed."""
    require_views(lp)
    if not bool(lp.functions.ticker_available(symbol).call()):
        holder = str(lp.functions.token_of_ticker(symbol).call())
        raise ChainActionError(
            f"The ticker {symbol!r} is taken by the launch at {holder} (tickers are unique, "
            "in any case, until that launch fails); choose another."
        )


def read_struct(contract: Contract, fn_name: str, *args: Any) -> dict[str, Any]:
    """Call a view returning a struct and name its fields from the ABI."""
    fn = contract.get_function_by_name(fn_name)(*args)
    value = fn.call()
    outputs = fn.abi["outputs"]
    if len(outputs) == 1 and outputs[0].get("components"):
        names = [c["name"] for c in outputs[0]["components"]]
    else:
        names = [o["name"] for o in outputs]
    return dict(zip(names, value, strict=True))


@dataclass
class LaunchView:
    token: str
    name: str
    symbol: str
    status: int
    data: dict[str, Any]

    @property
    def status_name(self) -> str:
        return (
            STATUS_NAMES[self.status] if 0 <= self.status < len(STATUS_NAMES) else str(self.status)
        )

    @property
    def curve(self) -> Curve:
        d = self.data
        return Curve.from_reserves(int(d["max_raise"]), SALE_SUPPLY, int(d["x0"]), int(d["y0"]))

    @property
    def fees(self) -> FeeConfig:
        d = self.data
        return FeeConfig(
            base_fee_bps=int(d["base_fee_bps"]),
            creator_fee_bps=int(d["creator_fee_bps"]),
            tax_start_bps=int(d["tax_start_bps"]),
        )

    def spot_price(self) -> Fraction:
        """FLOCK per MT at the current curve state."""
        return self.curve.price(int(self.data["raised"]), int(self.data["sold"]))

    def to_json(self) -> dict[str, Any]:
        d = self.data
        return {
            "token": self.token,
            "name": self.name,
            "symbol": self.symbol,
            "status": self.status_name,
            "creator": d["creator"],
            "model_type_id": "0x" + bytes(d["model_type_id"]).hex(),
            "min_raise": str(d["min_raise"]),
            "max_raise": str(d["max_raise"]),
            "raised": str(d["raised"]),
            "sold": str(d["sold"]),
            "sale_start": int(d["sale_start"]),
            "sale_end": int(d["sale_end"]),
            "graduated": bool(d["graduated"]),
            "pair": d["pair"],
            "price_flock_per_mt": fraction_text(self.spot_price(), 18),
        }


def read_launch(client: ChainClient, token: str) -> LaunchView:
    lp = client.contract("Launchpad")
    data = read_struct(lp, "launches", token)
    if int(data["creator"], 16) == 0:
        raise ChainActionError(f"There is no launch for token {token}.")
    status = int(lp.functions.status(token).call())
    mt = client.at("ModelToken", token)
    return LaunchView(
        token=token,
        name=str(mt.functions.name().call()),
        symbol=str(mt.functions.symbol().call()),
        status=status,
        data=data,
    )


def model_types(client: ChainClient) -> list[dict[str, Any]]:
    """Every registered model type in registry order (what ``create_launch`` accepts); amounts
    as decimal strings of base units."""
    lp = client.contract("Launchpad")
    rows = []
    for i in range(int(lp.functions.model_type_count().call())):
        mid = lp.functions.model_type_at(i).call()
        mt = read_struct(lp, "model_types", mid)
        rows.append(
            {
                "id": "0x" + bytes(mid).hex(),
                "base_model": mt["base_model"],
                "min_raise": str(mt["min_raise"]),
                "max_raise": str(mt["max_raise"]),
                "lp_bps": mt["lp_bps"],
                "reserved_bps": mt["reserved_bps"],
                "protocol_bps": mt["protocol_bps"],
                "enabled": mt["enabled"],
            }
        )
    return rows


def all_tokens(client: ChainClient) -> list[str]:
    lp = client.contract("Launchpad")
    count = int(lp.functions.launch_count().call())
    return [str(lp.functions.launch_at(i).call()) for i in range(count)]


def resolve_token(client: ChainClient, ref: str) -> str:
    """A launch by MT address or by ticker (case-insensitive).

    Tickers are unique on-chain among launches that are not Failed, and the launchpad maps a
    ticker to its latest launch: that is the live or graduated one when there is one, else
    the most recent failed one (older failed launches are reached by address)."""
    if ref.startswith("0x") and len(ref) == 42:
        return checksum(ref, "token address")
    try:
        check_ticker(ref)
    except TickerError:
        raise ChainActionError(f"No launch has the ticker {ref!r}.") from None
    token = token_of_ticker(client.contract("Launchpad"), ref)
    if int(token, 16) == 0:
        raise ChainActionError(f"No launch has the ticker {ref!r}.")
    return token


def quote_now(client: ChainClient, view: LaunchView, flock_in: int) -> BuyQuote:
    """The buy quote at the latest block, from `fomo.economics.curve`, checked against the
    launchpad's own `quote_buy` (they must agree to the wei)."""
    if view.status != STATUS_LIVE:
        raise ChainActionError(f"The launch is {view.status_name}, not Live: buys are closed.")
    now = client.timestamp()
    d = view.data
    if now < int(d["sale_start"]):
        raise ChainActionError(
            f"The chain's latest block ({now}) is dated before this launch's sale start "
            f"({int(d['sale_start'])}): the chain clock went back (an anvil restarted without "
            "its clock?), so no buy can be quoted; mine a block or advance the chain first."
        )
    tax = tax_bps(view.fees, now - int(d["sale_start"]))
    try:
        quote = quote_buy(
            view.curve,
            view.fees,
            raised=int(d["raised"]),
            sold=int(d["sold"]),
            flock_in=flock_in,
            tax=tax,
        )
    except ValueError as exc:
        raise ChainActionError(f"Cannot quote this buy: {exc}.") from None
    onchain = client.call(
        client.contract("Launchpad").functions.quote_buy(view.token, flock_in),
        contract="Launchpad",
    )
    mine = (
        quote.mt_out,
        quote.net,
        quote.protocol_fee,
        quote.creator_fee,
        quote.anti_sniper_fee,
        quote.refund,
    )
    if tuple(int(v) for v in onchain) != mine:
        raise ChainActionError(
            "The local quote disagrees with the launchpad's quote_buy; refusing to buy "
            "(is the economics module out of date with the deployed contract?)."
        )
    return quote


def model_type(client: ChainClient, base_model: str) -> tuple[bytes, dict[str, Any]]:
    """The registered model type of ``base_model`` (its id and struct); unknown is a sentence."""
    mid = model_type_id(base_model)
    mtype = read_struct(client.contract("Launchpad"), "model_types", mid)
    if int(mtype["max_raise"]) == 0:
        raise ChainActionError(f"Unknown model type {base_model!r}: see `fomo launch models`.")
    return mid, mtype


def quote_first_buy(client: ChainClient, model_id: bytes, flock_in: int) -> dict[str, int]:
    """The contract's quote of a launch's bundled first buy (base fee only)."""
    lp = client.contract("Launchpad")
    mt_out, net, pfee, cfee = client.call(
        lp.functions.quote_first_buy(model_id, flock_in), contract="Launchpad"
    )
    return {
        "flock_in": flock_in,
        "net": int(net),
        "protocol_fee": int(pfee),
        "creator_fee": int(cfee),
        "mt_out": int(mt_out),
    }


def position(client: ChainClient, token: str, account: str) -> dict[str, int]:
    """``account``'s stake in one launch: principal, MT allocation and MT balance."""
    lp = client.contract("Launchpad")
    return {
        "principal": int(lp.functions.principal_of(token, account).call()),
        "allocation": int(lp.functions.allocation_of(token, account).call()),
        "mt_balance": int(client.at("ModelToken", token).functions.balanceOf(account).call()),
    }


def explain_claim_revert(
    client: ChainClient, token: str, exc: ChainActionError
) -> ChainActionError:
    """A second `claim` reverts "nothing to claim", like a claim by someone who never bought;
    the principal (kept after a claim, zeroed only by a redeem) tells the two apart."""
    if exc.reason != "nothing to claim" or client.account is None:
        return exc
    lp = client.contract("Launchpad")
    if int(lp.functions.principal_of(token, client.account.address).call()) == 0:
        return exc
    return ChainActionError(
        "You already claimed your MT from this launch; there is nothing left to claim.",
        reason=exc.reason,
    )


def creation_fee(client: ChainClient) -> int:
    """The launch fee in FLOCK base units (non-refundable)."""
    return int(client.contract("Launchpad").functions.launch_creation_fee().call())


def committed_metadata(client: ChainClient, token: str) -> str | None:
    """The sha256 of the launch's metadata committed on-chain (``0x…``), ``None`` when unset."""
    committed = bytes(client.contract("Launchpad").functions.metadata_hash(token).call())
    return "0x" + committed.hex() if any(committed) else None


def mt_symbol(client: ChainClient, token: str) -> str:
    """A Model Token's ticker as the token itself reports it."""
    return str(client.at("ModelToken", token).functions.symbol().call())
