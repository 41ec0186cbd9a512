"""CLI start-up time (not a test): how long each top-level `fomo` command takes to print --help.

Every command runs in a fresh interpreter, ``--runs`` times (default 7); the table shows the
median wall time, and the ratio against ``python -c pass`` measured in the same run (the
interpreter's own start-up, the floor). ``version`` and ``--help`` must stay near the floor:
they import no command module (see ``fomo.cli.main``); the other rows show what each group
pays for its own imports.

    uv run python bench/cli_startup.py
    uv run python bench/cli_startup.py --runs 11 --only version --only root --only launch
    uv run python bench/cli_startup.py --only version --only root --before-src /path/to/old/src

``--before-src`` also times each command with another checkout's ``src/`` first on the path
(e.g. the commit before lazy loading), in the same run, and prints the speed-up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

ENTRY = "import sys; from fomo.cli.main import main; sys.argv[0] = 'fomo'; main()"


def median_seconds(argv: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per command (median shown)")
    parser.add_argument("--only", action="append", default=[], help="only these commands")
    parser.add_argument("--before-src", default=None, help="another checkout's src/ to compare")
    args = parser.parse_args()

    from fomo.cli.main import COMMANDS

    rows: list[tuple[str, list[str]]] = [("version", ["version"]), ("root", ["--help"])]
    rows += [(name, [name, "--help"]) for name in COMMANDS]
    if args.only:
        rows = [r for r in rows if r[0] in args.only]

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    baseline = median_seconds([sys.executable, "-c", "pass"], args.runs)
    print(f"python -c pass: {baseline * 1000:.0f} ms (median of {args.runs}); load {load:.2f}")
    before_env = None
    if args.before_src:
        before_env = {**os.environ, "PYTHONPATH": args.before_src}
    extra = f" {'before ms':>10} {'speed-up':>9}" if before_env else ""
    print(f"{'command':26} {'median ms':>10} {'× python':>9}{extra}")
    for _label, cli_args in rows:
        t = median_seconds([sys.executable, "-c", ENTRY, *cli_args], args.runs)
        shown = "fomo " + " ".join(cli_args)
        line = f"{shown:26} {t * 1000:>10.0f} {t / baseline:>9.1f}"
        if before_env is not None:
            old = median_seconds([sys.executable, "-c", ENTRY, *cli_args], args.runs, before_env)
            line += f" {old * 1000:>10.0f} {old / t:>8.1f}×"
        print(line)


if __name__ == "__main__":
    main()
