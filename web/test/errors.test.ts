// Wallet and node errors become one sentence, never a hex dump.
import { describe, expect, it } from "vitest";
import { ContractFunctionExecutionError, ContractFunctionRevertedError, UserRejectedRequestError, parseAbi } from "viem";
import { explainError } from "../src/lib/errors";

const abi = parseAbi(["function buy(address token, uint256 flock_in, uint256 min_mt_out, uint256 deadline) returns (uint256)"]);

function reverted(reason: string) {
  const cause = new ContractFunctionRevertedError({ abi, functionName: "buy", message: reason });
  // viem sets .reason from the decoded Error(string); emulate a decoded revert.
  Object.defineProperty(cause, "reason", { value: reason });
  return new ContractFunctionExecutionError(cause, { abi, functionName: "buy", args: [] });
}

describe("explainError", () => {
  it("turns a wallet rejection into the sentence, from viem or a raw EIP-1193 error", () => {
    expect(explainError(new UserRejectedRequestError(new Error("User rejected the request.")))).toBe("You rejected the request in your wallet; nothing was sent.");
    expect(explainError(Object.assign(new Error("User rejected"), { code: 4001 }))).toBe("You rejected the request in your wallet; nothing was sent.");
  });
  it("turns a contract revert into the CLI's sentence", () => {
    expect(explainError(reverted("sale closed"), "Launchpad")).toMatch(/^The sale is closed/);
    expect(explainError(reverted("not graduated"), "Staking")).toBe("Only graduated Model Tokens can be staked.");
  });
  it("reads a reason out of a node message", () => {
    expect(explainError(new Error("execution reverted: slippage"))).toMatch(/^The price moved/);
  });
});
