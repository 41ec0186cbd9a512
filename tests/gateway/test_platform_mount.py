"""`fomo up` serves the gateway: the runtime's HTTP mounts, on the platform's FastAPI app."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import httpx
import openai
from fastapi import FastAPI

from fomo.config import Settings
from fomo.db.session import make_engine
from fomo.gateway.store import GatewayStore
from fomo.runtime import hooks

from .conftest import USD, ServerThread, free_port, make_db


def test_platform_mounts_serve_openai_api_with_dev_upstream(tmp_path: Path) -> None:
    url = make_db("sqlite", tmp_path)
    port = free_port()
    settings = Settings(data_dir=tmp_path, database_url=url, http_port=port)
    engine = make_engine(url)
    ctx = SimpleNamespace(settings=settings, engine=engine)
    # a usage record journaled by a previous run that was killed before flushing it
    from fomo.gateway.journal import Journal

    leftover = Journal(tmp_path / "gateway-journal", fsync=True)
    leftover.write(
        {
            "request_id": "left-over-from-last-run",
            "ts_us": 1_800_000_000_000_000,
            "day": 20833,
            "account": "0x" + "ef" * 20,
            "key_id": None,
            "endpoint": "chat",
            "model_id": "deepseek-v3.2",
            "base_model": "deepseek-v3.2",
            "deployment": None,
            "input_tokens": 3,
            "cached_input_tokens": 0,
            "output_tokens": 2,
            "reasoning_tokens": 0,
            "gross_nano_usd": 1680,
            "discount_bps": 0,
            "paid_nano_usd": 1680,
            "compute_cost_nano_usd": 672,
            "latency_us": 1,
            "overhead_us": 1,
            "status": 200,
            "charged": True,
            "estimated": False,
            "stream": False,
            "cut": False,
        }
    )
    leftover.close()
    app = FastAPI()

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "platform"}

    for prefix, factory in hooks.HTTP_MOUNTS:  # exactly what the runtime's build_server does
        app.mount(prefix, factory(ctx))

    store = GatewayStore(engine)
    assert store.spent_totals("0x" + "ef" * 20) == {"0x" + "ef" * 20: 1680}  # replayed at mount
    account = "0x" + "ab" * 20
    store.grant(account, USD)
    _, key = store.create_key(account)
    with ServerThread(app, port) as srv:
        client = openai.OpenAI(base_url=srv.url + "/v1", api_key=key)
        out = client.chat.completions.create(
            model="deepseek-v3.2",
            messages=[{"role": "user", "content": "through fomo up"}],
            max_tokens=4,
        )
        assert out.usage is not None and out.usage.completion_tokens == 4
        assert out.system_fingerprint == "fomo-dev-upstream"
        assert httpx.get(srv.url + "/health").json() == {"status": "platform"}
        assert "fomo_gateway_requests_total" in httpx.get(srv.url + "/metrics").text
        bal = httpx.get(srv.url + "/v1/account/balance", headers={"authorization": f"Bearer {key}"})
        assert 0 < int(bal.json()["balance_nano_usd"]) < USD
    engine.dispose()
