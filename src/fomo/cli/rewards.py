"""``fomo rewards``: the reward calculator (pure economics core behind a file and a table)."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from fomo.economics.day import DayResult, compute_day
from fomo.economics.dayfile import DayFileError, parse_day, result_to_json
from fomo.economics.exact import floor_to_places

app = typer.Typer(
    name="rewards",
    help="Reward calculator: one epoch's Global FLOCK, Reserved FLOCK and MT Reward.",
    no_args_is_help=True,
)

EXIT_BAD_INPUT = 2


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_BAD_INPUT)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _load(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        # Decimal for JSON numbers: 0.1 in the file means exactly 0.1, never a binary float.
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except (json.JSONDecodeError, ValueError) as exc:
        raise _fail(f"{path} is not valid JSON: {exc}") from None


def _short(value: str) -> str:
    """Drop trailing zeros of an exact decimal string for display (still exact)."""
    return value.rstrip("0").rstrip(".") if "." in value else value


def _six(value: str) -> str:
    """An exact decimal string floored to 6 places for the table."""
    return floor_to_places(Fraction(value), 6)


def _render(result: DayResult, data: dict[str, Any]) -> None:
    width = max(shutil.get_terminal_size((160, 40)).columns, 160)
    console = Console(width=width, highlight=False)
    console.print(
        f"[bold]Global emission[/bold] {_short(data['global_emission'])} FLOCK · "
        f"paid {_short(data['emission_paid'])} · dust kept in reserve "
        f"{_short(data['emission_dust'])} · issuer bonus {result.issuer_bonus_bps} bps"
    )
    for dep in data["deployments"]:
        console.print()
        console.print(
            f"[bold]{dep['token']}[/bold] issuer {dep['issuer']} · age {_short(dep['age_days'])} d"
            f" · α {_short(dep['alpha'])} · age factor {_six(dep['age_factor'])}"
            f" · score {_short(dep['score'])} · emission share {_six(dep['emission_share'])}"
        )
        console.print(
            f"  emission {_short(dep['emission'])} FLOCK = issuer bonus "
            f"{_short(dep['issuer_bonus'])} + users {_short(dep['users_emission'])}"
            f" (dust {_short(dep['global_dust'])}) · Reserved FLOCK rolled over "
            f"{_short(dep['reserved_flock_rolled_over'])} · MT Reward rolled over "
            f"{_short(dep['mt_reward_rolled_over'])}"
        )
        table = Table(show_lines=False)
        for col in (
            "account",
            "usage share",
            "stake share",
            "α",
            "m",
            "global score",
            "incentive score",
            "Global FLOCK",
            "Reserved FLOCK",
            "MT Reward",
        ):
            table.add_column(col, justify="left" if col == "account" else "right", no_wrap=True)
        for p in dep["participants"]:
            table.add_row(
                p["account"],
                *(
                    _six(p[k])
                    for k in (
                        "usage_share",
                        "stake_share",
                        "alpha",
                        "multiplier",
                        "global_score",
                        "incentive_score",
                    )
                ),
                _short(p["global_flock"]),
                _short(p["reserved_flock"]),
                _short(p["mt_reward"]),
            )
        console.print(table)


@app.command("day")
def day(
    input: Annotated[
        Path, typer.Option("--input", "-i", help="Day input JSON (see docs/reward-calculator.md).")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print exact JSON instead of a table.")
    ] = False,
) -> None:
    """Compute one epoch's rewards for the deployments and participants in a JSON file."""
    data = _load(input)
    try:
        day_input, params = parse_day(data)
        result = compute_day(day_input, params)
    except DayFileError as exc:
        raise _fail(f"invalid input in {input}:\n{exc}") from None
    except ValueError as exc:
        raise _fail(f"invalid input in {input}: {exc}.") from None
    out = result_to_json(result)
    if as_json:
        typer.echo(json.dumps(out, indent=2))
    else:
        _render(result, out)
