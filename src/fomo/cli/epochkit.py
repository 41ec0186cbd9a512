"""What the epoch commands share: the ``--day`` option, a published day's bytes, the chain port.

Light on purpose: `fomo rewards …` loads this with the reward calculator, and reading a day's
file needs neither SQLAlchemy nor web3 (``tests/test_cli_entry.py``); the database and
the chain port are imported only when a command asks for them.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from fomo.chain.errors import ChainActionError
from fomo.cli import chainkit as ck
from fomo.epochs.datafiles import EpochError, epochs_dir, latest_day, load_day, parse_day

DayOpt = Annotated[str | None, typer.Option("--day", help="UTC day (YYYY-MM-DD or day number).")]


def session_factory(settings: Any) -> Any:
    """A session factory on the configured database (imported here, not at start-up)."""
    from fomo.db.session import make_engine, make_session_factory

    return make_session_factory(make_engine(settings.db_url))


def chain_port(conn: ck.Conn, *, need_key: bool) -> Any:
    from fomo.epochs.chainport import Web3ChainPort

    return Web3ChainPort(ck.connect(conn, need_key=need_key))


def parse_day_option(text: str) -> int:
    """A day typed by the user; a bad one is a sentence (``ChainActionError``), not a traceback."""
    try:
        return int(parse_day(text))
    except EpochError as exc:
        raise ChainActionError(f"The day {exc}.") from None


def day_bytes(settings: Any, day: str | None) -> tuple[int, bytes]:
    """The epoch number and data file of ``day`` (default: the latest written)."""
    d = parse_day_option(day) if day else latest_day(settings.data_dir)
    if d is None:
        raise ChainActionError(f"No epoch data files in {epochs_dir(settings.data_dir)} yet.")
    return d, load_day(settings.data_dir, d)
