// The one module that knows the Launchpad's create_launch signature (it is changing on another
// branch to carry a metadata hash): the wizard builds a LaunchRequest, this turns it into a call.
import { decodeEventLog, parseAbi, type Address } from "viem";

export const createLaunchAbi = parseAbi([
  "function create_launch(bytes32 model_type_id, string name, string symbol, uint256 first_buy_flock, uint256 min_mt_out, uint256 deadline) returns (address)",
]);

export interface LaunchRequest {
  modelTypeId: `0x${string}`;
  name: string;
  symbol: string;
  firstBuyFlock: bigint;
  minMtOut: bigint;
  deadline: bigint;
  /** sha256 of the uploaded metadata document (POST /api/metadata). */
  metadataHash: `0x${string}` | null;
}

/** Committing the metadata hash after the launch exists (Launchpad.set_metadata, newer ABI). */
export const setMetadataAbi = parseAbi([
  "function set_metadata(address token, bytes32 content_hash)",
  "function metadata_hash(address token) view returns (bytes32)",
]);

export function setMetadataCall(launchpad: Address, token: Address, hash: `0x${string}`) {
  return { address: launchpad, abi: setMetadataAbi, functionName: "set_metadata" as const, args: [token, hash] as const };
}

/** viem writeContract arguments for a launch (the metadata hash is committed by a separate
 *  set_metadata call where the Launchpad has it). */
export function createLaunchCall(launchpad: Address, r: LaunchRequest) {
  return {
    address: launchpad,
    abi: createLaunchAbi,
    functionName: "create_launch" as const,
    args: [r.modelTypeId, r.name, r.symbol, r.firstBuyFlock, r.minMtOut, r.deadline] as const,
  };
}

/** Name and ticker limits of the contract (String[32], String[16]). */
export const NAME_MAX = 32;
export const SYMBOL_MAX = 16;

export const launchCreatedAbi = parseAbi([
  "event LaunchCreated(address indexed token, address indexed creator, bytes32 indexed modelTypeId, uint256 targetRaiseMin, uint256 targetRaiseMax, uint256 targetSale, uint64 saleStart, uint64 saleEnd, string mtName, string mtSymbol, bool isBundled)",
]);

/** The new Model Token's address from a create_launch receipt (its LaunchCreated event). */
export function launchedToken(launchpad: Address, logs: readonly { address: string; topics: readonly `0x${string}`[]; data: `0x${string}` }[]): Address | null {
  for (const log of logs) {
    if (log.address.toLowerCase() !== launchpad.toLowerCase()) continue;
    try {
      const ev = decodeEventLog({ abi: launchCreatedAbi, topics: log.topics as [`0x${string}`, ...`0x${string}`[]], data: log.data });
      if (ev.eventName === "LaunchCreated") return ev.args.token;
    } catch {
      /* another event of the launchpad */
    }
  }
  return null;
}

/** Launchpads with on-chain unique tickers answer this; older ones revert (then the API list is
 *  the only check). */
export const tickerAbi = parseAbi(["function ticker_available(string symbol) view returns (bool)"]);
