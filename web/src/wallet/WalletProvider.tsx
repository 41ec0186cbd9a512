// The connected wallet: an injected EIP-1193 wallet through wagmi on any chain, or, on the devnet
// only, a built-in dev wallet (a viem local account for one of anvil's funded dev accounts).
// Everything that signs asks this context for a WalletClient; nothing else knows which kind it is.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { createWalletClient, custom, http, type Address, type Chain, type EIP1193Provider, type WalletClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { useConnect, useConnection, useConnectors, useDisconnect } from "wagmi";
import type { DevAccount } from "../lib/api";
import { DEVNET_CHAIN_ID, rpcUrl } from "../lib/chain";
import { explainError } from "../lib/errors";

export type WalletKind = "none" | "injected" | "dev";

export interface Wallet {
  kind: WalletKind;
  address: Address | null;
  chain: Chain;
  devnet: boolean;
  devIndex: number | null;
  injectedAvailable: boolean;
  error: string | null;
  connectInjected(): Promise<void>;
  connectDev(account: DevAccount): void;
  disconnect(): void;
  /** A client that signs as the connected account on the platform's chain (switching an
   *  injected wallet's network first when needed). Throws a sentence when not connected. */
  signer(): Promise<WalletClient>;
}

const WalletContext = createContext<Wallet | null>(null);
const DEV_KEY = "fomo.devWallet";

export function WalletProvider({ chain, children }: { chain: Chain; children: ReactNode }) {
  const devnet = chain.id === DEVNET_CHAIN_ID;
  const [dev, setDev] = useState<DevAccount | null>(() => {
    if (!devnet) return null;
    try {
      const raw = sessionStorage.getItem(DEV_KEY);
      return raw ? (JSON.parse(raw) as DevAccount) : null;
    } catch {
      return null;
    }
  });
  const [error, setError] = useState<string | null>(null);
  const connection = useConnection();
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnectInjected = useDisconnect();

  // A dev wallet must never survive on another chain id.
  useEffect(() => {
    if (!devnet && dev) setDev(null);
  }, [devnet, dev]);

  const devClient = useMemo(() => {
    if (!dev || !devnet) return null;
    return createWalletClient({ account: privateKeyToAccount(dev.private_key), chain, transport: http(rpcUrl()) });
  }, [dev, devnet, chain]);

  const injectedConnected = connection.status === "connected" && !!connection.address;
  const kind: WalletKind = devClient ? "dev" : injectedConnected ? "injected" : "none";
  const address = devClient ? devClient.account.address : injectedConnected ? (connection.address as Address) : null;
  const injectedConnector = connectors.find((c) => c.type === "injected") ?? connectors[0];
  const injectedAvailable = typeof window !== "undefined" && !!(window as unknown as { ethereum?: unknown }).ethereum;

  const connectInjected = useCallback(async () => {
    setError(null);
    if (!injectedAvailable || !injectedConnector) {
      setError("No browser wallet found: install MetaMask or Rabby, or use the devnet dev wallet.");
      return;
    }
    setDev(null);
    sessionStorage.removeItem(DEV_KEY);
    try {
      await connect.mutateAsync({ connector: injectedConnector, chainId: chain.id });
    } catch (e) {
      setError(explainError(e));
    }
  }, [injectedAvailable, injectedConnector, connect, chain.id]);

  const connectDev = useCallback(
    (account: DevAccount) => {
      if (!devnet) return;
      setError(null);
      if (injectedConnected) disconnectInjected.mutate({});
      sessionStorage.setItem(DEV_KEY, JSON.stringify(account));
      setDev(account);
    },
    [devnet, injectedConnected, disconnectInjected],
  );

  const disconnect = useCallback(() => {
    setDev(null);
    sessionStorage.removeItem(DEV_KEY);
    if (injectedConnected) disconnectInjected.mutate({});
  }, [injectedConnected, disconnectInjected]);

  const signer = useCallback(async (): Promise<WalletClient> => {
    if (devClient) return devClient;
    if (!injectedConnected || !connection.connector || !connection.address) throw new Error("Connect a wallet first.");
    // A client over the wallet's own provider, whatever network it is on (we switch it below).
    const provider = (await connection.connector.getProvider()) as EIP1193Provider;
    const client = createWalletClient({ account: connection.address as Address, chain, transport: custom(provider) });
    const current = await client.getChainId();
    if (current !== chain.id) {
      try {
        await client.switchChain({ id: chain.id });
      } catch {
        try {
          await client.addChain({ chain });
        } catch {
          throw new Error(`Switch your wallet to the platform's network (chain id ${chain.id}) and try again.`);
        }
      }
    }
    return client;
  }, [devClient, injectedConnected, connection.connector, connection.address, chain]);

  const value: Wallet = {
    kind,
    address,
    chain,
    devnet,
    devIndex: dev?.index ?? null,
    injectedAvailable,
    error,
    connectInjected,
    connectDev,
    disconnect,
    signer,
  };
  return <WalletContext.Provider value={value}>{children}</WalletContext.Provider>;
}

export function useWallet(): Wallet {
  const w = useContext(WalletContext);
  if (!w) throw new Error("useWallet outside WalletProvider");
  return w;
}
