"""A thin web3.py wrapper for the CLI and the deployer: keys, calls, transactions, receipts.

Every transaction is simulated first (gas estimation runs the call), so a revert is caught
before anything is signed and turned into a plain sentence (:mod:`fomo.chain.errors`). Keys come
from an explicit argument, ``FOMO_PRIVATE_KEY``, or an encrypted keystore file
(``FOMO_KEYSTORE`` + ``FOMO_KEYSTORE_PASSWORD``, or a password prompt in the CLI).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.exceptions import ContractLogicError, Web3RPCError
from web3.logs import DISCARD
from web3.types import TxParams, TxReceipt

from fomo.chain.errors import (
    ChainActionError,
    explain_node_error,
    explain_revert,
    reason_from_message,
)
from fomo.chain.manifest import Manifest

PRIVATE_KEY_ENV = "FOMO_PRIVATE_KEY"
KEYSTORE_ENV = "FOMO_KEYSTORE"
KEYSTORE_PASSWORD_ENV = "FOMO_KEYSTORE_PASSWORD"
MAX_UINT256 = 2**256 - 1


class MissingKeyError(ChainActionError):
    """No usable signing key."""


def load_key(
    key: str | None = None,
    keystore: Path | None = None,
    password: str | None = None,
) -> LocalAccount:
    """The signing account: ``key``, else ``keystore``, else ``$FOMO_PRIVATE_KEY``, else
    ``$FOMO_KEYSTORE``. A keystore password comes from ``password`` or
    ``$FOMO_KEYSTORE_PASSWORD``."""
    key = key or None
    if key is None and keystore is None:
        key = os.environ.get(PRIVATE_KEY_ENV) or None
        if key is None and os.environ.get(KEYSTORE_ENV):
            keystore = Path(os.environ[KEYSTORE_ENV])
    if key is not None:
        try:
            account: LocalAccount = Account.from_key(key.strip())
        except (ValueError, TypeError) as exc:
            raise MissingKeyError("The private key is not a valid 32-byte hex key.") from exc
        return account
    if keystore is not None:
        if password is None:
            password = os.environ.get(KEYSTORE_PASSWORD_ENV)
        if password is None:
            raise MissingKeyError(
                f"The keystore {keystore} needs a password: set {KEYSTORE_PASSWORD_ENV}."
            )
        try:
            encrypted = json.loads(keystore.read_text())
        except (OSError, ValueError) as exc:
            raise MissingKeyError(f"Cannot read the keystore file {keystore}: {exc}.") from exc
        try:
            secret = Account.decrypt(encrypted, password)
        except ValueError as exc:
            raise MissingKeyError("The keystore password is wrong.") from exc
        unlocked: LocalAccount = Account.from_key(secret)
        return unlocked
    raise MissingKeyError(
        f"No signing key: pass --key, set {PRIVATE_KEY_ENV}, or use --keystore (or {KEYSTORE_ENV})."
    )


@dataclass
class TxResult:
    """A mined transaction."""

    tx_hash: str
    block: int
    gas_used: int
    receipt: TxReceipt = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        return {"tx": self.tx_hash, "block": self.block, "gas_used": self.gas_used}


def gas_with_margin(estimate: int) -> int:
    """Gas limit sent for an estimate: +25% and +50,000."""
    return estimate * 5 // 4 + 50_000


class ChainClient:
    """One RPC endpoint, optionally a deployment manifest and a signing account."""

    def __init__(
        self,
        w3: Web3,
        *,
        manifest: Manifest | None = None,
        account: LocalAccount | None = None,
        receipt_timeout: float = 120.0,
    ) -> None:
        self.w3 = w3
        self.manifest = manifest
        self.account = account
        self.receipt_timeout = receipt_timeout
        self._chain_id: int | None = None

    @classmethod
    def connect(
        cls,
        rpc_url: str,
        *,
        manifest: Manifest | None = None,
        account: LocalAccount | None = None,
        timeout: float = 30.0,
    ) -> ChainClient:
        w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": timeout}))
        client = cls(w3, manifest=manifest, account=account)
        try:
            client._chain_id = int(w3.eth.chain_id)
        except Exception as exc:
            raise ChainActionError(
                f"The chain RPC at {rpc_url} does not answer ({type(exc).__name__})."
            ) from None
        return client

    # --- basics ------------------------------------------------------------------------------

    @property
    def chain_id(self) -> int:
        if self._chain_id is None:
            self._chain_id = int(self.w3.eth.chain_id)
        return self._chain_id

    @property
    def address(self) -> str:
        if self.account is None:
            raise MissingKeyError("This action needs a signing key (--key or FOMO_PRIVATE_KEY).")
        return str(self.account.address)

    def rpc(self, method: str, params: Sequence[Any] = ()) -> Any:
        response = self.w3.provider.make_request(method, list(params))  # type: ignore[arg-type]
        if "error" in response:
            raise ChainActionError(f"{method} failed: {response['error']}")
        return response.get("result")

    def timestamp(self) -> int:
        """Timestamp of the latest block (what a view call sees)."""
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def block_number(self) -> int:
        return int(self.w3.eth.block_number)

    def has_code(self, address: str) -> bool:
        return len(self.w3.eth.get_code(Web3.to_checksum_address(address))) > 0

    # --- contracts ---------------------------------------------------------------------------

    def _manifest(self) -> Manifest:
        if self.manifest is None:
            raise ChainActionError(
                "No deployment manifest: run `fomo up` or `fomo chain deploy` first, or pass "
                "--manifest."
            )
        return self.manifest

    def contract(self, name: str) -> Contract:
        """The deployed contract ``name`` from the manifest (e.g. ``"Launchpad"``)."""
        manifest = self._manifest()
        try:
            entry = manifest.contracts[name]
        except KeyError:
            raise ChainActionError(f"The deployment has no {name} contract.") from None
        return self.w3.eth.contract(
            address=Web3.to_checksum_address(entry.address), abi=manifest.abi(entry.artifact)
        )

    def at(self, artifact: str, address: str) -> Contract:
        """A contract of artifact type ``artifact`` (e.g. ``"ModelToken"``) at ``address``."""
        return self.w3.eth.contract(
            address=Web3.to_checksum_address(address), abi=self._manifest().abi(artifact)
        )

    # --- transactions ------------------------------------------------------------------------

    def _base_tx(self) -> TxParams:
        sender = self.address
        return {
            "from": Web3.to_checksum_address(sender),
            "nonce": self.w3.eth.get_transaction_count(Web3.to_checksum_address(sender), "pending"),
            "chainId": self.chain_id,
        }

    def call(self, fn: ContractFunction, *, contract: str | None = None) -> Any:
        """A view call; a revert becomes :class:`ChainActionError` with a sentence."""
        try:
            if self.account is not None:
                return fn.call({"from": self.account.address})
            return fn.call()
        except ContractLogicError as exc:
            raise _revert_error(exc, contract) from None

    def send(self, fn: ContractFunction, *, contract: str | None = None) -> TxResult:
        """Simulate, sign, send and wait for ``fn``; reverts become plain sentences."""
        try:
            tx = fn.build_transaction(self._base_tx())
        except ContractLogicError as exc:
            raise _revert_error(exc, contract) from None
        except Web3RPCError as exc:
            raise _node_error(exc) from None
        return self._sign_and_wait(tx, contract=contract)

    def send_raw(self, tx: TxParams, *, contract: str | None = None) -> TxResult:
        """Send a transaction given as params (e.g. a blueprint deployment's ``data``)."""
        full: TxParams = {**self._base_tx(), **tx}
        try:
            if "gas" not in full:
                full["gas"] = self.w3.eth.estimate_gas(full)
        except ContractLogicError as exc:
            raise _revert_error(exc, contract) from None
        except Web3RPCError as exc:
            raise _node_error(exc) from None
        if "maxFeePerGas" not in full and "gasPrice" not in full:
            latest = self.w3.eth.get_block("latest")
            base = int(latest.get("baseFeePerGas", 0) or 0)
            tip = int(self.w3.eth.max_priority_fee)
            full["maxPriorityFeePerGas"] = tip  # type: ignore[typeddict-item]
            full["maxFeePerGas"] = 2 * base + tip  # type: ignore[typeddict-item]
        return self._sign_and_wait(full, contract=contract)

    def _sign_and_wait(self, tx: TxParams, *, contract: str | None) -> TxResult:
        assert self.account is not None
        if "gas" in tx:
            # The estimate ran against the pending block; the transaction may be mined a second
            # later and some paths' gas depends on block.timestamp (the RevenueRouter buyback's
            # TWAP-bounded search). A margin keeps such a transaction from running out of gas in
            # its last sub-call; unused gas is not charged.
            tx = {**tx, "gas": gas_with_margin(int(tx["gas"]))}  # type: ignore[typeddict-item]
        signed = self.account.sign_transaction(tx)  # type: ignore[arg-type]
        try:
            tx_hash = self.w3.eth.send_raw_transaction(signed.raw_transaction)
        except Web3RPCError as exc:
            raise _node_error(exc) from None
        receipt = self.w3.eth.wait_for_transaction_receipt(
            tx_hash, timeout=self.receipt_timeout, poll_latency=0.05
        )
        if receipt["status"] != 1:
            raise self._replay_failure(tx, receipt, contract)
        return TxResult(
            tx_hash="0x" + bytes(receipt["transactionHash"]).hex().removeprefix("0x"),
            block=int(receipt["blockNumber"]),
            gas_used=int(receipt["gasUsed"]),
            receipt=receipt,
        )

    def _replay_failure(
        self, tx: TxParams, receipt: TxReceipt, contract: str | None
    ) -> ChainActionError:
        # The simulation passed but the mined transaction reverted (state changed in between):
        # replay it on the parent block to learn why.
        call: TxParams = {k: v for k, v in tx.items() if k in ("from", "to", "data", "value")}  # type: ignore[assignment]
        try:
            self.w3.eth.call(call, int(receipt["blockNumber"]) - 1)
        except ContractLogicError as exc:
            return _revert_error(exc, contract)
        except Exception:
            pass
        return ChainActionError(explain_revert(None, contract), reason=None)

    def deploy(self, abi: list[dict[str, Any]], bytecode: str, *args: Any) -> TxResult:
        """Deploy a contract; the address is ``result.receipt["contractAddress"]``."""
        factory = self.w3.eth.contract(abi=abi, bytecode=bytecode)
        try:
            tx = factory.constructor(*args).build_transaction(self._base_tx())
        except ContractLogicError as exc:
            raise _revert_error(exc, None) from None
        return self._sign_and_wait(tx, contract=None)

    def ensure_allowance(self, token: str, spender: str, amount: int) -> TxResult | None:
        """Approve ``spender`` for exactly ``amount`` of ``token`` unless already allowed.

        Exact approvals (not unlimited): the CLI never leaves a standing allowance larger than
        the action it performs needed.
        """
        erc20 = self.at("DevToken", token)
        current = int(erc20.functions.allowance(self.address, spender).call())
        if current >= amount:
            return None
        return self.send(erc20.functions.approve(Web3.to_checksum_address(spender), amount))

    def events(self, result: TxResult, contract: Contract, event: str) -> list[dict[str, Any]]:
        """Decoded ``event`` logs emitted by ``contract`` in the transaction."""
        logs = contract.events[event]().process_receipt(result.receipt, errors=DISCARD)
        return [dict(log["args"]) for log in logs if log["address"] == contract.address]


def _revert_error(exc: ContractLogicError, contract: str | None) -> ChainActionError:
    reason = reason_from_message(str(exc.message or exc))
    return ChainActionError(explain_revert(reason, contract), reason=reason)


def _node_error(exc: Web3RPCError) -> ChainActionError:
    message = str(exc.message)
    sentence = explain_node_error(message)
    if sentence is None:
        reason = reason_from_message(message) if "revert" in message.lower() else None
        if reason is not None or "revert" in message.lower():
            return ChainActionError(explain_revert(reason), reason=reason)
        sentence = f"The node rejected the transaction: {message}."
    return ChainActionError(sentence, reason=None)
