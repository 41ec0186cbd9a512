import { describe, expect, it } from "vitest";
import { chainNow, reportChainTime } from "../src/lib/clock";
import { filterLaunches, sortLaunches } from "../src/lib/launchView";
import type { LaunchSummary } from "../src/lib/api";

describe("chain clock", () => {
  it("takes newer readings and never goes back", () => {
    reportChainTime(2_000_000_000);
    expect(chainNow()).toBeGreaterThanOrEqual(2_000_000_000);
    reportChainTime(1_000_000_000); // an old indexed block: ignored
    expect(chainNow()).toBeGreaterThanOrEqual(2_000_000_000);
    reportChainTime(2_000_086_400); // the devnet clock moved a day
    expect(chainNow()).toBeGreaterThanOrEqual(2_000_086_400);
  });
});

const launch = (over: Partial<LaunchSummary>): LaunchSummary =>
  ({ token: "0x1", name: "Alpha", symbol: "ALPHA", status: "Live", owned: false, raised: "0", created_block: 1, ...over }) as LaunchSummary;

describe("marketplace filters and sort", () => {
  const list = [
    launch({ token: "0xa", name: "Alpha", symbol: "ALPHA", status: "Live", raised: "5", created_block: 1 }),
    launch({ token: "0xb", name: "Beta", symbol: "BETA", status: "Graduated", raised: "50", created_block: 2, owned: true }),
    launch({ token: "0xc", name: "Gamma", symbol: "GAM", status: "Failed", raised: "1", created_block: 3 }),
  ];
  it("filters by status, Tradable, Owned and search", () => {
    expect(filterLaunches(list, "Live", "").map((l) => l.symbol)).toEqual(["ALPHA"]);
    expect(filterLaunches(list, "Tradable", "").map((l) => l.symbol)).toEqual(["BETA"]);
    expect(filterLaunches(list, "Owned", "").map((l) => l.symbol)).toEqual(["BETA"]);
    expect(filterLaunches(list, "all", "gam").map((l) => l.symbol)).toEqual(["GAM"]);
  });
  it("sorts newest first and by raised as bigint", () => {
    expect(sortLaunches(list, "newest").map((l) => l.symbol)).toEqual(["GAM", "BETA", "ALPHA"]);
    expect(sortLaunches(list, "raised").map((l) => l.symbol)).toEqual(["BETA", "ALPHA", "GAM"]);
  });
});
