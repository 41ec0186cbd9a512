// Small presentational pieces shared by the pages. No maths here: values arrive formatted.
import { useId, type ReactNode } from "react";
import { formatBps, formatDuration, shortAddress } from "../lib/format";
import type { Status } from "../lib/api";

export function Loading({ label }: { label: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Problem({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="problem" role="alert">
      <h2>{title}</h2>
      <p>{children}</p>
    </div>
  );
}

export function Empty({ children, testid }: { children: ReactNode; testid?: string }) {
  return (
    <p className="empty" data-testid={testid}>
      {children}
    </p>
  );
}

export function Card({ title, children, actions, testid, className }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; testid?: string; className?: string }) {
  return (
    <section className={`card ${className ?? ""}`} data-testid={testid}>
      {(title || actions) && (
        <header className="card-head">
          {title && <h2>{title}</h2>}
          {actions}
        </header>
      )}
      {children}
    </section>
  );
}

export function KV({ items, testid }: { items: { label: string; value: ReactNode; testid?: string }[]; testid?: string }) {
  return (
    <dl className="kv" data-testid={testid}>
      {items.map((i) => (
        <div key={i.label}>
          <dt>{i.label}</dt>
          <dd data-testid={i.testid}>{i.value}</dd>
        </div>
      ))}
    </dl>
  );
}

const STATUS_CLASS: Record<Status, string> = { Live: "live", Graduating: "graduating", Failed: "failed", Graduated: "graduated" };

export function StatusBadge({ status }: { status: Status }) {
  return (
    <span className={`badge ${STATUS_CLASS[status]}`} data-testid="status-badge">
      {status === "Graduated" ? "Tradable" : status}
    </span>
  );
}

/** Raised vs the minimum and maximum targets: the bar fills toward max, a tick marks min. */
export function RaiseBar({ progressMaxBps, minMarkBps, label, testid }: { progressMaxBps: number; minMarkBps: number; label: string; testid?: string }) {
  return (
    <div className="raise-bar" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={10000} aria-valuenow={progressMaxBps} aria-valuetext={`${formatBps(progressMaxBps)} of the maximum raise`} data-testid={testid} data-progress-bps={progressMaxBps}>
      <div className="raise-fill" style={{ width: `${progressMaxBps / 100}%` }} />
      <div className="raise-min" style={{ left: `${minMarkBps / 100}%` }} title="minimum raise" />
    </div>
  );
}

export function Countdown({ seconds, ended = "ended" }: { seconds: number | null; ended?: string }) {
  if (seconds === null) return <span>—</span>;
  return <span className="mono">{seconds > 0 ? formatDuration(seconds) : ended}</span>;
}

export function Addr({ address }: { address: string }) {
  return (
    <span className="mono" title={address}>
      {shortAddress(address)}
    </span>
  );
}

export function Field({
  label,
  value,
  onChange,
  error,
  hint,
  suffix,
  testid,
  placeholder,
  inputMode = "decimal",
  type = "text",
  maxLength,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | null;
  hint?: ReactNode;
  suffix?: string;
  testid?: string;
  placeholder?: string;
  inputMode?: "decimal" | "text" | "numeric";
  type?: string;
  maxLength?: number;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="input-wrap">
        <input
          id={id}
          type={type}
          value={value}
          inputMode={inputMode}
          placeholder={placeholder}
          maxLength={maxLength}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-err` : hint ? `${id}-hint` : undefined}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testid}
        />
        {suffix && <span className="suffix">{suffix}</span>}
      </div>
      {error ? (
        <p className="field-error" id={`${id}-err`} role="alert" data-testid={testid ? `${testid}-error` : undefined}>
          {error}
        </p>
      ) : hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function Segmented<T extends string>({ label, options, value, onChange, testid }: { label: string; options: { value: T; label: string }[]; value: T; onChange: (v: T) => void; testid?: string }) {
  return (
    <div className="segmented" role="group" aria-label={label} data-testid={testid}>
      {options.map((o) => (
        <button key={o.value} type="button" aria-pressed={value === o.value} className={value === o.value ? "on" : ""} onClick={() => onChange(o.value)} data-testid={testid ? `${testid}-${o.value}` : undefined}>
          {o.label}
        </button>
      ))}
    </div>
  );
}

export function ConnectHint() {
  return <Empty testid="connect-hint">Connect a wallet (top right) to see your positions and act.</Empty>;
}
