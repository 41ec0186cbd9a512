// A line chart for series such as gmFLOCK multiplier over time or protocol figures per day.
// Display only: values are converted to floats for drawing; the page prints exact numbers.
import { useEffect, useRef } from "react";
import { ColorType, createChart, HistogramSeries, LineSeries, type UTCTimestamp } from "lightweight-charts";

export interface Series {
  name: string;
  color: string;
  kind?: "line" | "histogram";
  points: { time: number; value: number }[];
}

export default function LineChart({ series, label, small }: { series: Series[]; label: string; small?: boolean }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const c = createChart(el.current, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: "transparent" }, textColor: "#9aa3b5", fontFamily: "system-ui, sans-serif" },
      grid: { vertLines: { color: "#1d2230" }, horzLines: { color: "#1d2230" } },
      rightPriceScale: { borderColor: "#262c3b" },
      timeScale: { borderColor: "#262c3b" },
    });
    for (const s of series) {
      const data = s.points.map((p) => ({ time: p.time as UTCTimestamp, value: p.value }));
      if (s.kind === "histogram") c.addSeries(HistogramSeries, { color: s.color, title: s.name }).setData(data);
      else c.addSeries(LineSeries, { color: s.color, lineWidth: 2, title: s.name }).setData(data);
    }
    c.timeScale().fitContent();
    return () => c.remove();
  }, [series]);
  return <div ref={el} className={`chart ${small ? "sm" : ""}`} role="figure" aria-label={label} />;
}
