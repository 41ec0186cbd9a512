"""Helpers shared by the web benchmarks: a real `fomo up` on a fresh devnet serving a copy of
``web/dist``, signed transactions from its dev accounts, and the system chromium for playwright."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from eth_account import Account
from hexbytes import HexBytes
from web3 import Web3

from fomo.chain.anvil import free_port
from fomo.chain.manifest import load_manifest

REPO = Path(__file__).resolve().parents[1]
WAD = 10**18


def web_dist() -> Path:
    """The built web app, or a one-sentence exit saying how to build it."""
    dist = Path(os.environ.get("FOMO_WEB_DIR") or REPO / "web" / "dist")
    if not (dist / "index.html").is_file():
        raise SystemExit(f"No web build in {dist}: run scripts/build-web.sh first.")
    return dist


def chromium_path() -> str:
    """Debian's chromium (playwright drives it through ``executable_path``)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is not installed: sudo apt-get install chromium")
    return chromium


def launch_chromium(pw: Any, chromium: str) -> Any:
    """Headless chromium; without the sandbox only when running as root (it refuses otherwise)."""
    return pw.chromium.launch(
        executable_path=chromium,
        headless=True,
        args=["--no-sandbox"] if os.geteuid() == 0 else [],
    )


def prepare_dirs(tmp: Path, dist: Path) -> tuple[Path, Path]:
    """``(web_dir, data_dir)`` under ``tmp``: a copy of the build (benchmarks may add pages to
    it) and a data dir seeded with compiled contracts from a test run, when there are some."""
    web_dir = tmp / "web"
    shutil.copytree(dist, web_dir)
    data = tmp / "data"
    cached = REPO / ".pytest_cache" / "d" / "fomo-chain-artifacts"
    if cached.is_dir():  # compiled contracts from a test run: skip recompiling
        shutil.copytree(cached, data / "artifacts")
    return web_dir, data


def start_platform(
    data: Path, web_dir: Path, dev_accounts: int = 5, indexer_poll: float | None = 0.2
) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    """`fomo up --json` on free ports with ``dev_accounts`` funded dev accounts and the indexer
    polling every ``indexer_poll`` seconds (``None``: the platform's default, as shipped);
    returns the process and its ``ready`` event."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOMO_")}
    env.update(
        FOMO_WEB_DIR=str(web_dir),
        FOMO_DEV_FLOCK_PER_ACCOUNT=str(10_000_000 * WAD),  # 300 launch fees for account 0
        FOMO_DEV_ACCOUNTS=str(dev_accounts),
        FOMO_ANVIL_STATE_INTERVAL="0",
        PATH=f"{REPO / '.tools' / 'node_modules' / '.bin'}{os.pathsep}{env.get('PATH', '')}",
    )
    if indexer_poll is not None:
        env["FOMO_INDEXER_POLL_INTERVAL"] = str(indexer_poll)
    fomo = Path(sys.executable).parent / "fomo"
    proc = subprocess.Popen(
        [
            *(str(fomo), "up", "--json", "--data-dir", str(data)),
            *("--http-port", str(free_port()), "--anvil-port", str(free_port())),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
    while True:
        line = lines.get(timeout=300)
        if line.startswith("{") and json.loads(line).get("event") == "ready":
            return proc, dict(json.loads(line))


class Deployment:
    """The devnet's web3 connection and the Launchpad and FLOCK contracts from its manifest."""

    def __init__(self, ready: dict[str, Any], data: Path) -> None:
        self.w3 = Web3(Web3.HTTPProvider(ready["rpc_url"], request_kwargs={"timeout": 60}))
        manifest = load_manifest(data / "deployment.json")
        if manifest is None:
            raise SystemExit(f"fomo up wrote no deployment manifest in {data}.")
        lp_entry, flock_entry = manifest.contracts["Launchpad"], manifest.contracts["FLOCK"]
        self.launchpad = self.w3.eth.contract(
            address=Web3.to_checksum_address(lp_entry.address), abi=manifest.abi(lp_entry.artifact)
        )
        self.flock = self.w3.eth.contract(
            address=Web3.to_checksum_address(flock_entry.address),
            abi=manifest.abi(flock_entry.artifact),
        )


class Signer:
    """Signs and sends transactions from one dev account, counting its nonce locally so that
    transactions can go back to back without waiting for each receipt."""

    def __init__(self, w3: Web3, private_key: str) -> None:
        self.w3 = w3
        self.key = private_key
        self.address = Account.from_key(private_key).address
        self.nonce: int = int(w3.eth.get_transaction_count(self.address))
        self.gas_price = w3.eth.gas_price * 2

    def send(self, fn: Any, gas: int) -> HexBytes:
        """Sign ``fn`` (a contract function call) with a fixed gas limit and send it."""
        tx = fn.build_transaction(
            {
                "from": self.address,
                "nonce": self.nonce,
                "gas": gas,
                "gasPrice": self.gas_price,
                "chainId": 31337,
            }
        )
        self.nonce += 1
        signed = Account.sign_transaction(tx, self.key)
        return HexBytes(self.w3.eth.send_raw_transaction(signed.raw_transaction))
