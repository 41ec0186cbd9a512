"""Schemathesis over the read API's OpenAPI, against the real app (uvicorn) on a real SQLite
database the indexer filled from anvil: no answer may be a 5xx, and every answer must match the
schema (status code, content type, body). Fixed seed, bounded examples: deterministic.

Random path parameters only ever reach "not found"; so every generated case is sent a second
time with its address parameters replaced by real ones (a graduated launch, an account with
positions), and the paging and filter parameters then reach the database."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fomo.api.app import create_app
from fomo.api.routes_common import MAX_PAGE_OFFSET
from fomo.config import Settings
from fomo.context import RuntimeContext
from fomo.db.migrate import upgrade
from fomo.db.session import make_engine, make_session_factory
from fomo.epochs import engine as eng
from tests.epochs.test_gather_run import DAY, FLOCK, T0, seed
from tests.gateway.conftest import ServerThread
from tests.indexer.conftest import Chain, Db, Scenario, make_indexer

pytestmark = pytest.mark.anvil

SEED = 20_261_127
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# The schema does not depend on data: render it from an app with no context behind it.
_SCHEMA = create_app(Settings(), context=SimpleNamespace()).openapi()  # type: ignore[arg-type]
schema = schemathesis.openapi.from_dict(
    _SCHEMA, config=schemathesis.Config.from_dict({"seed": SEED})
)
FUZZ = settings(
    max_examples=10, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
)


@pytest.fixture(scope="module")
def served(
    chain: Chain, scenario: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("api-fuzz")
    from tests.indexer.conftest import _db

    for db in _db(f"sqlite:///{tmp / 'fomo.db'}"):
        yield from _serve(chain, scenario, db, tmp)


def _serve(
    chain: Chain, scenario: Scenario, db: Db, tmp: Path
) -> Iterator[tuple[str, dict[str, str]]]:
    make_indexer(chain, db).sync()
    settings_ = Settings(data_dir=tmp, database_url=db.url, rpc_url=chain.url)
    engine = make_engine(db.url)
    ctx = RuntimeContext(
        settings=settings_,
        engine=engine,
        session_factory=make_session_factory(engine),
        manifest=chain.manifest,
    )
    real = {
        "token": scenario.graduated,
        "address": scenario.alice.address,
        "account": scenario.alice.address,
    }
    with ServerThread(create_app(settings_, ctx)) as srv:
        yield srv.url, real
    engine.dispose()


def _call_twice(case: Any, url: str, real: dict[str, str]) -> None:
    case.call_and_validate(base_url=url, checks=CHECKS)
    params = case.path_parameters or {}
    if any(name in real for name in params):
        case.path_parameters = {k: real.get(k, v) for k, v in params.items()}
        case.call_and_validate(base_url=url, checks=CHECKS)


# The event stream never ends by design: tests/api/test_stream.py covers it.
@schema.exclude(tag="epochs").exclude(tag="stream").parametrize()
@FUZZ
def test_read_api_answers_match_its_schema(case: Any, served: tuple[str, dict[str, str]]) -> None:
    """Launches, purchases, portfolios, health and info over the indexed anvil scenario."""
    _call_twice(case, *served)


@pytest.fixture(scope="module")
def epochs_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A database seeded with a season of activity and two published epochs (no chain)."""
    tmp = tmp_path_factory.mktemp("api-fuzz-epochs")
    url = f"sqlite:///{tmp / 'fomo.db'}"
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as s, s.begin():
        seed(s, random.Random(3))
    settings_ = Settings(data_dir=tmp, database_url=url)
    runs = eng.catch_up(
        factory, tmp, first=DAY, now=T0 + 2 * 86_400, flock_token=FLOCK,
        params=eng.params_from_settings(settings_),
    )  # fmt: skip
    earner = json.loads(runs[-1].path.read_bytes())["tree"]["leaves"][0][0]
    with ServerThread(create_app(settings_)) as srv:
        yield srv.url, {"day": eng.day_label(DAY), "account": earner}
    engine.dispose()


@schema.include(tag="epochs").parametrize()
@FUZZ
def test_epoch_api_answers_match_its_schema(
    case: Any, epochs_served: tuple[str, dict[str, str]]
) -> None:
    """Epochs, data files, rewards and the explainer over published epochs."""
    _call_twice(case, *epochs_served)


def test_huge_paging_offsets_are_refused_plainly(served: tuple[str, dict[str, str]]) -> None:
    """The case schemathesis first found: an offset past 2^63 reached SQLite (500)."""
    url, real = served
    for path in (f"/api/launches/{real['token']}/purchases", "/api/launches"):
        r = httpx.get(url + path, params={"offset": 2**63}, timeout=30)
        assert r.status_code == 422, r.text
        assert "offset" in r.text and "less than or equal to 1000000000" in r.text
        ok = httpx.get(url + path, params={"offset": MAX_PAGE_OFFSET}, timeout=30)
        assert ok.status_code == 200 and ok.json()["total"] >= 0


def test_out_of_range_days_are_refused_plainly(epochs_served: tuple[str, dict[str, str]]) -> None:
    """A day number past 9999-12-31 overflowed the date label (500); a non-ASCII digit ('²'
    passes str.isdigit) crashed int(). Both are a 422 sentence now, before and after the route."""
    url, real = epochs_served
    for path, params in (
        ("/api/epochs/9999999", {}),
        ("/api/epochs/2932897", {}),
        (f"/api/rewards/{real['account']}", {"day": "2932897"}),
        (f"/api/rewards/{real['account']}/explain", {"day": "9999999"}),
    ):
        r = httpx.get(url + path, params=params, timeout=30)
        assert r.status_code == 422, (path, r.status_code, r.text)
        assert "9999-12-31" in r.json()["detail"]
    for bad in ("²", "%C2%B2"):
        r = httpx.get(f"{url}/api/epochs/{bad}", timeout=30)
        assert r.status_code == 422, (bad, r.text)
    last = httpx.get(f"{url}/api/epochs/2932896", timeout=30)
    assert last.status_code == 404 and "9999-12-31" in last.json()["detail"]
