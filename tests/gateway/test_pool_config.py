"""Upstream pool configuration: today's ``url =`` form, the replica list, one-sentence errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from fomo.gateway.config import GatewayConfig
from fomo.gateway.routing import build_routes

POOL_TOML = """
default_upstream = "http://fallback:9000/v1"

[upstreams."deepseek-v3.2"]
api_key = "pool-key"
model = "deepseek-ai/DeepSeek-V3.2"
[[upstreams."deepseek-v3.2".replicas]]
url = "http://gpu-a:8000/v1/"
weight = 3
[[upstreams."deepseek-v3.2".replicas]]
url = "http://user:secret@gpu-b:8001/v1"
api_key = "own-key"
model = "deepseek-v3.2:671b"

[upstreams."kimi-k2-thinking"]
url = "http://gpu-c:8000/v1"
api_key = "k"

[upstream_pool]
health_interval_s = 2.5
breaker_failures = 4
breaker_cooldown_s = 30
first_byte_timeout_s = 120
"""


def load(tmp_path: Path, text: str) -> GatewayConfig:
    path = tmp_path / "gateway.toml"
    path.write_text(text)
    return GatewayConfig.from_toml(path)


def test_replica_list_fills_in_the_pools_defaults(tmp_path: Path) -> None:
    cfg = load(tmp_path, POOL_TOML)
    a, b = cfg.upstreams["deepseek-v3.2"].resolved_replicas()
    assert (a.url, a.api_key, a.weight, a.model, a.name) == (
        "http://gpu-a:8000/v1",
        "pool-key",
        3,
        "deepseek-ai/DeepSeek-V3.2",
        "gpu-a:8000",
    )
    # its own key and model name win; the label never carries the URL's credentials
    assert (b.api_key, b.weight, b.model, b.name) == (
        "own-key",
        1,
        "deepseek-v3.2:671b",
        "gpu-b:8001",
    )
    pool = cfg.upstream_pool
    assert (pool.health_interval_s, pool.breaker_failures, pool.breaker_cooldown_s) == (2.5, 4, 30)
    assert pool.first_byte_timeout_s == 120
    assert pool.health_path == "/models"


def test_single_url_form_still_routes_as_before(tmp_path: Path) -> None:
    cfg = load(tmp_path, POOL_TOML)
    routes = build_routes(cfg)
    kimi = routes.get("kimi-k2-thinking")
    assert kimi is not None
    assert (kimi.upstream_url, kimi.upstream_key, kimi.upstream_model) == (
        "http://gpu-c:8000/v1",
        "k",
        "kimi-k2-thinking",
    )
    [only] = cfg.upstreams["kimi-k2-thinking"].resolved_replicas()
    assert (only.url, only.weight, only.name) == ("http://gpu-c:8000/v1", 1, "gpu-c:8000")
    # a string is still shorthand for {url = …}
    short = GatewayConfig.model_validate({"upstreams": {"m": "http://x:1/v1"}})
    assert short.upstreams["m"].url == "http://x:1/v1"
    # a model without a table still goes to default_upstream
    other = routes.get("qwen3-30b-a3b-instruct")
    assert other is not None and other.upstream_url == "http://fallback:9000/v1"


@pytest.mark.parametrize(
    ("table", "sentence"),
    [
        (
            '[[upstreams."m".replicas]]\nurl = "http://a/v1"\nweight = 0\n',
            "upstreams.m.replicas[0].weight: weight must be between 1 and 1000 (got 0)",
        ),
        (
            '[[upstreams."m".replicas]]\nurl = "http://a/v1"\nweight = 1001\n',
            "upstreams.m.replicas[0].weight: weight must be between 1 and 1000 (got 1001)",
        ),
        (
            '[upstreams."m"]\nreplicas = []\n',
            "upstreams.m: replicas is empty: list at least one replica (or give url)",
        ),
        (
            '[[upstreams."m".replicas]]\nurl = "http://a/v1"\n'
            '[[upstreams."m".replicas]]\nurl = "http://a/v1/"\n',
            "upstreams.m: replica url http://a/v1 is listed twice",
        ),
        (
            '[upstreams."m"]\nurl = "http://b/v1"\n[[upstreams."m".replicas]]\nurl = "http://a/v1"\n',
            "upstreams.m: give either url or a list of replicas, not both",
        ),
        (
            '[[upstreams."m".replicas]]\nurl = "http://h:1/a/v1"\n'
            '[[upstreams."m".replicas]]\nurl = "http://h:1/b/v1"\n',
            "upstreams.m: two replicas are named h:1: give each a distinct name = …",
        ),
        (
            '[upstreams."m"]\napi_key = "k"\n',
            "upstreams.m: give url (one server) or replicas (a pool)",
        ),
        (
            "[upstream_pool]\nbreaker_failures = 0\n",
            "upstream_pool.breaker_failures: input should be greater than or equal to 1 (got 0)",
        ),
        (
            "[upstream_pool]\nbreaker_cooldown_s = 7200\n",
            "upstream_pool.breaker_cooldown_s: "
            "input should be less than or equal to 3600 (got 7200)",
        ),
        (
            "[upstream_pool]\nhealth_interval_s = 0.01\n",
            "upstream_pool.health_interval_s: "
            "input should be greater than or equal to 0.2 (got 0.01)",
        ),
        (
            '[upstream_pool]\nhealth_path = "health"\n',
            "upstream_pool.health_path: health_path must start with '/' (got 'health')",
        ),
        (
            "[upstream_pool]\nretries = 3\n",
            "upstream_pool.retries: extra inputs are not permitted (got 3)",
        ),
    ],
)
def test_bad_pool_settings_are_one_sentence(tmp_path: Path, table: str, sentence: str) -> None:
    with pytest.raises(ValueError) as err:
        load(tmp_path, table)
    assert str(err.value) == sentence
    assert "\n" not in str(err.value)


def test_cli_reports_a_bad_pool_in_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from fomo.cli.main import app

    path = tmp_path / "gateway.toml"
    path.write_text('[[upstreams."m".replicas]]\nurl = "http://a/v1"\nweight = -2\n')
    result = CliRunner().invoke(app, ["serve-gateway", "--config", str(path)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: invalid configuration: upstreams.m.replicas[0].weight: "
        "weight must be between 1 and 1000 (got -2)"
    ]
