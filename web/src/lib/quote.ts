// The launch bonding curve and DEX quotes, in bigint, mirroring src/fomo/economics/curve.py and
// contracts/dex/Router.vy to the wei (test/quote.test.ts checks vectors the Python reference
// generated). Every rounding favours the protocol: the buyer gets the floor of MT, fees are the
// ceiling. No component does this maths itself; they call these functions.

export const BPS = 10_000n;
export const WAD = 10n ** 18n;
export const TOTAL_SUPPLY = 1_000_000n * WAD;
export const SALE_SUPPLY = 400_000n * WAD;
export const LP_SUPPLY = 200_000n * WAD;
export const TAX_DECAY_BPS_PER_MINUTE = 100n;
export const SALE_DURATION_SECONDS = 7 * 24 * 3600;

export function ceilDiv(a: bigint, b: bigint): bigint {
  if (a < 0n || b <= 0n) throw new RangeError("ceilDiv takes a >= 0 and b > 0");
  return (a + b - 1n) / b;
}

export interface Curve {
  maxRaise: bigint;
  saleSupply: bigint;
  x0: bigint;
  y0: bigint;
  k: bigint;
}

/** Virtual reserves of a launch: V = R·L / (f·S − L), Yv = V·S / R, x0 = V, y0 = S + Yv. */
export function curveForLaunch(maxRaise: bigint, lpBps: bigint, saleSupply = SALE_SUPPLY, lpSupply = LP_SUPPLY): Curve {
  const virtualFlock = (maxRaise * lpSupply * BPS) / (lpBps * saleSupply - lpSupply * BPS);
  const virtualMt = (virtualFlock * saleSupply) / maxRaise;
  const x0 = virtualFlock;
  const y0 = saleSupply + virtualMt;
  return { maxRaise, saleSupply, x0, y0, k: x0 * y0 };
}

/** The curve from its stored reserves (what the read API returns for a launch). */
export function curveFromReserves(maxRaise: bigint, x0: bigint, y0: bigint, saleSupply = SALE_SUPPLY): Curve {
  return { maxRaise, saleSupply, x0, y0, k: x0 * y0 };
}

export function soldAfter(curve: Curve, raised: bigint): bigint {
  if (raised >= curve.maxRaise) return curve.saleSupply;
  return curve.y0 - ceilDiv(curve.k, curve.x0 + raised);
}

export interface FeeConfig {
  baseFeeBps: bigint;
  creatorFeeBps: bigint;
  taxStartBps: bigint;
}

/** Combined tax: max(base, start − 100 × whole minutes since sale start); bundled pays base only. */
export function taxBps(fees: FeeConfig, elapsedSeconds: number, bundled = false): bigint {
  if (elapsedSeconds < 0) throw new RangeError("elapsed seconds must be >= 0");
  if (bundled) return fees.baseFeeBps;
  const decayed = fees.taxStartBps - TAX_DECAY_BPS_PER_MINUTE * BigInt(Math.floor(elapsedSeconds / 60));
  return decayed > fees.baseFeeBps ? decayed : fees.baseFeeBps;
}

/** Seconds until the tax next drops by 1% (null once it has reached the base fee). */
export function secondsToNextTaxStep(fees: FeeConfig, elapsedSeconds: number): number | null {
  if (taxBps(fees, elapsedSeconds) <= fees.baseFeeBps) return null;
  return 60 - (Math.max(0, elapsedSeconds) % 60);
}

export interface BuyQuote {
  taxBps: bigint;
  grossUsed: bigint;
  refund: bigint;
  net: bigint;
  totalFee: bigint;
  protocolFee: bigint;
  creatorFee: bigint;
  antiSniperFee: bigint;
  mtOut: bigint;
  graduates: boolean;
}

/** What buy(flockIn) does at combined tax `tax`; a buy past the maximum raise is partially filled. */
export function quoteBuy(curve: Curve, fees: FeeConfig, raised: bigint, sold: bigint, flockIn: bigint, tax: bigint): BuyQuote {
  if (flockIn <= 0n) throw new RangeError("flock in must be > 0");
  if (raised < 0n || raised >= curve.maxRaise) throw new RangeError("the curve is not open");
  if (tax < fees.baseFeeBps || tax >= BPS) throw new RangeError("tax out of range");
  let grossUsed = flockIn;
  let totalFee = ceilDiv(flockIn * tax, BPS);
  let net = flockIn - totalFee;
  const graduates = raised + net >= curve.maxRaise;
  let mtOut: bigint;
  if (graduates) {
    net = curve.maxRaise - raised;
    grossUsed = ceilDiv(net * BPS, BPS - tax);
    totalFee = grossUsed - net;
    mtOut = curve.saleSupply - sold;
  } else {
    mtOut = curve.y0 - sold - ceilDiv(curve.k, curve.x0 + raised + net);
  }
  const baseCeil = ceilDiv(grossUsed * fees.baseFeeBps, BPS);
  const baseFee = totalFee < baseCeil ? totalFee : baseCeil;
  const creatorFee = fees.baseFeeBps > 0n ? (baseFee * fees.creatorFeeBps) / fees.baseFeeBps : 0n;
  return {
    taxBps: tax,
    grossUsed,
    refund: flockIn - grossUsed,
    net,
    totalFee,
    protocolFee: baseFee - creatorFee,
    creatorFee,
    antiSniperFee: totalFee - baseFee,
    mtOut,
    graduates,
  };
}

