"""Test vectors for web/src/lib/quote.ts, produced by the Python reference (fomo.economics).

Run from the repository root:  uv run --frozen python web/scripts/curve_vectors.py
It rewrites web/test/fixtures/curve-vectors.json (and revert-sentences.json, the CLI's
sentences from fomo.chain.errors that src/lib/errors.ts mirrors); the web test checks the
TypeScript quote module against every vector, so the browser quotes exactly what the
contract (tested to the wei against fomo.economics.curve) will do.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from fomo.chain.errors import CONTRACT_SENTENCES, REVERT_SENTENCES
from fomo.economics.curve import (
    WAD,
    Curve,
    FeeConfig,
    LaunchParams,
    graduation_split,
    quote_buy,
    tax_bps,
)
from fomo.economics.discounts import discount_bps
from fomo.economics.gmflock import effective_balance

OUT = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "curve-vectors.json"
ERRORS_OUT = OUT.parent / "revert-sentences.json"


def dex_amount_out(amount_in: int, reserve_in: int, reserve_out: int) -> int:
    """Uniswap V2 getAmountOut with the 0.30% fee, exactly as contracts/dex/Router.vy."""
    with_fee = amount_in * 997
    return with_fee * reserve_out // (reserve_in * 1000 + with_fee)


def build() -> dict[Path, str]:
    """Each fixture file's text, as the reference computes it now (deterministic: a fixed seed)."""
    rng = random.Random(20261127)
    params_list = [
        LaunchParams(max_raise=500_000 * WAD, min_raise=100_000 * WAD),
        LaunchParams(
            max_raise=1_000_000 * WAD,
            min_raise=200_000 * WAD,
            lp_bps=8000,
            reserved_bps=1500,
            protocol_bps=500,
        ),
        LaunchParams(
            max_raise=50_000 * WAD + 7,
            min_raise=1_000 * WAD,
            lp_bps=5001,
            reserved_bps=4999,
            protocol_bps=0,
        ),
    ]
    fee_list = [
        FeeConfig(),
        FeeConfig(base_fee_bps=300, creator_fee_bps=0, tax_start_bps=5000),
        FeeConfig(base_fee_bps=0, creator_fee_bps=0, tax_start_bps=0),
    ]
    curves = []
    buys = []
    for pi, params in enumerate(params_list):
        curve = Curve.for_launch(params)
        curves.append(
            {
                "max_raise": str(params.max_raise),
                "lp_bps": params.lp_bps,
                "x0": str(curve.x0),
                "y0": str(curve.y0),
                "k": str(curve.k),
            }
        )
        for fi, fees in enumerate(fee_list):
            for _ in range(60):
                raised = rng.choice(
                    [
                        0,
                        rng.randrange(0, params.max_raise),
                        params.max_raise - rng.randrange(1, 10**21),
                    ]
                )
                raised = max(0, raised)
                sold = curve.sold_after(raised)
                flock_in = rng.choice(
                    [
                        1,
                        rng.randrange(1, 10**18),
                        rng.randrange(1, 10**24),
                        rng.randrange(1, 2 * params.max_raise),
                    ]
                )
                tax = rng.choice(
                    [
                        fees.base_fee_bps,
                        rng.randrange(fees.base_fee_bps, 9900)
                        if fees.base_fee_bps < 9900
                        else fees.base_fee_bps,
                        9900,
                    ]
                )
                try:
                    q = quote_buy(curve, fees, raised=raised, sold=sold, flock_in=flock_in, tax=tax)
                except ValueError:
                    continue
                buys.append(
                    {
                        "params": pi,
                        "fees": fi,
                        "raised": str(raised),
                        "sold": str(sold),
                        "flock_in": str(flock_in),
                        "tax": tax,
                        "out": {
                            k: (str(v) if isinstance(v, int) and not isinstance(v, bool) else v)
                            for k, v in q.__dict__.items()
                        },
                    }
                )
    taxes = []
    for fi, fees in enumerate(fee_list):
        for elapsed in [0, 1, 59, 60, 61, 119, 120, 3599, 5880, 5940, 6000, 86400, 604800]:
            taxes.append(
                {"fees": fi, "elapsed": elapsed, "bundled": False, "tax": tax_bps(fees, elapsed)}
            )
            taxes.append(
                {
                    "fees": fi,
                    "elapsed": elapsed,
                    "bundled": True,
                    "tax": tax_bps(fees, elapsed, bundled=True),
                }
            )
    grads = []
    for pi, params in enumerate(params_list):
        curve = Curve.for_launch(params)
        middle = (params.min_raise + params.max_raise) // 2
        for raised in [params.min_raise, middle, params.max_raise]:
            sold = curve.sold_after(raised)
            g = graduation_split(params, curve, raised=raised, sold=sold)
            grads.append(
                {
                    "params": pi,
                    "raised": str(raised),
                    "sold": str(sold),
                    "lp_flock": str(g.lp_flock),
                    "reserved_flock": str(g.reserved_flock),
                    "protocol_flock": str(g.protocol_flock),
                    "lp_mt": str(g.lp_mt),
                }
            )
    dex = []
    for _ in range(80):
        r_in = rng.randrange(10**18, 10**27)
        r_out = rng.randrange(10**18, 10**27)
        a_in = rng.randrange(1, 10**26)
        dex.append(
            {
                "amount_in": str(a_in),
                "reserve_in": str(r_in),
                "reserve_out": str(r_out),
                "amount_out": str(dex_amount_out(a_in, r_in, r_out)),
            }
        )
    discounts = [
        {"staked": str(s), "bps": discount_bps(s)}
        for s in [
            0,
            999 * WAD,
            1000 * WAD - 1,
            1000 * WAD,
            9_999 * WAD,
            10_000 * WAD,
            50_000 * WAD,
            99_999 * WAD,
            100_000 * WAD,
            10**30,
        ]
    ]
    gm = [
        {"amount": str(a), "remaining": r, "effective": str(effective_balance(a, r))}
        for a, r in [
            (100 * WAD, 365 * 86400),
            (200 * WAD, 182 * 86400 + 43200),
            (7 * WAD + 3, 12345),
            (10**24, 0),
            (10**24, -5),
        ]
    ]
    fees_json = [
        {
            "base_fee_bps": f.base_fee_bps,
            "creator_fee_bps": f.creator_fee_bps,
            "tax_start_bps": f.tax_start_bps,
            "max_bundle_bps": f.max_bundle_bps,
        }
        for f in fee_list
    ]
    vectors = (
        json.dumps(
            {
                "curves": curves,
                "fees": fees_json,
                "buys": buys,
                "taxes": taxes,
                "graduations": grads,
                "dex": dex,
                "discounts": discounts,
                "gmflock": gm,
            },
            indent=1,
        )
        + "\n"
    )
    sentences = {
        "reverts": REVERT_SENTENCES,
        "contracts": {f"{c}:{r}": s for (c, r), s in CONTRACT_SENTENCES.items()},
    }
    return {OUT: vectors, ERRORS_OUT: json.dumps(sentences, indent=1, sort_keys=True) + "\n"}


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    for path, text in build().items():
        path.write_text(text)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
