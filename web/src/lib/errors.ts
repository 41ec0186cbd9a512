// Revert reasons → the same plain sentences the CLI gives (src/fomo/chain/errors.py, mirrored
// entry for entry), and wallet/node errors → sentences. A reason missing from the table is
// still shown verbatim, so nothing is hidden; a hex dump never is.
import { BaseError, ContractFunctionRevertedError, UserRejectedRequestError } from "viem";

export const REVERT_SENTENCES: Record<string, string> = {
  // launchpad
  expired: "The transaction's deadline passed before it was mined; try again.",
  "unknown model type": "That model type is not registered on the launchpad.",
  "model type disabled": "That model type is disabled for new launches.",
  "unknown token": "There is no launch for that token address.",
  "sale closed": "The sale is closed: the launch is no longer live (its window ended or it graduated).",
  "sale live": "The sale is still live; wait until its window ends.",
  "below min": "The launch did not reach its minimum raise, so it cannot graduate; buyers can redeem instead.",
  "already graduated": "The launch has already graduated.",
  "not graduated": "The launch has not graduated yet, so there is nothing to claim.",
  "nothing to claim": "You have no MT allocation to claim in this launch.",
  "nothing to redeem": "You have no principal to redeem in this launch.",
  "launch succeeded": "The launch reached its minimum raise, so pledges cannot be redeemed; graduate it and claim your MT instead.",
  "over bundle cap": "The first buy would allocate more MT than the bundle cap (25% of supply); use a smaller first buy.",
  slippage: "The price moved: the buy would allocate less MT than your minimum; get a fresh quote or allow more slippage.",
  "zero net": "The amount is too small: nothing would be left after fees.",
  "pair has liquidity": "The DEX pair for this token already has liquidity, so graduation cannot seed it.",
  "lp too small": "The launch's LP allocation is too small to seed the DEX pool.",
  "id mismatch": "The model type id must be keccak256 of its base model name.",
  "model type exists": "That model type is already registered.",
  "min raise too low": "The minimum raise is below the launchpad's floor.",
  "min above max": "The minimum raise is above the maximum raise.",
  "max raise too high": "The maximum raise is above the launchpad's cap.",
  "lp share too low": "The LP share must be above 50% (5000 bps).",
  "shares must sum to 10000": "LP, reserved and protocol shares must sum to 10000 bps.",
  "base fee too high": "The base fee is above its hard bound (1000 bps).",
  "creator fee above base": "The creator fee cannot exceed the base fee.",
  "tax start too high": "The anti-sniper tax start is above its hard bound (9900 bps).",
  "tax start below base": "The anti-sniper tax start cannot be below the base fee.",
  "launch fee too high": "The launch fee is above its hard bound.",
  "bundle cap too high": "The bundle cap is above its hard bound (2500 bps).",
  "ticker taken": "That ticker is taken (in any case) by a launch that has not failed; choose another.",
  "bad ticker": "The ticker must be 2-16 ASCII letters or digits.",
  "bad name": "The name must be 1-32 printable ASCII characters without a leading or trailing space.",
  "not creator": "Only the launch's creator can set its metadata.",
  "empty hash": "The metadata hash must not be zero.",
  "metadata already set": "This launch's metadata is already set; it can be set only once.",
  // tokens
  "erc20: transfer amount exceeds balance": "Your token balance is too low for this.",
  "erc20: insufficient allowance": "The contract is not approved to spend enough of your tokens.",
  "erc20: burn amount exceeds balance": "Your token balance is too low to burn that much.",
  "erc20: access is denied": "Only the token's minter may mint.",
  "erc20: expired deadline": "The permit signature has expired.",
  "erc20: invalid signature": "The permit signature is invalid.",
  "faucet disabled": "This token has no faucet (it was deployed for a real chain).",
  "over faucet cap": "That is more than the faucet gives in one call.",
  "not minter": "Only the launchpad can mint this Model Token.",
  "minting closed": "This Model Token has already been minted; its supply is final.",
  "transfer failed": "A token transfer failed.",
  // staking
  "insufficient stake": "You are trying to unstake more than your active stake.",
  "nothing to withdraw": "Nothing is waiting to be withdrawn.",
  "cooldown active": "The unstake cooldown has not finished yet; withdraw after it ends.",
  "cooldown too short": "The cooldown is below its hard bound (1 day).",
  "cooldown too long": "The cooldown is above its hard bound (30 days).",
  // gmFLOCK
  "lock exists": "You already have a gmFLOCK lock; add to it or extend it instead.",
  "no lock": "You have no gmFLOCK lock.",
  "lock expired": "Your gmFLOCK lock has expired; withdraw it first.",
  "lock too short": "A lock must end at least 30 days from now (unlock times round down to a whole UTC day).",
  "lock too long": "A lock can end at most 365 days from now.",
  "lock not expired": "Your gmFLOCK lock has not expired yet.",
  "can only extend": "The new unlock time must be later than the current one (after rounding down to a whole UTC day).",
  // vesting
  "no schedule": "There is no vesting schedule with that id.",
  "nothing to release": "Nothing is releasable yet (still before the cliff, or already released).",
  // rewards / roles
  "not admin": "Only the contract's admin may do this.",
  "missing role": "Your account lacks the role this action requires.",
  "not pending admin": "Only the pending admin may accept the admin seat.",
  "no pending admin": "There is no pending admin transfer.",
  "zero amount": "The amount must be greater than zero.",
  "zero address": "An address argument is the zero address.",
  "no root": "No reward root is live yet; claims open once a root passes its dispute window.",
  "invalid proof": "The Merkle proof does not match the live reward root (stale claim data?).",
  underfunded: "The reward distributor does not hold enough of that token for this claim.",
  "empty root": "The reward root is empty.",
  "stale epoch": "That epoch is not newer than the last proposed one.",
  "no pending root": "There is no pending reward root.",
  "not pending": "That root is not the pending reward root.",
  "dispute window": "The root's dispute window has not passed yet.",
  // revenue
  "epoch not over": "That epoch (UTC day) is not over yet.",
  "epoch settled": "That epoch has already been settled.",
  "already settled": "That epoch has already been settled.",
  "exceeds deposits": "The amount exceeds the USDC deposited in the vault.",
  "exceeds settled": "The amount exceeds the revenue settled so far.",
  "exceeds available": "The amount exceeds what is available.",
  "bad destination": "Funds may only go to the revenue router or the treasury.",
  "twap not ready": "The DEX price average is not ready yet; try the buyback later.",
  "no pair": "There is no DEX pool for this buyback.",
  "no price": "The DEX pool has no price yet.",
  // DEX
  EXPIRED: "The swap's deadline passed before it was mined; try again.",
  INSUFFICIENT_OUTPUT_AMOUNT: "The swap would return less than your minimum; the price moved.",
  EXCESSIVE_INPUT_AMOUNT: "The swap would cost more than your maximum; the price moved.",
  INSUFFICIENT_LIQUIDITY: "The pool does not have enough liquidity for this trade.",
  PAIR_NOT_FOUND: "There is no DEX pool for that token pair.",
  PAIR_EXISTS: "That DEX pool already exists.",
  IDENTICAL_ADDRESSES: "A pool needs two different tokens.",
  // admin setters, initializers, the DEX core and graduation internals (tests/chain/test_revert_sentences.py)
  "timestamp too large": "The chain's clock is past the launchpad's 40-bit time range.",
  "lp tokens overflow": "The LP allocation is too large for the pool's packed record.",
  "launchpad not funder": "The reward distributor has not granted the launchpad its FUNDER role; grant it first.",
  "bad decimals": "A token may have at most 36 decimals.",
  "faucet cap too high": "The faucet cap is above its hard bound.",
  "zero faucet cap": "The faucet cap must be greater than zero.",
  "empty name": "The token name must not be empty.",
  "empty symbol": "The token symbol must not be empty.",
  "already initialized": "This contract is already initialized.",
  ALREADY_INITIALIZED: "This DEX pool is already initialized.",
  "length mismatch": "The receivers and amounts lists differ in length.",
  "not a contract": "The launchpad address is not a contract.",
  "zero token": "The token address is the zero address.",
  "zero beneficiary": "The beneficiary is the zero address.",
  "zero duration": "A vesting schedule must last longer than zero seconds.",
  "duration too long": "The vesting duration is above its hard bound.",
  "cliff after end": "The cliff cannot come after the end of the vesting schedule.",
  "amount too large": "The vesting amount is above its hard bound (2^128 base units).",
  "start too late": "The vesting start is above its hard bound (2^64 seconds).",
  "nothing received": "The distributor received none of the tokens being funded.",
  "not received": "The distributor does not hold the tokens being credited (beyond what it already owes).",
  "future epoch": "A reward root may be proposed only for a UTC day that is over.",
  "window too short": "The dispute window is below its hard bound.",
  "window too long": "The dispute window is above its hard bound.",
  "same token": "USDC and FLOCK must be different tokens.",
  "bad token": "Revenue can only be routed for a Model Token (not FLOCK, USDC or the zero address).",
  "no issuer": "The Model Token has no issuer to pay.",
  "empty reserve": "There is nothing in the buyback reserve for that token.",
  "impact bound": "The buyback would move the price more than its bound allows against the pool's spot and average prices; it waits for a better price.",
  "approve failed": "The router could not approve the DEX to spend the buyback.",
  "bound out of range": "The price-impact bound is outside its hard range.",
  "window out of range": "The TWAP window is outside its hard range.",
  "bad blueprint": "The pair blueprint address is not a contract.",
  "bad factory": "The factory address is not a contract.",
  ZERO_ADDRESS: "An address argument is the zero address.",
  INDEX_OUT_OF_RANGE: "There is no DEX pool at that index.",
  FORBIDDEN: "Only the DEX factory's admin (or the factory) may do this.",
  TRANSFER_FAILED: "A token transfer out of the DEX pool failed.",
  TRANSFER_FROM_FAILED: "A token transfer into the DEX failed: check your balance andapproval.",
  OVERFLOW: "The pool's reserves would overflow.",
  INSUFFICIENT_LIQUIDITY_MINTED: "Too little was deposited to mint any pool shares.",
  INSUFFICIENT_LIQUIDITY_BURNED: "Too few pool shares were returned to withdraw anything.",
  INVALID_TO: "The swap cannot send its output to one of the pool's own tokens.",
  INSUFFICIENT_INPUT_AMOUNT: "The swap's input amount is zero.",
  K: "The swap would break the pool's constant-product invariant.",
  NO_LIQUIDITY: "The DEX pool has no liquidity yet.",
  INSUFFICIENT_AMOUNT: "The amount is zero.",
  INVALID_PATH: "A swap path needs at least two tokens.",
  INSUFFICIENT_A_AMOUNT: "Adding liquidity would use less of the first token than your minimum; the price moved.",
  INSUFFICIENT_B_AMOUNT: "Adding liquidity would use less of the second token than your minimum; the price moved.",
};

