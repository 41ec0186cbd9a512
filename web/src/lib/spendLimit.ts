// A key's (or account's) spend limit as the gateway reports it (GET /v1/keys, /v1/key): the
// amounts are nano-USD integer text, so they are read as bigint and formatted exactly.
import { formatIsoUtc, formatNanoUsd } from "./format";

export type LimitReset = "daily" | "weekly" | "monthly";

/** OpenRouter's field names; every field is null when there is no limit. */
export interface SpendLimitFields {
  limit: string | null;
  limit_nano_usd: string | null;
  limit_remaining: string | null;
  limit_remaining_nano_usd: string | null;
  limit_reset: LimitReset | null;
  limit_resets_at: string | null;
}

export interface SpendLimitView {
  /** "$4.998731 of $5 left" or "No limit". */
  text: string;
  /** "daily · resets 2026-11-28 00:00 UTC", "never resets", or "" without a limit. */
  period: string;
  /** Left / limit in parts per thousand (0 with a zero limit), for a bar. */
  permille: number;
}

export function spendLimitView(f: Partial<SpendLimitFields>): SpendLimitView {
  if (f.limit_nano_usd == null) return { text: "No limit", period: "", permille: 0 };
  const limit = BigInt(f.limit_nano_usd);
  const left = BigInt(f.limit_remaining_nano_usd ?? f.limit_nano_usd);
  const at = f.limit_resets_at ? `resets ${formatIsoUtc(f.limit_resets_at)} UTC` : "";
  const period = f.limit_reset ? `${f.limit_reset} · ${at}` : "never resets";
  const permille = limit > 0n ? Number((left * 1000n) / limit) : 0;
  return { text: `${formatNanoUsd(left)} of ${formatNanoUsd(limit)} left`, period, permille };
}
