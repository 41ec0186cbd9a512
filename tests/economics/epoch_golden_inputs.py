"""Inputs of the golden epoch data files in ``tests/economics/golden/``.

The golden files were written by the epoch code before it moved from ``fomo.epochs.assemble``
to ``fomo.economics`` (issue 14); the tests assert the moved code writes the same bytes. Only
literals here, so the inputs cannot drift with a helper elsewhere.
"""

from __future__ import annotations

from fomo.economics.epoch_input import EpochInput, MTState

FLOCK = "0x" + "f1" * 20
ISSUERS = ["0x" + "15" * 20, "0x" + "16" * 20]
ACCOUNTS = ["0x" + f"{i:040x}" for i in range(1, 9)]
TOKENS = ["0x" + f"{0xA0 + i:02x}" * 20 for i in range(3)]
FLOCK_UNIT = 10**18


def rich() -> EpochInput:
    """Three MTs of different vintage days (one on its last day, so pools expire), carries,
    previous cumulative leaves, gmFLOCK multipliers, stakers without usage, an issuer bonus."""
    return EpochInput(
        epoch=20_179,
        flock_token=FLOCK,
        deployments=(
            MTState(TOKENS[0], ISSUERS[0], 20_000, 3 * 10**9, 10**8, 10**24, 2 * 10**24, 7, 11),
            MTState(TOKENS[1], ISSUERS[1], 20_170, 10**9, 0, 10**24, 10**24, 0, 0),
            MTState(TOKENS[2], ISSUERS[0], 20_179, 0, 5, 10**21, 10**21, 3, 0),
        ),
        spend={
            (a, t): 10**6 * (i + 1) * (k + 2)
            for i, a in enumerate(ACCOUNTS)
            for k, t in enumerate(TOKENS)
            if (i + k) % 3
        },
        stake={(a, TOKENS[i % 3]): 10**20 * (i + 1) for i, a in enumerate(ACCOUNTS) if i % 4},
        gmflock={ACCOUNTS[1]: 5 * 10**21, ACCOUNTS[2]: 10**25, ACCOUNTS[7]: 0},
        previous={
            (ACCOUNTS[3], FLOCK): 12_345,
            (ACCOUNTS[5], TOKENS[0]): 99,
            (ISSUERS[1], FLOCK): 1,
        },
        capacity={FLOCK: 10**30, **{t: 10**30 for t in TOKENS}},
        global_emission=50_000 * FLOCK_UNIT,
        issuer_bonus_bps=500,
    )


def empty() -> EpochInput:
    """No graduated MT: no leaves, no root (``null`` in the file)."""
    return EpochInput(
        epoch=20_000,
        flock_token=FLOCK,
        deployments=(),
        spend={},
        stake={},
        gmflock={},
        previous={},
        capacity={},
    )