/** Same reason string, different meaning per contract (Launchpad vs Staking "not graduated"). */
export const CONTRACT_SENTENCES: Record<string, string> = {
  "Staking:not graduated": "Only graduated Model Tokens can be staked.",
  "Staking:nothing to withdraw": "Nothing is waiting to be withdrawn: request an unstake first.",
  "GmFlock:nothing to withdraw": "Nothing is waiting to be withdrawn.",
  "RewardDistributor:nothing to claim": "Everything the live root gives you in that token has already been claimed.",
};

export function explainRevert(reason: string | null | undefined, contract?: string): string {
  if (!reason) {
    return "The contract rejected the transaction without a reason (a failed check, an arithmetic overflow or out of gas).";
  }
  const text = reason.trim();
  const sentence = (contract && CONTRACT_SENTENCES[`${contract}:${text}`]) || REVERT_SENTENCES[text];
  return sentence ?? `The contract rejected the transaction: ${text}.`;
}

const NODE_PATTERNS: [RegExp, string][] = [
  [/insufficient funds/i, "Your account does not have enough ETH to pay for gas."],
  [/nonce too low/i, "Another transaction from this account got in first; try again."],
];

const REVERT_PREFIX = /^(?:execution reverted:?\s*|VM Exception[^:]*:\s*revert\s*)/i;

