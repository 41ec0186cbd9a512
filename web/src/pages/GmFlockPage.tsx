import { lazy, Suspense, useMemo, useState } from "react";
import type { Address } from "viem";
import { erc20Abi, gmFlockAbi } from "../lib/abi";
import { big, formatFlock, formatTime, formatUnits, parseAmount } from "../lib/format";
import { checkUnlock, lockCurve, unlockTimeFor } from "../lib/gmlock";
import { gmMultiplier } from "../lib/quote";
import { usePlatform } from "../hooks/platform";
import { usePortfolio, useTokenBalance } from "../hooks/queries";
import { useChainNow } from "../hooks/useChainNow";
import { approveStep, useTx } from "../tx/TxProvider";
import { useWallet } from "../wallet/WalletProvider";
import { Card, ConnectHint, Countdown, Empty, Field, KV, Loading } from "../components/ui";

const LineChart = lazy(() => import("../components/LineChart"));

export default function GmFlockPage() {
  const wallet = useWallet();
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>gmFLOCK</h1>
          <p className="muted">Lock FLOCK for 31 to 365 days (unlock times round down to a whole UTC day, so a lock always lasts at least 30 full days). Your effective balance is amount × time left / 365 days, and it raises one global reward multiplier (1× up to 2×) across every MT.</p>
        </div>
      </div>
      {!wallet.address ? <ConnectHint /> : <GmFor account={wallet.address} />}
    </div>
  );
}

