// Typed access to the platform's read API (/api) and gateway (/v1), same origin. Amounts stay
// decimal strings here; hooks and the format module turn them into bigint and text.
import type { SpendLimitFields } from "./spendLimit";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The error body's sentence (FastAPI `detail`, OpenAI-style `error.message`) or a generic one. */
function sentenceOf(status: number, body: unknown): string {
  const b = body as { detail?: unknown; error?: { message?: string } } | null;
  if (b && typeof b.detail === "string") return b.detail;
  if (b && b.error && typeof b.error.message === "string") return b.error.message;
  if (status === 404) return "Not found.";
  return `The platform answered HTTP ${status}.`;
}

export async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { Accept: "application/json", ...(init?.headers ?? {}) } });
  } catch {
    throw new ApiError("The platform did not answer; is `fomo up` running?", 0);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) throw new ApiError(sentenceOf(res.status, body), res.status);
  return body as T;
}

export function postJson<T>(path: string, payload: unknown, headers: Record<string, string> = {}): Promise<T> {
  return getJson<T>(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(payload),
  });
}

// ---- read API types -------------------------------------------------------------------------

export type Status = "Live" | "Failed" | "Graduating" | "Graduated";

export interface Info {
  version: string;
  chain_id: number;
  rpc_url: string;
  contracts: Record<string, string>;
  deployment_block: number | null;
}

export interface LaunchSummary {
  token: string;
  name: string;
  symbol: string;
  creator: string;
  model_type_id: string;
  base_model: string | null;
  status: Status;
  owned: boolean;
  raised: string;
  min_raise: string;
  max_raise: string;
  progress_min_bps: number;
  progress_max_bps: number;
  sale_supply: string;
  mt_sold: string;
  buyers: number;
  is_bundled: boolean;
  price_flock_per_mt: string | null;
  price_source: "curve" | "dex" | null;
  tax_bps: number | null;
  sale_start: number;
  sale_end: number;
  seconds_left: number;
  chain_time: number | null;
  pair: string | null;
  graduated_time: number | null;
  created_block: number;
  created_tx: string;
  // Added by the metadata work; null or absent until it lands.
  description?: string | null;
  image_url?: string | null;
  links?: string[] | null;
  /** FLOCK traded, base units: purchases' gross FLOCK in plus the pool swaps' FLOCK side. */
  volume_flock: string;
}

export interface LaunchDetail extends LaunchSummary {
  curve: {
    x0: string;
    y0: string;
    lp_bps: number;
    reserved_bps: number;
    base_fee_bps: number;
    creator_fee_bps: number;
    tax_start_bps: number;
  } | null;
  graduation: {
    block_number: number;
    block_time: number;
    tx_hash: string;
    pair: string;
    raised: string;
    lp_flock: string;
    reserved_flock: string;
    protocol_flock: string;
    donated_flock: string;
    sold_mt: string;
    lp_mt: string;
    minted_mt: string;
    unminted_mt: string;
    lp_tokens: string;
    issuer_vesting_id: number;
    treasury_vesting_id: number;
  } | null;
  totals: {
    flock_in: string;
    protocol_fees: string;
    creator_fees: string;
    anti_sniper_fees: string;
    claimed_mt: string;
    redeemed_flock: string;
    purchases: number;
  };
}

export interface LaunchList {
  chain_time: number | null;
  total: number;
  launches: LaunchSummary[];
}

export interface Purchase {
  buyer: string;
  flock_in: string;
  net_used: string;
  mt_allocated: string;
  protocol_fee: string;
  creator_fee: string;
  anti_sniper_fee: string;
  block_number: number;
  block_time: number;
  tx_hash: string;
  log_index: number;
}

export interface Candle {
  time: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume_flock: string;
}

export interface Trade {
  kind: "curve_buy" | "pool_buy" | "pool_sell";
  account: string;
  flock: string;
  mt: string;
  price_flock_per_mt: string;
  block_number: number;
  block_time: number;
  tx_hash: string;
  log_index: number;
}

export interface Holder {
  account: string;
  balance: string;
  share_bps: number;
  label: string | null;
}

export interface Portfolio {
  account: string;
  chain_time: number | null;
  pledges: {
    token: string;
    symbol: string | null;
    status: Status;
    flock_paid: string;
    principal: string;
    mt_allocated: string;
    claimed_mt: string;
    claimable_mt: string;
    redeemed_flock: string;
    redeemable_flock: string;
    purchases: number;
  }[];
  mt_balances: { token: string; symbol: string | null; balance: string }[];
  stakes: {
    token: string;
    symbol: string | null;
    staked: string;
    cooling: string;
    cooldown_end: number | null;
    cooldown_seconds_left: number;
    withdrawable: string;
  }[];
  gm_lock: { amount: string; unlock_time: number; seconds_left: number; effective_balance: string; expired: boolean } | null;
  vesting: {
    schedule_id: number;
    token: string;
    symbol: string | null;
    amount: string;
    released: string;
    vested: string;
    releasable: string;
    start: number;
    cliff_end: number;
    end: number;
  }[];
}

