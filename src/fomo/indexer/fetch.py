"""Reading one batch of blocks (no writes): the logs of the followed contracts and of every Model
Token and pair known so far (those created inside the range are asked for in a second round),
the headers of the blocks with a log, and the checks that the chain did not move meanwhile.

The range adapts: halved when the node refuses it (many providers cap the range or the result
count), grown back after each success, never past a size once refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from fomo.indexer.abi import EventSpec, decode_event
from fomo.indexer.rpc import BlockHeader, ChainReader, RawLog, RpcUnavailable


class ChainMoved(RuntimeError):
    """The chain changed while a batch was being read; the batch was dropped (nothing written)."""


@dataclass
class Batch:
    """One range's logs (sorted), headers and the tokens/pairs discovered in it."""

    headers: dict[int, BlockHeader] = field(default_factory=dict)
    logs: list[RawLog] = field(default_factory=list)
    new_tokens: dict[str, int] = field(default_factory=dict)
    new_pairs: dict[str, int] = field(default_factory=dict)


class LogFetcher:
    """Reads batches for one :class:`~fomo.indexer.core.Indexer`."""

    def __init__(
        self,
        reader: ChainReader,
        specs: Mapping[str, Mapping[str, EventSpec]],
        static: Mapping[str, str],
        span: int,
    ) -> None:
        self.reader = reader
        self.specs = specs
        self.static = dict(static)  # address -> kind of the suite's contracts
        self.dynamic: dict[str, str] = {}  # address -> kind of the tokens/pairs seen so far
        # Blocks per eth_getLogs range: halved when the node refuses a range, grown back after
        # each success.
        self.span = span
        self.span_limit = span

    def succeeded(self) -> None:
        """A batch was written: grow the range back (up to the last size the node accepted)."""
        self.span = min(self.span_limit, self.span * 2)

    def fetch(self, frm: int, to: int, cursor_hash: str, known: Mapping[str, str]) -> Batch:
        """Blocks ``frm..to``: their logs and headers, checked to be one unchanged chain that
        extends ``cursor_hash``; ``known`` are the Model Tokens and pairs indexed so far."""
        batch = Batch()
        end_before = self._header(to)
        dynamic = dict(known)
        seen: set[tuple[str, int]] = set()
        pending: dict[str, int] = {a: frm for a in [*self.static, *dynamic]}
        while pending:
            # Group by first block so a token found mid-range is only asked for from there on.
            by_start: dict[int, list[str]] = {}
            for address, start in pending.items():
                by_start.setdefault(start, []).append(address)
            pending = {}
            for start, addresses in sorted(by_start.items()):
                try:
                    found = self.reader.logs(start, to, sorted(addresses))
                except RpcUnavailable:
                    if to > frm:
                        # Halve, and never grow past the halved size again: provider limits do
                        # not change, and this finds one within a factor of two in log2 tries.
                        self.span = max(1, (to - frm + 1) // 2)
                        self.span_limit = min(self.span_limit, self.span)
                    raise
                for raw in found:
                    key = (raw.tx_hash, raw.log_index)
                    if key in seen:
                        continue
                    seen.add(key)
                    batch.logs.append(raw)
                    for address, kind in self._discoveries(raw):
                        if address not in dynamic:
                            dynamic[address] = kind
                            pending[address] = raw.block_number
                            target = batch.new_tokens if kind == "ModelToken" else batch.new_pairs
                            target[address] = raw.block_number
        self.dynamic = dynamic
        batch.logs.sort(key=lambda lg: (lg.block_number, lg.log_index))
        batch.headers[to] = end_before
        for number in sorted({lg.block_number for lg in batch.logs}):
            if number not in batch.headers:
                batch.headers[number] = self._header(number)
        for raw in batch.logs:
            if batch.headers[raw.block_number].hash != raw.block_hash:
                raise ChainMoved(f"block {raw.block_number} changed while reading logs")
        first = batch.headers.get(frm) or self._header(frm)
        batch.headers[frm] = first
        if frm > 0 and first.parent_hash != cursor_hash:
            raise ChainMoved(f"block {frm} no longer extends the cursor block {frm - 1}")
        if self._header(to).hash != end_before.hash:
            raise ChainMoved(f"block {to} changed while reading the batch")
        return batch

    def _header(self, number: int) -> BlockHeader:
        header = self.reader.header(number)
        if header is None:
            raise ChainMoved(f"block {number} disappeared")
        return header

    def _discoveries(self, raw: RawLog) -> Iterable[tuple[str, str]]:
        kind = self.static.get(raw.address)
        if kind != "Launchpad" or not raw.topics:
            return ()
        spec = self.specs["Launchpad"].get(raw.topics[0])
        if spec is None:
            return ()
        if spec.name == "LaunchCreated" and "ModelToken" in self.specs:
            return ((decode_event(spec, list(raw.topics), raw.data)["token"], "ModelToken"),)
        if spec.name == "Graduated" and "Pair" in self.specs:
            return ((decode_event(spec, list(raw.topics), raw.data)["pair"], "Pair"),)
        return ()
