import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api } from "../lib/api";
import { reportChainTime } from "../lib/clock";
import { FLOCK_DECIMALS, formatFlock, formatTime, formatUsdc, USDC_DECIMALS } from "../lib/format";
import { useChainNow } from "../hooks/useChainNow";
import { usePlatform } from "../hooks/platform";
import { useTx } from "../tx/TxProvider";
import { useWallet } from "../wallet/WalletProvider";
import { erc20Abi } from "../lib/abi";

/** What one press of the faucet asks for (well under the dev tokens' per-call caps). */
const FAUCET_FLOCK = 100_000n * 10n ** BigInt(FLOCK_DECIMALS);
const FAUCET_USDC = 10_000n * 10n ** BigInt(USDC_DECIMALS);

const STEPS = [
  { label: "+1 hour", seconds: 3600, id: "1h" },
  { label: "+1 day", seconds: 86400, id: "1d" },
  { label: "+7 days", seconds: 7 * 86400, id: "7d" },
];

/** Devnet only: the chain's clock and buttons that move it forward (and mine a block). */
export function DevToolbar() {
  const now = useChainNow();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const wallet = useWallet();
  const platform = usePlatform();
  const tx = useTx();
  const faucet = () => {
    const to = wallet.address;
    if (!to) return;
    const flock = platform.address("FLOCK");
    const usdc = platform.address("USDC");
    tx.review({
      title: "Get devnet test tokens",
      summary: [
        { label: "FLOCK", value: `${formatFlock(FAUCET_FLOCK)} (dev token, devnet only)` },
        { label: "USDC", value: `${formatUsdc(FAUCET_USDC)} (dev token, devnet only)` },
        { label: "To", value: to },
      ],
      steps: [
        { label: `FLOCK.faucet(${formatFlock(FAUCET_FLOCK)})`, contract: "FLOCK", call: () => ({ address: flock, abi: erc20Abi, functionName: "faucet", args: [to, FAUCET_FLOCK] }) },
        { label: `USDC.faucet(${formatUsdc(FAUCET_USDC)})`, contract: "USDC", call: () => ({ address: usdc, abi: erc20Abi, functionName: "faucet", args: [to, FAUCET_USDC] }) },
      ],
    });
  };
  const advance = async (seconds: number) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.devAdvance(seconds);
      reportChainTime(r.chain_time);
      await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "info" });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="devbar" role="region" aria-label="Devnet tools">
      <span className="badge dev">devnet</span>
      <span className="small">
        Chain clock: <span className="mono" data-testid="chain-clock">{now ? formatTime(now) : "—"}</span>
      </span>
      <span className="row gap-s">
        {STEPS.map((s) => (
          <button key={s.id} type="button" className="btn small" disabled={busy} onClick={() => void advance(s.seconds)} data-testid={`advance-${s.id}`}>
            {s.label}
          </button>
        ))}
      </span>
      {wallet.address && (
        <button type="button" className="btn small" onClick={faucet} data-testid="faucet">
          Get test FLOCK + USDC
        </button>
      )}
      {error && <span className="error small" role="alert">{error}</span>}
    </div>
  );
}
