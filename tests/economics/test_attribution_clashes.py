"""fomo.economics.attribution.unique_deployments: clashes refused whole, order-independent."""

from __future__ import annotations

import itertools

from fomo.economics.attribution import AttributionTable, DeploymentRef, unique_deployments

BASE = "qwen3-30b-a3b-instruct"
A = DeploymentRef("0x" + "aa" * 20, BASE, "QWENA")
A_AGAIN = DeploymentRef("0x" + "AA" * 20, BASE, "qwena")  # same token, same id: one deployment
B = DeploymentRef("0x" + "bb" * 20, BASE, "qwenA")  # another token, same id as A
C = DeploymentRef("0x" + "cc" * 20, BASE, "QWENC")
D = DeploymentRef("0x" + "dd" * 20, "qwen3", "30b-a3b-instruct")  # = the base id BASE
E = DeploymentRef("0x" + "ee" * 20, BASE, "QWENE")
E_ELSEWHERE = DeploymentRef("0x" + "ee" * 20, BASE, "QWENE2")  # one token, two ids


def test_every_order_gives_the_same_answer() -> None:
    deps = [A, A_AGAIN, B, C, D, E, E_ELSEWHERE]
    answers = {unique_deployments(p, [BASE]) for p in itertools.permutations(deps)}
    assert len(answers) == 1
    ((kept, clashes),) = answers
    assert kept == (C,)
    by_id = {c.model_id: c for c in clashes}
    assert by_id[f"{BASE}-qwena"].tokens == (A.token, B.token)
    assert "several deployments" in by_id[f"{BASE}-qwena"].reason
    assert "base model" in by_id[BASE].reason
    assert set(by_id) >= {f"{BASE}-qwene", f"{BASE}-qwene2"}
    AttributionTable(kept)  # what is kept never trips the strict table


def test_the_same_token_listed_twice_is_one_deployment() -> None:
    kept, clashes = unique_deployments([A, A_AGAIN], [BASE])
    assert len(kept) == 1 and clashes == ()
