"""The demo's report: figures and conservation checks, all read back from the chain (and the
database / epoch data files for off-chain figures). Integers in base units throughout; JSON
carries them as decimal strings.

The sections live by subject: money (`report_money`), launches and Model Tokens
(`report_launches`), rewards (`report_rewards`); what they share is `report_context`, the
check value `report_checks`."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from fomo.demo.report_context import ReportContext
from fomo.demo.report_launches import launches, model_tokens
from fomo.demo.report_money import revenue, token_supplies, usdc_flows
from fomo.demo.report_rewards import account_rewards, reward_pots
from fomo.demo.run import DemoRun


def build_report(run: DemoRun, factory: sessionmaker[Session]) -> dict[str, Any]:
    cx = ReportContext(run, factory)
    m, checks = cx.m, cx.checks
    tokens_out = token_supplies(cx)
    flows = usdc_flows(cx)
    launches_out = launches(cx)
    mts = model_tokens(cx)
    pots = reward_pots(cx)
    rewards, explained = account_rewards(cx)
    revenue_out = revenue(cx, flows)

    return {
        "ok": all(c.ok for c in checks),
        "chain_id": m.chain_id,
        "days": run.config.days,
        "fast": run.config.fast,
        "data_dir": str(run.config.data_dir),
        "contracts": {n: c.address for n, c in m.contracts.items()},
        "accounts": {n: a.address for n, a in run.actors.items()},
        "launches": launches_out,
        "tokens": tokens_out,
        "mt": mts,
        "revenue": revenue_out,
        "reward_pots": pots,
        "rewards": rewards,
        "explain": explained,
        "epochs": run.epochs,
        "traffic": run.traffic,
        "timeline": [
            {
                "label": s.label,
                "time": s.time,
                "supply": {k: str(v) for k, v in s.supply.items()},
                "burned": {k: str(v) for k, v in s.burned.items()},
            }
            for s in run.snapshots
        ],
        "skipped": run.skipped,
        "notes": run.notes,
        "checks": [c.to_json() for c in checks],
    }
