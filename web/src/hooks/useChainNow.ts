import { useEffect, useState } from "react";
import { chainNow, subscribeClock } from "../lib/clock";

/** The chain's clock (seconds), ticking every second; null until a source reported it. */
export function useChainNow(): number | null {
  const [now, setNow] = useState<number | null>(chainNow());
  useEffect(() => {
    const tick = () => setNow(chainNow());
    const id = window.setInterval(tick, 1000);
    const unsub = subscribeClock(tick);
    return () => {
      window.clearInterval(id);
      unsub();
    };
  }, []);
  return now;
}
