"""The explainer replays each MT alone and must give the full day's numbers, with reasons."""

from __future__ import annotations

from fomo.economics.epoch import assemble
from fomo.economics.epoch_explain import LockInfo, explain
from fomo.economics.epoch_file import EpochFile
from fomo.economics.units import format_units
from tests.economics.test_day_fast import ACCOUNTS, three_mts
from tests.economics.test_epoch import ALICE, BOB, CAROL, DAY0, MT, inp, mt


def test_explainer_matches_the_full_day_for_every_account_and_mt() -> None:
    epoch_in = three_mts()
    e = assemble(epoch_in)
    doc = EpochFile.from_bytes(e.data)
    full = {(p.account, d.token): p for d in e.result.deployments for p in d.participants}
    checked = 0
    for a in ACCOUNTS:
        ex = explain(doc, a)
        for m in ex["mts"]:
            p = full.get((a, m["token"]))
            if p is None:
                continue
            assert m["global_flock"] == format_units(p.global_flock, 18, strip=True)
            assert m["reserved_flock"] == format_units(p.reserved_flock, 18, strip=True)
            assert m["mt_reward"] == format_units(p.mt_reward, 18, strip=True)
            checked += 1
    assert checked == len(full)


def test_reasons_for_zero_and_low_rewards() -> None:
    e = assemble(
        inp(
            stake={(ALICE, MT): 1, (CAROL, MT): 10**6},
            deployments=(mt(reserved_flock_pool=10**21, mt_reward_pool=10**21),),
        )
    )
    doc = EpochFile.from_bytes(e.data)
    bob = explain(doc, BOB, unattributed_spend=2_500_000_000)
    text = " ".join(bob["reasons"] + bob["mts"][0]["reasons"])
    assert "No stake on this MT" in text and "0 of them" in text
    assert "base model id" in text and "Season 2" in text
    assert bob["mts"][0]["reserved_flock"] == "0" and bob["mts"][0]["global_flock"] != "0"
    carol = explain(doc, CAROL)
    assert any("No usage" in r for r in carol["mts"][0]["reasons"])
    alice = explain(doc, ALICE, lock=LockInfo(10**21, (DAY0 + 1) * 86_400 + 5 * 86_400))
    text = " ".join(alice["reasons"] + alice["mts"][0]["reasons"])
    assert "unlocks in 5.0 days" in text and "stake is" in text
    nobody = explain(doc, "0x" + "99" * 20)
    assert nobody["mts"] == [] and "nothing to earn" in nobody["reasons"][-1]
