// Data hooks: every read the pages make, keyed for TanStack Query. Components never fetch.
import { useQueries, useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { api, ApiError, gateway } from "../lib/api";
import { distributorAbi, erc20Abi, launchpadAbi, pairAbi, stakingAbi } from "../lib/abi";
import { reportChainTime } from "../lib/clock";
import { usePlatform } from "./platform";
import { useRefetchInterval } from "./useStream";

/** 404 from an endpoint another branch is adding: an honest "not available" state, not an error. */
export const isMissing = (e: unknown): boolean => e instanceof ApiError && e.status === 404;

export function useLaunches(viewer?: string | null) {
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: ["launches", viewer ?? null],
    queryFn: async () => {
      const r = await api.launches({ viewer: viewer ?? undefined, limit: 500 });
      reportChainTime(r.chain_time);
      return r;
    },
    refetchInterval,
  });
}

export function useLaunch(token: string | undefined) {
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: ["launch", token],
    queryFn: async () => {
      const r = await api.launch(token!);
      reportChainTime(r.chain_time);
      return r;
    },
    enabled: !!token,
    refetchInterval,
  });
}

export function usePurchases(token: string) {
  const refetchInterval = useRefetchInterval();
  return useQuery({ queryKey: ["purchases", token], queryFn: () => api.purchases(token, 50), refetchInterval });
}

export function useTrades(token: string) {
  return useQuery({ queryKey: ["trades", token], queryFn: () => api.trades(token, 50), retry: (n, e) => !isMissing(e) && n < 2 });
}

export function useHolders(token: string) {
  return useQuery({ queryKey: ["holders", token], queryFn: () => api.holders(token, 20), retry: (n, e) => !isMissing(e) && n < 2 });
}

export function useCandles(token: string, source: "curve" | "pool", interval: number) {
  return useQuery({
    queryKey: ["candles", token, source, interval],
    queryFn: () => api.candles(token, source, interval, 500),
    retry: (n, e) => !isMissing(e) && n < 2,
  });
}

export function useBurns(token?: string) {
  return useQuery({ queryKey: ["burns", token ?? null], queryFn: () => api.burns(token, 50), retry: (n, e) => !isMissing(e) && n < 2 });
}

export function useProtocolDays() {
  return useQuery({ queryKey: ["protocolDays"], queryFn: () => api.protocolDays(90), retry: (n, e) => !isMissing(e) && n < 2 });
}

export function usePortfolio(account: string | null) {
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: ["portfolio", account],
    queryFn: async () => {
      const r = await api.portfolio(account!);
      reportChainTime(r.chain_time);
      return r;
    },
    enabled: !!account,
    refetchInterval,
  });
}

/** Epoch data changes once a day (or when the devnet clock moves): a slow poll on top of the stream. */
const EPOCH_POLL_MS = 10_000;

export function useRewards(account: string | null) {
  return useQuery({ queryKey: ["rewards", account], queryFn: () => api.rewards(account!), enabled: !!account, retry: (n, e) => !isMissing(e) && n < 2, refetchInterval: EPOCH_POLL_MS });
}

export function useExplain(account: string | null, day?: string) {
  return useQuery({
    queryKey: ["explain", account, day ?? null],
    queryFn: () => api.explain(account!, day),
    enabled: !!account,
    retry: (n, e) => !isMissing(e) && n < 2,
    refetchInterval: EPOCH_POLL_MS,
  });
}

export function useEpochs() {
  return useQuery({ queryKey: ["epochs"], queryFn: () => api.epochs(), refetchInterval: EPOCH_POLL_MS });
}

/** An ERC-20 balance read from the chain (wallet balances are not in the indexer for FLOCK/USDC). */
export function useTokenBalance(token: Address | null, account: string | null) {
  const { publicClient } = usePlatform();
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: ["chain", "balance", token, account],
    queryFn: () => publicClient.readContract({ address: token!, abi: erc20Abi, functionName: "balanceOf", args: [account as Address] }),
    enabled: !!token && !!account,
    refetchInterval: refetchInterval === false ? 10_000 : refetchInterval,
  });
}

