"""`fomo chain info` renders the manifest's contracts as a table (the same table `fomo chain
deploy` prints) and, with --json, the addresses."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from fomo.chain.manifest import DeployedContract, Manifest
from fomo.cli.main import app

ADDR = "0x" + "ab" * 20


def _manifest(tmp_path: Path) -> Path:
    m = Manifest(
        chain_id=31337,
        block=7,
        deployer=ADDR,
        dev=True,
        treasury=ADDR,
        sources_hash="0",
        contracts={"Launchpad": DeployedContract(ADDR, "Launchpad", "h", 7)},
        abis={},
    )
    return m.save(tmp_path / "deployment.json")


def test_info_shows_each_contract_and_its_address(tmp_path: Path) -> None:
    path = _manifest(tmp_path)
    res = CliRunner().invoke(
        app, ["chain", "info", "--manifest", str(path)], env={"COLUMNS": "200"}
    )
    assert res.exit_code == 0, res.output
    assert "chain 31337, deployed at block 7" in res.output
    assert "Launchpad" in res.output and ADDR in res.output
    res = CliRunner().invoke(app, ["chain", "info", "--manifest", str(path), "--json"])
    assert res.exit_code == 0, res.output
    assert '"Launchpad": "' + ADDR + '"' in res.output
