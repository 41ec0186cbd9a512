// Derived figures for a launch summary, computed once here so cards and the token page agree.
import type { LaunchSummary } from "./api";
import { big, formatPrice, formatUnits } from "./format";

export interface LaunchFigures {
  raised: bigint;
  minRaise: bigint;
  maxRaise: bigint;
  /** The minimum's position on the bar (which fills toward the maximum), in bps. */
  minMarkBps: number;
  secondsLeft: number | null;
  priceText: string;
}

export function launchFigures(l: LaunchSummary, now: number | null): LaunchFigures {
  const raised = big(l.raised);
  const minRaise = big(l.min_raise);
  const maxRaise = big(l.max_raise);
  const minMarkBps = maxRaise > 0n ? Number((minRaise * 10000n) / maxRaise) : 0;
  const secondsLeft = l.status === "Live" ? Math.max(0, l.sale_end - (now ?? l.chain_time ?? l.sale_end)) : null;
  return { raised, minRaise, maxRaise, minMarkBps, secondsLeft, priceText: formatPrice(l.price_flock_per_mt) };
}

/** FLOCK amounts on cards: exact, every digit (balances are never rounded). */
export const flockText = (v: bigint): string => formatUnits(v, 18);

export type Filter = "all" | "Live" | "Graduating" | "Failed" | "Tradable" | "Owned";
export type Sort = "newest" | "raised" | "volume";

export function filterLaunches(list: LaunchSummary[], filter: Filter, search: string): LaunchSummary[] {
  const q = search.trim().toLowerCase();
  return list.filter((l) => {
    if (filter === "Owned" && !l.owned) return false;
    if (filter === "Tradable" && l.status !== "Graduated") return false;
    if ((filter === "Live" || filter === "Graduating" || filter === "Failed") && l.status !== filter) return false;
    if (q && !l.name.toLowerCase().includes(q) && !l.symbol.toLowerCase().includes(q)) return false;
    return true;
  });
}

export function sortLaunches(list: LaunchSummary[], sort: Sort): LaunchSummary[] {
  const out = [...list];
  const cmpBig = (a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0);
  if (sort === "newest") out.sort((a, b) => b.created_block - a.created_block);
  if (sort === "raised") out.sort((a, b) => cmpBig(big(a.raised), big(b.raised)));
  if (sort === "volume") out.sort((a, b) => cmpBig(big(a.volume_flock), big(b.volume_flock)));
  return out;
}
