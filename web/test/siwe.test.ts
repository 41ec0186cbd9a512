import { describe, expect, it } from "vitest";
import { siweMessage } from "../src/lib/siwe";

describe("siweMessage", () => {
  it("builds the EIP-4361 text with a checksummed address and second-precision times", () => {
    const text = siweMessage({
      domain: "localhost:8000",
      address: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
      statement: "Sign in to the FOMO API platform.",
      uri: "http://localhost:8000",
      chainId: 31337,
      nonce: "abcdef123456",
      issuedAt: new Date("2026-11-27T10:00:00.123Z"),
    });
    expect(text).toBe(
      [
        "localhost:8000 wants you to sign in with your Ethereum account:",
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
        "",
        "Sign in to the FOMO API platform.",
        "",
        "URI: http://localhost:8000",
        "Version: 1",
        "Chain ID: 31337",
        "Nonce: abcdef123456",
        "Issued At: 2026-11-27T10:00:00Z",
      ].join("\n"),
    );
  });
});