// ---- gateway (needs a SIWE session or an API key) ------------------------------------------

export function useGatewayKeys(session: string | null) {
  return useQuery({ queryKey: ["gw", "keys", session], queryFn: () => gateway.keys(session!), enabled: !!session });
}

export function useGatewayBalance(session: string | null) {
  return useQuery({ queryKey: ["gw", "balance", session], queryFn: () => gateway.balance(session!), enabled: !!session, refetchInterval: 5000 });
}

export function useGatewayUsage(session: string | null) {
  return useQuery({ queryKey: ["gw", "usage", session], queryFn: () => gateway.usage(session!, 30), enabled: !!session, refetchInterval: 5000 });
}

export function useGatewayDiscounts(session: string | null) {
  return useQuery({ queryKey: ["gw", "discounts", session], queryFn: () => gateway.discounts(session!), enabled: !!session });
}

/** DEX pair reserves (FLOCK, MT) read from the pair contract; refreshed with live data. */
export function usePairReserves(pair: string | null | undefined, mt: string) {
  const { publicClient } = usePlatform();
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: ["chain", "reserves", pair],
    enabled: !!pair,
    refetchInterval,
    queryFn: async () => {
      const [reserves, token0] = await Promise.all([
        publicClient.readContract({ address: pair as Address, abi: pairAbi, functionName: "getReserves" }),
        publicClient.readContract({ address: pair as Address, abi: pairAbi, functionName: "token0" }),
      ]);
      const mtIs0 = token0.toLowerCase() === mt.toLowerCase();
      const [r0, r1] = [reserves[0], reserves[1]];
      return { reserveMt: mtIs0 ? r0 : r1, reserveFlock: mtIs0 ? r1 : r0 };
    },
  });
}

export interface ModelType {
  id: `0x${string}`;
  baseModel: string;
  pricingTier: string;
  minRaise: bigint;
  maxRaise: bigint;
  lpBps: bigint;
  reservedBps: bigint;
  protocolBps: bigint;
  enabled: boolean;
}

/** The launchpad's registered model types and fee settings, read from the chain. */
export function useLaunchpadConfig() {
  const { publicClient, info } = usePlatform();
  const launchpad = info.contracts.Launchpad as Address | undefined;
  return useQuery({
    queryKey: ["chain", "launchpadConfig", launchpad],
    enabled: !!launchpad,
    staleTime: 60_000,
    queryFn: async () => {
      const read = <T,>(functionName: string, args: readonly unknown[] = []) =>
        publicClient.readContract({ address: launchpad!, abi: launchpadAbi, functionName, args } as never) as Promise<T>;
      const [count, launchFee, baseFeeBps, creatorFeeBps, maxBundleBps] = await Promise.all([
        read<bigint>("model_type_count"),
        read<bigint>("launch_creation_fee"),
        read<bigint>("base_fee_bps"),
        read<bigint>("creator_fee_bps"),
        read<bigint>("max_bundle_bps"),
      ]);
      const ids = await Promise.all(Array.from({ length: Number(count) }, (_, i) => read<`0x${string}`>("model_type_at", [BigInt(i)])));
      const types = await Promise.all(
        ids.map(async (id): Promise<ModelType> => {
          const t = await read<{ base_model: string; pricing_tier: `0x${string}`; min_raise: bigint; max_raise: bigint; lp_bps: bigint; reserved_bps: bigint; protocol_bps: bigint; enabled: boolean }>("model_types", [id]);
          return {
            id,
            baseModel: t.base_model,
            pricingTier: bytes32Text(t.pricing_tier),
            minRaise: t.min_raise,
            maxRaise: t.max_raise,
            lpBps: t.lp_bps,
            reservedBps: t.reserved_bps,
            protocolBps: t.protocol_bps,
            enabled: t.enabled,
          };
        }),
      );
      return { types, launchFee, baseFeeBps, creatorFeeBps, maxBundleBps };
    },
  });
}

