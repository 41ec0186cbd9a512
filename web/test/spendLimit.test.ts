import { describe, expect, it } from "vitest";
import { spendLimitView } from "../src/lib/spendLimit";

describe("a key's spend limit", () => {
  it("shows what is left of it, exactly, and when it resets", () => {
    const v = spendLimitView({
      limit: "5.00",
      limit_nano_usd: "5000000000",
      limit_remaining: "4.998731",
      limit_remaining_nano_usd: "4998731000",
      limit_reset: "daily",
      limit_resets_at: "2026-11-28T00:00:00Z",
    });
    expect(v.text).toBe("$4.998731 of $5 left");
    expect(v.period).toBe("daily · resets 2026-11-28 00:00 UTC");
    expect(v.permille).toBe(999);
  });
  it("is exact beyond 2^53 nano-USD and says when it never resets", () => {
    const v = spendLimitView({ limit_nano_usd: "9007199254740993", limit_remaining_nano_usd: "1", limit_reset: null, limit_resets_at: null });
    expect(v.text).toBe("$0.000000001 of $9,007,199.254740993 left");
    expect(v.period).toBe("never resets");
  });
  it("says there is none when the fields are null or missing", () => {
    expect(spendLimitView({ limit_nano_usd: null }).text).toBe("No limit");
    expect(spendLimitView({}).period).toBe("");
    expect(spendLimitView({ limit_nano_usd: "0", limit_remaining_nano_usd: "0", limit_reset: "weekly", limit_resets_at: "2026-11-30T00:00:00Z" }).permille).toBe(0);
  });
});
