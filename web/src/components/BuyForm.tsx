// Buy on the curve: the amount is checked in the form (negative, too many decimals, over balance)
// and quoted with the bigint quote module before anything reaches a wallet.
import { useMemo, useState } from "react";
import type { Address } from "viem";
import type { LaunchDetail } from "../lib/api";
import { erc20Abi, launchpadAbi } from "../lib/abi";
import { big, formatBps, formatDuration, formatFlock, formatMt, formatUnits, parseAmount } from "../lib/format";
import { curveFromReserves, curvePriceImpactBps, minOut, quoteBuy, secondsToNextTaxStep, taxBps, type FeeConfig } from "../lib/quote";
import { usePlatform } from "../hooks/platform";
import { useLaunchChainState, useTokenBalance } from "../hooks/queries";
import { useChainNow } from "../hooks/useChainNow";
import { approveStep, useTx } from "../tx/TxProvider";
import { useWallet } from "../wallet/WalletProvider";
import { Field, KV, Segmented } from "./ui";

const SLIPPAGES = [
  { value: "50", label: "0.5%" },
  { value: "100", label: "1%" },
  { value: "300", label: "3%" },
];

export function feesOf(l: LaunchDetail): FeeConfig | null {
  if (!l.curve) return null;
  return { baseFeeBps: BigInt(l.curve.base_fee_bps), creatorFeeBps: BigInt(l.curve.creator_fee_bps), taxStartBps: BigInt(l.curve.tax_start_bps) };
}