function GmFor({ account }: { account: Address }) {
  const platform = usePlatform();
  const tx = useTx();
  const now = useChainNow();
  const portfolio = usePortfolio(account);
  const flock = platform.info.contracts.FLOCK as Address;
  const gm = platform.info.contracts.GmFlock as Address | undefined;
  const balance = useTokenBalance(flock, account);
  const [amountText, setAmountText] = useState("");
  const [daysText, setDaysText] = useState("365");
  const [extendText, setExtendText] = useState("");
  const lock = portfolio.data?.gm_lock ?? null;
  const hasLock = !!lock && big(lock.amount) > 0n;
  const active = hasLock && !lock.expired;

  const amount = amountText.trim() ? parseAmount(amountText, 18) : null;
  const amountError = !amount ? null : !amount.ok ? amount.error : balance.data !== undefined && amount.value > balance.data ? `That is more than your balance of ${formatFlock(balance.data)}.` : null;
  const days = Number(daysText);
  const daysError = daysText.trim() === "" ? null : !Number.isInteger(days) || days < 1 ? "Give a whole number of days." : null;
  const end = now !== null && !daysError && daysText.trim() ? unlockTimeFor(now, days) : null;
  const endError = end !== null && now !== null ? checkUnlock(end, now) : null;
  const extDays = Number(extendText);
  const extDaysError = extendText.trim() === "" ? null : !Number.isInteger(extDays) || extDays < 1 ? "Give a whole number of days." : null;
  const extEnd = now !== null && !extDaysError && extendText.trim() ? unlockTimeFor(now, extDays) : null;
  const extEndError = extEnd !== null && now !== null && active ? checkUnlock(extEnd, now, lock.unlock_time) : null;

  const curve = useMemo(() => {
    if (!active || now === null) return null;
    return lockCurve(big(lock.amount), lock.unlock_time, now);
  }, [active, lock, now]);

  if (!gm) return <Empty>This deployment has no GmFlock contract.</Empty>;
  if (portfolio.isLoading) return <Loading label="Reading your lock…" />;
  const effective = active ? big(lock.effective_balance) : 0n;

  const createLock = () => {
    if (!amount?.ok || amountError || !end || endError) return;
    const value = amount.value;
    tx.review({
      title: "Lock FLOCK as gmFLOCK",
      summary: [
        { label: "Lock", value: formatFlock(value) },
        { label: "Unlocks", value: formatTime(end) },
        { label: "Transferable", value: "no: gmFLOCK is not transferable" },
      ],
      steps: [
        approveStep(flock, gm, value, `Approve ${formatFlock(value)} for GmFlock`, erc20Abi),
        { label: `GmFlock.create_lock(${formatUnits(value, 18)}, ${formatTime(end)})`, contract: "GmFlock", call: () => ({ address: gm, abi: gmFlockAbi, functionName: "create_lock", args: [value, BigInt(end)] }) },
      ],
      onConfirmed: () => setAmountText(""),
    });
  };
  const addAmount = () => {
    if (!amount?.ok || amountError) return;
    const value = amount.value;
    tx.review({
      title: "Add FLOCK to your lock",
      summary: [{ label: "Add", value: formatFlock(value) }, { label: "Unlock time stays", value: formatTime(lock!.unlock_time) }],
      steps: [
        approveStep(flock, gm, value, `Approve ${formatFlock(value)} for GmFlock`, erc20Abi),
        { label: `GmFlock.increase_amount(${formatUnits(value, 18)})`, contract: "GmFlock", call: () => ({ address: gm, abi: gmFlockAbi, functionName: "increase_amount", args: [value] }) },
      ],
      onConfirmed: () => setAmountText(""),
    });
  };
  const extend = () => {
    if (!extEnd || extEndError) return;
    tx.review({
      title: "Extend your lock",
      summary: [{ label: "New unlock time", value: formatTime(extEnd) }],
      steps: [{ label: `GmFlock.extend_lock(${formatTime(extEnd)})`, contract: "GmFlock", call: () => ({ address: gm, abi: gmFlockAbi, functionName: "extend_lock", args: [BigInt(extEnd)] }) }],
      onConfirmed: () => setExtendText(""),
    });
  };
  const withdraw = () =>
    tx.review({
      title: "Withdraw your expired lock",
      summary: [{ label: "You receive", value: formatFlock(big(lock!.amount)) }],
      steps: [{ label: "GmFlock.withdraw()", contract: "GmFlock", call: () => ({ address: gm, abi: gmFlockAbi, functionName: "withdraw", args: [] }) }],
    });

  return (
    <div className="col gap">
      <div className="grid cols-eq">
        <Card title="Your lock" testid="gm-lock">
          {!hasLock && <Empty>No lock yet.</Empty>}
          {hasLock && (
            <KV
              items={[
                { label: "Locked", value: formatFlock(big(lock.amount)) },
                { label: "Unlocks", value: formatTime(lock.unlock_time) },
                { label: "Time left", value: <Countdown seconds={now !== null ? lock.unlock_time - now : lock.seconds_left} ended="expired" /> },
                { label: "Effective gmFLOCK now", value: formatUnits(effective, 18), testid: "gm-effective" },
                { label: "Multiplier now", value: `${gmMultiplier(effective).toFixed(4)}×`, testid: "gm-multiplier" },
              ]}
            />
          )}
          {hasLock && lock.expired && (
            <button type="button" className="btn primary" onClick={withdraw} data-testid="gm-withdraw">
              Withdraw {formatFlock(big(lock.amount))}
            </button>
          )}
          <p className="small muted">The multiplier shown is m(G) = 1 + min(1, ln(1 + G/1,000) / ln(1 + 1,000,000/1,000)) for your effective balance G; the epoch engine computes it exactly.</p>
        </Card>
        <Card title={active ? "Add or extend" : "Create a lock"}>
          <form className="col gap" onSubmit={(e) => { e.preventDefault(); if (active) addAmount(); else createLock(); }} noValidate>
            <Field label="Amount (FLOCK)" value={amountText} onChange={setAmountText} error={amountError} suffix="FLOCK" testid="gm-amount" hint={balance.data !== undefined ? `Balance: ${formatFlock(balance.data)}` : undefined} />
            {!active && (
              <>
                <Field label="Lock for (days, 31–365)" value={daysText} onChange={setDaysText} error={daysError ?? endError} inputMode="numeric" testid="gm-days" hint={end ? `Unlocks ${formatTime(end)} (rounded down to a whole UTC day).` : undefined} />
                <button type="submit" className="btn primary" disabled={!amount?.ok || !!amountError || !end || !!endError || hasLock} data-testid="gm-create">
                  Review lock
                </button>
                {hasLock && lock.expired && <p className="small">Withdraw your expired lock first.</p>}
              </>
            )}
            {active && (
              <button type="submit" className="btn primary" disabled={!amount?.ok || !!amountError} data-testid="gm-add">
                Review add
              </button>
            )}
          </form>
          {active && (
            <form className="col gap" onSubmit={(e) => { e.preventDefault(); extend(); }} noValidate>
              <Field label="Extend to (days from now, up to 365)" value={extendText} onChange={setExtendText} error={extDaysError ?? extEndError} inputMode="numeric" testid="gm-extend-days" placeholder="365" hint={extEnd ? `New unlock ${formatTime(extEnd)}.` : "Must end later than the current unlock."} />
              <button type="submit" className="btn" disabled={!extEnd || !!extEndError} data-testid="gm-extend">
                Review extension
              </button>
            </form>
          )}
        </Card>
      </div>
      {curve && curve.length > 1 && (
        <div className="grid cols-eq">
          <Card title="Effective gmFLOCK over time">
            <Suspense fallback={<Loading label="Loading chart…" />}>
              <LineChart small label="Effective gmFLOCK until unlock" series={[{ name: "effective gmFLOCK", color: "#7c5cff", points: curve.map((p) => ({ time: p.time, value: Number(p.effective / 10n ** 12n) / 1e6 })) }]} />
            </Suspense>
          </Card>
          <Card title="Multiplier over time">
            <Suspense fallback={<Loading label="Loading chart…" />}>
              <LineChart small label="Reward multiplier until unlock" series={[{ name: "multiplier", color: "#2fd08a", points: curve.map((p) => ({ time: p.time, value: p.multiplier })) }]} />
            </Suspense>
          </Card>
        </div>
      )}
    </div>
  );
}
