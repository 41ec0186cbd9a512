import { lazy, Suspense, useState } from "react";
import { Link, useParams } from "react-router-dom";
import type { Candle, LaunchDetail } from "../lib/api";
import { big, formatBps, formatFlock, formatMt, formatPrice, formatTime, formatUnits, formatWhole, priceChangePercent } from "../lib/format";
import { flockText, launchFigures } from "../lib/launchView";
import { isMissing, useBurns, useCandles, useHolders, useLaunch, usePortfolio, usePurchases, useTrades } from "../hooks/queries";
import { useChainNow } from "../hooks/useChainNow";
import { useWallet } from "../wallet/WalletProvider";
import { usePlatform } from "../hooks/platform";
import { useTx } from "../tx/TxProvider";
import { vestingAbi } from "../lib/abi";
import { Addr, Card, Countdown, Empty, KV, Loading, Problem, RaiseBar, Segmented, StatusBadge } from "../components/ui";
import { BuyForm } from "../components/BuyForm";
import { SwapForm } from "../components/SwapForm";
import { LaunchActions } from "../components/LaunchActions";
import { ErrorBoundary } from "../components/ErrorBoundary";

const PriceChart = lazy(() => import("../components/PriceChart"));

const VESTING_CLIFF = 90 * 86400;
const VESTING_DURATION = 365 * 86400;

export default function TokenPage() {
  const { token } = useParams();
  const launch = useLaunch(token);
  if (launch.isLoading) return <Loading label="Loading the launch…" />;
  if (launch.error) return <Problem title="Could not load this launch">{(launch.error as Error).message}</Problem>;
  if (!launch.data) return null;
  return <TokenView l={launch.data} />;
}

