"""The demo's script: who plays (the cast), what they launch, buy, stake and lock, the API traffic
per simulated day, and the files a run writes. Data only; :mod:`fomo.demo.scenario` plays it."""

from __future__ import annotations

USDC = 10**6

MINUTE = 60

CAST = ("operator", "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")

# (symbol, issuer, base model, bundled first buy in FLOCK)
LAUNCHES = (
    ("ALPHA", "alice", "qwen3-235b-a22b-instruct", 40_000),
    ("BETA", "bob", "deepseek-v3.2", 0),
    ("GAMMA", "bob", "kimi-k2-thinking", 0),
)

# (minute after the sale start, buyer, symbol, FLOCK) — in order
BUYS = (
    (1, "erin", "ALPHA", 2_000),  # a sniper: 98% tax, almost nothing enters the curve
    (45, "frank", "BETA", 10_000),  # still inside the anti-sniping window (54% tax)
    (100, "carol", "ALPHA", 200_000),
    (100, "dave", "ALPHA", 200_000),
    (101, "grace", "BETA", 90_000),
    (101, "heidi", "BETA", 20_000),
    (102, "frank", "GAMMA", 30_000),
    (102, "grace", "GAMMA", 25_000),
    (110, "erin", "ALPHA", 150_000),  # passes max_raise: partial fill + auto graduation
)

# (user, symbol, MT staked) — tiers: ≥1k 5%, ≥10k 10%, ≥50k 15%, ≥100k 20%
STAKES = (
    ("carol", "ALPHA", 60_000),
    ("dave", "ALPHA", 100_000),
    ("grace", "BETA", 12_000),
    ("frank", "BETA", 2_000),
)

GM_LOCKS = (("carol", 100_000, 365), ("grace", 20_000, 60))

DEPOSIT_USDC = 20

# Per simulated day: (user, symbol or base model id, requests at full / fast speed)
TRAFFIC = (
    ("carol", "ALPHA", 6, 2),
    ("dave", "ALPHA", 8, 3),
    ("erin", "ALPHA", 4, 2),
    ("erin", "BETA", 3, 1),
    ("frank", "BETA", 5, 2),
    ("grace", "BETA", 6, 2),
    ("grace", "deepseek-v3.2", 2, 1),  # a base model id: counts toward no MT in Season 2
)

RUN_FILES = (
    "anvil-state.json",
    "anvil.log",
    "anvil.pid",
    "deployment.json",
    "fomo.db",
    "gateway-journal",
    "epochs",
    "report.json",
    "supply.png",
    "burns.png",
    "rewards.png",
)
