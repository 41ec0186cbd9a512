import { describe, expect, it } from "vitest";
import { checkUnlock, lockCurve, unlockTimeFor, DAY } from "../src/lib/gmlock";

describe("gmFLOCK lock times", () => {
  const now = 1_764_000_000 + 12_345;
  it("rounds the unlock down to a whole UTC day like the contract", () => {
    expect(unlockTimeFor(now, 100) % DAY).toBe(0);
    expect(unlockTimeFor(now, 100)).toBeLessThanOrEqual(now + 100 * DAY);
  });
  it("refuses a lock that rounds below 30 days or beyond 365", () => {
    expect(checkUnlock(unlockTimeFor(now, 30), now)).toMatch(/at least 30 days/);
    expect(checkUnlock(unlockTimeFor(now, 31), now)).toBeNull();
    expect(checkUnlock(unlockTimeFor(now, 365), now)).toBeNull();
    expect(checkUnlock(now + 366 * DAY, now)).toMatch(/at most 365/);
    expect(checkUnlock(unlockTimeFor(now, 60), now, unlockTimeFor(now, 90))).toMatch(/later than the current/);
  });
  it("draws an effective balance that falls to zero at the unlock", () => {
    const amount = 365n * 10n ** 18n;
    const curve = lockCurve(amount, unlockTimeFor(now, 100), now);
    expect(curve[curve.length - 1].effective).toBe(0n);
    expect(curve[0].effective > curve[1].effective).toBe(true);
    expect(curve[0].multiplier).toBeGreaterThanOrEqual(1);
  });
});
