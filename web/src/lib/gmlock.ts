// gmFLOCK lock times and curves: the contract rounds an unlock time down to a whole UTC day and
// requires it 30–365 days ahead; the form checks the same before any wallet prompt.
import { gmEffectiveBalance, gmMultiplier } from "./quote";

export const DAY = 86400;
export const MIN_LOCK = 30 * DAY;
export const MAX_LOCK = 365 * DAY;
/** Room for the seconds between the form and the block that includes the transaction. */
export const BLOCK_MARGIN = 20 * 60;

export function unlockTimeFor(now: number, days: number): number {
  return Math.floor((now + days * DAY) / DAY) * DAY;
}

/** A sentence when `end` would be refused by GmFlock._round_and_check, else null. */
export function checkUnlock(end: number, now: number, current?: number): string | null {
  if (end < now + BLOCK_MARGIN + MIN_LOCK) return "A lock must end at least 30 days from now (unlock times round down to a whole UTC day).";
  if (end > now + MAX_LOCK) return "A lock can end at most 365 days from now.";
  if (current !== undefined && end <= current) return "The new unlock time must be later than the current one (after rounding down to a whole UTC day).";
  return null;
}

/** Daily points of effective balance and multiplier from `from` until the unlock. */
export function lockCurve(amount: bigint, unlock: number, from: number): { time: number; effective: bigint; multiplier: number }[] {
  const out = [];
  const start = Math.floor(from / DAY) * DAY;
  for (let t = start; t <= unlock; t += DAY) {
    const eff = gmEffectiveBalance(amount, unlock - Math.max(t, from));
    out.push({ time: t, effective: eff, multiplier: gmMultiplier(eff) });
  }
  return out;
}
