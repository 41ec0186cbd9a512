"""The epoch engine's chain side over web3 (:class:`fomo.epochs.port.ChainPort`).

Settlement of one epoch (SPEC §7), each step idempotent so a crashed run can simply be re-run:

1. ``PaymentVault.record_settlement(epoch, Σ usdc)`` unless ``is_settled(epoch)``;
2. ``PaymentVault.withdraw(router, Σ usdc)`` for what is recorded but not yet withdrawn;
3. ``RevenueRouter.settle(token, usdc, epoch)`` per MT unless ``settled(token, epoch)`` — the
   router uses the USDC it already holds beyond its reserves first and pulls the rest from the
   settler, who approves exactly that shortfall: revenue paid with operator-granted (fiat)
   credits has no USDC in the vault, so the vault records at most its unsettled deposits;
4. ``RevenueRouter.execute_buyback`` for FLOCK and each MT: the router spends only what stays
   within its price-impact bound (against the pre-trade spot and the TWAP); the rest waits in
   the reserve ("impact bound" and "empty reserve" reverts are expected outcomes, not failures).

Without a PaymentVault or RevenueRouter in the manifest, settlement is skipped and said so.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from web3 import Web3

from fomo.chain.client import ChainClient
from fomo.chain.errors import ChainActionError

log = logging.getLogger(__name__)

# Expected outcomes, not failures: the reserve waits for the next execution (or for a pool).
_NO_BUYBACK = ("impact bound", "empty reserve", "zero amount", "no pair", "twap not ready")


def _hex32(value: str) -> bytes:
    return bytes.fromhex(value.removeprefix("0x"))


class Web3ChainPort:
    """Uses the manifest's RewardDistributor, PaymentVault and RevenueRouter."""

    def __init__(self, client: ChainClient) -> None:
        self.client = client
        self.notes: list[str] = []

    def _has(self, name: str) -> bool:
        return self.client.manifest is not None and name in self.client.manifest.contracts

    @property
    def distributor(self) -> Any:
        return self.client.contract("RewardDistributor")

    def flock_token(self) -> str:
        assert self.client.manifest is not None
        return self.client.manifest.address("FLOCK").lower()

    def capacity(self, tokens: list[str]) -> dict[str, int]:
        d = self.distributor.functions
        out = {}
        for t in tokens:
            addr = Web3.to_checksum_address(t)
            out[t] = int(d.funded(addr).call()) - int(d.retired(addr).call())
        return out

    def settle(self, epoch: int, amounts: Mapping[str, int]) -> dict[str, str | None]:
        if not (self._has("PaymentVault") and self._has("RevenueRouter")):
            self.notes.append(
                "no PaymentVault/RevenueRouter deployed: revenue not settled on-chain"
            )
            return {}
        vault = self.client.contract("PaymentVault")
        router = self.client.contract("RevenueRouter")
        total = sum(amounts.values())
        if not vault.functions.is_settled(epoch).call():
            # The vault records only what deposits can back ("exceeds deposits" otherwise):
            # spend paid with operator-granted (fiat) credits has no USDC in the vault.
            free = int(vault.functions.total_deposited().call()) - int(
                vault.functions.total_settled().call()
            )
            self.client.send(
                vault.functions.record_settlement(epoch, min(total, max(free, 0))),
                contract="PaymentVault",
            )
        todo = {
            t: v
            for t, v in amounts.items()
            if v and not router.functions.settled(Web3.to_checksum_address(t), epoch).call()
        }
        need = sum(todo.values())
        withdrawable = int(vault.functions.withdrawable().call())
        if need and withdrawable:
            self.client.send(
                vault.functions.withdraw(router.address, min(need, withdrawable)),
                contract="PaymentVault",
            )
        self._cover_from_settler(router, need)
        out: dict[str, str | None] = {t: None for t in amounts}
        for t, v in sorted(todo.items()):
            res = self.client.send(
                router.functions.settle(Web3.to_checksum_address(t), v, epoch),
                contract="RevenueRouter",
            )
            out[t] = res.tx_hash
        return out

    def _cover_from_settler(self, router: Any, need: int) -> None:
        """Approve the router to pull, from the settler, the part of ``need`` that no USDC it
        holds covers: revenue paid with operator credits is paid in by the operator."""
        if not need:
            return
        usdc = self.client.contract("USDC")
        loose = int(usdc.functions.balanceOf(router.address).call()) - int(
            router.functions.total_reserved().call()
        )
        shortfall = need - max(loose, 0)
        if shortfall <= 0:
            return
        have = int(usdc.functions.balanceOf(self.client.address).call())
        if have < shortfall:
            raise ChainActionError(
                f"Settling needs {shortfall} USDC base units beyond the PaymentVault's deposits "
                f"(revenue paid with operator credits), but the settler {self.client.address} "
                f"holds {have}."
            )
        self.client.send(usdc.functions.approve(router.address, shortfall), contract="USDC")

    def poke_twap(self, tokens: list[str]) -> None:
        """Record TWAP observations for FLOCK's and these MTs' buyback pairs (keeper duty).

        A buyback prices against an observation at least ``twap_window`` old, and only
        ``poke`` (or a buyback) takes one; without a keeper poking ahead of time, every buyback
        reverts "twap not ready" and the reserve never turns into burns. The router itself
        ignores a poke inside the window, so calling this too often costs a transaction only.
        """
        if not self._has("RevenueRouter"):
            return
        router = self.client.contract("RevenueRouter")
        for t in [self.flock_token(), *tokens]:
            self.client.send(
                router.functions.poke(Web3.to_checksum_address(t)), contract="RevenueRouter"
            )

    def waiting_buybacks(self, tokens: list[str]) -> set[str]:
        """FLOCK and those of ``tokens`` whose buyback reserve on the router is not yet spent."""
        if not self._has("RevenueRouter"):
            return set()
        router = self.client.contract("RevenueRouter")
        return {
            t
            for t in [self.flock_token(), *tokens]
            if int(router.functions.buyback_reserve(Web3.to_checksum_address(t)).call())
        }

    def twap_window(self) -> int:
        if not self._has("RevenueRouter"):
            return 0
        return int(self.client.contract("RevenueRouter").functions.twap_window().call())

    def buybacks(self, tokens: list[str]) -> list[dict[str, Any]]:
        if not self._has("RevenueRouter"):
            return []
        router = self.client.contract("RevenueRouter")
        done = []
        for t in [self.flock_token(), *tokens]:
            addr = Web3.to_checksum_address(t)
            reserve = int(router.functions.buyback_reserve(addr).call())
            if not reserve:
                continue
            try:
                res = self.client.send(
                    router.functions.execute_buyback(addr, reserve), contract="RevenueRouter"
                )
            except ChainActionError as exc:
                if exc.reason in _NO_BUYBACK:
                    done.append({"token": t, "skipped": exc.reason})
                    continue
                raise
            done.append({"token": t, "tx": res.tx_hash})
        return done

    def propose(self, root: str, epoch: int, data_hash: str) -> str:
        res = self.client.send(
            self.distributor.functions.propose_root(_hex32(root), epoch, _hex32(data_hash)),
            contract="RewardDistributor",
        )
        return res.tx_hash

    def live_root(self) -> tuple[str, int, str]:
        root, epoch, data_hash = self.distributor.functions.live_root().call()
        return "0x" + bytes(root).hex(), int(epoch), "0x" + bytes(data_hash).hex()

    def pending_root(self) -> tuple[str, int, int]:
        d = self.distributor.functions
        return (
            "0x" + bytes(d.pending_root().call()).hex(),
            int(d.pending_epoch().call()),
            int(d.pending_activates_at().call()),
        )

    def claimed(self, account: str, token: str) -> int:
        return int(
            self.distributor.functions.claimed(
                Web3.to_checksum_address(account), Web3.to_checksum_address(token)
            ).call()
        )

    def claim(self, account: str, token: str, cumulative: int, proof: list[str]) -> str:
        res = self.client.send(
            self.distributor.functions.claim(
                Web3.to_checksum_address(account),
                Web3.to_checksum_address(token),
                cumulative,
                [_hex32(p) for p in proof],
            ),
            contract="RewardDistributor",
        )
        return res.tx_hash
