// The chain's clock as the page knows it: the last chain time a source reported (the event
// stream, a list response, a devnet clock advance) plus the wall time since. Countdowns use it
// so they agree with what a transaction in the next block sees.
type Listener = () => void;

let base: { chainTime: number; wallMs: number } | null = null;
const listeners = new Set<Listener>();

export function reportChainTime(chainTime: number | null | undefined): void {
  if (chainTime === null || chainTime === undefined) return;
  const now = Date.now();
  // The chain's clock never goes back: a reading older than the running estimate (the last
  // indexed block of a quiet chain, a late response) is ignored.
  const estimate = chainNow();
  if (estimate !== null && chainTime < estimate) return;
  base = { chainTime, wallMs: now };
  listeners.forEach((l) => l());
}

export function chainNow(): number | null {
  if (!base) return null;
  return Math.floor(base.chainTime + (Date.now() - base.wallMs) / 1000);
}

export function subscribeClock(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/**
 * Init code that returns the block's TIMESTAMP (TIMESTAMP PUSH0 MSTORE PUSH1 32 PUSH0 RETURN):
 * an eth_call of it against the pending block reads the time the next transaction will see,
 * even on a quiet devnet whose last block is old. No contract is needed.
 */
export const TIMESTAMP_PROBE = "0x425f5260205ff3" as const;
