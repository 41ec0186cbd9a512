// The spend limit of one API key in the keys table: what is left of it this period, and when
// the period ends (set with `fomo keys limit` or PATCH /v1/keys/{id}).
import { spendLimitView, type SpendLimitFields } from "../lib/spendLimit";

export function KeyLimit({ fields, testid }: { fields: Partial<SpendLimitFields>; testid?: string }) {
  const v = spendLimitView(fields);
  if (!v.period) return <span className="muted" data-testid={testid}>{v.text}</span>;
  return (
    <span data-testid={testid} title={v.period}>
      <span className="mono">{v.text}</span>
      <br />
      <span className="muted small">{v.period}</span>
    </span>
  );
}
