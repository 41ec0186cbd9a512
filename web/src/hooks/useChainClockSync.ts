import { useEffect } from "react";
import { hexToBigInt } from "viem";
import { reportChainTime, TIMESTAMP_PROBE } from "../lib/clock";
import { usePlatform } from "./platform";

/** Keeps the page's chain clock in step with the pending block's time (every 15 s). */
export function useChainClockSync(): void {
  const { publicClient } = usePlatform();
  useEffect(() => {
    let stopped = false;
    const sync = async () => {
      try {
        const r = await publicClient.call({ data: TIMESTAMP_PROBE, blockTag: "pending" });
        if (!stopped && r.data) reportChainTime(Number(hexToBigInt(r.data)));
      } catch {
        try {
          const block = await publicClient.getBlock({ blockTag: "latest" });
          if (!stopped) reportChainTime(Number(block.timestamp));
        } catch {
          /* the API's chain_time still feeds the clock */
        }
      }
    };
    void sync();
    const id = window.setInterval(() => void sync(), 15_000);
    return () => {
      stopped = true;
      window.clearInterval(id);
    };
  }, [publicClient]);
}
