"""The pure economic core: plain functions, exact arithmetic, no I/O, no clock, no database.

``params`` (the one config object) · ``pricing`` / ``discounts`` (nano-USD costs, 30% cap) ·
``waterfall`` (net revenue split) · ``gmflock`` · ``staking`` · ``rewards`` (formulas) ·
``vintage`` (180-day release) · ``attribution`` (Season 1/2) · ``day`` (one epoch's rewards) ·
``dayfile`` (calculator schema) · ``exact`` (deterministic exp/ln/sqrt) · ``curve`` (launches).
See docs/reward-math.md.
"""