export function BuyForm({ launch }: { launch: LaunchDetail }) {
  const wallet = useWallet();
  const platform = usePlatform();
  const tx = useTx();
  const now = useChainNow();
  const flock = platform.info.contracts.FLOCK as Address | undefined;
  const balance = useTokenBalance(flock ?? null, wallet.address);
  const [text, setText] = useState("");
  const [slippage, setSlippage] = useState("100");
  const fees = feesOf(launch);
  const curve = launch.curve ? curveFromReserves(big(launch.max_raise), big(launch.curve.x0), big(launch.curve.y0), big(launch.sale_supply)) : null;
  // The curve state from the chain when read (the indexer may be a block behind), else the API's.
  const chainState = useLaunchChainState(launch.token);
  const raised = chainState.data?.raised ?? big(launch.raised);
  const sold = chainState.data?.sold ?? big(launch.mt_sold);
  const elapsed = now !== null ? Math.max(0, now - launch.sale_start) : null;
  const tax = fees && elapsed !== null ? taxBps(fees, elapsed) : null;

  const parsed = text.trim() === "" ? null : parseAmount(text, 18);
  const error = useMemo(() => {
    if (!parsed) return null;
    if (!parsed.ok) return parsed.error;
    if (balance.data !== undefined && parsed.value > balance.data) return `That is more than your balance of ${formatFlock(balance.data)}.`;
    return null;
  }, [parsed, balance.data]);

  const quote = useMemo(() => {
    if (!parsed?.ok || !curve || !fees || tax === null || raised >= curve.maxRaise) return null;
    try {
      const q = quoteBuy(curve, fees, raised, sold, parsed.value, tax);
      return { q, impact: curvePriceImpactBps(curve, raised, sold, q), min: minOut(q.mtOut, BigInt(slippage)) };
    } catch {
      return null;
    }
  }, [parsed, curve, fees, tax, raised, sold, slippage]);
  const nextStep = fees && elapsed !== null ? secondsToNextTaxStep(fees, elapsed) : null;
  const zeroNet = quote && quote.q.net === 0n;

  const submit = () => {
    if (!quote || error || !flock || zeroNet || !parsed?.ok) return;
    const launchpad = platform.address("Launchpad");
    const token = launch.token as Address;
    const amount = parsed.value;
    const { q, min } = quote;
    tx.review({
      title: `Buy $${launch.symbol}`,
      summary: [
        { label: "You pay (at most)", value: formatFlock(amount) },
        { label: "Combined tax", value: formatBps(q.taxBps) },
        { label: "Fees (not refundable)", value: formatFlock(q.totalFee) },
        { label: "Principal into the curve", value: formatFlock(q.net) },
        { label: "MT allocation (quote)", value: formatMt(q.mtOut, launch.symbol) },
        { label: "Minimum MT accepted", value: formatMt(min, launch.symbol) },
        ...(q.refund > 0n ? [{ label: "Returned (partial fill at max raise)", value: formatFlock(q.refund) }] : []),
      ],
      steps: [
        approveStep(flock, launchpad, amount, `Approve ${formatFlock(amount)} for the Launchpad`, erc20Abi),
        {
          label: `Buy: Launchpad.buy(${launch.symbol}, ${formatUnits(amount, 18)} FLOCK, min ${formatUnits(min, 18)} MT)`,
          contract: "Launchpad",
          call: (deadline) => ({ address: launchpad, abi: launchpadAbi, functionName: "buy", args: [token, amount, min, deadline] }),
        },
      ],
      onConfirmed: () => setText(""),
    });
  };

  return (
    <form className="col gap" onSubmit={(e) => { e.preventDefault(); submit(); }} data-testid="buy-form" noValidate>
      <p className="notice">MT cannot be sold during the fundraise: buys are pledges, and the MT is minted and claimable after graduation. If the raise fails, your principal (not the fees) can be redeemed.</p>
      <Field
        label="You pay (FLOCK, fees included)"
        value={text}
        onChange={setText}
        error={error}
        suffix="FLOCK"
        placeholder="0.0"
        testid="buy-amount"
        hint={wallet.address ? (balance.data !== undefined ? `Balance: ${formatFlock(balance.data)}` : "Reading your balance…") : "Connect a wallet to buy."}
      />
      <div className="field">
        <span className="label-like small muted">Slippage tolerance</span>
        <Segmented label="Slippage tolerance" options={SLIPPAGES.map((s) => ({ value: s.value, label: s.label }))} value={slippage} onChange={setSlippage} testid="slippage" />
      </div>
      {tax !== null && (
        <p className="small" data-testid="tax-now">
          Combined tax now: <strong>{formatBps(tax)}</strong>
          {nextStep !== null ? (
            <>
              {" "}· drops 1% in <span className="mono" data-testid="tax-next-step">{formatDuration(nextStep)}</span>
            </>
          ) : (
            " (base fee only)"
          )}
        </p>
      )}
      {tax !== null && fees && tax > fees.baseFeeBps && (
        <p className="notice warn" data-testid="anti-sniper-warning">
          The anti-sniper tax is still high: {formatBps(tax - fees.baseFeeBps)} of what you pay goes to the treasury on top of the {formatBps(fees.baseFeeBps)} base fee. It drops by 1% every minute after the sale opened, down to the base fee.
        </p>
      )}
      {quote && (
        <div className="quote" data-testid="buy-quote" aria-live="polite">
          <KV
            items={[
              { label: "Fees total", value: formatFlock(quote.q.totalFee) },
              { label: "Protocol fee", value: formatFlock(quote.q.protocolFee) },
              { label: "Creator fee", value: formatFlock(quote.q.creatorFee) },
              { label: "Anti-sniper fee", value: formatFlock(quote.q.antiSniperFee) },
              { label: "Principal", value: formatFlock(quote.q.net) },
              { label: "MT out", value: formatMt(quote.q.mtOut, launch.symbol), testid: "buy-quote-mt-out" },
              { label: "Price impact", value: formatBps(quote.impact) },
              { label: "Minimum MT", value: formatMt(quote.min, launch.symbol) },
              { label: "Deadline", value: "20 minutes" },
              ...(quote.q.refund > 0n ? [{ label: "Refund (max raise reached)", value: formatFlock(quote.q.refund) }] : []),
            ]}
          />
          {quote.q.graduates && <p className="notice warn">This buy reaches the maximum raise: it is partially filled and graduates the launch in the same transaction.</p>}
          {zeroNet && <p className="field-error">The amount is too small: nothing would be left after fees.</p>}
        </div>
      )}
      <button type="submit" className="btn primary" disabled={!wallet.address || !quote || !!error || !!zeroNet} data-testid="buy-submit">
        {wallet.address ? "Review buy" : "Connect a wallet to buy"}
      </button>
    </form>
  );
}
