"""Entry point of the `fomo` command.

Start-up time matters (`fomo --help`, `fomo version` ran 6–7 s when every command module, and
with them web3, SQLAlchemy, eth-account and matplotlib, was imported up front). So the top-level
commands are registered **lazily**: :data:`COMMANDS` names each one with its one-line help and
the module that defines it, and :class:`LazyGroup` imports that module only when the command is
run (or its own ``--help`` is asked for). The root help is drawn from the one-line helps alone;
``tests/test_cli_entry.py`` checks that they match the modules' own and that importing this
module pulls in none of the heavy libraries.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

import typer
from typer._click.exceptions import NoSuchOption
from typer.core import TyperCommand, TyperGroup

from fomo import __version__

NEGATIVE_NUMBER = re.compile(r"-[0-9][0-9_,.]*")


@dataclass(frozen=True)
class LazyCommand:
    """A top-level command or group, loaded on first use."""

    help: str
    """One line, shown by `fomo --help` (must equal the loaded command's short help)."""
    module: str
    attribute: str
    """A ``typer.Typer`` (a group) or a command function in ``module``."""
    also_import: tuple[str, ...] = ()
    """Modules that add commands to the group when imported: a group's commands live by job in
    modules of their own (``launch_trade`` adds ``launch quote|buy|…``, ``rewards_claims`` adds
    ``rewards explain|claimable|claim|issuer-withdraw``)."""

    def load(self, name: str) -> Any:
        for extra in self.also_import:
            importlib.import_module(extra)
        target = getattr(importlib.import_module(self.module), self.attribute)
        if isinstance(target, typer.Typer):
            group = typer.main.get_group(target)
            group.name = name
            return group
        holder = typer.Typer()
        holder.command(name)(target)
        return typer.main.get_command(holder)


def _cmd(help: str, module: str, attribute: str, *also: str) -> LazyCommand:
    return LazyCommand(help, f"fomo.cli.{module}", attribute, tuple(f"fomo.cli.{m}" for m in also))


COMMANDS: dict[str, LazyCommand] = {
    "up": _cmd("Start the platform: anvil, database, HTTP API and workers.", "up", "up_app"),
    "demo": _cmd(
        "Drive launches, buys, graduations, staking, API traffic, epochs and claims on a devnet, "
        "then print the report with its conservation checks (exit 1 if any fails).",
        "demo",
        "demo",
    ),
    "config": _cmd("Inspect the configuration in force.", "db", "config_app"),
    "db": _cmd("Database migrations (SQLite or PostgreSQL, by URL).", "db", "db_app"),
    "chain": _cmd("Contract artifacts and deployment.", "chain", "chain_app"),
    "launch": _cmd(
        "Fair launches: create, buy, graduate, claim, redeem, inspect.",
        "launch",
        "launch_app",
        "launch_create",
        "launch_trade",
        "launch_inspect",
    ),
    "stake": _cmd(
        "Stake a deployment's MT (unstaking has a 7-day cooldown).", "stake", "stake_app"
    ),
    "gm": _cmd(
        "gmFLOCK: lock FLOCK for 30–365 days for a global reward multiplier.", "gm", "gm_app"
    ),
    "vesting": _cmd("Vesting schedules (issuer and treasury MT).", "vesting", "vesting_app"),
    "faucet": _cmd(
        "Mint dev FLOCK/USDC from the faucet (dev chains only: 31337/1337).", "faucet", "faucet"
    ),
    "index": _cmd(
        "Chain indexer: follow the contracts' events into the database.", "index", "index_app"
    ),
    "epoch": _cmd("Daily reward epochs: run, verify, show.", "epoch", "app"),
    "rewards": _cmd(
        "Reward calculator: one epoch's Global FLOCK, Reserved FLOCK and MT Reward.",
        "rewards",
        "app",
        "rewards_claims",
    ),
    "serve-gateway": _cmd(
        "Run the OpenAI-compatible API gateway; several workers share a Redis credit ledger.",
        "gateway",
        "serve_gateway",
    ),
    "dev-upstream": _cmd(
        "Run the development upstream: a fake, deterministic OpenAI-compatible server.",
        "gateway",
        "dev_upstream",
    ),
    "keys": _cmd(
        "API keys: create (shown once), list, revoke.", "keys", "keys_app", "spend_limits"
    ),
    "credits": _cmd(
        "Prepaid credits (integer nano-USD).", "credits", "credits_app", "spend_limits"
    ),
    "usage": _cmd("Metered usage and the discount in force.", "usage", "usage_app"),
}


def _light_help(option: Any) -> Any:
    """Give a help flag a plain bool coercion.

    Typer 0.29 coerces every option through a pydantic ``TypeAdapter``, built on first use, and
    the ``--help`` flag is processed on every invocation: that alone imported pydantic (~0.2 s)
    for `fomo version`. A help flag only ever holds a bool, so it needs no adapter. Typer keeps
    the adapter in ``_runtime_param`` (built lazily when still ``None``); if a future Typer drops
    that attribute this does nothing and only start-up time suffers.
    """
    if option is not None and getattr(option, "_runtime_param", "absent") is None:
        from typer._coercion import PassThroughRuntimeParam

        option._runtime_param = PassThroughRuntimeParam(
            parameter_info=option.type_descriptor.parameter_info, annotation=bool
        )
    return option


class _LightCommand(TyperCommand):
    """A leaf command whose ``--help`` flag does not import pydantic (see :func:`_light_help`)."""

    def get_help_option(self, ctx: Any) -> Any:
        return _light_help(super().get_help_option(ctx))


class _Placeholder(TyperCommand):
    """Stands in for a lazy command in the root help; never invoked."""

    def __init__(self, name: str, entry: LazyCommand) -> None:
        super().__init__(name=name, help=entry.help, short_help=entry.help)
        self.entry = entry


class LazyGroup(TyperGroup):
    """The root group: commands of :data:`COMMANDS` are imported when resolved, not before."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for name, entry in COMMANDS.items():
            self.commands.setdefault(name, _Placeholder(name, entry))

    def load(self, name: str) -> Any:
        cmd = self.commands.get(name)
        if isinstance(cmd, _Placeholder):
            cmd = cmd.entry.load(name)
            self.commands[name] = cmd
        return cmd

    def get_help_option(self, ctx: Any) -> Any:
        return _light_help(super().get_help_option(ctx))

    def invoke(self, ctx: Any) -> Any:
        argv = [*getattr(ctx, "_protected_args", []), *ctx.args]
        try:
            return super().invoke(ctx)
        except NoSuchOption as exc:
            # A negative amount ("fomo credits grant 0x… -5") parses as an unknown option (and
            # "-0.5" as the short option "-0"); say what is wrong instead of "No such option".
            typed = next(
                (a for a in argv if a.startswith(exc.option_name) and NEGATIVE_NUMBER.fullmatch(a)),
                None,
            )
            if typed is None:
                raise
            typer.echo(f"error: {typed} is a negative number: amounts must be positive.", err=True)
            raise typer.Exit(2) from None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        cmd_name, cmd, rest = super().resolve_command(ctx, args)
        if cmd_name is not None and isinstance(cmd, _Placeholder):
            cmd = self.load(cmd_name)
        return cmd_name, cmd, rest


app = typer.Typer(
    name="fomo",
    cls=LazyGroup,
    help="FOMO: model tokens, fair launches, an OpenAI-compatible API platform and rewards.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # Plain (click) help for the root: Typer's rich help formatter imports rich, markdown-it and
    # pygments (~0.5 s); the command groups below keep the rich help.
    rich_markup_mode=None,
)


@app.callback()
def _root() -> None:
    """FOMO command line."""


@app.command(cls=_LightCommand)
def version() -> None:
    """Print the FOMO version."""
    typer.echo(__version__)


def main() -> None:  # pragma: no cover - console entry
    app()
