// Validation of the launch wizard, in one pure function the form and the tests share: every
// problem is a sentence, found before any wallet prompt.
import { parseAmount } from "./format";
import { BPS, TOTAL_SUPPLY, curveForLaunch, quoteBuy, type BuyQuote } from "./quote";
import { NAME_MAX, SYMBOL_MAX } from "./launchCall";

export interface LaunchFormInput {
  name: string;
  symbol: string;
  firstBuy: string;
  feeConfirmed: boolean;
}

export interface LaunchFormContext {
  maxRaise: bigint;
  lpBps: bigint;
  launchFee: bigint;
  baseFeeBps: bigint;
  creatorFeeBps: bigint;
  maxBundleBps: bigint;
  balance: bigint | null;
  takenSymbols: ReadonlySet<string>;
}

export interface LaunchFormResult {
  errors: Partial<Record<"name" | "symbol" | "firstBuy" | "fee" | "balance", string>>;
  firstBuy: bigint;
  quote: BuyQuote | null;
  bundleCap: bigint;
  total: bigint;
}

export const SYMBOL_PATTERN = /^[A-Z0-9]+$/;

export function validateLaunch(input: LaunchFormInput, ctx: LaunchFormContext): LaunchFormResult {
  const errors: LaunchFormResult["errors"] = {};
  const name = input.name.trim();
  if (!name) errors.name = "Give the token a name.";
  else if (name.length > NAME_MAX) errors.name = `The name can be at most ${NAME_MAX} characters.`;
  else if (!/^[\x20-\x7e]+$/.test(name)) errors.name = "The name may use printable ASCII characters only (letters, digits, spaces, punctuation).";
  const symbol = input.symbol.trim();
  if (!symbol) errors.symbol = "Give the token a ticker.";
  else if (symbol.length < 2 || symbol.length > SYMBOL_MAX) errors.symbol = `The ticker must have 2 to ${SYMBOL_MAX} characters.`;
  else if (!SYMBOL_PATTERN.test(symbol)) errors.symbol = "The ticker may use capital letters A–Z and digits only.";
  else if (ctx.takenSymbols.has(symbol.toUpperCase())) errors.symbol = `The ticker ${symbol} is already taken by another launch.`;

  const bundleCap = (TOTAL_SUPPLY * ctx.maxBundleBps) / BPS;
  let firstBuy = 0n;
  let quote: BuyQuote | null = null;
  if (input.firstBuy.trim() !== "") {
    const parsed = parseAmount(input.firstBuy, 18, { allowZero: true, what: "The first buy" });
    if (!parsed.ok) errors.firstBuy = parsed.error;
    else if (parsed.value > 0n) {
      firstBuy = parsed.value;
      const curve = curveForLaunch(ctx.maxRaise, ctx.lpBps);
      // The bundled first buy pays the base fee only (no anti-sniper tax).
      quote = quoteBuy(curve, { baseFeeBps: ctx.baseFeeBps, creatorFeeBps: ctx.creatorFeeBps, taxStartBps: ctx.baseFeeBps }, 0n, 0n, firstBuy, ctx.baseFeeBps);
      if (quote.mtOut > bundleCap) {
        errors.firstBuy = `The first buy would allocate more MT than the bundle cap (25% of supply, ${(bundleCap / 10n ** 18n).toString()} MT); use a smaller first buy.`;
      } else if (quote.net === 0n) {
        errors.firstBuy = "The first buy is too small: nothing would be left after fees.";
      }
    }
  }
  const total = ctx.launchFee + (quote ? quote.grossUsed : firstBuy);
  if (ctx.balance !== null && total > ctx.balance) errors.balance = "Your FLOCK balance does not cover the launch fee plus the first buy.";
  if (!input.feeConfirmed) errors.fee = "Confirm the one-time launch fee to continue.";
  return { errors, firstBuy, quote, bundleCap, total };
}
