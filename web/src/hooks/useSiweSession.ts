// A gateway session from Sign-In with Ethereum, kept for the tab (sessionStorage) per account.
import { useCallback, useEffect, useState } from "react";
import { gateway } from "../lib/api";
import { explainError } from "../lib/errors";
import { siweMessage } from "../lib/siwe";
import { useWallet } from "../wallet/WalletProvider";

const key = (address: string) => `fomo.session.${address.toLowerCase()}`;

export function useSiweSession() {
  const wallet = useWallet();
  const [session, setSession] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    if (!wallet.address) return setSession(null);
    try {
      const raw = sessionStorage.getItem(key(wallet.address));
      const saved = raw ? (JSON.parse(raw) as { session: string; expires_at: string }) : null;
      setSession(saved && new Date(saved.expires_at) > new Date() ? saved.session : null);
    } catch {
      setSession(null);
    }
  }, [wallet.address]);

  const signIn = useCallback(async () => {
    if (!wallet.address) return;
    setBusy(true);
    setError(null);
    try {
      const nonce = await gateway.nonce();
      const client = await wallet.signer();
      const message = siweMessage({
        domain: nonce.domain,
        address: wallet.address,
        statement: "Sign in to the FOMO API platform to manage API keys and credits.",
        uri: window.location.origin,
        chainId: nonce.chain_id ?? wallet.chain.id,
        nonce: nonce.nonce,
        issuedAt: new Date(),
      });
      const signature = await client.signMessage({ account: client.account!, message });
      const r = await gateway.verify(message, signature);
      sessionStorage.setItem(key(wallet.address), JSON.stringify({ session: r.session, expires_at: r.expires_at }));
      setSession(r.session);
    } catch (e) {
      setError(explainError(e));
    } finally {
      setBusy(false);
    }
  }, [wallet]);

  const signOut = useCallback(() => {
    if (wallet.address) sessionStorage.removeItem(key(wallet.address));
    setSession(null);
  }, [wallet.address]);

  return { session, signIn, signOut, busy, error };
}
