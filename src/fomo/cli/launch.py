"""`fomo launch …`: the group and what its commands share (slippage, deadline, the FLOCK spend).

The commands live by job beside it — `launch_create` (models, create), `launch_trade` (quote,
buy, graduate, claim, redeem) and `launch_inspect` (list, show) — and `cli/main.py` loads them
with this group. What they read and send on the Launchpad is in :mod:`fomo.chain.launchpad`.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from fomo.economics.units import FLOCK_DECIMALS

launch_app = typer.Typer(help="Fair launches: create, buy, graduate, claim, redeem, inspect.")

FLOCK_SPEND: dict[str, Any] = {"symbol": "FLOCK", "decimals": FLOCK_DECIMALS}
DEFAULT_SLIPPAGE_BPS = 100
DEFAULT_DEADLINE_SECONDS = 600


SlippageOpt = Annotated[
    int,
    typer.Option(
        "--slippage-bps", min=0, max=5000, help="Accept up to this much less MT than quoted."
    ),
]
DeadlineOpt = Annotated[
    int,
    typer.Option("--deadline", min=1, help="Seconds (chain time) before the buy expires."),
]
