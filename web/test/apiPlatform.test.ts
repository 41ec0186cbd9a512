import { describe, expect, it } from "vitest";
import { formatNanoUsdPerMillion, formatNanoUsdText } from "../src/lib/format";
import { requestLogPath } from "../src/lib/api";

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
