"""The `fomo demo` scenario: a fresh devnet driven through the whole franchise loop.

Cast (anvil dev accounts): ``operator`` deploys and holds the publisher/settler/keeper roles;
``alice`` and ``bob`` are issuers; ``carol``, ``dave``, ``erin``, ``frank``, ``grace`` and
``heidi`` are supporters and API users.

1. alice launches ALPHA with a bundled first buy; bob launches BETA and GAMMA.
2. Supporters buy through the anti-sniping window (a sniper at minute 1, one buyer at minute 45,
   the rest after the tax decayed); erin's buy fills ALPHA to its max: partial fill, refund and
   automatic graduation in that transaction.
3. Seven days later BETA (above its min) is graduated by heidi, a third party; GAMMA (below its
   min) failed and its buyers redeem their principal. Buyers claim their MT.
4. Users stake MT (discount tiers), lock gmFLOCK, deposit USDC into the PaymentVault.
5. Each simulated day: API traffic through the gateway to the dev upstream (discounts from the
   indexed stakes), then advance anvil past midnight, index, run the epoch (settle revenue →
   buybacks → rewards root), advance past the dispute window, and every rewarded user claims.

Nothing is faked: every figure in the report is read back from the chain, the database or the
epoch data files; a step that cannot run is recorded in ``skipped`` with the reason.

The script (cast, launches, buys, traffic) is :mod:`fomo.demo.script`; the devnet and helpers
:mod:`fomo.demo.stage`; steps 1–4 :mod:`fomo.demo.sale_phases`, step 5
:mod:`fomo.demo.day_phases`; the run's record :mod:`fomo.demo.run`.
"""

from __future__ import annotations

from fomo.demo.day_phases import DayPhases
from fomo.demo.run import DemoConfig, DemoRun
from fomo.demo.sale_phases import SalePhases

__all__ = ["DemoConfig", "DemoRun", "Scenario"]


class Scenario(SalePhases, DayPhases):
    """Plays the whole script on a fresh devnet; ``step(label)`` is called before each step."""

    def execute(self) -> DemoRun:
        run = self.start()
        self.launch_phase()
        self.window_end_phase()
        self.engagement_phase()
        for i in range(self.cfg.days):
            self.day_phase(i)
        return run
