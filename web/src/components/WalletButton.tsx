import { useEffect, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { api } from "../lib/api";
import { shortAddress } from "../lib/format";
import { useWallet } from "../wallet/WalletProvider";

/** Connect / account menu: an injected wallet anywhere, the dev wallet on the devnet only. */
export function WalletButton() {
  const wallet = useWallet();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const devAccounts = useQuery({ queryKey: ["info", "devAccounts"], queryFn: api.devAccounts, enabled: wallet.devnet && open, staleTime: Infinity });

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    const onClick = (e: MouseEvent) => ref.current && !ref.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  return (
    <div className="wallet" ref={ref}>
      <button type="button" className={`btn ${wallet.address ? "" : "primary"}`} aria-haspopup="true" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="wallet-button">
        {wallet.address ? (
          <>
            {wallet.kind === "dev" && <span className="badge dev">dev</span>} <span className="mono" data-testid="wallet-address" data-address={wallet.address}>{shortAddress(wallet.address)}</span>
          </>
        ) : (
          "Connect wallet"
        )}
      </button>
      {open && (
        <div className="menu" role="dialog" aria-label="Wallet">
          {wallet.address && (
            <div className="menu-section">
              <p className="muted small">Connected ({wallet.kind === "dev" ? "dev wallet" : "browser wallet"})</p>
              <p className="mono small break">{wallet.address}</p>
              <button type="button" className="btn ghost" onClick={() => { wallet.disconnect(); setOpen(false); }} data-testid="wallet-disconnect">
                Disconnect
              </button>
            </div>
          )}
          <div className="menu-section">
            <button type="button" className="btn" onClick={() => void wallet.connectInjected().then(() => setOpen(false))} data-testid="connect-injected">
              Browser wallet (MetaMask, Rabby…)
            </button>
            {!wallet.injectedAvailable && <p className="muted small">No browser wallet detected.</p>}
          </div>
          {wallet.devnet && (
            <div className="menu-section" data-testid="dev-wallet">
              <p className="small">
                <span className="badge dev">devnet only</span> Dev wallet: anvil's public test accounts. Never use these keys anywhere else.
              </p>
              {devAccounts.isLoading && <p className="muted small">Loading dev accounts…</p>}
              {devAccounts.error && <p className="error small">{(devAccounts.error as Error).message}</p>}
              <ul className="dev-accounts">
                {devAccounts.data?.accounts.map((a) => (
                  <li key={a.address}>
                    <button type="button" className={`btn ghost ${wallet.devIndex === a.index ? "on" : ""}`} onClick={() => { wallet.connectDev(a); setOpen(false); }} data-testid={`dev-account-${a.index}`}>
                      #{a.index} <span className="mono">{shortAddress(a.address)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {wallet.error && <p className="error small" role="alert">{wallet.error}</p>}
        </div>
      )}
    </div>
  );
}