export interface RewardClaim {
  token: string;
  cumulative: string;
  claimed: string;
  claimable: string;
  proof: string[];
}

export interface Rewards {
  account: string;
  epoch: number;
  root: string;
  /** computed (root not on chain) → proposed (dispute window) → live (claimable), or cancelled. */
  status: string;
  /** Unix seconds the proposed root's dispute window ends; null unless proposed. */
  claims_open_at: number | null;
  claims: RewardClaim[];
}

export interface Explain {
  account: string;
  epoch: number;
  effective_gmflock: string;
  season: number | string;
  reasons: string[];
  mts: {
    token: string;
    vintage_day: number;
    alpha: string;
    mt_emission: string;
    mt_paid_revenue_usd: string;
    issuer_bonus?: string;
    gross_spend_usd?: string;
    usage_share?: string;
    stake_share?: string;
    multiplier?: string;
    global_share?: string;
    incentive_share?: string;
    global_flock?: string;
    reserved_flock?: string;
    mt_reward?: string;
    reasons: string[];
  }[];
  today: Record<string, string>;
  cumulative: Record<string, string>;
  spend_total_usd: string;
}

export interface EpochList {
  epochs: { epoch: number; day: string; status: string; root: string | null; emission_paid: string; data_sha256: string | null; proposed_tx: string | null }[];
  files: unknown[];
}

export interface ProtocolDay {
  day: number;
  date: string;
  revenue_paid_nano_usd: string;
  gross_nano_usd: string;
  settled_usdc: string;
  flock_burned: string;
  mt_burned: { token: string; symbol: string; amount: string }[];
  emission_flock: string;
}

export interface Burns {
  totals: { token: string; symbol: string; burned: string }[];
  burns: { token: string; symbol: string; amount: string; block_time: number; tx_hash: string }[];
}

export interface DevAccount {
  index: number;
  address: `0x${string}`;
  private_key: `0x${string}`;
}

// ---- endpoints ------------------------------------------------------------------------------

const qs = (params: Record<string, string | number | undefined | null>): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
};

export const api = {
  info: () => getJson<Info>("/api/info"),
  launches: (p: { status?: string; viewer?: string; limit?: number; offset?: number }) => getJson<LaunchList>(`/api/launches${qs(p)}`),
  launch: (token: string) => getJson<LaunchDetail>(`/api/launches/${token}`),
  purchases: (token: string, limit = 50) => getJson<{ token: string; total: number; purchases: Purchase[] }>(`/api/launches/${token}/purchases${qs({ limit })}`),
  candles: (token: string, source: "curve" | "pool", interval: number, limit = 300) =>
    getJson<{ token: string; source: string; interval: number; candles: Candle[] }>(`/api/launches/${token}/candles${qs({ source, interval, limit })}`),
  trades: (token: string, limit = 50) => getJson<{ total: number; trades: Trade[] }>(`/api/launches/${token}/trades${qs({ limit })}`),
  holders: (token: string, limit = 20) => getJson<{ total: number; supply: string; holders: Holder[] }>(`/api/launches/${token}/holders${qs({ limit })}`),
  burns: (token?: string, limit = 50) => getJson<Burns>(`/api/burns${qs({ token, limit })}`),
  protocolDays: (limit = 60) => getJson<{ days: ProtocolDay[] }>(`/api/protocol/days${qs({ limit })}`),
  portfolio: (account: string) => getJson<Portfolio>(`/api/accounts/${account}/portfolio`),
  epochs: () => getJson<EpochList>("/api/epochs"),
  /** The latest day's rewards, or with `live` those under the latest live root (what pays now). */
  rewards: (account: string, live = false) => getJson<Rewards>(`/api/rewards/${account}${qs({ live: live ? "true" : undefined })}`),
  explain: (account: string, day?: string) => getJson<Explain>(`/api/rewards/${account}/explain${qs({ day })}`),
  devAccounts: () => getJson<{ accounts: DevAccount[] }>("/api/devnet/accounts"),
  devAdvance: (seconds: number) => postJson<{ chain_time: number }>("/api/devnet/advance", { seconds }),
  /** Store a launch's metadata document; the answer's content hash is what the launch commits. */
  uploadMetadata: (payload: { description: string | null; links: string[]; image_base64: string | null }) =>
    postJson<{ content_hash?: string; hash?: string; image_url?: string | null }>("/api/metadata", payload),
};

