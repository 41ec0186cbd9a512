import { type ReactNode } from "react";
import { NavLink } from "react-router-dom";
import { LiveContext, useStreamConnection } from "../hooks/useStream";
import { usePlatform } from "../hooks/platform";
import { useChainClockSync } from "../hooks/useChainClockSync";
import { WalletButton } from "./WalletButton";
import { DevToolbar } from "./DevToolbar";

const NAV = [
  { to: "/", label: "Marketplace", end: true },
  { to: "/launch", label: "Launch" },
  { to: "/stake", label: "Stake" },
  { to: "/gmflock", label: "gmFLOCK" },
  { to: "/rewards", label: "Rewards" },
  { to: "/api-platform", label: "API platform" },
  { to: "/protocol", label: "Protocol" },
];

export function Shell({ children }: { children: ReactNode }) {
  const live = useStreamConnection();
  useChainClockSync();
  const { info } = usePlatform();
  return (
    <LiveContext.Provider value={live}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label="FOMO home">
          <span className="brand-mark" aria-hidden="true">◆</span> FOMO
        </NavLink>
        <nav aria-label="Main" className="nav">
          {NAV.map((n) => (
            <NavLink key={n.to} to={n.to} end={n.end} className={({ isActive }) => (isActive ? "active" : "")} data-testid={`nav-${n.label.toLowerCase().replace(/\s+/g, "-")}`}>
              {n.label}
            </NavLink>
          ))}
        </nav>
        <WalletButton />
      </header>
      {info.chain_id === 31337 && <DevToolbar />}
      <main id="main" className="main">
        {children}
      </main>
      <footer className="footer">
        <span>
          Chain {info.chain_id} · platform v{info.version} · {live.streaming ? "live updates on" : "live updates by polling"}
        </span>
        <span>Every figure comes from the chain or the indexer; balances are exact.</span>
      </footer>
    </LiveContext.Provider>
  );
}
