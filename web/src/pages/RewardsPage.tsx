import { useState } from "react";
import type { Address } from "viem";
import type { Explain } from "../lib/api";
import { distributorAbi } from "../lib/abi";
import { big, formatRatioPercent, formatUnits } from "../lib/format";
import { usePlatform } from "../hooks/platform";
import { isMissing, useDistributorRoots, useEarnedByDay, useEpochs, useExplain, useRewards } from "../hooks/queries";
import { useChainNow } from "../hooks/useChainNow";
import { formatTime } from "../lib/format";
import { useSymbols } from "../hooks/useSymbols";
import { useTx } from "../tx/TxProvider";
import { useWallet } from "../wallet/WalletProvider";
import { Card, ConnectHint, Empty, KV, Loading } from "../components/ui";

export default function RewardsPage() {
  const wallet = useWallet();
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Rewards</h1>
          <p className="muted">Daily FLOCK and MT rewards for real usage: each UTC day the epoch engine splits the emission and the reserved pools by usage, stake and gmFLOCK, and publishes a Merkle root you claim against.</p>
        </div>
      </div>
      {!wallet.address ? <ConnectHint /> : <RewardsFor account={wallet.address} />}
    </div>
  );
}

function RewardsFor({ account }: { account: Address }) {
  const platform = usePlatform();
  const tx = useTx();
  const symbol = useSymbols();
  const rewards = useRewards(account);
  const epochs = useEpochs();
  const [day, setDay] = useState<string | undefined>(undefined);
  const recent = (epochs.data?.epochs ?? []).slice(0, 14);
  const earned = useEarnedByDay(account, recent.map((e) => e.day));
  const claim = (c: { token: string; cumulative: string; claimable: string; proof: string[] }) => {
    const distributor = platform.address("RewardDistributor");
    const sym = symbol(c.token);
    tx.review({
      title: `Claim ${sym} rewards`,
      summary: [
        { label: "You receive", value: `${formatUnits(big(c.claimable), 18)} ${sym}` },
        { label: "Cumulative earned", value: `${formatUnits(big(c.cumulative), 18)} ${sym}` },
      ],
      steps: [
        {
          label: `RewardDistributor.claim(${sym}, cumulative ${formatUnits(big(c.cumulative), 18)})`,
          contract: "RewardDistributor",
          call: () => ({ address: distributor, abi: distributorAbi, functionName: "claim", args: [account, c.token as Address, big(c.cumulative), c.proof as `0x${string}`[]] }),
        },
      ],
    });
  };
  const claimable = (rewards.data?.claims ?? []).filter((c) => big(c.claimable) > 0n);
  const roots = useDistributorRoots();
  const now = useChainNow();
  const root = rewards.data?.root?.toLowerCase() ?? null;
  // Proofs verify only against the live root: while this epoch's root sits in its dispute window
  // (or is not proposed yet) a claim would revert, so the button waits and says until when.
  const rootLive = !!root && roots.data?.live === root;
  const rootPending = !!root && roots.data?.pending === root;
  return (
    <div className="col gap">
      <Card title="Claimable" testid="claimable-card">
        {rewards.isLoading && <Loading label="Loading your rewards…" />}
        {rewards.error && <Empty testid="rewards-empty">{isMissing(rewards.error) ? "No epoch has been published yet: rewards appear after the first UTC day with usage is settled." : (rewards.error as Error).message}</Empty>}
        {rewards.data && rewards.data.claims.length === 0 && <Empty testid="rewards-empty">Nothing earned yet as of epoch {rewards.data.epoch}. Use a deployment's model id and stake its MT to earn.</Empty>}
        {rewards.data && rewards.data.claims.length > 0 && (
          <>
            <p className="small muted">
              As of the live root for epoch {rewards.data.epoch}. The distributor pays one token per claim, so each token has its own button.
            </p>
            <div className="table-wrap" tabIndex={0}>
              <table data-testid="claims-table">
                <thead>
                  <tr>
                    <th>Token</th>
                    <th className="num">Earned (cumulative)</th>
                    <th className="num">Claimed</th>
                    <th className="num">Claimable</th>
                    <th><span className="sr-only">Action</span></th>
                  </tr>
                </thead>
                <tbody>
                  {rewards.data.claims.map((c) => (
                    <tr key={c.token}>
                      <td>{symbol(c.token)}</td>
                      <td className="num">{formatUnits(big(c.cumulative), 18)}</td>
                      <td className="num">{formatUnits(big(c.claimed), 18)}</td>
                      <td className="num" data-testid={`claimable-${symbol(c.token)}`}>{formatUnits(big(c.claimable), 18)}</td>
                      <td>
                        <button type="button" className="btn small primary" disabled={big(c.claimable) === 0n || !rootLive} onClick={() => claim(c)} data-testid={`claim-reward-${symbol(c.token)}`}>
                          Claim
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {claimable.length === 0 && <p className="small">Everything earned so far has been claimed.</p>}
            {claimable.length > 0 && !rootLive && roots.data && (
              <p className="notice warn" data-testid="root-pending">
                {rootPending
                  ? `This epoch's reward root is in its dispute window: claims open at ${formatTime(roots.data.activatesAt)}${now !== null && roots.data.activatesAt > now ? ` (in ${Math.ceil((roots.data.activatesAt - now) / 60)} min)` : ""}.`
                  : "This epoch's reward root is not on chain yet: claims open once it is proposed and its dispute window has passed."}
              </p>
            )}
          </>
        )}
      </Card>
      <Card
        title="Why did I earn this?"
        testid="explain-card"
        actions={
          epochs.data && epochs.data.epochs.length > 0 ? (
            <div className="field">
              <label htmlFor="explain-day">Epoch (UTC day)</label>
              <select id="explain-day" value={day ?? ""} onChange={(e) => setDay(e.target.value || undefined)} data-testid="explain-day">
                <option value="">Latest</option>
                {epochs.data.epochs.map((e) => (
                  <option key={e.epoch} value={e.day}>
                    {e.day} ({e.status})
                  </option>
                ))}
              </select>
            </div>
          ) : null
        }
      >
        <Explainer account={account} day={day} />
      </Card>
      <Card title="History per epoch" testid="history-card">
        {epochs.isLoading && <Loading label="Loading epochs…" />}
        {epochs.data && epochs.data.epochs.length === 0 && <Empty>No epoch has run yet.</Empty>}
        {epochs.data && epochs.data.epochs.length > 0 && (
          <div className="table-wrap" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th>Day</th>
                  <th>Status</th>
                  <th>You earned</th>
                  <th className="num">Emission paid (FLOCK)</th>
                  <th>Root</th>
                </tr>
              </thead>
              <tbody>
                {epochs.data.epochs.map((e) => (
                  <tr key={e.epoch}>
                    <td>
                      <button type="button" className="btn small ghost" onClick={() => setDay(e.day)} aria-label={`Explain ${e.day}`}>
                        {e.day}
                      </button>
                    </td>
                    <td>{e.status}</td>
                    <td className="mono small">{earnedText(earned[recent.indexOf(e)]?.data?.today, symbol)}</td>
                    <td className="num">{formatUnits(big(e.emission_paid), 18)}</td>
                    <td className="mono small">{e.root ? `${e.root.slice(0, 12)}…` : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}

/** The explainer's per-token amounts for a day as one line ("12.5 FLOCK, 3 ALPHA"). */
function earnedText(today: Record<string, string> | undefined, symbol: (t: string) => string): string {
  if (!today) return "—";
  const parts = Object.entries(today).filter(([, v]) => v !== "0").map(([t, v]) => `${v} ${t === "FLOCK" ? "FLOCK" : symbol(t)}`);
  return parts.length ? parts.join(", ") : "nothing";
}

const pct = (q: string | undefined) => (q === undefined ? "—" : formatRatioPercent(q));

function Explainer({ account, day }: { account: Address; day: string | undefined }) {
  const explain = useExplain(account, day);
  const symbol = useSymbols();
  if (explain.isLoading) return <Loading label="Asking the epoch engine…" />;
  if (explain.error) return <Empty>{isMissing(explain.error) ? "No epoch has been published yet." : (explain.error as Error).message}</Empty>;
  const e: Explain | undefined = explain.data;
  if (!e) return null;
  return (
    <div className="col gap" data-testid="explainer">
      <KV
        items={[
          { label: "Epoch", value: String(e.epoch) },
          { label: "Your spend that day", value: `$${e.spend_total_usd}` },
          { label: "Effective gmFLOCK", value: e.effective_gmflock },
          { label: "Season", value: String(e.season) },
          ...Object.entries(e.today).map(([t, v]) => ({ label: `Earned that day (${t === "FLOCK" ? "FLOCK" : symbol(t)})`, value: v })),
        ]}
      />
      {e.reasons.length > 0 && (
        <ul className="reasons" data-testid="explain-reasons">
          {e.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      {e.mts.map((m) => (
        <div key={m.token} className="quote" data-testid={`explain-mt-${symbol(m.token)}`}>
          <h3 style={{ marginTop: 0 }}>${symbol(m.token)}</h3>
          <KV
            items={[
              { label: "Usage share", value: pct(m.usage_share) },
              { label: "Stake share", value: pct(m.stake_share) },
              { label: "α (usage weight)", value: m.alpha },
              { label: "gmFLOCK multiplier", value: m.multiplier ?? "—" },
              { label: "Global FLOCK", value: m.global_flock ?? "0" },
              { label: "Reserved FLOCK", value: m.reserved_flock ?? "0" },
              { label: "MT reward", value: m.mt_reward ?? "0" },
              ...(m.issuer_bonus ? [{ label: "Issuer bonus", value: m.issuer_bonus }] : []),
            ]}
          />
          {m.reasons.length > 0 && (
            <ul className="reasons">
              {m.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </div>
  );
}
