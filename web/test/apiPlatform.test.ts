import { describe, expect, it } from "vitest";
import { formatNanoUsd, formatNanoUsdPerMillion, formatNanoUsdText } from "../src/lib/format";
import { requestLogPath, type GatewayBalance, type UsageRow } from "../src/lib/api";
import { creditOf, usageTotals } from "../src/lib/gatewayMoney";

describe("prices per 1M tokens", () => {
  it("are the gateway's nano-USD per token times one million, exact", () => {
    // The devnet tier of docs/api-platform.md: 0.28 / 0.07 / 0.42 USD per 1M.
    expect(formatNanoUsdPerMillion(280n)).toBe("$0.28");
    expect(formatNanoUsdPerMillion(70n)).toBe("$0.07");
    expect(formatNanoUsdPerMillion(420n)).toBe("$0.42");
    expect(formatNanoUsdPerMillion(1n)).toBe("$0.001");
    expect(formatNanoUsdPerMillion(15_000n)).toBe("$15");
    expect(formatNanoUsdPerMillion(0n)).toBe("$0");
  });
});

describe("nano-USD text", () => {
  it("is exact beyond 2^53 (no float on the way)", () => {
    expect(formatNanoUsdText("9007199254740993")).toBe("$9,007,199.254740993");
    expect(formatNanoUsdText("1")).toBe("$0.000000001");
    expect(formatNanoUsdText("0")).toBe("$0");
  });
});

describe("the API platform's gateway money", () => {
  // 30 million USD and one nano-USD: past 2^53 and odd, so a double would drop the last nano.
  const grant = 30_000_000_000_000_001n;
  it("keeps a balance above 2^53 exact from the response text to the page", () => {
    const text = `{"account":"0x5e","balance_nano_usd":"${grant}","held_nano_usd":"9007199254740993","available_nano_usd":"${grant - 9_007_199_254_740_993n}","balance_usd":"$30000000.000000001"}`;
    const credit = creditOf(JSON.parse(text) as GatewayBalance);
    expect(credit).toEqual({ balance: grant, held: 9_007_199_254_740_993n, available: 20_992_800_745_259_008n });
    expect(formatNanoUsd(credit.balance)).toBe("$30,000,000.000000001");
    // the number form the gateway used to send is not exact there
    expect(BigInt(JSON.parse(`{"n":${grant}}`).n)).not.toBe(grant);
  });
  it("sums usage rows above 2^53 exactly", () => {
    const text = JSON.stringify({
      data: [
        { day: "2026-11-26", model: "m", requests: 1, input_tokens: 1, cached_input_tokens: 0, output_tokens: 1, reasoning_tokens: 0, gross_nano_usd: "9007199254740997", paid_nano_usd: "9007199254740995" },
        { day: "2026-11-27", model: "m", requests: 2, input_tokens: 1, cached_input_tokens: 0, output_tokens: 1, reasoning_tokens: 0, gross_nano_usd: "3", paid_nano_usd: "1" },
      ],
    });
    const rows = (JSON.parse(text) as { data: UsageRow[] }).data;
    expect(usageTotals(rows)).toEqual({ requests: 3n, gross: 9_007_199_254_741_000n, paid: 9_007_199_254_740_996n, saved: 4n });
    expect(usageTotals([])).toEqual({ requests: 0n, gross: 0n, paid: 0n, saved: 0n });
  });
});

describe("requestLogPath", () => {
  it("sends only the filters that are set", () => {
    expect(requestLogPath({})).toBe("/v1/account/requests");
    expect(requestLogPath({ limit: 20, offset: 0, model: "" })).toBe("/v1/account/requests?limit=20&offset=0");
    expect(requestLogPath({ limit: 20, offset: 40, model: "deepseek-v3.2-logx", key_id: 3 })).toBe(
      "/v1/account/requests?limit=20&offset=40&model=deepseek-v3.2-logx&key_id=3",
    );
  });
  it("encodes a model id and times", () => {
    expect(requestLogPath({ model: "a b&c", since: "2026-11-27T12:00:00Z" })).toBe(
      "/v1/account/requests?model=a+b%26c&since=2026-11-27T12%3A00%3A00Z",
    );
  });
});