function TokenView({ l }: { l: LaunchDetail }) {
  const wallet = useWallet();
  const now = useChainNow();
  const portfolio = usePortfolio(wallet.address);
  const pledge = portfolio.data?.pledges.find((p) => p.token.toLowerCase() === l.token.toLowerCase());
  const f = launchFigures(l, now);
  const graduated = l.status === "Graduated";
  return (
    <div className="page" data-testid="token-page" data-status={l.status}>
      <div className="page-head">
        <div className="token-id">
          {l.image_url ? <img src={l.image_url} alt="" className="avatar lg" /> : <span className="avatar lg" aria-hidden="true">{l.symbol.slice(0, 2)}</span>}
          <div>
            <h1>
              {l.name} <span className="muted">${l.symbol}</span>
            </h1>
            <div className="row gap wrap small">
              <StatusBadge status={l.status} />
              <span className="muted">{l.base_model ?? "model type"}</span>
              <span className="muted">
                creator <Addr address={l.creator} />
              </span>
              <span className="muted">
                token <Addr address={l.token} />
              </span>
            </div>
          </div>
        </div>
        <Link to="/" className="btn ghost">
          ← Marketplace
        </Link>
      </div>
      {l.description && <p className="muted">{l.description}</p>}
      {l.links && l.links.length > 0 && (
        <ul className="row gap wrap small" aria-label="Links">
          {l.links.map((u) => (
            <li key={u} style={{ listStyle: "none" }}>
              <a href={u} rel="noopener noreferrer nofollow" target="_blank">
                {u}
              </a>
            </li>
          ))}
        </ul>
      )}
      <div className="grid cols-2 token-grid">
        <div className="col gap">
          <Card title="Fundraise" testid="raise-card" className="o-raise">
            <RaiseBar progressMaxBps={l.progress_max_bps} minMarkBps={f.minMarkBps} label="Raise progress toward the maximum" testid="progress-bar" />
            <KV
              items={[
                { label: "Raised (principal)", value: `${flockText(f.raised)} FLOCK`, testid: "raised-amount" },
                { label: "Minimum raise", value: `${flockText(f.minRaise)} FLOCK` },
                { label: "Maximum raise", value: `${flockText(f.maxRaise)} FLOCK` },
                { label: "Toward minimum", value: formatBps(l.progress_min_bps), testid: "progress-min" },
                { label: "Toward maximum", value: formatBps(l.progress_max_bps), testid: "progress-max" },
                { label: "MT sold", value: `${formatUnits(big(l.mt_sold), 18)} of ${formatUnits(big(l.sale_supply), 18)}` },
                { label: "Buyers", value: String(l.buyers) },
                { label: l.status === "Live" ? "Time left" : "Sale ended", value: l.status === "Live" ? <span data-testid="time-left"><Countdown seconds={f.secondsLeft} /></span> : formatTime(l.sale_end) },
                { label: graduated ? "Pool price" : "Curve price", value: `${formatPrice(l.price_flock_per_mt)} FLOCK/MT`, testid: "price" },
              ]}
            />
          </Card>
          <ChartCard l={l} />
          <ActivityCard l={l} />
        </div>
        <div className="col gap">
          <Card title={l.status === "Live" ? "Buy" : graduated ? "Trade" : "Actions"} testid="action-card" className="o-action">
            {l.status === "Live" && <BuyForm launch={l} />}
            <LaunchActions launch={l} pledge={pledge} />
            {graduated && l.pair && <SwapForm launch={l} />}
            {graduated && !l.pair && <Empty>The DEX pair is not indexed yet.</Empty>}
          </Card>
          {wallet.address && pledge && (
            <Card title="Your position" testid="position-card" className="o-position">
              <KV
                items={[
                  { label: "Paid (fees included)", value: formatFlock(big(pledge.flock_paid)) },
                  { label: "Principal", value: formatFlock(big(pledge.principal)) },
                  { label: "MT allocated", value: formatMt(big(pledge.mt_allocated), l.symbol), testid: "my-allocation" },
                  { label: "Claimed", value: formatMt(big(pledge.claimed_mt), l.symbol) },
                  ...(l.status === "Failed" ? [{ label: "Redeemable", value: formatFlock(big(pledge.redeemable_flock)) }] : []),
                ]}
              />
            </Card>
          )}
          {l.status !== "Failed" && <VestingCard l={l} />}
          {graduated && <BurnsCard token={l.token} symbol={l.symbol} />}
          <Card title="Launch economics">
            <KV
              items={[
                { label: "Gross FLOCK in", value: formatFlock(big(l.totals.flock_in)) },
                { label: "Protocol fees", value: formatFlock(big(l.totals.protocol_fees)) },
                { label: "Creator fees", value: formatFlock(big(l.totals.creator_fees)) },
                { label: "Anti-sniper fees", value: formatFlock(big(l.totals.anti_sniper_fees)) },
                ...(l.curve ? [{ label: "Split at graduation", value: `LP ${formatBps(l.curve.lp_bps)} · reserved ${formatBps(l.curve.reserved_bps)} · protocol ${formatBps(10000 - l.curve.lp_bps - l.curve.reserved_bps)}` }] : []),
                { label: "Bundled first buy", value: l.is_bundled ? "yes" : "no" },
              ]}
            />
          </Card>
        </div>
      </div>
    </div>
  );
}

function ChartCard({ l }: { l: LaunchDetail }) {
  const [interval, setInterval] = useState("300");
  const source = l.status === "Graduated" ? "pool" : "curve";
  const candles = useCandles(l.token, source, Number(interval));
  return (
    <Card
      title={source === "pool" ? "Pool price (FLOCK per MT)" : "Curve price (FLOCK per MT)"}
      actions={
        <Segmented
          label="Candle interval"
          options={[
            { value: "60", label: "1m" },
            { value: "300", label: "5m" },
            { value: "3600", label: "1h" },
            { value: "86400", label: "1d" },
          ]}
          value={interval}
          onChange={setInterval}
          testid="chart-interval"
        />
      }
    >
      {candles.isLoading && <Loading label="Loading candles…" />}
      {candles.error && <Empty>{isMissing(candles.error) ? "Price history is not available on this platform version yet." : (candles.error as Error).message}</Empty>}
      {candles.data && candles.data.candles.length === 0 && <Empty>No trades yet, so no price history.</Empty>}
      {candles.data && candles.data.candles.length > 0 && (
        <ErrorBoundary what="price chart">
          <Suspense fallback={<Loading label="Loading chart…" />}>
            <PriceChart candles={candles.data.candles} label={`${l.symbol} ${source} price chart`} />
          </Suspense>
        </ErrorBoundary>
      )}
      {candles.data && candles.data.candles.length > 0 && <PriceChangeLine candles={candles.data.candles} />}
    </Card>
  );
}

