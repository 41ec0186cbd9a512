"""Compiled contract artifacts (ABI, init bytecode, blueprint bytecode) for deployment and clients.

Compiling the suite takes seconds, so artifacts are cached in one JSON file per *source hash*
(every ``.vy``/``.vyi`` under ``contracts/`` plus the vyper and snekmate versions): a changed
contract gets a new cache file, an unchanged tree never recompiles.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from fomo.chain.sources import contracts_dir

# Contract name -> source path under contracts/. Deploy order lives in fomo.chain.deploy.
SUITE: dict[str, str] = {
    "DevToken": "tokens/DevToken.vy",
    "ModelToken": "tokens/ModelToken.vy",
    "Pair": "dex/Pair.vy",
    "Factory": "dex/Factory.vy",
    "Router": "dex/Router.vy",
    "Vesting": "economy/Vesting.vy",
    "RewardDistributor": "economy/RewardDistributor.vy",
    "Staking": "economy/Staking.vy",
    "GmFlock": "economy/GmFlock.vy",
    "Launchpad": "launch/Launchpad.vy",
    "PaymentVault": "economy/PaymentVault.vy",
    "RevenueRouter": "economy/RevenueRouter.vy",
}

# Contracts that may not have landed in a checkout yet: compiled and deployed when present.
OPTIONAL: frozenset[str] = frozenset({"GmFlock", "PaymentVault", "RevenueRouter"})


def available_suite(root: Path | None = None) -> dict[str, str]:
    """The part of :data:`SUITE` whose sources exist (every required one must)."""
    base = root or contracts_dir()
    out: dict[str, str] = {}
    for name, relative in SUITE.items():
        if (base / relative).is_file():
            out[name] = relative
        elif name not in OPTIONAL:
            raise FileNotFoundError(f"contract source missing: {base / relative}")
    return out


@dataclass(frozen=True)
class Artifact:
    """One compiled contract."""

    name: str
    source: str
    abi: list[dict[str, Any]]
    bytecode: str
    blueprint_bytecode: str
    abi_hash: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def abi_hash(abi: list[dict[str, Any]]) -> str:
    """sha256 of the canonical JSON of an ABI (what the manifest records per contract)."""
    canonical = json.dumps(abi, sort_keys=True, separators=(",", ":"))
    return "0x" + hashlib.sha256(canonical.encode()).hexdigest()


def sources_hash(root: Path | None = None) -> str:
    """Hash of every contract source and the compiler/library versions."""
    base = root or contracts_dir()
    digest = hashlib.sha256()
    for pkg in ("vyper", "snekmate"):
        digest.update(f"{pkg}={_version(pkg)}\n".encode())
    for path in sorted([*base.rglob("*.vy"), *base.rglob("*.vyi")]):
        digest.update(path.relative_to(base).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "absent"


def _search_paths() -> list[Path]:
    # contracts/ imports itself as `contracts.interfaces`, so its parent is a search root; snekmate
    # and vyper's own `ethereum.ercs` come from site-packages.
    paths = [contracts_dir().parent]
    paths += [Path(p) for p in sys.path if p.endswith("site-packages")]
    return paths


def compile_contract(name: str, relative: str) -> Artifact:
    """Compile one contract of the suite."""
    from vyper.compiler import compile_from_file_input
    from vyper.compiler.input_bundle import FilesystemInputBundle

    bundle = FilesystemInputBundle(_search_paths())
    file_input = bundle.load_file(contracts_dir() / relative)
    out = compile_from_file_input(
        file_input, input_bundle=bundle, output_formats=["abi", "bytecode", "blueprint_bytecode"]
    )
    abi: list[dict[str, Any]] = out["abi"]
    return Artifact(
        name=name,
        source=relative,
        abi=abi,
        bytecode=out["bytecode"],
        blueprint_bytecode=out["blueprint_bytecode"],
        abi_hash=abi_hash(abi),
    )


def _compile_job(job: tuple[str, str]) -> dict[str, Any]:
    name, relative = job
    try:
        return compile_contract(name, relative).to_json()
    except Exception as exc:
        # A contract that is still landing may not compile yet: an optional one is skipped (the
        # deployment records its absence), a required one stops everything.
        if name not in OPTIONAL:
            raise
        return {"name": name, "error": f"{type(exc).__name__}: {exc}"}


def load_artifacts(
    cache_dir: Path, *, workers: int | None = None, digest: str | None = None
) -> dict[str, Artifact]:
    """All suite artifacts, compiled once per source hash and cached in ``cache_dir``.

    Optional contracts (:data:`OPTIONAL`) that are missing or do not compile are left out.
    ``digest`` is :func:`sources_hash` when the caller already has it (it reads every source).
    """
    cache = _cache_file(cache_dir, digest or sources_hash())
    if cache.is_file():
        return _artifacts_from(json.loads(cache.read_text()))
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Several processes (test workers, a CLI next to `fomo up`) may ask at once: one compiles,
    # the others wait for its file instead of compiling the same sources again.
    with _locked(cache_dir / ".compile.lock"):
        if cache.is_file():
            return _artifacts_from(json.loads(cache.read_text()))
        return _compile_into(cache, cache_dir, workers)


def _cache_file(cache_dir: Path, digest: str) -> Path:
    return cache_dir / f"artifacts-{digest[:16]}.json"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _compile_into(cache: Path, cache_dir: Path, workers: int | None) -> dict[str, Artifact]:
    jobs = list(available_suite().items())
    n = workers if workers is not None else min(len(jobs), os.cpu_count() or 1)
    if n > 1:
        with ProcessPoolExecutor(max_workers=n) as pool:
            compiled = list(pool.map(_compile_job, jobs))
    else:
        compiled = [_compile_job(job) for job in jobs]
    data = {entry["name"]: entry for entry in compiled}
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(cache)  # atomic: a concurrent reader never sees half a file
    _prune(cache_dir, keep=cache)
    return _artifacts_from(data)


def _prune(cache_dir: Path, *, keep: Path, newest: int = 3) -> None:
    # Every contract edit makes a new cache file; keep the few newest (another checkout or a
    # branch switch may want them back), drop the rest.
    old = sorted(
        (p for p in cache_dir.glob("artifacts-*.json") if p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for path in old[newest - 1 :]:
        path.unlink(missing_ok=True)


def _artifacts_from(data: dict[str, dict[str, Any]]) -> dict[str, Artifact]:
    return {name: Artifact(**entry) for name, entry in data.items() if "error" not in entry}


def compile_errors(cache_dir: Path, *, digest: str | None = None) -> dict[str, str]:
    """Optional contracts the cached compilation left out, with the compiler's message.

    ``digest`` is :func:`sources_hash` when the caller already has it (it reads every source).
    """
    cache = _cache_file(cache_dir, digest or sources_hash())
    if not cache.is_file():
        return {}
    data = json.loads(cache.read_text())
    return {name: entry["error"] for name, entry in data.items() if "error" in entry}


def write_artifacts(out_dir: Path, artifacts: dict[str, Artifact]) -> list[Path]:
    """Write ``<name>.json`` (abi, bytecode, blueprint_bytecode, abi_hash) per contract."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, artifact in sorted(artifacts.items()):
        path = out_dir / f"{name}.json"
        path.write_text(json.dumps(artifact.to_json(), indent=2) + "\n")
        written.append(path)
    return written
