// The deployment the app talks to (/api/info: chain id, contract addresses) and its public client.
import { createContext, useContext, type ReactNode } from "react";
import type { PublicClient } from "viem";
import type { Info } from "../lib/api";

export interface Platform {
  info: Info;
  publicClient: PublicClient;
  /** Contract address by manifest name; throws a sentence when the deployment lacks it. */
  address(name: string): `0x${string}`;
}

const PlatformContext = createContext<Platform | null>(null);

export function PlatformProvider({ value, children }: { value: Platform; children: ReactNode }) {
  return <PlatformContext.Provider value={value}>{children}</PlatformContext.Provider>;
}

export function usePlatform(): Platform {
  const p = useContext(PlatformContext);
  if (!p) throw new Error("usePlatform outside PlatformProvider");
  return p;
}
