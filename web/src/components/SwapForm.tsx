// Swap FLOCK↔MT on the platform's DEX after graduation, quoted with the constant-product formula
// (0.30% fee) against the pair's reserves read from the chain, with a minimum out.
import { useMemo, useState } from "react";
import type { Address } from "viem";
import type { LaunchDetail } from "../lib/api";
import { erc20Abi, routerAbi } from "../lib/abi";
import { formatBps, formatUnits, parseAmount } from "../lib/format";
import { dexAmountOut, dexPriceImpactBps, minOut } from "../lib/quote";
import { usePlatform } from "../hooks/platform";
import { usePairReserves, useTokenBalance } from "../hooks/queries";
import { approveStep, useTx } from "../tx/TxProvider";
import { useWallet } from "../wallet/WalletProvider";
import { Field, KV, Segmented } from "./ui";

type Dir = "buy" | "sell";

export function SwapForm({ launch }: { launch: LaunchDetail }) {
  const wallet = useWallet();
  const platform = usePlatform();
  const tx = useTx();
  const flock = platform.info.contracts.FLOCK as Address;
  const mt = launch.token as Address;
  const [dir, setDir] = useState<Dir>("buy");
  const [text, setText] = useState("");
  const [slippage, setSlippage] = useState("100");
  const reserves = usePairReserves(launch.pair, launch.token);
  const tokenIn = dir === "buy" ? flock : mt;
  const tokenOut = dir === "buy" ? mt : flock;
  const symIn = dir === "buy" ? "FLOCK" : launch.symbol;
  const symOut = dir === "buy" ? launch.symbol : "FLOCK";
  const balance = useTokenBalance(tokenIn, wallet.address);
  const parsed = text.trim() === "" ? null : parseAmount(text, 18);
  const error = !parsed ? null : !parsed.ok ? parsed.error : balance.data !== undefined && parsed.value > balance.data ? `That is more than your balance of ${formatUnits(balance.data, 18)} ${symIn}.` : null;

  const quote = useMemo(() => {
    if (!parsed?.ok || !reserves.data) return null;
    const rIn = dir === "buy" ? reserves.data.reserveFlock : reserves.data.reserveMt;
    const rOut = dir === "buy" ? reserves.data.reserveMt : reserves.data.reserveFlock;
    try {
      const out = dexAmountOut(parsed.value, rIn, rOut);
      return { out, min: minOut(out, BigInt(slippage)), impact: dexPriceImpactBps(parsed.value, out, rIn, rOut) };
    } catch {
      return null;
    }
  }, [parsed, reserves.data, dir, slippage]);

  const submit = () => {
    if (!quote || error || !parsed?.ok || quote.out === 0n) return;
    const router = platform.address("Router");
    const amount = parsed.value;
    const account = wallet.address as Address;
    tx.review({
      title: `Swap ${symIn} for ${symOut}`,
      summary: [
        { label: "You pay", value: `${formatUnits(amount, 18)} ${symIn}` },
        { label: "You receive (quote)", value: `${formatUnits(quote.out, 18)} ${symOut}` },
        { label: "Minimum received", value: `${formatUnits(quote.min, 18)} ${symOut}` },
        { label: "Price impact", value: formatBps(quote.impact) },
        { label: "DEX fee", value: "0.3%" },
      ],
      steps: [
        approveStep(tokenIn, router, amount, `Approve ${formatUnits(amount, 18)} ${symIn} for the DEX router`, erc20Abi),
        {
          label: `Swap on the DEX: Router.swapExactTokensForTokens(${formatUnits(amount, 18)} ${symIn}, min ${formatUnits(quote.min, 18)} ${symOut})`,
          contract: "Router",
          call: (deadline) => ({ address: router, abi: routerAbi, functionName: "swapExactTokensForTokens", args: [amount, quote.min, [tokenIn, tokenOut], account, deadline] }),
        },
      ],
      onConfirmed: () => setText(""),
    });
  };

  return (
    <form className="col gap" onSubmit={(e) => { e.preventDefault(); submit(); }} data-testid="swap-form" noValidate>
      <Segmented label="Swap direction" options={[{ value: "buy", label: `FLOCK → ${launch.symbol}` }, { value: "sell", label: `${launch.symbol} → FLOCK` }]} value={dir} onChange={(d) => { setDir(d); setText(""); }} testid="swap-direction" />
      <Field label={`You pay (${symIn})`} value={text} onChange={setText} error={error} suffix={symIn.slice(0, 8)} placeholder="0.0" testid="swap-amount" hint={wallet.address && balance.data !== undefined ? `Balance: ${formatUnits(balance.data, 18)} ${symIn}` : undefined} />
      <div className="field">
        <span className="small muted">Slippage tolerance</span>
        <Segmented label="Slippage tolerance" options={[{ value: "50", label: "0.5%" }, { value: "100", label: "1%" }, { value: "300", label: "3%" }]} value={slippage} onChange={setSlippage} testid="swap-slippage" />
      </div>
      {reserves.data && (
        <p className="small muted">
          Pool: {formatUnits(reserves.data.reserveFlock, 18)} FLOCK · {formatUnits(reserves.data.reserveMt, 18)} {launch.symbol}
        </p>
      )}
      {quote && (
        <div className="quote" data-testid="swap-quote">
          <KV
            items={[
              { label: "You receive", value: `${formatUnits(quote.out, 18)} ${symOut}`, testid: "swap-quote-out" },
              { label: "Minimum received", value: `${formatUnits(quote.min, 18)} ${symOut}` },
              { label: "Price impact", value: formatBps(quote.impact) },
            ]}
          />
        </div>
      )}
      <button type="submit" className="btn primary" disabled={!wallet.address || !quote || !!error || quote.out === 0n} data-testid="swap-submit">
        {wallet.address ? "Review swap" : "Connect a wallet to swap"}
      </button>
    </form>
  );
}