/** The chart's axis is auto-scaled, so a tiny move can fill the panel: say its real size. */
function PriceChangeLine({ candles }: { candles: Candle[] }) {
  const first = candles[0].open;
  const last = candles[candles.length - 1].close;
  const change = priceChangePercent(first, last);
  return (
    <p className="muted" data-testid="price-change">
      From {formatPrice(first)} to {formatPrice(last)} FLOCK{change ? ` (${change})` : ""} over the period shown; the axis is scaled to fit.
    </p>
  );
}

function ActivityCard({ l }: { l: LaunchDetail }) {
  const [tab, setTab] = useState<"purchases" | "trades" | "holders">("purchases");
  return (
    <Card title="Activity" actions={<Segmented label="Activity view" options={[{ value: "purchases", label: "Purchases" }, { value: "trades", label: "Trades" }, { value: "holders", label: "Holders" }]} value={tab} onChange={setTab} testid="activity-tab" />}>
      {tab === "purchases" && <PurchasesTable l={l} />}
      {tab === "trades" && <TradesTable l={l} />}
      {tab === "holders" && <HoldersTable l={l} />}
    </Card>
  );
}

function PurchasesTable({ l }: { l: LaunchDetail }) {
  const purchases = usePurchases(l.token);
  if (purchases.isLoading) return <Loading label="Loading purchases…" />;
  if (purchases.error) return <Empty>{(purchases.error as Error).message}</Empty>;
  const rows = [...(purchases.data?.purchases ?? [])].reverse();
  if (rows.length === 0) return <Empty testid="purchases-empty">No purchases yet.</Empty>;
  return (
    <div className="table-wrap" tabIndex={0}>
      <table data-testid="purchases-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Buyer</th>
            <th className="num">Paid (FLOCK)</th>
            <th className="num">Principal</th>
            <th className="num">MT allocated (whole)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={`${p.tx_hash}-${p.log_index}`}>
              <td>{formatTime(p.block_time)}</td>
              <td>
                <Addr address={p.buyer} />
              </td>
              <td className="num">{formatUnits(big(p.flock_in), 18)}</td>
              <td className="num">{formatUnits(big(p.net_used), 18)}</td>
              <td className="num" title={`${formatUnits(big(p.mt_allocated), 18)} ${l.symbol} (exact)`}>{formatWhole(big(p.mt_allocated), 18)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const KIND: Record<string, string> = { curve_buy: "Curve buy", pool_buy: "DEX buy", pool_sell: "DEX sell" };

function TradesTable({ l }: { l: LaunchDetail }) {
  const trades = useTrades(l.token);
  if (trades.isLoading) return <Loading label="Loading trades…" />;
  if (trades.error) return <Empty>{isMissing(trades.error) ? "Trades are not available on this platform version yet." : (trades.error as Error).message}</Empty>;
  const rows = trades.data?.trades ?? [];
  if (rows.length === 0) return <Empty>No trades yet.</Empty>;
  return (
    <div className="table-wrap" tabIndex={0}>
      <table data-testid="trades-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Kind</th>
            <th>Account</th>
            <th className="num">FLOCK</th>
            <th className="num">MT</th>
            <th className="num">Price</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={`${t.tx_hash}-${t.log_index}`}>
              <td>{formatTime(t.block_time)}</td>
              <td>{KIND[t.kind] ?? t.kind}</td>
              <td>
                <Addr address={t.account} />
              </td>
              <td className="num">{formatUnits(big(t.flock), 18)}</td>
              <td className="num">{formatUnits(big(t.mt), 18)}</td>
              <td className="num">{formatPrice(t.price_flock_per_mt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HoldersTable({ l }: { l: LaunchDetail }) {
  const holders = useHolders(l.token);
  if (holders.isLoading) return <Loading label="Loading holders…" />;
  if (holders.error) return <Empty>{isMissing(holders.error) ? "Holders are not available on this platform version yet." : (holders.error as Error).message}</Empty>;
  const rows = holders.data?.holders ?? [];
  if (rows.length === 0) return <Empty>{l.status === "Graduated" ? "No holders indexed yet." : "MT is minted at graduation; until then there are pledges, not holders."}</Empty>;
  return (
    <div className="table-wrap" tabIndex={0}>
      <table data-testid="holders-table">
        <thead>
          <tr>
            <th>Holder</th>
            <th className="num">Balance</th>
            <th className="num">Share</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((h) => (
            <tr key={h.account}>
              <td>
                <Addr address={h.account} /> {h.label && <span className="badge">{h.label}</span>}
              </td>
              <td className="num">{formatUnits(big(h.balance), 18)}</td>
              <td className="num">{formatBps(h.share_bps)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function VestingCard({ l }: { l: LaunchDetail }) {
  const now = useChainNow();
  const wallet = useWallet();
  const portfolio = usePortfolio(wallet.address);
  const platform = usePlatform();
  const tx = useTx();
  const mine = (portfolio.data?.vesting ?? []).filter((v) => v.token.toLowerCase() === l.token.toLowerCase());
  const g = l.graduation;
  if (!g) {
    return (
      <Card title="Issuer vesting">
        <p className="small muted">At graduation the issuer's 100,000 MT (10% of supply) goes into vesting: nothing before a 90-day cliff, then linear until day 365.</p>
      </Card>
    );
  }
  const start = g.block_time;
  const amount = 100_000n * 10n ** 18n;
  const t = now ?? start;
  // Vesting.vested: nothing before the cliff, linear from start to end, all after end.
  const vested = t < start + VESTING_CLIFF ? 0n : t >= start + VESTING_DURATION ? amount : (amount * BigInt(t - start)) / BigInt(VESTING_DURATION);
  return (
    <Card title="Issuer vesting" testid="vesting-card">
      <KV
        items={[
          { label: "Issuer allocation", value: formatMt(amount, l.symbol) },
          { label: "Cliff ends", value: formatTime(start + VESTING_CLIFF) },
          { label: "Fully vested", value: formatTime(start + VESTING_DURATION) },
          { label: "Vested now", value: formatMt(vested, l.symbol) },
          { label: "Schedule id", value: String(g.issuer_vesting_id) },
        ]}
      />
      {mine.map((v) => (
        <div key={v.schedule_id} className="quote">
          <h3 style={{ marginTop: 0 }}>Your schedule #{v.schedule_id}</h3>
          <KV
            items={[
              { label: "Amount", value: formatMt(big(v.amount), l.symbol) },
              { label: "Vested", value: formatMt(big(v.vested), l.symbol) },
              { label: "Released", value: formatMt(big(v.released), l.symbol) },
              { label: "Releasable now", value: formatMt(big(v.releasable), l.symbol) },
            ]}
          />
          <button
            type="button"
            className="btn"
            disabled={big(v.releasable) === 0n}
            data-testid="release-button"
            onClick={() => {
              const vesting = platform.address("Vesting");
              tx.review({
                title: `Release vested $${l.symbol}`,
                summary: [{ label: "You receive", value: formatMt(big(v.releasable), l.symbol) }],
                steps: [{ label: `Vesting.release(${v.schedule_id})`, contract: "Vesting", call: () => ({ address: vesting, abi: vestingAbi, functionName: "release", args: [BigInt(v.schedule_id)] }) }],
              });
            }}
          >
            {big(v.releasable) === 0n ? (now !== null && now < v.cliff_end ? `Nothing before the cliff (${formatTime(v.cliff_end)})` : "Nothing to release yet") : `Release ${formatMt(big(v.releasable), l.symbol)}`}
          </button>
        </div>
      ))}
    </Card>
  );
}

function BurnsCard({ token, symbol }: { token: string; symbol: string }) {
  const burns = useBurns(token);
  return (
    <Card title="Burns to date" testid="burns-card">
      {burns.isLoading && <Loading label="Loading burns…" />}
      {burns.error && <Empty>{isMissing(burns.error) ? "Burns are not available on this platform version yet." : (burns.error as Error).message}</Empty>}
      {burns.data && (
        <>
          <p className="stat-big">{formatMt(big(burns.data.totals.find((t) => t.token.toLowerCase() === token.toLowerCase())?.burned), symbol)}</p>
          {burns.data.burns.length === 0 ? <Empty>No buyback burns yet.</Empty> : (
            <ul className="small">
              {burns.data.burns.slice(0, 10).map((b) => (
                <li key={b.tx_hash + b.amount}>
                  {formatTime(b.block_time)}: {formatUnits(big(b.amount), 18)} {b.symbol}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Card>
  );
}
