import { useState, type MouseEvent } from 'react';
import { useI18n } from '../i18n/index.js';

export interface Series { label: string; color: string; values: number[]; area?: boolean }

const W = 1000;

/**
 * Values over time buckets, drawn as SVG: the first series as an area on the left axis, the
 * second as a line on the right axis (packets and sources differ by orders of magnitude).
 * Hovering shows the figures of a bucket.
 */
export function TimeChart({ times, series, height = 240, tickLabel, tipLabel, testId }: {
  times: string[];
  series: Series[];
  height?: number;
  tickLabel: (t: string) => string;
  tipLabel: (t: string) => string;
  testId?: string;
}) {
  const { num, compact } = useI18n();
  const [hover, setHover] = useState<number | null>(null);
  const pad = { l: 56, r: series.length > 1 ? 56 : 16, t: 26, b: 26 };
  const w = W - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const n = Math.max(1, times.length - 1);
  const x = (i: number): number => pad.l + (times.length === 1 ? w / 2 : (w * i) / n);
  const every = Math.max(1, Math.ceil(times.length / 12));

  const onMove = (e: MouseEvent<SVGSVGElement>): void => {
    const box = e.currentTarget.getBoundingClientRect();
    const xv = ((e.clientX - box.left) / box.width) * W;
    const i = Math.round(((xv - pad.l) / w) * n);
    setHover(times.length ? Math.min(times.length - 1, Math.max(0, i)) : null);
  };

  const maxes = series.map((s) => niceMax(Math.max(1, ...s.values)));
  const hx = hover === null ? 0 : x(hover);
  return (
    <div className="chart-wrap" data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${height}`} className="chart" role="img" aria-label={series.map((s) => s.label).join(' / ')}
        onMouseMove={onMove} onMouseLeave={() => setHover(null)}>
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <line key={f} x1={pad.l} x2={W - pad.r} y1={pad.t + h * f} y2={pad.t + h * f} className="gridline" />
        ))}
        {series.map((s, k) => {
          const max = maxes[k] ?? 1;
          const y = (v: number): number => pad.t + h - (h * v) / max;
          const line = s.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
          const area = s.values.length ? `${line} L${x(s.values.length - 1).toFixed(1)},${pad.t + h} L${x(0).toFixed(1)},${pad.t + h} Z` : '';
          const left = k === 0;
          return (
            <g key={s.label}>
              {s.area && <path d={area} fill={s.color} opacity={0.16} />}
              <path d={line} fill="none" stroke={s.color} strokeWidth={2} strokeLinejoin="round" />
              {s.values.length <= 2 && s.values.map((v, i) => <circle key={i} cx={x(i)} cy={y(v)} r={3.5} fill={s.color} />)}
              {[0, 0.5, 1].map((f) => (
                <text key={f} x={left ? pad.l - 6 : W - pad.r + 6} y={pad.t + h - h * f + 4} textAnchor={left ? 'end' : 'start'} className="axis" fill={s.color}>
                  {compact(max * f)}
                </text>
              ))}
            </g>
          );
        })}
        {times.map((tm, i) => (i % every === 0 ? (
          <text key={tm} x={x(i)} y={height - 8} textAnchor="middle" className="axis">{tickLabel(tm)}</text>
        ) : null))}
        {series.map((s, k) => (
          <g key={s.label} transform={`translate(${pad.l + k * 170}, 6)`}>
            <rect width={14} height={s.area ? 10 : 3} y={s.area ? 2 : 6} fill={s.color} opacity={s.area ? 0.5 : 1} />
            <text x={20} y={11} className="legend">{s.label}</text>
          </g>
        ))}
        {hover !== null && (
          <g pointerEvents="none">
            <line x1={hx} x2={hx} y1={pad.t} y2={pad.t + h} className="hoverline" />
            {series.map((s, k) => {
              const v = s.values[hover] ?? 0;
              return <circle key={s.label} cx={hx} cy={pad.t + h - (h * v) / (maxes[k] ?? 1)} r={4} fill="#fff" stroke={s.color} strokeWidth={2} />;
            })}
          </g>
        )}
      </svg>
      {hover !== null && times[hover] !== undefined && (
        <div className="chart-tip" style={{ left: `${(100 * hx) / W}%` }} data-testid={testId ? `${testId}-tip` : undefined}>
          <div className="chart-tip-time">{tipLabel(times[hover] ?? '')}</div>
          {series.map((s) => (
            <div key={s.label}><span className="dot" style={{ background: s.color }} />{s.label}: <b>{num(s.values[hover] ?? 0)}</b></div>
          ))}
        </div>
      )}
    </div>
  );
}

/** A round upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten. */
export function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
