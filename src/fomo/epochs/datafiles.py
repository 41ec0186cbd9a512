"""An epoch's day numbering and its data files on disk (``<datadir>/epochs/YYYY-MM-DD.json``).

No database and no chain here: reading a published day (``fomo epoch show``, ``fomo rewards
explain|claimable``) needs only the file, so these helpers import neither SQLAlchemy nor web3.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fomo.economics.epoch_file import EpochFile, vintage_day_json
from fomo.economics.units import SECONDS_PER_DAY


class EpochError(RuntimeError):
    """An epoch cannot run (out of order, not over yet, missing configuration)."""


def epochs_dir(datadir: Path) -> Path:
    return datadir / "epochs"


def day_label(epoch: int) -> str:
    return datetime.fromtimestamp(epoch * SECONDS_PER_DAY, UTC).strftime("%Y-%m-%d")


MAX_DAY = 2_932_896
"""9999-12-31, the last day a ``YYYY-MM-DD`` label can name."""


def parse_day(value: str) -> int:
    """``YYYY-MM-DD`` or a day number (0 … :data:`MAX_DAY`) → the epoch number."""
    if value.isascii() and value.isdigit():  # ASCII only: "²".isdigit() is true
        if len(value) > 7 or int(value) > MAX_DAY:
            raise EpochError(f"day number {value} is past 9999-12-31 (the last is {MAX_DAY})")
        return int(value)
    try:
        d = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise EpochError(f"{value!r} is neither YYYY-MM-DD nor a day number") from None
    return int(d.timestamp()) // SECONDS_PER_DAY


def data_path(datadir: Path, epoch: int) -> Path:
    return epochs_dir(datadir) / f"{day_label(epoch)}.json"


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def file_hash(path: Path) -> str:
    from fomo.economics.merkle import keccak256

    return "0x" + keccak256(path.read_bytes()).hex()


def load_day(datadir: Path, epoch: int) -> bytes:
    path = data_path(datadir, epoch)
    if not path.exists():
        raise EpochError(f"no data file for {day_label(epoch)} ({path})")
    return path.read_bytes()


def list_days(datadir: Path) -> list[str]:
    d = epochs_dir(datadir)
    if not d.exists():
        return []
    return sorted(p.stem for p in d.glob("*.json"))


def summary(doc: EpochFile) -> dict[str, Any]:
    """Operator view of one epoch: revenue, emission per MT, roll-over/expiry, top earners."""
    i, o = doc.inputs, doc.outputs
    flock = i.flock_token
    earners: dict[str, int] = {}
    for (a, t), v in o.payouts.items():
        if t == flock and v:
            earners[a] = earners.get(a, 0) + v
    top = sorted(earners.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    mts = {m.token: m for m in i.deployments}
    return {
        "epoch": i.epoch,
        "day": day_label(i.epoch),
        "root": doc.root,
        "leaves": sum(1 for v in doc.leaves.values() if v),
        "global_emission": str(o.global_emission),
        "emission_paid": str(o.emission_paid),
        "emission_dust": str(o.emission_dust),
        "deployments": [
            {
                "token": d.token,
                "paid_revenue_nano_usd": str(mts[d.token].paid_revenue),
                "compute_cost_nano_usd": str(mts[d.token].compute_cost),
                "emission": str(d.emission),
                "issuer_bonus": str(d.issuer_bonus),
                "participants": d.participants,
                "reserved_flock": vintage_day_json(d.reserved_flock),
                "mt_reward": vintage_day_json(d.mt_reward),
            }
            for d in o.deployments
        ],
        "top_flock_earners": [[a, str(v)] for a, v in top],
    }


def dumps(obj: Any) -> str:
    return json.dumps(obj, indent=2, sort_keys=True)


def latest_day(datadir: Path) -> int | None:
    days = list_days(datadir)
    return parse_day(days[-1]) if days else None
