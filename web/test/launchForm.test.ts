import { describe, expect, it } from "vitest";
import { validateLaunch, type LaunchFormContext } from "../src/lib/launchForm";

const WAD = 10n ** 18n;
const ctx: LaunchFormContext = {
  maxRaise: 500_000n * WAD,
  lpBps: 7000n,
  launchFee: 32_768n * WAD,
  baseFeeBps: 150n,
  creatorFeeBps: 50n,
  maxBundleBps: 2500n,
  balance: 1_000_000n * WAD,
  takenSymbols: new Set(["ALPHA"]),
};
const ok = { name: "Qwen Alice", symbol: "QWENALICE", firstBuy: "", feeConfirmed: true };

describe("launch form", () => {
  it("accepts a valid launch and totals fee plus first buy", () => {
    const r = validateLaunch({ ...ok, firstBuy: "1000" }, ctx);
    expect(r.errors).toEqual({});
    expect(r.total).toBe(33_768n * WAD);
    expect(r.quote!.mtOut > 0n).toBe(true);
  });
  it("stops a taken ticker, bad ticker characters and a missing fee confirmation", () => {
    expect(validateLaunch({ ...ok, symbol: "ALPHA" }, ctx).errors.symbol).toBe("The ticker ALPHA is already taken by another launch.");
    expect(validateLaunch({ ...ok, symbol: "a-b" }, ctx).errors.symbol).toMatch(/capital letters/);
    expect(validateLaunch({ ...ok, feeConfirmed: false }, ctx).errors.fee).toMatch(/launch fee/);
  });
  it("stops a first buy over the 25% bundle cap, negative or with too many decimals", () => {
    // 250k MT of the 400k sale costs far more than 200k FLOCK on the default curve.
    expect(validateLaunch({ ...ok, firstBuy: "400000" }, ctx).errors.firstBuy).toMatch(/bundle cap/);
    expect(validateLaunch({ ...ok, firstBuy: "-5" }, ctx).errors.firstBuy).toBe("The first buy cannot be negative.");
    expect(validateLaunch({ ...ok, firstBuy: "1.0000000000000000001" }, ctx).errors.firstBuy).toMatch(/decimal places/);
  });
  it("stops a launch the balance cannot pay", () => {
    expect(validateLaunch(ok, { ...ctx, balance: 1000n * WAD }).errors.balance).toMatch(/balance/);
  });
});

describe("launch form: the Launchpad's name and ticker rules", () => {
  it("needs a 2-16 character ticker and a printable ASCII name", () => {
    expect(validateLaunch({ ...ok, symbol: "A" }, ctx).errors.symbol).toMatch(/2 to 16/);
    expect(validateLaunch({ ...ok, name: "Qwen ✨" }, ctx).errors.name).toMatch(/printable ASCII/);
    expect(validateLaunch({ ...ok, name: "x".repeat(33) }, ctx).errors.name).toMatch(/at most 32/);
  });
});
