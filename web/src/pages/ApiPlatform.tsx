import { useEffect, useMemo, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { Address } from "viem";
import { ApiError, gateway } from "../lib/api";
import { creditOf, savedOf, usageTotals } from "../lib/gatewayMoney";
import { erc20Abi, paymentVaultAbi } from "../lib/abi";
import { formatBps, formatIsoUtc, formatNanoUsd, formatNanoUsdText, formatUsdc, parseAmount, USDC_DECIMALS } from "../lib/format";
import { usePlatform } from "../hooks/platform";
import { useGatewayBalance, useGatewayDiscounts, useGatewayKeys, useGatewayUsage, useTokenBalance } from "../hooks/queries";
import { useSiweSession } from "../hooks/useSiweSession";
import { approveStep, useTx } from "../tx/TxProvider";
import { useWallet } from "../wallet/WalletProvider";
import { Card, ConnectHint, Empty, Field, KV, Loading } from "../components/ui";
import { ModelTable } from "../components/ModelTable";
import { RequestLog } from "../components/RequestLog";
import { KeyLimit } from "../components/KeyLimit";
import { useGatewayModels } from "../hooks/useApiPlatform";

export default function ApiPlatform() {
  const wallet = useWallet();
  const siwe = useSiweSession();
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>API platform</h1>
          <p className="muted">OpenAI-compatible inference, paid from prepaid USDC credits. Sign in with your wallet to manage keys, credits and usage.</p>
        </div>
        {siwe.session && (
          <button type="button" className="btn ghost" onClick={siwe.signOut} data-testid="siwe-signout">
            Sign out
          </button>
        )}
      </div>
      {!wallet.address && <ConnectHint />}
      {wallet.address && !siwe.session && (
        <Card title="Sign in with Ethereum">
          <p>Sign a message (no transaction, no gas) to prove you own {wallet.address}. The gateway gives this tab a session.</p>
          <button type="button" className="btn primary" onClick={() => void siwe.signIn()} disabled={siwe.busy} data-testid="siwe-signin">
            {siwe.busy ? "Waiting for the signature…" : "Sign in with Ethereum"}
          </button>
          {siwe.error && <p className="error" role="alert" data-testid="siwe-error">{siwe.error}</p>}
        </Card>
      )}
      {wallet.address && siwe.session && <SessionGuard session={siwe.session} onExpired={siwe.signOut} />}
      {wallet.address && siwe.session && <Signed session={siwe.session} account={wallet.address} />}
    </div>
  );
}

/** An expired or revoked session (HTTP 401) sends the person back to "Sign in". */
function SessionGuard({ session, onExpired }: { session: string; onExpired: () => void }) {
  const keys = useGatewayKeys(session);
  const expired = keys.error instanceof ApiError && keys.error.status === 401;
  useEffect(() => {
    if (expired) onExpired();
  }, [expired, onExpired]);
  return null;
}

function Signed({ session, account }: { session: string; account: Address }) {
  const [newKey, setNewKey] = useState<string | null>(null);
  return (
    <div className="col gap">
      <div className="grid cols-eq">
        <CreditsCard session={session} account={account} />
        <KeysCard session={session} onCreated={setNewKey} newKey={newKey} />
      </div>
      <UsageCard session={session} />
      <RequestsCard session={session} />
      <ModelsCard session={session} apiKey={newKey} />
      <SnippetCard apiKey={newKey} />
    </div>
  );
}

