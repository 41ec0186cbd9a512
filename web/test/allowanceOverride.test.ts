import { describe, expect, it } from "vitest";
import { allowanceSlot } from "../src/lib/allowanceOverride";

// Expected values from the CLI's reference, `fomo.cli.chainkit._allowance_slot`.
const owner = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const spender = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("allowance storage slot (for simulating an action as if approved)", () => {
  it("matches the CLI for Vyper's and Solidity's key order", () => {
    expect(allowanceSlot(0n, owner, spender, "vyper")).toBe(0x710c7a8184428085ee3ebfd6c287c06134783c0320d4693d54854eb8bad784aan);
    expect(allowanceSlot(0n, owner, spender, "solidity")).toBe(0xdff20d0a4ad92129a0bb0dc16978d710332618ea9a8497cbd844f75e756e70e9n);
    expect(allowanceSlot(3n, owner, spender, "vyper")).toBe(0xc2c6199f02e882e7ab113f08e3a10bcf5f17048e92c3dd229a0c7396d9ea9d9n);
    expect(allowanceSlot(3n, owner, spender, "solidity")).toBe(0xb83a2f3f7083eae17540e26958a88ba2961cc1402247c1b5a023c8ba4778f40cn);
  });
});
