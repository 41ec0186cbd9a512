// Live updates: the indexer's Server-Sent Events (`event: block` after each indexed batch)
// invalidate the queries that depend on chain state, so progress bars move without a reload.
// When the stream is unavailable the hooks fall back to polling (see useLive).
import { createContext, useContext, useEffect, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { reportChainTime } from "../lib/clock";

export const LiveContext = createContext<{ streaming: boolean; lastBlock: number | null }>({ streaming: false, lastBlock: null });

export function useLive() {
  return useContext(LiveContext);
}

/** Polling interval for live data: none while the stream works, 4 s otherwise. */
export function useRefetchInterval(): number | false {
  return useLive().streaming ? false : 4000;
}

export function useStreamConnection(): { streaming: boolean; lastBlock: number | null } {
  const queryClient = useQueryClient();
  const [state, setState] = useState<{ streaming: boolean; lastBlock: number | null }>({ streaming: false, lastBlock: null });
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const es = new EventSource("/api/stream");
    // Blocks can come many per second under load: refetch at most every 300 ms (trailing).
    let timer: number | null = null;
    const invalidate = () => {
      if (timer !== null) return;
      timer = window.setTimeout(() => {
        timer = null;
        void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "info" && q.queryKey[0] !== "gw" });
      }, 300);
    };
    es.onopen = () => setState((s) => ({ ...s, streaming: true }));
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) setState((s) => ({ ...s, streaming: false }));
    };
    es.addEventListener("block", (ev) => {
      try {
        const data = JSON.parse((ev as MessageEvent<string>).data) as { block: number; chain_time: number; tokens: string[] };
        reportChainTime(data.chain_time);
        setState({ streaming: true, lastBlock: data.block });
      } catch {
        /* a malformed event changes nothing */
      }
      invalidate();
    });
    return () => {
      es.close();
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [queryClient]);
  return state;
}
