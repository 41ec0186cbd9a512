import { useMemo, useState } from "react";
import type { Address } from "viem";
import { erc20Abi, stakingAbi } from "../lib/abi";
import { big, formatBps, formatMt, formatTime, formatUnits, parseAmount } from "../lib/format";
import { discountBps, nextDiscountTier } from "../lib/quote";
import { usePlatform } from "../hooks/platform";
import { useLaunches, usePortfolio, useStakeChainState, useTokenBalance } from "../hooks/queries";
import { useChainNow } from "../hooks/useChainNow";
import { approveStep, useTx } from "../tx/TxProvider";
import { useWallet } from "../wallet/WalletProvider";
import { Card, ConnectHint, Countdown, Empty, Field, KV, Loading } from "../components/ui";

export default function StakePage() {
  const wallet = useWallet();
  const launches = useLaunches(wallet.address);
  const portfolio = usePortfolio(wallet.address);
  const graduated = useMemo(() => (launches.data?.launches ?? []).filter((l) => l.status === "Graduated"), [launches.data]);
  const [pick, setPick] = useState<string | null>(null);
  const held = new Set([...(portfolio.data?.mt_balances ?? []).map((b) => b.token.toLowerCase()), ...(portfolio.data?.stakes ?? []).map((s) => s.token.toLowerCase())]);
  const ordered = [...graduated].sort((a, b) => Number(held.has(b.token.toLowerCase())) - Number(held.has(a.token.toLowerCase())));
  const token = pick ?? ordered[0]?.token ?? null;
  const launch = graduated.find((l) => l.token === token);

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Stake</h1>
          <p className="muted">Stake a Model Token on its deployment: it raises your share of that MT's daily rewards and unlocks an inference discount. Unstaking has a 7-day cooldown during which the stake earns and discounts nothing.</p>
        </div>
      </div>
      {!wallet.address && <ConnectHint />}
      {launches.isLoading && <Loading label="Loading Model Tokens…" />}
      {launches.data && graduated.length === 0 && <Empty testid="stake-empty">No Model Token has graduated yet: only graduated MT can be staked.</Empty>}
      {graduated.length > 0 && (
        <div className="field" style={{ maxWidth: 420 }}>
          <label htmlFor="stake-token">Model Token</label>
          <select id="stake-token" value={token ?? ""} onChange={(e) => setPick(e.target.value)} data-testid="stake-token">
            {ordered.map((l) => (
              <option key={l.token} value={l.token}>
                ${l.symbol} · {l.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {launch && wallet.address && <StakePanel token={launch.token as Address} symbol={launch.symbol} />}
    </div>
  );
}

function StakePanel({ token, symbol }: { token: Address; symbol: string }) {
  const wallet = useWallet();
  const platform = usePlatform();
  const tx = useTx();
  const now = useChainNow();
  const portfolio = usePortfolio(wallet.address);
  const balance = useTokenBalance(token, wallet.address);
  // The Staking contract's own figures when read (fresh right after a transaction), else the indexer's.
  const chain = useStakeChainState(token, wallet.address);
  const indexed = portfolio.data?.stakes.find((s) => s.token.toLowerCase() === token.toLowerCase());
  const active = chain.data?.active ?? big(indexed?.staked);
  const cooling = chain.data?.cooling ?? big(indexed?.cooling);
  const withdrawable = chain.data?.withdrawable ?? big(indexed?.withdrawable);
  const cooldownEnd = chain.data ? chain.data.cooldownEnd : (indexed?.cooldown_end ?? null);
  const cooldownLeft = cooldownEnd && cooling > 0n ? Math.max(0, cooldownEnd - (now ?? 0)) : null;
  const [stakeText, setStakeText] = useState("");
  const [unstakeText, setUnstakeText] = useState("");
  const staking = platform.info.contracts.Staking as Address;

  const stakeParsed = stakeText.trim() ? parseAmount(stakeText, 18) : null;
  const stakeError = !stakeParsed ? null : !stakeParsed.ok ? stakeParsed.error : balance.data !== undefined && stakeParsed.value > balance.data ? `That is more than your balance of ${formatMt(balance.data, symbol)}.` : null;
  const unstakeParsed = unstakeText.trim() ? parseAmount(unstakeText, 18) : null;
  const unstakeError = !unstakeParsed ? null : !unstakeParsed.ok ? unstakeParsed.error : unstakeParsed.value > active ? `That is more than your active stake of ${formatMt(active, symbol)}.` : null;
  const tier = discountBps(active);
  const next = nextDiscountTier(active);

  const doStake = () => {
    if (!stakeParsed?.ok || stakeError) return;
    const amount = stakeParsed.value;
    tx.review({
      title: `Stake $${symbol}`,
      summary: [
        { label: "Stake", value: formatMt(amount, symbol) },
        { label: "Discount after", value: formatBps(discountBps(active + amount)) },
      ],
      steps: [
        approveStep(token, staking, amount, `Approve ${formatMt(amount, symbol)} for Staking`, erc20Abi),
        { label: `Staking.stake(${symbol}, ${formatUnits(amount, 18)})`, contract: "Staking", call: () => ({ address: staking, abi: stakingAbi, functionName: "stake", args: [token, amount] }) },
      ],
      onConfirmed: () => setStakeText(""),
    });
  };
  const doUnstake = () => {
    if (!unstakeParsed?.ok || unstakeError) return;
    const amount = unstakeParsed.value;
    tx.review({
      title: `Request unstake of $${symbol}`,
      summary: [
        { label: "Moves to cooldown", value: formatMt(amount, symbol) },
        { label: "Cooldown", value: "7 days; it earns and discounts nothing meanwhile" },
        { label: "Discount after", value: formatBps(discountBps(active - amount)) },
      ],
      steps: [{ label: `Staking.request_unstake(${symbol}, ${formatUnits(amount, 18)})`, contract: "Staking", call: () => ({ address: staking, abi: stakingAbi, functionName: "request_unstake", args: [token, amount] }) }],
      onConfirmed: () => setUnstakeText(""),
    });
  };
  const doWithdraw = () =>
    tx.review({
      title: `Withdraw $${symbol}`,
      summary: [{ label: "You receive", value: formatMt(withdrawable, symbol) }],
      steps: [{ label: `Staking.withdraw(${symbol})`, contract: "Staking", call: () => ({ address: staking, abi: stakingAbi, functionName: "withdraw", args: [token] }) }],
    });

  return (
    <div className="grid cols-eq">
      <Card title="Your stake" testid="stake-summary">
        <KV
          items={[
            { label: "Wallet balance", value: balance.data !== undefined ? formatMt(balance.data, symbol) : "…", testid: "stake-wallet-balance" },
            { label: "Active stake", value: formatMt(active, symbol), testid: "stake-active" },
            { label: "In cooldown", value: formatMt(cooling, symbol) },
            { label: "Cooldown ends", value: cooldownLeft !== null ? <span data-testid="cooldown-left"><Countdown seconds={cooldownLeft} ended="ended: withdraw" /></span> : "—" },
            { label: "Withdrawable now", value: formatMt(withdrawable, symbol) },
          ]}
        />
        {cooldownEnd && cooling > 0n ? <p className="small muted">Unlocks at {formatTime(cooldownEnd)}.</p> : null}
        <button type="button" className="btn" disabled={withdrawable === 0n} onClick={doWithdraw} data-testid="withdraw-button">
          Withdraw {withdrawable > 0n ? formatMt(withdrawable, symbol) : ""}
        </button>
      </Card>
      <Card title="Inference discount" testid="discount-card">
        <p className="stat-big" data-testid="discount-tier">{formatBps(tier)} off</p>
        <p className="small">on requests to this deployment's model id, from your active stake.</p>
        {next ? (
          <p className="small" data-testid="next-tier">
            Next tier: {formatBps(next.bps)} at {formatMt(next.minStake, symbol)} staked ({formatMt(next.minStake - active, symbol)} more).
          </p>
        ) : (
          <p className="small">You are at the top tier.</p>
        )}
        <p className="small muted">Tiers: ≥1,000 MT 5% · ≥10,000 10% · ≥50,000 15% · ≥100,000 20% (hard cap 30%).</p>
      </Card>
      <Card title="Stake">
        <form className="col gap" onSubmit={(e) => { e.preventDefault(); doStake(); }} noValidate>
          <Field label={`Amount to stake (${symbol})`} value={stakeText} onChange={setStakeText} error={stakeError} suffix={symbol.slice(0, 8)} testid="stake-amount" />
          <button type="submit" className="btn primary" disabled={!stakeParsed?.ok || !!stakeError} data-testid="stake-submit">
            Review stake
          </button>
        </form>
      </Card>
      <Card title="Request unstake">
        <form className="col gap" onSubmit={(e) => { e.preventDefault(); doUnstake(); }} noValidate>
          <Field label={`Amount to unstake (${symbol})`} value={unstakeText} onChange={setUnstakeText} error={unstakeError} suffix={symbol.slice(0, 8)} testid="unstake-amount" hint="Starts a 7-day cooldown; withdraw afterwards." />
          <button type="submit" className="btn" disabled={!unstakeParsed?.ok || !!unstakeError} data-testid="unstake-submit">
            Review unstake request
          </button>
        </form>
      </Card>
    </div>
  );
}