/** The reason string in a node message such as "execution reverted: sale closed". */
export function reasonFromMessage(message: string): string | null {
  const text = message.trim().replace(/^['"]|['"]$/g, "");
  const m = text.match(REVERT_PREFIX);
  if (!m) return null;
  return text.slice(m[0].length).trim() || null;
}

/** Any error from a wallet, viem or the node, as one sentence for the person. */
export function explainError(err: unknown, contract?: string): string {
  if (err instanceof BaseError) {
    const rejected = err.walk((e) => e instanceof UserRejectedRequestError);
    if (rejected) return "You rejected the request in your wallet; nothing was sent.";
    const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      return explainRevert(reverted.reason ?? reverted.data?.args?.[0]?.toString() ?? null, contract);
    }
    const all = [err.shortMessage, err.details, err.message].filter(Boolean).join(" ");
    for (const [re, sentence] of NODE_PATTERNS) if (re.test(all)) return sentence;
    const reason = reasonFromMessage(err.details ?? "") ?? reasonFromMessage(err.shortMessage ?? "");
    if (reason) return explainRevert(reason, contract);
    if (/reverted/i.test(all)) return explainRevert(null, contract);
    return err.shortMessage || "The request failed.";
  }
  const code = (err as { code?: number } | null)?.code;
  if (code === 4001) return "You rejected the request in your wallet; nothing was sent.";
  if (err instanceof Error) {
    const reason = reasonFromMessage(err.message);
    if (reason) return explainRevert(reason, contract);
    return err.message;
  }
  return "The request failed.";
}
