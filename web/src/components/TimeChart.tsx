import { useI18n } from '../i18n/index.js';

export interface Series { label: string; color: string; values: number[] }

/**
 * A line chart over time buckets with one axis per series (packets and sources differ by
 * orders of magnitude), drawn as SVG.
 */
export function TimeChart({ times, series, height = 220 }: { times: string[]; series: Series[]; height?: number }) {
  const { num } = useI18n();
  const width = 1200;
  const pad = { l: 64, r: 64, t: 12, b: 28 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const n = Math.max(1, times.length - 1);
  const x = (i: number): number => pad.l + (w * i) / n;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="chart" role="img">
      {series.map((s, k) => {
        const max = Math.max(1, ...s.values);
        const y = (v: number): number => pad.t + h - (h * v) / max;
        const d = s.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
        const axisX = k === 0 ? pad.l - 6 : width - pad.r + 6;
        return (
          <g key={s.label}>
            {k === 0 && [0, 0.5, 1].map((f) => <line key={f} x1={pad.l} x2={width - pad.r} y1={pad.t + h * f} y2={pad.t + h * f} className="grid" />)}
            <path d={d} fill="none" stroke={s.color} strokeWidth={2} />
            {s.values.length < 40 && s.values.map((v, i) => <circle key={i} cx={x(i)} cy={y(v)} r={3} fill={s.color} />)}
            {[0, 0.5, 1].map((f) => (
              <text key={f} x={axisX} y={pad.t + h - h * f + 4} textAnchor={k === 0 ? 'end' : 'start'} className="axis" fill={s.color}>{num(Math.round(max * f))}</text>
            ))}
          </g>
        );
      })}
      {times.map((tm, i) => (i % Math.max(1, Math.ceil(times.length / 8)) === 0 ? (
        <text key={tm} x={x(i)} y={height - 8} textAnchor="middle" className="axis">{tm.slice(11, 16)}</text>
      ) : null))}
      <g>
        {series.map((s, k) => (
          <g key={s.label} transform={`translate(${pad.l + 8 + k * 150}, ${pad.t + 4})`}>
            <rect width={12} height={4} y={4} fill={s.color} />
            <text x={18} y={10} className="legend">{s.label}</text>
          </g>
        ))}
      </g>
    </svg>
  );
}