// ---- gateway (/v1) --------------------------------------------------------------------------

/** A key as `GET /v1/keys` lists it, with its spend limit (nano-USD integer text). */
export interface ApiKey extends Partial<SpendLimitFields> {
  id: number;
  prefix: string;
  name: string;
  created_at: string;
  revoked: boolean;
  rpm_limit: number | null;
  tpm_limit: number | null;
}

/** The account's credit from `/v1/account/balance`. Money is integer nano-USD as decimal text:
 *  a JSON number is exact only below 2^53 (≈ $9M); read it with `BigInt(text)`. */
export interface GatewayBalance {
  account: string;
  balance_nano_usd: string;
  held_nano_usd: string;
  available_nano_usd: string;
  balance_usd: string;
}

/** One day × model of `/v1/account/usage`; money is integer nano-USD as text. */
export interface UsageRow {
  day: string;
  model: string;
  requests: number;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  gross_nano_usd: string;
  paid_nano_usd: string;
}

/** What the gateway charges per token for a model: exact USD per 1M as decimal text, and the
 *  integer nano-USD per token it multiplies by, as text (`quote × 1000 = nano per token`). */
export interface ModelPricing {
  input_usd_per_million: string;
  cached_input_usd_per_million: string;
  output_usd_per_million: string;
  input_nano_usd_per_token: string;
  cached_input_nano_usd_per_token: string;
  output_nano_usd_per_token: string;
  reasoning_model: boolean;
}

/** One `/v1/models` entry; `deployment` is null for a base model id. */
export interface GatewayModel {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
  base_model?: string;
  pricing?: ModelPricing;
  deployment?: { token: string; ticker: string; base_model: string } | null;
}

/** One metered request from `/v1/account/requests`; money is integer nano-USD as text. */
export interface RequestLogEntry {
  request_id: string;
  created_at: string;
  key_id: number | null;
  endpoint: string;
  model: string;
  base_model: string;
  deployment: string | null;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  gross_nano_usd: string;
  discount_bps: number;
  discount_nano_usd: string;
  paid_nano_usd: string;
  latency_ms: string;
  status: number;
  charged: boolean;
  estimated: boolean;
  stream: boolean;
  cut?: boolean;
}

export interface RequestLogPage {
  object: "list";
  account: string;
  limit: number;
  offset: number;
  has_more: boolean;
  data: RequestLogEntry[];
}

/** Filters of `/v1/account/requests` (limit 1–500; since inclusive, until exclusive, ISO 8601). */
export interface RequestLogQuery {
  limit?: number;
  offset?: number;
  model?: string;
  key_id?: number;
  since?: string;
  until?: string;
}

/** The query string of a request-log page; empty filters are left out (the gateway refuses a
 *  blank or repeated parameter rather than guessing). */
export function requestLogPath(q: RequestLogQuery): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(q)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(name, String(value));
  }
  const qs = params.toString();
  return qs ? `/v1/account/requests?${qs}` : "/v1/account/requests";
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export const gateway = {
  nonce: () => postJson<{ nonce: string; expires_at: string; domain: string; chain_id: number | null }>("/v1/auth/nonce", {}),
  verify: (message: string, signature: string) =>
    postJson<{ session: string; account: string; expires_at: string }>("/v1/auth/verify", { message, signature }),
  keys: (session: string) => getJson<{ data: ApiKey[] }>("/v1/keys", { headers: bearer(session) }),
  createKey: (session: string, name: string) => postJson<ApiKey & { key: string }>("/v1/keys", { name }, bearer(session)),
  revokeKey: (session: string, id: number) => getJson<{ id: number; revoked: boolean }>(`/v1/keys/${id}`, { method: "DELETE", headers: bearer(session) }),
  balance: (token: string) =>
    getJson<GatewayBalance>("/v1/account/balance", { headers: bearer(token) }),
  usage: (token: string, days = 30) => getJson<{ data: UsageRow[] }>(`/v1/account/usage?days=${days}`, { headers: bearer(token) }),
  discounts: (token: string) =>
    getJson<{ data: { model: string; deployment: string; staked_mt_base_units: string; discount_bps: number }[] }>("/v1/account/discounts", { headers: bearer(token) }),
  /** The model list is served to API keys only (not to a SIWE session). */
  models: (key: string) => getJson<{ object: "list"; data: GatewayModel[] }>("/v1/models", { headers: bearer(key) }),
  /** The per-request log, newest first (API key or SIWE session). */
  requests: (token: string, q: RequestLogQuery) => getJson<RequestLogPage>(requestLogPath(q), { headers: bearer(token) }),
};
