"""One real anvil and one deployed suite per test session; the CLI is driven in-process.

The compiled artifacts are cached in pytest's cache directory (keyed by source hash), so only
the first run after a contract change pays for compilation.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from web3 import Web3

from fomo.chain.anvil import Anvil
from fomo.chain.deploy import DeployOptions, deploy_suite
from fomo.chain.dev_accounts import DevAccount, dev_accounts
from fomo.chain.manifest import Manifest
from fomo.cli.main import app
from fomo.config import ANVIL_MNEMONIC
from tests.support import free_port

N_ACCOUNTS = 6


@pytest.fixture(scope="session")
def node(anvil_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Anvil]:
    log = tmp_path_factory.mktemp("anvil") / "anvil.log"
    anvil = Anvil(port=free_port(), binary=anvil_binary, log_file=log, accounts=N_ACCOUNTS)
    with anvil:
        yield anvil


@pytest.fixture(scope="session")
def accounts() -> list[DevAccount]:
    return dev_accounts(ANVIL_MNEMONIC, N_ACCOUNTS)


@dataclass
class Deployment:
    url: str
    data_dir: Path
    manifest: Manifest
    w3: Web3

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "deployment.json"

    def contract(self, name: str) -> Any:
        entry = self.manifest.contracts[name]
        return self.w3.eth.contract(address=entry.address, abi=self.manifest.abi(entry.artifact))

    def token(self, address: str, artifact: str = "ModelToken") -> Any:
        return self.w3.eth.contract(
            address=Web3.to_checksum_address(address), abi=self.manifest.abi(artifact)
        )

    def travel(self, seconds: int) -> None:
        self.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
        self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    def now(self) -> int:
        return int(self.w3.eth.get_block("latest")["timestamp"])


@pytest.fixture(scope="session")
def deployment(
    node: Anvil,
    accounts: list[DevAccount],
    artifacts_cache: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Deployment:
    data_dir = tmp_path_factory.mktemp("fomo-data")
    w3 = Web3(Web3.HTTPProvider(node.url))
    manifest = deploy_suite(
        w3,
        accounts[0].private_key,
        dev=True,
        artifacts_dir=artifacts_cache,
        manifest_path=data_dir / "deployment.json",
        options=DeployOptions(dev_accounts=[a.address for a in accounts]),
    )
    return Deployment(url=node.url, data_dir=data_dir, manifest=manifest, w3=w3)


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict[str, Any]:
        lines = [line for line in self.stdout.splitlines() if line.strip()]
        assert len(lines) == 1, f"expected one JSON line, got: {self.stdout!r} {self.stderr!r}"
        data: dict[str, Any] = json.loads(lines[0])
        return data


CliFn = Callable[..., CliResult]


@pytest.fixture()
def cli(deployment: Deployment) -> CliFn:
    """Run `fomo …` in-process against the session deployment (via FOMO_* env)."""
    runner = CliRunner()

    def run(
        *args: str, key: str | None = None, ok: bool = True, env: dict[str, str] | None = None
    ) -> CliResult:
        full_env = {
            "FOMO_RPC_URL": deployment.url,
            "FOMO_DATA_DIR": str(deployment.data_dir),
            "FOMO_PRIVATE_KEY": key or "",
            **(env or {}),
        }
        result = runner.invoke(app, list(args), env=full_env, catch_exceptions=False)
        out = CliResult(result.exit_code, result.stdout, result.stderr)
        if ok:
            assert result.exit_code == 0, f"{args}: {out.stdout} {out.stderr}"
        return out

    return run
