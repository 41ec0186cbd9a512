import { lazy, Suspense, useMemo } from "react";
import { big, formatFlock, formatNanoUsd, formatUnits, formatUsdc } from "../lib/format";
import { isMissing, useBurns, useProtocolDays } from "../hooks/queries";
import { Card, Empty, KV, Loading } from "../components/ui";

const LineChart = lazy(() => import("../components/LineChart"));

const toTime = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000);
/** Chart values only (a picture); the table shows the exact amounts. */
const approx = (v: bigint, decimals: number) => Number(v / 10n ** BigInt(Math.max(0, decimals - 6))) / 1e6;

export default function ProtocolPage() {
  const days = useProtocolDays();
  const burns = useBurns();
  const rows = useMemo(() => [...(days.data?.days ?? [])].sort((a, b) => a.day - b.day), [days.data]);
  const totals = useMemo(
    () => ({
      paid: rows.reduce((s, d) => s + big(d.revenue_paid_nano_usd), 0n),
      gross: rows.reduce((s, d) => s + big(d.gross_nano_usd), 0n),
      settled: rows.reduce((s, d) => s + big(d.settled_usdc), 0n),
      flockBurned: rows.reduce((s, d) => s + big(d.flock_burned), 0n),
      emission: rows.reduce((s, d) => s + big(d.emission_flock), 0n),
    }),
    [rows],
  );
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Protocol</h1>
          <p className="muted">The value loop: paid inference revenue is settled in USDC, 30% buys back and burns FLOCK, 30% buys back and burns each MT, 30% goes to the treasury, 10% to the issuer; daily FLOCK emissions reward real usage.</p>
        </div>
      </div>
      {days.isLoading && <Loading label="Loading protocol history…" />}
      {days.error && <Empty testid="protocol-empty">{isMissing(days.error) ? "Per-day protocol figures are not served by this platform version yet." : (days.error as Error).message}</Empty>}
      {days.data && rows.length === 0 && <Empty testid="protocol-empty">No epoch has been settled yet: revenue, buybacks, burns and emissions appear here day by day.</Empty>}
      {rows.length > 0 && (
        <>
          <Card title="Totals" testid="protocol-totals">
            <KV
              items={[
                { label: "Revenue paid", value: formatNanoUsd(totals.paid) },
                { label: "Gross (list price)", value: formatNanoUsd(totals.gross) },
                { label: "Settled to the router", value: formatUsdc(totals.settled) },
                { label: "FLOCK burned", value: formatFlock(totals.flockBurned) },
                { label: "FLOCK emitted", value: formatFlock(totals.emission) },
              ]}
            />
          </Card>
          <Suspense fallback={<Loading label="Loading charts…" />}>
            <div className="grid cols-eq">
              <Card title="Revenue per day (USD)">
                <LineChart
                  small
                  label="Revenue paid and gross per day"
                  series={[
                    { name: "paid", color: "#2fd08a", kind: "histogram", points: rows.map((d) => ({ time: toTime(d.date), value: approx(big(d.revenue_paid_nano_usd), 9) })) },
                    { name: "gross", color: "#7c5cff", points: rows.map((d) => ({ time: toTime(d.date), value: approx(big(d.gross_nano_usd), 9) })) },
                  ]}
                />
              </Card>
              <Card title="FLOCK burned and emitted per day">
                <LineChart
                  small
                  label="FLOCK burned and emitted per day"
                  series={[
                    { name: "burned", color: "#ff5d6c", kind: "histogram", points: rows.map((d) => ({ time: toTime(d.date), value: approx(big(d.flock_burned), 18) })) },
                    { name: "emitted", color: "#4cc3ff", points: rows.map((d) => ({ time: toTime(d.date), value: approx(big(d.emission_flock), 18) })) },
                  ]}
                />
              </Card>
            </div>
          </Suspense>
          <Card title="Per day">
            <div className="table-wrap" tabIndex={0}>
              <table data-testid="protocol-days">
                <thead>
                  <tr>
                    <th>Day</th>
                    <th className="num">Revenue paid</th>
                    <th className="num">Settled USDC</th>
                    <th className="num">FLOCK burned</th>
                    <th>MT burned</th>
                    <th className="num">FLOCK emitted</th>
                  </tr>
                </thead>
                <tbody>
                  {[...rows].reverse().map((d) => (
                    <tr key={d.day}>
                      <td>{d.date}</td>
                      <td className="num">{formatNanoUsd(big(d.revenue_paid_nano_usd))}</td>
                      <td className="num">{formatUnits(big(d.settled_usdc), 6)}</td>
                      <td className="num">{formatUnits(big(d.flock_burned), 18)}</td>
                      <td>{d.mt_burned.length ? d.mt_burned.map((m) => `${formatUnits(big(m.amount), 18)} ${m.symbol}`).join(", ") : "—"}</td>
                      <td className="num">{formatUnits(big(d.emission_flock), 18)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        </>
      )}
      <Card title="Burns to date" testid="burn-totals">
        {burns.isLoading && <Loading label="Loading burns…" />}
        {burns.error && <Empty>{isMissing(burns.error) ? "Burn totals are not served by this platform version yet." : (burns.error as Error).message}</Empty>}
        {burns.data && burns.data.totals.length === 0 && <Empty>Nothing burned yet.</Empty>}
        {burns.data && burns.data.totals.length > 0 && (
          <KV items={burns.data.totals.map((t) => ({ label: t.symbol, value: formatUnits(big(t.burned), 18) }))} />
        )}
      </Card>
    </div>
  );
}
