// The one place amounts become text and text becomes amounts. Balances are bigint base units;
// they are formatted exactly (every digit, trailing zeros trimmed), never rounded. Only prices
// and ratios, which are not balances, are cut to a readable number of digits (and say so).

export const FLOCK_DECIMALS = 18;
export const MT_DECIMALS = 18;
export const USDC_DECIMALS = 6;
export const NANO_USD_DECIMALS = 9;

function groupThousands(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Exact decimal text of `value` base units: 1234500000000000000000n, 18 → "1,234.5". */
export function formatUnits(value: bigint, decimals: number, opts: { group?: boolean } = {}): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const base = 10n ** BigInt(decimals);
  const whole = (abs / base).toString();
  let frac = decimals > 0 ? (abs % base).toString().padStart(decimals, "0") : "";
  frac = frac.replace(/0+$/, "");
  const w = opts.group === false ? whole : groupThousands(whole);
  return `${negative ? "-" : ""}${w}${frac ? `.${frac}` : ""}`;
}

export const formatFlock = (v: bigint): string => `${formatUnits(v, FLOCK_DECIMALS)} FLOCK`;
export const formatMt = (v: bigint, symbol = "MT"): string => `${formatUnits(v, MT_DECIMALS)} ${symbol}`;
export const formatUsdc = (v: bigint): string => `${formatUnits(v, USDC_DECIMALS)} USDC`;
/** Nano-USD (1e-9 USD) as dollars, exact: 1500000000n → "$1.5". */
export const formatNanoUsd = (v: bigint): string => `$${formatUnits(v, NANO_USD_DECIMALS)}`;
/** A per-token price in nano-USD as dollars per 1M tokens, exact: 280n → "$0.28" (1M tokens at
 *  280 nano-USD each are 280,000,000 nano-USD). The gateway's `*_usd_per_million` text is the same
 *  number; this is computed from the integer it actually charges. */
export const formatNanoUsdPerMillion = (nanoPerToken: bigint): string => formatNanoUsd(nanoPerToken * 1_000_000n);
/** Nano-USD money that the gateway sends as integer text ("1500"), exact at any size. */
export const formatNanoUsdText = (text: string): string => formatNanoUsd(BigInt(text));

/** A whole-token amount for compact places (cards): the whole part only, labelled with "≥"-free
 *  honesty: it is a floor, so the text says "~" is never used; callers show exact values nearby. */
export function formatWhole(value: bigint, decimals: number): string {
  return groupThousands((value / 10n ** BigInt(decimals)).toString());
}

export type ParseResult = { ok: true; value: bigint } | { ok: false; error: string };

/**
 * Parse a user-typed amount into base units. Every rejection is a sentence the form shows:
 * empty, not a number, negative, zero (unless allowed), too many decimals.
 */
export function parseAmount(text: string, decimals: number, opts: { allowZero?: boolean; what?: string } = {}): ParseResult {
  const what = opts.what ?? "The amount";
  const t = text.trim().replace(/,/g, "").replace(/_/g, "");
  if (t === "") return { ok: false, error: `${what} is required.` };
  if (t.startsWith("-")) return { ok: false, error: `${what} cannot be negative.` };
  if (!/^\d*\.?\d*$/.test(t) || t === ".") return { ok: false, error: `${what} must be a number, like 1000 or 12.5.` };
  const [whole = "", frac = ""] = t.split(".");
  if (frac.length > decimals) {
    return { ok: false, error: `${what} has more than ${decimals} decimal places.` };
  }
  const value = BigInt(whole || "0") * 10n ** BigInt(decimals) + BigInt((frac || "").padEnd(decimals, "0") || "0");
  if (value === 0n && !opts.allowZero) return { ok: false, error: `${what} must be greater than zero.` };
  return { ok: true, value };
}

/** bps as a percentage: 150n → "1.5%", 9900n → "99%". Exact (bps have two decimals). */
export function formatBps(bps: bigint | number): string {
  return `${formatUnits(BigInt(bps), 2, { group: false })}%`;
}

/**
 * A decimal string price (the read API's 18-digit FLOCK per MT) cut to `digits` significant
 * fractional digits for display. Prices are ratios, not balances; the cut is a floor.
 */
export function formatPrice(text: string | null | undefined, significant = 6): string {
  if (!text) return "—";
  const [whole, frac = ""] = text.split(".");
  if (whole !== "0") {
    const f = frac.slice(0, Math.max(0, significant - whole.length)).replace(/0+$/, "");
    return `${groupThousands(whole)}${f ? `.${f}` : ""}`;
  }
  const lead = frac.match(/^0*/)?.[0].length ?? 0;
  const f = frac.slice(0, lead + significant).replace(/0+$/, "");
  return f ? `0.${f}` : "0";
}

/** A price from two bigint amounts (FLOCK per MT), as an 18-digit decimal string (floored). */
export function ratioString(num: bigint, den: bigint, places = 18): string {
  if (den === 0n) return "0";
  const scaled = (num * 10n ** BigInt(places)) / den;
  return formatUnits(scaled, places, { group: false });
}

/** A duration in words: 93784 → "1d 2h 3m", 65 → "1m 5s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d ${h}h ${m}m`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${sec}s`;
  return `${sec}s`;
}

export function shortAddress(address: string | null | undefined): string {
  if (!address) return "—";
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** A unix time (seconds) as a UTC date and time. */
export function formatTime(unix: number): string {
  return new Date(unix * 1000).toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

/** An ISO-8601 UTC timestamp from the gateway ("2026-11-27T14:43:05.1+00:00") as
 *  "2026-11-27 14:43" (or with seconds). */
export function formatIsoUtc(iso: string, withSeconds = false): string {
  return iso.slice(0, withSeconds ? 19 : 16).replace("T", " ");
}

/** A UTC day number (days since 1970-01-01) as YYYY-MM-DD. */
export function formatDay(day: number): string {
  return new Date(day * 86400 * 1000).toISOString().slice(0, 10);
}

/** An integer-typed JSON field (string or number) as bigint; null/undefined → 0n. */
export function big(v: string | number | null | undefined): bigint {
  if (v === null || v === undefined || v === "") return 0n;
  return BigInt(v);
}

/** A decimal price string ("0.41…", 18 places) as a bigint of 1e18 units. */
export function priceToWad(text: string | null | undefined): bigint {
  if (!text) return 0n;
  const r = parseAmount(text, 18, { allowZero: true });
  return r.ok ? r.value : 0n;
}

/** A ratio sent as a decimal string (the explainer's 6-place shares) as a percentage, exact
 *  to the digits given: "0.526315" → "52.6315%", "1" → "100%". */
export function formatRatioPercent(ratio: string): string {
  const r = parseAmount(ratio, 6, { allowZero: true });
  if (!r.ok) return ratio;
  return `${formatUnits(r.value, 4, { group: false })}%`;
}

/**
 * The exact change from one decimal price to another, as a signed percentage with two decimals
 * truncated toward zero: ("0.004", "0.0042") → "+5.00%". A chart's auto-scaled axis makes a
 * 0.1% move fill the panel; this line states its real size. Null when the first price is zero.
 */
export function priceChangePercent(from: string, to: string): string | null {
  const a = priceToWad(from);
  const b = priceToWad(to);
  if (a === 0n) return null;
  const hundredths = ((b - a) * 10000n) / a; // bigint division truncates toward zero
  const sign = hundredths > 0n ? "+" : hundredths < 0n ? "−" : "";
  const abs = hundredths < 0n ? -hundredths : hundredths;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}%`;
}
