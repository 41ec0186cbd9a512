import { useEffect, useRef } from "react";
import type { FeeEstimate, StepState, TxRun } from "./TxProvider";
import { formatUnits } from "../lib/format";

function feeText(f: FeeEstimate | undefined): string {
  if (!f || f.kind === "estimating") return "network fee: estimating…";
  if (f.kind === "skip") return "not needed: already approved";
  if (f.kind === "later") return "network fee: estimated when sent";
  return `network fee ≈ ${formatUnits(f.wei, 18)} ETH`;
}

function stepText(s: StepState): string {
  switch (s.kind) {
    case "waiting":
      return "waiting";
    case "skipped":
      return "not needed (already approved)";
    case "checking":
      return "checking…";
    case "signing":
      return "confirm in your wallet…";
    case "pending":
      return "pending…";
    case "confirmed":
      return "confirmed";
    case "failed":
      return "failed";
  }
}

export function TxDialog({ run, onConfirm, onClose }: { run: TxRun; onConfirm: () => void; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const failed = run.steps.find((s): s is Extract<StepState, { kind: "failed" }> => s.kind === "failed");
  const status = run.phase === "done" ? "confirmed" : run.phase === "failed" ? "failed" : run.phase === "running" ? "pending" : "review";
  return (
    <dialog ref={ref} className="tx-dialog" data-testid="tx-dialog" aria-labelledby="tx-title" onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <h2 id="tx-title">{run.plan.title}</h2>
      <dl className="kv" data-testid="tx-summary">
        {run.plan.summary.map((l) => (
          <div key={l.label}>
            <dt>{l.label}</dt>
            <dd>{l.value}</dd>
          </div>
        ))}
      </dl>
      <h3>You will sign</h3>
      <ol className="tx-steps">
        {run.plan.steps.map((step, i) => (
          <li key={i} className={`tx-step ${run.steps[i].kind}`}>
            <span>
              {step.label}
              {run.phase === "review" && <span className="small muted block">{feeText(run.fees?.[i])}</span>}
            </span>
            <span className="tx-step-state" data-testid={`tx-step-${i}`}>{stepText(run.steps[i])}</span>
          </li>
        ))}
      </ol>
      <p className="muted small">Each transaction is checked against the chain first; a deadline of 20 minutes applies. Network fees are paid in ETH by the signing account (estimates; the wallet shows the final figure).</p>
      <p className="tx-status" role="status" aria-live="polite" data-testid="tx-status" data-status={status}>
        {status === "confirmed" && "Confirmed."}
        {status === "pending" && "Working…"}
      </p>
      {failed && (
        <p className="error" role="alert" data-testid="tx-error">
          {failed.error}
        </p>
      )}
      <div className="row gap end">
        {run.phase === "review" && (
          <>
            <button type="button" className="btn ghost" onClick={onClose} data-testid="tx-cancel">
              Cancel
            </button>
            <button type="button" className="btn primary" onClick={onConfirm} data-testid="tx-confirm" autoFocus>
              Confirm and sign
            </button>
          </>
        )}
        {(run.phase === "done" || run.phase === "failed") && (
          <button type="button" className="btn" onClick={onClose} data-testid="tx-close" autoFocus>
            Close
          </button>
        )}
      </div>
    </dialog>
  );
}