function CreditsCard({ session, account }: { session: string; account: Address }) {
  const platform = usePlatform();
  const tx = useTx();
  const queryClient = useQueryClient();
  const balance = useGatewayBalance(session);
  const credit = balance.data ? creditOf(balance.data) : null;
  const usdc = (platform.info.contracts.USDC ?? null) as Address | null;
  const usdcBalance = useTokenBalance(usdc, account);
  const [text, setText] = useState("");
  const parsed = text.trim() ? parseAmount(text, USDC_DECIMALS) : null;
  const error = !parsed ? null : !parsed.ok ? parsed.error : usdcBalance.data !== undefined && parsed.value > usdcBalance.data ? `That is more than your balance of ${formatUsdc(usdcBalance.data)}.` : null;
  const deposit = () => {
    if (!parsed?.ok || error || !usdc) return;
    const vault = platform.address("PaymentVault");
    const amount = parsed.value;
    tx.review({
      title: "Deposit USDC for API credits",
      summary: [
        { label: "Deposit", value: formatUsdc(amount) },
        { label: "Credited to", value: account },
        { label: "When", value: "after the deposit's block is confirmed and indexed" },
      ],
      steps: [
        approveStep(usdc, vault, amount, `Approve ${formatUsdc(amount)} for the PaymentVault`, erc20Abi),
        { label: `PaymentVault.deposit(${account.slice(0, 8)}…, ${formatUsdc(amount)})`, contract: "PaymentVault", call: () => ({ address: vault, abi: paymentVaultAbi, functionName: "deposit", args: [account, amount] }) },
      ],
      onConfirmed: () => {
        setText("");
        void queryClient.invalidateQueries({ queryKey: ["gw", "balance"] });
      },
    });
  };
  return (
    <Card title="Credits" testid="credits-card">
      {balance.isLoading && <Loading label="Reading your credit balance…" />}
      {balance.error && <p className="error">{(balance.error as Error).message}</p>}
      {credit && (
        <>
          <p className="stat-big" data-testid="credit-balance">{formatNanoUsd(credit.balance)}</p>
          <KV
            items={[
              { label: "Held by requests in flight", value: formatNanoUsd(credit.held) },
              { label: "Available", value: formatNanoUsd(credit.available) },
            ]}
          />
        </>
      )}
      <form className="col gap" onSubmit={(e) => { e.preventDefault(); deposit(); }} noValidate>
        <Field label="Deposit USDC" value={text} onChange={setText} error={error} suffix="USDC" testid="deposit-amount" hint={usdcBalance.data !== undefined ? `Wallet: ${formatUsdc(usdcBalance.data)}` : undefined} />
        <button type="submit" className="btn primary" disabled={!parsed?.ok || !!error} data-testid="deposit-submit">
          Review deposit
        </button>
      </form>
    </Card>
  );
}

