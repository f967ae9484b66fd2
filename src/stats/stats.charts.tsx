/**
 * Server-rendered SVG charts, readable without JavaScript. Each chart is
 * decorative for screen readers (aria-hidden); the data table beside it
 * carries the same numbers.
 */
import type { FC } from 'hono/jsx';

export interface Series {
  label: string;
  /** A CSS colour; lines also differ by dash so print and colour-blind readers tell them apart. */
  colour: string;
  dash?: string;
  values: number[];
}

/** A line chart over categories (weeks): fits a 360 px phone, scales with its container. */
export const LineChart: FC<{ title: string; categories: string[]; series: Series[] }> = ({ title, categories, series }) => {
  const w = 340;
  const h = 180;
  const pad = { l: 34, r: 8, t: 10, b: 24 };
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i: number) => pad.l + (categories.length <= 1 ? 0 : (i * (w - pad.l - pad.r)) / (categories.length - 1));
  const y = (v: number) => pad.t + (h - pad.t - pad.b) * (1 - v / max);
  return (
    <figure class="stats-chart" aria-hidden="true">
      <svg viewBox={`0 0 ${w} ${h}`} width="100%" role="img" focusable="false">
        <title>{title}</title>
        <line x1={pad.l} y1={y(0)} x2={w - pad.r} y2={y(0)} stroke="#888" />
        <line x1={pad.l} y1={pad.t} x2={pad.l} y2={y(0)} stroke="#888" />
        <text x={pad.l - 4} y={pad.t + 8} font-size="10" text-anchor="end">
          {max}
        </text>
        <text x={pad.l - 4} y={y(0)} font-size="10" text-anchor="end">
          0
        </text>
        {categories.length ? (
          <>
            <text x={pad.l} y={h - 6} font-size="10">
              {categories[0]}
            </text>
            <text x={w - pad.r} y={h - 6} font-size="10" text-anchor="end">
              {categories[categories.length - 1]}
            </text>
          </>
        ) : null}
        {series.map((s) => (
          <polyline fill="none" stroke={s.colour} stroke-width="2" stroke-dasharray={s.dash} points={s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')} />
        ))}
      </svg>
      <figcaption>
        {series.map((s) => (
          <span class="stats-legend">
            <svg width="24" height="8" aria-hidden="true">
              <line x1="0" y1="4" x2="24" y2="4" stroke={s.colour} stroke-width="2" stroke-dasharray={s.dash} />
            </svg>{' '}
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
};

/** Horizontal bars: earned out of available (e.g. index groups). */
export const BarChart: FC<{ title: string; bars: { label: string; value: number | null; max: number }[] }> = ({ title, bars }) => {
  const w = 340;
  const row = 22;
  const labelW = 120;
  const h = bars.length * row + 4;
  return (
    <figure class="stats-chart" aria-hidden="true">
      <svg viewBox={`0 0 ${w} ${h}`} width="100%" role="img" focusable="false">
        <title>{title}</title>
        {bars.map((b, i) => {
          const full = w - labelW - 40;
          const len = b.value === null || b.max === 0 ? 0 : (b.value / b.max) * full;
          return (
            <g>
              <text x={0} y={i * row + 15} font-size="10">
                {b.label}
              </text>
              <rect x={labelW} y={i * row + 4} width={full} height={14} fill="#eee" stroke="#888" />
              <rect x={labelW} y={i * row + 4} width={len.toFixed(1)} height={14} fill="#1d5fa8" />
              <text x={labelW + full + 4} y={i * row + 15} font-size="10">
                {b.value === null ? '—' : `${Math.round((b.value / (b.max || 1)) * 100)}%`}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
};
