import { useMemo } from "react";
import { usePlatform } from "./platform";
import { useLaunches } from "./queries";

/** token address (lower case) → ticker, from the indexed launches plus FLOCK and USDC. */
export function useSymbols(): (token: string) => string {
  const { info } = usePlatform();
  const launches = useLaunches(null);
  const map = useMemo(() => {
    const m = new Map<string, string>();
    for (const l of launches.data?.launches ?? []) m.set(l.token.toLowerCase(), l.symbol);
    if (info.contracts.FLOCK) m.set(info.contracts.FLOCK.toLowerCase(), "FLOCK");
    if (info.contracts.USDC) m.set(info.contracts.USDC.toLowerCase(), "USDC");
    m.set("flock", "FLOCK");
    return m;
  }, [launches.data, info]);
  return (token: string) => map.get(token.toLowerCase()) ?? `${token.slice(0, 8)}…`;
}