function KeysCard({ session, onCreated, newKey }: { session: string; onCreated: (k: string) => void; newKey: string | null }) {
  const keys = useGatewayKeys(session);
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const create = async () => {
    setError(null);
    try {
      const k = await gateway.createKey(session, name.trim());
      onCreated(k.key);
      setName("");
      setCopied(false);
      void queryClient.invalidateQueries({ queryKey: ["gw", "keys"] });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const revoke = async (id: number) => {
    if (!window.confirm("Revoke this key? Requests using it will fail from now on.")) return;
    try {
      await gateway.revokeKey(session, id);
      void queryClient.invalidateQueries({ queryKey: ["gw", "keys"] });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Card title="API keys" testid="keys-card">
      <form className="row gap wrap" onSubmit={(e) => { e.preventDefault(); void create(); }} style={{ alignItems: "flex-end" }}>
        <div style={{ flex: 1, minWidth: 180 }}>
          <Field label="New key name" value={name} onChange={setName} inputMode="text" testid="key-name" placeholder="my-agent" />
        </div>
        <button type="submit" className="btn primary" data-testid="key-create">
          Create key
        </button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {newKey && (
        <div className="col gap" data-testid="key-created">
          <p className="small">Your new key. It is shown once: copy it now.</p>
          <p className="secret" data-testid="new-key">{newKey}</p>
          <button type="button" className="btn small" onClick={() => void navigator.clipboard?.writeText(newKey).then(() => setCopied(true))}>
            {copied ? "Copied" : "Copy key"}
          </button>
        </div>
      )}
      {keys.data && keys.data.data.length === 0 && <Empty>No keys yet.</Empty>}
      {keys.data && keys.data.data.length > 0 && (
        <div className="table-wrap" tabIndex={0}>
          <table data-testid="keys-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Created</th>
                <th>State</th>
                <th>Spend limit</th>
                <th><span className="sr-only">Action</span></th>
              </tr>
            </thead>
            <tbody>
              {keys.data.data.map((k) => (
                <tr key={k.id}>
                  <td>{k.name || "—"}</td>
                  <td className="mono">{k.prefix}…</td>
                  <td>{formatIsoUtc(k.created_at)}</td>
                  <td>{k.revoked ? <span className="badge failed">revoked</span> : <span className="badge live">active</span>}</td>
                  <td>
                    <KeyLimit fields={k} testid={`key-limit-${k.id}`} />
                  </td>
                  <td>
                    {!k.revoked && (
                      <button type="button" className="btn small danger" onClick={() => void revoke(k.id)} data-testid={`key-revoke-${k.id}`} aria-label={`Revoke key ${k.name || k.prefix}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function UsageCard({ session }: { session: string }) {
  const usage = useGatewayUsage(session);
  const rows = useMemo(() => [...(usage.data?.data ?? [])].reverse(), [usage.data]);
  const totals = useMemo(() => usageTotals(rows), [rows]);
  return (
    <Card title="Usage, last 30 days" testid="usage-card">
      {usage.isLoading && <Loading label="Loading usage…" />}
      {usage.error && <p className="error">{(usage.error as Error).message}</p>}
      {usage.data && rows.length === 0 && <Empty testid="usage-empty">No requests yet. Create a key and call the API: usage appears here within seconds.</Empty>}
      {rows.length > 0 && (
        <>
          <KV
            items={[
              { label: "Requests", value: totals.requests.toString() },
              { label: "List price (gross)", value: formatNanoUsd(totals.gross) },
              { label: "Paid", value: formatNanoUsd(totals.paid), testid: "usage-paid-total" },
              { label: "Saved by stake discounts", value: formatNanoUsd(totals.saved) },
            ]}
          />
          <div className="table-wrap" tabIndex={0}>
            <table data-testid="usage-table">
              <thead>
                <tr>
                  <th>Day</th>
                  <th>Model</th>
                  <th className="num">Requests</th>
                  <th className="num">Input</th>
                  <th className="num">Cached</th>
                  <th className="num">Output</th>
                  <th className="num">Reasoning</th>
                  <th className="num">Gross</th>
                  <th className="num">Discount</th>
                  <th className="num">Paid</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.day}-${r.model}`}>
                    <td>{r.day}</td>
                    <td className="mono">{r.model}</td>
                    <td className="num">{r.requests}</td>
                    <td className="num">{r.input_tokens}</td>
                    <td className="num">{r.cached_input_tokens}</td>
                    <td className="num">{r.output_tokens}</td>
                    <td className="num">{r.reasoning_tokens}</td>
                    <td className="num">{formatNanoUsdText(r.gross_nano_usd)}</td>
                    <td className="num">{formatNanoUsd(savedOf(r))}</td>
                    <td className="num">{formatNanoUsdText(r.paid_nano_usd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Card>
  );
}

/** The per-request log; its model filter offers the ids this account has used (30 days). */
function RequestsCard({ session }: { session: string }) {
  const usage = useGatewayUsage(session);
  const models = useMemo(() => [...new Set((usage.data?.data ?? []).map((r) => r.model))].sort(), [usage.data]);
  return (
    <Card title="Requests" testid="requests-card">
      <RequestLog token={session} models={models} />
    </Card>
  );
}

function ModelsCard({ session, apiKey }: { session: string; apiKey: string | null }) {
  const discounts = useGatewayDiscounts(session);
  // /v1/models is served to API keys only: the key just created, or one pasted here.
  const [pasted, setPasted] = useState("");
  const key = apiKey ?? (pasted.trim().startsWith("sk-") ? pasted.trim() : null);
  const models = useGatewayModels(key);
  return (
    <Card title="Models and prices" testid="models-card">
      {!apiKey && (
        <Field
          label="API key to list the models with"
          value={pasted}
          onChange={setPasted}
          inputMode="text"
          testid="models-key"
          type="password"
          placeholder="sk-…"
          hint="The model list is served to API keys. Create a key above, or paste one; it stays in this tab."
          error={pasted.trim() && !pasted.trim().startsWith("sk-") ? "An API key starts with sk-." : null}
        />
      )}
      {models.isLoading && <Loading label="Loading models…" />}
      {models.error && <p className="error" role="alert">{(models.error as Error).message}</p>}
      {models.data && <ModelTable models={models.data.data} />}
      {models.data && <p className="small muted">USD per 1M tokens, exactly what the gateway charges before your stake discount; reasoning tokens are billed as output.</p>}
      {discounts.data && discounts.data.data.length > 0 && (
        <>
          <h3>Your discount per deployment</h3>
          <ul className="small">
            {discounts.data.data.map((d) => (
              <li key={d.model}>
                <span className="mono">{d.model}</span>: {formatBps(d.discount_bps)} off
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

function SnippetCard({ apiKey }: { apiKey: string | null }) {
  const base = `${window.location.origin}/v1`;
  const code = `from openai import OpenAI

client = OpenAI(base_url="${base}", api_key="${apiKey ? apiKey : "sk-…"}")
reply = client.chat.completions.create(
    model="qwen3-30b-a3b-instruct",
    messages=[{"role": "user", "content": "Hello!"}],
)
print(reply.choices[0].message.content)`;
  return (
    <Card title="Use it from Python" testid="snippet-card">
      <pre className="snippet" data-testid="openai-snippet">
        <code>{code}</code>
      </pre>
      <button type="button" className="btn small" onClick={() => void navigator.clipboard?.writeText(code)}>
        Copy snippet
      </button>
    </Card>
  );
}
