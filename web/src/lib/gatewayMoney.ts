// The API platform's money, read from the gateway's text: every amount is integer nano-USD as a
// decimal string and becomes a bigint here, so it stays exact above 2^53 (a JSON number would
// not). Pure, so the page's arithmetic is tested without a browser.
import type { GatewayBalance, UsageRow } from "./api";

export interface Credit {
  balance: bigint;
  held: bigint;
  available: bigint;
}

/** `/v1/account/balance` as bigints. */
export function creditOf(b: GatewayBalance): Credit {
  return { balance: BigInt(b.balance_nano_usd), held: BigInt(b.held_nano_usd), available: BigInt(b.available_nano_usd) };
}

export interface UsageTotals {
  requests: bigint;
  gross: bigint;
  paid: bigint;
  /** gross − paid: what the stake discounts saved. */
  saved: bigint;
}

/** gross − paid of one usage row: what the stake discount saved on it. */
export const savedOf = (r: UsageRow): bigint => BigInt(r.gross_nano_usd) - BigInt(r.paid_nano_usd);

/** The sums over `/v1/account/usage` rows, exact. */
export function usageTotals(rows: readonly UsageRow[]): UsageTotals {
  let requests = 0n;
  let gross = 0n;
  let paid = 0n;
  for (const r of rows) {
    requests += BigInt(r.requests);
    gross += BigInt(r.gross_nano_usd);
    paid += BigInt(r.paid_nano_usd);
  }
  return { requests, gross, paid, saved: gross - paid };
}
