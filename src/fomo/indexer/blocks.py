"""The indexer's memory of the chain: the hashes of the blocks it indexed (kept within reorg
depth, plus one anchor below), its cursor, and the common ancestor a reorg rolls back to."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from fomo.db.models import IndexedBlock, IndexerCursor
from fomo.indexer.rpc import BlockHeader, ChainReader


def store_block(s: Session, header: BlockHeader) -> None:
    """Record (or correct) the hash, parent and time of an indexed block."""
    row = s.get(IndexedBlock, header.number)
    if row is None:
        s.add(
            IndexedBlock(
                block_number=header.number,
                block_hash=header.hash,
                parent_hash=header.parent_hash,
                block_time=header.timestamp,
            )
        )
    else:
        row.block_hash, row.parent_hash = header.hash, header.parent_hash
        row.block_time = header.timestamp


def set_cursor(s: Session, name: str, chain_id: int, header: BlockHeader) -> None:
    """Move the cursor ``name`` to ``header`` (the last fully indexed block)."""
    row = s.get(IndexerCursor, name)
    if row is None:
        row = IndexerCursor(name=name, chain_id=chain_id)
        s.add(row)
    row.block_number, row.block_hash = header.number, header.hash


def prune_blocks(s: Session, cursor_block: int, reorg_depth: int) -> None:
    """Forget block hashes below the reorg horizon."""
    # Keep every hash within reorg depth plus one anchor below it, so a fork inside the depth
    # always finds a stored common ancestor.
    horizon = cursor_block - reorg_depth
    anchor = s.scalars(
        select(IndexedBlock.block_number)
        .where(IndexedBlock.block_number <= horizon)
        .order_by(IndexedBlock.block_number.desc())
        .limit(1)
    ).first()
    if anchor is not None:
        s.execute(delete(IndexedBlock).where(IndexedBlock.block_number < anchor))


def common_ancestor(
    session_factory: sessionmaker[Session], reader: ChainReader, cursor_block: int
) -> tuple[int, str] | None:
    """The newest stored block at or below ``cursor_block`` the node still has, as
    ``(number, hash)``; ``None`` when no stored hash is on the node's chain. The node is asked
    after the read session is closed (no database transaction open across RPC calls)."""
    with session_factory() as s:
        stored = s.execute(
            select(IndexedBlock.block_number, IndexedBlock.block_hash)
            .where(IndexedBlock.block_number <= cursor_block)
            .order_by(IndexedBlock.block_number.desc())
        ).all()
    for number, block_hash in stored:
        header = reader.header(number)
        if header is not None and header.hash == block_hash:
            return (int(number), str(block_hash))
    return None
