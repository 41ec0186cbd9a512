import { useMemo, useState } from "react";
import { useNavigate } from "react-router-dom";
import { zeroAddress, type Address, type TransactionReceipt } from "viem";
import { api, ApiError } from "../lib/api";
import { erc20Abi } from "../lib/abi";
import { formatBps, formatFlock, formatMt, formatUnits } from "../lib/format";
import { createLaunchCall, launchedToken, NAME_MAX, setMetadataAbi, setMetadataCall, SYMBOL_MAX, tickerAbi } from "../lib/launchCall";
import { useQuery } from "@tanstack/react-query";
import { validateLaunch } from "../lib/launchForm";
import { minOut } from "../lib/quote";
import { usePlatform } from "../hooks/platform";
import { useLaunches, useLaunchpadConfig, useTokenBalance, type ModelType } from "../hooks/queries";
import { approveStep, useTx } from "../tx/TxProvider";
import { useWallet } from "../wallet/WalletProvider";
import { Card, Empty, Field, KV, Loading, Problem } from "../components/ui";

const MAX_IMAGE_BYTES = 256 * 1024;
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp"];
const MAX_LINKS = 5;

export default function LaunchWizard() {
  const wallet = useWallet();
  const platform = usePlatform();
  const tx = useTx();
  const navigate = useNavigate();
  const config = useLaunchpadConfig();
  const launches = useLaunches(null);
  const flock = (platform.info.contracts.FLOCK ?? null) as Address | null;
  const balance = useTokenBalance(flock, wallet.address);
  const [typeId, setTypeId] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [symbol, setSymbol] = useState("");
  const [description, setDescription] = useState("");
  const [image, setImage] = useState<{ data: string; contentType: string; preview: string } | null>(null);
  const [linksText, setLinksText] = useState("");
  const [imageError, setImageError] = useState<string | null>(null);
  const [firstBuy, setFirstBuy] = useState("");
  const [feeConfirmed, setFeeConfirmed] = useState(false);
  const [touched, setTouched] = useState(false);
  const [metaNote, setMetaNote] = useState<string | null>(null);

  const types = config.data?.types.filter((t) => t.enabled) ?? [];
  // The chain's own answer for the ticker (a launch created a moment ago may not be indexed yet).
  const symbolTrim = symbol.trim();
  const tickerOnChain = useQuery({
    queryKey: ["chain", "ticker", symbolTrim],
    enabled: symbolTrim.length >= 2 && /^[A-Z0-9]+$/.test(symbolTrim) && !!platform.info.contracts.Launchpad,
    staleTime: 5_000,
    retry: false,
    queryFn: () => platform.publicClient.readContract({ address: platform.address("Launchpad"), abi: tickerAbi, functionName: "ticker_available", args: [symbolTrim] }),
  });
  const selected: ModelType | undefined = types.find((t) => t.id === typeId) ?? types[0];
  // A Failed launch releases its ticker (the Launchpad's rule); uniqueness ignores case.
  const taken = useMemo(() => {
    const set = new Set((launches.data?.launches ?? []).filter((l) => l.status !== "Failed").map((l) => l.symbol.toUpperCase()));
    if (tickerOnChain.data === false) set.add(symbolTrim.toUpperCase());
    return set;
  }, [launches.data, tickerOnChain.data, symbolTrim]);

  const result = useMemo(() => {
    if (!selected || !config.data) return null;
    return validateLaunch(
      { name, symbol, firstBuy, feeConfirmed },
      {
        maxRaise: selected.maxRaise,
        lpBps: selected.lpBps,
        launchFee: config.data.launchFee,
        baseFeeBps: config.data.baseFeeBps,
        creatorFeeBps: config.data.creatorFeeBps,
        maxBundleBps: config.data.maxBundleBps,
        balance: balance.data ?? null,
        takenSymbols: taken,
      },
    );
  }, [selected, config.data, name, symbol, firstBuy, feeConfirmed, balance.data, taken]);

  if (config.isLoading) return <Loading label="Reading the launchpad's model types…" />;
  if (config.error) return <Problem title="Could not read the launchpad">{(config.error as Error).message}</Problem>;
  if (!config.data || !selected || !result) return <Empty>No model type is registered and enabled on the launchpad yet.</Empty>;
  const { launchFee } = config.data;
  // Errors show once the person typed in the field (or tried to submit), not on an empty form.
  const typed: Partial<Record<keyof typeof result.errors, boolean>> = { name: name !== "", symbol: symbol !== "", firstBuy: firstBuy !== "" };
  const show = (k: keyof typeof result.errors) => (touched || typed[k] ? result.errors[k] : undefined);
  const links = linksText.split(/\s+/).map((u) => u.trim()).filter(Boolean);
  const linksError = links.length > MAX_LINKS ? `At most ${MAX_LINKS} links.` : links.find((u) => !/^https:\/\/[^\s]+$/.test(u)) ? "Links must be https:// addresses, one per line." : null;
  const canSubmit = !!wallet.address && Object.keys(result.errors).length === 0 && !imageError && !linksError;

  const onImage = (file: File | undefined) => {
    setImageError(null);
    setImage(null);
    if (!file) return;
    if (!IMAGE_TYPES.includes(file.type)) return setImageError("The image must be a PNG, JPEG or WebP file.");
    if (file.size > MAX_IMAGE_BYTES) return setImageError("The image must be at most 256 KiB.");
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      setImage({ data: url.slice(url.indexOf(",") + 1), contentType: file.type, preview: url });
    };
    reader.readAsDataURL(file);
  };

  const submit = async () => {
    setTouched(true);
    if (!canSubmit || !flock) return;
    const launchpad = platform.address("Launchpad");
    let metadataHash: `0x${string}` | null = null;
    setMetaNote(null);
    let canCommit = false;
    if (description.trim() || image || links.length) {
      try {
        const r = await api.uploadMetadata({ description: description.trim() || null, links, image_base64: image ? image.data : null });
        metadataHash = (r.content_hash ?? r.hash ?? null) as `0x${string}` | null;
      } catch (e) {
        if (e instanceof ApiError && (e.status === 404 || e.status === 405)) setMetaNote("This platform version does not store launch descriptions and images yet; the launch goes ahead without them.");
        else return setMetaNote((e as Error).message);
      }
      if (metadataHash) {
        // Feature detection: Launchpads with set_metadata answer metadata_hash(); older ones revert.
        try {
          await platform.publicClient.readContract({ address: launchpad, abi: setMetadataAbi, functionName: "metadata_hash", args: [zeroAddress] });
          canCommit = true;
        } catch {
          setMetaNote("This Launchpad cannot commit a metadata hash yet; the description and image are stored on the platform only.");
        }
      }
    }
    const q = result.quote;
    const minMt = q ? minOut(q.mtOut, 100n) : 0n;
    const total = result.total;
    const request = { modelTypeId: selected.id, name: name.trim(), symbol: symbol.trim(), firstBuyFlock: result.firstBuy, minMtOut: minMt, deadline: 0n, metadataHash };
    tx.review({
      title: `Launch $${request.symbol}`,
      summary: [
        { label: "Model type", value: selected.baseModel },
        { label: "Launch fee (non-refundable)", value: formatFlock(launchFee) },
        ...(q
          ? [
              { label: "Bundled first buy", value: formatFlock(result.firstBuy) },
              { label: "First buy fee (base fee only)", value: formatFlock(q.totalFee) },
              { label: "First buy MT allocation", value: formatMt(q.mtOut, request.symbol) },
            ]
          : []),
        { label: "Total FLOCK", value: formatFlock(total) },
      ],
      steps: [
        approveStep(flock, launchpad, total, `Approve ${formatFlock(total)} for the Launchpad`, erc20Abi),
        {
          label: `Create the launch: Launchpad.create_launch(${selected.baseModel}, "${request.name}", ${request.symbol}${q ? `, first buy ${formatUnits(result.firstBuy, 18)} FLOCK` : ""})`,
          contract: "Launchpad",
          call: (deadline) => createLaunchCall(launchpad, { ...request, deadline }),
        },
        ...(canCommit && metadataHash
          ? [
              {
                label: `Commit the description and image: Launchpad.set_metadata(${request.symbol}, ${metadataHash.slice(0, 10)}…)`,
                contract: "Launchpad",
                call: (_deadline: bigint, receipts: TransactionReceipt[]) => {
                  const token = launchedToken(launchpad, receipts[receipts.length - 1]?.logs ?? []);
                  if (!token) throw new Error("The launch's token address was not found in its receipt.");
                  return setMetadataCall(launchpad, token, metadataHash);
                },
              },
            ]
          : []),
      ],
      onConfirmed: (receipts) => {
        const token = receipts.map((r) => launchedToken(launchpad, r.logs)).find((t) => t !== null) ?? null;
        if (token) navigate(`/token/${token}`);
      },
    });
  };

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Launch a model</h1>
          <p className="muted">A fair launch of your deployment's Model Token: 1,000,000 MT, 7-day sale on a bonding curve, DEX liquidity at graduation.</p>
        </div>
      </div>
      <form className="grid cols-2" onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate data-testid="launch-form">
        <div className="col gap">
          <Card title="1. Model type">
            <fieldset className="col gap" style={{ border: 0, padding: 0, margin: 0 }}>
              <legend className="small muted">The model type fixes the pricing tier, the raise range and the split; you cannot change them.</legend>
              {types.map((t) => (
                <label key={t.id} className={`choice ${t.id === selected.id ? "on" : ""}`}>
                  <input type="radio" name="model-type" value={t.id} checked={t.id === selected.id} onChange={() => setTypeId(t.id)} data-testid={`model-type-${t.baseModel}`} />
                  <span>
                    <strong>{t.baseModel}</strong>
                    <span className="muted small"> · tier {t.pricingTier}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <KV
              testid="model-type-params"
              items={[
                { label: "Pricing tier", value: selected.pricingTier },
                { label: "Minimum raise", value: formatFlock(selected.minRaise) },
                { label: "Maximum raise", value: formatFlock(selected.maxRaise) },
                { label: "Raise split at graduation", value: `LP ${formatBps(selected.lpBps)} · reserved ${formatBps(selected.reservedBps)} · protocol ${formatBps(selected.protocolBps)}` },
                { label: "Distribution", value: "sale 40% · LP 20% · incentives 20% · issuer 10% (vested) · treasury 10% (vested)" },
              ]}
            />
          </Card>
          <Card title="2. Token">
            <Field label="Name" value={name} onChange={setName} error={show("name")} inputMode="text" maxLength={NAME_MAX} testid="launch-name" placeholder="Qwen Alice" />
            <Field label="Ticker" value={symbol} onChange={(v) => setSymbol(v.toUpperCase())} error={show("symbol")} inputMode="text" maxLength={SYMBOL_MAX} testid="launch-symbol" placeholder="QWENALICE" hint="2–16 capital letters and digits; it also names your model id." />
            <div className="field">
              <label htmlFor="launch-description">Description</label>
              <textarea id="launch-description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} data-testid="launch-description" />
              <p className="hint">{description.length} / 2,000 characters</p>
            </div>
            <div className="field">
              <label htmlFor="launch-image">Image (PNG, JPEG or WebP, up to 256 KiB)</label>
              <input id="launch-image" type="file" accept={IMAGE_TYPES.join(",")} onChange={(e) => onImage(e.target.files?.[0])} data-testid="launch-image" />
              {imageError && <p className="field-error" role="alert">{imageError}</p>}
              {image && <img src={image.preview} alt="Preview of the token image" className="avatar lg" />}
            </div>
            <div className="field">
              <label htmlFor="launch-links">Links (https://, one per line, up to 5)</label>
              <textarea id="launch-links" value={linksText} onChange={(e) => setLinksText(e.target.value)} data-testid="launch-links" aria-invalid={!!linksError} />
              {linksError && <p className="field-error" role="alert">{linksError}</p>}
            </div>
          </Card>
        </div>
        <div className="col gap">
          <Card title="3. Bundled first buy (optional)">
            <Field
              label="First buy (FLOCK, fees included)"
              value={firstBuy}
              onChange={setFirstBuy}
              error={show("firstBuy")}
              suffix="FLOCK"
              placeholder="0"
              testid="launch-first-buy"
              hint={`Pays the base fee only (${formatBps(config.data.baseFeeBps)}), no anti-sniper tax. Capped at 25% of supply: ${formatMt(result.bundleCap)}.`}
            />
            {result.quote && !result.errors.firstBuy && (
              <div className="quote" data-testid="first-buy-quote">
                <KV
                  items={[
                    { label: "MT allocation", value: formatMt(result.quote.mtOut, symbol || "MT"), testid: "first-buy-mt" },
                    { label: "Fee", value: formatFlock(result.quote.totalFee) },
                    { label: "Principal", value: formatFlock(result.quote.net) },
                    { label: "Share of the cap", value: formatBps((result.quote.mtOut * 10000n) / result.bundleCap) },
                  ]}
                />
              </div>
            )}
          </Card>
          <Card title="4. Launch fee and confirm">
            <KV
              items={[
                { label: "Launch fee", value: formatFlock(launchFee) },
                { label: "Total FLOCK needed", value: formatFlock(result.total), testid: "launch-total" },
                { label: "Your FLOCK balance", value: wallet.address ? (balance.data !== undefined ? formatFlock(balance.data) : "reading…") : "connect a wallet" },
              ]}
            />
            <label className="checkbox">
              <input type="checkbox" checked={feeConfirmed} onChange={(e) => setFeeConfirmed(e.target.checked)} data-testid="launch-fee-confirm" />
              <span>I pay the one-time launch fee of {formatFlock(launchFee)} to the platform treasury. It is not refundable, even if the raise fails.</span>
            </label>
            {show("fee") && <p className="field-error" role="alert">{result.errors.fee}</p>}
            {result.errors.balance && wallet.address && <p className="field-error" role="alert" data-testid="launch-balance-error">{result.errors.balance}</p>}
            {metaNote && <p className="notice warn">{metaNote}</p>}
            <button type="submit" className="btn primary" disabled={!wallet.address} data-testid="launch-submit">
              {wallet.address ? "Review and launch" : "Connect a wallet to launch"}
            </button>
            <p className="small muted">Two signatures: approve FLOCK for the Launchpad (skipped when already approved), then create the launch.</p>
          </Card>
        </div>
      </form>
    </div>
  );
}
