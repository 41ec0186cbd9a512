// One page of the gateway's per-request log with a model filter and Previous / Next. The rows
// are the very records the credit is charged from; money is nano-USD text, formatted exactly.
import { useState } from "react";
import { useRequestLog } from "../hooks/useApiPlatform";
import { formatBps, formatIsoUtc, formatNanoUsdText } from "../lib/format";
import { Empty, Loading } from "./ui";

export const REQUEST_PAGE_SIZE = 20;

export function RequestLog({ token, models }: { token: string; models: string[] }) {
  const [model, setModel] = useState("");
  const [offset, setOffset] = useState(0);
  const log = useRequestLog(token, { limit: REQUEST_PAGE_SIZE, offset, model: model || undefined });
  const page = log.data;
  const choose = (m: string) => {
    setModel(m);
    setOffset(0); // a new filter starts at its newest request
  };
  return (
    <div className="col gap" data-testid="requests-log">
      <div className="field" style={{ maxWidth: 420 }}>
        <label htmlFor="requests-model">Model</label>
        <select id="requests-model" value={model} onChange={(e) => choose(e.target.value)} data-testid="requests-model-filter">
          <option value="">All models</option>
          {models.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </div>
      {log.isLoading && <Loading label="Loading requests…" />}
      {log.error && <p className="error" role="alert">{(log.error as Error).message}</p>}
      {page && page.data.length === 0 && (
        <Empty testid="requests-empty">{offset > 0 ? "No more requests." : model ? "No requests to this model yet." : "No requests yet."}</Empty>
      )}
      {page && page.data.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Requests, newest first">
          <table data-testid="requests-table">
            <caption className="sr-only">Requests, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Model</th>
                <th scope="col">Key</th>
                <th scope="col" className="num">Input</th>
                <th scope="col" className="num">Cached</th>
                <th scope="col" className="num">Output</th>
                <th scope="col" className="num">Gross</th>
                <th scope="col" className="num">Discount</th>
                <th scope="col" className="num">Paid</th>
                <th scope="col" className="num">Latency</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {page.data.map((r) => (
                <tr key={r.request_id} data-testid="request-row" data-request-id={r.request_id} data-model={r.model} data-paid-nano-usd={r.paid_nano_usd}>
                  <td>{formatIsoUtc(r.created_at, true)}</td>
                  <td className="mono" data-testid="request-model">{r.model}</td>
                  <td>{r.key_id ?? "session"}</td>
                  <td className="num">{r.input_tokens}{r.estimated ? "*" : ""}</td>
                  <td className="num">{r.cached_input_tokens}</td>
                  <td className="num">{r.output_tokens}{r.reasoning_tokens ? ` (${r.reasoning_tokens} reasoning)` : ""}</td>
                  <td className="num">{formatNanoUsdText(r.gross_nano_usd)}</td>
                  <td className="num">{r.discount_bps ? `${formatBps(r.discount_bps)} · ${formatNanoUsdText(r.discount_nano_usd)}` : "—"}</td>
                  <td className="num" data-testid="request-paid">{formatNanoUsdText(r.paid_nano_usd)}</td>
                  <td className="num">{r.latency_ms} ms</td>
                  <td>
                    {r.status}
                    {r.cut ? " cut" : ""}
                    {r.charged ? "" : " · not charged"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && page.data.some((r) => r.estimated) && <p className="small muted">* tokens counted by the gateway: the model sent no usage.</p>}
      {page && (offset > 0 || page.has_more) && (
        <nav className="row gap between" aria-label="Request log pages">
          <button type="button" className="btn small" onClick={() => setOffset(Math.max(0, offset - REQUEST_PAGE_SIZE))} disabled={offset === 0} data-testid="requests-prev">
            Previous
          </button>
          <span className="small muted" data-testid="requests-page" aria-live="polite">
            {page.data.length ? `Requests ${offset + 1}–${offset + page.data.length}` : ""}
          </span>
          <button type="button" className="btn small" onClick={() => setOffset(offset + REQUEST_PAGE_SIZE)} disabled={!page.has_more} data-testid="requests-next">
            Next
          </button>
        </nav>
      )}
    </div>
  );
}
