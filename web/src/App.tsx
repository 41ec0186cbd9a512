// Boot: read /api/info (chain id, contracts), then build the chain clients and wagmi config for
// that chain, and render the routed pages (each page is its own lazily loaded chunk).
import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { BrowserRouter, Route, Routes } from "react-router-dom";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createConfig, http, injected, WagmiProvider } from "wagmi";
import { api, type Info } from "./lib/api";
import { chainFromInfo, makePublicClient, rpcUrl } from "./lib/chain";
import { PlatformProvider, type Platform } from "./hooks/platform";
import { WalletProvider } from "./wallet/WalletProvider";
import { TxProvider } from "./tx/TxProvider";
import { Shell } from "./components/Shell";
import { Loading, Problem } from "./components/ui";
import { ErrorBoundary } from "./components/ErrorBoundary";

const Marketplace = lazy(() => import("./pages/Marketplace"));
const TokenPage = lazy(() => import("./pages/TokenPage"));
const LaunchWizard = lazy(() => import("./pages/LaunchWizard"));
const StakePage = lazy(() => import("./pages/StakePage"));
const ApiPlatform = lazy(() => import("./pages/ApiPlatform"));
const RewardsPage = lazy(() => import("./pages/RewardsPage"));
const GmFlockPage = lazy(() => import("./pages/GmFlockPage"));
const ProtocolPage = lazy(() => import("./pages/ProtocolPage"));
const NotFound = lazy(() => import("./pages/NotFound"));

const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 2_000, refetchOnWindowFocus: false, retry: 1 } },
});

export function App() {
  const [info, setInfo] = useState<Info | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.info().then(setInfo, (e: Error) => setError(e.message));
  }, []);
  if (error) return <Problem title="The platform is not reachable">{error}</Problem>;
  if (!info) return <Loading label="Connecting to the platform…" />;
  return <Ready info={info} />;
}

function Ready({ info }: { info: Info }) {
  const chain = useMemo(() => chainFromInfo(info), [info]);
  const publicClient = useMemo(() => makePublicClient(chain), [chain]);
  const wagmiConfig = useMemo(
    () => createConfig({ chains: [chain], connectors: [injected()], transports: { [chain.id]: http(rpcUrl()) } }),
    [chain],
  );
  const platform: Platform = useMemo(
    () => ({
      info,
      publicClient,
      address(name: string) {
        const a = info.contracts[name];
        if (!a) throw new Error(`This deployment has no ${name} contract.`);
        return a as `0x${string}`;
      },
    }),
    [info, publicClient],
  );
  return (
    <WagmiProvider config={wagmiConfig}>
      <QueryClientProvider client={queryClient}>
        <PlatformProvider value={platform}>
          <WalletProvider chain={chain}>
            <TxProvider publicClient={publicClient}>
              <BrowserRouter>
                <Shell>
                  <ErrorBoundary what="page">
                  <Suspense fallback={<Loading label="Loading…" />}>
                    <Routes>
                      <Route path="/" element={<Marketplace />} />
                      <Route path="/token/:token" element={<TokenPage />} />
                      <Route path="/launch" element={<LaunchWizard />} />
                      <Route path="/stake" element={<StakePage />} />
                      <Route path="/api-platform" element={<ApiPlatform />} />
                      <Route path="/rewards" element={<RewardsPage />} />
                      <Route path="/gmflock" element={<GmFlockPage />} />
                      <Route path="/protocol" element={<ProtocolPage />} />
                      <Route path="*" element={<NotFound />} />
                    </Routes>
                  </Suspense>
                  </ErrorBoundary>
                </Shell>
              </BrowserRouter>
            </TxProvider>
          </WalletProvider>
        </PlatformProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}
