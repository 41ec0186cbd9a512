// The chain's clock as the page knows it: the last chain time a source reported (the event
// stream, a list response, a devnet clock advance) plus the wall time since. Countdowns use it
// so they agree with what a transaction in the next block sees.
type Listener = () => void;

let base: { chainTime: number; wallMs: number } | null = null;
const listeners = new Set<Listener>();

export function reportChainTime(chainTime: number | null | undefined): void {
  if (chainTime === null || chainTime === undefined) return;
  const now = Date.now();
  // Keep the newest reading; an older response arriving late must not move the clock back.
  if (base && chainTime < base.chainTime + (now - base.wallMs) / 1000 - 2 && chainTime < base.chainTime) return;
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
