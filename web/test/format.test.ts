import { describe, expect, it } from "vitest";
import { formatBps, formatDuration, formatPrice, formatUnits, parseAmount, priceChangePercent } from "../src/lib/format";
import sentences from "./fixtures/revert-sentences.json";
import { CONTRACT_SENTENCES, REVERT_SENTENCES, explainRevert, reasonFromMessage } from "../src/lib/errors";

describe("formatUnits", () => {
  it("formats every digit, never rounds", () => {
    expect(formatUnits(1234500000000000000000n, 18)).toBe("1,234.5");
    expect(formatUnits(1n, 18)).toBe("0.000000000000000001");
    expect(formatUnits(999999999999999999999999n, 18)).toBe("999,999.999999999999999999");
    expect(formatUnits(0n, 6)).toBe("0");
    expect(formatUnits(-1500000n, 6)).toBe("-1.5");
  });
  it("formats bps and prices", () => {
    expect(formatBps(150n)).toBe("1.5%");
    expect(formatBps(9900)).toBe("99%");
    expect(formatPrice("0.000412345678901234")).toBe("0.000412345");
    expect(formatPrice("12.500000000000000000")).toBe("12.5");
  });
  it("formats durations", () => {
    expect(formatDuration(93784)).toBe("1d 2h 3m");
    expect(formatDuration(65)).toBe("1m 5s");
  });
});

describe("parseAmount", () => {
  it("parses exact base units", () => {
    expect(parseAmount("1,000.5", 18)).toEqual({ ok: true, value: 1000500000000000000000n });
    expect(parseAmount(".000001", 6)).toEqual({ ok: true, value: 1n });
  });
  it("rejects bad input with a sentence", () => {
    expect(parseAmount("-1", 18)).toEqual({ ok: false, error: "The amount cannot be negative." });
    expect(parseAmount("1.0000001", 6)).toEqual({ ok: false, error: "The amount has more than 6 decimal places." });
    expect(parseAmount("abc", 18).ok).toBe(false);
    expect(parseAmount("0", 18)).toEqual({ ok: false, error: "The amount must be greater than zero." });
    expect(parseAmount("", 18).ok).toBe(false);
  });
});

describe("revert sentences", () => {
  it("mirror the CLI's table in fomo.chain.errors entry for entry", () => {
    expect(REVERT_SENTENCES).toEqual(sentences.reverts);
    expect(CONTRACT_SENTENCES).toEqual(sentences.contracts);
  });
  it("explain reasons and node messages", () => {
    expect(reasonFromMessage("execution reverted: sale closed")).toBe("sale closed");
    expect(explainRevert("sale closed")).toMatch(/^The sale is closed/);
    expect(explainRevert("not graduated", "Staking")).toBe("Only graduated Model Tokens can be staked.");
    expect(explainRevert("weird")).toBe("The contract rejected the transaction: weird.");
  });
});

import { formatRatioPercent } from "../src/lib/format";
describe("formatRatioPercent", () => {
  it("turns the explainer's ratios into percentages exactly", () => {
    expect(formatRatioPercent("0.526315")).toBe("52.6315%");
    expect(formatRatioPercent("1")).toBe("100%");
    expect(formatRatioPercent("0")).toBe("0%");
    expect(formatRatioPercent("0.5")).toBe("50%");
  });
});

describe("priceChangePercent", () => {
  it("states a move exactly, truncated toward zero", () => {
    expect(priceChangePercent("0.004", "0.0042")).toBe("+5.00%");
    expect(priceChangePercent("0.004", "0.004")).toBe("0.00%");
    expect(priceChangePercent("0.004", "0.003996")).toBe("−0.10%");
    // 1/3 up: 33.333…% is cut, never rounded up
    expect(priceChangePercent("0.000000000000000003", "0.000000000000000004")).toBe("+33.33%");
    expect(priceChangePercent("2", "1.99999")).toBe("0.00%");
  });
  it("has no change from a zero price", () => {
    expect(priceChangePercent("0", "1")).toBeNull();
  });
});

import { formatIsoUtc } from "../src/lib/format";
describe("formatIsoUtc", () => {
  it("reads the gateway's ISO timestamps to the minute or second", () => {
    expect(formatIsoUtc("2026-11-27T14:43:05.123456+00:00")).toBe("2026-11-27 14:43");
    expect(formatIsoUtc("2026-11-27T14:43:05.123456+00:00", true)).toBe("2026-11-27 14:43:05");
  });
});
