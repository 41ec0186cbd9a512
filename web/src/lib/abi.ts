// The contract functions the app calls, as human-readable ABI fragments (viem parses them and
// types every call). Names and argument order are the Vyper contracts' on main.
import { parseAbi } from "viem";

export const erc20Abi = parseAbi([
  "function balanceOf(address owner) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function totalSupply() view returns (uint256)",
  "function decimals() view returns (uint8)",
  "function faucet(address to, uint256 amount)",
]);

// The create_launch call lives in lib/launchCall.ts only (its ABI is changing on another branch).
export const launchpadAbi = parseAbi([
  "function buy(address token, uint256 flock_in, uint256 min_mt_out, uint256 deadline) returns (uint256)",
  "function graduate(address token)",
  "function claim(address token) returns (uint256)",
  "function redeem(address token) returns (uint256)",
  "function launch_creation_fee() view returns (uint256)",
  "function base_fee_bps() view returns (uint256)",
  "function creator_fee_bps() view returns (uint256)",
  "function max_bundle_bps() view returns (uint256)",
  "function model_type_count() view returns (uint256)",
  "function model_type_at(uint256 index) view returns (bytes32)",
  "function model_types(bytes32 id) view returns ((string base_model, bytes32 pricing_tier, uint256 min_raise, uint256 max_raise, uint256 lp_bps, uint256 reserved_bps, uint256 protocol_bps, bool enabled))",
  "function quote_first_buy(bytes32 model_type_id, uint256 flock_in) view returns (uint256, uint256, uint256, uint256)",
  "function allocation_of(address token, address buyer) view returns (uint256)",
  "function launches(address token) view returns ((address creator, bytes32 model_type_id, uint256 min_raise, uint256 max_raise, uint256 lp_bps, uint256 reserved_bps, uint256 x0, uint256 y0, uint256 base_fee_bps, uint256 creator_fee_bps, uint256 tax_start_bps, uint256 sale_start, uint256 sale_end, uint256 raised, uint256 sold, bool graduated, address pair, uint256 lp_tokens, uint256 payees_id))",
  "function principal_of(address token, address buyer) view returns (uint256)",
]);

export const routerAbi = parseAbi([
  "function getAmountsOut(uint256 amountIn, address[] path) view returns (uint256[])",
  "function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline) returns (uint256[])",
]);

export const pairAbi = parseAbi([
  "function getReserves() view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast)",
  "function token0() view returns (address)",
]);

export const stakingAbi = parseAbi([
  "function stake(address token, uint256 amount)",
  "function request_unstake(address token, uint256 amount)",
  "function withdraw(address token)",
  "function active_stake(address token, address account) view returns (uint256)",
  "function pending_unstake(address token, address account) view returns (uint256, uint256)",
  "function withdrawable(address token, address account) view returns (uint256)",
  "function cooldown_period() view returns (uint256)",
]);

export const gmFlockAbi = parseAbi([
  "function create_lock(uint256 amount, uint256 unlock_time)",
  "function increase_amount(uint256 amount)",
  "function extend_lock(uint256 new_unlock_time)",
  "function withdraw()",
  "function locked(address account) view returns (uint256, uint256)",
  "function effective_balance(address account, uint256 timestamp) view returns (uint256)",
]);

export const vestingAbi = parseAbi(["function release(uint256 sid) returns (uint256)"]);

export const paymentVaultAbi = parseAbi([
  "function deposit(address account, uint256 amount)",
  "function deposits(address account) view returns (uint256)",
]);

export const distributorAbi = parseAbi([
  "function claim(address account, address token, uint256 cumulative_amount, bytes32[] proof) returns (uint256)",
  "function claimed(address account, address token) view returns (uint256)",
  "function live_root() view returns (bytes32, uint256, bytes32)",
  "function pending_root() view returns (bytes32)",
  "function pending_activates_at() view returns (uint256)",
]);
