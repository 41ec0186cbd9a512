// The gateway's model list with what each model costs per 1M tokens (exact, from the integer
// nano-USD per token the gateway charges) and, for a deployment, its Model Token page.
import { Link } from "react-router-dom";
import type { GatewayModel } from "../lib/api";
import { formatNanoUsdPerMillion } from "../lib/format";

function price(nanoPerToken: string | undefined): string {
  return nanoPerToken === undefined ? "—" : formatNanoUsdPerMillion(BigInt(nanoPerToken));
}

export function ModelTable({ models }: { models: GatewayModel[] }) {
  // Deployments first (the models this platform launched), then base ids; each by id.
  const rows = [...models].sort((a, b) => Number(!a.deployment) - Number(!b.deployment) || a.id.localeCompare(b.id));
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Models and prices per 1M tokens">
      <table data-testid="models-table">
        <caption className="sr-only">Models and prices in USD per 1M tokens</caption>
        <thead>
          <tr>
            <th scope="col">Model id</th>
            <th scope="col">Deployment</th>
            <th scope="col" className="num">Input / 1M</th>
            <th scope="col" className="num">Cached input / 1M</th>
            <th scope="col" className="num">Output / 1M</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.id} data-testid={`model-row-${m.id}`} data-model={m.id}>
              <td className="mono">{m.id}</td>
              <td>
                {m.deployment ? (
                  <Link to={`/token/${m.deployment.token}`} aria-label={`Model Token page of ${m.deployment.ticker || m.deployment.token}`}>
                    {m.deployment.ticker ? `$${m.deployment.ticker}` : `${m.deployment.token.slice(0, 10)}…`}
                  </Link>
                ) : (
                  <span className="muted">base model</span>
                )}
              </td>
              <td className="num" data-testid="model-price-input">{price(m.pricing?.input_nano_usd_per_token)}</td>
              <td className="num" data-testid="model-price-cached">{price(m.pricing?.cached_input_nano_usd_per_token)}</td>
              <td className="num" data-testid="model-price-output">{price(m.pricing?.output_nano_usd_per_token)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
