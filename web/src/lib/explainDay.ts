// Which day the "why did I earn this" explainer opens on: the latest day that paid the account
// something, not merely the latest day (which may have paid nothing and explain nothing).

/** One day's earnings as the explainer reports them (`today`: token → decimal text). */
export interface DayEarnings {
  day: string;
  /** False while its query is still loading. */
  loaded: boolean;
  today?: Record<string, string>;
}

/** True when a decimal amount text is above zero ("0", "0.000" are nothing). */
export const earnedSomething = (today: Record<string, string> | undefined): boolean =>
  !!today && Object.values(today).some((v) => /[1-9]/.test(v));

export type DefaultDay =
  | { kind: "loading" }
  | { kind: "latest" } // nothing earned on any day looked at: open on the latest day
  | { kind: "paid"; day: string; latestPaidNothing: boolean };

/** `days` newest first. Waits only for the days up to the first that paid something. */
export function defaultExplainDay(days: DayEarnings[]): DefaultDay {
  for (let i = 0; i < days.length; i++) {
    const d = days[i];
    if (!d.loaded) return { kind: "loading" };
    if (earnedSomething(d.today)) return { kind: "paid", day: d.day, latestPaidNothing: i > 0 };
  }
  return { kind: "latest" };
}