/** A right-padded ASCII bytes32 (the pricing tier id) as text. */
function bytes32Text(hex: `0x${string}`): string {
  let out = "";
  for (let i = 2; i < hex.length; i += 2) {
    const c = parseInt(hex.slice(i, i + 2), 16);
    if (c === 0) break;
    out += String.fromCharCode(c);
  }
  return out;
}

/** What the account earned on each of the given days (the explainer's `today`), one query each. */
export function useEarnedByDay(account: string | null, days: string[]) {
  return useQueries({
    queries: days.map((day) => ({
      queryKey: ["explain", account, day],
      queryFn: () => api.explain(account!, day),
      enabled: !!account,
      staleTime: 60_000,
      retry: (n: number, e: unknown) => !isMissing(e) && n < 2,
    })),
  });
}

/**
 * A launch's curve state (raised, sold) read from the Launchpad itself: a buy is quoted against
 * the chain, not the indexer, which can be a block behind right after another buy.
 */
export function useLaunchChainState(token: string | undefined) {
  const { publicClient, info } = usePlatform();
  const launchpad = info.contracts.Launchpad as Address | undefined;
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: ["chain", "launchState", token],
    enabled: !!token && !!launchpad,
    refetchInterval: refetchInterval === false ? 10_000 : refetchInterval,
    queryFn: async () => {
      const l = await publicClient.readContract({ address: launchpad!, abi: launchpadAbi, functionName: "launches", args: [token as Address] });
      return { raised: l.raised, sold: l.sold, graduated: l.graduated };
    },
  });
}

/** An account's stake on one MT read from the Staking contract (fresh right after a transaction). */
export function useStakeChainState(token: string | null, account: string | null) {
  const { publicClient, info } = usePlatform();
  const staking = info.contracts.Staking as Address | undefined;
  const refetchInterval = useRefetchInterval();
  return useQuery({
    queryKey: ["chain", "stake", token, account],
    enabled: !!token && !!account && !!staking,
    refetchInterval: refetchInterval === false ? 10_000 : refetchInterval,
    queryFn: async () => {
      const args = [token as Address, account as Address] as const;
      const [active, [cooling, unlock], withdrawable] = await Promise.all([
        publicClient.readContract({ address: staking!, abi: stakingAbi, functionName: "active_stake", args }),
        publicClient.readContract({ address: staking!, abi: stakingAbi, functionName: "pending_unstake", args }),
        // The pending block: on a quiet devnet the latest block can be from before the unlock.
        publicClient.readContract({ address: staking!, abi: stakingAbi, functionName: "withdrawable", args, blockTag: "pending" }),
      ]);
      return { active, cooling, cooldownEnd: Number(unlock), withdrawable };
    },
  });
}

/** The RewardDistributor's live root (as a claim in the next block sees it) and pending root. */
export function useDistributorRoots() {
  const { publicClient, info } = usePlatform();
  const distributor = info.contracts.RewardDistributor as Address | undefined;
  return useQuery({
    queryKey: ["chain", "roots", distributor],
    enabled: !!distributor,
    refetchInterval: 10_000,
    queryFn: async () => {
      const [[live], pending, activatesAt] = await Promise.all([
        publicClient.readContract({ address: distributor!, abi: distributorAbi, functionName: "live_root", blockTag: "pending" }),
        publicClient.readContract({ address: distributor!, abi: distributorAbi, functionName: "pending_root" }),
        publicClient.readContract({ address: distributor!, abi: distributorAbi, functionName: "pending_activates_at" }),
      ]);
      return { live: live.toLowerCase(), pending: pending.toLowerCase(), activatesAt: Number(activatesAt) };
    },
  });
}
