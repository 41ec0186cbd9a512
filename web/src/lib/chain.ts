// The chain the platform runs on, reached through the platform's same-origin JSON-RPC proxy.
import { createPublicClient, defineChain, http, type Chain, type PublicClient } from "viem";
import type { Info } from "./api";

export const DEVNET_CHAIN_ID = 31337;

export function rpcUrl(): string {
  return `${window.location.origin}/rpc`;
}

export function chainFromInfo(info: Info): Chain {
  const devnet = info.chain_id === DEVNET_CHAIN_ID;
  return defineChain({
    id: info.chain_id,
    name: devnet ? "FOMO devnet" : `Chain ${info.chain_id}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl()] } },
  });
}

export function makePublicClient(chain: Chain): PublicClient {
  return createPublicClient({ chain, transport: http(rpcUrl(), { batch: true }) }) as PublicClient;
}

/** A contract address from /api/info by its manifest name (deploy.py), or null when absent. */
export function contractAddress(info: Info, name: string): `0x${string}` | null {
  const a = info.contracts[name];
  return a ? (a as `0x${string}`) : null;
}
