"""CLI start-up time (not a test): how long each top-level `fomo` command takes to print --help.

Every command runs in a fresh interpreter, ``--runs`` times (default 7); the table shows the
median wall time, and the ratio against ``python -c pass`` measured in the same run (the
interpreter's own start-up, the floor). ``version`` and ``--help`` must stay near the floor:
they import no command module (see ``fomo.cli.main``); the other rows show what each group
pays for its own imports.

    uv run python bench/cli_startup.py
    uv run python bench/cli_startup.py --runs 11 --only version --only root --only launch
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

ENTRY = "import sys; from fomo.cli.main import main; sys.argv[0] = 'fomo'; main()"


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per command (median shown)")
    parser.add_argument("--only", action="append", default=[], help="only these commands")
    args = parser.parse_args()

    from fomo.cli.main import COMMANDS

    rows: list[tuple[str, list[str]]] = [("version", ["version"]), ("root", ["--help"])]
    rows += [(name, [name, "--help"]) for name in COMMANDS]
    if args.only:
        rows = [r for r in rows if r[0] in args.only]

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    baseline = median_seconds([sys.executable, "-c", "pass"], args.runs)
    print(f"python -c pass: {baseline * 1000:.0f} ms (median of {args.runs}); load {load:.2f}")
    print(f"{'command':26} {'median ms':>10} {'× python':>9}")
    for _label, cli_args in rows:
        t = median_seconds([sys.executable, "-c", ENTRY, *cli_args], args.runs)
        shown = "fomo " + " ".join(cli_args)
        print(f"{shown:26} {t * 1000:>10.0f} {t / baseline:>9.1f}")


if __name__ == "__main__":
    main()
