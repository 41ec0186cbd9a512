import { describe, expect, it } from "vitest";
import { defaultExplainDay, earnedSomething } from "../src/lib/explainDay";

describe("the explainer's default day", () => {
  it("skips a latest day that paid nothing and says so", () => {
    const days = [
      { day: "2026-11-27", loaded: true, today: { FLOCK: "0" } },
      { day: "2026-11-26", loaded: true, today: { FLOCK: "0.000000000000000001" } },
      { day: "2026-11-25", loaded: true, today: { FLOCK: "5" } },
    ];
    expect(defaultExplainDay(days)).toEqual({ kind: "paid", day: "2026-11-26", latestPaidNothing: true });
  });
  it("opens on the latest day when it paid", () => {
    expect(defaultExplainDay([{ day: "2026-11-27", loaded: true, today: { "0xabc": "1.5" } }])).toEqual({ kind: "paid", day: "2026-11-27", latestPaidNothing: false });
  });
  it("waits for the newer days before choosing an older one", () => {
    expect(defaultExplainDay([{ day: "b", loaded: false }, { day: "a", loaded: true, today: { FLOCK: "1" } }])).toEqual({ kind: "loading" });
  });
  it("falls back to the latest day when nothing was ever earned (or a day has no file)", () => {
    expect(defaultExplainDay([{ day: "b", loaded: true, today: { FLOCK: "0" } }, { day: "a", loaded: true }])).toEqual({ kind: "latest" });
    expect(earnedSomething({ FLOCK: "0.000" })).toBe(false);
  });
});
