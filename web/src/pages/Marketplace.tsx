import { useMemo, useState } from "react";
import { Link } from "react-router-dom";
import type { LaunchSummary } from "../lib/api";
import { filterLaunches, flockText, launchFigures, sortLaunches, type Filter, type Sort } from "../lib/launchView";
import { useLaunches } from "../hooks/queries";
import { useChainNow } from "../hooks/useChainNow";
import { useWallet } from "../wallet/WalletProvider";
import { Countdown, Empty, Field, Loading, Problem, RaiseBar, Segmented, StatusBadge } from "../components/ui";

const FILTERS: { value: Filter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "Live", label: "Live" },
  { value: "Graduating", label: "Graduating" },
  { value: "Failed", label: "Failed" },
  { value: "Tradable", label: "Tradable" },
  { value: "Owned", label: "Owned" },
];

export default function Marketplace() {
  const wallet = useWallet();
  const launches = useLaunches(wallet.address);
  const now = useChainNow();
  const [filter, setFilter] = useState<Filter>("all");
  const [sort, setSort] = useState<Sort>("newest");
  const [search, setSearch] = useState("");
  const hasVolume = !!launches.data?.launches.some((l) => l.volume_flock !== undefined && l.volume_flock !== null);
  const shown = useMemo(() => sortLaunches(filterLaunches(launches.data?.launches ?? [], filter, search), sort), [launches.data, filter, search, sort]);

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Marketplace</h1>
          <p className="muted">Model Token launches: fair launches on a bonding curve, then tradable on the platform's DEX.</p>
        </div>
        <Link to="/launch" className="btn primary" data-testid="cta-launch">
          Launch a model
        </Link>
      </div>
      {launches.data && launches.data.total > 0 && <MarketStats launches={launches.data.launches} total={launches.data.total} />}
      <div className="toolbar">
        <Segmented label="Status filter" options={FILTERS} value={filter} onChange={setFilter} testid="filter" />
        <div className="toolbar-right">
          <Field label="Search" value={search} onChange={setSearch} placeholder="Name or ticker" inputMode="text" testid="search" />
          <div className="field">
            <label htmlFor="sort">Sort by</label>
            <select id="sort" value={sort} onChange={(e) => setSort(e.target.value as Sort)} data-testid="sort">
              <option value="newest">Newest</option>
              <option value="raised">Raised</option>
              <option value="volume" disabled={!hasVolume}>
                Volume{hasVolume ? "" : " (not indexed yet)"}
              </option>
            </select>
          </div>
        </div>
      </div>
      {filter === "Owned" && !wallet.address && <Empty>Connect a wallet to see the launches you created.</Empty>}
      {launches.isLoading && <Loading label="Loading launches…" />}
      {launches.error && <Problem title="Could not load launches">{(launches.error as Error).message}</Problem>}
      {launches.data && shown.length === 0 && (
        <Empty testid="market-empty">{launches.data.total === 0 ? "No launches yet. Be the first: launch a model." : "No launch matches this filter."}</Empty>
      )}
      {launches.data && launches.data.total > launches.data.launches.length && (
        <p className="small muted">
          Showing the newest {launches.data.launches.length} of {launches.data.total} launches; search and filters apply to these.
        </p>
      )}
      <ul className="grid cards" data-testid="launch-list" aria-label="Launches">
        {shown.map((l) => (
          <LaunchCard key={l.token} launch={l} now={now} />
        ))}
      </ul>
    </div>
  );
}

function LaunchCard({ launch: l, now }: { launch: LaunchSummary; now: number | null }) {
  const f = launchFigures(l, now);
  return (
    <li className="launch-card" data-testid={`launch-card-${l.symbol}`} data-token={l.token}>
      <Link to={`/token/${l.token}`} className="card-link">
        <div className="row between">
          <div className="token-id">
            {l.image_url ? <img src={l.image_url} alt="" className="avatar" loading="lazy" /> : <span className="avatar" aria-hidden="true">{l.symbol.slice(0, 2)}</span>}
            <div>
              <strong>{l.name}</strong>
              <div className="muted small">
                ${l.symbol} · {l.base_model ?? "model type " + l.model_type_id.slice(0, 10)}
              </div>
            </div>
          </div>
          <StatusBadge status={l.status} />
        </div>
        <RaiseBar progressMaxBps={l.progress_max_bps} minMarkBps={f.minMarkBps} label={`${l.symbol} raise progress`} />
        <dl className="card-kv">
          <div>
            <dt>Raised</dt>
            <dd>{flockText(f.raised)} FLOCK</dd>
          </div>
          <div>
            <dt>Price (FLOCK/MT)</dt>
            <dd>{f.priceText}</dd>
          </div>
          <div>
            <dt>Min · max raise</dt>
            <dd>
              {flockText(f.minRaise)} · {flockText(f.maxRaise)}
            </dd>
          </div>
          <div>
            <dt>{l.status === "Live" ? "Time left" : "State"}</dt>
            <dd>
              {l.status === "Live" ? <Countdown seconds={f.secondsLeft} /> : l.status === "Graduated" ? "on the DEX" : l.status === "Graduating" ? "ready to graduate" : "redeem open"}
            </dd>
          </div>
        </dl>
      </Link>
    </li>
  );
}

function MarketStats({ launches, total }: { launches: LaunchSummary[]; total: number }) {
  const count = (s: string) => launches.filter((l) => l.status === s).length;
  const raised = launches.reduce((sum, l) => sum + BigInt(l.raised), 0n);
  return (
    <dl className="stats" data-testid="market-stats">
      <div>
        <dt>Launches</dt>
        <dd>{total}</dd>
      </div>
      <div>
        <dt>Live</dt>
        <dd>{count("Live")}</dd>
      </div>
      <div>
        <dt>Tradable</dt>
        <dd>{count("Graduated")}</dd>
      </div>
      <div>
        <dt>Raised in total (principal)</dt>
        <dd>{flockText(raised)} FLOCK</dd>
      </div>
    </dl>
  );
}