/**
 * Price impact of a buy in bps: how far the spot price (FLOCK per MT) moves,
 * (x1/y1) / (x0/y0) − 1, floored. Shown to the buyer; not used for any amount.
 */
export function curvePriceImpactBps(curve: Curve, raised: bigint, sold: bigint, q: BuyQuote): bigint {
  const xBefore = curve.x0 + raised;
  const yBefore = curve.y0 - sold;
  const xAfter = xBefore + q.net;
  const yAfter = yBefore - q.mtOut;
  if (yAfter <= 0n) return 0n;
  return (xAfter * yBefore * BPS) / (yAfter * xBefore) - BPS;
}

/** The least MT accepted for a quote at `slippageBps` tolerance (floor). */
export function minOut(amount: bigint, slippageBps: bigint): bigint {
  return (amount * (BPS - slippageBps)) / BPS;
}

export interface GraduationSplit {
  lpFlock: bigint;
  reservedFlock: bigint;
  protocolFlock: bigint;
  lpMt: bigint;
}

export function graduationSplit(curve: Curve, lpBps: bigint, reservedBps: bigint, raised: bigint, sold: bigint): GraduationSplit {
  const lpFlock = (raised * lpBps) / BPS;
  const reservedFlock = (raised * reservedBps) / BPS;
  const x = curve.x0 + raised;
  const y = curve.y0 - sold;
  const lpMtRaw = (lpFlock * y) / x;
  return {
    lpFlock,
    reservedFlock,
    protocolFlock: raised - lpFlock - reservedFlock,
    lpMt: lpMtRaw < LP_SUPPLY ? lpMtRaw : LP_SUPPLY,
  };
}

// ---- DEX (Uniswap V2 constant product, 0.30% fee: contracts/dex/Router.vy) -----------------

export function dexAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (amountIn <= 0n) throw new RangeError("amount in must be > 0");
  if (reserveIn <= 0n || reserveOut <= 0n) throw new RangeError("the pool has no liquidity");
  const withFee = amountIn * 997n;
  return (withFee * reserveOut) / (reserveIn * 1000n + withFee);
}

/** Price impact of a swap in bps: execution price vs spot price, 1 − (out/in)/(rOut/rIn), floored. */
export function dexPriceImpactBps(amountIn: bigint, amountOut: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (amountIn <= 0n || reserveOut <= 0n) return 0n;
  return BPS - (amountOut * reserveIn * BPS) / (amountIn * reserveOut);
}

// ---- Staking discounts (src/fomo/economics/discounts.py) ------------------------------------

export const DISCOUNT_TIERS: readonly { minStake: bigint; bps: bigint }[] = [
  { minStake: 1_000n * WAD, bps: 500n },
  { minStake: 10_000n * WAD, bps: 1_000n },
  { minStake: 50_000n * WAD, bps: 1_500n },
  { minStake: 100_000n * WAD, bps: 2_000n },
];

export function discountBps(staked: bigint): bigint {
  let result = 0n;
  for (const t of DISCOUNT_TIERS) if (staked >= t.minStake) result = t.bps;
  return result < 3_000n ? result : 3_000n;
}

/** The next discount tier above `staked`, or null at the top tier. */
export function nextDiscountTier(staked: bigint): { minStake: bigint; bps: bigint } | null {
  return DISCOUNT_TIERS.find((t) => staked < t.minStake) ?? null;
}

// ---- gmFLOCK (src/fomo/economics/gmflock.py; GmFlock.effective_balance) ----------------------

export const GM_FULL_WEIGHT_SECONDS = 365 * 86400;

export function gmEffectiveBalance(amount: bigint, remainingSeconds: number): bigint {
  const remaining = Math.min(Math.max(remainingSeconds, 0), GM_FULL_WEIGHT_SECONDS);
  return (amount * BigInt(remaining)) / BigInt(GM_FULL_WEIGHT_SECONDS);
}

/**
 * The global multiplier m(G) = 1 + (M − 1)·min(1, ln(1 + G/G0)/ln(1 + Gcap/G0)), M = 2,
 * G0 = 1,000, Gcap = 1,000,000 effective gmFLOCK. A display value (a chart), never an amount, so
 * a float is fine here; the epoch engine computes the exact one.
 */
export function gmMultiplier(effectiveWei: bigint): number {
  const g = Number(effectiveWei / 10n ** 12n) / 1e6; // whole gmFLOCK, 6 decimals kept
  if (g <= 0) return 1;
  const ratio = Math.log1p(g / 1_000) / Math.log1p(1_000_000 / 1_000);
  return 1 + Math.min(1, ratio);
}
