"""Benchmark: one epoch from the database to a built Merkle tree at 1/100, 1/10 and full size.

Full size is the issue's target: 10,000,000 usage rows, 1,000,000 accounts, 1,000 MTs, on a
SQLite file. Data is generated in SQL (recursive CTEs), then each stage of the epoch is timed
with the peak RSS so far (``resource.getrusage``)::

    uv run python bench/epoch_scale.py                 # 1/100 and 1/10
    uv run python bench/epoch_scale.py --full          # also full size
    uv run python bench/epoch_scale.py --scales 0.01   # pick sizes

Workload shape (documented in docs/epochs.md): each account calls up to 3 MTs (about
3 (account, MT) pairs per account), half the accounts stake on their main MT (plus 10% of those
unstake part of it during the day), 10% hold a gmFLOCK lock. Not a test: it asserts nothing
about speed.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from fomo.db.migrate import upgrade
from fomo.db.session import make_engine
from fomo.economics.day import compute_day
from fomo.economics.epoch import assemble
from fomo.economics.epoch_input import EpochInput, day_input
from fomo.economics.merkle import MerkleTree
from fomo.epochs import engine as eng

DAY = 20_300
T0 = DAY * 86_400
FLOCK = "0x" + "f1" * 20
FULL = {"rows": 10_000_000, "accounts": 1_000_000, "mts": 1_000}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(path: Path, rows: int, accounts: int, mts: int) -> dict[str, float]:
    """Fill a migrated SQLite file; returns generation timings (not part of the epoch)."""
    url = f"sqlite:///{path}"
    upgrade(url)
    make_engine(url).dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    con.execute(f"PRAGMA cache_size = -{512 * 1024}")
    t = time.perf_counter()
    amt = "printf('0%078d', {})"
    con.execute(
        "INSERT INTO launches (token, creator, model_type_id, target_raise_min, target_raise_max,"
        " target_sale, sale_start, sale_end, mt_name, mt_symbol, is_bundled, status, raised,"
        " mt_sold, buyers, graduated_time, graduated_block, created_block, created_tx,"
        " created_log_index) "
        "WITH RECURSIVE m(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i + 1 < ?) "
        f"SELECT printf('0x%040x', 1000000000 + i), printf('0x%040x', 2000000000 + i), "
        f"printf('0x%064x', 1), {amt.format(1)}, {amt.format(2)}, {amt.format(1)}, 0, 1, 'M', 'M',"
        f" 0, 'graduated', {amt.format(0)}, {amt.format(0)}, 0, ? - (i % 200) * 86400, 1, 1, "
        "printf('0x%064x', i), 0 FROM m",
        (mts, T0 - 3600),
    )
    con.execute(
        "INSERT INTO reward_fundings (block_number, block_hash, block_time, tx_hash, log_index,"
        " token, pool, funder, amount) "
        "WITH RECURSIVE m(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i + 1 < ?) "
        "SELECT 1, printf('0x%064x', 1), 1, printf('0x%064x', 10 * i + k), 0, "
        "CASE k WHEN 0 THEN ? ELSE printf('0x%040x', 1000000000 + i) END, "
        "printf('0x%040x', 1000000000 + i), printf('0x%040x', 3), "
        "printf('0%052d%026d', 1, 0) FROM m, (SELECT 0 AS k UNION SELECT 1)",
        (mts, FLOCK),
    )
    con.execute(
        "INSERT INTO reward_fundings (block_number, block_hash, block_time, tx_hash, log_index,"
        " token, pool, funder, amount) VALUES (1, printf('0x%064x', 1), 1, printf('0x%064x', 99),"
        " 1, ?, printf('0x%040x', 0), printf('0x%040x', 3), printf('0%078d', 0))",
        (FLOCK,),
    )
    con.execute(  # the global emission budget: 10**30 wei of FLOCK
        "UPDATE reward_fundings SET amount = printf('0%048d%030d', 1, 0)"
        " WHERE tx_hash = printf('0x%064x', 99)"
    )
    # Bulk load without the secondary indexes, then build them (as a restore would).
    idx = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'gateway_usage'"
        " AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in idx:
        con.execute(f"DROP INDEX {name}")
    # account a's r-th request: one of its 3 MTs (spread so MTs differ in popularity)
    con.execute(
        "INSERT INTO gateway_usage (request_id, created_at, day, account, endpoint, model_id,"
        " base_model, deployment, input_tokens, cached_input_tokens, output_tokens,"
        " reasoning_tokens, gross_nano_usd, discount_bps, paid_nano_usd, compute_cost_nano_usd,"
        " latency_us, overhead_us, status, charged, estimated, stream, cut) "
        "WITH RECURSIVE u(i, r) AS (SELECT 0, abs(random()) UNION ALL "
        "  SELECT i + 1, abs(random()) FROM u WHERE i + 1 < ?) "
        "SELECT 'r' || i, '2025-07-31 00:00:01', ?, printf('0x%040x', 10000000 + r % ?), 'chat',"
        " 'm', 'b', printf('0x%040x', 1000000000 + ((r % ?) * 7 + ((r / 1000003) % 3) * 331) % ?),"
        " 100, 0, 100, 0, 1000 + r % 100000, 0, 1000 + r % 100000, 250 + r % 25000, 0, 0, 200,"
        " 1, 0, 0, 0 FROM u",
        (rows, DAY, accounts, accounts, mts),
    )
    for _, sql in idx:
        con.execute(sql)
    con.commit()
    t_usage = time.perf_counter() - t
    t = time.perf_counter()
    # half the accounts stake on their main MT before the day; a tenth of those unstake a part
    con.execute(
        "INSERT INTO stake_events (block_number, block_hash, block_time, tx_hash, log_index,"
        " token, account, kind, amount, cooldown_end) "
        "WITH RECURSIVE a(i) AS (SELECT 0 UNION ALL SELECT i + 2 FROM a WHERE i + 2 < ?) "
        "SELECT 1, printf('0x%064x', 1), ? - 1000 - i % 5000, printf('0x%064x', i), 0,"
        " printf('0x%040x', 1000000000 + (i * 7) % ?), printf('0x%040x', 10000000 + i), 'stake',"
        " printf('0%060d%018d', 1 + i % 10000, 0), NULL FROM a",
        (accounts, T0, mts),
    )
    con.execute(
        "INSERT INTO stake_events (block_number, block_hash, block_time, tx_hash, log_index,"
        " token, account, kind, amount, cooldown_end) "
        "WITH RECURSIVE a(i) AS (SELECT 0 UNION ALL SELECT i + 20 FROM a WHERE i + 20 < ?) "
        "SELECT 2, printf('0x%064x', 2), ? + i % 80000, printf('0x%064x', i), 1,"
        " printf('0x%040x', 1000000000 + (i * 7) % ?), printf('0x%040x', 10000000 + i), 'unstake',"
        " printf('0%078d', 500000000000000000), ? + 700000 FROM a",
        (accounts, T0, mts, T0),
    )
    con.execute(
        "INSERT INTO gm_lock_events (block_number, block_hash, block_time, tx_hash, log_index,"
        " account, kind, amount, unlock_time) "
        "WITH RECURSIVE a(i) AS (SELECT 0 UNION ALL SELECT i + 10 FROM a WHERE i + 10 < ?) "
        "SELECT 1, printf('0x%064x', 1), ? - 5000, printf('0x%064x', i), 2,"
        " printf('0x%040x', 10000000 + i), 'create',"
        " printf('0%060d%018d', 1 + i % 100000, 0), ? + 86400 * (1 + i % 360)"
        " FROM a",
        (accounts, T0, T0),
    )
    con.commit()
    con.execute("ANALYZE")
    con.close()
    return {"usage": t_usage, "stakes+gm": time.perf_counter() - t}


class Stages:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = []

    def run(self, name: str, fn: Callable[[], Any]) -> Any:
        gc.collect()
        t = time.perf_counter()
        out = fn()
        self.rows.append((name, time.perf_counter() - t, peak_mb()))
        print(f"    {name:<34} {self.rows[-1][1]:8.2f} s   peak RSS {self.rows[-1][2]:8.0f} MB",
              flush=True)  # fmt: skip
        return out


def one(scale: float, workdir: Path, pure: bool, reuse: bool) -> list[tuple[str, float, float]]:
    rows, accounts, mts = (max(1, int(FULL[k] * scale)) for k in ("rows", "accounts", "mts"))
    path = workdir / f"epoch-{scale}.db"
    print(f"\n== scale {scale}: {rows:,} usage rows, {accounts:,} accounts, {mts:,} MTs")
    if reuse and path.exists():
        t = time.perf_counter()
        upgrade(f"sqlite:///{path}")  # a database from an older revision gets new indexes
        print(f"    (reusing {path}; migrations {time.perf_counter() - t:.1f} s)")
    else:
        if path.exists():
            path.unlink()
        # in a child process, so SQLite's bulk-load cache does not count in our peak RSS
        t = time.perf_counter()
        child = multiprocessing.get_context("fork").Process(
            target=generate, args=(path, rows, accounts, mts)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit("data generation failed")
        print(f"    (data generation {time.perf_counter() - t:.1f} s, in a child process)")
    sys.stdout.flush()
    engine = make_engine(f"sqlite:///{path}")
    st = Stages()
    from fomo.epochs import gather

    with engine.connect() as conn:
        # each query alone (a breakdown of gather_input); only counts are kept so these copies
        # do not inflate the peak RSS of what follows
        n_spend = len(st.run("SQL: usage per (account, MT)", lambda: gather.usage(conn, DAY))[0])
        n_stake = len(
            st.run("SQL: stake-seconds per (account, MT)", lambda: gather.stake_seconds(conn, DAY))
        )
        st.run("SQL: gmFLOCK, MTs, pools", lambda: (
            gather.effective_gmflock(conn, DAY), gather.graduated(conn, DAY),
            gather.pools(conn, FLOCK)))  # fmt: skip
        inp: EpochInput = st.run(
            "gather_input (all of the above)",
            lambda: eng.gather_input(conn, DAY, flock_token=FLOCK, previous=None),
        )
    day = st.run("day_input (participants)", lambda: day_input(inp))
    n_part = sum(len(d.participants) for d in day.deployments)
    print(f"    pairs with spend {n_spend:,}, with stake {n_stake:,}; participants {n_part:,}")
    if not pure:
        del day
    ep = st.run("assemble, fast (compute+tree+file)", lambda: assemble(inp, fast=True))
    if pure:
        # the baseline measured in the same run: the exact Fraction compute_day
        st.run("  baseline: compute_day (Fractions)", lambda: compute_day(day, inp.params))
        slow = st.run("  baseline: assemble (Fractions)", lambda: assemble(inp))
        assert slow.data == ep.data, "fast and exact paths disagree"
    st.run("data file write", partial(eng.write_atomic, workdir / "out.json", ep.data))
    print(f"    leaves {len(ep.cumulative):,}, file {len(ep.data) / 1e6:.1f} MB, root {ep.root}")
    # the end-to-end path: gather_input (all SQL + dicts), assemble (day_input, compute, tree,
    # data file bytes), write; the per-query rows above are a breakdown of gather_input
    counted = [r for r in st.rows if r[0].startswith(("gather_input", "assemble", "data file"))]
    total = sum(t for _, t, _ in counted)
    peak = max(p for _, _, p in counted)
    load = os.getloadavg()[0]
    print(f"    TOTAL database → tree + file (fast path): {total:.1f} s, "
          f"peak RSS {peak:.0f} MB, load average {load:.1f}")  # fmt: skip
    leaves = [(a, t, v) for (a, t), v in ep.cumulative.items() if v]
    del ep
    st.run("(Merkle tree alone, rebuilt)", lambda: MerkleTree(leaves))
    engine.dispose()
    return st.rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--full", action="store_true", help="also run full size")
    ap.add_argument("--scales", type=float, nargs="*", help="explicit scales, e.g. 0.01 0.1")
    ap.add_argument("--baseline-below", type=float, default=0.5,
                    help="run the exact Fraction baseline only below this scale")  # fmt: skip
    ap.add_argument("--reuse", action="store_true", help="reuse databases already in --dir")
    ap.add_argument("--dir", type=Path, default=None, help="work directory (default: a temp dir)")
    args = ap.parse_args()
    scales = args.scales or ([0.01, 0.1, 1.0] if args.full else [0.01, 0.1])
    workdir = args.dir or Path(tempfile.mkdtemp(prefix="fomo-epoch-bench-"))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, work dir {workdir}")
    print(f"baseline RSS after imports: {peak_mb():.0f} MB")
    for s in scales:
        one(s, workdir, pure=s < args.baseline_below, reuse=args.reuse)


if __name__ == "__main__":
    main()
