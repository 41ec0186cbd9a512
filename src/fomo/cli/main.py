"""Entry point of the `fomo` command: each component registers its sub-commands here."""

from __future__ import annotations

import typer

from fomo import __version__

app = typer.Typer(
    name="fomo",
    help="FOMO: model tokens, fair launches, an OpenAI-compatible API platform and rewards.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """FOMO command line."""


@app.command()
def version() -> None:
    """Print the FOMO version."""
    typer.echo(__version__)


def main() -> None:  # pragma: no cover - console entry
    app()


from fomo.cli import gateway as _gateway_cli  # noqa: E402

_gateway_cli.register(app)

from fomo.cli import rewards as _rewards_cli  # noqa: E402

app.add_typer(_rewards_cli.app, name="rewards")

from fomo.cli.up import up_app as _up_app  # noqa: E402

app.add_typer(_up_app, name="up")

from fomo.cli import chain as _chain_cli  # noqa: E402

_chain_cli.register(app)

from fomo.cli.index import index_app as _index_app  # noqa: E402

app.add_typer(_index_app, name="index")

from fomo.cli.epoch import app as _epoch_app  # noqa: E402  (also adds rewards explain/claimable/claim)

app.add_typer(_epoch_app, name="epoch")

from fomo.cli.db import config_app as _config_app  # noqa: E402
from fomo.cli.db import db_app as _db_app  # noqa: E402

app.add_typer(_db_app, name="db")
app.add_typer(_config_app, name="config")

from fomo.cli import demo as _demo_cli  # noqa: E402

_demo_cli.register(app)
