// A candlestick chart (TradingView lightweight-charts, loaded lazily with the page that shows it).
// Prices arrive as decimal strings; the chart library draws floats, which is fine for a picture,
// never for an amount (the numbers on the page come from the API strings, exactly).
import { useEffect, useRef } from "react";
import { CandlestickSeries, ColorType, createChart, type UTCTimestamp } from "lightweight-charts";
import type { Candle } from "../lib/api";

export default function PriceChart({ candles, label }: { candles: Candle[]; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    // One effect owns the chart and its series, so they are created and removed together.
    const chart = createChart(el.current, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: "transparent" }, textColor: "#9aa3b5", fontFamily: "system-ui, sans-serif" },
      grid: { vertLines: { color: "#1d2230" }, horzLines: { color: "#1d2230" } },
      rightPriceScale: { borderColor: "#262c3b" },
      timeScale: { borderColor: "#262c3b", timeVisible: true },
    });
    const series = chart.addSeries(CandlestickSeries, {
      upColor: "#2fd08a",
      downColor: "#ff5d6c",
      borderVisible: false,
      wickUpColor: "#2fd08a",
      wickDownColor: "#ff5d6c",
      priceFormat: { type: "price", precision: 8, minMove: 0.00000001 },
    });
    series.setData(candles.map((k) => ({ time: k.time as UTCTimestamp, open: Number(k.open), high: Number(k.high), low: Number(k.low), close: Number(k.close) })));
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [candles]);
  return <div ref={el} className="chart" role="figure" aria-label={label} data-testid="price-chart" />;
}
